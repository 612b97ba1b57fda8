"""The account page of personal API tokens: list, create (shown once), revoke."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from brique.api import tokens
from brique.api.schemas import NewTokenSchema
from brique.extensions import limiter
from brique.forms import form_fields, load_form
from brique.users.account_security import account_limit, wrong_password
from brique.users.schemas import without_passwords


@login_required
@limiter.limit(account_limit, methods=["POST"])
def index() -> Any:
    if request.method == "GET":
        return _page({}, {})
    data, errors, values = load_form(NewTokenSchema, request.form)
    if data is not None and not current_user.check_password(data["password"]):
        errors = wrong_password("password")
    if errors:
        return _page(values, errors)
    try:
        token, secret = tokens.create_token(current_user._get_current_object(), data["name"])
    except tokens.TooManyTokens:
        message = _("You have %(max)d tokens: revoke one first.", max=tokens.MAX_TOKENS)
        return _page(values, {"name": [message]})
    # Shown in this answer only: never stored, never in a redirect or a flashed message.
    response = _page({}, {}, created=token, secret=secret)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(values: dict, errors: dict, **context: Any) -> Any:
    body = render_template(
        "api/tokens.html",
        tokens=tokens.tokens_of(current_user),
        fields=form_fields(NewTokenSchema, without_passwords(values), errors),
        errors=errors,
        **context,
    )
    return make_response(body, 422 if errors else 200)


@login_required
def revoke(token_id: int) -> Any:
    name = tokens.revoke_token(current_user._get_current_object(), token_id)
    if name is None:
        abort(404)
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=name), "success")
    return redirect(url_for("api_tokens.index"))
