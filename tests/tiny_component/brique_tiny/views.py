"""Public views: the list of notes and leaving one."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brique.plugin_api import (
    can,
    component_blueprint,
    db,
    form_fields,
    load_form,
    now,
    settings_of,
    signals,
)
from brique_tiny.models import Note
from brique_tiny.schemas import NoteSchema

bp = component_blueprint("tiny", __name__)


@bp.route("/")
def index() -> str:
    notes = db.session.scalars(
        select(Note).where(Note.component_id == g.component.id).order_by(Note.id)
    ).all()
    decision = can(current_user, "leave_note", g.component)
    return render_template(
        "tiny/index.html", notes=notes, decision=decision, fields=form_fields(NoteSchema), errors={}
    )


@bp.route("/notes/<int:note_id>")
def show(note_id: int) -> str:
    note = db.session.get(Note, note_id)
    if note is None or note.component_id != g.component.id:
        abort(404)
    return render_template("tiny/show.html", note=note)


@bp.route("/notes", methods=["POST"])
def leave_note() -> object:
    decision = can(current_user, "leave_note", g.component)
    if not decision:
        abort(403, description=decision.reason)
    data, errors, raw = load_form(NoteSchema, request.form)
    limit = settings_of(g.component)["max_length"]
    if data is not None and len(data["title"]) > limit:
        data, errors = None, {"title": [f"At most {limit} characters."]}
    if data is None:
        notes = db.session.scalars(select(Note).where(Note.component_id == g.component.id)).all()
        return render_template(
            "tiny/index.html",
            notes=notes,
            decision=decision,
            errors=errors,
            fields=form_fields(NoteSchema, raw, errors),
        ), 422
    note = Note(
        component_id=g.component.id,
        author_id=current_user.id,
        title=data["title"],
        created_at=now(),
    )
    db.session.add(note)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("You already left a note.", "error")
        return redirect(url_for("tiny.index"))
    signals.resource_created.send("tiny.note", resource=note, user=current_user)
    flash("Thank you for your note.", "success")
    return redirect(url_for("tiny.index"))
