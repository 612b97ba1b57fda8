"""URL rules of the JSON API, version 1."""

from flask import Blueprint
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from brique.api import controllers
from brique.api.pagination import BadArguments

bp = Blueprint("api", __name__, url_prefix="/api/v1")

bp.add_url_rule("/openapi.json", "openapi", controllers.openapi)
bp.add_url_rule("/spaces", "spaces", controllers.spaces)
bp.add_url_rule("/spaces/<slug>", "space", controllers.space)
bp.add_url_rule("/spaces/<slug>/steps", "space_steps", controllers.space_steps)
bp.add_url_rule("/components/<int:component_id>", "component", controllers.component)
bp.add_url_rule("/components/<int:component_id>/resources", "resources", controllers.resources)
bp.register_error_handler(BadArguments, controllers.bad_arguments)
bp.register_error_handler(HTTPException, controllers.http_error)

# Reads are public: any site may call them from a browser (no cookies are sent).
CORS(bp, methods=["GET", "HEAD", "OPTIONS"], send_wildcard=True, supports_credentials=False)
