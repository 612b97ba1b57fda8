"""Example of a background job: archive each published process as JSON, out of the request.

Publishing a process must stay quick, and must not fail because the archive
cannot be written: the receiver only enqueues a job, and ``brique jobs work``
writes the file, retrying later if it fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from brique.plugin_api import Plugin, Space, db, enqueue, hookimpl, signals


def write_archive(payload: dict[str, Any]) -> None:
    """Job ``space_archive.write``. The payload holds ids, never objects: the job runs
    later, in another process. Writing the same file twice does no harm (a job may be
    retried)."""
    space = db.session.get(Space, payload["space_id"])
    if space is None:  # deleted since: nothing left to archive
        return
    folder = Path(current_app.instance_path) / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    snapshot = {"title": space.title, "steps": [step.title for step in space.steps]}
    path = folder / f"{space.slug}.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")


def archive_when_published(space: Space, **kwargs: Any) -> None:
    """Receiver of ``space-published``, sent after the publication's commit: the job is
    saved in a transaction of its own."""
    if "space_archive" not in current_app.extensions:  # an app without the plugin
        return
    enqueue("space_archive.write", {"space_id": space.id})
    db.session.commit()


class SpaceArchivePlugin(Plugin):
    name = "space_archive"
    api_version = "1.1"

    @hookimpl
    def register_job_handlers(self) -> dict[str, Any]:
        return {"space_archive.write": write_archive}

    @hookimpl
    def init_app(self, app: Flask) -> None:
        app.extensions["space_archive"] = True
        signals.space_published.connect(archive_when_published)
