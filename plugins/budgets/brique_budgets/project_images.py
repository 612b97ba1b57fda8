"""A project's picture: checked and kept with the site's uploads, described for screen
readers, replaced or removed from the project's form."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from brique.plugin_api import remove_upload, store_image
from brique_budgets.models import Project

FOLDER = "budgets"


def read_picture(alt: str) -> tuple[str | None, dict[str, list[str]]]:
    """The stored name of the picture sent with the form (``None`` when none was sent),
    or the errors to show; a picture needs its description."""
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return None, {}
    if not alt.strip():
        return None, {"image_alt": [_("Describe the picture for people who cannot see it.")]}
    stored = store_image(upload, FOLDER)
    if isinstance(stored, tuple):
        return None, {"image": [stored[0]]}
    return stored, {}


def apply_picture(project: Project, stored: str | None, alt: str) -> str | None:
    """Give ``project`` its new picture, or remove it when asked; the name of the file that
    is no longer used (to remove after the commit)."""
    old = project.image or None
    if stored is not None:
        project.image, project.image_alt = stored, alt.strip()[:300]
        return old
    if request.form.get("remove_image"):
        project.image, project.image_alt = "", ""
        return old
    if project.image:
        project.image_alt = alt.strip()[:300] or project.image_alt
    return None


def forget(name: str | None) -> None:
    remove_upload(name, FOLDER)
