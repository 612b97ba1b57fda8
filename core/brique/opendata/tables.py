"""Tables of open data and how they are written: CSV (RFC 4180, UTF-8) and JSON.

Every table goes through :func:`public_rows`, which drops columns that would
name a participant (``author_id``, ``email``, ``nickname``...): a safety net
under :meth:`~brique.resources.ResourceType.export_row`, which must already
leave them out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

#: Columns never published, whatever a component returns.
IDENTITY_COLUMNS = frozenset(
    {
        "author",
        "author_id",
        "author_ids",
        "authors",
        "coauthor_ids",
        "coauthors",
        "email",
        "ip",
        "ip_address",
        "nickname",
        "user",
        "user_id",
        "user_ids",
        "users",
    }
)
IDENTITY_SUFFIXES = ("_author_id", "_user_id", "_email", "_nickname")
TABLE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")


@dataclass(frozen=True)
class OpenDataTable:
    """A table a component adds to its space's open data (``component_open_data`` hook).

    It is written twice into the archive, as ``<name>.csv`` and ``<name>.json``,
    in the component's folder. ``name`` is lower-case letters, digits, ``_``,
    ``.`` and ``-``. Rows are mappings of column to value (text, numbers,
    booleans, dates, ``None``; lists and mappings become JSON in the CSV).
    """

    name: str
    rows: list[Mapping[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not TABLE_NAME.fullmatch(self.name):
            raise ValueError(
                f"open data table name {self.name!r}: use lower-case letters, digits, "
                "'_', '.' and '-' (at most 80 characters)"
            )


def is_identity(column: str) -> bool:
    lowered = column.lower()
    return lowered in IDENTITY_COLUMNS or lowered.endswith(IDENTITY_SUFFIXES)


def public_rows(rows: Iterable[Mapping[str, Any]], base_url: str) -> list[dict[str, Any]]:
    """Rows without identity columns, values made plain, ``url`` columns absolute."""
    return [
        {
            str(column): _absolute(value, base_url) if column == "url" else plain_value(value)
            for column, value in row.items()
            if not is_identity(str(column))
        }
        for row in rows
    ]


def _absolute(value: Any, base_url: str) -> Any:
    return urljoin(base_url.rstrip("/") + "/", value) if isinstance(value, str) else value


def plain_value(value: Any) -> Any:
    """A JSON-ready value: dates in ISO 8601 (UTC for moments), decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain_value(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def columns_of(rows: list[dict[str, Any]]) -> list[str]:
    """Every column, in the order rows first use them."""
    return list(dict.fromkeys(column for row in rows for column in row))


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV: a header row, ``\\r\\n`` line ends, quotes where needed."""
    buffer = io.StringIO()
    columns = columns_of(rows)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
