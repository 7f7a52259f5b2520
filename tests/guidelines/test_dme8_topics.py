"""Issue #11 (dme8): topics for hand splints, ankle braces, hip replacement, confirmatory drug testing, sleep
studies and hand/wrist steroid injections; each request reads to its topic, and near misses do not."""

import pytest

from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Left thumb spica orthosis, prefabricated", "wrist-splints"),
        ("Volar resting splint for the right hand", "wrist-splints"),
        ("Finger extension splint, custom", "wrist-splints"),
        ("Lace-up ankle brace, left", "ankle-braces"),
        ("Total hip replacement, left", "hip-arthroplasty"),
        ("GC/MS confirmation of the urine screen", "urine-drug-testing"),
        ("Overnight sleep study", "polysomnography"),
        ("Steroid injection, left trigger thumb", "hand-wrist-injections"),
        ("De Quervain's steroid injection", "hand-wrist-injections"),
    ],
)
def test_new_topics_are_read(text, topic):
    assert classify(text, default_knowledge_base()).topic == topic


@pytest.mark.parametrize(
    ("text", "not_topic"),
    [
        ("Trigger finger release, left ring finger", "hand-wrist-injections"),  # surgery, not an injection
        ("Hinged knee brace", "wrist-splints"),
        ("Trigger point injections x3 to the trapezius", "hand-wrist-injections"),
    ],
)
def test_near_misses_stay_apart(text, not_topic):
    assert classify(text, default_knowledge_base()).topic != not_topic


def test_new_topics_cite_their_guideline():
    kb = default_knowledge_base()
    for tid in ["ankle-braces", "hip-arthroplasty", "polysomnography", "hand-wrist-injections"]:
        topic = kb.topics[tid] if hasattr(kb, "topics") else kb.get(tid)
        for g in topic.guidelines:
            assert g.criteria, tid
            for c in g.criteria:
                assert c.citation.document and c.citation.sections, (tid, c.id)
