"""The request classifier: labeled-set accuracy, parts of a request, bad input, unknown strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.errors import InputError
from openimr.guidelines.accuracy import load_labeled, score
from openimr.guidelines.classifier import classify, read_levels, read_visits

DATA = Path(__file__).resolve().parents[1] / "data"
MARK = 0.98


@pytest.fixture(scope="module")
def labeled():
    items = load_labeled(DATA / "requests.yaml")
    return items, score(items)[0]


def test_labeled_set_is_large_and_has_unknowns(labeled):
    items, _ = labeled
    assert len(items) >= 300
    assert sum(1 for i in items if i["topic"] is None) >= 15
    texts = [i["text"] for i in items]
    assert len(texts) == len(set(texts)), "duplicate strings in the labeled set"


def test_topic_accuracy(labeled):
    _, result = labeled
    misses = [m for m in result.misses if m[1] == "topic"]
    assert result.accuracy("topic") >= MARK, misses


@pytest.mark.parametrize(
    "field",
    ["generic", "brand", "strength", "quantity", "drug_frequency", "laterality", "levels", "body_region",
     "sessions", "frequency"],
)
def test_field_accuracy(labeled, field):
    _, result = labeled
    assert result.total.get(field, 0) >= 10, f"too few labels for {field}"
    misses = [m for m in result.misses if m[1] == field]
    assert result.accuracy(field) >= MARK, misses


def test_seed_requests():
    r = classify("Soma 350mg number ninety (#90)")
    assert (r.topic, r.category) == ("carisoprodol", "drug")
    assert r.drug.model_dump(exclude={"drug_class"}) == {
        "generic": "carisoprodol", "brand": "Soma", "strength": "350mg", "quantity": 90, "frequency": None,
    }
    r = classify("Restoril 30mg Unknown prescription")
    assert (r.topic, r.drug.generic, r.drug.strength, r.drug.quantity) == ("benzodiazepines", "temazepam", "30mg", None)
    r = classify("Left L3-S1 Facet Block")
    assert (r.topic, r.laterality, r.levels, r.body_region) == ("facet-injections", "left", ["L3-S1"], "lumbar")
    assert r.drug is None
    r = classify("OUTPATIENT BILATERAL SACROILIAC JOINT INJECTIONS")
    assert (r.topic, r.category, r.laterality) == ("sacroiliac-joint-injections", "injection", "bilateral")
    r = classify("Norco 10/325mg #120")
    assert (r.drug.generic, r.drug.brand, r.drug.strength, r.drug.quantity) == (
        "hydrocodone/acetaminophen", "Norco", "10/325mg", 120)
    r = classify("PT 2x6 lumbar")
    assert (r.topic, r.sessions, r.frequency, r.body_region) == ("physical-therapy", 12, "2x6", "lumbar")
    assert classify("Office Visit with Gastroenterology").topic == "office-visits"


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("L4-5", ["L4-L5"]),
        ("L5-S1", ["L5-S1"]),
        ("L5/S1", ["L5-S1"]),
        ("C5-6", ["C5-C6"]),
        ("L3-S1", ["L3-S1"]),
        ("L4-L5, L5-S1", ["L4-L5", "L5-S1"]),
        ("L3 to S1", ["L3-S1"]),
        ("T12-L1", ["T12-L1"]),
        ("bilateral L3, L4, L5", ["L3", "L4", "L5"]),
        ("no levels here", []),
        ("L9-10", []),
    ],
)
def test_levels(text, levels):
    assert read_levels(text) == levels


@pytest.mark.parametrize(
    ("text", "sessions", "freq"),
    [
        ("PT 2x6", 12, "2x6"),
        ("2 x 4", 8, "2x4"),
        ("3 times a week for 4 weeks", 12, "3x4"),
        ("twice weekly for 6 weeks", 12, "2x6"),
        ("2x/week x 6 weeks", 12, "2x6"),
        ("12 sessions", 12, None),
        ("x8 visits", 8, None),
        ("six visits", 6, None),
        ("no count", None, None),
    ],
)
def test_visits(text, sessions, freq):
    assert read_visits(text) == (sessions, freq)


def test_disambiguation():
    assert classify("MRI lumbar").topic == "mri-lumbar"
    assert classify("post-op PT 2x6").topic == "postsurgical-physical-therapy"
    assert classify("facet block L4-5").topic == "facet-injections"
    assert classify("medial branch block L4-5").topic == "medial-branch-blocks"
    assert classify("consultation with pain management").topic == "specialist-consultations"
    assert classify("referral to pain management").topic == "specialist-consultations"
    assert classify("Voltaren XR 100mg #30").topic == "nsaids"  # "XR" inside a drug name is not an x-ray
    assert classify("Voltaren gel 1%").topic == "topical-nsaids"
    assert classify("Gabapentin 10%/Ketoprofen 10% cream").topic == "topical-analgesics"
    assert classify("Gabapentin 600mg #90").topic == "antiepileptics"
    assert classify("Trigger point injections with lidocaine").topic == "trigger-point-injections"


def test_compound_lists_every_ingredient():
    r = classify("Flurbiprofen 20%/Baclofen 2%/Lidocaine 5% cream 180gm")
    assert r.topic == "topical-analgesics"
    assert r.drug.generic == "flurbiprofen/baclofen/lidocaine"
    assert r.drug.strength == "20%/2%/5%"


def test_typos_are_corrected_only_when_close():
    assert classify("acupunture x 6").topic == "acupuncture"
    assert classify("sacroilliac joint injection").topic == "sacroiliac-joint-injections"
    assert classify("Cyclobenzaprene 10mg #30").drug.generic == "cyclobenzaprine"
    assert classify("zzzzzz qqqqq").topic is None


@pytest.mark.parametrize("text", ["Total ankle replacement", "Ganglion cyst aspiration", "Stem cell therapy"])
def test_unknown_is_none_with_candidates(text):
    r = classify(text)
    assert r.topic is None
    assert r.category is None
    assert 1 <= len(r.candidates) <= 3
    assert all(0 < c.score <= 1 for c in r.candidates)
    assert [c.score for c in r.candidates] == sorted((c.score for c in r.candidates), reverse=True)


def test_mri_of_unnamed_region_suggests_mri_topics():
    r = classify("MRI with and without contrast")
    assert r.topic is None
    assert {c.topic for c in r.candidates} <= {"mri-lumbar", "mri-cervical", "mri-shoulder", "mri-knee"}


@pytest.mark.parametrize("text,topic", [
    ("MRI of the right hip", "mri-hip"), ("MRI without contrast of the right elbow", "mri-elbow"),
    ("MRI of the left wrist", "mri-wrist-hand"), ("MRI left ankle", "mri-ankle-foot"), ("MRI Thoracic Spine", "mri-thoracic"),
    ("MRI of the bilateral brain/brainstem", "mri-brain"), ("CT scan of the head", "ct-head"), ("MRI/CT of the spine and pelvis", "ct-spine"),
    ("Three phase bone scan to the left foot", "bone-scan"), ("Labs - PT/PTT", "preoperative-lab-testing"), ("Labs to include: EKG", "electrocardiogram"),
    ("Labs to include: Chest X-ray", "chest-x-ray"), ("EMS/TENS unit", "neuromuscular-electrical-stimulation"), ("TENS unit", "tens"),
    ("Spinolator therapy (traction) times 12", "traction"), ("Infrared heat to the low back", "heat-cold-applications"),
    ("Fanatrex 25mg/ml oral suspension 420ml", "compounded-oral-suspensions"), ("Ketophene cream", "topical-analgesics"),
    ("Fioricet #30", "barbiturate-containing-analgesics"), ("Colace 100mg #60", "opioid-induced-constipation"),
    ("Glucosamine 1500mg #90", "glucosamine"), ("Biofreeze gel", "topical-analgesics"), ("Stellate ganglion block", "sympathetic-blocks"),
    ("Greater occipital nerve block", "occipital-nerve-blocks"), ("Spine surgery evaluation for the lumbar", "specialist-consultations"),
])
def test_issue10_topics(text, topic):
    assert classify(text).topic == topic


def test_drug_without_topic_keeps_the_drug():
    r = classify("Lisinopril 10mg #30")
    assert r.topic is None
    assert (r.drug.generic, r.drug.strength, r.drug.quantity) == ("lisinopril", "10mg", 30)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 2001, "too long"),
        ("Soma\x00350mg", "binary"),
        ("Norco \x07 #90", "binary"),
        (b"Soma 350mg", "expected text"),
        (None, "expected text"),
    ],
)
def test_bad_input(text, problem):
    with pytest.raises(InputError) as err:
        classify(text)
    assert problem in str(err.value)
    assert "\n" not in str(err.value)


def test_length_limit_is_inclusive():
    assert classify("Soma 350mg #90 " + "x" * (2000 - 15)).topic == "carisoprodol"


def test_works_with_an_empty_knowledge_base(tmp_path):
    from openimr.guidelines.knowledge_base import load_knowledge_base

    kb = load_knowledge_base(tmp_path)
    r = classify("TENS unit", kb=kb)
    assert (r.topic, r.category) == ("tens", "dme")


@pytest.mark.parametrize("name", ["requests_holdout.yaml", "requests_holdout2.yaml"])
def test_held_out_sets(name):
    # written after the classifier was frozen; first passes: topic 104/106 and 87/87 (docs/guidelines.md)
    items = load_labeled(DATA / name)
    result = score(items)[0]
    assert len(items) >= 80
    for field, _total, _correct, acc in result.table():
        assert acc >= MARK, (field, [m for m in result.misses if m[1] == field])


def test_combination_written_by_ingredients():
    r = classify("Hydrocodone 10mg/Acetaminophen 325mg #90")
    assert (r.topic, r.drug.generic, r.drug.strength, r.drug.quantity) == (
        "opioids", "hydrocodone/acetaminophen", "10/325mg", 90)
    assert classify("Methyl salicylate 15%/Menthol 10% cream").topic == "topical-salicylates"


def test_opioid_with_acetaminophen_strength_is_the_combination():
    r = classify("Oxycodone 10/325mg #60")
    assert (r.drug.generic, r.drug.strength) == ("oxycodone/acetaminophen", "10/325mg")
    assert classify("Oxycodone 30mg #60").drug.generic == "oxycodone"


def test_form_without_a_topic():
    r = classify("Lidocaine injection")
    assert r.topic is None and r.drug.generic == "lidocaine"
    assert r.candidates


def test_knowledge_base_synonyms_classify_to_their_topic():
    from openimr.guidelines.knowledge_base import default_knowledge_base

    kb = default_knowledge_base()
    owners: dict[str, set[str]] = {}
    for t in kb.topics.values():
        for syn in [*t.synonyms, *t.generics]:
            owners.setdefault(syn.lower(), set()).add(t.id)
    pairs = [(syn, next(iter(ids))) for syn, ids in owners.items() if len(ids) == 1]
    wrong = [(syn, tid, classify(syn, kb=kb).topic) for syn, tid in pairs if classify(syn, kb=kb).topic != tid]
    assert len(pairs) > 100
    assert len(wrong) <= len(pairs) // 100, wrong


def test_dosage_form_words_inside_a_brand_do_not_count():
    assert classify("Soma Compound #60").topic == "carisoprodol"
    assert classify("Flurbiprofen/Lidocaine 180gm").topic == "topical-analgesics"


def test_any_printable_text_classifies_without_crashing():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    alphabet = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(alphabet=alphabet, min_size=1, max_size=300).filter(str.strip))
    def check(text):
        r = classify(text)
        assert r.topic is None or isinstance(r.topic, str)
        assert r.topic is not None or r.category in (None, "drug")

    check()


@pytest.mark.parametrize(("text", "topic"), [
    ("Post-operative cold therapy unit, 7 day rental", "cold-therapy-units"),
    ("Post-op cold therapy unit for the right shoulder", "cold-therapy-units"),
    ("Post-operative DME: cold therapy unit", "cold-therapy-units"),
    ("Post-operative shoulder sling", "shoulder-sling"),
    # the twins: therapy after surgery with no device named stays the post-surgical therapy entry
    ("Post-op therapy 12 visits right knee", "postsurgical-physical-therapy"),
    ("Post-op PT with cold therapy 12 visits", "postsurgical-physical-therapy"),
    ("Post-operative occupational therapy 8 visits", "postsurgical-physical-therapy"),
])
def test_post_operative_equipment_is_judged_under_its_own_topic(text, topic):
    assert classify(text).topic == topic
