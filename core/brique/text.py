"""User and institution text made safe for pages: Markdown rendered, then sanitised."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitised HTML: no raw HTML survives; links get rel="nofollow ugc"."""
    html = _markdown.render(text or "")
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            link_rel="nofollow ugc noopener",
            url_schemes={"http", "https", "mailto"},
        )
    )
