"""Reading a census file into salted hashes; the file is accepted whole or not at all.

The file is CSV with a header row naming the columns ``identifier``,
``postal_code`` and optionally ``district``, separated by ``;`` or ``,``.
Identifiers are never stored: only :func:`brique.authorizations.census_hash`.
The action log records how many people the census holds, never its hashes nor its salt.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select

from brique.actionlog.log import acting_user, log_action
from brique.authorizations import census_hash
from brique.clock import now
from brique.db import db
from brique.models import CensusEntry, SiteSettings

COLUMNS = ("identifier", "postal_code", "district")
REQUIRED = ("identifier", "postal_code")
MAX_POSTAL_CODE, MAX_DISTRICT = 20, 120
#: Problems listed before "and N more".
SHOWN_ERRORS = 20


@dataclass
class CensusReport:
    """What reading a file found: the entries, or the problems with their line numbers."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hidden_errors: int = 0

    def problem(self, message: str) -> None:
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(message)
        else:
            self.hidden_errors += 1


def decode(data: bytes) -> str | None:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 (spreadsheet exports)."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return None


def read_census(data: bytes, salt: str) -> CensusReport:
    report = CensusReport()
    text = decode(data)
    if text is None:
        report.problem(_("This is not a CSV text file. Export the census as CSV and try again."))
        return report
    if not text.strip():
        report.problem(_("The file is empty."))
        return report
    first_line = text.lstrip().splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = csv.reader(io.StringIO(text.lstrip()), delimiter=delimiter)
    try:
        columns = read_header(next(rows), report)
        if columns is not None:
            read_rows(rows, columns, salt, report)
    except csv.Error:
        report.problem(_("Line %(line)s: this line cannot be read as CSV.", line=rows.line_num))
    return report


def read_header(header: list[str], report: CensusReport) -> dict[str, int] | None:
    names = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        report.problem(
            _(
                "Line 1: the first line must name the columns identifier and postal_code "
                "(district is optional); it names: %(found)s.",
                found=", ".join(name for name in names if name) or _("nothing"),
            )
        )
        return None
    return {name: names.index(name) for name in COLUMNS if name in names}


def read_rows(rows: Any, columns: dict[str, int], salt: str, report: CensusReport) -> None:
    first_line_of: dict[str, int] = {}
    width = max(columns.values()) + 1
    for cells in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            report.problem(_("Line %(line)s: some columns are missing.", line=line))
            continue
        entry = read_entry(cells, columns, line, report)
        if entry is not None:
            entry["identifier_hash"] = census_hash(cells[columns["identifier"]], salt)
            add_entry(entry, line, first_line_of, report)
    if not report.entries and not report.errors:
        report.problem(_("The file has no line after the header."))


def add_entry(
    entry: dict[str, str], line: int, first_line_of: dict[str, int], report: CensusReport
) -> None:
    """Keep ``entry`` unless its identifier (compared by hash) appeared on an earlier line."""
    first = first_line_of.setdefault(entry["identifier_hash"], line)
    if first == line:
        report.entries.append(entry)
    else:
        report.problem(
            _(
                "Line %(line)s: this identifier is already on line %(first)s.",
                line=line,
                first=first,
            )
        )


def read_entry(
    cells: list[str], columns: dict[str, int], line: int, report: CensusReport
) -> dict[str, str] | None:
    """The line's postal code and district, or ``None`` after reporting its problems."""
    identifier = cells[columns["identifier"]].strip()
    postal_code = cells[columns["postal_code"]].strip().upper()
    district = cells[columns["district"]].strip() if "district" in columns else ""
    problems = entry_problems(identifier, postal_code, district)
    for problem in problems:
        report.problem(_("Line %(line)s: %(problem)s", line=line, problem=problem))
    return None if problems else {"postal_code": postal_code, "district": district}


def entry_problems(identifier: str, postal_code: str, district: str) -> list[str]:
    problems = []
    if not identifier:
        problems.append(_("the identifier is empty."))
    if not postal_code:
        problems.append(_("the postal code is empty."))
    elif len(postal_code) > MAX_POSTAL_CODE:
        problems.append(
            _("the postal code is longer than %(max)s characters.", max=MAX_POSTAL_CODE)
        )
    if len(district) > MAX_DISTRICT:
        problems.append(_("the district is longer than %(max)s characters.", max=MAX_DISTRICT))
    return problems


def replace_census(entries: list[dict[str, Any]], site: SiteSettings) -> None:
    """Swap the whole census in one transaction: readers see the old one or the new one."""
    before = census_state(site)
    db.session.execute(delete(CensusEntry))
    if entries:
        db.session.execute(insert(CensusEntry), entries)
    site.census_imported_at = now()
    log_census("census.import", before, site)
    db.session.commit()


def delete_census(site: SiteSettings) -> None:
    before = census_state(site)
    db.session.execute(delete(CensusEntry))
    site.census_imported_at = None
    log_census("census.delete", before, site)
    db.session.commit()


def census_state(site: SiteSettings) -> dict[str, Any]:
    """What the log tells of the census: its size and date, nothing that identifies anyone."""
    return {"entries": census_size(), "imported_at": site.census_imported_at}


def log_census(verb: str, before: dict[str, Any], site: SiteSettings) -> None:
    """Log a change of the census in its transaction, by the person of the request if any."""
    db.session.flush()
    log_action(acting_user(), verb, site, before=before, after=census_state(site))


def census_size() -> int:
    return db.session.scalar(select(func.count()).select_from(CensusEntry)) or 0
