"""Charts drawn on the server as accessible SVG: no JavaScript, readable by screen readers.

Each SVG is an image (``role="img"``) named by its ``<title>`` and summed up by
its ``<desc>``; every bar carries its label and value as visible text, dark on
white; the colours pass WCAG AA contrast. Pages show the data table of each
chart right under it (``statistics/_chart.html``), so nothing is only visual.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, gettext
from markupsafe import Markup

#: Bars in the primary blue (8.6:1 on white); text near black (16:1); grid light grey.
BAR_COLOUR = "#1f4e8c"
TEXT_COLOUR = "#1b1b1f"
GRID_COLOUR = "#767676"  # 4.5:1 on white: axes count as meaningful graphics
WIDTH = 640
LABEL_CHARACTERS = 26


@dataclass(frozen=True)
class Chart:
    """One series of ``(label, value)`` points, with what the page says about it.

    ``kind`` is ``"bars"`` (horizontal, for categories such as districts) or
    ``"columns"`` (vertical, for time). ``label_header`` and ``value_header`` head
    the columns of the data table. Columns may show ``axis_labels`` (shorter, one
    per point) under them instead of the labels the table shows.
    """

    id: str
    title: str
    points: list[tuple[str, int]]
    label_header: str
    value_header: str
    kind: str = "bars"
    axis_labels: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(value for _, value in self.points)

    @property
    def description(self) -> str:
        if not self.points:
            return gettext("No data yet.")
        label, value = max(self.points, key=lambda point: point[1])
        return gettext(
            "%(count)s values, %(total)s in all; the highest is %(label)s with %(value)s. "
            "The data table follows the chart.",
            count=len(self.points),
            total=format_decimal(self.total),
            label=label,
            value=format_decimal(value),
        )


def render_chart(chart: Chart) -> Markup:
    """The chart as inline SVG markup (user text escaped)."""
    body, height = (_columns if chart.kind == "columns" else _bars)(chart)
    return Markup(
        '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'focusable="false" font-size="13" fill="{text}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>'
    ).format(
        id=chart.id,
        width=WIDTH,
        height=height,
        text=TEXT_COLOUR,
        title=chart.title,
        desc=chart.description,
        body=body,
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _bars(chart: Chart) -> tuple[Markup, int]:
    """One row per point: the label, the bar, the value."""
    row, left, room = 28, 200, 380
    top = max([value for _, value in chart.points] + [1])
    parts = []
    for index, (label, value) in enumerate(chart.points):
        y = 8 + index * row
        width = round(room * value / top, 1)
        parts.append(
            Markup(
                '<text x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect x="{left}" y="{y}" width="{width}" height="18" fill="{colour}"/>'
                '<text x="{vx}" y="{ty}">{value}</text>'
            ).format(
                lx=left - 8,
                ty=y + 14,
                label=_short(label),
                left=left,
                y=y,
                width=width,
                colour=BAR_COLOUR,
                vx=left + width + 6,
                value=format_decimal(value),
            )
        )
    return Markup("").join(parts), 16 + row * max(len(chart.points), 1)


def _columns(chart: Chart) -> tuple[Markup, int]:
    """Columns over time, with a baseline, the top value and a few labels under them."""
    height, left, bottom, plot = 240, 48, 40, 180
    count = max(len(chart.points), 1)
    step = (WIDTH - left - 8) / count
    top = max([value for _, value in chart.points] + [1])
    parts = [_axis(left, height - bottom, plot, top)]
    labels = chart.axis_labels or tuple(label for label, _ in chart.points)
    shown = _label_positions(count)
    for index, (_, value) in enumerate(chart.points):
        x = left + index * step
        bar = round(plot * value / top, 1)
        parts.append(_column(x, step, height - bottom, bar, value, count <= 16))
        if index in shown:
            parts.append(_axis_label(labels[index], x, step, height - bottom + 18, index, count))
    return Markup("").join(parts), height


def _axis_label(label: str, x: float, step: float, y: int, index: int, count: int) -> Markup:
    """A label under a column; the first and last stay inside the chart."""
    anchor, at = "middle", x + step / 2
    if count > 1 and index == 0:
        anchor, at = "start", x
    elif count > 1 and index == count - 1:
        anchor, at = "end", x + step
    return Markup('<text x="{x}" y="{y}" text-anchor="{anchor}">{label}</text>').format(
        x=round(at, 1), y=y, anchor=anchor, label=_short(label)
    )


def _axis(left: int, base: int, plot: int, top: int) -> Markup:
    return Markup(
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{grid}"/>'
        '<text x="{lx}" y="{ty}" text-anchor="end">{top}</text>'
        '<text x="{lx}" y="{zy}" text-anchor="end">0</text>'
    ).format(
        left=left,
        right=WIDTH - 8,
        base=base,
        grid=GRID_COLOUR,
        lx=left - 6,
        ty=base - plot + 4,
        top=format_decimal(top),
        zy=base + 4,
    )


def _column(x: float, step: float, base: int, bar: float, value: int, labelled: bool) -> Markup:
    column = Markup('<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>').format(
        x=round(x + step * 0.15, 1),
        y=round(base - bar, 1),
        w=round(step * 0.7, 1),
        h=bar,
        colour=BAR_COLOUR,
    )
    if not labelled:
        return column
    return column + Markup('<text x="{x}" y="{y}" text-anchor="middle">{value}</text>').format(
        x=round(x + step / 2, 1), y=round(base - bar - 4, 1), value=format_decimal(value)
    )


def _label_positions(count: int, most: int = 6) -> set[int]:
    """Which columns get a label under them: all of few, else about ``most`` spread out."""
    if count <= most:
        return set(range(count))
    every = -(-count // most)
    # The last column is always labelled; the one before it only if it does not crowd it.
    return set(range(0, count - every + 1, every)) | {count - 1}
