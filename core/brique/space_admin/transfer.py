"""Process templates: a space's configuration as a JSON document, and new spaces made from one.

A process file holds the space's information, steps, categories and components
(settings, step settings keyed by step position, permissions), never
participants' content nor roles. Copying a space is exporting then importing it.

Nothing here reads the request: the functions need an app context only, so the
command line can reuse them. The caller commits.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from brique import uploads
from brique.clock import now
from brique.components import ComponentType, component_type, settings_of, step_settings_of
from brique.db import db
from brique.forms import translate_message
from brique.models import Category, Component, ProfileField, Scope, Space, Step
from brique.space_admin.queries import category_tree, slug_owner
from brique.space_admin.schemas import FILE_FORMAT, FILE_VERSION, ProcessFileSchema

SPACE_FIELDS = (*Space.METADATA_FIELDS, "is_private", "promoted")


class TransferError(Exception):
    """A process file cannot be used; ``messages`` say what is wrong, one per line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


# Export ------------------------------------------------------------------------------------


def export_space(space: Space) -> dict[str, Any]:
    """The space's configuration as a JSON-ready process document."""
    steps = list(space.steps)
    return {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "exported_at": now().isoformat(),
        "space": _space_document(space),
        "steps": [_step_document(step) for step in steps],
        "categories": _category_documents(space),
        "components": [_component_document(component, steps) for component in space.components],
    }


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} in a process file")


def _space_document(space: Space) -> dict[str, Any]:
    document = {name: getattr(space, name) for name in SPACE_FIELDS}
    document["scope"] = (
        {"name": space.scope.name, "code": space.scope.code} if space.scope else None
    )
    return document


def _step_document(step: Step) -> dict[str, Any]:
    return {
        "title": step.title,
        "description": step.description,
        "start_at": step.start_at,
        "end_at": step.end_at,
    }


def _category_documents(space: Space) -> list[dict[str, Any]]:
    def document(category: Category) -> dict[str, Any]:
        return {"name": category.name, "description": category.description}

    return [
        {**document(parent), "subcategories": [document(child) for child in children]}
        for parent, children in category_tree(space)
    ]


def _component_document(component: Component, steps: list[Step]) -> dict[str, Any]:
    ctype = component_type(component.type)
    by_position = {
        str(position): step_settings_of(component, step) for position, step in enumerate(steps)
    }
    document = {
        "type": component.type,
        "name": component.name,
        "settings": settings_of(component),
        "default_step_settings": step_settings_of(component, None),
        "step_settings": by_position,
        "permissions": component.permissions,
    }
    if ctype is not None:
        document["settings"] = ctype.settings_schema().dump(document["settings"])
        dump = ctype.step_settings_schema().dump
        document["default_step_settings"] = dump(document["default_step_settings"])
        document["step_settings"] = {key: dump(values) for key, values in by_position.items()}
    return document


# Reading a file ----------------------------------------------------------------------------


def parse_file(content: bytes) -> Any:
    """The JSON document in an uploaded file, unchecked; raises :class:`TransferError`."""
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TransferError([_("This file is not a JSON process file.")]) from None


def load_document(document: Any) -> dict[str, Any]:
    """The validated content of a process document; raises :class:`TransferError`."""
    if not isinstance(document, dict):
        raise TransferError([_("This file is not a JSON process file.")])
    try:
        data = ProcessFileSchema().load(document)
    except ValidationError as error:
        raise TransferError(flatten(error.messages)) from None
    messages = _overlaps(data["steps"])
    for number, component in enumerate(data["components"], start=1):
        messages += _check_component(component, number, len(data["steps"]))
    if messages:
        raise TransferError(messages)
    return data


def flatten(messages: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Marshmallow's nested messages as readable lines: "steps / #2 / end_at: ..."."""
    if isinstance(messages, dict):
        return [
            line
            for key, value in messages.items()
            for line in flatten(value, (*path, f"#{key + 1}" if isinstance(key, int) else key))
        ]
    if isinstance(messages, list | tuple):
        return [line for message in messages for line in flatten(message, path)]
    where = " / ".join(part for part in path if part != "_schema")
    text = translate_message(str(messages))
    return [f"{where}: {text}" if where else text]


def _overlaps(steps: list[dict[str, Any]]) -> list[str]:
    ordered = sorted(steps, key=lambda step: step["start_at"])
    return [
        _("The steps “%(first)s” and “%(second)s” overlap.", first=a["title"], second=b["title"])
        for a, b in itertools.pairwise(ordered)
        if b["start_at"] < a["end_at"]
    ]


def _check_component(component: dict[str, Any], number: int, steps: int) -> list[str]:
    where = _("Component %(number)s (“%(name)s”)", number=number, name=component["name"])
    ctype = component_type(component["type"])
    if ctype is None:
        message = _(
            "the component type “%(type)s” is not installed on this site.",
            type=component["type"],
        )
        return [f"{where}: {message}"]
    try:
        _load_component_settings(ctype, component, steps)
    except ValidationError as error:
        return flatten(error.messages, (where,))
    return [f"{where}: {message}" for message in _permission_problems(ctype, component)]


def _load_component_settings(ctype: ComponentType, component: dict, steps: int) -> None:
    """Validate, in place, the settings through the type's own schemas."""
    errors: dict[str, Any] = {}
    for part, load in (
        ("settings", ctype.load_settings),
        ("default_step_settings", ctype.load_step_settings),
    ):
        try:
            component[part] = load(component[part])
        except ValidationError as error:
            errors[part] = error.messages
    component["step_settings"], step_errors = _load_step_settings(ctype, component, steps)
    if step_errors:
        errors["step_settings"] = step_errors
    if errors:
        raise ValidationError(errors)


def _load_step_settings(ctype: ComponentType, component: dict, steps: int) -> tuple[dict, dict]:
    loaded, errors = {}, {}
    for key, values in component["step_settings"].items():
        if not key.isdigit() or int(key) >= steps:
            errors[key] = [_("The file has no such step.")]
            continue
        try:
            loaded[key] = ctype.load_step_settings(values)
        except ValidationError as error:
            errors[key] = error.messages
    return loaded, errors


def _permission_problems(ctype: ComponentType, component: dict[str, Any]) -> list[str]:
    profile_fields = set(db.session.scalars(select(ProfileField.key)))
    problems = []
    for action, requirements in component["permissions"].items():
        if action not in ctype.actions:
            problems.append(_("the action “%(action)s” does not exist.", action=action))
            continue
        problems += _handler_problems(action, requirements)
        unknown = sorted(set(requirements["profile_fields"]) - profile_fields)
        if unknown:
            problems.append(
                _("the profile fields %(keys)s do not exist on this site.", keys=", ".join(unknown))
            )
    return problems


def _handler_problems(action: str, requirements: dict[str, Any]) -> list[str]:
    """Check, and load in place, each required handler's options."""
    handlers = current_app.extensions["brique"].authorization_handlers
    problems = []
    for name, options in requirements["handlers"].items():
        handler = handlers.get(name)
        if handler is None:
            problems.append(_("the verification “%(name)s” is not installed.", name=name))
        elif handler.options_schema is not None:
            try:
                requirements["handlers"][name] = handler.options_schema().load(options)
            except ValidationError as error:
                problems += flatten(error.messages, (action, name))
    return problems


# Creating a space --------------------------------------------------------------------------


def import_space(document: Any, *, slug: str, title: str | None = None) -> Space:
    """A new unpublished space made from a process document; raises :class:`TransferError`."""
    data = load_document(document)
    if slug_owner(slug) is not None:
        raise TransferError([_("Another process already uses the address “%(slug)s”.", slug=slug)])
    space = _new_space(data["space"], slug, title)
    steps = [Step(position=position, **step) for position, step in enumerate(data["steps"])]
    space.steps = steps
    space.categories = _new_categories(data["categories"])
    db.session.add(space)
    db.session.flush()  # the steps' ids key the components' step settings
    for position, component in enumerate(data["components"]):
        db.session.add(_new_component(component, position, space, steps))
    db.session.flush()
    return space


def _new_space(info: dict[str, Any], slug: str, title: str | None) -> Space:
    scope = _scope_named(info.get("scope"))
    fields = {name: info[name] for name in SPACE_FIELDS}
    fields["title"] = title or fields["title"]
    return Space(slug=slug, scope_id=scope.id if scope else None, published_at=None, **fields)


def _scope_named(reference: dict[str, str] | None) -> Scope | None:
    if not reference:
        return None
    column, value = (
        (Scope.code, reference["code"])
        if reference["code"]
        else (
            Scope.name,
            reference["name"],
        )
    )
    return db.session.scalars(select(Scope).where(column == value).limit(1)).first()


def _new_categories(documents: list[dict[str, Any]]) -> list[Category]:
    categories = []
    for document in documents:
        parent = Category(name=document["name"], description=document["description"])
        children = [Category(parent=parent, **child) for child in document["subcategories"]]
        categories += [parent, *children]
    return categories


def _new_component(
    document: dict[str, Any], position: int, space: Space, steps: list[Step]
) -> Component:
    return Component(
        space_id=space.id,
        type=document["type"],
        name=document["name"],
        position=position,
        settings=document["settings"],
        default_step_settings=document["default_step_settings"],
        step_settings={
            str(steps[int(key)].id): values for key, values in document["step_settings"].items()
        },
        permissions=document["permissions"],
        published_at=None,
    )


def copy_space(space: Space, *, slug: str, title: str) -> Space:
    """A new unpublished space with ``space``'s configuration; no content, no roles."""
    document = json.loads(dumps(export_space(space)))
    copy = import_space(document, slug=slug, title=title)
    copy.scope_id = space.scope_id
    copy.hero_image = uploads.duplicate(space.hero_image, uploads.HERO_IMAGES)
    return copy
