"""What a resource costs and where it stands, as a resource type tells another component:
by default, the columns of the same name; nothing for a model without them."""

from types import SimpleNamespace

import pytest

from brique.resources import ResourceType, resource_type
from brique.testing import FROZEN_AT


class PlacedResource(ResourceType):
    """A resource type relying on the defaults, for a model with the usual columns."""

    name = "tests.placed"

    def url(self, resource):
        return "/"


def placed(**columns):
    return SimpleNamespace(**columns)


def test_the_defaults_read_the_columns_of_the_same_name():
    rtype = PlacedResource()
    resource = placed(
        cost=12_000, category_id=3, scope_id=7, address="Parc Pasteur", latitude=47, longitude=1.9
    )
    assert rtype.cost(resource) == 12_000
    assert (rtype.category_id(resource), rtype.scope_id(resource)) == (3, 7)
    assert rtype.address(resource) == "Parc Pasteur"
    assert rtype.location(resource) == (47.0, 1.9)
    assert all(isinstance(degrees, float) for degrees in rtype.location(resource))


@pytest.mark.parametrize(
    "columns", [{"latitude": 47.9, "longitude": None}, {"latitude": None, "longitude": 1.9}, {}]
)
def test_a_resource_is_located_only_with_both_coordinates(columns):
    assert PlacedResource().location(placed(**columns)) is None


def test_an_empty_address_is_an_empty_string():
    assert PlacedResource().address(placed(address=None)) == ""


def test_a_model_without_those_columns_has_no_cost_and_no_place(
    dummy_space, create_component, dummy_user, db
):
    from brique_tiny.models import Note

    notes = create_component(dummy_space, "tiny", name="Notes")
    note = Note(
        component_id=notes.id, author_id=dummy_user.id, title="Un banc", created_at=FROZEN_AT
    )
    db.session.add(note)
    db.session.commit()
    rtype = resource_type("tiny.note")
    assert (rtype.cost(note), rtype.category_id(note), rtype.scope_id(note)) == (None, None, None)
    assert (rtype.address(note), rtype.location(note)) == ("", None)
