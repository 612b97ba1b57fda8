"""Uploaded images (hero images, logos): checked by content, stored under ``UPLOAD_PATH``.

Files get new unguessable names inside one folder per use (``spaces``, ``branding``);
the ``spaces.upload`` route serves them.
"""

from __future__ import annotations

import io
import secrets
import shutil
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

#: Folders inside UPLOAD_PATH.
HERO_IMAGES = "spaces"
LOGOS = "branding"


def image_kind(head: bytes) -> str | None:
    """The extension of a PNG, JPEG or WebP image from its first bytes, else ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


ODT_TYPE = "application/vnd.oasis.opendocument.text"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_kind(content: bytes) -> tuple[str, str] | None:
    """The extension and media type of a PDF, JPEG, PNG, ODT or DOCX file, judged by its
    content, else ``None``.

    The name and media type a browser sends prove nothing: this reads the bytes. An
    OpenDocument text names its type in its first, uncompressed ``mimetype`` entry; a
    Word document is a ZIP archive holding ``word/document.xml``. Archives are only
    listed, never extracted. For example ``document_kind(data) == ("pdf",
    "application/pdf")``.
    """
    if content.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    image = image_kind(content[:16])
    if image in ("png", "jpg"):
        return image, "image/png" if image == "png" else "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return None


def _office_kind(content: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            first = entries[0] if entries else None
            if first is not None and first.filename == "mimetype" and first.file_size < 100:
                return ("odt", ODT_TYPE) if archive.read(first) == ODT_TYPE.encode() else None
            names = {entry.filename for entry in entries}
            if {"[Content_Types].xml", "word/document.xml"} <= names:
                return "docx", DOCX_TYPE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return None
    return None


def looks_like_svg(upload: FileStorage, head: bytes) -> bool:
    start = head[:512].lstrip().lower()
    return (upload.filename or "").lower().endswith(".svg") or start.startswith((b"<?xml", b"<svg"))


def read_image(upload: FileStorage) -> tuple[bytes, str] | str:
    """The image's bytes and extension, or a message saying what is wrong with it."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        size = format_decimal(round(limit / 1024 / 1024, 1))
        return _("The image is too large: at most %(size)s MB.", size=size)
    if looks_like_svg(upload, content):
        return _(
            "SVG images are not accepted because they can carry scripts. "
            "Upload a PNG, JPEG or WebP image."
        )
    kind = image_kind(content[:16])
    if kind is None:
        return _("Choose a PNG, JPEG or WebP image.")
    return content, kind


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_PATH"])


def store(content: bytes, extension: str, folder: str) -> str:
    """Write ``content`` under a new random name; return the name relative to UPLOAD_PATH."""
    name = f"{folder}/{secrets.token_urlsafe(16)}.{extension}"
    path = upload_root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name


def duplicate(name: str | None, folder: str) -> str | None:
    """A copy of the stored file ``name`` under a new random name (``None`` if missing)."""
    if not _ours(name, folder) or not (upload_root() / name).is_file():
        return None
    copy = f"{folder}/{secrets.token_urlsafe(16)}.{name.rsplit('.', 1)[-1]}"
    shutil.copyfile(upload_root() / name, upload_root() / copy)
    return copy


def remove(name: str | None, folder: str) -> None:
    """Delete a stored file of ``folder``; a missing file is not an error."""
    if _ours(name, folder):
        (upload_root() / name).unlink(missing_ok=True)


def _ours(name: str | None, folder: str) -> bool:
    """Only names we gave, inside ``folder``: never a path reaching elsewhere."""
    return bool(name) and name.startswith(f"{folder}/") and ".." not in name


# --- For plugins (brique.plugin_api) ---------------------------------------------------------


def store_image(upload: FileStorage, folder: str) -> str | tuple[str, None]:
    """Check an uploaded image and keep it under ``folder`` (a plugin's own, e.g.
    ``"budgets"``): its stored name, or ``(message, None)`` saying in the reader's language
    what is wrong with it (too large, not PNG/JPEG/WebP, SVG)."""
    read = read_image(upload)
    if isinstance(read, str):
        return read, None
    return store(*read, folder)


def upload_url(name: str) -> str:
    """Where browsers fetch a stored file (an image's ``src``)."""
    from flask import url_for

    return url_for("spaces.upload", filename=name)
