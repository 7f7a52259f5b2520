"""Issue #11 (drugs9): drug decisions by class. Each rule has a twin it must not break; the records are written here
in our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2015-03-10", doi: str = "2012-04-02",
          extra_docs: list[dict] | None = None) -> CaseFile:
    return one_note_case(request, note, doi=doi, age=47, date=date, extra_docs=extra_docs, case_number="DR-1")


def _criteria(item) -> dict[str, bool | None]:
    return {c.id: c.met for c in item.criteria}


# -- tramadol is an opioid: a first trial needs baseline pain and function (CPMTG steps before an opioid trial) --

TRAMADOL_NEW = "Clinic note. {body} Tried ibuprofen for 6 weeks without enough relief. Plan: start Ultram 50 mg bid #60."


def test_a_first_tramadol_trial_with_no_baseline_pain_or_function_is_not_supported():
    item = first_item(_case("Ultram 50mg #60", TRAMADOL_NEW.format(body="R elbow lateral epicondylitis.")))
    assert item.topic == "tramadol"
    assert _criteria(item)["tramadol.initiation.baseline-and-goals"] is None
    assert item.decision == "Upheld"


def test_a_first_tramadol_trial_with_baseline_pain_and_function_is_supported():
    body = "R elbow lateral epicondylitis, pain 7/10. Works modified duty, no lifting over 10 lbs."
    item = first_item(_case("Ultram 50mg #60", TRAMADOL_NEW.format(body=body)))
    assert _criteria(item)["tramadol.initiation.baseline-and-goals"] is True
    assert item.decision == "Overturned"


# -- continuing an opioid: a return to work counts (CPMTG "when to continue"); the aberrance side shown by monitoring --

NORCO = ("PR-2. Chronic neck pain since 2012. Norco 10/325 bid: pain 8/10 without, 4/10 with. {work} "
         "UDS 1/2015 consistent. CURES reviewed, single prescriber. {agreement} Plan: Norco 10/325 #60.")


def test_an_opioid_continued_for_a_worker_back_at_full_duty_with_monitoring_is_supported():
    note = NORCO.format(work="Returned full duty 11/2014 as a forklift driver.", agreement="Agreement on file.")
    item = first_item(_case("Norco 10/325mg #60", note))
    crit = _criteria(item)
    assert crit["opioids.ongoing.function"] is True
    assert crit["opioids.ongoing.adverse-effects-and-aberrance"] is True
    assert item.decision == "Overturned"


def test_an_opioid_continued_with_no_function_and_no_agreement_is_not_supported():
    note = NORCO.format(work="Remains off work.", agreement="")
    item = first_item(_case("Norco 10/325mg #60", note))
    crit = _criteria(item)
    assert crit["opioids.ongoing.function"] is not True
    assert crit["opioids.ongoing.adverse-effects-and-aberrance"] is None
    assert item.decision == "Upheld"


def test_an_inconsistent_screen_does_not_show_the_aberrance_side():
    note = NORCO.format(work="Returned full duty 11/2014.", agreement="Agreement on file.").replace(
        "UDS 1/2015 consistent", "UDS 1/2015 positive for cocaine")
    item = first_item(_case("Norco 10/325mg #60", note))
    assert _criteria(item)["opioids.ongoing.adverse-effects-and-aberrance"] is not True
    assert item.decision == "Upheld"
