"""Pabulib files (https://pabulib.org/format): read them into an instance and a profile, and
write an instance and a profile back.

A file has three sections, META, PROJECTS and VOTES, each a ';'-separated table whose first
row names the columns. Reading follows ``pabutools.election.parse_pabulib``: the project id is
the first PROJECTS column, costs and the budget may use a decimal comma, an empty cell or one
reading "none" is unknown, a ballot naming a project twice counts it once (in its first place
for rankings).
"""

from __future__ import annotations

import csv
import re
from fractions import Fraction
from pathlib import Path

from brique_budgets.voting.model import VOTE_TYPES, Ballot, Instance, Profile, Project

_SECTION = re.compile(r'^[ \t"]*(meta|projects|votes)[ \t"]*(?:;[^\n]*)?$', re.I | re.M)
_PROJECT_COLUMNS = ("project_id", "cost", "name", "category", "categories")
_BALLOT_COLUMNS = ("voter_id", "vote", "points")


def read_pabulib(path: str | Path) -> tuple[Instance, Profile]:
    """The instance and the profile of the Pabulib file at ``path``."""
    return parse_pabulib(Path(path).read_text(encoding="utf-8-sig"))


def parse_pabulib(text: str) -> tuple[Instance, Profile]:
    """The instance and the profile a Pabulib file's ``text`` describes.

    Raises ``ValueError`` naming what is wrong: a missing section or column, a ballot naming
    an unknown project, a vote type other than approval, cumulative, ordinal or choose-1.
    """
    sections = _sections(text.lstrip("\ufeff"))
    meta = _meta(sections.get("meta", []))
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise ValueError(f"the META section has no {key!r}")
    vote_type = meta["vote_type"]
    if vote_type not in VOTE_TYPES:
        raise ValueError(f"vote_type {vote_type!r} is not supported: use one of {VOTE_TYPES}")
    instance = Instance(meta["budget"], _projects(sections.get("projects", [])), meta)
    return instance, Profile(vote_type, _ballots(sections.get("votes", []), instance, vote_type))


def _sections(text: str) -> dict[str, list[str]]:
    starts = list(_SECTION.finditer(text))
    sections = {}
    for number, start in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        lines = text[start.end() : end].splitlines()
        sections[start.group(1).lower()] = [line for line in lines if line.strip(" \t;")]
    return sections


def _rows(lines: list[str]) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in csv.reader(lines, delimiter=";")]


def _meta(lines: list[str]) -> dict[str, str]:
    return {row[0]: row[1] if len(row) > 1 else "" for row in _rows(lines[1:]) if row and row[0]}


def _projects(lines: list[str]) -> list[Project]:
    if not lines:
        return []
    header, *rows = _rows(lines)
    if "cost" not in header:
        raise ValueError("the PROJECTS section has no 'cost' column")
    return [_project(header, row) for row in rows]


def _project(header: list[str], row: list[str]) -> Project:
    cells = {key: value for key, value in zip(header, row, strict=False) if _cell(value)}
    category = cells.get("category", cells.get("categories")) or None
    extra = {key: value for key, value in cells.items() if key not in _PROJECT_COLUMNS}
    return Project(row[0], cells.get("cost", ""), cells.get("name", ""), category, extra)


def _ballots(lines: list[str], instance: Instance, vote_type: str) -> list[Ballot]:
    if not lines:
        return []
    header = [cell.strip() for cell in next(csv.reader(lines[:1], delimiter=";"))]
    if "vote" not in header:
        raise ValueError("the VOTES section has no 'vote' column")
    reader = _BallotReader(header, instance, vote_type)
    return [reader.ballot(number, line) for number, line in enumerate(lines[1:], 1)]


class _BallotReader:
    """Turns VOTES lines into ballots; fast on the plain lines that make up most files."""

    def __init__(self, header: list[str], instance: Instance, vote_type: str) -> None:
        self.vote = header.index("vote")
        self.points = header.index("points") if "points" in header else None
        self.voter = header.index("voter_id") if "voter_id" in header else None
        self.fields = [(i, key) for i, key in enumerate(header) if key not in _BALLOT_COLUMNS]
        self.known = {project.id: project.id for project in instance.projects}
        self.cumulative = vote_type == "cumulative"
        self.width = len(header)

    def ballot(self, number: int, line: str) -> Ballot:
        if '"' in line:
            cells = [cell.strip() for cell in next(csv.reader([line], delimiter=";"))]
        else:
            cells = [cell.strip() for cell in line.split(";")]
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        try:
            projects, points = self._choices(cells)
        except KeyError as error:
            raise ValueError(f"ballot {number} names unknown project {error.args[0]!r}") from None
        except ValueError as error:
            raise ValueError(f"ballot {number}: {error}") from None
        voter = cells[self.voter] if self.voter is not None else None
        fields = {key: v for i, key in self.fields if (v := cells[i]) and v.lower() != "none"}
        return Ballot(projects, points, 1, voter or None, fields or None)

    def _choices(self, cells: list[str]) -> tuple[tuple[str, ...], tuple[int, ...] | None]:
        names = [name.strip() for name in _cell(cells[self.vote]).split(",")]
        ids = map(self.known.__getitem__, filter(None, names))
        if not self.cumulative:
            return tuple(dict.fromkeys(ids)), None
        raw = _cell(cells[self.points]).split(",") if self.points is not None else []
        points = list(map(_whole, filter(None, raw)))
        ids = list(ids)
        if len(points) != len(ids):
            raise ValueError("give one number of points per project")
        given = dict(zip(ids, points, strict=True))
        return tuple(given), tuple(given.values())


def _cell(text: str) -> str:
    return "" if text.lower() == "none" else text


def _whole(text: str) -> int:
    value = Fraction(text.strip().replace(",", "."))
    if value.denominator != 1:
        raise ValueError(f"points must be whole numbers, not {text!r}")
    return int(value)


def write_pabulib(instance: Instance, profile: Profile, path: str | Path) -> None:
    """Write ``instance`` and ``profile`` to a Pabulib file at ``path``."""
    Path(path).write_text(format_pabulib(instance, profile), encoding="utf-8")


def format_pabulib(instance: Instance, profile: Profile) -> str:
    """The Pabulib text of ``instance`` and ``profile``.

    A ballot of weight w becomes w identical lines (Pabulib has no weights); their voter ids
    get a suffix to stay unique, and ballots without a voter id are numbered.
    """
    rows: list[list[str]] = [["META"], ["key", "value"]]
    rows += [[key, value] for key, value in _meta_out(instance, profile).items()]
    rows += [["PROJECTS"], *_project_rows(instance)]
    rows += [["VOTES"], *_ballot_rows(profile)]
    out = _Lines()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return "".join(out)


class _Lines(list):
    def write(self, line: str) -> None:
        self.append(line)


def _meta_out(instance: Instance, profile: Profile) -> dict[str, str]:
    meta = dict.fromkeys(("description", "country", "unit", "instance"), "")
    meta.update(
        num_projects=str(len(instance.projects)),
        num_votes=str(profile.total_weight),
        budget=format_money(instance.budget),
        vote_type=profile.vote_type,
        rule="unknown",
        date_begin="",
        date_end="",
    )
    fixed = ("num_projects", "num_votes", "budget", "vote_type")
    meta.update((key, value) for key, value in instance.meta.items() if key not in fixed)
    return meta


def _project_rows(instance: Instance) -> list[list[str]]:
    extra = list(dict.fromkeys(key for project in instance.projects for key in project.extra))
    rows = [["project_id", "cost", "name", "category", *extra]]
    for project in instance.projects:
        cells = [project.id, format_money(project.cost), project.name, project.category or ""]
        rows.append(cells + [project.extra.get(key, "") for key in extra])
    return rows


def _ballot_rows(profile: Profile) -> list[list[str]]:
    ballots = profile.ballots
    keys = list(dict.fromkeys(key for ballot in ballots for key in ballot.fields or ()))
    cumulative = profile.vote_type == "cumulative"
    rows = [["voter_id", "vote", *(["points"] if cumulative else []), *keys]]
    used: set[str] = set()
    for number, ballot in enumerate(ballots, 1):
        choice = [",".join(ballot.projects)]
        if cumulative:
            # pabutools reads an empty points cell as a number; "None" is its "no points"
            choice.append(",".join(map(str, ballot.points or ())) or "None")
        fields = [(ballot.fields or {}).get(key, "") for key in keys]
        for voter_id in _voter_ids(ballot, number, used):
            rows.append([voter_id, *choice, *fields])
    return rows


def _voter_ids(ballot: Ballot, number: int, used: set[str]) -> list[str]:
    base = ballot.voter_id or str(number)
    wanted = [base] if ballot.weight == 1 else [f"{base}-{k}" for k in range(1, ballot.weight + 1)]
    ids = []
    for voter_id in wanted:
        unique, k = voter_id, 1
        while unique in used:
            unique, k = f"{voter_id}~{k}", k + 1
        used.add(unique)
        ids.append(unique)
    return ids


def format_money(amount: Fraction) -> str:
    """``amount`` as a Pabulib number: digits, and a decimal point if it has decimals."""
    if amount.denominator == 1:
        return str(amount.numerator)
    places = 1
    while (amount * 10**places).denominator != 1:
        places += 1
        if places > 30:
            raise ValueError(f"{amount} has no exact decimal form, Pabulib cannot store it")
    digits = str((amount * 10**places).numerator).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"
