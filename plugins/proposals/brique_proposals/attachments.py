"""Files attached to proposals: checked by content, kept in the instance folder, served as
downloads, removed with their proposal.

A file is written before the commit and removed again if the transaction rolls back; a
removed attachment's file goes once the removal is committed. Both ride on the events of
the database session, so that whatever deletes attachments (a draft deleted, a component
removed) leaves no file behind and a failed request leaves no file either.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, g, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from brique.plugin_api import can, db, document_kind, is_hidden, settings_of
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import MAX_ATTACHMENTS, Attachment, Proposal
from brique_proposals.places import free_place, take_place
from brique_proposals.rules import is_author, may_edit
from brique_proposals.views import bp

#: The folder of the instance folder holding the files.
FOLDER = "attachments"
MEGABYTE = 1024 * 1024
UPLOAD_ENDPOINTS = ("proposals.new", "proposals.edit")
REMOVE_ON_COMMIT = "proposals.files_removed_on_commit"
REMOVE_ON_ROLLBACK = "proposals.files_removed_on_rollback"


@dataclass(frozen=True)
class Upload:
    """A file a participant sent, checked: what it is and what to call it."""

    content: bytes
    extension: str
    media_type: str
    filename: str


def accepts_files(component: Any) -> bool:
    return bool(settings_of(component)["attachments"])


def read_upload(component: Any, proposal: Proposal | None) -> Upload | str | None:
    """The file of the form's ``attachment`` field: checked, a message saying why it is
    refused, or ``None`` when none was sent (or the component takes no files)."""
    upload = request.files.get("attachment")
    if not accepts_files(component) or upload is None or not upload.filename:
        return None
    if proposal is not None and proposal.attachments_count >= MAX_ATTACHMENTS:
        return full_message()
    return _checked(upload, settings_of(component)["attachment_max_mb"])


def full_message() -> str:
    return ngettext(
        "A proposal holds %(num)d file at most.",
        "A proposal holds %(num)d files at most: remove one first.",
        MAX_ATTACHMENTS,
    )


def _checked(upload: FileStorage, max_mb: int) -> Upload | str:
    limit = max_mb * MEGABYTE
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        return _("The file is too large: at most %(size)d MB.", size=max_mb)
    kind = document_kind(content)
    if kind is None:
        return _("Choose a PDF, JPEG, PNG, ODT or DOCX file.")
    extension, media_type = kind
    return Upload(content, extension, media_type, download_name(upload.filename, extension))


def download_name(sent: str | None, extension: str) -> str:
    """A name to offer the file under: the one sent, without any folder, control
    characters or misleading extension."""
    name = unicodedata.normalize("NFC", (sent or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:150] or _("attachment")
    return f"{stem}.{extension}"


def store(proposal: Proposal, upload: Upload) -> Attachment | None:
    """Attach ``upload`` to ``proposal`` in the current transaction; ``None`` when the
    proposal already holds as many files as it may (a parallel request took the place)."""
    if not take_place(proposal, "attachments"):
        return None
    stored_name = f"proposals/{secrets.token_urlsafe(18)}.{upload.extension}"
    path = file_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(upload.content)
    _remember(REMOVE_ON_ROLLBACK, [path])
    attachment = Attachment(
        filename=upload.filename,
        stored_name=stored_name,
        content_type=upload.media_type,
        size=len(upload.content),
    )
    proposal.attachments.append(attachment)
    return attachment


def file_path(stored_name: str) -> Path:
    root = Path(current_app.instance_path) / FOLDER
    path = (root / stored_name).resolve()
    if root.resolve() not in path.parents:
        raise ValueError(f"attachment outside its folder: {stored_name!r}")
    return path


# --- Files follow the transaction ------------------------------------------------------------


def _remember(key: str, paths: list[Path]) -> None:
    session = db.session()
    if not session.info.get("proposals.listening"):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_rollback)
        session.info["proposals.listening"] = True
    session.info.setdefault(key, []).extend(paths)


def _after_commit(session: Session) -> None:
    _unlink(session.info.pop(REMOVE_ON_COMMIT, []))
    session.info.pop(REMOVE_ON_ROLLBACK, None)


def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.nested:
        return  # a savepoint: the request's transaction goes on
    _unlink(session.info.pop(REMOVE_ON_ROLLBACK, []))
    session.info.pop(REMOVE_ON_COMMIT, None)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def on_attachment_deleted(mapper: Any, connection: Any, attachment: Attachment) -> None:
    """Whatever deletes an attachment through the ORM, its file goes after the commit."""
    _remember(REMOVE_ON_COMMIT, [file_path(attachment.stored_name)])


def on_component_removed(component: Any, **kwargs: Any) -> None:
    """The database deletes a removed component's attachments: their files go too."""
    if getattr(component, "type", None) != "proposals":
        return
    names = db.session.scalars(
        select(Attachment.stored_name)
        .join(Proposal, Proposal.id == Attachment.proposal_id)
        .where(Proposal.component_id == component.id)
    )
    _remember(REMOVE_ON_COMMIT, [file_path(name) for name in names])


def connect_receivers() -> None:
    """Connect the receivers keeping files and rows together (once per process)."""
    from brique.plugin_api import signals

    if not event.contains(Attachment, "after_delete", on_attachment_deleted):
        event.listen(Attachment, "after_delete", on_attachment_deleted)
    signals.component_removed.connect(on_component_removed)


@bp.url_value_preprocessor
def _allow_large_files(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Forms taking a file accept a request as large as the component's largest file.

    Runs after the component is loaded and before the form is read (by the CSRF check).
    """
    component = g.get("component")
    if endpoint not in UPLOAD_ENDPOINTS or component is None or not accepts_files(component):
        return
    wanted = (settings_of(component)["attachment_max_mb"] + 1) * MEGABYTE
    current = request.max_content_length
    if current is not None and wanted > current:
        request.max_content_length = wanted


# --- Pages -----------------------------------------------------------------------------------


def _attachment(proposal_id: int, attachment_id: int) -> tuple[Proposal, Attachment]:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.proposal_id != proposal_id:
        abort(404)
    proposal = attachment.proposal
    if proposal.component_id != g.component.id:
        abort(404)
    return proposal, attachment


def may_read(user: Any, proposal: Proposal) -> bool:
    """Whether ``user`` may read ``proposal``'s files: drafts and hidden proposals only
    for their authors (and the moderators, for hidden ones)."""
    if is_author(user, proposal):
        return True
    if proposal.status == "draft":
        return False
    if is_hidden(RESOURCE_TYPE, proposal.id):
        return bool(can(user, "moderate", proposal.component.space))
    return True


@bp.route("/<int:proposal_id>/attachments/<int:attachment_id>")
def attachment(proposal_id: int, attachment_id: int) -> Any:
    proposal, found = _attachment(proposal_id, attachment_id)
    if not may_read(current_user, proposal):
        abort(404)
    path = file_path(found.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:proposal_id>/attachments/<int:attachment_id>/remove", methods=["POST"])
def remove_attachment(proposal_id: int, attachment_id: int) -> Any:
    proposal, found = _attachment(proposal_id, attachment_id)
    if not may_read(current_user, proposal):
        abort(404)
    refusal = may_edit(current_user, proposal)
    if refusal is not None:
        abort(403, description=refusal.reason)
    proposal.attachments.remove(found)
    free_place(proposal, "attachments")
    db.session.commit()
    flash(_("The file “%(name)s” is removed.", name=found.filename), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id))
