"""A case view in one SELECT (issue 15).

`GET /api/v1/cases/{id}` is the service's most frequent request. Through the ORM it was a transaction of
three or four queries (the case, its documents, its determinations - every column, letters and PDF
included - and, for a reviewer or a party, the scope check), each building ORM objects. Here the case
row, its documents and its determinations' references (id, version, signing time, what each
supersedes) and the caller's scope facts come back as one row: the documents and determinations as JSON
arrays built by the database (`json_group_array` on SQLite, `json_agg` on PostgreSQL). A single
statement also reads one consistent snapshot without a multi-statement transaction.

Elements carry their row order key (`o`) and are sorted here rather than relying on the order inside an
aggregate. Dates come back as ISO strings (SQLite stores them so; PostgreSQL's JSON writes them so).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import JSON, Select, String, bindparam, exists, func, literal, select, type_coerce

from openimr.workflow import db


def _array(dialect: str, *pairs: tuple[str, Any]):
    args: list[Any] = []
    for key, col in pairs:
        args += [literal(key, String), col]
    if dialect == "postgresql":
        return func.json_agg(func.json_build_object(*args))
    return func.json_group_array(func.json_object(*args))


@functools.cache
def statement(dialect: str, reviewer: bool, access: bool) -> Select:
    """The case row plus `docs`, `dets` (JSON arrays), and - when asked - `my_reviewer` (the actor's
    panel reviewer id) and `granted` (the actor was granted this case). Parameters: `case_id`,
    `actor_id`. Built once per shape (constructing it costs more than running it)."""
    D, R = db.Document, db.DeterminationRow
    case_id, actor_id = bindparam("case_id", type_=String), bindparam("actor_id", type_=String)
    docs = select(_array(dialect, ("o", D.id), ("id", D.doc_id), ("type", D.type), ("date", D.date),
                         ("text", D.text))).where(D.case_id == case_id).scalar_subquery()
    dets = select(_array(dialect, ("o", R.version), ("id", R.id), ("version", R.version), ("signed_at", R.signed_at),
                         ("supersedes", R.supersedes_id))).where(R.case_id == case_id).scalar_subquery()
    # typed JSON: SQLite returns the arrays as text, which the type decodes; psycopg decodes them itself
    cols: list[Any] = [db.Case.__table__, type_coerce(docs, JSON).label("docs"), type_coerce(dets, JSON).label("dets")]
    if reviewer:
        cols.append(select(db.Reviewer.id).where(db.Reviewer.user_id == actor_id).scalar_subquery().label("my_reviewer"))
    if access:
        cols.append(exists().where(db.CaseAccess.case_id == case_id, db.CaseAccess.user_id == actor_id).label("granted"))
    return select(*cols).where(db.Case.id == case_id)


def _date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _datetime(v: Any) -> dt.datetime | None:
    if v is None or isinstance(v, dt.datetime):
        return v
    return dt.datetime.fromisoformat(str(v))


def _decode(v: Any) -> list[dict[str, Any]]:
    return sorted(v or [], key=lambda e: e["o"])  # PostgreSQL's json_agg over no rows is NULL


def documents(row: Any) -> list[dict[str, Any]]:
    """[{id, type, date, text}] in the order the documents were stored."""
    return [{"id": e["id"], "type": e["type"], "date": _date(e["date"]), "text": e["text"]} for e in _decode(row.docs)]


def determinations(row: Any) -> list[dict[str, Any]]:
    """[{id, version, signed_at, supersedes}] by version."""
    return [{"id": e["id"], "version": e["version"], "signed_at": _datetime(e["signed_at"]),
             "supersedes": e["supersedes"]} for e in _decode(row.dets)]
