"""Issue #11 (r12drug): drug decisions as clinicians write the record. Each rule has a twin it must not break; the
records are our own wording in several styles, none taken from a held-out set or a real letter."""

from __future__ import annotations

import pytest
from one_note import criterion_met, first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2016-02-09", doi: str = "2013-05-02") -> CaseFile:
    return one_note_case(request, note, doi=doi, age=51, date=date, case_number="RX-12")


# -- buprenorphine continued like any opioid: a return to work counts as function, one check of appropriate use is
# -- monitoring (CPMTG pp. 26-27, 78, 80) ------------------------------------------------------------------------------

BUP_NOTES = [
    # terse PR-2 shorthand
    "PR-2. Chronic LBP s/p fusion. Hx opioid misuse, detoxed 2014. Butrans 15 mcg/hr q7d since 1/2015: pain 8 -> 5. "
    "RTW modified duty 6 hrs/d. {monitor} P: Butrans 15mcg/hr #4.",
    # SOAP
    "S: Neck pain, on buprenorphine patch 15 mcg/hr since last spring after a taper off oxycodone. Pain 7/10 without, "
    "4/10 with. Returned to work full duty in January. O: ROM limited. A: Chronic neck pain. {monitor} "
    "P: Continue Butrans 15mcg/hr #4.",
    # long dictation
    "The patient is seen in follow-up for chronic low back pain. After detoxification from hydrocodone she was changed "
    "to transdermal buprenorphine, currently 15 micrograms per hour, and she reports her pain has come down from 8/10 "
    "to 5/10 on it. She has gone back to work at her regular job as a cashier. {monitor} We will continue Butrans "
    "15mcg/hr #4.",
]


@pytest.mark.parametrize("note", BUP_NOTES)
def test_buprenorphine_with_relief_work_and_one_check_is_supported(note):
    item = first_item(_case("Butrans 15mcg/hr patch #4", note.format(monitor="Urine drug screen 12/2015 consistent.")))
    assert criterion_met(item, "bup.function") is True
    assert criterion_met(item, "bup.monitoring") is True


@pytest.mark.parametrize("note", BUP_NOTES)
def test_buprenorphine_with_no_check_of_appropriate_use_is_not_monitored(note):
    item = first_item(_case("Butrans 15mcg/hr patch #4", note.format(monitor="")))
    assert criterion_met(item, "bup.monitoring") is not True


def test_buprenorphine_without_work_or_function_is_not_continued_on_relief_alone():
    note = ("PR-2. Chronic LBP. Butrans 15 mcg/hr since 1/2015: pain 8 -> 5. Remains off work, TTD. UDS 12/2015 "
            "consistent. P: Butrans 15mcg/hr #4.")
    assert criterion_met(first_item(_case("Butrans 15mcg/hr patch #4", note)), "bup.function") is not True
