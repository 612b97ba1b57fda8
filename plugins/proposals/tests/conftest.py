"""Fixtures of the proposals tests, on top of those Brique ships (brique.testing)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def make_component(dummy_space, create_component):
    """``make_component(settings={...}, step={...})``: a proposals component whose current
    step has the ``step`` settings (creation and supports open unless told otherwise)."""

    def factory(settings: dict[str, Any] | None = None, step: dict[str, Any] | None = None):
        current = {"creation_open": True, "supports_enabled": True, **(step or {})}
        return create_component(
            dummy_space,
            "proposals",
            settings=settings or {},
            step_settings={dummy_space.steps[1]: current},
        )

    return factory


@pytest.fixture
def component(make_component):
    return make_component()


@pytest.fixture
def make_proposal(db):
    """``make_proposal(component, author, title=..., status="published")``; public ones are
    put in the search index, as publishing does."""
    from brique.plugin_api import now
    from brique.search.indexing import index_resource
    from brique_proposals.models import Proposal

    def factory(component, author=None, *, title="A bench in the park", **columns):
        columns.setdefault("status", "published")
        if columns["status"] != "draft":
            columns.setdefault("published_at", now())
        proposal = Proposal(
            component_id=component.id,
            author_id=getattr(author, "id", None),
            title=title,
            body=columns.pop("body", "Somewhere to sit in the shade."),
            **columns,
        )
        db.session.add(proposal)
        db.session.commit()
        if proposal.status != "draft":
            index_resource("proposals.proposal", proposal)
        return proposal

    return factory


@pytest.fixture
def grant_role(db):
    """``grant_role(space, user, "valuator")``: give ``user`` a role in ``space``."""
    from brique.plugin_api import SpaceRole

    def grant(space, user, role):
        db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
        db.session.commit()
        return user

    return grant
