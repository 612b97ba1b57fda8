"""Administration of newsletters: write, preview, send, follow the delivery."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Newsletter, Space
from brique.newsletters.audiences import (
    audience_choices,
    audience_size,
    may_manage,
    visible_newsletters,
)
from brique.newsletters.delivery import delivery_counts, start_sending
from brique.newsletters.schemas import NewsletterSchema

Errors = dict[str, list[str]]


def index() -> str:
    newsletters = visible_newsletters(current_user)
    ids = {newsletter.space_id for newsletter in newsletters if newsletter.space_id}
    spaces = {
        space.id: space for space in db.session.scalars(select(Space).where(Space.id.in_(ids)))
    }
    return render_template(
        "newsletters/index.html",
        newsletters=newsletters,
        spaces=spaces,
        may_write=bool(audience_choices(current_user)),
    )


def _schema() -> NewsletterSchema:
    choices = audience_choices(current_user)
    if not choices:
        abort(403, description=_("You administer no process, so you cannot write newsletters."))
    return NewsletterSchema(audiences=choices)


def _form(
    newsletter: Newsletter | None, values: dict[str, Any], errors: Errors | None = None
) -> Any:
    body = render_template(
        "newsletters/form.html",
        newsletter=newsletter,
        fields=form_fields(_schema(), values, errors),
        errors=errors or {},
    )
    return (body, 422) if errors else body


def new() -> Any:
    if request.method == "POST":
        return save(Newsletter(author_id=current_user.id))
    return _form(None, {"audience": request.args.get("audience", "")})


def edit(newsletter_id: int) -> Any:
    newsletter = _draft(newsletter_id)
    if request.method == "POST":
        return save(newsletter)
    audience = "platform" if newsletter.space_id is None else str(newsletter.space_id)
    values = {"audience": audience, "subject": newsletter.subject, "body": newsletter.body}
    return _form(newsletter, values)


def save(newsletter: Newsletter) -> Any:
    data, errors, raw = load_form(_schema(), request.form)
    if data is None:
        return _form(newsletter if newsletter.id else None, raw, errors)
    audience = data["audience"]
    newsletter.space_id = None if audience == "platform" else int(audience)
    newsletter.subject, newsletter.body = data["subject"].strip(), data["body"]
    db.session.add(newsletter)
    db.session.commit()
    flash(_("The newsletter is saved as a draft. Check the preview, then send it."), "success")
    return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))


def _managed(newsletter_id: int) -> Newsletter:
    newsletter = db.session.get(Newsletter, newsletter_id)
    if newsletter is None:
        abort(404)
    if not may_manage(current_user, newsletter):
        abort(403, description=_("Only the administrators of its audience manage this newsletter."))
    return newsletter


def _draft(newsletter_id: int) -> Newsletter:
    newsletter = _managed(newsletter_id)
    if newsletter.status != "draft":
        abort(403, description=_("This newsletter was sent: it cannot change any more."))
    return newsletter


def show(newsletter_id: int) -> str:
    newsletter = _managed(newsletter_id)
    return render_template(
        "newsletters/show.html",
        newsletter=newsletter,
        space=db.session.get(Space, newsletter.space_id) if newsletter.space_id else None,
        audience=audience_size(newsletter.space_id) if newsletter.status == "draft" else None,
        counts=delivery_counts(newsletter) if newsletter.status != "draft" else None,
    )


def send(newsletter_id: int) -> Any:
    newsletter = _managed(newsletter_id)
    if request.method == "GET":
        if newsletter.status != "draft":
            return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))
        return render_template(
            "newsletters/send.html",
            newsletter=newsletter,
            audience=audience_size(newsletter.space_id),
        )
    if start_sending(newsletter):
        db.session.commit()
        flash(_("The newsletter is being sent. Follow the delivery on this page."), "success")
    else:
        db.session.rollback()
        flash(_("This newsletter was already sent."), "error")
    return redirect(url_for("newsletters.show", newsletter_id=newsletter.id))


def delete(newsletter_id: int) -> Any:
    newsletter = _draft(newsletter_id)
    db.session.delete(newsletter)
    db.session.commit()
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("newsletters.index"))
