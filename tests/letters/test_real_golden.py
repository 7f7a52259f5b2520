"""Ten real dev letters against records typed by hand from their text (tests/data/letters/real-golden)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from openimr.letters.reader import parse_letter_file

DATA = Path(__file__).parents[1] / "data" / "letters"
GOLDEN = json.loads((DATA / "real-golden" / "golden.json").read_text(encoding="utf-8"))


def test_at_least_ten_letters_for_variety():
    assert len(GOLDEN) >= 10
    items = [it for g in GOLDEN for it in g["items"]]
    assert sum(it["decision"] == "Overturned" for it in items) >= 5
    assert sum("original_request" in it for it in items) >= 10
    assert sum(not it["imr_mtus"] for it in items) >= 4


def _date(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


@pytest.mark.parametrize("g", GOLDEN, ids=lambda g: g["case_number"])
def test_letter_matches_hand_typed_golden(g):
    d = parse_letter_file(DATA / "real-dev" / g["file"])
    assert d.case_number == g["case_number"]
    for f in ("date_assigned", "decision_date", "ur_denial_date", "application_received"):
        assert getattr(d, f) == _date(g[f]), f
    assert d.priority == g["priority"]
    w = g["injured_worker"]
    assert (d.injured_worker.age, d.injured_worker.sex, d.injured_worker.date_of_injury) == (
        w["age"], w["sex"], _date(w["date_of_injury"]))
    assert d.reviewer.model_dump() == g["reviewer"]
    assert d.organization == "MAXIMUS Federal Services" and d.status == "final"
    assert d.clinical_case_summary.startswith(g["summary_starts"])
    assert len(d.items) == len(g["items"])
    for it, e in zip(d.items, g["items"], strict=True):
        assert it.request == e["request"]
        assert it.decision == e["decision"]
        assert it.original_request == e.get("original_request")
        assert it.authorized == e.get("authorized")
        assert it.claims_administrator_guideline.mtus is e["ca_mtus"], it.request
        assert it.imr_guideline.mtus is e["imr_mtus"], it.request
        cites = it.imr_guideline.citations
        assert len(cites) == len(e["imr"]), (it.request, cites)
        for c, (source, document, year, sections) in zip(cites, e["imr"], strict=True):
            assert c.source == source
            if document is not None:
                assert c.document == document
            if year is not None:
                assert c.edition_or_year == year
            if sections is not None:
                assert c.sections == sections
        assert it.rationale.startswith(e["rationale_starts"]), it.request
        assert "Decision rationale" not in it.rationale and it.rationale.endswith(".")
