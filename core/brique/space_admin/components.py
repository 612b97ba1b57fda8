"""Components of a space: adding, naming and setting them up, publishing, ordering, removing."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema

from brique.actionlog.log import log_action
from brique.clock import now
from brique.components import ComponentType, component_type, settings_of, step_settings_of
from brique.db import db
from brique.forms import form_fields, load_form
from brique.models import Component, Step
from brique.signals import (
    component_added,
    component_published,
    component_removed,
    settings_changed,
)
from brique.space_admin.pages import Errors, page, prefixed
from brique.space_admin.schemas import ComponentSchema

SETTINGS_PREFIX = "settings-"


def index() -> Any:
    rows = [(component, component_type(component.type)) for component in g.space.components]
    return page("space_admin/components/index.html", rows=rows)


def installed_types() -> list[ComponentType]:
    types = current_app.extensions["brique"].component_types.values()
    return sorted(types, key=lambda ctype: str(ctype.label).lower())


def type_forms(chosen: tuple[str, dict, Errors] | None = None) -> list[tuple[ComponentType, list]]:
    """Each installed type with its "name" field; ``chosen`` holds a refused submission."""
    forms = []
    for ctype in installed_types():
        values, errors = {"name": str(ctype.label)}, {}
        if chosen is not None and chosen[0] == ctype.name:
            values, errors = chosen[1], chosen[2]
        forms.append((ctype, form_fields(ComponentSchema, values, errors, f"{ctype.name}-")))
    return forms


def new() -> Any:
    if request.method == "GET":
        return page("space_admin/components/new.html", forms=type_forms())
    ctype = component_type(request.form.get("type", ""))
    if ctype is None:
        abort(400, description=_("This component type is not installed."))
    data, errors, raw = load_form(ComponentSchema, request.form, prefix=f"{ctype.name}-")
    if data is None:
        forms = type_forms((ctype.name, raw, errors))
        return page(
            "space_admin/components/new.html", prefixed(errors, f"{ctype.name}-"), forms=forms
        )
    component = add_component(ctype, data["name"])
    flash(_("“%(name)s” is added, unpublished. Set it up below.", name=component.name), "success")
    return redirect(url_for("space_admin.edit_component", component_id=component.id))


def add_component(ctype: ComponentType, name: str) -> Component:
    space = g.space
    component = Component(
        space_id=space.id,
        type=ctype.name,
        name=name,
        position=max((c.position for c in space.components), default=-1) + 1,
        settings=ctype.default_settings(),
        default_step_settings=ctype.default_step_settings(),
        step_settings={str(step.id): ctype.default_step_settings() for step in space.steps},
        permissions={},
    )
    db.session.add(component)
    db.session.flush()
    log_action(current_user, "component.add", component)
    db.session.commit()
    component_added.send(component)
    return component


def installed_type_of(component: Component) -> ComponentType:
    ctype = component_type(component.type)
    if ctype is None:
        abort(404, description=_("This component's type is not installed on this site."))
    return ctype


def edit() -> Any:
    component, ctype = g.component, installed_type_of(g.component)
    if request.method == "GET":
        values = {"name": component.name, **settings_of(component)}
        return settings_page(ctype, values, {})
    name, name_errors, name_raw = load_form(ComponentSchema, request.form)
    settings, errors, raw = load_form(ctype.settings_schema, request.form, SETTINGS_PREFIX)
    if name is None or settings is None:
        all_errors = {**name_errors, **prefixed(errors, SETTINGS_PREFIX)}
        return settings_page(ctype, {**raw, **name_raw}, all_errors)
    changed = settings != settings_of(component)
    before = {"name": component.name, **settings_of(component)}
    component.name, component.settings = name["name"], settings
    after = {**name, **settings}
    log_action(current_user, "component.settings", component, before=before, after=after)
    db.session.commit()
    if changed:
        settings_changed.send(component, part="settings")
    flash(_("The settings of “%(name)s” are saved.", name=component.name), "success")
    return redirect(url_for("space_admin.edit_component"))


def settings_page(ctype: ComponentType, values: dict[str, Any], errors: Errors) -> Any:
    settings_errors = {
        key.removeprefix(SETTINGS_PREFIX): messages
        for key, messages in errors.items()
        if key.startswith(SETTINGS_PREFIX)
    }
    return page(
        "space_admin/components/edit.html",
        errors,
        ctype=ctype,
        name_fields=form_fields(ComponentSchema, values, errors),
        settings_fields=form_fields(
            ctype.settings_schema, values, settings_errors, SETTINGS_PREFIX
        ),
    )


def step_forms(ctype: ComponentType, failed: tuple[str, dict, Errors] | None = None) -> list:
    """One form per step (or the default step settings): ``(key, step, fields, errors)``."""
    steps: list[Step | None] = list(g.space.steps) or [None]
    forms = []
    for step in steps:
        key = str(step.id) if step else "default"
        values, errors = step_settings_of(g.component, step), {}
        if failed is not None and failed[0] == key:
            values, errors = failed[1], failed[2]
        fields = form_fields(ctype.step_settings_schema, values, errors, f"step-{key}-")
        forms.append((key, step, fields, prefixed(errors, f"step-{key}-")))
    return forms


def step_settings() -> Any:
    ctype = installed_type_of(g.component)
    return page("space_admin/components/steps.html", ctype=ctype, forms=step_forms(ctype))


def save_step_settings(key: str) -> Any:
    component, ctype = g.component, installed_type_of(g.component)
    step = _step_for_key(key)
    schema: Schema = ctype.step_settings_schema()
    data, errors, raw = load_form(schema, request.form, f"step-{key}-")
    if data is None:
        forms = step_forms(ctype, (key, raw, errors))
        summary = prefixed(errors, f"step-{key}-")
        return page("space_admin/components/steps.html", summary, ctype=ctype, forms=forms)
    before = step_settings_of(component, step)
    if step is None:
        component.default_step_settings = data
    else:
        component.step_settings = {**component.step_settings, key: data}
    log_action(
        current_user, "component.step_settings", component, before={key: before}, after={key: data}
    )
    db.session.commit()
    if data != before:
        settings_changed.send(component, part="step_settings")
    if step is None:
        flash(_("The step settings are saved."), "success")
    else:
        flash(_("The settings for the step “%(title)s” are saved.", title=step.title), "success")
    return redirect(url_for("space_admin.component_steps") + f"#step-{key}")


def _step_for_key(key: str) -> Step | None:
    if key == "default" and not g.space.steps:
        return None
    step = next((step for step in g.space.steps if str(step.id) == key), None)
    if step is None:
        abort(404)
    return step


def publish() -> Any:
    component = g.component
    if not component.is_published:
        component.published_at = now()
        log_action(current_user, "component.publish", component)
        db.session.commit()
        component_published.send(component)
    flash(_("“%(name)s” is published.", name=component.name), "success")
    return redirect(url_for("space_admin.components"))


def unpublish() -> Any:
    component = g.component
    if component.is_published:
        component.published_at = None
        log_action(current_user, "component.unpublish", component)
        db.session.commit()
    flash(
        _("“%(name)s” is unpublished: participants no longer see it.", name=component.name),
        "success",
    )
    return redirect(url_for("space_admin.components"))


def move() -> Any:
    ordered = list(g.space.components)
    index = ordered.index(g.component)
    other = index - 1 if request.form.get("direction") == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        before = {"position": g.component.position}
        for position, component in enumerate(ordered):
            component.position = position
        after = {"position": g.component.position}
        log_action(current_user, "component.move", g.component, before=before, after=after)
        db.session.commit()
    return redirect(url_for("space_admin.components") + f"#component-{g.component.id}")


def removal_warning(component: Component) -> str:
    ctype = component_type(component.type)
    if ctype is not None and ctype.removal_warning is not None:
        return str(ctype.removal_warning(component))
    return _("Everything participants contributed to it is deleted.")


def remove() -> Any:
    component = g.component
    if request.method == "GET":
        return page(
            "space_admin/components/remove.html",
            ctype=component_type(component.type),
            warning=removal_warning(component),
        )
    name = component.name
    component_removed.send(component)
    db.session.delete(component)
    db.session.commit()
    flash(_("“%(name)s” and its content are removed.", name=name), "success")
    return redirect(url_for("space_admin.components"))
