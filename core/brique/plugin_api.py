"""The stable facade for plugins: import from here and nowhere else in ``brique``.

What this module exports is the versioned contract (:data:`API_VERSION`,
semantic versioning). The core itself never imports from it.
"""

from brique import signals
from brique.actionlog.log import log_action
from brique.authorizations import AuthorizationHandler, authorization_of
from brique.blueprints import component_admin_blueprint, component_blueprint
from brique.charts import Chart, render_chart
from brique.clock import now
from brique.comments.queries import comment_count_of, comment_counts
from brique.components import Action, ComponentType, settings_of, step_settings_of
from brique.config import Setting
from brique.db import Base, UTCDateTime, db
from brique.demo import DemoContext
from brique.follows.service import follow, followers_of
from brique.forms import form_fields, load_form
from brique.jobs.queue import enqueue
from brique.jobs.registry import PeriodicJob
from brique.models import (
    Category,
    Component,
    ProfileField,
    Scope,
    Space,
    SpaceRole,
    Step,
    User,
)
from brique.moderation.visibility import hidden_ids, is_hidden
from brique.notifications.kinds import Notice, NotificationKind
from brique.opendata.tables import OpenDataTable
from brique.permissions import ALLOWED, Decision, can, refuse
from brique.plugins import API_VERSION, Plugin, hookimpl
from brique.resources import ResourceRef, ResourceType, link, linked, resource_type
from brique.search.queries import search_matches
from brique.statistics.figures import Statistic
from brique.timeline import active_step
from brique.uploads import document_kind, store_image, upload_url
from brique.uploads import remove as remove_upload

__all__ = [
    "ALLOWED",
    "API_VERSION",
    "Action",
    "AuthorizationHandler",
    "Base",
    "Category",
    "Chart",
    "Component",
    "ComponentType",
    "Decision",
    "DemoContext",
    "Notice",
    "NotificationKind",
    "OpenDataTable",
    "PeriodicJob",
    "Plugin",
    "ProfileField",
    "ResourceRef",
    "ResourceType",
    "Scope",
    "Setting",
    "Space",
    "SpaceRole",
    "Statistic",
    "Step",
    "UTCDateTime",
    "User",
    "active_step",
    "authorization_of",
    "can",
    "comment_count_of",
    "comment_counts",
    "component_admin_blueprint",
    "component_blueprint",
    "db",
    "document_kind",
    "enqueue",
    "follow",
    "followers_of",
    "form_fields",
    "hidden_ids",
    "hookimpl",
    "is_hidden",
    "link",
    "linked",
    "load_form",
    "log_action",
    "now",
    "refuse",
    "remove_upload",
    "render_chart",
    "resource_type",
    "search_matches",
    "settings_of",
    "signals",
    "step_settings_of",
    "store_image",
    "upload_url",
]
