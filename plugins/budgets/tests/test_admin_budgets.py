"""An administrator lists, creates, edits and deletes the budgets of a component. Every
change is in the action log; a budget with cast ballots is never deleted."""

import re

import pytest
from sqlalchemy import func, select

from brique.plugin_api import Scope, Space, db
from brique_budgets.models import Ballot, Budget, Project, StationCount


def url(component, path=""):
    return f"/admin/components/{component.id}/{path}"


def budget_count():
    return db.session.scalar(select(func.count()).select_from(Budget))


def text_of(response):
    return response.get_data(as_text=True)


@pytest.fixture
def districts(dummy_space):
    """The city, the process's territory, with two districts; and a town elsewhere."""
    city = Scope(name="Orléans", code="ORL")
    north = Scope(name="Quartier Nord", code="NORD", parent=city)
    south = Scope(name="Quartier Sud", code="SUD", parent=city)
    elsewhere = Scope(name="Tours", code="TRS")
    db.session.add_all([city, north, south, elsewhere])
    db.session.flush()
    db.session.get(Space, dummy_space.id).scope_id = city.id
    db.session.commit()
    return city, north, south, elsewhere


GOOD = {"title": "Quartier Nord 2026", "description": "Des **bancs**.", "amount": "150000"}


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_budget_with_its_amount_territory_projects_and_ballots(
    as_admin, component, make_budget, districts, cast_ballot
):
    _city, north, *_ = districts
    budget = make_budget(
        component, 150_000, [("Bancs", 5_000), ("Arbres", 20_000)], title="Nord", scope_id=north.id
    )
    db.session.add(Project(budget_id=budget.id, component_id=component.id, title="X", cost=1))
    db.session.commit()
    make_budget(component, 80_000, title="Toute la ville", position=1)
    cast_ballot(budget, budget.projects[:1])
    cast_ballot(budget, budget.projects[:2])
    cast_ballot(budget, cast=False)
    text = text_of(as_admin.get(url(component)))
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", text, re.S)
    assert len(rows) == 2
    assert "Nord" in rows[0] and "150,000 €" in rows[0] and "Quartier Nord" in rows[0]
    assert "3 projects" in rows[0] and "2 put to the vote" in rows[0]
    assert "<td>2</td>" in rows[0]  # the cart is not a cast ballot
    assert "Toute la ville" in rows[1] and "Whole process" in rows[1] and "0 projects" in rows[1]


def test_a_component_without_budgets_invites_to_add_one(as_admin, component):
    text = text_of(as_admin.get(url(component)))
    assert "No budget yet." in text and "Add a budget" in text


# --- Creating ----------------------------------------------------------------------------------


def test_the_form_offers_the_territories_of_the_process(as_admin, component, districts):
    text = text_of(as_admin.get(url(component, "budgets/new")))
    assert "Orléans" in text and "Quartier Nord" in text and "Quartier Sud" in text
    assert "Tours" not in text


def test_a_budget_is_created_and_logged(as_admin, admin_user, component, districts, log_entries):
    north = districts[1]
    response = as_admin.post(
        url(component, "budgets/new"), data={**GOOD, "scope_id": north.id, "position": "2"}
    )
    budget = db.session.scalar(select(Budget))
    assert response.status_code == 303
    assert response.location.endswith(f"/budgets/{budget.id}/projects/")
    assert (budget.title, budget.description, budget.amount) == (
        GOOD["title"],
        "Des **bancs**.",
        150_000,
    )
    assert (budget.scope_id, budget.position, budget.component_id) == (north.id, 2, component.id)
    (entry,) = log_entries("budgets.add_budget")
    assert (entry.user_id, entry.target_type, entry.target_id) == (
        admin_user.id,
        "budgets.budget",
        budget.id,
    )
    assert entry.space_id == component.space_id
    assert entry.after["amount"] == 150_000 and entry.after["scope_id"] == north.id


def test_a_new_budget_comes_after_the_others(as_admin, component, make_budget):
    make_budget(component, position=4)
    text = text_of(as_admin.get(url(component, "budgets/new")))
    assert re.search(r'name="position"[^>]*value="5"', text)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"amount": "0"}, "amount", "Enter an amount above 0."),
        ({"amount": "-10"}, "amount", "Enter an amount above 0."),
        ({"amount": "12.5"}, "amount", "Enter a whole number."),
        ({"amount": "beaucoup"}, "amount", "Enter a whole number."),
        ({"amount": "99999999999"}, "amount", "Enter a smaller number."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "Enter at most 200 characters."),
        ({"scope_id": "999"}, "scope_id", "Choose one of the proposed values."),
        ({"position": "-1"}, "position", "Enter a value from 0 to 10000."),
    ],
)
def test_a_bad_budget_is_refused_next_to_the_field_and_nothing_is_saved(
    as_admin, component, log_entries, change, field, message
):
    response = as_admin.post(url(component, "budgets/new"), data={**GOOD, **change})
    assert response.status_code == 422
    text = text_of(response)
    assert f'id="field-{field}-error">{message}' in text
    assert 'aria-invalid="true"' in text and "Please correct the following:" in text
    assert budget_count() == 0 and log_entries("budgets.add_budget") == []


def test_the_form_keeps_what_was_typed_after_an_error(as_admin, component):
    response = as_admin.post(url(component, "budgets/new"), data={**GOOD, "amount": "0"})
    assert 'value="Quartier Nord 2026"' in text_of(response)


# --- Editing -----------------------------------------------------------------------------------


def test_the_edit_form_shows_the_budget(as_admin, component, make_budget):
    budget = make_budget(component, 123_456, title="Sud", description="Un texte")
    text = text_of(as_admin.get(url(component, f"budgets/{budget.id}/edit")))
    assert 'value="Sud"' in text and 'value="123456"' in text and "Un texte</textarea>" in text


def test_a_budget_is_edited_and_the_log_keeps_what_changed(
    as_admin, component, make_budget, log_entries
):
    budget = make_budget(component, 100_000, title="Sud")
    form = {"title": "Quartier Sud", "description": "", "amount": "120000", "position": "0"}
    response = as_admin.post(url(component, f"budgets/{budget.id}/edit"), data=form)
    assert response.status_code == 303
    assert (budget.title, budget.amount) == ("Quartier Sud", 120_000)
    (entry,) = log_entries("budgets.edit_budget")
    assert entry.before == {"title": "Sud", "amount": 100_000}
    assert entry.after == {"title": "Quartier Sud", "amount": 120_000}


def test_saving_an_unchanged_budget_logs_nothing(as_admin, component, make_budget, log_entries):
    budget = make_budget(component, 100_000, title="Sud")
    form = {"title": "Sud", "description": "", "amount": "100000", "position": "0"}
    assert as_admin.post(url(component, f"budgets/{budget.id}/edit"), data=form).status_code == 303
    assert log_entries("budgets.edit_budget") == []


def test_a_bad_edit_changes_nothing(as_admin, component, make_budget, log_entries):
    budget = make_budget(component, 100_000, title="Sud")
    form = {"title": "Nouveau", "amount": "0", "position": "0"}
    response = as_admin.post(url(component, f"budgets/{budget.id}/edit"), data=form)
    assert response.status_code == 422 and "Enter an amount above 0." in text_of(response)
    db.session.refresh(budget)
    assert (budget.title, budget.amount) == ("Sud", 100_000)
    assert log_entries("budgets.edit_budget") == []


def test_the_edit_form_warns_when_ballots_are_cast(as_admin, component, make_budget, cast_ballot):
    budget = make_budget(component, projects=[("Bancs", 5_000)])
    cast_ballot(budget, budget.projects)
    text = text_of(as_admin.get(url(component, f"budgets/{budget.id}/edit")))
    assert "1 ballot is cast in this budget" in text


# --- Deleting ----------------------------------------------------------------------------------


def test_the_deletion_page_tells_what_is_deleted(as_admin, component, make_budget):
    budget = make_budget(component, projects=[("Bancs", 5_000), ("Arbres", 9_000)])
    text = text_of(as_admin.get(url(component, f"budgets/{budget.id}/delete")))
    assert "Delete “Budget 2026”?" in text and "This cannot be undone." in text
    assert "2 projects" in text and "the ballots participants started but did not cast" in text
    assert "Delete the budget</button>" in text


def test_a_budget_is_deleted_with_its_projects_and_carts_and_logged(
    as_admin, component, make_budget, cast_ballot, log_entries
):
    budget = make_budget(component, projects=[("Bancs", 5_000), ("Arbres", 9_000)])
    budget_id = budget.id
    cast_ballot(budget, budget.projects, cast=False)
    response = as_admin.post(url(component, f"budgets/{budget_id}/delete"), follow_redirects=True)
    assert response.status_code == 200 and "The budget “Budget 2026” is deleted." in text_of(
        response
    )
    assert budget_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    (entry,) = log_entries("budgets.delete_budget")
    assert (entry.target_id, entry.summary) == (budget_id, "Budget 2026")
    assert entry.before["projects"] == 2 and entry.before["amount"] == 100_000


def test_a_budget_with_cast_ballots_is_not_deleted(
    as_admin, component, make_budget, cast_ballot, log_entries
):
    budget = make_budget(component, projects=[("Bancs", 5_000)])
    cast_ballot(budget, budget.projects)
    page = text_of(as_admin.get(url(component, f"budgets/{budget.id}/delete")))
    assert "This budget cannot be deleted" in page and "1 ballot is cast in it." in page
    assert "Delete the budget</button>" not in page
    response = as_admin.post(url(component, f"budgets/{budget.id}/delete"), follow_redirects=True)
    assert "1 ballot is cast in this budget: it cannot be deleted." in text_of(response)
    assert budget_count() == 1 and db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert log_entries("budgets.delete_budget") == []


def test_a_budget_with_counted_paper_votes_is_not_deleted(as_admin, component, make_budget):
    budget = make_budget(component, projects=[("Bancs", 5_000)])
    project = budget.projects[0]
    db.session.add(
        StationCount(budget_id=budget.id, station="Mairie", project_id=project.id, votes=3)
    )
    db.session.commit()
    response = as_admin.post(url(component, f"budgets/{budget.id}/delete"), follow_redirects=True)
    assert "Paper votes are counted in this budget: it cannot be deleted." in text_of(response)
    assert budget_count() == 1
