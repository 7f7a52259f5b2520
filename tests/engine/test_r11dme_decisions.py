"""Issue #11 (r11dme): equipment and services around a surgery or an acute injury. Each reading is tested with its
twin (the same note without the fact, or with the fact denied), in wording of our own."""

from __future__ import annotations

from one_note import criterion_met, documents_case, first_item, one_note_case

from openimr.engine import review_case
from openimr.guidelines.classifier import classify


def _item(request: str, note: str, *, doi: str = "2016-03-01", date: str = "2016-03-20"):
    return first_item(one_note_case(request, note, doi=doi, date=date))


# -- walking and transfers as discharge notes write them ----------------------------------------------------------

def test_a_walker_abbreviation_and_antalgic_alone_are_an_impaired_gait():
    item = _item("Rolling walker", "Seen day 3 after hip surgery. Walking 40 feet w/ FWW, antalgic. Plan: walker for home.")
    assert criterion_met(item, "walking-aid.impaired-walking") is True
    twin = _item("Rolling walker", "Seen day 3 after hip surgery. Walking 40 feet, non-antalgic. Plan: walker for home.")
    assert criterion_met(twin, "walking-aid.impaired-walking") is not True


def test_toilet_transfers_needing_help_are_the_limitation_bathroom_equipment_serves():
    item = _item("Toilet seat riser", "Post-op day 2 knee replacement. Min assist for transfers; toilet transfers difficult.")
    assert criterion_met(item, "bath.limitation") is True
    assert item.decision == "Overturned"
    twin = _item("Toilet seat riser", "Post-op day 2 knee replacement. Independent with transfers; gait steady.")
    assert criterion_met(twin, "bath.limitation") is not True
    assert twin.decision == "Upheld"


# -- an assistant surgeon where one is customary ------------------------------------------------------------------

def _assistant_case(operation: str):
    return documents_case(
        [operation, "Assistant surgeon"],
        [("imaging_report", "2015-01-05", "Standing films L knee: end-stage medial joint space loss, bone on bone."),
         ("progress_note", "2015-02-10", "Ortho: L knee OA. Age 66. Failed PT, NSAIDs, injections. Plan: surgery with an assistant.")],
        doi="2012-04-01", rfa_date="2015-02-10", ur_date="2015-02-20", age=66, case_number="T-asst")


def test_an_assistant_is_customary_for_a_joint_replacement_without_a_written_reason():
    items = review_case(_assistant_case("Left total knee replacement"))[0].items
    assistant = [i for i in items if i.request == "Assistant surgeon"][0]
    assert criterion_met(assistant, "assist.complexity") is True
    twin = review_case(_assistant_case("Left knee arthroscopic partial meniscectomy"))[0].items
    twin_assistant = [i for i in twin if i.request == "Assistant surgeon"][0]
    assert criterion_met(twin_assistant, "assist.complexity") is not True


# -- a cast for a fracture ----------------------------------------------------------------------------------------

def test_a_cast_request_has_its_own_topic():
    assert classify("Short arm cast, left").topic == "casting"
    assert classify("Aircast walker boot").topic == "ankle-immobilization"


def test_a_fracture_seen_on_films_is_what_a_cast_immobilizes():
    item = _item("Short arm cast", "Fell at work 3/1. X-ray today: non-displaced fracture of the distal radius. Plan: cast.")
    assert criterion_met(item, "cast.indication") is True
    assert item.decision == "Overturned"
    twin = _item("Short arm cast", "Fell at work 3/1. X-ray today: no fracture. Wrist sprain. Plan: cast.")
    assert criterion_met(twin, "cast.indication") is not True
    assert twin.decision == "Upheld"


# -- a CT for a suspected occult fracture -------------------------------------------------------------------------

def test_a_wrist_ct_is_the_wrist_imaging_topic():
    assert classify("CT of the right wrist").topic == "mri-wrist-hand"


def test_a_suspected_occult_fracture_after_normal_films_is_imaged_without_weeks_of_care():
    note = "Fell onto the hand 2 weeks ago. Films x2 normal. Tender in the anatomic snuffbox. Plan: CT to rule out occult scaphoid fracture."
    item = _item("CT scan right wrist", note, date="2016-03-15")
    assert criterion_met(item, "mri-wrist.red-flag-or-indication") is True
    assert item.decision == "Overturned"
    twin = _item("CT scan right wrist", "Fell onto the hand 2 weeks ago. Films x2 normal. Nontender wrist, full motion. Plan: CT.",
                 date="2016-03-15")
    assert twin.decision == "Upheld"


# -- ultrasound guidance requested on its own ---------------------------------------------------------------------

def test_ultrasound_guidance_requested_alone_has_a_topic_and_is_not_routine():
    assert classify("Ultrasound-guided injection").topic == "injection-guidance"
    assert classify("Ultrasound guided injection, right shoulder").topic == "shoulder-injections"
    item = _item("US guidance", "Thumb-side wrist pain; Finkelstein positive. Plan: steroid injection under ultrasound.")
    assert item.decision == "Upheld"


# -- a splint for de Quervain's written as its examination --------------------------------------------------------

def test_a_positive_finkelstein_test_is_what_a_thumb_spica_splint_treats():
    item = _item("Thumb spica splint, right", "Six weeks of radial-sided wrist pain at work. Finkelstein positive, swelling over the first dorsal compartment.")
    assert criterion_met(item, "wrist-splint.indication") is True
    twin = _item("Thumb spica splint, right", "Six weeks of radial-sided wrist pain at work. Finkelstein negative, no swelling.")
    assert criterion_met(twin, "wrist-splint.indication") is not True


# -- a walking boot for a suspected fracture or a lax ligament ----------------------------------------------------

def test_the_ottawa_bony_tenderness_is_a_suspected_fracture_a_boot_protects():
    note = "Rolled the left ankle at work 2 weeks ago. Tender at the tip of the lateral malleolus; cannot bear weight. Plan: films, boot."
    item = _item("CAM walker boot", note, doi="2016-03-06")
    assert criterion_met(item, "boot.indication") is True
    twin = _item("CAM walker boot", "Rolled the left ankle at work 2 weeks ago. Mild swelling, bears weight, no bony tenderness. Plan: boot.",
                 doi="2016-03-06")
    assert criterion_met(twin, "boot.indication") is not True


def test_a_positive_anterior_drawer_is_the_instability_a_boot_protects():
    item = _item("CAM walker boot", "Inversion injury 3 weeks ago. Anterior drawer positive on the right. Plan: boot.", doi="2016-02-28")
    assert criterion_met(item, "boot.indication") is True
    twin = _item("CAM walker boot", "Inversion injury 3 weeks ago. Anterior drawer negative, stable ankle. Plan: boot.", doi="2016-02-28")
    assert criterion_met(twin, "boot.indication") is not True


def test_an_ankle_ct_for_a_suspected_fracture_after_normal_films_is_the_ankle_imaging_topic():
    assert classify("CT scan left ankle").topic == "mri-ankle-foot"
    note = "Twisted the ankle 10 days ago. Films normal. Tender at the posterior edge of the lateral malleolus. Plan: CT."
    item = _item("CT scan left ankle", note, doi="2016-03-10")
    assert criterion_met(item, "mri-ankle.red-flag-or-indication") is True
    twin = _item("CT scan left ankle", "Twisted the ankle 10 days ago. Films normal. Mild swelling, no bony tenderness. Plan: CT.",
                 doi="2016-03-10")
    assert criterion_met(twin, "mri-ankle.red-flag-or-indication") is not True
