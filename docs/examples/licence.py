"""Example of ``template_slot``: the licence of contributions in every page's footer,
and the organiser's contact under a process's metadata."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from brique.plugin_api import Plugin, hookimpl

LICENCE = Markup(
    '<p class="licence">Contributions are published under the '
    '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte 2.0</a>.'
    "</p>"
)


class LicencePlugin(Plugin):
    name = "licence"
    api_version = "1.0"

    @hookimpl
    def template_slot(self, name: str, context: dict[str, Any]) -> str | None:
        if name == "footer":
            return LICENCE
        if name == "space_after_metadata" and context["space"].organiser:
            # Markup.format escapes its arguments: text typed by an admin stays text.
            return Markup("<p>Questions? Ask {}.</p>").format(context["space"].organiser)
        return None
