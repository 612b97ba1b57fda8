"""Helpers shared by the tests of the space administration (tests/test_space_admin_*.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from brique.db import db
from brique.models import SpaceRole


def give_role(user: Any, space: Any, role: str = "admin") -> Any:
    """``user`` gets ``role`` in ``space``; returns the user."""
    db.session.add(SpaceRole(space_id=space.id, user_id=user.id, role=role))
    db.session.commit()
    return user


def admin_url(space: Any, path: str = "") -> str:
    return f"/admin/processes/{space.slug}/{path}"


@contextmanager
def received(signal: Any) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    """Record ``(sender id, kwargs)`` of each time ``signal`` is sent inside the block."""
    calls: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append((getattr(sender, "id", sender), kwargs))

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


def text_of(response: Any) -> str:
    return response.get_data(as_text=True)


#: Pages in English, whatever the users' language (most messages have no French yet).
ENGLISH = {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}
