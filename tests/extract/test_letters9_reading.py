"""Issue #11 (letters9): a neurologic sign placed in a limb without a joint word is tagged with that limb."""

from __future__ import annotations

from openimr.extract import extract_facts
from openimr.lexicon.regions import limb_of

from .criterion_facts import notes_case


def _sensory(text: str):
    facts = extract_facts(notes_case("MRI cervical spine", text))
    return [f for f in facts.findings if f.name == "dermatomal_sensory_loss" and f.present]


def test_tingling_in_the_toes_is_in_the_lower_limb():
    assert [f.body_region for f in _sensory("He has tingling in the toes on the right.")] == ["lower extremity"]


def test_numbness_of_the_fingers_is_in_the_upper_limb():
    # "fingers" is itself a hand word on findings (other9); either way the sign speaks for the upper limb
    assert [limb_of(f.body_region) for f in _sensory("She has numbness of the fingers at night.")] == ["upper"]


def test_a_joint_word_near_the_sign_still_names_its_region():
    assert [f.body_region for f in _sensory("Numbness over the dorsum of the foot and the toes.")] == ["foot"]
