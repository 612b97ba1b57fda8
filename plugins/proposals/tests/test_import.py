"""Imports: proposals from a CSV file or another component, answers from a CSV file.

Every file is checked whole first: one wrong row and nothing is created.
"""

import io
import re

import pytest
from sqlalchemy import func, select

from brique.plugin_api import Category, Scope, db, linked
from brique_proposals.answer_imports import answer_from_plan, plan_answers
from brique_proposals.imports import copy_proposals, create_from_plan, plan_copy, plan_csv
from brique_proposals.models import Participation, Proposal

HEADER = "title,body,category,scope,origin,origin_note,author_email\n"


@pytest.fixture
def app_config():
    """Messages in English outside requests too (the site's default language is French)."""
    return {"DEFAULT_LOCALE": "en"}


def proposal_count():
    return db.session.scalar(select(func.count()).select_from(Proposal))


@pytest.fixture
def places(component):
    mobility = Category(space_id=component.space_id, name="Mobilité")
    north = Scope(name="Quartier Nord", code="NORD")
    db.session.add_all([mobility, north])
    db.session.commit()
    return mobility, north


@pytest.fixture
def staff(admin_user):
    admin_user.locale = "en"
    db.session.commit()
    return admin_user


# --- CSV of proposals -----------------------------------------------------------------------


def test_a_csv_file_creates_published_proposals_with_their_category_scope_and_author(
    component, places, create_user, staff
):
    author = create_user("ana", email="Ana@Example.org")
    content = HEADER + (
        "Un banc,Un banc près de l'école.,mobilité,nord,,,ana@example.org\n"
        '"Des arbres, enfin","Planter des arbres\nrue Haute.",,,meeting,Réunion du 12 mars,\n'
    )
    plan = plan_csv(component, content.encode())
    assert plan.ok and [item.line for item in plan.items] == [2, 3]
    created = create_from_plan(component, plan, staff)
    db.session.commit()
    bench, trees = created
    assert (bench.status, bench.category_id, bench.scope_id) == (
        "published",
        *(p.id for p in places),
    )
    assert (bench.author_id, bench.origin) == (author.id, "participant")
    assert (trees.origin, trees.origin_note, trees.author_id) == (
        "meeting",
        "Réunion du 12 mars",
        None,
    )
    assert trees.body == "Planter des arbres\nrue Haute."
    assert db.session.get(Participation, (component.id, author.id)).proposals == 1


def test_a_csv_file_in_windows_1252_with_semicolons_is_read(component, staff):
    content = "Title;Body\nLe café;Un café associatif à côté de la mairie.\n".encode("cp1252")
    plan = plan_csv(component, content)
    assert plan.ok and plan.items[0].title == "Le café"


def test_every_wrong_row_is_reported_with_its_line_and_the_plan_cannot_run(
    component, places, staff
):
    content = HEADER + (
        "Bon,Un texte.,,,,,\n"
        ",Pas de titre.,,,,,\n"
        "Mauvais,Texte.,Culture,SUD,martian,,nobody@example.org\n"
        "Participant,Sans auteur.,,,participant,,\n"
    )
    plan = plan_csv(component, content.encode())
    assert not plan.ok
    assert "Line 3: the title is missing" in plan.errors
    assert "Line 4: no category of the process is named “Culture”" in plan.errors
    assert "Line 4: no territory has the code “SUD”" in plan.errors
    assert "Line 4: nobody has an account with the address “nobody@example.org”" in plan.errors
    assert any(e.startswith("Line 4: the origin “martian”") for e in plan.errors)
    assert "Line 5: a participant's proposal needs the author's e-mail address" in plan.errors
    with pytest.raises(ValueError):
        create_from_plan(component, plan, staff)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("titre,body\nA,B\n", "Unknown columns: titre."),
        ("body\nUn texte.\n", "The column “title” is missing."),
        ("title,body\n", "The file has no proposal."),
        ("", "The file is empty."),
        ("title,body\nA,B,C\n", "Line 2: this row has more cells than there are columns"),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_message(component, staff, content, message):
    plan = plan_csv(component, content.encode())
    assert not plan.ok and any(error.startswith(message) for error in plan.errors), plan.errors


def upload(client, url, content, **extra):
    data = {"file": (io.BytesIO(content.encode()), "proposals.csv"), **extra}
    return client.post(url, data=data, content_type="multipart/form-data")


def carried(response):
    return re.search(r'name="carried" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_the_import_page_previews_then_creates_on_confirmation(client, login, component, staff):
    login(staff)
    url = f"/admin/components/{component.id}/import"
    content = HEADER + "Un banc,Près de l'école.,,,,,\nUn arbre,Devant la mairie.,,,,,\n"
    preview = upload(client, url, content)
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "2 proposals will be created" in text and "Un arbre" in text
    assert proposal_count() == 0
    done = client.post(url, data={"carried": carried(preview), "confirm": "1"})
    assert done.status_code == 302
    assert proposal_count() == 2


def test_the_import_page_shows_the_errors_and_creates_nothing(client, login, component, staff):
    login(staff)
    url = f"/admin/components/{component.id}/import"
    content = HEADER + "Un banc,Près de l'école.,,,,,\n,Sans titre.,,,,,\n"
    response = upload(client, url, content, confirm="1")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Line 3: the title is missing" in text
    assert 'name="carried"' not in text
    assert proposal_count() == 0


# --- From another component -----------------------------------------------------------------


@pytest.fixture
def source(create_space, create_component, make_proposal):
    space = create_space("Budget 2025")
    old = create_component(space, "proposals")
    db.session.add(Category(space_id=space.id, name="Mobilité"))
    db.session.commit()
    return old


def answered(proposal, state, published=True):
    proposal.answer_state, proposal.answer_published = state, published
    db.session.commit()
    return proposal


def test_proposals_of_another_component_are_copied_by_state_with_a_link_back(
    component, places, source, make_proposal, create_user, staff
):
    author = create_user()
    category = db.session.scalars(
        select(Category).where(Category.space_id == source.space_id)
    ).one()
    accepted = answered(
        make_proposal(source, author, title="Accepté", category_id=category.id), "accepted"
    )
    answered(make_proposal(source, title="Refusé"), "rejected")
    answered(make_proposal(source, title="Accepté en secret"), "accepted", published=False)
    plan = plan_copy(component, source, ["accepted"])
    assert [p.title for p in plan.items] == ["Accepté"]
    (copy,) = copy_proposals(component, plan, staff)
    db.session.commit()
    assert (copy.component_id, copy.author_id, copy.status) == (
        component.id,
        author.id,
        "published",
    )
    assert copy.category_id == places[0].id  # "Mobilité" of this process
    assert (copy.answer_state, copy.supports_count) == ("not_answered", 0)
    assert [ref.id for ref in linked(("proposals.proposal", copy.id), "copied_from")] == [
        accepted.id
    ]
    again = plan_copy(component, source, ["accepted"])
    assert not again.ok and not again.items


def test_only_components_the_person_administers_are_offered(
    client, login, component, source, create_user
):
    from brique.models import SpaceRole

    manager = create_user(locale="en")
    db.session.add(SpaceRole(space_id=component.space_id, user_id=manager.id, role="admin"))
    db.session.commit()
    login(manager)
    text = client.get(f"/admin/components/{component.id}/import-proposals").get_data(as_text=True)
    assert "There is no other proposals component that you administer." in text


def test_the_copy_page_previews_then_copies_what_was_previewed(
    client, login, component, source, make_proposal, staff
):
    answered(make_proposal(source, title="Accepté"), "accepted")
    login(staff)
    url = f"/admin/components/{component.id}/import-proposals"
    data = {"source": source.id, "states": ["accepted"]}
    preview = client.post(url, data=data).get_data(as_text=True)
    assert "1 proposal will be copied" in preview and proposal_count() == 1
    checked = re.search(r'name="checked" value="([^"]+)"', preview).group(1)
    changed = client.post(
        url, data={**data, "states": ["rejected"], "checked": checked, "confirm": "1"}
    )
    assert changed.status_code == 200 and proposal_count() == 1
    done = client.post(url, data={**data, "checked": checked, "confirm": "1"})
    assert done.status_code == 302 and proposal_count() == 2


# --- CSV of answers -------------------------------------------------------------------------


def test_answers_are_imported_and_published_as_the_step_says(component, make_proposal, staff):
    first, second = make_proposal(component, title="A"), make_proposal(component, title="B")
    content = (
        f"id,state,answer,cost\n{first.id},accepted,Bonne idée.,1 200\n"
        f"{second.id},Rejected,Hors compétence.,\n"
    )
    plan = plan_answers(component, content.encode())
    assert plan.ok, plan.errors
    published = answer_from_plan(plan, staff)
    db.session.commit()
    assert [(p.answer_state, p.answer_text, p.cost) for p in (first, second)] == [
        ("accepted", "Bonne idée.", 1200),
        ("rejected", "Hors compétence.", None),
    ]
    assert published == [first, second] and first.answer_published


def test_wrong_answer_rows_are_reported_and_nothing_is_answered(component, make_proposal, staff):
    first = make_proposal(component, title="A")
    draft = make_proposal(component, title="D", status="draft")
    content = (
        f"id,state,answer\n{first.id},accepted,Oui.\n{first.id},accepted,Encore.\n"
        f"{draft.id},accepted,Non publié.\nabc,accepted,\n{first.id + 100},maybe,\n"
    )
    plan = plan_answers(component, content.encode())
    assert not plan.ok
    assert f"Line 3: the proposal {first.id} is answered twice in the file" in plan.errors
    assert f"Line 4: no published proposal of this component has the id {draft.id}" in plan.errors
    assert "Line 5: the id “abc” is not a proposal number" in plan.errors
    rejected = plan_answers(component, f"id,state\n{first.id},rejected\n".encode())
    assert rejected.errors == ["Line 2: answer: Say why the proposal is rejected."]
    unknown = plan_answers(component, f"id,state\n{first.id},maybe\n".encode())
    assert unknown.errors[0].startswith("Line 2: state: Choose one of")
    db.session.refresh(first)
    assert first.answer_state == "not_answered"


def test_the_answers_page_previews_then_answers(client, login, component, make_proposal, staff):
    proposal = make_proposal(component, title="A")
    login(staff)
    url = f"/admin/components/{component.id}/import-answers"
    preview = upload(client, url, f"id,state,answer\n{proposal.id},evaluating,On regarde.\n")
    assert "1 proposal will be answered" in preview.get_data(as_text=True)
    assert client.post(url, data={"carried": carried(preview), "confirm": "1"}).status_code == 302
    db.session.refresh(proposal)
    assert (proposal.answer_state, proposal.answer_text) == ("evaluating", "On regarde.")
