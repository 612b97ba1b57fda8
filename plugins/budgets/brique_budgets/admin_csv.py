"""Reading the CSV files admins import: UTF-8 (with or without a byte order mark), cells
separated by commas or semicolons (tabs too).

Spreadsheets save CSV files in many ways; French ones often with semicolons, some still
in Windows-1252, which is read when the file is not UTF-8. The first line names the
columns (case and spaces do not matter). Problems come back as translated sentences,
never as exceptions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

#: Largest file accepted, in bytes, and most rows.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
DELIMITERS = (",", ";", "\t")


@dataclass
class Table:
    """The rows of a file as ``(line number, {column: text})``, and what is wrong with it."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def line_error(line: int, message: str) -> str:
    return _("Line %(line)d: %(message)s", line=line, message=message)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def delimiter_of(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def column_name(header: str) -> str:
    return "_".join(header.strip().casefold().replace("-", " ").split())


def read_table(data: bytes, known: Sequence[str], required: Sequence[str]) -> Table:
    """The rows of a CSV file whose columns are among ``known`` and include ``required``."""
    if len(data) > MAX_BYTES:
        return Table(errors=[_("The file is larger than %(size)d MB.", size=MAX_BYTES // 2**20)])
    text = decode(data)
    if not text.strip():
        return Table(errors=[_("The file is empty.")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        header = [column_name(name) for name in next(reader)]
        table = Table(errors=header_errors(header, known, required))
        if not table.errors:
            read_rows(reader, header, table)
    except csv.Error:
        return Table(errors=[_("The file cannot be read as CSV.")])
    return table


def header_errors(header: list[str], known: Sequence[str], required: Sequence[str]) -> list[str]:
    errors = []
    unknown = [name for name in header if name not in known]
    if unknown:
        errors.append(
            _(
                "Unknown columns: %(columns)s. The columns are: %(known)s.",
                columns=", ".join(unknown),
                known=", ".join(known),
            )
        )
    errors.extend(
        _("The column “%(column)s” is missing.", column=name)
        for name in required
        if name not in header
    )
    twice = sorted({name for name in header if header.count(name) > 1})
    errors.extend(_("The column “%(column)s” appears twice.", column=name) for name in twice)
    return errors


def numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """The reader's records with the line each starts on (a quoted cell may span lines)."""
    last_line = reader.line_num
    for cells in reader:
        yield last_line + 1, cells
        last_line = reader.line_num


def read_rows(reader: Any, header: list[str], table: Table) -> None:
    for line, cells in numbered(reader):
        if not any(cell.strip() for cell in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            table.errors.append(_("The file has more than %(max)d rows; split it.", max=MAX_ROWS))
            return
        if len(cells) > len(header):
            table.errors.append(
                line_error(line, _("this row has more cells than there are columns"))
            )
            continue
        values = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
        table.rows.append((line, dict(zip(header, values, strict=True))))
