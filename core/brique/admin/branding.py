"""The institution's logo: checked by content, stored under the uploads folder."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

LOGO_FOLDER = "branding"


def image_format(data: bytes) -> str | None:
    """``png``, ``jpg`` or ``webp`` from the file's first bytes, else ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def looks_like_svg(upload: FileStorage, data: bytes) -> bool:
    start = data[:512].lstrip().lower()
    return (upload.filename or "").lower().endswith(".svg") or start.startswith((b"<?xml", b"<svg"))


def read_logo(upload: FileStorage | None) -> tuple[tuple[bytes, str] | None, list[str]]:
    """The uploaded logo as ``(data, extension)``, or the reasons it is refused."""
    if upload is None or not upload.filename:
        return None, []
    data = upload.read()
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if len(data) > limit:
        megabytes = format_decimal(round(limit / 1024 / 1024, 1))
        return None, [_("The logo must be smaller than %(size)s MB.", size=megabytes)]
    if looks_like_svg(upload, data):
        return None, [
            _(
                "SVG logos are not accepted because they can carry scripts. "
                "Upload a PNG, JPEG or WebP image."
            )
        ]
    kind = image_format(data)
    if kind is None:
        return None, [_("The logo must be a PNG, JPEG or WebP image.")]
    return (data, kind), []


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_PATH"])


def store_logo(data: bytes, kind: str) -> str:
    """Write the logo under a new unguessable name; return its path relative to the uploads."""
    name = f"{LOGO_FOLDER}/logo-{secrets.token_hex(8)}.{kind}"
    path = upload_root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def remove_logo(name: str | None) -> None:
    """Delete a logo file we stored (never anything outside the branding folder)."""
    if not name or not name.startswith(f"{LOGO_FOLDER}/") or ".." in name:
        return
    (upload_root() / name).unlink(missing_ok=True)
