"""URL rules of public profiles: ``/people/<nickname>``."""

from flask import Blueprint

from brique.people import controllers

bp = Blueprint("people", __name__, url_prefix="/people")

bp.add_url_rule("/<nickname>", "show", controllers.show)
