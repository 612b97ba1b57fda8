"""Example of ``init_app`` and of a signal receiver: tell the press office about new processes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from brique.plugin_api import Plugin, Setting, Space, hookimpl, signals


@dataclass
class PressOffice:
    """Per-app state of the plugin, kept in ``app.extensions["press_office"]``."""

    email: str
    announced: list[str] = field(default_factory=list)


def announce(space: Space, **kwargs: Any) -> None:
    """Receiver of ``space-published``: the sender is the space."""
    office = current_app.extensions.get("press_office")
    if office is None:  # another app of this process, which does not enable the plugin
        return
    office.announced.append(space.title)
    current_app.logger.info("Told %s about %s", office.email, space.title)


class PressOfficePlugin(Plugin):
    name = "press_office"
    api_version = "1.0"
    settings = (
        Setting(
            "PRESS_OFFICE_EMAIL",
            "presse@example.org",
            str,
            "Address told about each newly published process.",
        ),
    )

    @hookimpl
    def init_app(self, app: Flask) -> None:
        app.extensions["press_office"] = PressOffice(app.config["PRESS_OFFICE_EMAIL"])
        signals.space_published.connect(announce)  # a module-level function: kept alive
