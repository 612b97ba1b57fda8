"""URL rules of the space administration, under ``/admin/processes``."""

from flask import Blueprint

from brique.space_admin import (
    access,
    categories,
    components,
    permissions,
    roles,
    spaces,
    steps,
    transfer_controllers,
)

bp = Blueprint("space_admin", __name__, url_prefix="/admin/processes")
bp.url_value_preprocessor(access.remember_ids)
bp.url_defaults(access.fill_ids)
bp.before_request(access.require_access)

GET_POST = ["GET", "POST"]
POST = ["POST"]
SPACE = "/<slug>"
COMPONENT = "/<slug>/components/<int:component_id>"

bp.add_url_rule("/", "index", spaces.index)
bp.add_url_rule("/new", "new", spaces.new, methods=GET_POST)
bp.add_url_rule("/import", "import_file", transfer_controllers.import_file, methods=GET_POST)

bp.add_url_rule(f"{SPACE}/", "edit", spaces.edit, methods=GET_POST)
bp.add_url_rule(f"{SPACE}/publish", "publish", spaces.publish, methods=POST)
bp.add_url_rule(f"{SPACE}/unpublish", "unpublish", spaces.unpublish, methods=POST)
bp.add_url_rule(f"{SPACE}/delete", "delete", spaces.delete, methods=GET_POST)
bp.add_url_rule(f"{SPACE}/copy", "copy", transfer_controllers.copy, methods=GET_POST)
bp.add_url_rule(f"{SPACE}/export", "export", transfer_controllers.export)

bp.add_url_rule(f"{SPACE}/steps/", "steps", steps.index)
bp.add_url_rule(f"{SPACE}/steps/new", "new_step", steps.new, methods=GET_POST)
bp.add_url_rule(f"{SPACE}/steps/<int:step_id>/", "edit_step", steps.edit, methods=GET_POST)
bp.add_url_rule(
    f"{SPACE}/steps/<int:step_id>/delete", "delete_step", steps.delete, methods=GET_POST
)
bp.add_url_rule(f"{SPACE}/steps/<int:step_id>/move", "move_step", steps.move, methods=POST)
bp.add_url_rule(f"{SPACE}/steps/<int:step_id>/pin", "pin_step", steps.pin, methods=POST)
bp.add_url_rule(f"{SPACE}/steps/<int:step_id>/unpin", "unpin_step", steps.unpin, methods=POST)

bp.add_url_rule(f"{SPACE}/components/", "components", components.index)
bp.add_url_rule(f"{SPACE}/components/new", "new_component", components.new, methods=GET_POST)
bp.add_url_rule(f"{COMPONENT}/", "edit_component", components.edit, methods=GET_POST)
bp.add_url_rule(f"{COMPONENT}/steps", "component_steps", components.step_settings)
bp.add_url_rule(
    f"{COMPONENT}/steps/<key>", "save_step_settings", components.save_step_settings, methods=POST
)
bp.add_url_rule(
    f"{COMPONENT}/permissions", "component_permissions", permissions.edit, methods=GET_POST
)
bp.add_url_rule(f"{COMPONENT}/publish", "publish_component", components.publish, methods=POST)
bp.add_url_rule(f"{COMPONENT}/unpublish", "unpublish_component", components.unpublish, methods=POST)
bp.add_url_rule(f"{COMPONENT}/move", "move_component", components.move, methods=POST)
bp.add_url_rule(f"{COMPONENT}/remove", "remove_component", components.remove, methods=GET_POST)

bp.add_url_rule(f"{SPACE}/categories/", "categories", categories.index)
bp.add_url_rule(f"{SPACE}/categories/new", "new_category", categories.new, methods=GET_POST)
bp.add_url_rule(
    f"{SPACE}/categories/<int:category_id>/", "edit_category", categories.edit, methods=GET_POST
)
bp.add_url_rule(
    f"{SPACE}/categories/<int:category_id>/delete",
    "delete_category",
    categories.delete,
    methods=GET_POST,
)

bp.add_url_rule(f"{SPACE}/roles/", "roles", roles.index)
bp.add_url_rule(f"{SPACE}/roles/add", "add_role", roles.add, methods=POST)
bp.add_url_rule(f"{SPACE}/roles/<int:role_id>/remove", "remove_role", roles.remove, methods=POST)
