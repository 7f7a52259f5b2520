"""Intake: the uploaded files and the application fields of the new-case form, as one `CaseFile`.

A JSON (or YAML) case file is taken as it is; PDF and text records become documents (id = the file
name's stem) read by `openimr.extract.caseio`, the project's one reader of records. Disputed items come
from the form's list, else the case file, else the records' own text (the request for authorization or
the UR decision). The form's application and party fields fill what the case file leaves out.
Every problem is an `InputError` naming the file or field.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from openimr.errors import InputError
from openimr.extract.caseio import (
    MAX_FILE_BYTES,
    case_from_json,
    case_from_text,
    case_from_yaml,
    disputed_items_from_text,
)
from openimr.models.case import CaseFile
from openimr.textio import decode_text, pdf_text

UR_DECISIONS = ("non-certified", "modified", "conditionally non-certified")
PARTY_FIELDS = ("worker_name", "claim_number", "employer", "claims_administrator", "treating_physician")


def _doc_id(name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", PurePath(name).stem).strip("-") or "record"
    out, n = stem[:150], 2
    while out in taken:
        out, n = f"{stem[:150]}-{n}", n + 1
    taken.add(out)
    return out


def _date(fields: dict[str, str], key: str, label: str) -> dt.date | None:
    raw = (fields.get(key) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(label, f"{raw!r} is not a date (YYYY-MM-DD)") from None


def build_case(files: list[tuple[str, bytes]], fields: dict[str, str]) -> tuple[CaseFile, bool]:
    """(case file, records complete) from the uploads and the form fields."""
    base: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    taken: set[str] = set()
    for name, data in files:
        if not data:
            raise InputError(name, "empty file")
        if len(data) > MAX_FILE_BYTES:
            raise InputError(name, f"file too large (the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB); split the record")
        suffix = PurePath(name).suffix.lower()
        if suffix == ".pdf" or data[:5] == b"%PDF-":
            records.append({"id": _doc_id(name, taken), "type": "record", "text": pdf_text(data, name, page_separator="\n\n")})
            continue
        text = decode_text(data, name)
        if suffix in {".json", ".yaml", ".yml"} or text.lstrip().startswith("{"):
            if base:
                raise InputError(name, "a second case file: upload one case file (and any number of records)")
            cf = case_from_yaml(text, name) if suffix in {".yaml", ".yml"} else case_from_json(text, name)
            base = cf.model_dump(mode="json", exclude_none=True)
            taken.update(d["id"] for d in base.get("documents", []))
        else:
            records.append({"id": _doc_id(name, taken), "type": "record", "text": text})
    documents = list(base.get("documents", [])) + records
    if not documents:
        raise InputError("files", "upload a case file (JSON) or at least one record (PDF or text)")

    ur = fields.get("ur_decision") or "non-certified"
    if ur not in UR_DECISIONS:
        raise InputError("ur_decision", f"{ur!r} is not one of {', '.join(UR_DECISIONS)}")
    typed = [ln.strip() for ln in (fields.get("disputed_items") or "").splitlines() if ln.strip()]
    if typed:
        items = [{"request": r, "ur_decision": ur} for r in typed]
    elif base.get("disputed_items"):
        items = base["disputed_items"]
    else:
        items = []
        for r in records:
            found = disputed_items_from_text(r["text"])
            if found:  # the record's own request: its RFA and UR dates come with it
                read = case_from_text(r["text"], r["id"], r["id"])
                items += [i.model_dump(mode="json", exclude_none=True) for i in found]
                for k in ("request_for_authorization", "utilization_review"):
                    if getattr(read, k) is not None and not base.get(k):
                        base[k] = getattr(read, k).model_dump(mode="json", exclude_none=True)
        if not items:
            raise InputError("disputed_items", "none listed, and the records do not name the requested items: list them")

    app = dict(base.get("application") or {})
    for key, label in (("received_date", "received date"), ("ur_decision_date", "UR decision date")):
        d = _date(fields, key, label)
        if d is not None:
            app[key] = d.isoformat()
    for key in ("signed", "ur_decision_attached"):
        if fields.get(key):
            app[key] = True
    if fields.get("priority") in {"standard", "expedited"}:
        app["priority"] = fields["priority"]
    parties = dict(base.get("parties") or {})
    for key in PARTY_FIELDS:
        if (fields.get(key) or "").strip():
            parties[key] = fields[key].strip()
    data = {**base, "documents": documents, "disputed_items": items, "application": app}
    if parties:
        data["parties"] = parties
    if (fields.get("case_number") or "").strip():
        data["case_number"] = fields["case_number"].strip()
    if app.get("ur_decision_date") and not (data.get("utilization_review") or {}).get("date"):
        data["utilization_review"] = {**(data.get("utilization_review") or {}), "date": app["ur_decision_date"]}
    try:
        cf = CaseFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(".".join(str(x) for x in err.get("loc", ())) or "case", err.get("msg", "invalid")) from None
    return cf, bool(fields.get("records_complete"))
