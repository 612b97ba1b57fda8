"""Published proposals that look like a draft, so that its authors may support one instead.

Candidates come from two bounded queries of the component's published proposals: those
whose title holds the start of a word of the draft's title, and the most recent ones.
Each is scored in Python on the words of the titles and texts (accents, case and plurals
set aside) and on the letter trigrams of the titles, which forgive typing mistakes.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Select, or_, select

from brique.plugin_api import db, hidden_ids
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal

#: At most this many proposals are shown.
SHOWN = 5
#: Each candidate query reads at most this many rows.
CANDIDATES = 300
#: A proposal scoring below this is not similar.
THRESHOLD = 0.3
#: The title's words searched for in the database.
SEARCHED_WORDS = 6

WORD = re.compile(r"[^\W_]+")
FRENCH_STOP_WORDS = (
    "a au aux avec ce ces d dans de des du en et est il l la le les leur mais nos notre "
    "ou par pas plus pour qu que qui s sa se ses son sur un une vos votre y"
)
ENGLISH_STOP_WORDS = (
    "an and are as at be by for from in into is it of on or our that the this to we with"
)
STOP_WORDS = frozenset(FRENCH_STOP_WORDS.split() + ENGLISH_STOP_WORDS.split())


def fold(text: str) -> str:
    """Lower case, without accents: "Écoles" -> "ecoles"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def stem(word: str) -> str:
    """A folded word without its plural and a final ``e``: "benches", "bench" -> "bench"."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    for ending in ("es", "s", "x", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            return word[: -len(ending)]
    return word


def terms(text: str) -> set[str]:
    """The meaningful words of ``text``, folded and stemmed."""
    return {stem(word) for word in WORD.findall(fold(text)) if word not in STOP_WORDS}


def trigrams(text: str) -> set[str]:
    """Letter trigrams of each word, padded as PostgreSQL's ``pg_trgm`` does."""
    found: set[str] = set()
    for word in WORD.findall(fold(text)):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def jaccard(first: set[str], second: set[str]) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def similarity(title: str, body: str, other_title: str, other_body: str) -> float:
    """How alike two proposals are, from 0 to 1; titles weigh more than texts."""
    titles = max(
        jaccard(terms(title), terms(other_title)), jaccard(trigrams(title), trigrams(other_title))
    )
    texts = jaccard(terms(f"{title} {body}"), terms(f"{other_title} {other_body}"))
    return 0.6 * titles + 0.4 * texts


def similar_proposals(proposal: Proposal, limit: int = SHOWN) -> list[Proposal]:
    """Up to ``limit`` published proposals of the same component most like ``proposal``."""
    rows = _candidates(proposal)
    scored = sorted(
        (
            (similarity(proposal.title, proposal.body, title, body), -row_id)
            for row_id, title, body in rows
        ),
        reverse=True,
    )
    ids = [-negative for score, negative in scored if score >= THRESHOLD][: limit * 2]
    hidden = hidden_ids(RESOURCE_TYPE, ids)
    wanted = [row_id for row_id in ids if row_id not in hidden][:limit]
    found = {p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(wanted)))}
    return [found[row_id] for row_id in wanted if row_id in found]


def _candidates(proposal: Proposal) -> list[tuple[int, str, str]]:
    base = select(Proposal.id, Proposal.title, Proposal.body).where(
        Proposal.component_id == proposal.component_id,
        Proposal.status == "published",
        Proposal.id != proposal.id,
    )
    queries: list[Select] = [
        base.order_by(Proposal.published_at.desc(), Proposal.id.desc()).limit(CANDIDATES)
    ]
    prefixes = _prefixes(proposal.title)
    if prefixes:
        matching = or_(*(Proposal.title.ilike(f"%{prefix}%") for prefix in prefixes))
        queries.append(base.where(matching).order_by(Proposal.id.desc()).limit(CANDIDATES))
    rows: dict[int, tuple[int, str, str]] = {}
    for query in queries:
        for row_id, title, body in db.session.execute(query):
            rows[row_id] = (row_id, title, body or "")
    return list(rows.values())


def _prefixes(title: str) -> list[str]:
    """The starts of the title's longest words, as typed (the database keeps accents)."""
    words = {w for w in WORD.findall(title.lower()) if len(w) >= 4 and fold(w) not in STOP_WORDS}
    longest = sorted(words, key=lambda w: (-len(w), w))[:SEARCHED_WORDS]
    # Letters and digits only: nothing to escape for LIKE.
    return [word[: max(4, len(word) - 2)] for word in longest]
