"""Who reaches the admin pages of a budgets component: the process's administrators and the
platform's; participants and moderators are refused; anonymous visitors log in first."""

import pytest
from sqlalchemy import func, select

from brique_budgets.models import Budget, Project


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, projects=[("Bancs", 5_000)])


def page_urls(component, budget):
    """Every page of the admin, for one budget and one of its projects."""
    base = f"/admin/components/{component.id}"
    one, project = f"{base}/budgets/{budget.id}", budget.projects[0]
    return [
        f"{base}/",
        f"{base}/budgets/new",
        f"{one}/edit",
        f"{one}/delete",
        f"{one}/projects/",
        f"{one}/projects/new",
        f"{one}/projects/{project.id}/edit",
        f"{one}/projects/{project.id}/delete",
        f"{one}/import-proposals",
        f"{one}/import-csv",
    ]


PAGES = range(10)


def person(role, create_user, grant_role, space):
    if role == "platform admin":
        return create_user("root", admin=True)
    user = create_user(role.replace(" ", "_"))
    if role in ("space admin", "moderator", "valuator"):
        grant_role(space, user, role.replace("space ", ""))
    return user


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role, status",
    [
        ("platform admin", 200),
        ("space admin", 200),
        ("participant", 403),
        ("moderator", 403),
        ("valuator", 403),
    ],
)
def test_every_page_is_for_the_processs_administrators(
    client, login, create_user, grant_role, dummy_space, component, budget, page, role, status
):
    login(person(role, create_user, grant_role, dummy_space))
    url = page_urls(component, budget)[page]
    assert client.get(url).status_code == status


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, component, budget, page):
    url = page_urls(component, budget)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_an_administrator_of_another_process_is_refused(
    client, login, create_user, create_space, grant_role, component, budget
):
    other_admin = grant_role(create_space("Autre"), create_user("elsewhere"), "admin")
    assert login(other_admin).get(f"/admin/components/{component.id}/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "budgets/new",
        "budgets/{budget}/edit",
        "budgets/{budget}/delete",
        "budgets/{budget}/projects/new",
        "budgets/{budget}/projects/{project}/edit",
        "budgets/{budget}/projects/{project}/delete",
        "budgets/{budget}/projects/vote",
        "budgets/{budget}/import-csv",
        "budgets/{budget}/import-proposals",
    ],
)
def test_a_participant_changes_nothing(db, login, dummy_user, component, budget, path):
    project = budget.projects[0]
    url = f"/admin/components/{component.id}/" + path.format(budget=budget.id, project=project.id)
    form = {"title": "Pris", "amount": "5", "cost": "1", "feasibility": "feasible"}
    response = login(dummy_user).post(url, data={**form, "action": "feasible"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Budget)) == 1
    assert db.session.scalar(select(func.count()).select_from(Project)) == 1
    assert (budget.title, project.title) == ("Budget 2026", "Bancs")


def test_a_budget_of_another_component_is_not_found(as_admin, make_component, make_budget, budget):
    other = make_component()
    assert as_admin.get(f"/admin/components/{other.id}/budgets/{budget.id}/edit").status_code == 404
    project = budget.projects[0]
    wrong_budget = f"budgets/{budget.id + 1}/projects/{project.id}/edit"
    url = f"/admin/components/{budget.component_id}/{wrong_budget}"
    assert as_admin.get(url).status_code == 404
