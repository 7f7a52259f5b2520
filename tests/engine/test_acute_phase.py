"""Issue #11: acute and subacute injuries are judged by what the guidelines say of that phase.

Each rule has twins: the same record for a chronic injury (the phase criterion is not judged) and an acute
record that meets the phase criterion. Records are written here in PR-2 shorthand; none is taken from a
held-out set or a real letter.
"""

from __future__ import annotations

from openimr.engine import review_case
from openimr.models.case import CaseFile


def _case(request: str, note: str, doi: str, note_date: str = "2017-03-01") -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "AC-1",
        "injured_worker": {"age": 41, "sex": "male", "date_of_injury": doi},
        "request_for_authorization": {"date": "2017-03-02"},
        "utilization_review": {"date": "2017-03-09"},
        "disputed_items": [{"request": request, "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": "progress_note", "date": note_date, "text": note}],
    })


def _item(case: CaseFile):
    return review_case(case)[0].items[0]


def _results(case: CaseFile) -> dict[str, str]:
    """Criterion id -> "met" / "unmet" / "undocumented", for the criteria judged."""
    names = {True: "met", False: "unmet", None: "undocumented"}
    return {c.id: names[c.met] for c in _item(case).criteria}


# -- opioids for acute or subacute pain: CURES or a risk screen before prescribing ----------------------

NOTE_TRAMADOL = ("PR-2 3/1/17. 41M warehouse, LBP after lifting. Pain 7/10, limits standing. Ibuprofen 800 tid x 3 wks - "
                 "no relief, naproxen also tried - no help. O: lumbar TTP, ROM decr flexion. A: Lumbar strain. "
                 "P: Start tramadol 50 mg bid prn for severe pain. RTW modified duty.")


def test_tramadol_started_for_a_recent_injury_needs_a_cures_review_or_risk_screen():
    case = _case("Tramadol 50mg #60", NOTE_TRAMADOL, doi="2017-01-10")  # 7 weeks: subacute
    assert _results(case).get("tramadol.initiation.acute-risk-review") in {"unmet", "undocumented"}
    assert _item(case).decision == "Upheld"


def test_tramadol_started_for_a_recent_injury_after_a_cures_review_is_supported():
    note = NOTE_TRAMADOL.replace("A: Lumbar strain.", "CURES reviewed 3/1/17 - no other prescribers. A: Lumbar strain.")
    case = _case("Tramadol 50mg #60", note, doi="2017-01-10")
    assert _results(case).get("tramadol.initiation.acute-risk-review") == "met"
    assert _item(case).decision == "Overturned"


def test_tramadol_started_for_a_chronic_injury_is_not_held_to_the_acute_criterion():
    case = _case("Tramadol 50mg #60", NOTE_TRAMADOL, doi="2015-01-10")
    assert "tramadol.initiation.acute-risk-review" not in _results(case)
    assert _item(case).decision == "Overturned"


NOTE_OPIOID = NOTE_TRAMADOL.replace("Start tramadol 50 mg bid prn", "Start Norco 5/325 1 q6h prn")


def test_an_opioid_started_for_a_recent_injury_needs_a_cures_review_or_risk_screen():
    case = _case("Norco 5/325mg #40", NOTE_OPIOID, doi="2017-02-10")  # under 3 weeks: acute
    assert _results(case).get("opioids.initiation.acute-risk-review") in {"unmet", "undocumented"}


def test_an_opioid_started_for_a_chronic_injury_is_not_held_to_the_acute_criterion():
    case = _case("Norco 5/325mg #40", NOTE_OPIOID, doi="2014-02-10")
    assert "opioids.initiation.acute-risk-review" not in _results(case)


# -- imaging in the first weeks needs a red flag -------------------------------------------------------

NOTE_NECK = ("PR-2 3/1/17. 41M, neck pain radiating to R arm after MVA. Tylenol, ibuprofen, 4 PT visits - no relief. "
             "O: decr sensation R C6 dermatome, biceps reflex 1+ R, grip 4/5 R. Spurling pos R. "
             "A: Cervical radiculopathy. P: cont HEP, f/u 4 wks.")


def test_a_cervical_mri_in_the_first_weeks_without_a_red_flag_is_not_supported():
    case = _case("MRI of the cervical spine", NOTE_NECK, doi="2017-02-12")  # under 3 weeks
    assert _results(case).get("mri-c.early-phase") in {"unmet", "undocumented"}
    assert _item(case).decision == "Upheld"


def test_the_same_cervical_mri_after_the_first_weeks_is_judged_on_its_findings():
    case = _case("MRI of the cervical spine", NOTE_NECK, doi="2016-12-01")  # 13 weeks
    assert "mri-c.early-phase" not in _results(case)
    assert _item(case).decision == "Overturned"


def test_a_cervical_mri_in_the_first_weeks_with_a_red_flag_meets_the_early_criterion():
    note = NOTE_NECK.replace("Spurling pos R.", "Spurling pos R. Progressive weakness R arm over 1 week, red flags: "
                                               "suspected fracture.")
    case = _case("MRI of the cervical spine", note, doi="2017-02-12")
    assert _results(case).get("mri-c.early-phase") == "met"


def test_a_lumbar_mri_in_the_first_weeks_without_a_red_flag_is_not_supported():
    note = ("PR-2 3/1/17. 41M, LBP radiating to L leg after lifting. Ibuprofen - no relief. O: SLR pos L 40 deg, "
            "EHL 4/5 L, decr sensation L5 L. A: Lumbar radiculopathy. P: MRI L-spine, consider surgery.")
    acute = _case("MRI of the lumbar spine without contrast", note, doi="2017-02-15")
    chronic = _case("MRI of the lumbar spine without contrast", note, doi="2016-06-15")
    assert _results(acute).get("mri-l.early-phase") in {"unmet", "undocumented"}
    assert _item(acute).decision == "Upheld"
    assert "mri-l.early-phase" not in _results(chronic)
