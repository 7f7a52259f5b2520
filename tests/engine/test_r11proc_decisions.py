"""Issue #11 (r11proc): procedures and imaging read as clinicians chart them.

Twins: a record that meets the criterion and one that does not, written here in our own words (no held-out or real
record). Each pair differs only in the fact the change reads.
"""

from __future__ import annotations

from one_note import criterion_met, first_item, one_note_case


def _item(request: str, note: str, *, doi: str = "2013-02-01", date: str = "2014-10-06", extra=None):
    return first_item(one_note_case(request, note, doi=doi, date=date, extra_docs=extra))


_NCS = [{"id": "d1", "type": "electrodiagnostic_report", "date": "2014-05-12",
         "text": "NCS 5/12/2014: R median sensory latency 4.4 ms, motor latency 5.1 ms. Impression: moderate R carpal tunnel syndrome."}]


# -- carpal tunnel release: the splint and the carpal tunnel injection are the syndrome's conservative care -------------
def test_ctr_after_a_splint_and_an_injection_that_wore_off_has_failed_conservative_care():
    note = ("Hand clinic 10/6/14: R thumb-index numbness, wakes at night. Tinel + R, Phalen + R. Wore a night splint "
            "since spring; R carpal tunnel cortisone injection 6/2014, relief about a month. Plan: R CTR.")
    item = _item("Right carpal tunnel release", note, extra=_NCS)
    assert criterion_met(item, "ctr.conservative-failed") is True
    assert item.decision == "Overturned"


def test_ctr_with_no_conservative_care_written_stays_undocumented():
    note = "Hand clinic 10/6/14: R thumb-index numbness, wakes at night. Tinel + R, Phalen + R. Plan: R CTR."
    item = _item("Right carpal tunnel release", note, extra=_NCS)
    assert criterion_met(item, "ctr.conservative-failed") is None
    assert item.decision == "Upheld"


def test_a_splint_with_its_outcome_after_a_dash_has_failed():
    note = ("Hand clinic 10/6/14: R hand numbness. Tinel + R, Phalen + R. Night splint x3 months - no better. "
            "Plan: R CTR.")
    assert criterion_met(_item("Right carpal tunnel release", note, extra=_NCS), "ctr.conservative-failed") is True


def test_a_splint_on_another_region_is_not_the_necks_conservative_care():
    # a cervical MRI asks for failed care of the neck; the wrist splints are the wrist's
    base = ("PR-2 10/6/14: neck stiffness, R hand numbness. Sensation decreased R index tip. Spurling neg. "
            "{care} Plan: MRI C-spine.")
    wrist = _item("MRI cervical spine", base.format(care="Wears wrist splints nightly since 8/2014."))
    neck = _item("MRI cervical spine", base.format(care="Had PT for the neck, 8 visits in 8/2014."))
    assert criterion_met(wrist, "mri-c.failed-program-or-procedure") is None
    assert criterion_met(neck, "mri-c.failed-program-or-procedure") is True


# -- trigger points written as the examination finds them ----------------------------------------------------------
_TPI_NOTE = ("PR-2 10/6/14: R upper back pain > 6 months despite stretching, HEP and NSAIDs. "
             "O: {exam} Neuro intact, no radicular signs. A: myofascial pain. P: TPI x3.")


def test_taut_bands_with_a_local_twitch_are_trigger_points():
    exam = "Taut bands R trapezius with local twitch and referred pain to the occiput."
    assert criterion_met(_item("Trigger point injections x3", _TPI_NOTE.format(exam=exam)), "tpi.trigger-points") is True


def test_tenderness_alone_is_not_a_trigger_point():
    exam = "Tender R trapezius, full ROM."
    assert criterion_met(_item("Trigger point injections x3", _TPI_NOTE.format(exam=exam)), "tpi.trigger-points") is None


# -- a hand injection whose diagnosis is the examination that defines it -------------------------------------------
_DQ = "PR-2 10/6/14: 6 wk R radial wrist pain. {exam} Ice, ibuprofen - limited relief. P: steroid inj R 1st dorsal compartment."


def test_a_positive_finkelstein_at_the_first_dorsal_compartment_is_de_quervains():
    item = _item("Steroid injection right first dorsal compartment",
                 _DQ.format(exam="Finkelstein +, tender over the 1st dorsal compartment."))
    assert criterion_met(item, "hand-inj.diagnosis") is True


def test_wrist_pain_without_the_examination_is_not_a_diagnosis():
    item = _item("Steroid injection right first dorsal compartment", _DQ.format(exam="Full ROM, no swelling."))
    assert criterion_met(item, "hand-inj.diagnosis") is None


# -- a repeat ESI: the disc herniation named with its level is the imaging the record states -----------------------
_ESI = ("PR-2 10/6/14: {dx} L leg pain to the foot 7/10, numb L foot. s/p L L5-S1 TFESI 4/2014 with 70% relief for "
        "10 weeks, Norco cut from 4/day to 2/day, back to modified work. Pain back since 8/2014. PE: SLR + L, decreased "
        "sensation L S1. P: repeat L L5-S1 TFESI.")


def test_a_level_named_herniation_corroborates_radiculopathy():
    item = _item("Repeat left L5-S1 transforaminal epidural steroid injection",
                 _ESI.format(dx="Warehouse worker, L5-S1 L paracentral HNP w/ L S1 radic."))
    assert criterion_met(item, "esi.radiculopathy-corroborated") is True


def test_radicular_pain_with_no_study_or_level_lesion_is_not_corroborated():
    item = _item("Repeat left L5-S1 transforaminal epidural steroid injection",
                 _ESI.format(dx="Warehouse worker with low back and L leg pain."))
    assert criterion_met(item, "esi.radiculopathy-corroborated") is None


# -- SCS: failed back surgery syndrome written as the operation and the pain that stayed ---------------------------
_SCS = ("Pain consult 10/6/14: s/p {surgery}. {pain} Failed PT, gabapentin, TFESI. Psych eval 9/2014: appropriate "
        "for SCS trial. Plan: SCS trial.")


def test_radicular_pain_after_a_discectomy_is_failed_back_surgery_syndrome():
    item = _item("Spinal cord stimulator trial",
                 _SCS.format(surgery="L4-5 microdiscectomy 3/2013", pain="Persistent L leg pain to the foot, SLR + L."))
    assert criterion_met(item, "scs.indication") is True


def test_back_pain_with_no_operation_is_not_failed_back_surgery_syndrome():
    item = _item("Spinal cord stimulator trial",
                 _SCS.format(surgery="fall at work 2012", pain="Axial low back pain 6/10."))
    assert criterion_met(item, "scs.indication") is not True


# -- knee viscosupplement: pain that progresses after the care given ------------------------------------------------
_HA = ("Ortho 10/6/14: R knee. Finished 12 PT visits 2013, daily HEP. Steroid injection 1/2014 helped 6 weeks. "
       "{course} XR 9/2014: severe medial joint space narrowing, bone-on-bone. A: severe R knee OA. P: Synvisc-One R knee.")


def test_progressive_knee_pain_after_therapy_and_an_injection_is_failed_conservative_care():
    item = _item("Synvisc-One injection right knee", _HA.format(course="Since then progressive medial knee pain."))
    assert criterion_met(item, "ha.conservative-failed") is True


def test_knee_care_with_no_word_of_the_pain_since_is_undocumented():
    item = _item("Synvisc-One injection right knee", _HA.format(course=""))
    assert criterion_met(item, "ha.conservative-failed") is None


# -- shoulder MRI after a strengthening program that did not progress ------------------------------------------------
_MRI_S = ("PR-2 3/6/15: R shoulder after a fall 1/2015. {course} Drop arm test +, supraspinatus 3+/5 with pain. "
          "XR: no fracture. A: r/o full-thickness cuff tear. P: MRI R shoulder.")


def test_therapy_without_progress_and_signs_of_a_tear_support_a_shoulder_mri():
    item = _item("MRI right shoulder", _MRI_S.format(course="PT x8 so far, still weak and painful 6/10."), doi="2015-01-20",
                 date="2015-03-06")
    assert criterion_met(item, "mri-s.failed-program-or-surgery") is True


def test_no_therapy_tried_leaves_the_shoulder_mri_criterion_undocumented():
    item = _item("MRI right shoulder", _MRI_S.format(course="Pain 6/10."), doi="2015-01-20", date="2015-03-06")
    assert criterion_met(item, "mri-s.failed-program-or-surgery") is None
