"""URL rules of the administration."""

from flask import Blueprint

from brique.admin import (
    branding_controllers,
    census_controllers,
    controllers,
    navigation,
    plugin_controllers,
    profile_field_controllers,
    scope_controllers,
    user_controllers,
)
from brique.admin.labels import ROLE_LABELS

GET_POST = ["GET", "POST"]

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(controllers.require_staff)
bp.add_app_template_global(navigation.admin_menu, "admin_menu")
bp.add_app_template_global(navigation.endpoint_exists, "admin_endpoint_exists")
bp.add_app_template_global(ROLE_LABELS, "role_labels")

bp.add_url_rule("/", "dashboard", controllers.dashboard)

bp.add_url_rule("/users/", "users", user_controllers.users)
bp.add_url_rule("/users/<int:user_id>", "user", user_controllers.user)
bp.add_url_rule(
    "/users/<int:user_id>/admin", "grant_admin", user_controllers.grant_admin, methods=["POST"]
)
bp.add_url_rule(
    "/users/<int:user_id>/admin/revoke",
    "revoke_admin",
    user_controllers.revoke_admin,
    methods=["POST"],
)

bp.add_url_rule("/scopes/", "scopes", scope_controllers.scopes)
bp.add_url_rule("/scopes/new", "new_scope", scope_controllers.new_scope, methods=GET_POST)
bp.add_url_rule(
    "/scopes/<int:scope_id>", "edit_scope", scope_controllers.edit_scope, methods=GET_POST
)
bp.add_url_rule(
    "/scopes/<int:scope_id>/delete",
    "delete_scope",
    scope_controllers.delete_scope,
    methods=GET_POST,
)

bp.add_url_rule("/profile-fields/", "profile_fields", profile_field_controllers.profile_fields)
bp.add_url_rule(
    "/profile-fields/new",
    "new_profile_field",
    profile_field_controllers.new_profile_field,
    methods=GET_POST,
)
bp.add_url_rule(
    "/profile-fields/<int:field_id>",
    "edit_profile_field",
    profile_field_controllers.edit_profile_field,
    methods=GET_POST,
)
bp.add_url_rule(
    "/profile-fields/<int:field_id>/delete",
    "delete_profile_field",
    profile_field_controllers.delete_profile_field,
    methods=GET_POST,
)

bp.add_url_rule("/census", "census", census_controllers.census_view, methods=GET_POST)
bp.add_url_rule(
    "/census/delete", "delete_census", census_controllers.delete_census, methods=GET_POST
)

bp.add_url_rule("/branding", "branding", branding_controllers.branding, methods=GET_POST)
bp.add_url_rule("/plugins", "plugins", plugin_controllers.plugins)
