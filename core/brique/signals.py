"""Signals the core sends when something happened. Receivers take ``**kwargs``.

Plugins declare theirs in their own ``signals.py`` the same way, named
``<plugin>-<event>``.
"""

from blinker import Namespace

_signals = Namespace()

user_registered = _signals.signal(
    "user-registered",
    doc="""
A person signed up. *sender*: the :class:`~brique.plugin_api.User`.
""",
)

user_confirmed = _signals.signal(
    "user-confirmed",
    doc="""
A person confirmed their e-mail address. *sender*: the user.
""",
)

user_deleted = _signals.signal(
    "user-deleted",
    doc="""
A person deleted their account; their contributions stay, anonymised.
*sender*: the user (already anonymised).
""",
)

user_authorized = _signals.signal(
    "user-authorized",
    doc="""
A person was verified by an authorization handler. *sender*: the user;
*handler*: the handler's name.
""",
)

space_created = _signals.signal(
    "space-created",
    doc="""
An admin created a space. *sender*: the :class:`~brique.plugin_api.Space`.
""",
)

space_published = _signals.signal(
    "space-published",
    doc="""
A space became public. *sender*: the space.
""",
)

space_unpublished = _signals.signal(
    "space-unpublished",
    doc="""
A space went back to draft. *sender*: the space.
""",
)

step_activated = _signals.signal(
    "step-activated",
    doc="""
An admin pinned a step as the active one. *sender*: the :class:`~brique.plugin_api.Step`.
Steps that become active with the clock send nothing: compute the active step
with :func:`brique.plugin_api.active_step`.
""",
)

component_added = _signals.signal(
    "component-added",
    doc="""
A component was added to a space. *sender*: the :class:`~brique.plugin_api.Component`.
""",
)

component_published = _signals.signal(
    "component-published",
    doc="""
A component became visible. *sender*: the component.
""",
)

component_removed = _signals.signal(
    "component-removed",
    doc="""
A component is about to be deleted with its content. *sender*: the component.
""",
)

settings_changed = _signals.signal(
    "component-settings-changed",
    doc="""
A component's global settings, step settings or permissions changed.
*sender*: the component; *part*: ``"settings"``, ``"step_settings"`` or ``"permissions"``.
""",
)

resource_created = _signals.signal(
    "resource-created",
    doc="""
A component created a resource participants can see or will see (a proposal, a
project...). Components send it after the commit. *sender*: the resource type's name
(``"proposals.proposal"``); *resource*: the model instance; *user*: who created it
(``None`` for imports and commands). Search, follows (authors follow what they
create) and the action log listen to it.
""",
)

resource_updated = _signals.signal(
    "resource-updated",
    doc="""
A component changed a resource. Sent after the commit. *sender*: the resource type's
name; *resource*; *user*: who changed it (``None`` for commands); *changes*: a mapping
``field -> (before, after)`` of what changed (may be empty).
""",
)

resource_deleted = _signals.signal(
    "resource-deleted",
    doc="""
A component deleted a resource. Sent after the commit. *sender*: the resource type's
name; *resource_id*; *component_id*; *user*: who deleted it (``None`` for commands).
""",
)

# --- Participation services: each service declares its signals in its section. ------------------

# --- Comments -----------------------------------------------------------------------------------

# --- Moderation and action log ------------------------------------------------------------------

# --- Follows and notifications ------------------------------------------------------------------

# --- Search, open data and statistics -----------------------------------------------------------
