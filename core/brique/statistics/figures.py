"""Figures shown in public: collected from the ``space_statistics`` and ``platform_statistics``
hooks, the core's own figures first (it implements the hooks like any plugin)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import LazyString, force_locale

from brique.models import Component, Space


@dataclass(frozen=True)
class Statistic:
    """One public figure: "1,204 supports". Returned by the statistics hooks.

    ``label`` is shown next to the value: a translated text naming what is counted,
    in the plural ("Supports", "Ballots cast"). ``component`` attaches the figure to
    one component of the process; ``None`` for the whole process (or platform).
    ``key`` names the figure for programs (the API, the open data), whatever the
    language: ``"participants"``, ``"proposals.supports"``. Prefix your figures'
    keys with your plugin's name. Without one, a key is made from the label (see
    :func:`default_key`), which changes if the label does.

    .. versionchanged:: 1.1
       ``key``.
    """

    label: Any
    value: int | float
    component: Component | None = None
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", default_key(self.label, self.component))


def default_key(label: Any, component: Component | None = None) -> str:
    """The key of a figure given without one: its label in English, in lower case with
    underscores, after its component's type: ``lazy_gettext("Notes left")`` of a
    ``tiny`` component is ``"tiny.notes_left"``."""
    if isinstance(label, LazyString):
        with force_locale("en"):
            label = str(label)
    ascii_text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "figure"
    return f"{component.type}.{name}" if component is not None else name


def collected(results: list[list[Statistic] | None]) -> list[Statistic]:
    return [statistic for result in results for statistic in result or []]


def space_statistics(space: Space) -> list[Statistic]:
    """Every figure of ``space``, unpublished components' included (for its administration)."""
    hook = current_app.extensions["brique"].hook
    return collected(hook.space_statistics(space=space))


def public_statistics(space: Space) -> list[Statistic]:
    """The figures of ``space`` the public sees: none of unpublished components."""
    return [
        statistic
        for statistic in space_statistics(space)
        if statistic.component is None or statistic.component.is_published
    ]


def platform_statistics() -> list[Statistic]:
    hook = current_app.extensions["brique"].hook
    return [
        statistic
        for statistic in collected(hook.platform_statistics())
        if statistic.component is None
    ]


def by_component(
    statistics: list[Statistic],
) -> tuple[list[Statistic], list[tuple[Component, list[Statistic]]]]:
    """The figures of the whole process, then each component's figures in the component order."""
    whole = [statistic for statistic in statistics if statistic.component is None]
    grouped: dict[int, tuple[Component, list[Statistic]]] = {}
    for statistic in statistics:
        if statistic.component is not None:
            grouped.setdefault(statistic.component.id, (statistic.component, []))[1].append(
                statistic
            )
    ordered = sorted(grouped.values(), key=lambda pair: (pair[0].position, pair[0].id))
    return whole, ordered
