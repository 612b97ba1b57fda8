"""Directives generating reference pages from the code, so that they are always complete.

``.. brique-settings:: [module:attribute]``
    A table of :class:`brique.config.Setting` objects (default: the core's
    ``brique.config:SETTINGS``); each row is an ``envvar`` (``BRIQUE_KEY``) and
    a ``confval`` (the ``brique.toml`` key) target.

``.. brique-cli:: [module:attribute]``
    A section per command and subcommand of a click group (default:
    ``brique.cli:cli``), with usage, arguments and options; each section is
    the label ``cli-<command path with dashes>``.

``.. brique-signals:: module``
    A ``py:data`` entry per blinker signal declared in ``module``, with its
    name and its documentation (sender and keyword arguments).

``.. brique-fixtures:: module``
    A ``fixture`` entry (role ``:fixture:``) per pytest fixture of ``module``,
    with its documentation and the fixtures it requests.

``.. literalinclude-glob:: path/*_pattern.py``
    ``literalinclude`` of the one file a pattern matches: migrations are named
    after their revision id, which changes when they are regenerated.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
from pathlib import Path
from typing import Any, ClassVar

import click
from blinker import NamedSignal
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

CODE = re.compile(r"``([^`]+)``|`([^`]+)`")


def import_object(path: str) -> Any:
    """``"package.module:attribute.sub"`` -> the object."""
    module_name, _, attributes = path.partition(":")
    found: Any = importlib.import_module(module_name)
    for attribute in filter(None, attributes.split(".")):
        found = getattr(found, attribute)
    return found


def inline(text: str) -> list[nodes.Node]:
    """Plain text where `code` or ``code`` becomes a literal; nothing else is interpreted."""
    parts: list[nodes.Node] = []
    position = 0
    for match in CODE.finditer(text):
        if match.start() > position:
            parts.append(nodes.Text(text[position : match.start()]))
        parts.append(nodes.literal(text=match.group(1) or match.group(2)))
        position = match.end()
    if position < len(text):
        parts.append(nodes.Text(text[position:]))
    return parts


def paragraphs(text: str) -> list[nodes.paragraph]:
    """Help text (click's or a setting's) as paragraphs; click's ``\\b`` markers dropped."""
    cleaned = inspect.cleandoc(text or "").replace("\b", "")
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", cleaned)]
    return [nodes.paragraph("", "", *inline(block)) for block in blocks if block]


# --- Settings -------------------------------------------------------------------------------


def type_name(converter: Any) -> str:
    names = {
        "str": "text",
        "int": "integer",
        "float": "number",
        "as_bool": "boolean",
        "as_list": "list",
    }
    name = getattr(converter, "__name__", str(converter))
    return names.get(name, name)


def default_text(value: Any) -> str:
    from brique.config import toml_value

    return "" if value is None else toml_value(value)


class SettingsDirective(SphinxDirective):
    """Render a table of settings; see the module docstring."""

    optional_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"prefix": str}

    def run(self) -> list[nodes.Node]:
        settings = import_object(self.arguments[0] if self.arguments else "brique.config:SETTINGS")
        prefix = self.options.get("prefix", "BRIQUE_")
        table = nodes.table(classes=["brique-settings", "colwidths-given"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (28, 13, 9, 50):
            group += nodes.colspec(colwidth=width)
        group += nodes.thead("", self.row(["Setting", "Default", "Type", "Description"]))
        body = nodes.tbody()
        for setting in settings:
            body += self.setting_row(setting, prefix)
        group += body
        return [table]

    def row(self, cells: list[Any]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, str):
                entry += nodes.paragraph(text=cell)
            else:
                entry.extend(cell)
            row += entry
        return row

    def setting_row(self, setting: Any, prefix: str) -> nodes.row:
        variable = f"{prefix}{setting.key}"
        node_id = nodes.make_id(f"setting-{setting.key}")
        std = self.env.get_domain("std")
        std.note_object("envvar", variable, node_id, location=self.get_location())
        std.note_object("confval", setting.key, node_id, location=self.get_location())
        key_cell = nodes.paragraph(ids=[node_id])
        key_cell += nodes.literal(text=variable)
        key_cell += nodes.Text(" (variable)")
        toml_cell = nodes.paragraph()
        toml_cell += nodes.literal(text=setting.key)
        toml_cell += nodes.Text(" (brique.toml)")
        shown = default_text(setting.default)
        default = nodes.paragraph(
            "", "", nodes.literal(text=shown) if shown else nodes.Text("none")
        )
        return self.row(
            [
                [key_cell, toml_cell],
                [default],
                type_name(setting.type),
                paragraphs(setting.description),
            ]
        )


class ComponentSettingsDirective(SettingsDirective):
    """Render a component type's marshmallow settings schema: key, label, default, help."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        schema = import_object(self.arguments[0])()
        table = nodes.table(classes=["brique-settings", "colwidths-given"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (24, 30, 12, 34):
            group += nodes.colspec(colwidth=width)
        group += nodes.thead("", self.row(["Setting", "Label", "Default", "Description"]))
        body = nodes.tbody()
        for name, field in schema.load_fields.items():
            body += self.field_row(name, field)
        group += body
        return [table]

    def field_row(self, name: str, field: Any) -> nodes.row:
        from marshmallow import validate

        default = field.load_default() if callable(field.load_default) else field.load_default
        shown = nodes.paragraph("", "", nodes.literal(text=json.dumps(default, default=str)))
        description = paragraphs(str(field.metadata.get("help", "")))
        choices = [v for v in field.validators if isinstance(v, validate.OneOf)]
        if choices:
            listed = ", ".join(f"``{choice}``" for choice in choices[0].choices)
            description.append(nodes.paragraph("", "", *inline(f"One of {listed}.")))
        return self.row(
            [
                [nodes.paragraph("", "", nodes.literal(text=name))],
                str(field.metadata.get("label", "")),
                [shown],
                description,
            ]
        )


# --- CLI ------------------------------------------------------------------------------------


def command_label(path: str) -> str:
    return "cli-" + "-".join(path.split())


class CliDirective(SphinxDirective):
    """Render a section per command of a click group; see the module docstring."""

    optional_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"prog": str}

    def run(self) -> list[nodes.Node]:
        group = import_object(self.arguments[0] if self.arguments else "brique.cli:cli")
        context = click.Context(group, info_name=self.options.get("prog", "brique"))
        return [self.section(group, context)]

    def section(self, command: click.Command, context: click.Context) -> nodes.section:
        path = context.command_path
        label = command_label(path)
        container = nodes.section(ids=[nodes.make_id(label)], names=[label])
        container += nodes.title("", "", nodes.literal(text=path))
        self.state.document.note_explicit_target(container)
        container.extend(paragraphs(command.help or command.short_help or ""))
        container += self.usage(command, context)
        container.extend(self.parameters(command, context))
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                sub = command.commands[name]
                if not sub.hidden:
                    child = click.Context(sub, info_name=name, parent=context)
                    container += self.section(sub, child)
        return container

    def usage(self, command: click.Command, context: click.Context) -> nodes.literal_block:
        pieces = " ".join(command.collect_usage_pieces(context))
        text = f"{context.command_path} {pieces}".strip()
        return nodes.literal_block(text, text, language="text")

    def parameters(self, command: click.Command, context: click.Context) -> list[nodes.Node]:
        items = nodes.definition_list()
        for param in command.get_params(context):
            if isinstance(param, click.Argument):
                term, help_text = param.human_readable_name, "Argument."
                if param.default is not None and not param.required:
                    help_text = f"Argument (default: {param.default})."
            else:
                record = param.get_help_record(context)
                if record is None or "--help" in param.opts:
                    continue
                term, help_text = record
            items += nodes.definition_list_item(
                "",
                nodes.term("", "", nodes.literal(text=term)),
                nodes.definition("", *paragraphs(help_text or "")),
            )
        return [items] if items.children else []


# --- Signals --------------------------------------------------------------------------------


def declared_signals(module: Any) -> list[tuple[str, NamedSignal]]:
    """``(attribute, signal)`` for every blinker signal a module declares, in source order."""
    return [
        (attribute, value)
        for attribute, value in vars(module).items()
        if isinstance(value, NamedSignal)
    ]


class SignalsDirective(SphinxDirective):
    """Render every signal of a module as a ``py:data`` entry; see the module docstring."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        module_name = self.arguments[0]
        module = importlib.import_module(module_name)
        lines = StringList()
        source = self.get_source_info()[0]
        for attribute, signal in declared_signals(module):
            text = [
                f".. py:data:: {module_name}.{attribute}",
                "",
                f"   Signal ``{signal.name}``.",
                "",
                *(f"   {line}" for line in inspect.cleandoc(signal.__doc__ or "").splitlines()),
                "",
            ]
            for line in text:
                lines.append(line, source)
        holder = nodes.section()
        nested_parse_with_titles(self.state, lines, holder)
        return holder.children


# --- Fixtures -------------------------------------------------------------------------------


def declared_fixtures(module: Any) -> list[tuple[str, Any]]:
    """``(name, fixture)`` for every pytest fixture a module defines, in source order."""
    return [
        (name, value)
        for name, value in vars(module).items()
        if type(value).__name__ == "FixtureFunctionDefinition"
        or hasattr(value, "_pytestfixturefunction")
    ]


class FixturesDirective(SphinxDirective):
    """Render every fixture of a module; see the module docstring."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        module = importlib.import_module(self.arguments[0])
        lines = StringList()
        source = self.get_source_info()[0]
        for name, fixture in declared_fixtures(module):
            requested = [f"``{param}``" for param in inspect.signature(fixture).parameters]
            text = [
                f".. fixture:: {name}",
                "",
                *(f"   {line}" for line in inspect.cleandoc(fixture.__doc__ or "").splitlines()),
                "",
                f"   Requests: {', '.join(requested)}." if requested else "",
                "",
            ]
            for line in text:
                lines.append(line, source)
        holder = nodes.section()
        nested_parse_with_titles(self.state, lines, holder)
        return holder.children


# --- Includes -------------------------------------------------------------------------------


class LiteralIncludeGlob(LiteralInclude):
    """``literalinclude`` of the single file matching a pattern; see the module docstring."""

    def run(self) -> list[nodes.Node]:
        pattern = self.arguments[0]
        folder = Path(self.env.doc2path(self.env.docname)).parent
        found = sorted(folder.glob(pattern))
        if len(found) != 1:
            raise self.error(f"{pattern!r} must match exactly one file, matched {len(found)}")
        self.arguments[0] = os.path.relpath(found[0], folder)
        return super().run()


def drop_type_docstring(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Data documented by autodoc shows its own text, not its type's (``str``, ``Decision``)."""
    if what == "data" and getattr(obj, "__doc__", None) == getattr(type(obj), "__doc__", None):
        lines.clear()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", drop_type_docstring)
    app.add_directive("brique-settings", SettingsDirective)
    app.add_directive("brique-cli", CliDirective)
    app.add_directive("brique-component-settings", ComponentSettingsDirective)
    app.add_directive("brique-signals", SignalsDirective)
    app.add_directive("brique-fixtures", FixturesDirective)
    app.add_directive("literalinclude-glob", LiteralIncludeGlob)
    app.add_object_type(
        "fixture", "fixture", objname="pytest fixture", indextemplate="pair: %s; pytest fixture"
    )
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
