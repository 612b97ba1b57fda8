"""Proposals as data: the staff's export (CSV, JSON, XLSX) and the process's open data.

Neither names a participant: no author, coauthor, supporter or e-mail address, and not
the origin note of proposals recorded on someone's behalf (it may hold their name).
Drafts are left out; staff exports show what staff see (answers not yet published,
proposals hidden by moderation), open data only what the public sees.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from flask import current_app
from sqlalchemy import select

from brique.plugin_api import (
    Category,
    Component,
    OpenDataTable,
    Scope,
    active_step,
    comment_counts,
    db,
    hidden_ids,
    linked,
    resource_type,
    settings_of,
    step_settings_of,
)
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal

#: What spreadsheets read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Columns of the staff export, in order.
STAFF_COLUMNS = (
    "id",
    "title",
    "body",
    "status",
    "state",
    "answer_state",
    "answer_published",
    "answer",
    "cost",
    "currency",
    "execution_period",
    "answered_at",
    "category",
    "scope",
    "origin",
    "supports",
    "qualified_at",
    "comments",
    "hidden",
    "published_at",
    "withdrawn_at",
    "merged_into_id",
    "address",
    "latitude",
    "longitude",
    "url",
)


# --- Rows -----------------------------------------------------------------------------------


def names_of(model: type, ids: set[int | None]) -> dict[int, str]:
    wanted = {value for value in ids if value is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all())


def exported_proposals(component: Component) -> list[Proposal]:
    """Every proposal of ``component`` but drafts, oldest first."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.component_id == component.id, Proposal.status != "draft")
            .order_by(Proposal.id)
        )
    )


def staff_rows(component: Component) -> list[dict[str, Any]]:
    """One row per proposal with its supports, states and answer, naming nobody."""
    proposals = exported_proposals(component)
    ids = [p.id for p in proposals]
    categories = names_of(Category, {p.category_id for p in proposals})
    scopes = names_of(Scope, {p.scope_id for p in proposals})
    comments = comment_counts(RESOURCE_TYPE, ids) if ids else {}
    hidden = hidden_ids(RESOURCE_TYPE, ids)
    rtype = resource_type(RESOURCE_TYPE)
    currency = settings_of(component)["currency"]
    base_url = current_app.config["BASE_URL"].rstrip("/") + "/"
    return [
        {
            "id": p.id,
            "title": p.title,
            "body": p.body,
            "status": p.status,
            "state": rtype.state(p),
            "answer_state": p.answer_state,
            "answer_published": p.answer_published,
            "answer": p.answer_text,
            "cost": p.cost,
            "currency": currency if p.cost is not None else None,
            "execution_period": p.execution_period,
            "answered_at": p.answered_at,
            "category": categories.get(p.category_id),
            "scope": scopes.get(p.scope_id),
            "origin": p.origin,
            "supports": p.supports_count,
            "qualified_at": p.qualified_at,
            "comments": comments.get(p.id, 0),
            "hidden": p.id in hidden,
            "published_at": p.published_at,
            "withdrawn_at": p.withdrawn_at,
            "merged_into_id": p.merged_into_id,
            "address": p.address,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "url": urljoin(base_url, rtype.url(p)),
        }
        for p in proposals
    ]


def supports_shown(component: Component) -> bool:
    """Whether the public sees support counts now (the active step may hide them)."""
    return not step_settings_of(component, active_step(component.space))["supports_hidden"]


def public_row(proposal: Proposal) -> dict[str, Any]:
    """What the open data adds to the core's row of a proposal (see ``export_row``)."""
    component = proposal.component
    category = db.session.get(Category, proposal.category_id) if proposal.category_id else None
    scope = db.session.get(Scope, proposal.scope_id) if proposal.scope_id else None
    return {
        "body": proposal.body,
        "status": proposal.status,
        "category": category.name if category else None,
        "scope": scope.name if scope else None,
        "origin": proposal.origin,
        "supports": proposal.supports_count if supports_shown(component) else None,
        "qualified_at": proposal.qualified_at,
        "published_at": proposal.published_at,
        "withdrawn_at": proposal.withdrawn_at,
        "merged_into_id": proposal.merged_into_id,
        "address": proposal.address,
        "latitude": proposal.latitude,
        "longitude": proposal.longitude,
    }


# --- Open data tables (``component_open_data`` hook) ----------------------------------------


def open_data_tables(component: Component) -> list[OpenDataTable]:
    """Published answers, and which proposals were merged or split into which."""
    proposals = exported_proposals(component)
    hidden = hidden_ids(RESOURCE_TYPE, [p.id for p in proposals])
    shown = [p for p in proposals if p.id not in hidden]
    return [
        OpenDataTable("proposals.answers", answer_rows(component, shown)),
        OpenDataTable("proposals.merges", merge_rows(shown)),
    ]


def answer_rows(component: Component, proposals: Sequence[Proposal]) -> list[dict[str, Any]]:
    currency = settings_of(component)["currency"]
    return [
        {
            "proposal_id": p.id,
            "state": p.answer_state,
            "answer": p.answer_text,
            "cost": p.cost,
            "currency": currency if p.cost is not None else None,
            "execution_period": p.execution_period,
            "answered_at": p.answered_at,
        }
        for p in proposals
        if p.answer_published and p.answer_state != "not_answered"
    ]


def merge_rows(proposals: Sequence[Proposal]) -> list[dict[str, Any]]:
    """``(proposal, merged_into | split_into, new proposal)`` for merged and split proposals."""
    rows = [
        {"proposal_id": p.id, "link": "merged_into", "other_id": p.merged_into_id}
        for p in proposals
        if p.status == "merged"
    ]
    for p in proposals:
        if p.status == "split":
            rows.extend(
                {"proposal_id": p.id, "link": "split_into", "other_id": part_id}
                for part_id in split_parts(p)
            )
    return rows


def split_parts(proposal: Proposal) -> list[int]:
    """Ids of the proposals ``proposal`` was split into.

    ``linked`` gives links in both directions; the parts are the ones created after it.
    """
    refs = linked((RESOURCE_TYPE, proposal.id), "split_into")
    return sorted(ref.id for ref in refs if ref.type == RESOURCE_TYPE and ref.id > proposal.id)


# --- Files ----------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def csv_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """UTF-8 with a byte order mark, so that spreadsheets read accents right."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: "" if value is None else not_a_formula(plain(value))
                for key, value in row.items()
            }
        )
    return buffer.getvalue().encode("utf-8-sig")


def json_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    data = [{key: plain(row[key]) for key in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def xlsx_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("proposals")
    sheet.append(list(columns))
    for row in rows:
        sheet.append([text_cell(sheet, cell_value(row[key])) for key in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text_cell(sheet: Any, value: Any) -> Any:
    """Text stays text: openpyxl would store ``=...`` as a formula."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def cell_value(value: Any) -> Any:
    """Spreadsheets take no time zones: moments go in as UTC text, like in the CSV."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def not_a_formula(value: Any) -> Any:
    """Text a participant typed is never run as a spreadsheet formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportFormat:
    mimetype: str
    write: Callable[[Sequence[dict[str, Any]], Sequence[str]], bytes]


FORMATS = {
    "csv": ExportFormat("text/csv", csv_bytes),
    "json": ExportFormat("application/json", json_bytes),
    "xlsx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_bytes
    ),
}


def export_file(component: Component, format_name: str) -> tuple[bytes, str, str]:
    """``(content, mimetype, file name)`` of the staff export of ``component``."""
    chosen = FORMATS[format_name]
    content = chosen.write(staff_rows(component), STAFF_COLUMNS)
    return content, chosen.mimetype, f"proposals-{component.id}.{format_name}"
