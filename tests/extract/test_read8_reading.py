"""Criterion facts as clinicians write them (issue #11, read8): each phrasing that must count beside a twin
that must not, in the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from openimr.engine.evaluate_criteria import resolver_for
from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _case(request: str, *texts: str) -> CaseFile:
    docs = [{"id": f"d{i}", "type": "progress_note", "date": f"2016-12-{10 + i:02d}", "text": t} for i, t in enumerate(texts)]
    return CaseFile.model_validate({"disputed_items": [{"request": request}], "documents": docs,
                                    "request_for_authorization": {"date": "2016-12-20"},
                                    "injured_worker": {"date_of_injury": "2016-01-05"}})


def fact(request: str, name: str, *texts: str):
    case = _case(request, *texts)
    return resolver_for(case, extract_facts(case), None).value(name)


NORCO = "Norco 10/325 #60"


@pytest.mark.parametrize(("text", "want"), [
    # today's score on the drug against the score without it
    ("Norco 10/325 bid. Pain is 5/10 today. Without meds it is 8/10.", True),
    ("Norco 10/325 bid. Pain is 8/10 today. Without meds it is 8/10.", False),  # no difference: no relief
    # today's score is the pain before the dose when a lower one with medication follows
    ("Norco 10/325 bid. NRS 8/10 today; with meds it drops to 4/10.", True),
    ("Norco 10/325 bid. NRS 8/10 today.", None),
    # a hedged percent after the verb
    ('Norco 10/325 bid. She says her meds help, "somewhat, maybe 25%."', True),
    ('Norco 10/325 bid. She says her meds help her sleep.', None),
])
def test_relief_with_medication_from_a_score_of_today(text, want):
    assert fact(NORCO, "pain.relief_with_medication", text) is want
