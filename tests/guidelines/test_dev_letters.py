"""The disputed items of the real dev letters (tests/data/dev_letter_requests.yaml) are all draftable:
each classifies to a topic whose guideline resolves for the item's date (the UR denial date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from openimr.guidelines.classifier import classify
from openimr.guidelines.hierarchy import resolve
from openimr.guidelines.knowledge_base import default_knowledge_base

DATA = Path(__file__).resolve().parents[1] / "data" / "dev_letter_requests.yaml"
ITEMS = yaml.safe_load(DATA.read_text(encoding="utf-8"))["items"]


def test_fixture_holds_every_dev_item():
    assert len(ITEMS) == 189
    assert len({i["case"] for i in ITEMS}) == 92
    assert sum(i["decision"] == "Overturned" for i in ITEMS) == 21


@pytest.mark.parametrize("item", ITEMS, ids=[f"{i['case']}-{n}" for n, i in enumerate(ITEMS)])
def test_item_classifies_and_resolves(item):
    kb = default_knowledge_base()
    got = classify(item["request"], kb)
    assert got.topic is not None, f"not classified: {item['request']!r} (candidates {got.candidates})"
    chain = resolve(kb, got.topic, dt.date.fromisoformat(item["ur_denial_date"]))
    assert chain, f"{got.topic}: nothing resolves on {item['ur_denial_date']}"


def test_dev_items_are_judged_by_the_2016_editions():
    """Every dev item is dated after 2016-07-28: no chain may rely on the 2009 CPMTG."""
    kb = default_knowledge_base()
    for item in ITEMS:
        topic = classify(item["request"], kb).topic
        if topic is None:
            continue
        for rg in resolve(kb, topic, dt.date.fromisoformat(item["ur_denial_date"])):
            assert not (rg.entry.document == "Chronic Pain Medical Treatment Guidelines" and rg.entry.edition == "2009")
