"""Example of periodic jobs: a nightly feed of the open processes for a partner site,
and a heartbeat that a monitoring probe reads.

Nobody asks for these files: the workers (``brique jobs work``) run the jobs on
schedule, once whatever their number, and retry them if they fail.
"""

from __future__ import annotations

import json
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from brique.plugin_api import PeriodicJob, Plugin, Setting, Space, db, hookimpl, now


def folder() -> Path:
    path = Path(current_app.instance_path) / "partner_feed"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_feed(payload: dict[str, Any]) -> None:
    """Job ``partner_feed.write``, each night: the public processes, as JSON. Writing the
    same file twice does no harm (a job may be retried)."""
    spaces = db.session.scalars(
        select(Space)
        .where(Space.published_at.is_not(None), Space.is_private.is_(False))
        .order_by(Space.id)
    )
    feed = [{"slug": space.slug, "title": space.title} for space in spaces]
    (folder() / "processes.json").write_text(json.dumps(feed, ensure_ascii=False), "utf-8")


def beat(payload: dict[str, Any]) -> None:
    """Job ``partner_feed.heartbeat``: the probe alerts if this time gets old."""
    (folder() / "heartbeat").write_text(now().isoformat(), "utf-8")


class PartnerFeedPlugin(Plugin):
    name = "partner_feed"
    api_version = "1.1"
    settings = (Setting("PARTNER_FEED_HOUR", 3, int, "Hour of the night the feed is written at."),)

    @hookimpl
    def register_periodic_jobs(self, app: Flask) -> list[PeriodicJob]:
        feed_time = time(app.config["PARTNER_FEED_HOUR"])  # in the institution's timezone
        return [
            PeriodicJob("partner_feed.write", write_feed, daily_at=feed_time),
            PeriodicJob("partner_feed.heartbeat", beat, every=timedelta(minutes=10)),
        ]
