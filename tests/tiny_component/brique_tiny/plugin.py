"""The tiny plugin: one component type, one resource type, one CLI command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from brique.plugin_api import (
    Action,
    ComponentType,
    DemoContext,
    Plugin,
    ResourceType,
    Setting,
    hookimpl,
    refuse,
)
from brique_tiny.models import Note
from brique_tiny.schemas import TinySettings, TinyStepSettings

HERE = Path(__file__).parent


class NoteResource(ResourceType):
    name = "tiny.note"
    label = "Note"
    component_type = "tiny"
    model = Note
    commentable = reportable = followable = searchable = exportable = True

    def url(self, resource: Note) -> str:
        return url_for(
            "tiny.show",
            note_id=resource.id,
            space_slug=resource.component.space.slug,
            component_id=resource.component_id,
        )


def refuse_when_closed_by_setting(user: Any, action: str, component: Any, target: Any) -> Any:
    if component.settings.get("max_length") == 10:
        return refuse("Notes are paused by the organisers.", "limit")
    return None


class TinyPlugin(Plugin):
    name = "tiny"
    api_version = "1.0"
    template_folder = HERE / "templates"
    migrations_folder = HERE / "migrations"
    settings = (Setting("TINY_GREETING", "hello from tiny", str, "What `brique tiny hello` says."),)

    @hookimpl
    def register_component_types(self) -> list[ComponentType]:
        from brique_tiny.views import bp

        return [
            ComponentType(
                name="tiny",
                label="Tiny notes",
                description="Participants leave one short note.",
                icon="lightbulb",
                settings_schema=TinySettings,
                step_settings_schema=TinyStepSettings,
                actions={
                    "leave_note": Action("Leave a note", step_setting="notes_open"),
                    "comment": Action("Comment"),
                    "vote_comment": Action("Vote on comments"),
                },
                blueprint=bp,
                entry_endpoint="tiny.index",
                models=[Note],
                check_action=refuse_when_closed_by_setting,
                removal_warning=lambda component: "Its notes are deleted.",
            )
        ]

    @hookimpl
    def register_resource_types(self) -> list[ResourceType]:
        return [NoteResource()]

    @hookimpl
    def register_cli_commands(self, cli: click.Group) -> None:
        @cli.group("tiny")
        def tiny() -> None:
            """Commands of the tiny test component."""

        @tiny.command("hello")
        @with_appcontext
        def hello() -> None:
            """Say the TINY_GREETING setting (proves plugin commands and settings work)."""
            click.echo(current_app.config["TINY_GREETING"])

    @hookimpl
    def demo_content(self, demo: DemoContext) -> None:
        demo.add_component("tiny", "Notes", step_settings={"ideas": {"notes_open": True}})
