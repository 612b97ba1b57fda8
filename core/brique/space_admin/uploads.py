"""Hero images: checked by their content, stored under ``UPLOAD_PATH`` with a random name."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

#: Where hero images go, inside UPLOAD_PATH (served by the ``spaces.upload`` route).
FOLDER = "spaces"


def image_kind(head: bytes) -> str | None:
    """The extension of a PNG, JPEG or WebP image from its first bytes, else ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def read_image(upload: FileStorage) -> tuple[bytes, str] | str:
    """The image's bytes and extension, or a message saying what is wrong with it."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        return _("The image is too large: at most %(size)s MB.", size=_megabytes(limit))
    kind = image_kind(content[:16])
    if kind is None:
        return _("Choose a PNG, JPEG or WebP image.")
    return content, kind


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_PATH"])


def store(content: bytes, extension: str) -> str:
    """Write ``content`` under a new random name; return the name relative to UPLOAD_PATH."""
    name = f"{FOLDER}/{secrets.token_urlsafe(16)}.{extension}"
    path = upload_root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name


def duplicate(name: str | None) -> str | None:
    """A copy of the stored file ``name`` under a new random name (``None`` if missing)."""
    if not name or not (upload_root() / name).is_file():
        return None
    extension = name.rsplit(".", 1)[-1]
    copy = f"{FOLDER}/{secrets.token_urlsafe(16)}.{extension}"
    shutil.copyfile(upload_root() / name, upload_root() / copy)
    return copy


def remove(name: str | None) -> None:
    """Delete a stored file; a missing file is not an error."""
    if name and name.startswith(f"{FOLDER}/"):
        (upload_root() / name).unlink(missing_ok=True)
