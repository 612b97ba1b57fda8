"""Space administration: the timeline of steps, never overlapping, with one pinned step."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from brique import signals
from brique.models import Step
from brique.testing import FROZEN_AT
from tests.space_admin_support import ENGLISH, admin_url, give_role, received, text_of

DAY = timedelta(days=1)


@pytest.fixture
def app_config():
    return ENGLISH


@pytest.fixture
def as_admin(login, admin_user):
    """The test client, logged in as a platform administrator."""
    return login(admin_user)


def steps_of(db, space):
    return db.session.scalars(
        select(Step).where(Step.space_id == space.id).order_by(Step.start_at)
    ).all()


def local(moment):
    """A UTC moment as the Paris wall-clock text typed in datetime-local inputs."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M")


def test_timeline_lists_steps_with_the_active_one(as_admin, dummy_space):
    page = text_of(as_admin.get(admin_url(dummy_space, "steps/")))
    assert page.index("Step 1") < page.index("Step 2") < page.index("Step 3")
    assert "Active now" in page
    assert "Pin as the active step" in page


def test_new_step_is_entered_in_the_institution_timezone(as_admin, create_space, db):
    space = create_space()
    data = {
        "title": "Vote",
        "description": "",
        "start_at": "2026-05-01T09:00",
        "end_at": "2026-05-15T18:00",
    }
    response = as_admin.post(admin_url(space, "steps/new"), data=data)
    assert response.status_code == 302
    (step,) = steps_of(db, space)
    assert step.start_at == datetime(2026, 5, 1, 7, 0, tzinfo=UTC)  # Paris is UTC+2 in May
    assert step.end_at == datetime(2026, 5, 15, 16, 0, tzinfo=UTC)


def test_new_step_form_proposes_to_start_where_the_last_step_ends(as_admin, dummy_space):
    page = text_of(as_admin.get(admin_url(dummy_space, "steps/new")))
    assert f'value="{local(FROZEN_AT + 30 * DAY)}"' in page


def test_end_before_start_is_refused_and_nothing_saved(as_admin, dummy_space, db):
    data = {"title": "Bad", "start_at": "2026-06-10T10:00", "end_at": "2026-06-01T10:00"}
    response = as_admin.post(admin_url(dummy_space, "steps/new"), data=data)
    assert response.status_code == 422
    page = text_of(response)
    assert "The end must be after the start." in page
    assert 'id="field-end_at-error"' in page
    assert 'value="2026-06-10T10:00"' in page  # shown again as typed, in local time
    assert len(steps_of(db, dummy_space)) == 3


def test_overlapping_step_is_refused_with_the_other_steps_name(as_admin, dummy_space, db):
    start = FROZEN_AT + 25 * DAY
    data = {"title": "Overlap", "start_at": local(start), "end_at": local(start + 10 * DAY)}
    response = as_admin.post(admin_url(dummy_space, "steps/new"), data=data)
    assert response.status_code == 422
    page = text_of(response)
    assert "This period overlaps the step “Step 3”" in page
    assert 'id="field-start_at-error"' in page
    assert len(steps_of(db, dummy_space)) == 3


def test_step_overlapping_by_its_end_reports_on_the_end(as_admin, dummy_space):
    data = {
        "title": "Early",
        "start_at": local(FROZEN_AT - 30 * DAY),
        "end_at": local(FROZEN_AT - 15 * DAY),
    }
    response = as_admin.post(admin_url(dummy_space, "steps/new"), data=data)
    assert response.status_code == 422
    assert 'id="field-end_at-error"' in text_of(response)
    assert "“Step 1”" in text_of(response)


def test_editing_a_step_keeps_it_out_of_its_own_overlap_check(as_admin, dummy_space, db):
    step = dummy_space.steps[1]
    data = {
        "title": "Ideas",
        "description": "Propose",
        "start_at": local(step.start_at),
        "end_at": local(step.end_at),
    }
    assert as_admin.post(admin_url(dummy_space, f"steps/{step.id}/"), data=data).status_code == 302
    db.session.refresh(step)
    assert step.title == "Ideas" and step.description == "Propose"


def test_step_of_another_space_is_not_found(as_admin, dummy_space, create_space):
    other = create_space(steps=[(FROZEN_AT, FROZEN_AT + DAY)])
    url = admin_url(dummy_space, f"steps/{other.steps[0].id}/")
    assert as_admin.get(url).status_code == 404


def test_pinning_a_step_makes_it_active_and_sends_step_activated(as_admin, dummy_space, db):
    upcoming = dummy_space.steps[2]
    with received(signals.step_activated) as activated:
        as_admin.post(admin_url(dummy_space, f"steps/{upcoming.id}/pin"))
    assert activated == [(upcoming.id, {})]
    assert [step.pinned for step in steps_of(db, dummy_space)] == [False, False, True]
    page = text_of(as_admin.get(admin_url(dummy_space, "steps/")))
    assert "Pinned" in page and "Unpin" in page


def test_pinning_another_step_unpins_the_first(as_admin, dummy_space, db):
    first, last = dummy_space.steps[0], dummy_space.steps[2]
    as_admin.post(admin_url(dummy_space, f"steps/{last.id}/pin"))
    as_admin.post(admin_url(dummy_space, f"steps/{first.id}/pin"))
    assert [step.pinned for step in steps_of(db, dummy_space)] == [True, False, False]
    as_admin.post(admin_url(dummy_space, f"steps/{first.id}/unpin"))
    assert not any(step.pinned for step in steps_of(db, dummy_space))


def test_moving_a_step_earlier_swaps_periods_keeping_durations(as_admin, dummy_space, db):
    before = [(s.title, s.end_at - s.start_at) for s in steps_of(db, dummy_space)]
    step_3 = dummy_space.steps[2]
    as_admin.post(admin_url(dummy_space, f"steps/{step_3.id}/move"), data={"direction": "up"})
    after = steps_of(db, dummy_space)
    assert [s.title for s in after] == ["Step 1", "Step 3", "Step 2"]
    assert after[1].end_at - after[1].start_at == before[2][1]
    assert after[2].end_at - after[2].start_at == before[1][1]
    assert after[1].start_at == FROZEN_AT - 5 * DAY and after[2].end_at == FROZEN_AT + 30 * DAY
    assert [s.position for s in after] == [0, 1, 2]


def test_deleting_a_step_forgets_its_component_settings(
    as_admin, dummy_space, create_component, db
):
    step = dummy_space.steps[1]
    key = str(step.id)
    tiny = create_component(dummy_space, "tiny", step_settings={step: {"notes_open": True}})
    assert "“Step 2”" in text_of(as_admin.get(admin_url(dummy_space, f"steps/{step.id}/delete")))
    as_admin.post(admin_url(dummy_space, f"steps/{key}/delete"))
    assert [s.title for s in steps_of(db, dummy_space)] == ["Step 1", "Step 3"]
    db.session.refresh(tiny)
    assert key not in tiny.step_settings


def test_space_admin_manages_steps_of_their_space_only(
    create_user, login, dummy_space, create_space
):
    officer = give_role(create_user("officer"), dummy_space)
    other = create_space()
    client = login(officer)
    assert client.get(admin_url(dummy_space, "steps/")).status_code == 200
    assert client.get(admin_url(other, "steps/new")).status_code == 403


def test_timeline_queries_do_not_grow_with_steps(as_admin, create_space, db, count_queries):
    space = create_space(steps=[(FROZEN_AT, FROZEN_AT + DAY)])
    url = admin_url(space, "steps/")
    with count_queries() as one:
        assert as_admin.get(url).status_code == 200
    for number in range(1, 50):
        start = FROZEN_AT + number * DAY
        db.session.add(
            Step(space_id=space.id, title=f"S{number}", start_at=start, end_at=start + DAY)
        )
    db.session.commit()
    with count_queries() as fifty:
        assert as_admin.get(url).status_code == 200
    assert len(one) == len(fifty)
