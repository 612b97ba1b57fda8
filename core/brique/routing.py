"""URL rules whose builders are compiled when first used, not when the app starts."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A werkzeug rule that compiles its URL builder (Python code generated per rule) on the
    first ``url_for`` that needs it.

    Werkzeug compiles two builders per rule when the app starts; with a few hundred rules that
    is most of ``create_app``'s time, though a worker builds URLs for few of them. The URLs are
    the same: only the moment of compiling moves.
    """

    def _compile_builder(self, append_unknown: bool = True) -> Any:
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_then_keep(rule: Rule, **values: Any) -> tuple[str, str]:
            compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, compiled)
            return compiled(**values)

        return build_then_keep
