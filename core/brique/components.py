"""Component types: what a plugin declares so that institutions can switch it on in a space."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, current_app, g, has_request_context
from marshmallow import Schema, ValidationError

if TYPE_CHECKING:
    from brique.models import Component, Step, User
    from brique.permissions import Decision


@dataclass(frozen=True)
class Action:
    """Something participants do in a component: ``create``, ``support``, ``vote``...

    ``step_setting`` names the boolean step setting that opens the action
    (``None``: always open while the component is published).
    ``opens_message`` is shown when the action is closed now but opens in a
    later step; it receives ``%(date)s``.
    """

    label: str
    step_setting: str | None = None
    opens_message: str | None = None


@dataclass(frozen=True)
class ComponentType:
    """The declarative description of a component type, returned by a plugin's hook."""

    #: Unique name, equal to the plugin's entry-point name.
    name: str
    #: Name shown to admins ("Proposals"); a lazy translatable string.
    label: str
    #: One sentence for the admin's "add a component" list.
    description: str
    #: Marshmallow schema of the global settings; every field needs a default.
    settings_schema: type[Schema]
    #: Marshmallow schema of one step's settings; every field needs a default.
    step_settings_schema: type[Schema]
    #: The actions participants take, by name; admins set permissions per action.
    actions: Mapping[str, Action] = field(default_factory=dict)
    #: Public blueprint, mounted under ``/processes/<slug>/c/<component_id>``.
    blueprint: Blueprint | None = None
    #: Admin blueprint, mounted under ``/admin/components/<component_id>``.
    admin_blueprint: Blueprint | None = None
    #: Endpoint of the component's entry page, e.g. ``"proposals.index"``.
    entry_endpoint: str | None = None
    #: Endpoint of the component's admin page, if it has one.
    admin_endpoint: str | None = None
    #: The plugin's models, checked for the ``<name>_`` table prefix.
    models: Sequence[type] = ()
    #: Name of an icon of the core's set (``lightbulb``, ``wallet``, ``users``...).
    icon: str = "puzzle"
    #: Told to the admin before removing a component ("its 12 proposals are deleted").
    removal_warning: Callable[[Component], str] | None = None
    #: The component's own rule, asked last by ``can()``; returns a refusal or ``None``.
    check_action: Callable[[User | None, str, Component, Any], Decision | None] | None = None
    #: The verbs the component writes in the action log (see ``log_action``), each with
    #: what administrators read for it, a lazy translatable string:
    #: ``{"proposals.answer": _l("Answered a proposal")}``. Each verb starts with the
    #: component's name and a dot; a verb without a label shows as it is.
    log_verbs: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A component labels its own verbs only: the core's and other components' keep theirs.
        foreign = sorted(verb for verb in self.log_verbs if not verb.startswith(f"{self.name}."))
        if foreign:
            raise ValueError(
                f"component type {self.name!r}: its log verbs {', '.join(foreign)} must be "
                f"named '{self.name}.<action>'"
            )

    def default_settings(self) -> dict[str, Any]:
        """The global settings of a new component: the schema's defaults."""
        return self.settings_schema().load({})

    def default_step_settings(self) -> dict[str, Any]:
        """The settings of one step of a new component: the schema's defaults."""
        return self.step_settings_schema().load({})

    def load_settings(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Validate global settings; raises :class:`marshmallow.ValidationError`."""
        return self.settings_schema().load(dict(data))

    def load_step_settings(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Validate one step's settings; raises :class:`marshmallow.ValidationError`."""
        return self.step_settings_schema().load(dict(data))


def component_type(name: str) -> ComponentType | None:
    """The installed and enabled component type called ``name``."""
    return current_app.extensions["brique"].component_types.get(name)


def settings_of(component: Component) -> dict[str, Any]:
    """The component's global settings, defaults filled in."""
    ctype = component_type(component.type)
    if ctype is None:
        return dict(component.settings)
    return _load_leniently(ctype.settings_schema, component.settings)


def step_settings_of(component: Component, step: Step | None) -> dict[str, Any]:
    """The settings of ``step`` for the component, or its default step settings."""
    ctype = component_type(component.type)
    raw = component.default_step_settings
    if step is not None:
        raw = component.step_settings.get(str(step.id), {})
    if ctype is None:
        return dict(raw)
    return _load_leniently(ctype.step_settings_schema, raw)


def _load_leniently(schema: type[Schema], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The settings ``raw`` holds, loaded by ``schema``; once per request and stored dict
    (pages ask for a component's settings many times: the schema is slow to run)."""
    if not has_request_context():
        return _load(schema, raw)
    cache = g.setdefault("_brique_settings", {})
    key = (schema, id(raw))
    cached = cache.get(key)
    if cached is None or cached[0] is not raw:
        cached = cache[key] = (raw, _load(schema, raw))
    return dict(cached[1])


def _load(schema: type[Schema], raw: Mapping[str, Any]) -> dict[str, Any]:
    # Stored settings were valid when saved; a plugin upgrade may have changed
    # the schema, so fall back to defaults for what no longer validates.
    try:
        return schema().load(dict(raw))
    except ValidationError as error:
        cleaned = {key: value for key, value in raw.items() if key not in error.messages}
        return schema().load(cleaned, unknown="exclude")
