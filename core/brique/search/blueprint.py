"""URL rules of search; its receivers keep the index current once it is registered."""

from flask import Blueprint

from brique.search import controllers
from brique.search.indexing import connect_receivers

bp = Blueprint("search", __name__)
bp.record_once(lambda state: connect_receivers())

bp.add_url_rule("/search", "index", controllers.index)
