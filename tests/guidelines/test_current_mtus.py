"""Cases dated after the shipped MTUS (issue 14): the governing ACOEM-based MTUS guideline and edition
per item, the formulary facts on drug items, and the clock constants with their citations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openimr.engine import current as engine_current
from openimr.engine import draft_case
from openimr.guidelines.current_mtus import governing_guideline, mtus_from
from openimr.guidelines.knowledge_base import load_knowledge_base
from openimr.models.case import CaseFile
from openimr.models.request import ClassifiedRequest, DrugRequest
from openimr.workflow.clock import CITATIONS, ClockPolicy, add_working_days, clock_state


def cl(region=None, category=None, drug_class=None) -> ClassifiedRequest:
    drug = DrugRequest(drug_class=drug_class) if drug_class else None
    return ClassifiedRequest(text="x", topic=None, category=category, body_region=region, drug=drug)


@pytest.mark.parametrize("on, edition", [
    ("2017-11-30", None),
    ("2017-12-01", "as adopted into the MTUS"),
    ("2019-08-10", "as adopted into the MTUS"),
    ("2019-08-11", "update effective 2019-08-11"),
    ("2021-11-22", "update effective 2019-08-11"),
    ("2021-11-23", "update effective 2021-11-23"),
])
def test_low_back_edition_by_date(on, edition):
    g = governing_guideline(dt.date.fromisoformat(on), classified=cl("lumbar"))
    if edition is None:
        assert g is None
    else:
        assert g.guideline == "ACOEM Low Back Disorders Guideline" and g.edition == edition
        assert g.regulation.startswith("8 CCR") and g.verified is False and g.criteria_loaded is False


def test_other_regions_topics_and_drugs():
    on = dt.date(2024, 1, 2)
    assert governing_guideline(on, classified=cl("knee")).edition == "update effective 2020-09-21"
    assert governing_guideline(on, classified=cl("cervical")).guideline == "ACOEM Cervical and Thoracic Spine Disorders Guideline"
    assert governing_guideline(on, classified=cl("hip")).guideline == "ACOEM Hip and Groin Disorders Guideline"
    # hip and groin before its adoption: no region guideline, said so rather than guessed
    assert "not determined" in governing_guideline(dt.date(2019, 10, 6), classified=cl("hip")).basis
    assert governing_guideline(on, classified=cl(category="drug", drug_class="opioid analgesic")).guideline == "ACOEM Opioids Guideline"
    assert governing_guideline(on, classified=cl(category="drug", drug_class="muscle relaxant")).guideline == "ACOEM Chronic Pain Guideline"
    kb = load_knowledge_base()
    assert governing_guideline(on, kb.topic("acupuncture"), cl("lumbar")).guideline == "MTUS Acupuncture Medical Treatment Guidelines"
    assert mtus_from() == dt.date(2017, 12, 1)


def _case(items, date="2024-03-05"):
    return CaseFile.model_validate({
        "request_for_authorization": {"date": date},
        "injured_worker": {"date_of_injury": "2024-03-01"},
        "disputed_items": [{"request": r} for r in items],
        "documents": [{"id": "n1", "type": "progress_note", "date": date, "text": "Neck and knee pain 5/10."}],
    })


def test_a_2024_case_without_packs_lists_every_item_undecided_with_its_guideline():
    items = ["MRI of the right knee", "Cervical epidural steroid injection C5-C6", "Soma 350mg #90", "Zorbulator gizmo"]
    d = draft_case(_case(items), load_knowledge_base())
    assert all(i.decision is None for i in d.items)
    assert all(i.governing is not None and not i.governing.criteria_loaded for i in d.items)
    assert d.items[0].governing.guideline == "ACOEM Knee Disorders Guideline"
    assert d.items[1].governing.guideline == "ACOEM Cervical and Thoracic Spine Disorders Guideline"
    assert d.items[2].governing.guideline == "ACOEM Chronic Pain Guideline"
    assert "could not be classified" in d.items[3].unable_to_decide  # the first reason is kept
    for request in items:
        assert f"{request}: Undecided" in d.letter
    assert d.letter.index("set forth below:") < d.letter.index(f"{items[0]}: Undecided")


def test_a_2015_case_is_unchanged():
    d = draft_case(_case(["Soma 350mg #90"], date="2015-08-13"), load_knowledge_base())
    assert d.items[0].decision in ("Upheld", "Overturned") and d.items[0].governing is None


def test_drug_items_report_formulary_facts(tmp_path, monkeypatch):
    lst = tmp_path / "list.csv"  # a test list: the status is invented for this test
    lst.write_text("Active Ingredient,Exempt/Non-Exempt,Special Fill,Version,Effective Date\n"
                   "Carisoprodol,Non-Exempt,,test-1,2018-01-01\n")
    monkeypatch.setenv("OPENIMR_DRUG_LIST", str(lst))
    engine_current._env_lists.cache_clear()
    try:
        d = draft_case(_case(["Soma 350mg #90", "MRI of the right knee"]), load_knowledge_base())
    finally:
        monkeypatch.delenv("OPENIMR_DRUG_LIST")
        engine_current._env_lists.cache_clear()
    f = d.items[0].formulary
    assert f is not None and (f.status, f.list_version, f.prospective_review_required) == ("non-exempt", "test-1", True)
    assert d.items[1].formulary is None
    assert draft_case(_case(["Soma 350mg #90"]), load_knowledge_base()).items[0].formulary is None  # no list: no facts


# ------------------------------------------------------------------ clock constants (8 CCR 9792.10.5, 9792.10.1)
def test_records_due_dates():
    p = ClockPolicy()
    notice = dt.date(2026, 3, 2)
    assert p.records_due(notice, "standard") == dt.date(2026, 3, 17)  # 15 days after a mailed notice
    assert p.records_due(notice, "standard", "electronic") == dt.date(2026, 3, 14)  # 12 days if electronic
    assert p.records_due(notice, "expedited") == dt.date(2026, 3, 3)  # 24 hours
    assert ClockPolicy(notice_delivery="electronic").records_due(notice, "standard") == dt.date(2026, 3, 14)
    assert ClockPolicy(records_due_mail_days=10).records_due(notice, "standard") == dt.date(2026, 3, 12)


def test_application_window_and_decision_clocks():
    p = ClockPolicy()
    assert p.application_deadline(dt.date(2026, 1, 31)) == dt.date(2026, 3, 2)
    assert ClockPolicy(application_window_days=35).application_deadline(dt.date(2026, 1, 31)) == dt.date(2026, 3, 7)
    friday = dt.date(2026, 3, 6)
    assert p.due_date(friday, "standard") == dt.date(2026, 4, 5)
    assert p.due_date(friday, "expedited") == dt.date(2026, 3, 9)
    assert p.due_date(friday, "standard", formulary=True) == dt.date(2026, 3, 13)  # 5 working days
    assert p.due_date(friday, "expedited", formulary=True) == dt.date(2026, 3, 9)  # the earlier of the two
    holiday = ClockPolicy(holidays=frozenset({dt.date(2026, 3, 9)}))
    assert holiday.due_date(friday, "standard", formulary=True) == dt.date(2026, 3, 16)
    assert add_working_days(dt.date(2026, 3, 7), 1) == dt.date(2026, 3, 9)  # Saturday -> Monday
    due = p.due_date(friday, "standard", formulary=True)
    assert clock_state(p, due, "standard", dt.date(2026, 3, 11), False, formulary=True).at_risk is True
    assert clock_state(p, due, "standard", dt.date(2026, 3, 10), False, formulary=True).at_risk is False
    assert "4610.6(d)(1)(A)" in p.clock_basis("standard", formulary=True)


def test_every_clock_constant_is_cited():
    fields = {"standard_days", "expedited_days", "formulary_working_days", "records_due_mail_days",
              "records_due_electronic_days", "records_due_expedited_hours", "application_window_days"}
    assert fields <= set(CITATIONS)
    for name in fields:
        cite, verified, note = CITATIONS[name]
        assert cite and note and isinstance(verified, bool)
        assert hasattr(ClockPolicy(), name)
    assert CITATIONS["formulary_working_days"][1] is False  # not checked against the official code
    assert CITATIONS["records_due_mail_days"][0] == "8 CCR 9792.10.5(a)(1)"
    assert CITATIONS["application_window_days"][0] == "8 CCR 9792.10.1(b)(1)"


def test_the_map_file_is_cited_and_marked():
    import yaml

    from openimr.guidelines.current_mtus import DATA

    data = yaml.safe_load(Path(DATA).read_text())
    for g in data["guidelines"]:
        assert g["section"].startswith("8 CCR") and g["verified"] is False and g["editions"]
