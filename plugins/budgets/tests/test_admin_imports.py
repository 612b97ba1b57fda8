"""An administrator imports projects into a budget: the accepted proposals of the process,
or the rows of a CSV file. Both show what will be created first; confirming creates it,
whole or not at all, and never imports a proposal twice into a budget."""

import re

import pytest
from sqlalchemy import func, select

from brique.plugin_api import Category, Scope, db, linked, now
from brique_budgets.models import Project


def text_of(response):
    return response.get_data(as_text=True)


def project_count():
    return db.session.scalar(select(func.count()).select_from(Project))


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 200_000)


@pytest.fixture
def base(component, budget):
    return f"/admin/components/{component.id}/budgets/{budget.id}"


# --- From a CSV file ---------------------------------------------------------------------------


HEADER = "title,description,cost,category,scope,address\n"


@pytest.fixture
def places(dummy_space):
    mobility = Category(space_id=dummy_space.id, name="Mobilité")
    north = Scope(name="Quartier Nord", code="NORD")
    db.session.add_all([mobility, north])
    db.session.commit()
    return mobility, north


def upload(client, url, content, **form):
    data = content.encode() if isinstance(content, str) else content
    payload = {"file": (__import__("io").BytesIO(data), "projets.csv"), **form}
    return client.post(url, data=payload, content_type="multipart/form-data")


def carried(response):
    return re.search(r'name="carried" value="([^"]+)"', text_of(response)).group(1)


def test_a_csv_file_is_previewed_then_imported_on_confirmation(
    as_admin, base, budget, places, log_entries
):
    mobility, north = places
    content = HEADER + (
        "Des bancs,Dix bancs.,12000,mobilité,NORD,Parc Pasteur\n"
        '"Des arbres, enfin","Planter\nrue Haute.",3 500,,Quartier Nord,\n'
    )
    preview = upload(as_admin, f"{base}/import-csv", content)
    text = text_of(preview)
    assert preview.status_code == 200 and "2 projects will be created" in text
    assert "Des arbres, enfin" in text and "12,000 €" in text and "Parc Pasteur" in text
    assert project_count() == 0
    done = as_admin.post(f"{base}/import-csv", data={"carried": carried(preview), "confirm": "1"})
    assert done.status_code == 303 and done.location.endswith(f"{base}/projects/")
    benches, trees = db.session.scalars(select(Project).order_by(Project.id))
    assert (benches.cost, benches.category_id, benches.scope_id) == (12_000, mobility.id, north.id)
    assert (benches.address, benches.selected, benches.budget_id) == (
        "Parc Pasteur",
        False,
        budget.id,
    )
    assert (trees.title, trees.description, trees.cost) == (
        "Des arbres, enfin",
        "Planter\nrue Haute.",
        3_500,
    )
    assert trees.component_id == budget.component_id
    entries = log_entries("budgets.import_project")
    assert [entry.after["csv_line"] for entry in entries] == [2, 3]


def test_a_utf8_file_with_a_byte_order_mark_and_semicolons_is_read(as_admin, base):
    content = "\ufeffTitle;Cost\nLe café;8000\n".encode()
    preview = upload(as_admin, f"{base}/import-csv", content)
    assert preview.status_code == 200 and "1 project will be created" in text_of(preview)
    as_admin.post(f"{base}/import-csv", data={"carried": carried(preview), "confirm": "1"})
    assert db.session.scalar(select(Project.title)) == "Le café"


def test_every_wrong_line_is_told_and_nothing_is_imported(as_admin, base, places):
    content = HEADER + (
        "Des bancs,,12000,,,\n"
        "Un tunnel,,beaucoup,,,\n"
        "Un parc,,-5,,,\n"
        ",Sans titre,100,,,\n"
        "Une piste,,100,Sport,,\n"
        "Un jardin,,100,,Quartier Ouest,\n"
    )
    response = upload(as_admin, f"{base}/import-csv", content, confirm="1")
    text = text_of(response)
    assert response.status_code == 422 and "Nothing was imported." in text
    assert "Line 3: the cost “beaucoup” is not a whole number of 0 or more" in text
    assert "Line 4: the cost “-5” is not a whole number of 0 or more" in text
    assert "Line 5: the title is missing" in text
    assert "Line 6: no category of the process is named “Sport”" in text
    assert "Line 7: no territory has the code or the name “Quartier Ouest”" in text
    assert "Line 2" not in text and 'name="carried"' not in text
    assert project_count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("title,description\nBancs,Dix\n", "The column “cost” is missing."),
        ("title,cost,price\nBancs,1,2\n", "Unknown columns: price."),
        ("title,cost\n", "The file has no project."),
        ("", "The file is empty."),
    ],
)
def test_a_file_that_is_not_a_list_of_projects_is_refused(as_admin, base, content, message):
    response = upload(as_admin, f"{base}/import-csv", content)
    assert response.status_code == 422 and message in text_of(response)
    assert project_count() == 0


def test_sending_no_file_asks_for_one(as_admin, base):
    response = as_admin.post(f"{base}/import-csv", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file." in text_of(response)


def test_the_csv_page_lists_the_columns(as_admin, base):
    text = text_of(as_admin.get(f"{base}/import-csv"))
    for column in ("title", "description", "cost", "category", "scope", "address"):
        assert f"<code>{column}</code>" in text


# --- From accepted proposals -------------------------------------------------------------------


@pytest.fixture
def proposals(dummy_space, create_component):
    """A proposals component of the process, and ``accepted(title, cost)`` to fill it."""
    models = pytest.importorskip("brique_proposals.models")
    source = create_component(dummy_space, "proposals", name="Idées 2026")

    def make(title, cost=None, *, state="accepted", published=True):
        proposal = models.Proposal(
            component_id=source.id,
            title=title,
            body=f"Le texte de {title}.",
            status="published",
            published_at=now(),
            answer_state=state,
            answer_published=published,
            cost=cost,
        )
        db.session.add(proposal)
        db.session.commit()
        return proposal

    make.component = source
    return make


def section(text, heading):
    """The table after the heading that contains ``heading``."""
    match = re.search(rf"<h2>[^<]*{heading}[^<]*</h2>(.*?)</table>", text, re.S)
    return match.group(1) if match else ""


def test_accepted_proposals_are_previewed_with_those_that_cannot_be_imported(
    as_admin, base, proposals
):
    proposals("Des bancs", 12_000)
    proposals("Un kiosque")  # accepted, but no cost given
    proposals("Un tunnel", 900_000, state="rejected")
    proposals("Une fontaine", 5_000, published=False)  # its answer is not published yet
    text = text_of(as_admin.get(f"{base}/import-proposals"))
    will = section(text, "will become a project")
    assert "Des bancs" in will and "12,000 €" in will and "Un kiosque" not in will
    wont = section(text, "will not be imported")
    assert (
        "Un kiosque" in wont
        and "It has no cost: give one in the answer to the proposal first." in wont
    )
    assert "Un tunnel" not in text and "Une fontaine" not in text
    assert "Import 1 proposal" in text and project_count() == 0


def test_confirming_makes_feasible_projects_linked_to_their_proposals(
    as_admin, admin_user, base, budget, proposals, log_entries
):
    benches = proposals("Des bancs", 12_000)
    fountain = proposals("Une fontaine", 5_000)
    form = {"source": proposals.component.id, "proposal": [benches.id, fountain.id]}
    response = as_admin.post(f"{base}/import-proposals", data=form, follow_redirects=True)
    assert "2 projects are imported: check them, then put them to the vote." in text_of(response)
    made = db.session.scalars(select(Project).order_by(Project.id)).all()
    assert [(p.title, p.description, p.cost) for p in made] == [
        ("Des bancs", "Le texte de Des bancs.", 12_000),
        ("Une fontaine", "Le texte de Une fontaine.", 5_000),
    ]
    assert all(p.feasibility == "feasible" and not p.selected for p in made)
    assert all(p.component_id == budget.component_id and p.budget_id == budget.id for p in made)
    refs = linked(("proposals.proposal", benches.id), "became_project")
    assert [(ref.type, ref.id) for ref in refs] == [("budgets.project", made[0].id)]
    entries = log_entries("budgets.import_project")
    assert [e.after["proposal_id"] for e in entries] == [benches.id, fountain.id]
    assert {e.user_id for e in entries} == {admin_user.id}


def test_a_proposal_is_never_imported_twice_into_a_budget(as_admin, base, proposals):
    benches = proposals("Des bancs", 12_000)
    form = {"source": proposals.component.id, "proposal": [benches.id]}
    as_admin.post(f"{base}/import-proposals", data=form)
    text = text_of(as_admin.get(f"{base}/import-proposals"))
    assert "Already imported into this budget as “Des bancs”." in text
    again = as_admin.post(f"{base}/import-proposals", data=form, follow_redirects=True)
    assert "Nothing was imported: the proposals changed since you saw them." in text_of(again)
    assert project_count() == 1


def test_a_proposal_may_become_a_project_of_another_budget(
    as_admin, component, make_budget, base, proposals
):
    benches = proposals("Des bancs", 12_000)
    form = {"source": proposals.component.id, "proposal": [benches.id]}
    as_admin.post(f"{base}/import-proposals", data=form)
    other = make_budget(component, title="Quartier Sud")
    url = f"/admin/components/{component.id}/budgets/{other.id}/import-proposals"
    assert "Import 1 proposal" in text_of(as_admin.get(url))
    as_admin.post(url, data=form)
    assert project_count() == 2


def test_only_previewed_proposals_are_imported(as_admin, base, proposals):
    seen = proposals("Des bancs", 12_000)
    proposals("Arrivée depuis", 3_000)  # accepted after the preview
    form = {"source": proposals.component.id, "proposal": [seen.id]}
    as_admin.post(f"{base}/import-proposals", data=form)
    assert db.session.scalars(select(Project.title)).all() == ["Des bancs"]


def test_with_several_proposals_components_the_admin_chooses_one(
    as_admin, base, proposals, dummy_space, create_component
):
    proposals("Des bancs", 12_000)
    create_component(dummy_space, "proposals", name="Idées 2025")
    text = text_of(as_admin.get(f"{base}/import-proposals"))
    assert "Idées 2025" in text and "See what will be imported" in text and "Des bancs" not in text
    chosen = as_admin.get(
        f"{base}/import-proposals", query_string={"source": proposals.component.id}
    )
    assert "Des bancs" in text_of(chosen)


def test_a_process_without_proposals_says_so(as_admin, base):
    pytest.importorskip("brique_proposals")
    text = text_of(as_admin.get(f"{base}/import-proposals"))
    assert "This process has no proposals component" in text


@pytest.mark.with_plugins("budgets")
def test_without_the_proposals_plugin_the_page_says_so(as_admin, base):
    response = as_admin.get(f"{base}/import-proposals")
    assert response.status_code == 200
    assert "The proposals component is not installed on this platform" in text_of(response)
    assert as_admin.post(f"{base}/import-proposals", data={"source": "1"}).status_code == 200
    assert project_count() == 0


def test_the_proposal_page_links_its_project_once_it_is_put_to_the_vote(
    as_admin, client, base, proposals
):
    benches = proposals("Des bancs", 12_000)
    form = {"source": proposals.component.id, "proposal": [benches.id]}
    as_admin.post(f"{base}/import-proposals", data=form)
    space = proposals.component.space
    page = f"/processes/{space.slug}/c/{proposals.component.id}/{benches.id}"
    assert "Linked elsewhere" not in text_of(as_admin.get(page))
    project = db.session.scalar(select(Project))
    project.selected = True
    db.session.commit()
    assert "Linked elsewhere" in text_of(as_admin.get(page))
    budget_page = f"/processes/{space.slug}/c/{project.component_id}/{project.budget_id}"
    project_page = text_of(as_admin.get(f"{budget_page}/projects/{project.id}"))
    assert "Where it comes from" in project_page and f"/{benches.id}" in project_page
