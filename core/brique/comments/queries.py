"""Reading comments: the section under a resource, in a bounded number of queries.

Whatever the number of comments, a page of threads takes four queries: the counts,
the page of top-level comments, their replies and the reader's votes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from brique.comments.schemas import PREFIX, CommentSchema
from brique.comments.services import Commented
from brique.db import db
from brique.forms import FormField, form_fields
from brique.models import Comment, CommentVote, User
from brique.models.comments import AGAINST, IN_FAVOUR, NEUTRAL
from brique.moderation.visibility import comment_shown
from brique.permissions import ALLOWED, COMMENT_NEEDS, Decision, can, comment_rule
from brique.resources import ResourceType

ORDERS = {
    "best": _l("Best"),
    "newest": _l("Newest"),
    "oldest": _l("Oldest"),
    "discussed": _l("Most discussed"),
}
DEFAULT_ORDER = "best"
ORDER_BY = {
    "best": (Comment.score.desc(), Comment.upvotes.desc(), Comment.id),
    "newest": (Comment.created_at.desc(), Comment.id.desc()),
    "oldest": (Comment.created_at, Comment.id),
    "discussed": (Comment.replies_count.desc(), Comment.id),
}
#: Query arguments of the resource's page the section reads.
ORDER_ARG, PAGE_ARG, FOCUS_ARG = "comments_order", "comments_page", "comment"


@dataclass(frozen=True)
class Balance:
    """The positions of the comments on the resource: the balance of arguments."""

    in_favour: int = 0
    against: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.in_favour + self.against + self.neutral

    def percent(self, part: int) -> int:
        return round(100 * part / self.total) if self.total else 0


@dataclass
class Node:
    """A comment as shown, with its replies and what the reader may do with it."""

    comment: Comment
    my_vote: int = 0
    decisions: dict[str, Decision] = field(default_factory=dict)
    replies: list[Node] = field(default_factory=list)
    #: Replies of a top-level comment not shown on the resource's page.
    more_replies: int = 0


@dataclass
class Section:
    """Everything ``participation/_comments.html`` shows."""

    target: Commented
    count: int
    balance: Balance
    threads: list[Node]
    order: str
    page: int
    pages: int
    focus: Comment | None
    can_comment: Decision
    is_staff: bool
    fields: dict[str, FormField]

    @property
    def orders(self) -> dict[str, Any]:
        return ORDERS

    def link(self, **args: Any) -> str:
        """The resource's page with these comment arguments, e.g. ``link(order="newest")``."""
        wanted = {ORDER_ARG: args.get("order", self.order), PAGE_ARG: args.get("page", 1)}
        if wanted[PAGE_ARG] == 1:
            del wanted[PAGE_ARG]
        if wanted[ORDER_ARG] == DEFAULT_ORDER:
            del wanted[ORDER_ARG]
        query = f"?{urlencode(wanted)}" if wanted else ""
        return f"{self.target.rtype.url(self.target.resource)}{query}#comments"


def comment_section(rtype: ResourceType, resource: Any) -> Section:
    """The comments under ``resource`` for the current reader and request."""
    target = Commented(rtype, resource, rtype.component_of(resource))
    reader = current_user if current_user.is_authenticated else None
    opened = {
        "comment": can(reader, "comment", resource),
        "vote_comment": can(reader, "vote_comment", target.component),
        "view": ALLOWED,
    }
    totals = _totals(target)
    focus = _focused(target)
    pages = max(1, math.ceil(totals["top_level"] / current_app.config["COMMENTS_PER_PAGE"]))
    page = min(max(request.args.get(PAGE_ARG, 1, type=int), 1), pages)
    order = request.args.get(ORDER_ARG, DEFAULT_ORDER)
    order = order if order in ORDERS else DEFAULT_ORDER
    roots = [focus] if focus is not None else _page_of_threads(target, order, page)
    threads = _threads(roots, reader, opened, all_replies=focus is not None)
    is_staff = reader is not None and bool(can(reader, "moderate", target.component.space))
    fields = form_fields(CommentSchema(), {}, {}, PREFIX)
    return Section(
        target=target,
        count=totals["visible"],
        balance=Balance(totals["in_favour"], totals["against"], totals["neutral"]),
        threads=threads,
        order=order,
        page=page,
        pages=pages,
        focus=focus,
        can_comment=opened["comment"],
        is_staff=is_staff,
        fields={item.name.removeprefix(PREFIX): item for item in fields},
    )


def on_resource(type_name: str, resource_id: int) -> Any:
    return (Comment.resource_type == type_name) & (Comment.resource_id == resource_id)


def _totals(target: Commented) -> dict[str, int]:
    shown = comment_shown()
    top = Comment.parent_id.is_(None)

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            count(top).label("top_level"),
            count(shown).label("visible"),
            count(top & shown & (Comment.alignment == IN_FAVOUR)).label("in_favour"),
            count(top & shown & (Comment.alignment == AGAINST)).label("against"),
            count(top & shown & (Comment.alignment == NEUTRAL)).label("neutral"),
        ).where(on_resource(target.rtype.name, target.resource.id))
    ).one()
    return dict(row._mapping)


def _focused(target: Commented) -> Comment | None:
    """The thread the reader asked for with ``?comment=<id>`` (a link to one comment)."""
    wanted = request.args.get(FOCUS_ARG, type=int)
    comment = db.session.get(Comment, wanted) if wanted else None
    if comment is None or (comment.resource_type, comment.resource_id) != (
        target.rtype.name,
        target.resource.id,
    ):
        return None
    return comment if comment.root_id is None else db.session.get(Comment, comment.root_id)


def _page_of_threads(target: Commented, order: str, page: int) -> list[Comment]:
    size = current_app.config["COMMENTS_PER_PAGE"]
    statement = (
        select(Comment)
        .where(on_resource(target.rtype.name, target.resource.id), Comment.parent_id.is_(None))
        .options(joinedload(Comment.author))
        .order_by(*ORDER_BY[order])
        .limit(size)
        .offset((page - 1) * size)
    )
    return list(db.session.scalars(statement))


def _replies(root_ids: list[int], limit: int | None) -> list[Comment]:
    """Replies of these threads in the order written, the first ``limit`` of each."""
    statement = select(Comment).where(Comment.root_id.in_(root_ids))
    if limit is not None:
        numbered = (
            select(
                Comment.id,
                func.row_number()
                .over(partition_by=Comment.root_id, order_by=Comment.id)
                .label("position"),
            )
            .where(Comment.root_id.in_(root_ids))
            .subquery()
        )
        statement = statement.join(numbered, numbered.c.id == Comment.id).where(
            numbered.c.position <= limit
        )
    # By id, a reply comes after its parent: the first replies form whole branches.
    statement = statement.options(joinedload(Comment.author)).order_by(Comment.id)
    return list(db.session.scalars(statement))


def _my_votes(reader: User | None, roots: list[Comment]) -> dict[int, int]:
    if reader is None:
        return {}
    first = roots[0]
    statement = (
        select(CommentVote.comment_id, CommentVote.value)
        .join(Comment, Comment.id == CommentVote.comment_id)
        .where(
            CommentVote.user_id == reader.id, on_resource(first.resource_type, first.resource_id)
        )
    )
    return dict(db.session.execute(statement).all())


def _threads(
    roots: list[Comment], reader: User | None, opened: dict[str, Decision], all_replies: bool
) -> list[Node]:
    if not roots:
        return []
    limit = None if all_replies else current_app.config["COMMENTS_REPLIES_SHOWN"]
    replies = _replies([root.id for root in roots], limit)
    votes = _my_votes(reader, roots)

    def node(comment: Comment) -> Node:
        decisions = {
            action: comment_rule(reader, action, comment, opened[needed])
            for action, needed in COMMENT_NEEDS.items()
        }
        return Node(comment, votes.get(comment.id, 0), decisions)

    nodes = {root.id: node(root) for root in roots}
    for reply in replies:
        nodes[reply.id] = node(reply)
        parent = nodes.get(reply.parent_id) or nodes[reply.root_id]
        parent.replies.append(nodes[reply.id])
    threads = [nodes[root.id] for root in roots]
    for thread, root in zip(threads, roots, strict=True):
        thread.more_replies = max(0, root.replies_count - _size(thread) + 1)
    return threads


def _size(node: Node) -> int:
    return 1 + sum(_size(reply) for reply in node.replies)


def comment_count_of(type_name: str, id_column: Any) -> Any:
    """The number of comments a resource shows, as a SQL expression to sort or filter a
    component's own query by (counted as :func:`comment_counts` counts).

    ``select(Proposal).order_by(comment_count_of("proposals.proposal", Proposal.id).desc())``
    sorts in the database, however many resources the query keeps.
    """
    return (
        select(func.count())
        .where(
            Comment.resource_type == type_name,
            Comment.resource_id == id_column,
            comment_shown(),
        )
        .correlate_except(Comment)
        .scalar_subquery()
    )


def comment_counts(type_name: str, resource_ids: list[int]) -> dict[int, int]:
    """How many comments each resource shows, in one query: as its thread counts them,
    without the deleted ones, those hidden by moderation and those of blocked people.

    For lists of resources: ``comment_counts("proposals.proposal", [1, 2, 3])``
    returns ``{1: 4, 3: 12}`` (resources without comments are left out).
    """
    statement = (
        select(Comment.resource_id, func.count())
        .where(
            Comment.resource_type == type_name,
            Comment.resource_id.in_(resource_ids),
            comment_shown(),
        )
        .group_by(Comment.resource_id)
    )
    return dict(db.session.execute(statement).all())
