"""Issue #11 (devdec): three general rules found reading the dev letters, each with a twin.

- what a study is ordered to look for is not its result ("MRI to evaluate for a meniscal tear" is no prior MRI);
- a consultation is reasoned when imaging shows a nerve-root lesion that matches a radicular sign on examination;
- a repeat electrodiagnostic study of a limb already tested needs a change since the last study.
Records are written here in our own words; none is taken from a letter or a held-out set.
"""

from __future__ import annotations

from one_note import criterion_met, first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, doi: str = "2016-01-12", date: str = "2017-02-01") -> CaseFile:
    return one_note_case(request, note, doi=doi, age=41, date=date, case_number="DR-1")


_item = first_item


_met = criterion_met


# -- a study's purpose is not its result -------------------------------------------------------------------

KNEE = ("Progress note 2/1/17. R knee pain after a twisting injury at work; the knee locks and gives way. "
        "Assessment: R knee internal derangement. O: 2+ effusion, medial joint line tenderness, McMurray positive. "
        "{study}")


def test_an_mri_ordered_to_evaluate_for_a_tear_is_not_a_prior_mri():
    item = _item(_case("MRI right knee without contrast",
                       KNEE.format(study="Plan is MRI of the right knee to evaluate for a meniscal tear.")))
    assert _met(item, "mri-k.repeat") == "not judged"
    assert item.decision == "Overturned"


def test_a_prior_mri_that_showed_a_tear_still_makes_the_request_a_repeat():
    item = _item(_case("MRI right knee without contrast",
                       KNEE.format(study="MRI of the right knee 10/3/16 showed a medial meniscal tear.")))
    assert _met(item, "mri-k.repeat") is None
    assert item.decision == "Upheld"


# -- a consultation for a nerve-root lesion shown on imaging and examination ---------------------------------

LOW_BACK = ("Progress note 2/1/17. Low back pain radiating to the R leg. O: SLR positive on the right at 45 degrees, "
            "paraspinal spasm. {mri} Assessment: Lumbar disc displacement. P: spine surgery consultation.")


def test_a_consultation_is_reasoned_by_a_root_lesion_matching_the_exam():
    note = LOW_BACK.format(mri="MRI L-spine 1/10/17: right L5-S1 disc extrusion compressing the S1 nerve root.")
    item = _item(_case("Spine surgery consultation, lumbar", note))
    assert _met(item, "consult.reason") is True
    assert item.decision == "Overturned"


def test_a_consultation_with_normal_imaging_still_needs_its_reason():
    note = LOW_BACK.format(mri="MRI L-spine 1/10/17: unremarkable, no disc herniation or stenosis.")
    item = _item(_case("Spine surgery consultation, lumbar", note))
    assert _met(item, "consult.reason") is None
    assert item.decision == "Upheld"


# -- a repeat electrodiagnostic study -------------------------------------------------------------------------

ARMS = ("Progress note 2/1/17. Assessment: Bilateral carpal tunnel syndrome. Numbness and tingling of both hands, "
        "worse at night, for 8 months despite night splints, therapy and NSAIDs. O: Tinel and Phalen positive at both "
        "wrists, decreased sensation in the median distribution. P: EMG/NCS of both arms. {edx}")


def test_a_second_study_of_arms_already_tested_needs_a_change():
    note = ARMS.format(edx="EMG/NCS of the upper extremities 12/1/16 showed moderate bilateral carpal tunnel syndrome.")
    item = _item(_case("EMG/NCS of the bilateral upper extremities", note))
    assert _met(item, "edx-cpmtg.repeat") is None
    assert item.decision == "Upheld"


def test_a_first_study_of_the_arms_is_not_a_repeat():
    item = _item(_case("EMG/NCS of the bilateral upper extremities", ARMS.format(edx="")))
    assert _met(item, "edx-cpmtg.repeat") == "not judged"
    assert item.decision == "Overturned"


def test_a_study_of_the_legs_does_not_make_an_arm_study_a_repeat():
    note = ARMS.format(edx="EMG of the lumbar spine 12/1/16 showed a chronic left L5 radiculopathy.")
    item = _item(_case("EMG/NCS of the bilateral upper extremities", note))
    assert _met(item, "edx-cpmtg.repeat") == "not judged"


# -- walking aids and walking boots: topics of their own (they were left unclassified) ------------------------

def test_a_walker_for_knee_osteoarthritis_is_supported():
    note = ("Progress note 2/1/17. 68-year-old with bilateral knee pain, unsteady on stairs. Diagnoses: 1. Severe "
            "osteoarthritis, bilateral knees. 2. Lumbar strain. P: front-wheeled walker.")
    item = _item(_case("Front-wheeled walker", note))
    assert item.topic == "walking-aids"
    assert item.decision == "Overturned"


def test_a_walker_for_neck_pain_is_not_supported():
    note = ("Progress note 2/1/17. Neck pain after lifting boxes, walks without difficulty. Diagnoses: 1. Cervical "
            "strain. P: front-wheeled walker.")
    item = _item(_case("Front-wheeled walker", note))
    assert item.topic == "walking-aids"
    assert item.decision == "Upheld"


def test_a_walking_boot_for_an_ankle_fracture_is_supported():
    note = ("Progress note 2/1/17. Fell from a ladder at work 1/20/17. X-ray: nondisplaced fracture of the distal fibula. "
            "Diagnoses: 1. Closed fracture of the right lateral malleolus. P: cam walker boot, crutches.")
    item = _item(_case("Cam walker boot", note, doi="2017-01-20"))
    assert item.topic == "ankle-immobilization"
    assert item.decision == "Overturned"


def test_a_walking_boot_for_a_mild_sprain_is_not_supported():
    note = ("Progress note 2/1/17. Twisted the right ankle at work 1/20/17. Mild swelling, stable ligaments, X-ray "
            "negative. Diagnoses: 1. Sprain of the right ankle, grade I. P: cam walker boot.")
    item = _item(_case("Cam walker boot", note, doi="2017-01-20"))
    assert item.topic == "ankle-immobilization"
    assert item.decision == "Upheld"


# -- ACL reconstruction and cervical collars: topics of their own (they were left unclassified) ---------------

def test_acl_reconstruction_for_an_unstable_knee_with_a_shown_tear_is_supported():
    note = ("Ortho consult 2/1/17. Twisted the L knee at work 1/3/17; it gives way on stairs despite therapy and a "
            "brace. Exam: Lachman positive, pivot shift positive. MRI L knee 1/20/17: complete ACL tear. "
            "Assessment: L ACL tear. Plan: L ACL reconstruction.")
    item = _item(_case("Left ACL reconstruction", note, doi="2017-01-03"))
    assert item.topic == "acl-reconstruction"
    assert item.decision == "Overturned"


def test_acl_reconstruction_for_a_stable_knee_is_not_supported():
    note = ("Ortho consult 2/1/17. L knee pain after a fall at work 1/3/17; no giving way. Exam: stable to varus and "
            "valgus stress, full ROM. Assessment: L knee contusion. Plan: L ACL reconstruction.")
    item = _item(_case("Left ACL reconstruction", note, doi="2017-01-03"))
    assert item.topic == "acl-reconstruction"
    assert item.decision == "Upheld"


def test_a_collar_weeks_after_a_neck_strain_is_not_supported():
    note = "Progress note 2/1/17. Neck pain since a rear-end collision at work 12/1/16. Assessment: cervical strain."
    item = _item(_case("Soft cervical collar", note, doi="2016-12-01"))
    assert item.topic == "cervical-collars"
    assert item.decision == "Upheld"


def test_a_collar_to_protect_a_cervical_operation_is_supported():
    note = "Progress note 2/1/17. S/p C5-6 anterior cervical discectomy and fusion 1/30/17. Assessment: s/p ACDF."
    item = _item(_case("Post-operative cervical collar", note, doi="2016-06-01"))
    assert item.topic == "cervical-collars"
    assert item.decision == "Overturned"


# -- a clearance that names its tests is the clearance -----------------------------------------------------------

def test_a_pre_operative_clearance_naming_its_tests_is_a_clearance():
    from openimr.guidelines.classifier import classify

    assert classify("Pre-operative medical clearance with internist including CBC, BMP and EKG").topic == \
        "preoperative-medical-clearance"
    assert classify("Surgical clearance with labs and EKG").topic == "preoperative-medical-clearance"


def test_a_pre_operative_ekg_alone_is_still_an_ekg():
    from openimr.guidelines.classifier import classify

    assert classify("Pre-op EKG").topic == "electrocardiogram"
    assert classify("Psych clearance for spinal cord stimulator trial").topic == "psychological-treatment"
