"""The search page."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from brique.search.queries import SearchCriteria, search, type_choices
from brique.search.schemas import read_criteria
from brique.spaces.queries import visible_spaces

UNKNOWN_SPACE = _l("Choose a process from the list.")
UNKNOWN_TYPE = _l("Choose a kind of content from the list.")


def index() -> tuple[str, int]:
    values, errors = read_criteria(request.args)
    spaces = visible_spaces(current_user)
    types = type_choices()
    space = _chosen_space(values.get("space"), spaces, errors)
    if values.get("type") and values["type"] not in dict(types):
        errors["type"] = [str(UNKNOWN_TYPE)]
        values.pop("type")
    criteria = SearchCriteria(
        query=values.get("q", ""),
        space=space,
        type=values.get("type"),
        start=values.get("start"),
        end=values.get("end"),
        sort=values.get("sort", "relevance"),
        page=request.args.get("page", 1, type=int) or 1,
    )
    page = search(current_user, criteria)
    return render_template(
        "search/index.html",
        criteria=criteria,
        page=page,
        errors=errors,
        raw=request.args,
        spaces=spaces,
        types=types,
        link_args=_link_args(request.args),
    ), 422 if errors else 200


def _chosen_space(slug: str | None, spaces: list[Any], errors: dict[str, list[str]]) -> Any:
    if not slug:
        return None
    space = next((space for space in spaces if space.slug == slug), None)
    if space is None:
        errors["space"] = [str(UNKNOWN_SPACE)]
    return space


def _link_args(args: Any) -> dict[str, str]:
    """The query string without the page, for pagination and type links."""
    names = ("q", "space", "type", "from", "to", "sort")
    return {name: args[name] for name in names if args.get(name)}
