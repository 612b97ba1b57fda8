"""Personal API tokens: create, list, revoke, and recognise one sent by a client.

A token is ``brq_`` followed by 43 random URL-safe characters (256 bits). Only its
SHA-256 hash is stored, so a copy of the database lets nobody act as anyone; the
participant sees the token once, when creating it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from brique.clock import now
from brique.db import db
from brique.models import ApiToken, User

#: What every token starts with: secret scanners and people recognise it.
PREFIX = "brq_"
#: Most tokens one participant may hold at once.
MAX_TOKENS = 20
#: ``last_used_at`` is written at most this often per token.
USE_RESOLUTION = timedelta(minutes=1)


class TooManyTokens(Exception):
    """The participant holds ``MAX_TOKENS`` tokens already."""


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Store a new token of ``user`` and return it with its secret (never stored)."""
    # Lock the person's row: parallel creations queue up and the limit holds.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    held = db.session.scalar(
        select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
    )
    if held >= MAX_TOKENS:
        db.session.rollback()
        raise TooManyTokens
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret), created_at=now())
    db.session.add(token)
    db.session.commit()
    return token, secret


def tokens_of(user: User) -> list[ApiToken]:
    """The participant's tokens, newest first."""
    statement = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(statement))


def revoke_token(user: User, token_id: int) -> str | None:
    """Delete the token ``token_id`` if it is ``user``'s: the name it had, or ``None``."""
    statement = (
        delete(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id)
        .returning(ApiToken.name)
    )
    name = db.session.execute(statement.execution_options(synchronize_session=False)).scalar()
    db.session.commit()
    return name


def find_token(secret: str) -> ApiToken | None:
    """The stored token matching ``secret``, with its owner, or ``None``."""
    if not secret.startswith(PREFIX):
        return None
    statement = (
        select(ApiToken)
        .where(ApiToken.token_hash == token_hash(secret))
        .options(joinedload(ApiToken.user))
    )
    return db.session.scalar(statement)


def mark_used(token: ApiToken) -> None:
    """Remember that ``token`` was used now, in a transaction of its own (at most once a
    minute), so that a refused or failed request still counts as a use."""
    moment = now()
    if token.last_used_at is not None and moment - token.last_used_at < USE_RESOLUTION:
        return
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < moment - USE_RESOLUTION),
        )
        .values(last_used_at=moment)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def revoke_all_tokens(user: User) -> int:
    """Delete every token of ``user``; how many there were. Not committed: call it in the
    transaction that changes what the tokens were trusted with.

    A token acts for its owner as long as it exists, whatever happens to their
    session: it must die with the credentials that made it. The core calls this when
    the password is changed or reset, and when the account is blocked or deleted.
    """
    result = db.session.execute(
        delete(ApiToken)
        .where(ApiToken.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def forget_tokens(sender: User, **kwargs: Any) -> None:
    """Receiver of ``user-deleted`` and ``user-blocked``: the account's tokens go. (A blocked
    account's tokens are refused anyway; unblocking it does not bring them back.)"""
    revoke_all_tokens(sender)
    db.session.commit()
