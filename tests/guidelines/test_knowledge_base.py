"""The knowledge base: loader errors name file, field and problem; hash stability; coverage."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from openimr.errors import GuidelineDataError, InputError
from openimr.guidelines.coverage import coverage, coverage_json
from openimr.guidelines.drugs import default_lexicon
from openimr.guidelines.knowledge_base import DATA_DIR, default_knowledge_base, load_knowledge_base

# The agreed topic ids (docs/guidelines.md lists them by category).
AGREED_TOPICS = re.findall(r"\S+", """
opioids tramadol carisoprodol muscle-relaxants benzodiazepines sleep-aids nsaids ppis antiepileptics
antidepressants topical-analgesics lidocaine-patch topical-salicylates topical-nsaids medical-foods acetaminophen
antiemetics epidural-steroid-injections facet-injections medial-branch-blocks radiofrequency-neurotomy
sacroiliac-joint-injections trigger-point-injections knee-injections shoulder-injections botulinum-toxin
spinal-cord-stimulation physical-therapy postsurgical-physical-therapy chiropractic acupuncture aquatic-therapy
massage work-conditioning functional-restoration-program psychological-treatment biofeedback
home-exercise-equipment tens h-wave interferential-current cold-therapy-units lumbar-supports mri-lumbar
mri-cervical mri-shoulder mri-knee emg-ncv x-rays urine-drug-testing functional-capacity-evaluation
lumbar-decompression lumbar-fusion knee-arthroscopy shoulder-arthroscopy carpal-tunnel-release office-visits
specialist-consultations home-health-services
""")

TEMPLATE = DATA_DIR / "carisoprodol.yaml"


def _template() -> dict:
    return yaml.safe_load(TEMPLATE.read_text())


def _write(folder: Path, name: str, data: dict | str) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


# ------------------------------------------------------------------ loader errors
def test_bad_yaml_names_file_and_line(tmp_path):
    path = _write(tmp_path, "carisoprodol.yaml", "id: carisoprodol\nname: [unclosed\n")
    with pytest.raises(GuidelineDataError) as err:
        load_knowledge_base(tmp_path)
    msg = str(err.value)
    assert str(path) in msg and "invalid YAML" in msg and "line" in msg
    assert isinstance(err.value, InputError)


def test_unknown_fact_names_the_field(tmp_path):
    data = _template()
    data["guidelines"][0]["criteria"][1]["test"] = {"fact": "medication.days_taken", "op": "le", "value": 21}
    path = _write(tmp_path, "carisoprodol.yaml", data)
    with pytest.raises(GuidelineDataError) as err:
        load_knowledge_base(tmp_path)
    msg = str(err.value)
    assert str(path) in msg
    assert "guidelines.0.criteria.1.test" in msg
    assert "unknown fact 'medication.days_taken'" in msg


def test_missing_citation_is_rejected(tmp_path):
    data = _template()
    del data["guidelines"][0]["criteria"][0]["citation"]
    _write(tmp_path, "carisoprodol.yaml", data)
    with pytest.raises(GuidelineDataError) as err:
        load_knowledge_base(tmp_path)
    assert "guidelines.0.criteria.0.citation" in str(err.value)


def test_id_must_match_file_name(tmp_path):
    _write(tmp_path, "soma.yaml", _template())
    with pytest.raises(GuidelineDataError) as err:
        load_knowledge_base(tmp_path)
    assert "soma.yaml" in str(err.value) and "id:" in str(err.value) and "does not match" in str(err.value)


def test_bad_status_and_missing_field(tmp_path):
    data = _template()
    data["guidelines"][0]["status"] = "maybe"
    _write(tmp_path, "carisoprodol.yaml", data)
    with pytest.raises(GuidelineDataError, match="guidelines.0.status"):
        load_knowledge_base(tmp_path)
    data = _template()
    del data["name"]
    _write(tmp_path, "carisoprodol.yaml", data)
    with pytest.raises(GuidelineDataError, match="name"):
        load_knowledge_base(tmp_path)


def test_duplicate_criterion_id(tmp_path):
    data = _template()
    crit = data["guidelines"][0]["criteria"]
    crit[1]["id"] = crit[0]["id"]
    _write(tmp_path, "carisoprodol.yaml", data)
    with pytest.raises(GuidelineDataError, match="duplicate criterion id"):
        load_knowledge_base(tmp_path)


def test_not_a_mapping_and_missing_folder(tmp_path):
    _write(tmp_path, "carisoprodol.yaml", "- just\n- a list\n")
    with pytest.raises(GuidelineDataError, match="must be a mapping"):
        load_knowledge_base(tmp_path)
    with pytest.raises(GuidelineDataError, match="not found"):
        load_knowledge_base(tmp_path / "nowhere")


# ------------------------------------------------------------------ hash
def test_content_hash_is_stable_and_tracks_content(tmp_path):
    shutil.copy(TEMPLATE, tmp_path / "carisoprodol.yaml")
    first = load_knowledge_base(tmp_path).content_hash
    assert load_knowledge_base(tmp_path).content_hash == first
    assert first.startswith("sha256:")
    other = tmp_path.parent / (tmp_path.name + "-copy")
    other.mkdir()
    shutil.copy(TEMPLATE, other / "carisoprodol.yaml")
    assert load_knowledge_base(other).content_hash == first  # depends on content, not on where it lives
    text = (tmp_path / "carisoprodol.yaml").read_text().replace("Carisoprodol (Soma)", "Carisoprodol (Soma) ", 1)
    (tmp_path / "carisoprodol.yaml").write_text(text)
    assert load_knowledge_base(tmp_path).content_hash != first


# ------------------------------------------------------------------ the packaged knowledge base
@pytest.fixture(scope="module")
def kb():
    return default_knowledge_base()


def test_at_least_45_topics_and_every_agreed_topic(kb):
    assert len(kb.topics) >= 45
    missing = [t for t in AGREED_TOPICS if t not in kb.topics]
    assert not missing, f"agreed topics without a file: {missing}"


def test_every_criterion_has_a_citation(kb):
    for topic in kb.topics.values():
        for g in topic.guidelines:
            assert g.document and g.edition, (topic.id, g.source)
            for c in g.criteria:
                cite = c.citation
                assert cite is not None and cite.document, (topic.id, c.id)
                assert cite.pages or cite.sections or cite.chapter, (topic.id, c.id, "citation names no place")


def test_every_topic_has_an_entry_covering_the_first_edition(kb):
    import datetime as dt

    day = dt.date(2015, 8, 18)  # inside the first-edition scope (mid-2009 to late 2017)
    for topic in kb.topics.values():
        assert any(g.in_force(day) for g in topic.guidelines), topic.id


def test_drug_topics_have_generics_the_lexicon_knows(kb):
    lex = default_lexicon()
    lexicon_topics = {e.topic for e in lex.entries}
    for topic in kb.topics.values():
        if topic.category == "drug":
            assert topic.id in lexicon_topics, f"no lexicon drug maps to {topic.id}"


@pytest.mark.parametrize(
    ("topic", "section", "page"),
    [
        ("carisoprodol", "Carisoprodol", "29"),
        ("muscle-relaxants", "Muscle relaxants", "63"),
        ("benzodiazepines", "Benzodiazepines", "24"),
        ("opioids", "Opioids", "76"),
    ],
)
def test_seed_citations_are_reproduced(kb, topic, section, page):
    cites = [c.citation for g in kb.topics[topic].guidelines for c in g.criteria]
    cites += [g.citation() for g in kb.topics[topic].guidelines]
    assert any(
        any(section.lower() in s.lower() for s in c.sections) and c.pages and page in c.pages for c in cites
    ), (topic, section, page)


def test_acoem_low_back_page_300_is_cited(kb):
    found = [
        t.id for t in kb.topics.values() for g in t.guidelines
        if g.source.upper().startswith(("ACOEM", "MTUS")) and g.pages and "300" in g.pages
        and ("12" in (g.chapter or "") or "ACOEM" in g.document)
    ]
    assert found


def test_coverage_counts_add_up(kb):
    rows, total = coverage(kb)
    assert total.topics == len(kb.topics)
    assert total.criteria == kb.criteria_count()
    assert total.cited_criteria == total.criteria
    assert sum(r.unverified for r in rows) == total.unverified
    data = coverage_json(kb)
    assert data["total"]["topics"] == len(kb.topics) and data["content_hash"] == kb.content_hash
