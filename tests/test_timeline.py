"""The step timeline: which step is active follows the clock, unless an admin pinned one."""

from datetime import timedelta

import pytest

from brique.models import Step
from brique.testing import FROZEN_AT
from brique.timeline import active_step, overlapping, step_state, upcoming_steps

DAY = timedelta(days=1)


def titles(steps):
    return [step.title for step in steps]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (FROZEN_AT - 30 * DAY, None),  # before the timeline
        (FROZEN_AT - 20 * DAY, "Step 1"),  # the first start is included
        (FROZEN_AT - 5 * DAY - timedelta(microseconds=1), "Step 1"),
        (FROZEN_AT - 5 * DAY, "Step 2"),  # an end is excluded: the next step starts there
        (FROZEN_AT, "Step 2"),
        (FROZEN_AT + 30 * DAY - timedelta(seconds=1), "Step 3"),
        (FROZEN_AT + 30 * DAY, None),  # the last end is excluded
    ],
)
def test_the_active_step_holds_the_moment_in_its_start_end_interval(
    moment, expected, dummy_space, clock
):
    clock.set(moment)
    step = active_step(dummy_space)
    assert (step.title if step else None) == expected
    assert active_step(dummy_space, moment) is step


def test_the_active_step_follows_the_clock(dummy_space, clock):
    assert active_step(dummy_space).title == "Step 2"
    clock.advance(days=10)
    assert active_step(dummy_space).title == "Step 3"


def test_no_step_is_active_in_a_gap_between_steps(create_space):
    space = create_space(
        steps=[(FROZEN_AT - 10 * DAY, FROZEN_AT - DAY), (FROZEN_AT + DAY, FROZEN_AT + 10 * DAY)]
    )
    assert active_step(space) is None
    assert titles(upcoming_steps(space)) == ["Step 2"]


def test_a_space_without_steps_has_no_active_step(create_space):
    space = create_space()
    assert active_step(space) is None
    assert upcoming_steps(space) == []


def test_a_pinned_step_wins_over_the_clock(dummy_space, db, clock):
    dummy_space.steps[2].pinned = True
    db.session.commit()
    assert active_step(dummy_space).title == "Step 3"
    clock.set(FROZEN_AT + 365 * DAY)
    assert active_step(dummy_space).title == "Step 3"


def test_a_space_has_at_most_one_pinned_step(dummy_space, db):
    from sqlalchemy.exc import IntegrityError

    dummy_space.steps[0].pinned = True
    dummy_space.steps[1].pinned = True
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_upcoming_steps_start_after_now_in_order(dummy_space, clock):
    assert titles(upcoming_steps(dummy_space)) == ["Step 3"]
    clock.set(FROZEN_AT - 25 * DAY)
    assert titles(upcoming_steps(dummy_space)) == ["Step 1", "Step 2", "Step 3"]
    clock.set(FROZEN_AT - 5 * DAY)  # step 2 starts now: it is active, not upcoming
    assert titles(upcoming_steps(dummy_space)) == ["Step 3"]
    assert upcoming_steps(dummy_space, FROZEN_AT + 30 * DAY) == []


def test_steps_are_read_in_timeline_order_whatever_their_creation_order(create_space, db):
    space = create_space(
        steps=[(FROZEN_AT + DAY, FROZEN_AT + 2 * DAY), (FROZEN_AT - DAY, FROZEN_AT + DAY)]
    )
    db.session.expire(space)
    assert [step.start_at for step in space.steps] == [FROZEN_AT - DAY, FROZEN_AT + DAY]


def test_step_states_for_the_public_timeline(dummy_space):
    past, current, _upcoming = dummy_space.steps
    states = [step_state(step, current, FROZEN_AT) for step in dummy_space.steps]
    assert states == ["past", "active", "upcoming"]
    assert step_state(current, None, FROZEN_AT) == "upcoming"  # ends later, not active
    assert step_state(past, None, FROZEN_AT) == "past"


def step(start, end, title=""):
    return Step(title=title, start_at=start, end_at=end)


def test_touching_steps_do_not_overlap():
    steps = [step(FROZEN_AT, FROZEN_AT + DAY), step(FROZEN_AT + DAY, FROZEN_AT + 2 * DAY)]
    assert overlapping(steps) is None


def test_overlapping_steps_are_found_in_any_order():
    first = step(FROZEN_AT, FROZEN_AT + 3 * DAY, "first")
    inside = step(FROZEN_AT + DAY, FROZEN_AT + 2 * DAY, "inside")
    later = step(FROZEN_AT + 10 * DAY, FROZEN_AT + 11 * DAY, "later")
    assert overlapping([later, inside, first]) == (first, inside)


def test_a_step_contained_in_a_long_one_is_found_beyond_its_neighbour():
    long = step(FROZEN_AT, FROZEN_AT + 30 * DAY, "long")
    short = step(FROZEN_AT + DAY, FROZEN_AT + 2 * DAY, "short")
    late = step(FROZEN_AT + 10 * DAY, FROZEN_AT + 11 * DAY, "late")
    found = overlapping([long, short, late])
    assert found is not None and found[0] is long


def test_no_steps_or_one_step_never_overlap():
    assert overlapping([]) is None
    assert overlapping([step(FROZEN_AT, FROZEN_AT + DAY)]) is None
