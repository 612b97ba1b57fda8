"""How the log's verbs and target types read for administrators."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

VERB_LABELS = {
    "user.register": _l("Created their account"),
    "user.confirm": _l("Confirmed their e-mail address"),
    "user.delete": _l("Deleted their account"),
    "user.authorize": _l("Was verified"),
    "user.block": _l("Blocked a person"),
    "user.unblock": _l("Unblocked a person"),
    "resource.create": _l("Created a contribution"),
    "resource.update": _l("Changed a contribution"),
    "resource.delete": _l("Deleted a contribution"),
    "space.create": _l("Created the process"),
    "space.update": _l("Changed the process information"),
    "space.publish": _l("Published the process"),
    "space.unpublish": _l("Unpublished the process"),
    "step.create": _l("Added a step"),
    "step.update": _l("Changed a step"),
    "step.pin": _l("Pinned the active step"),
    "component.add": _l("Added a component"),
    "component.publish": _l("Published a component"),
    "component.remove": _l("Removed a component"),
    "component.settings": _l("Changed a component's settings"),
    "component.step_settings": _l("Changed a component's step settings"),
    "component.permissions": _l("Changed a component's permissions"),
    "comment.create": _l("Commented"),
    "comment.update": _l("Edited a comment"),
    "comment.delete": _l("Deleted a comment"),
    "comment.vote": _l("Voted on a comment"),
    "moderation.report": _l("Reported"),
    "moderation.auto_hide": _l("Hidden after reports"),
    "moderation.hide": _l("Hid"),
    "moderation.unhide": _l("Restored"),
    "moderation.dismiss": _l("Dismissed the reports"),
    "space.delete": _l("Deleted the process"),
    "step.delete": _l("Deleted a step"),
    "step.move": _l("Moved a step"),
    "step.unpin": _l("Unpinned the active step"),
    "component.move": _l("Moved a component"),
    "component.unpublish": _l("Unpublished a component"),
    "category.create": _l("Added a category"),
    "category.update": _l("Changed a category"),
    "category.delete": _l("Deleted a category"),
    "role.grant": _l("Gave a role"),
    "role.revoke": _l("Took back a role"),
    "user.grant_admin": _l("Made a platform administrator"),
    "user.revoke_admin": _l("Removed a platform administrator"),
    "scope.create": _l("Added a territory"),
    "scope.update": _l("Changed a territory"),
    "scope.delete": _l("Deleted a territory"),
    "profile_field.create": _l("Added a profile field"),
    "profile_field.update": _l("Changed a profile field"),
    "profile_field.delete": _l("Deleted a profile field"),
    "census.import": _l("Imported the census"),
    "census.delete": _l("Deleted the census"),
    "site.branding": _l("Changed the site's branding"),
}

TYPE_LABELS = {
    "space": _l("Process"),
    "step": _l("Step"),
    "component": _l("Component"),
    "user": _l("Person"),
    "comment": _l("Comment"),
    "category": _l("Category"),
    "scope": _l("Territory"),
    "profile_field": _l("Profile field"),
    "site_settings": _l("Site"),
}


def verb_label(verb: str) -> str:
    """The verb in words: the core's, or the ``log_verbs`` label of the component type named
    before its dot; other verbs (a plugin since disabled, or one that gives no label) show
    as they are."""
    label = VERB_LABELS.get(verb)
    if label is None:
        ctype = current_app.extensions["brique"].component_types.get(verb.partition(".")[0])
        label = ctype.log_verbs.get(verb) if ctype is not None else None
    return str(label) if label is not None else verb


def type_label(type_name: str) -> str:
    """A target type in words: the core's, or a resource type's label."""
    if type_name in TYPE_LABELS:
        return str(TYPE_LABELS[type_name])
    rtype = current_app.extensions["brique"].resource_types.get(type_name)
    return str(rtype.label) if rtype is not None and rtype.label else type_name


def log_value(value: Any) -> str:
    """A value before or after a change, as an administrator reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value if value else _("(empty)")
    return json.dumps(value, ensure_ascii=False)
