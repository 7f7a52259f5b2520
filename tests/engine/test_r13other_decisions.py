"""Issue #11 (r13other): soft-tissue "release" that is not surgery, and a hospital stay measured against the
operation it serves.

Twins: a record that meets the criterion and one that does not, written here in our own words (no held-out or real
record). Each pair differs only in the fact the change reads.
"""

from __future__ import annotations

import pytest
from one_note import criterion_met, documents_case, first_item, one_note_case

from openimr.engine import review_case


def _item(request: str, note: str, *, doi: str = "2015-06-01", date: str = "2015-08-20"):
    return first_item(one_note_case(request, note, doi=doi, date=date))


# -- "myofascial release" / "active release technique" are manual therapy, not a planned operation -------------------
_BACK = ("DC re-exam. Low back pain 5/10 since lifting injury, no leg symptoms. ODI 34%. Lumbar flex 50/90, "
         "paraspinal spasm, SLR neg bilat. Dx lumbar strain. Plan: {plan}")


@pytest.mark.parametrize("plan", [
    "CMT 2x/wk x 4 wks, myofascial release, HEP. Back brace for work.",
    "Spinal manipulation and myofascial release to lumbar paraspinals; LSO for support.",
    "Will continue ART (active release) to QL and glutes, core program; lumbar support at work.",
])
def test_manual_release_techniques_do_not_plan_surgery(plan):
    item = _item("LSO brace", _BACK.format(plan=plan))
    # with no operation planned the MTUS acute-phase criterion decides: eleven weeks out is past the acute phase
    assert criterion_met(item, "lso.acute-phase") is False
    assert item.decision == "Upheld"


@pytest.mark.parametrize("plan", [
    "Surgical consult; plan L4-5 fusion next month. LSO brace post-op.",
    "Scheduled for L5-S1 decompression and fusion; LSO for after surgery.",
])
def test_a_planned_operation_still_counts(plan):
    item = _item("LSO brace", _BACK.format(plan=plan))
    assert criterion_met(item, "lso.acute-phase") == "not judged"
