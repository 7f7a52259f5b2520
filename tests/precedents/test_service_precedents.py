"""The service's precedent corpus: issued determinations are added once, a correction replaces the
earlier version of its case, and the case itself is never its own precedent."""

from __future__ import annotations

import datetime as dt
import stat

from openimr.engine import draft_case
from openimr.extract.caseio import load_case
from openimr.precedents.service import ServicePrecedents

from .conftest import EXAMPLE_CASE


def _det(decision: str) -> dict:
    return {"clinical_case_summary": "Chronic low back pain. Soma 350mg three times daily for a year.",
            "items": [{"request": "Soma 350mg #60", "decision": decision,
                       "rationale": f"In this case the reviewer found it {decision.lower()}."}]}


def test_issued_determinations_corrections_and_own_case(tmp_path):
    sp = ServicePrecedents(tmp_path / "idx")
    assert stat.S_IMODE((tmp_path / "idx").stat().st_mode) == 0o700
    t0 = dt.datetime(2026, 1, 5, 10, 0)
    rows = [("d1", "case-a", "CM26-0000001", 1, t0, _det("Upheld")),
            ("d2", "case-b", None, 1, t0 + dt.timedelta(hours=1), _det("Upheld"))]
    assert sp.add_issued(rows) == 2
    assert sp.add_issued(rows) == 0  # seen before: nothing re-read
    assert sp.since == t0 + dt.timedelta(hours=1)
    # a correction of case-a (version 2) replaces version 1
    assert sp.add_issued([("d3", "case-a", "CM26-0000001", 2, t0 + dt.timedelta(days=1), _det("Overturned"))]) == 1
    idx = sp.index()
    assert len(idx) == 2 and sorted(idx.letter_names) == ["CM26-0000001", "case-case-b"]
    assert idx.rows["decision"][idx.rows["letter"].index("CM26-0000001")] == "Overturned"
    assert idx.rows["date"][idx.rows["letter"].index("CM26-0000001")] == "2026-01-06"

    case = load_case(EXAMPLE_CASE)
    draft = draft_case(case)
    out = sp.attach(draft, case, exclude_case="case-b")
    soma = next(ip for ip in out.precedents if ip.topic == "carisoprodol")
    assert [p.letter for p in soma.precedents if p.same_topic] == ["CM26-0000001"]
