"""Carts and ballots: adding projects, checking the rules of the vote, casting, cancelling.

Every change to a ballot starts with one statement that bumps its ``version`` while it is
not cast: the database locks the row (on SQLite, the whole database) until the commit, so
parallel requests of one voter are served one after the other, and the rules are checked
on what the ballot really holds. One ballot per voter and budget, and one budget per voter
when the workflow says so, are unique constraints.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import Component, User, db, now, settings_of
from brique_budgets.ballot_rules import BallotRules, Line, problems
from brique_budgets.models import Ballot, BallotItem, Budget, Project

#: Receipt codes avoid letters and digits that read alike (0/O, 1/I/L).
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class BallotRefused(Exception):
    """A change or a checkout that cannot be made; ``reasons`` say why, to people."""

    def __init__(self, *reasons: str) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


class AlreadyCast(BallotRefused):
    """The ballot was cast meanwhile (a second click, another tab)."""


@dataclass(frozen=True)
class Cast:
    """A cast ballot and the receipt code its voter keeps."""

    ballot: Ballot
    receipt: str


def rules_of(component: Component, budget: Budget) -> BallotRules:
    return BallotRules.from_settings(settings_of(component), budget.amount)


def ballot_of(user: User, budget: Budget) -> Ballot | None:
    """``user``'s ballot (cart or cast) in ``budget``, if any."""
    return db.session.scalar(
        select(Ballot).where(Ballot.budget_id == budget.id, Ballot.user_id == user.id)
    )


def lines_of(ballot: Ballot | None) -> list[Line]:
    """What the ballot holds, in its order, with each project's cost and category."""
    if ballot is None:
        return []
    rows = db.session.execute(
        select(BallotItem, Project)
        .join(Project, Project.id == BallotItem.project_id)
        .where(BallotItem.ballot_id == ballot.id)
        .order_by(BallotItem.position, BallotItem.id)
    )
    return [
        Line(
            project.id,
            project.title,
            project.cost,
            project.category_id,
            item.points,
            project.selected,
        )
        for item, project in rows
    ]


# --- Changing the cart -----------------------------------------------------------------------


def _cart(user: User, budget: Budget) -> Ballot:
    """``user``'s ballot in ``budget``, created empty if needed, locked, not cast."""
    # Most requests find the cart there: lock it and read it in one statement.
    ballot = _locked_cart(user, budget)
    if ballot is None and ballot_of(user, budget) is None:
        try:
            with db.session.begin_nested():  # a new row is locked until the commit
                ballot = Ballot(budget_id=budget.id, component_id=budget.component_id)
                ballot.user_id = user.id
                db.session.add(ballot)
        except IntegrityError:  # a parallel request of the same voter created it
            ballot = _locked_cart(user, budget)
    if ballot is None:
        raise AlreadyCast(_("Your ballot is already cast."))
    return ballot


def _locked_cart(user: User, budget: Budget) -> Ballot | None:
    """Bump the version of ``user``'s ballot if it is not cast: the row stays locked until
    the commit, so parallel requests of one voter take their turns."""
    return db.session.scalars(
        update(Ballot)
        .where(
            Ballot.budget_id == budget.id,
            Ballot.user_id == user.id,
            Ballot.cast_at.is_(None),
        )
        .values(version=Ballot.version + 1)
        .returning(Ballot),
        execution_options={"populate_existing": True},
    ).one_or_none()


def _votable(budget: Budget, project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or project.budget_id != budget.id or not project.selected:
        raise BallotRefused(_("This project is not on the ballot."))
    return project


def add(user: User, budget: Budget, project_id: int, points: int = 1) -> Ballot:
    """Put a project in ``user``'s cart (or change its points). Not committed."""
    project = _votable(budget, project_id)
    if points < 1:
        raise BallotRefused(_("Give at least one point."))
    ballot = _cart(user, budget)
    item = db.session.scalar(
        select(BallotItem).where(
            BallotItem.ballot_id == ballot.id, BallotItem.project_id == project.id
        )
    )
    if item is None:
        last = db.session.scalar(
            select(func.max(BallotItem.position)).where(BallotItem.ballot_id == ballot.id)
        )
        item = BallotItem(ballot_id=ballot.id, project_id=project.id, position=(last or 0) + 1)
        db.session.add(item)
    item.points = points
    db.session.flush()
    return ballot


def remove(user: User, budget: Budget, project_id: int) -> Ballot:
    """Take a project out of ``user``'s cart; the ranks after it move up. Not committed."""
    ballot = _cart(user, budget)
    item = db.session.scalar(
        select(BallotItem).where(
            BallotItem.ballot_id == ballot.id, BallotItem.project_id == project_id
        )
    )
    if item is None:
        raise BallotRefused(_("This project is not in your ballot."))
    db.session.delete(item)
    db.session.flush()
    _renumber(ballot)
    return ballot


def move(user: User, budget: Budget, project_id: int, offset: int) -> Ballot:
    """Move a project up (``-1``) or down (``1``) in an ordinal ballot. Not committed."""
    ballot = _cart(user, budget)
    items = _items(ballot)
    index = next((n for n, item in enumerate(items) if item.project_id == project_id), None)
    if index is None:
        raise BallotRefused(_("This project is not in your ballot."))
    other = index + offset
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items, start=1):
            item.position = position
        db.session.flush()
    return ballot


def _items(ballot: Ballot) -> list[BallotItem]:
    return list(
        db.session.scalars(
            select(BallotItem)
            .where(BallotItem.ballot_id == ballot.id)
            .order_by(BallotItem.position, BallotItem.id)
        )
    )


def _renumber(ballot: Ballot) -> None:
    for position, item in enumerate(_items(ballot), start=1):
        item.position = position


# --- Casting ---------------------------------------------------------------------------------


def checkout(user: User, budget: Budget) -> Cast:
    """Cast ``user``'s ballot in ``budget`` if it follows the rules of the vote.

    :raises BallotRefused: with every reason the ballot does not follow them yet.
    """
    component = db.session.get(Component, budget.component_id)
    ballot = _cart(user, budget)
    lines = lines_of(ballot)
    reasons = problems(rules_of(component, budget), lines)
    if reasons:
        raise BallotRefused(*reasons)
    receipt = new_receipt()
    changes = {
        "cast_at": now(),
        "receipt_code": receipt,
        "receipt_hash": receipt_hash(receipt),
        "total_cost": sum(line.cost for line in lines),
    }
    if settings_of(component)["workflow"] != "one":
        _set(ballot, changes)
        return Cast(ballot, receipt)
    try:
        with db.session.begin_nested():  # the savepoint holds the changes, not just the flush
            _set(ballot, {**changes, "exclusive_component_id": budget.component_id})
    except IntegrityError:
        raise BallotRefused(
            _("You have already voted in another budget of this vote: one budget per person.")
        ) from None
    return Cast(ballot, receipt)


def _set(ballot: Ballot, changes: dict[str, object]) -> None:
    for name, value in changes.items():
        setattr(ballot, name, value)
    db.session.flush()


def cancel(user: User, budget: Budget) -> Ballot:
    """Turn ``user``'s cast ballot back into a cart (when ballots are not final). Not
    committed; the caller checks that the vote is open and the setting allows it."""
    ballot = ballot_of(user, budget)
    if ballot is None or ballot.cast_at is None:
        raise BallotRefused(_("You have no cast ballot to cancel."))
    cancelled = db.session.execute(
        update(Ballot)
        .where(Ballot.id == ballot.id, Ballot.cast_at.is_not(None))
        .values(
            cast_at=None,
            receipt_code=None,
            receipt_hash=None,
            exclusive_component_id=None,
            version=Ballot.version + 1,
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.expire(ballot)
    if not cancelled:
        raise BallotRefused(_("You have no cast ballot to cancel."))
    return ballot


def new_receipt() -> str:
    """A code like ``K7QX-M2PD-9RTA``: 60 bits, easy to read out and type."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[n : n + 4] for n in range(0, 12, 4))


def receipt_hash(code: str) -> str:
    """The SHA-256 the published ballots carry; spaces, dashes and case do not matter."""
    normal = "".join(char for char in code.upper() if char.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()
