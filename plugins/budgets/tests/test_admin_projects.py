"""An administrator manages a budget's projects: the list and its filters, adding, editing
and deleting one, putting projects to the vote in bulk. A project that is not feasible is
explained and never put to the vote; a project on cast ballots is never deleted."""

import re

import pytest
from sqlalchemy import func, select

from brique.plugin_api import Category, Scope, db
from brique_budgets.models import BallotItem, Project, StationCount


def text_of(response):
    return response.get_data(as_text=True)


def project_count():
    return db.session.scalar(select(func.count()).select_from(Project))


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 200_000)


@pytest.fixture
def base(component, budget):
    return f"/admin/components/{component.id}/budgets/{budget.id}/projects"


@pytest.fixture
def themes(dummy_space, create_space):
    """Two categories of the process, one with a subcategory, and one of another process."""
    green = Category(space_id=dummy_space.id, name="Nature")
    trees = Category(space_id=dummy_space.id, name="Arbres", parent=green)
    mobility = Category(space_id=dummy_space.id, name="Mobilité")
    elsewhere = Category(space_id=create_space("Autre").id, name="Ailleurs")
    db.session.add_all([green, trees, mobility, elsewhere])
    db.session.commit()
    return green, trees, mobility, elsewhere


def add(budget, title, cost=1_000, **columns):
    project = Project(
        budget_id=budget.id, component_id=budget.component_id, title=title, cost=cost, **columns
    )
    db.session.add(project)
    db.session.commit()
    return project


def listed(response):
    """The titles of the listed projects, in order."""
    assert response.status_code == 200, text_of(response)
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', text_of(response))


GOOD = {
    "title": "Des bancs au parc",
    "description": "Dix bancs.",
    "cost": "12000",
    "address": "Parc Pasteur",
    "feasibility": "feasible",
}


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_project_with_its_cost_place_valuation_and_vote(
    as_admin, base, budget, themes
):
    north = Scope(name="Quartier Nord", code="NORD")
    db.session.add(north)
    db.session.flush()
    add(budget, "Bancs", 12_000, category_id=themes[2].id, scope_id=north.id, address="Rue Haute")
    add(budget, "Tunnel", 90_000, feasibility="not_feasible", feasibility_explanation="Trop cher")
    add(budget, "Arbres", 3_000, feasibility="feasible", selected=True)
    text = text_of(as_admin.get(f"{base}/"))
    assert listed(as_admin.get(f"{base}/")) == ["Arbres", "Bancs", "Tunnel"]
    assert "12,000 €" in text and "Mobilité · Quartier Nord" in text and "Rue Haute" in text
    assert "Not feasible" in text and "Not valued yet" in text and "3 projects shown" in text
    assert "Amount: 200,000 €." in text and "1 put to the vote" in text


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"selected": "yes"}, ["Arbres"]),
        ({"selected": "no"}, ["Bancs", "Tunnel"]),
        ({"feasibility": "not_feasible"}, ["Tunnel"]),
        ({"feasibility": "not_valued"}, ["Bancs"]),
        ({"category": "nature"}, ["Arbres"]),
        ({"selected": "no", "category": "mobility"}, ["Bancs"]),
        (
            {"selected": "maybe", "feasibility": "unknown", "category": "x"},
            ["Arbres", "Bancs", "Tunnel"],
        ),
    ],
)
def test_the_list_filters_by_vote_feasibility_and_category(
    as_admin, base, budget, themes, args, expected
):
    green, _trees, mobility, _elsewhere = themes
    add(budget, "Bancs", category_id=mobility.id)
    add(budget, "Tunnel", feasibility="not_feasible", feasibility_explanation="Non")
    add(budget, "Arbres", feasibility="feasible", selected=True, category_id=green.id)
    named = {"nature": green.id, "mobility": mobility.id}
    query = {key: named.get(value, value) for key, value in args.items()}
    assert listed(as_admin.get(f"{base}/", query_string=query)) == expected


def test_a_budget_without_projects_says_how_to_add_them(as_admin, base):
    text = text_of(as_admin.get(f"{base}/"))
    assert "No project yet: add one, or import them." in text


# --- Adding ------------------------------------------------------------------------------------


def test_the_form_offers_the_categories_of_the_process(as_admin, base, themes):
    text = text_of(as_admin.get(f"{base}/new"))
    assert "Nature" in text and "— Arbres" in text and "Mobilité" in text
    assert "Ailleurs" not in text


def test_a_project_is_added_to_the_budget_and_logged(
    as_admin, admin_user, base, component, budget, themes, log_entries
):
    mobility = themes[2]
    response = as_admin.post(f"{base}/new", data={**GOOD, "category_id": mobility.id})
    assert response.status_code == 303 and response.location.endswith(f"{base}/")
    project = db.session.scalar(select(Project))
    assert (project.budget_id, project.component_id) == (budget.id, component.id)
    assert (project.title, project.cost, project.category_id) == (
        "Des bancs au parc",
        12_000,
        mobility.id,
    )
    assert (project.address, project.feasibility, project.selected) == (
        "Parc Pasteur",
        "feasible",
        False,
    )
    (entry,) = log_entries("budgets.add_project")
    assert (entry.user_id, entry.target_type, entry.target_id) == (
        admin_user.id,
        "budgets.project",
        project.id,
    )
    assert entry.after["cost"] == 12_000 and entry.space_id == component.space_id


def test_a_free_project_costs_nothing(as_admin, base):
    assert as_admin.post(f"{base}/new", data={**GOOD, "cost": "0"}).status_code == 303
    assert db.session.scalar(select(Project.cost)) == 0


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"cost": "-1"}, "cost", "Enter a cost of 0 or more."),
        ({"cost": "douze"}, "cost", "Enter a whole number."),
        ({"cost": ""}, "cost", "This field is required."),
        ({"title": ""}, "title", "This field is required."),
        (
            {"feasibility": "maybe"},
            "feasibility",
            "Choose one of: not_valued, feasible, not_feasible.",
        ),
        ({"category_id": "ELSEWHERE"}, "category_id", "Choose one of the proposed values."),
        (
            {"feasibility": "not_feasible"},
            "feasibility_explanation",
            "Explain why the project is not feasible: participants read it.",
        ),
        (
            {
                "feasibility": "not_feasible",
                "feasibility_explanation": "Trop cher",
                "selected": "1",
            },
            "selected",
            "A project that is not feasible cannot be put to the vote.",
        ),
    ],
)
def test_a_bad_project_is_refused_next_to_the_field_and_nothing_is_saved(
    as_admin, base, themes, log_entries, change, field, message
):
    data = {**GOOD, **change}
    if data.get("category_id") == "ELSEWHERE":
        data["category_id"] = themes[3].id
    response = as_admin.post(f"{base}/new", data=data)
    assert response.status_code == 422
    text = text_of(response)
    assert f'id="field-{field}-error">{message}' in text
    assert project_count() == 0 and log_entries("budgets.add_project") == []


def test_a_not_feasible_project_with_its_explanation_is_saved_out_of_the_vote(as_admin, base):
    data = {**GOOD, "feasibility": "not_feasible", "feasibility_explanation": "Terrain privé"}
    assert as_admin.post(f"{base}/new", data=data).status_code == 303
    project = db.session.scalar(select(Project))
    assert (project.feasibility, project.feasibility_explanation, project.selected) == (
        "not_feasible",
        "Terrain privé",
        False,
    )


# --- Editing -----------------------------------------------------------------------------------


def test_a_project_is_edited_and_the_log_keeps_what_changed(as_admin, base, budget, log_entries):
    project = add(budget, "Bancs", 10_000)
    form = {**GOOD, "title": "Bancs", "cost": "11000", "selected": "1"}
    response = as_admin.post(f"{base}/{project.id}/edit", data=form)
    assert response.status_code == 303
    assert (project.cost, project.selected, project.feasibility) == (11_000, True, "feasible")
    (entry,) = log_entries("budgets.edit_project")
    assert entry.before == {
        "cost": 10_000,
        "selected": False,
        "feasibility": "not_valued",
        "description": "",
        "address": "",
    }
    assert entry.after["cost"] == 11_000 and entry.after["selected"] is True


def test_a_project_put_to_the_vote_cannot_become_not_feasible_and_stay_in_it(
    as_admin, base, budget, log_entries
):
    project = add(budget, "Bancs", feasibility="feasible", selected=True)
    form = {
        **GOOD,
        "feasibility": "not_feasible",
        "feasibility_explanation": "Non",
        "selected": "1",
    }
    response = as_admin.post(f"{base}/{project.id}/edit", data=form)
    assert response.status_code == 422
    assert "A project that is not feasible cannot be put to the vote." in text_of(response)
    db.session.refresh(project)
    assert (project.feasibility, project.selected, project.title) == ("feasible", True, "Bancs")
    assert log_entries("budgets.edit_project") == []


def test_a_project_of_another_budget_is_not_found(as_admin, component, make_budget, base):
    other = make_budget(component, projects=[("Ailleurs", 5)], title="Autre")
    assert as_admin.get(f"{base}/{other.projects[0].id}/edit").status_code == 404


# --- Deleting ----------------------------------------------------------------------------------


def test_a_project_is_deleted_out_of_the_carts_and_logged(
    as_admin, base, budget, cast_ballot, log_entries
):
    project = add(budget, "Bancs")
    project_id = project.id
    cart = cast_ballot(budget, [project], cast=False)
    page = text_of(as_admin.get(f"{base}/{project_id}/delete"))
    assert "Delete “Bancs”?" in page and "Delete the project</button>" in page
    response = as_admin.post(f"{base}/{project_id}/delete", follow_redirects=True)
    assert "The project “Bancs” is deleted." in text_of(response)
    assert project_count() == 0
    assert db.session.scalars(select(BallotItem).where(BallotItem.ballot_id == cart.id)).all() == []
    (entry,) = log_entries("budgets.delete_project")
    assert (entry.target_id, entry.before["title"]) == (project_id, "Bancs")


def test_a_project_on_cast_ballots_is_not_deleted(as_admin, base, budget, cast_ballot, log_entries):
    project = add(budget, "Bancs", selected=True)
    cast_ballot(budget, [project])
    cast_ballot(budget, [project])
    page = text_of(as_admin.get(f"{base}/{project.id}/delete"))
    assert "This project cannot be deleted" in page and "2 cast ballots hold it." in page
    response = as_admin.post(f"{base}/{project.id}/delete", follow_redirects=True)
    assert "2 cast ballots hold this project: it cannot be deleted." in text_of(response)
    assert project_count() == 1 and log_entries("budgets.delete_project") == []


def test_a_project_with_counted_paper_votes_is_not_deleted(as_admin, base, budget):
    project = add(budget, "Bancs", selected=True)
    db.session.add(
        StationCount(budget_id=budget.id, station="Mairie", project_id=project.id, votes=4)
    )
    db.session.commit()
    response = as_admin.post(f"{base}/{project.id}/delete", follow_redirects=True)
    assert "Paper votes for this project are counted: it cannot be deleted." in text_of(response)
    assert project_count() == 1


# --- Putting projects to the vote --------------------------------------------------------------


def test_checked_projects_are_put_to_the_vote_but_not_the_unfeasible_ones(
    as_admin, base, budget, log_entries
):
    feasible = add(budget, "Bancs", feasibility="feasible")
    unvalued = add(budget, "Arbres")
    unfeasible = add(budget, "Tunnel", feasibility="not_feasible", feasibility_explanation="Non")
    form = {"action": "select", "project": [feasible.id, unvalued.id, unfeasible.id]}
    text = text_of(as_admin.post(f"{base}/vote", data=form, follow_redirects=True))
    assert "2 projects are put to the vote." in text
    assert "1 checked project is not feasible: it cannot be put to the vote." in text
    assert (feasible.selected, unvalued.selected, unfeasible.selected) == (True, True, False)
    entries = log_entries("budgets.edit_project")
    assert sorted(e.target_id for e in entries) == [feasible.id, unvalued.id]
    assert entries[0].before == {"selected": False} and entries[0].after == {"selected": True}


def test_every_feasible_project_is_put_to_the_vote_at_once(as_admin, base, budget):
    first = add(budget, "Bancs", feasibility="feasible")
    second = add(budget, "Jeux", feasibility="feasible")
    unvalued = add(budget, "Arbres")
    response = as_admin.post(f"{base}/vote", data={"action": "feasible"}, follow_redirects=True)
    assert "2 projects are put to the vote." in text_of(response)
    assert (first.selected, second.selected, unvalued.selected) == (True, True, False)


def test_checked_projects_are_taken_out_of_the_vote(as_admin, base, budget):
    project = add(budget, "Bancs", feasibility="feasible", selected=True)
    form = {"action": "withdraw", "project": [project.id]}
    response = as_admin.post(f"{base}/vote", data=form, follow_redirects=True)
    assert "1 project is no longer put to the vote." in text_of(response)
    assert project.selected is False


def test_putting_nothing_to_the_vote_asks_to_check_projects(as_admin, base, budget):
    response = as_admin.post(f"{base}/vote", data={"action": "select"}, follow_redirects=True)
    assert "Check the projects first." in text_of(response)


def test_the_list_keeps_its_filters_after_a_bulk_change(as_admin, base, budget):
    project = add(budget, "Bancs", feasibility="feasible")
    form = {"action": "select", "project": [project.id], "feasibility": "feasible"}
    response = as_admin.post(f"{base}/vote", data=form)
    assert response.status_code == 303 and response.location.endswith("?feasibility=feasible")


def test_projects_of_another_budget_are_left_alone(as_admin, component, make_budget, base):
    other = make_budget(component, projects=[("Ailleurs", 5)], title="Autre")
    stranger = other.projects[0]
    stranger.selected = False
    db.session.commit()
    as_admin.post(f"{base}/vote", data={"action": "select", "project": [stranger.id]})
    db.session.refresh(stranger)
    assert stranger.selected is False
