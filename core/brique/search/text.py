"""Text handling shared by indexing, querying and snippets, the same on every database.

Search must find "église" when one types "eglise" or "Églises", in French and in
English. Accents are folded here, in Python, rather than with PostgreSQL's
``unaccent`` (an extension the database user may not be allowed to create, and
not usable in a generated column): both backends then index the same words.
Each word is indexed with its light stem (plural and common suffixes removed),
on top of the stemming the database does itself (FTS5's Porter tokenizer,
PostgreSQL's French and English dictionaries).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from markupsafe import Markup, escape

from brique.text import render_markdown

#: Letters and digits, without the underscore ``\w`` holds.
WORD = re.compile(r"[^\W_]+")
#: A query keeps this many words; the rest is ignored.
MAX_QUERY_WORDS = 12
MAX_WORD_LENGTH = 40
#: Ligatures NFKD leaves alone.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
#: French and English endings removed by :func:`light_stem`, longest first; a plural
#: ``s`` or ``x`` goes first. The stem keeps at least four letters.
SUFFIXES = tuple(
    sorted(
        [
            "issement",
            "ement",
            "ation",
            "ateur",
            "atrice",
            "ative",
            "atif",
            "ance",
            "ence",
            "euse",
            "eur",
            "ique",
            "iste",
            "isme",
            "ite",
            "ier",
            "iere",
            "ant",
            "ent",
            "age",
            "aire",
            "ive",
            "if",
            "ee",
            "er",
            "ez",
            "e",
            "es",
            "ing",
            "ed",
            "ly",
            "ness",
            "ment",
        ],
        key=len,
        reverse=True,
    )
)
MIN_STEM = 4
#: Words a query leaves out unless it has nothing else: they are in nearly every text.
STOP_WORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "il",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "mes",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "with",
    }
)


def fold(text: str) -> str:
    """Lower case, without accents or ligatures: "Œuvre Éclairée" -> "oeuvre eclairee"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return WORD.findall(fold(text))


def light_stem(word: str) -> str:
    """A folded word without its plural and its most common French or English ending.

    Deliberately light: it only needs to give the same stem to the forms people
    type ("arbres", "arbre"; "participative", "participation").
    """
    if len(word) > MIN_STEM and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > MIN_STEM and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> str:
    """What the index stores for ``text``: each folded word followed by its stem if it differs."""
    found: list[str] = []
    for word in words(text):
        stem = light_stem(word)
        found.extend((word, stem) if stem != word else (word,))
    return " ".join(found)


def query_words(query: str) -> list[str]:
    """The words a search looks for: folded, deduplicated, at most :data:`MAX_QUERY_WORDS`."""
    unique = list(dict.fromkeys(word[:MAX_WORD_LENGTH] for word in words(query)))
    meaningful = [word for word in unique if word not in STOP_WORDS]
    return (meaningful or unique)[:MAX_QUERY_WORDS]


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees, without markup."""
    return " ".join(Markup(render_markdown(markdown)).striptags().split())


# --- Snippets -------------------------------------------------------------------------------


def _matches(word: str, wanted: Iterable[str]) -> bool:
    stem = light_stem(word)
    return any(word.startswith(query) or stem == light_stem(query) for query in wanted)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index of the original one."""
    folded, positions = [], []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def highlight(text: str, wanted: list[str], *, around: int | None = None) -> Markup:
    """``text`` escaped, its words matching ``wanted`` in ``<mark>``.

    With ``around``, only a window of about that many characters around the
    first match is kept, with ellipses where text was cut.
    """
    folded, positions = _folded_with_positions(text)
    spans = [
        (positions[m.start()], positions[m.end() - 1] + 1)
        for m in WORD.finditer(folded)
        if _matches(m.group(), wanted)
    ]
    start, end = 0, len(text)
    if around is not None and len(text) > around:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - around // 3, len(text) - around))
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = min(len(text), start + around)
        end = text.rfind(" ", start, end) if end < len(text) and " " in text[start:end] else end
    return _marked(
        text, [span for span in spans if start <= span[0] and span[1] <= end], start, end
    )


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    parts = [Markup("… ")] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        parts.append(escape(text[cursor:span_start]))
        parts.append(Markup("<mark>%s</mark>") % text[span_start:span_end])
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(Markup(" …"))
    return Markup("").join(parts)
