"""The Markdown subset of comments: what ``render_markdown`` allows, minus headings,
tables and rules, which would break the page's outline from inside a conversation."""

from __future__ import annotations

import nh3
from markupsafe import Markup

from brique.text import render_markdown

COMMENT_TAGS = {"a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul"}


def render_comment(text: str | None) -> Markup:
    """A comment's Markdown as safe HTML; links keep rel="nofollow ugc noopener"."""
    return Markup(
        nh3.clean(
            str(render_markdown(text)),
            tags=COMMENT_TAGS,
            link_rel="nofollow ugc noopener",
            url_schemes={"http", "https", "mailto"},
        )
    )
