"""A project imported from an accepted proposal keeps where the proposal stands: its
category, territory, address and location, as the proposals' resource type tells them;
never a category or territory the project form would refuse."""

import pytest
from sqlalchemy import select

from brique.plugin_api import Category, Scope, db, now
from brique_budgets.models import Project


@pytest.fixture
def budget(component, make_budget):
    return make_budget(component, 200_000)


@pytest.fixture
def accepted(dummy_space, create_component):
    """``accepted(title, **columns)``: an accepted proposal of the process, with a cost."""
    models = pytest.importorskip("brique_proposals.models")
    source = create_component(dummy_space, "proposals", name="Idées 2026")

    def make(title, **columns):
        proposal = models.Proposal(
            component_id=source.id,
            title=title,
            body="",
            status="published",
            published_at=now(),
            answer_state="accepted",
            answer_published=True,
            cost=5_000,
            **columns,
        )
        db.session.add(proposal)
        db.session.commit()
        return proposal

    make.component = source
    return make


@pytest.fixture
def city():
    """The process's territory, a district in it, and a district of another city."""
    orleans = Scope(name="Orléans", code="ORL")
    db.session.add(orleans)
    db.session.flush()
    north = Scope(name="Quartier Nord", code="NORD", parent_id=orleans.id)
    elsewhere = Scope(name="Tours Centre", code="TOURS")
    db.session.add_all([north, elsewhere])
    db.session.commit()
    return orleans, north, elsewhere


def import_all(client, component, budget, accepted, *proposals):
    url = f"/admin/components/{component.id}/budgets/{budget.id}/import-proposals"
    form = {"source": accepted.component.id, "proposal": [p.id for p in proposals]}
    assert client.post(url, data=form).status_code == 303


def imported():
    return db.session.scalars(select(Project).order_by(Project.id)).all()


def test_the_project_keeps_the_proposals_category_territory_address_and_location(
    as_admin, component, budget, accepted, city, dummy_space, log_entries
):
    orleans, north, _elsewhere = city
    dummy_space.scope_id = orleans.id
    mobility = Category(space_id=dummy_space.id, name="Mobilité")
    db.session.add(mobility)
    db.session.commit()
    benches = accepted(
        "Des bancs",
        category_id=mobility.id,
        scope_id=north.id,
        address="Parc Pasteur, Orléans",
        latitude=47.9093,
        longitude=1.9072,
    )
    import_all(as_admin, component, budget, accepted, benches)
    (project,) = imported()
    assert (project.category_id, project.scope_id) == (mobility.id, north.id)
    assert project.address == "Parc Pasteur, Orléans"
    assert (project.latitude, project.longitude) == (47.9093, 1.9072)
    (entry,) = log_entries("budgets.import_project")
    assert entry.after["category_id"] == mobility.id and entry.after["scope_id"] == north.id
    assert entry.after["address"] == "Parc Pasteur, Orléans"


def test_a_category_of_another_process_and_a_territory_outside_this_one_are_left_out(
    as_admin, component, budget, accepted, city, dummy_space, create_space
):
    orleans, _north, elsewhere = city
    dummy_space.scope_id = orleans.id
    theirs = Category(space_id=create_space("Autre démarche").id, name="Mobilité")
    db.session.add(theirs)
    db.session.commit()
    stray = accepted("Un kiosque", category_id=theirs.id, scope_id=elsewhere.id, address="Tours")
    import_all(as_admin, component, budget, accepted, stray)
    (project,) = imported()
    assert (project.category_id, project.scope_id, project.address) == (None, None, "Tours")


def test_any_territory_fits_a_process_without_one(as_admin, component, budget, accepted, city):
    _orleans, _north, elsewhere = city
    kiosk = accepted("Un kiosque", scope_id=elsewhere.id)
    import_all(as_admin, component, budget, accepted, kiosk)
    assert imported()[0].scope_id == elsewhere.id


def test_a_proposal_standing_nowhere_makes_a_project_standing_nowhere(
    as_admin, component, budget, accepted
):
    fountain = accepted("Une fontaine")
    import_all(as_admin, component, budget, accepted, fountain)
    (project,) = imported()
    assert (project.category_id, project.scope_id, project.address) == (None, None, "")
    assert (project.latitude, project.longitude) == (None, None)
