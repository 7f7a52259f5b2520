"""The labeled set: the engine must meet the mark, and the five seeds must reproduce."""

from pathlib import Path

import pytest

from openimr.engine.evalset import load_labeled_dir, run_eval
from openimr.guidelines.knowledge_base import default_knowledge_base

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.fixture(scope="module")
def report():
    return run_eval(CASES)


def test_labeled_set_shape():
    labeled = load_labeled_dir(CASES)
    items = [e for _, lc in labeled for e in lc.expected]
    decided = [e for e in items if e.decision != "Ineligible"]
    assert len(decided) >= 60
    assert len({e.topic for e in items if e.topic}) >= 25
    assert sum(e.decision == "Overturned" for e in decided) / len(decided) >= 0.40
    kb = default_knowledge_base()
    ids = {c.id for t in kb.topics.values() for g in t.guidelines for c in g.criteria}
    for path, lc in labeled:
        for e in lc.expected:
            assert e.topic is None or e.topic in kb.topics, (path.name, e.topic)
            if e.decision != "Ineligible":
                assert e.justification in ids, (path.name, e.request, e.justification)


def test_engine_holds_its_measured_floor_on_the_realistic_rewrite(report):
    """A regression floor, not a mark of quality.

    The set was rewritten in PR-2 style on 2026-12-01 by a helper who never saw the engine (see
    tests/data/cases/README.md); the old wording scored 1.000 because it had been worded to suit the
    extractor. Figures measured on that rewrite are in docs/engine.md; raise the floor as the engine
    improves, never lower it to pass. On blank records at most 10% of the Overturned items may stay Overturned (issue #11's bar).
    """
    m = report.metrics()
    assert report.errors == []
    assert m["balanced_accuracy"] >= 0.98, m
    assert m["overturn_precision"] >= 0.95 and m["overturn_recall"] >= 0.96, m
    assert m["citation_agreement"] >= 0.95, m
    assert m["topic_agreement"] == 1.0, m
    blank = [i for i in report.blank_items if i.expected == "Overturned"]
    assert blank and sum(i.decision == "Overturned" for i in blank) / len(blank) <= 0.10


def test_seeds_reproduce_all_eleven_decisions_and_drug_sections(report):
    seeds = [i for i in report.items if i.case.startswith("seed-")]
    decided = [i for i in seeds if i.expected != "Ineligible"]
    assert len(decided) == 11
    assert all(i.decision == "Upheld" for i in decided), [(i.request, i.decision) for i in decided]
    # Issue 10 removed the rules written to reproduce these letters' citations. The seed letters themselves
    # disagree (SI injections: ODG in seed-000, ACOEM ch 12 in seed-004), so no rule that decides every case the
    # same way reproduces them all; the MTUS-first rule (8 CCR 9792.21.1) cites ACOEM for these three.
    differ = {("seed-000", "Bilateral sacroiliac joint (SI) injection"), ("seed-001", "Left L3-S1 Facet Block"),
              ("seed-001", "Right L3-S1 Facet Block")}
    assert {(i.case, i.request) for i in decided if i.citation_ok is False} == differ
    drugs = [i for i in decided if i.topic in {"carisoprodol", "benzodiazepines", "opioids"}]
    assert len(drugs) == 6 and all(i.citation_ok for i in drugs)
    esi = [i for i in seeds if i.expected == "Ineligible"]
    assert [i.decision for i in esi] == ["Ineligible"]


def test_holdout_written_after_freezing_the_engine():
    """Items written after the engine was frozen (two batches: 10/10 and 8/8 on their first runs)."""
    m = run_eval(CASES / "holdout").metrics()
    assert m["items"] >= 18
    assert m["accuracy"] >= 0.9 and m["balanced_accuracy"] >= 0.9, m


def _labels_layout(tmp_path, rows):
    import json
    import shutil

    import yaml

    example = Path(__file__).resolve().parents[2] / "examples" / "case.json"
    shutil.copy(example, tmp_path / "case-a.json")
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump({"items": rows}))
    return json.loads(example.read_text())["disputed_items"]


def test_a_set_written_apart_reads_from_labels_yaml(tmp_path):
    items = _labels_layout(tmp_path, [])
    rows = [{"case": "case-a.json", "item_index": 1, "request": items[1]["request"], "decision": "Upheld",
             "reason": "author's note, not scored"},
            {"case": "case-a.json", "item_index": 0, "decision": "Overturned"}]
    (tmp_path / "labels.yaml").write_text(__import__("yaml").safe_dump({"items": rows}))
    [(path, lc)] = load_labeled_dir(tmp_path)
    assert path.name == "case-a.json"
    assert [(e.request, e.decision) for e in lc.expected] == [(items[1]["request"], "Upheld"),
                                                               (items[0]["request"], "Overturned")]
    report = run_eval(tmp_path)
    assert len(report.items) == 2 and not report.errors


@pytest.mark.parametrize("row, problem", [
    ({"case": "case-a.json", "item_index": 9, "decision": "Upheld"}, "no such disputed item"),
    ({"case": "case-a.json", "item_index": 0, "request": "something else", "decision": "Upheld"}, "is not"),
    ({"case": "case-a.json", "item_index": 0, "decision": "Maybe"}, "decision must be"),
    ({"case": "missing.json", "item_index": 0, "decision": "Upheld"}, "cannot read case file"),
])
def test_a_bad_labels_file_is_one_clear_error(tmp_path, row, problem):
    from openimr.errors import InputError

    _labels_layout(tmp_path, [row])
    with pytest.raises(InputError, match=problem):
        load_labeled_dir(tmp_path)
