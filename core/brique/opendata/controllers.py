"""Downloading a space's open data."""

from __future__ import annotations

import tempfile

from flask import abort, send_file
from werkzeug.wrappers import Response

from brique.opendata.export import archive_name, is_open, write_archive
from brique.spaces.queries import space_for_page

#: Archives up to this size are built in memory, larger ones in a temporary file.
IN_MEMORY_BYTES = 8 * 1024 * 1024


def download(slug: str) -> Response:
    """The ZIP of a public space; a draft or private space is not found, even for its members."""
    space = space_for_page(slug)
    if space is None or not is_open(space):
        abort(404)
    # Not a `with` block: send_file closes the file once the response is sent.
    archive = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    write_archive(space, archive)
    archive.seek(0)
    response = send_file(
        archive, mimetype="application/zip", as_attachment=True, download_name=archive_name(space)
    )
    # Open data is the same for everyone: let caches keep it for a while.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
