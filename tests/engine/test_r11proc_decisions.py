"""Issue #11 (r11proc): procedures and imaging read as clinicians chart them.

Twins: a record that meets the criterion and one that does not, written here in our own words (no held-out or real
record). Each pair differs only in the fact the change reads.
"""

from __future__ import annotations

from one_note import criterion_met, documents_case, first_item, one_note_case

from openimr.engine import review_case


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


def test_a_brace_on_another_region_is_not_the_necks_conservative_care():
    # a cervical MRI asks for failed care of the neck; the wrist brace is the wrist's
    base = ("PR-2 10/6/14: neck stiffness, R hand numbness. Sensation decreased R index tip. Spurling neg. "
            "{care} Plan: MRI C-spine.")
    wrist = _item("MRI cervical spine", base.format(care="Wears a wrist brace nightly since 8/2014."))
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


def test_pain_after_therapy_with_the_cuff_still_strong_is_not_a_failed_program():
    # impingement still under conservative care: painful, but strength kept at 5/5 and no sign of a tear
    note = ("PR-2 3/6/15: R shoulder pain lifting overhead since 1/2015. PT x6 done, pain 6/10. Neer +, Hawkins +, "
            "empty can 5/5 with pain, drop arm neg. A: impingement. P: MRI R shoulder to r/o cuff tear.")
    item = _item("MRI right shoulder", note, doi="2015-01-20", date="2015-03-06")
    assert criterion_met(item, "mri-s.failed-program-or-surgery") is None


def test_care_of_a_part_of_the_limb_counts_for_a_whole_limb_request():
    # the region filter above must not drop a wrist brace when the whole arm is to be tested
    note = ("PR-2 1/10/17: R wrist fracture 10/2016, cast off 12/2016. Wrist brace worn since 12/2016. R hand numbness, "
            "sensation decreased R index and middle tips. Plan: EMG R upper extremity.")
    item = _item("EMG of the right upper extremity", note, doi="2016-10-20", date="2017-01-10")
    assert criterion_met(item, "edx-cpmtg.conservative-care") is True


# -- shoulder injection: impingement signs are the diagnosis; CRPS block beside hand therapy -------------------------
_SUBACROMIAL = "PR-2 10/6/14: R shoulder pain overhead 5/10 for 4 months. {exam} PT and naproxen without relief. P: subacromial injection R."


def test_positive_neer_and_hawkins_are_impingement():
    item = _item("Subacromial corticosteroid injection right shoulder", _SUBACROMIAL.format(exam="Neer +, Hawkins +."))
    assert criterion_met(item, "shoulder-inj.diagnosis") is True


def test_shoulder_pain_without_impingement_signs_is_no_diagnosis():
    item = _item("Subacromial corticosteroid injection right shoulder", _SUBACROMIAL.format(exam="Full ROM."))
    assert criterion_met(item, "shoulder-inj.diagnosis") is None


_SGB = ("Pain PR-2 10/6/14: CRPS I R hand after a wrist fracture: burning pain, allodynia, R hand warmer, edema, color "
        "change, sweating. Prior SGB 2013 - 60% relief x 3 wks. Plan: R SGB{rehab}.")


def test_a_block_in_conjunction_with_hand_therapy_has_its_active_program():
    item = _item("Right stellate ganglion block", _SGB.format(rehab=" in conjunction with hand therapy"))
    assert criterion_met(item, "symp.with-rehab") is True


def test_a_block_alone_has_no_active_program():
    item = _item("Right stellate ganglion block", _SGB.format(rehab=""))
    assert criterion_met(item, "symp.with-rehab") is None


# -- a study read only from the reviewer's words is not a study done ----------------------------------------------
def _edx_case(ur_text: str):

    note = ("PR-2 12/16/15: numbness both hands x 4 months, thumb to middle finger, worse at night. Night splints x 6 wks, "
            "still numb. Tinel + bilat wrists, Phalen + bilat. Sensation decreased R index tip. A: bilat CTS suspected. "
            "P: EMG BUE.")
    case = documents_case(["EMG bilateral upper extremities"],
                          [("progress_note", "2015-12-16", note), ("ur_determination", "2016-01-05", ur_text)],
                          doi="2015-06-15", rfa_date="2015-12-16", ur_date="2016-01-05", age=51, case_number="RP-1")
    return review_case(case)[0].items[0]


def test_the_reviewers_reading_of_the_signs_is_not_a_prior_study():
    item = _edx_case("EMG BUE: non-certified. The findings are consistent with carpal tunnel syndrome; testing is not needed.")
    assert criterion_met(item, "edx-upper.repeat") == "not judged"


def test_a_prior_study_in_the_clinical_record_makes_the_request_a_repeat():

    note = ("PR-2 12/16/15: numbness both hands, thumb to middle finger. NCS 9/2015: moderate bilateral carpal tunnel "
            "syndrome. Tinel + bilat. P: EMG BUE.")
    case = documents_case(["EMG bilateral upper extremities"], [("progress_note", "2015-12-16", note)],
                          doi="2015-06-15", rfa_date="2015-12-16", ur_date="2016-01-05", age=51, case_number="RP-2")
    assert criterion_met(review_case(case)[0].items[0], "edx-upper.repeat") != "not judged"
