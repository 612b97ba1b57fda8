"""The stable facade for plugins: import from here and nowhere else in ``brique``.

What this module exports is the versioned contract (:data:`API_VERSION`,
semantic versioning). The core itself never imports from it.
"""

from brique import signals
from brique.authorizations import AuthorizationHandler, authorization_of
from brique.blueprints import component_admin_blueprint, component_blueprint
from brique.clock import now
from brique.components import Action, ComponentType, settings_of, step_settings_of
from brique.config import Setting
from brique.db import Base, db
from brique.demo import DemoContext
from brique.forms import form_fields, load_form
from brique.models import Component, Space, Step, User
from brique.permissions import ALLOWED, Decision, can, refuse
from brique.plugins import API_VERSION, Plugin, hookimpl
from brique.resources import ResourceRef, ResourceType, link, linked, resource_type
from brique.timeline import active_step

__all__ = [
    "ALLOWED",
    "API_VERSION",
    "Action",
    "AuthorizationHandler",
    "Base",
    "Component",
    "ComponentType",
    "Decision",
    "DemoContext",
    "Plugin",
    "ResourceRef",
    "ResourceType",
    "Setting",
    "Space",
    "Step",
    "User",
    "active_step",
    "authorization_of",
    "can",
    "component_admin_blueprint",
    "component_blueprint",
    "db",
    "form_fields",
    "hookimpl",
    "link",
    "linked",
    "load_form",
    "now",
    "refuse",
    "resource_type",
    "settings_of",
    "signals",
    "step_settings_of",
]
