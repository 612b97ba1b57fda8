"""Merging duplicates (supports carried over once per participant) and moving proposals."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from brique.plugin_api import Category, db, linked
from brique_proposals.merging import ProposalDraft, TransferRefused, merge, move_to_category
from brique_proposals.models import Participation, Proposal, Support
from brique_proposals.supports import recount, support

DRAFT = ProposalDraft(title="Des bancs partout", body="Des bancs dans tous les parcs de la ville.")


def rows_of(proposal):
    return db.session.scalar(
        select(func.count()).select_from(Support).where(Support.proposal_id == proposal.id)
    )


def supports_used(component, user):
    return db.session.get(Participation, (component.id, user.id)).supports


def logged(verb):
    from brique.models import ActionLogEntry

    return db.session.scalar(
        select(func.count()).select_from(ActionLogEntry).where(ActionLogEntry.verb == verb)
    )


@pytest.fixture
def duplicates(component, make_proposal):
    return [make_proposal(component, title=f"Un banc, version {n}") for n in (1, 2, 3)]


def test_merge_creates_an_official_proposal_and_marks_the_originals_merged(
    db, component, duplicates, admin_user
):
    first, second, _third = duplicates
    merged = merge(component, [first.id, second.id], admin_user, DRAFT)
    db.session.commit()
    assert (merged.title, merged.status, merged.origin, merged.author_id) == (
        "Des bancs partout",
        "published",
        "official",
        None,
    )
    assert [(p.status, p.merged_into_id) for p in (first, second)] == [("merged", merged.id)] * 2
    assert _third.status == "published"
    assert sorted(ref.id for ref in linked(("proposals.proposal", merged.id), "merged_into")) == [
        first.id,
        second.id,
    ]
    assert [ref.id for ref in linked(("proposals.proposal", first.id), "merged_into")] == [
        merged.id
    ]


def test_merge_carries_each_participants_support_once_and_gives_back_the_others(
    db, component, duplicates, make_proposal, create_user, admin_user
):
    first, second, third = duplicates
    elsewhere = make_proposal(component, title="Autre chose")
    both, one, other = create_user(), create_user(), create_user()
    for proposal in (first, second, elsewhere):
        support(proposal, both)
    support(second, one)
    support(third, other)
    db.session.commit()
    merged = merge(component, [first.id, second.id, third.id], admin_user, DRAFT)
    db.session.commit()
    assert merged.supports_count == 3 == rows_of(merged)
    assert [p.supports_count for p in duplicates] == [0, 0, 0]
    assert [rows_of(p) for p in duplicates] == [0, 0, 0]
    assert supports_used(component, both) == 2  # the merged proposal and "Autre chose"
    assert supports_used(component, one) == supports_used(component, other) == 1
    assert recount(component.id) == 0


def test_merge_keeps_counts_exact_under_the_minimum_supports(
    db, make_component, make_proposal, create_user, admin_user
):
    component = make_component(settings={"minimum_supports": 3})
    first, second, kept = (make_proposal(component, title=f"P{n}") for n in range(3))
    falls, stays = create_user(), create_user()
    for proposal in (first, second, kept):
        support(proposal, falls)
    for proposal in (first, kept):
        support(proposal, stays)
    support(make_proposal(component, title="P4"), stays)
    db.session.commit()
    assert kept.supports_count == 2
    merged = merge(component, [first.id, second.id], admin_user, DRAFT)
    db.session.commit()
    db.session.refresh(kept)
    # "falls" had 3 supports, 2 on merged proposals: with 2 left they no longer count.
    assert supports_used(component, falls) == 2
    assert kept.supports_count == 1
    assert (merged.supports_count, rows_of(merged)) == (1, 2)
    assert recount(component.id) == 0


def test_merge_qualifies_the_new_proposal_at_the_threshold(
    db, make_component, make_proposal, create_user, admin_user
):
    component = make_component(settings={"threshold": 2})
    first, second = make_proposal(component, title="A"), make_proposal(component, title="B")
    support(first, create_user())
    support(second, create_user())
    db.session.commit()
    merged = merge(component, [first.id, second.id], admin_user, DRAFT)
    assert merged.qualified_at is not None


def test_merge_frees_the_authors_proposal_slots(db, component, make_proposal, create_user):
    from brique_proposals.supports import ensure_participation

    author = create_user()
    mine = make_proposal(component, author, title="Le mien")
    ensure_participation(component.id, author.id)
    db.session.get(Participation, (component.id, author.id)).proposals = 1
    other = make_proposal(component, title="Un autre")
    merge(component, [mine.id, other.id], None, DRAFT)
    db.session.commit()
    assert db.session.get(Participation, (component.id, author.id)).proposals == 0


def test_merge_sends_proposals_merged_and_logs_every_proposal(
    db, component, duplicates, admin_user
):
    from brique_proposals import signals

    heard = []
    receiver = lambda sender, **kwargs: heard.append((sender, kwargs["merged"], kwargs["user"]))  # noqa: E731
    signals.proposals_merged.connect(receiver)
    try:
        merged = merge(component, [p.id for p in duplicates[:2]], admin_user, DRAFT)
    finally:
        signals.proposals_merged.disconnect(receiver)
    db.session.commit()
    assert heard == [(merged, duplicates[:2], admin_user)]
    assert logged("proposals.merged") == 2 and logged("proposals.merge") == 1


@pytest.mark.parametrize("case", ["one", "withdrawn", "foreign", "draft"])
def test_merge_is_refused_and_changes_nothing_unless_two_published_proposals_of_the_component(
    db, make_component, make_proposal, admin_user, case
):
    component = make_component()
    first = make_proposal(component, title="A")
    second = {
        "one": lambda: first,
        "withdrawn": lambda: make_proposal(component, title="B", status="withdrawn"),
        "foreign": lambda: make_proposal(make_component(), title="B"),
        "draft": lambda: make_proposal(component, title="B", status="draft"),
    }[case]()
    before = db.session.scalar(select(func.count()).select_from(Proposal))
    with pytest.raises(TransferRefused):
        merge(component, [first.id, second.id], admin_user, DRAFT)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == before
    assert db.session.get(Proposal, first.id).status == "published"


def test_a_merged_proposal_cannot_be_merged_again(db, component, duplicates, admin_user):
    merge(component, [p.id for p in duplicates[:2]], admin_user, DRAFT)
    db.session.commit()
    with pytest.raises(TransferRefused) as refused:
        merge(component, [duplicates[1].id, duplicates[2].id], admin_user, DRAFT)
    assert refused.value.code == "status"


def test_parallel_merges_of_the_same_proposal_let_only_one_through(
    app, db, component, duplicates, create_user, admin_user
):
    voter = create_user()
    for proposal in duplicates:
        support(proposal, voter)
    db.session.commit()
    first, second, third = (p.id for p in duplicates)

    def attempt(ids):
        from brique.db import db as database

        with app.app_context():
            try:
                merge(database.session.get(type(component), component.id), ids, None, DRAFT)
                database.session.commit()
                return True
            except Exception:
                database.session.rollback()
                return False

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(attempt, [[first, second], [second, third]]))
    db.session.expire_all()
    assert results.count(True) == 1
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 4
    assert db.session.get(Participation, (component.id, voter.id)).supports == 2
    assert recount(component.id) == 0


def test_supports_given_during_a_merge_leave_every_count_exact(
    app, db, make_component, make_proposal, create_user
):
    component = make_component(settings={"minimum_supports": 2})
    first, second, *others = (make_proposal(component, title=f"P{n}") for n in range(6))
    voters = [create_user() for _ in range(6)]
    for voter in voters:
        support(first, voter)
        support(second, voter)
    db.session.commit()
    tasks = [("merge", None, None)] + [
        ("support", voter.id, proposal.id) for voter in voters for proposal in others[:2]
    ]

    def run(task):
        from brique.db import db as database
        from brique.models import User

        kind, user_id, proposal_id = task
        with app.app_context():
            session = database.session
            try:
                if kind == "merge":
                    merge(
                        session.get(type(component), component.id),
                        [first.id, second.id],
                        None,
                        DRAFT,
                    )
                else:
                    support(session.get(Proposal, proposal_id), session.get(User, user_id))
                session.commit()
                return kind
            except Exception:
                session.rollback()
                return None

    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(run, tasks))
    db.session.expire_all()
    if db.engine.dialect.name == "postgresql":  # SQLite may refuse a writer that read stale data
        assert "merge" in done and db.session.get(Proposal, first.id).status == "merged"
    assert recount(component.id) == 0
    for voter in voters:
        given = db.session.scalar(
            select(func.count()).select_from(Support).where(Support.user_id == voter.id)
        )
        assert supports_used(component, voter) == given


# --- The pages ------------------------------------------------------------------------------


def test_merge_page_prefills_the_new_proposal_and_merges_on_post(
    client, login, component, duplicates, admin_user
):
    login(admin_user)
    base = f"/admin/components/{component.id}/merge"
    page = client.get(f"{base}?ids={duplicates[0].id}&ids={duplicates[1].id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'value="Un banc, version 1"' in text and "**Un banc, version 2**" in text
    response = client.post(
        base,
        data={
            "ids": [duplicates[0].id, duplicates[1].id],
            "title": "Des bancs",
            "body": "Des bancs dans les parcs, pour tout le monde.",
        },
    )
    assert response.status_code == 302
    merged = db.session.scalars(select(Proposal).where(Proposal.title == "Des bancs")).one()
    assert {p.merged_into_id for p in duplicates[:2]} == {merged.id}


def test_merge_page_shows_errors_and_merges_nothing(
    client, login, component, duplicates, admin_user
):
    login(admin_user)
    ids = [duplicates[0].id, duplicates[1].id]
    response = client.post(
        f"/admin/components/{component.id}/merge", data={"ids": ids, "title": "", "body": ""}
    )
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert {p.status for p in duplicates} == {"published"}


def test_merge_page_is_for_the_components_admins_only(
    client, login, component, duplicates, dummy_user
):
    login(dummy_user)
    response = client.get(f"/admin/components/{component.id}/merge?ids=1&ids=2")
    assert response.status_code in (403, 404)


def test_tools_page_lists_published_proposals_with_bulk_actions(
    client, login, component, duplicates, admin_user
):
    login(admin_user)
    text = client.get(f"/admin/components/{component.id}/tools").get_data(as_text=True)
    assert "Un banc, version 3" in text
    assert f'formaction="/admin/components/{component.id}/merge"' in text
    assert f"/admin/components/{component.id}/split/{duplicates[0].id}" in text


# --- Moving between categories --------------------------------------------------------------


@pytest.fixture
def categories(db, component):
    found = [Category(space_id=component.space_id, name=name) for name in ("Mobilité", "Nature")]
    db.session.add_all(found)
    db.session.commit()
    return found


def test_move_puts_proposals_in_one_category_and_logs_each(
    db, component, duplicates, categories, admin_user
):
    moved = move_to_category(component, [p.id for p in duplicates], categories[1].id, admin_user)
    db.session.commit()
    assert moved == 3 and {p.category_id for p in duplicates} == {categories[1].id}
    assert logged("proposals.move") == 3
    assert move_to_category(component, [duplicates[0].id], categories[1].id, admin_user) == 0


def test_move_refuses_a_category_of_another_process(
    db, component, duplicates, create_space, admin_user
):
    foreign = Category(space_id=create_space("Ailleurs").id, name="Ailleurs")
    db.session.add(foreign)
    db.session.commit()
    with pytest.raises(TransferRefused):
        move_to_category(component, [duplicates[0].id], foreign.id, admin_user)


def test_move_page_moves_the_selected_proposals(
    client, login, component, duplicates, categories, admin_user
):
    login(admin_user)
    url = f"/admin/components/{component.id}/move"
    assert "Mobilité" in client.get(f"{url}?ids={duplicates[0].id}").get_data(as_text=True)
    ids = [duplicates[0].id, duplicates[2].id]
    response = client.post(url, data={"ids": ids, "category_id": categories[0].id})
    assert response.status_code == 302
    assert [p.category_id for p in duplicates] == [categories[0].id, None, categories[0].id]
