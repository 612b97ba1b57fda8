"""Scopes (territories) as a tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from brique.db import db
from brique.models import Scope, Space


@dataclass(frozen=True)
class ScopeRow:
    """A scope in the tree, with its depth (0 at the top) and how many spaces use it."""

    scope: Scope
    depth: int
    spaces: int = 0


def scope_tree() -> list[ScopeRow]:
    """Every scope, depth first, siblings by name; two queries whatever the size."""
    scopes = db.session.scalars(select(Scope).order_by(func.lower(Scope.name), Scope.id)).all()
    uses = dict(
        db.session.execute(
            select(Space.scope_id, func.count())
            .where(Space.scope_id.is_not(None))
            .group_by(Space.scope_id)
        ).all()
    )
    children: dict[int | None, list[Scope]] = defaultdict(list)
    for scope in scopes:
        children[scope.parent_id].append(scope)
    rows: list[ScopeRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for scope in children.get(parent_id, []):
            rows.append(ScopeRow(scope, depth, uses.get(scope.id, 0)))
            walk(scope.id, depth + 1)

    walk(None, 0)
    return rows


def descendant_ids(scope_id: int, rows: list[ScopeRow]) -> set[int]:
    """Ids of the scopes below ``scope_id`` in the tree ``rows``."""
    below: set[int] = set()
    frontier = {scope_id}
    while frontier:
        frontier = {row.scope.id for row in rows if row.scope.parent_id in frontier} - below
        below |= frontier
    return below


def parent_choices(rows: list[ScopeRow], excluded: set[int]) -> list[tuple[str, str]]:
    """Scopes a scope may be placed under, indented by depth for the select list."""
    return [
        (str(row.scope.id), "\u2014 " * row.depth + row.scope.name)
        for row in rows
        if row.scope.id not in excluded
    ]
