"""Issue #11 (r9other): topics for cervical spine surgery and hip joint injections; each request reads to its topic,
and a service that goes with the operation, or an injection elsewhere, does not."""

import pytest

from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base


@pytest.mark.parametrize(("text", "topic"), [
    ("C6-7 ACDF", "cervical-spine-surgery"),
    ("Anterior cervical discectomy and fusion C4-5", "cervical-spine-surgery"),
    ("Cervical laminectomy C3-6", "cervical-spine-surgery"),
    ("Right C5-6 posterior cervical foraminotomy", "cervical-spine-surgery"),
    ("Left hip intra-articular steroid injection", "hip-injections"),
    ("L hip IA cortisone injection under fluoroscopy", "hip-injections"),
])
def test_new_topics_are_read(text, topic):
    assert classify(text, default_knowledge_base()).topic == topic


@pytest.mark.parametrize(("text", "topic"), [
    ("Cervical collar after C6-7 ACDF", "cervical-collars"),
    ("Assistant surgeon for C6-7 ACDF", "assistant-surgeon"),
    ("Inpatient stay 2 days after anterior cervical discectomy and fusion", "inpatient-hospital-stay"),
    ("L4-5 posterior lumbar interbody fusion", "lumbar-fusion"),
    ("L5-S1 microdiscectomy", "lumbar-decompression"),
    ("Left knee corticosteroid injection", "knee-injections"),
    ("Sacroiliac joint injection left", "sacroiliac-joint-injections"),
])
def test_near_misses_keep_their_topics(text, topic):
    assert classify(text, default_knowledge_base()).topic == topic
