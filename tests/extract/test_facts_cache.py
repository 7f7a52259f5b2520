"""The in-process facts cache (issue 15): the same facts as reading afresh, fresh objects on every call,
and a new read whenever anything the facts depend on changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from openimr.extract import cache as C
from openimr.extract import extract_facts
from openimr.models.case import CaseFile, DisputedItem, Document, RequestForAuthorization

ROOT = Path(__file__).resolve().parents[2]

NOTE = ("PROGRESS REPORT 03/02/2015\nCURRENT MEDICATIONS: Norco 10/325 mg every 6 hours, Soma 350 mg twice daily.\n"
        "She completed 12 sessions of physical therapy with 30% relief. Straight leg raise is positive on the left.\n"
        "Pain is 7/10 without medications and 4/10 with medications. No bowel or bladder dysfunction.\n"
        "PLAN: Request left L4-5 transforaminal epidural steroid injection. Work status: modified duty.\n")


def case_of(*texts: str, ids: list[str] | None = None, request_date: str | None = None) -> CaseFile:
    return CaseFile(
        disputed_items=[DisputedItem(request="Soma 350mg #90")],
        documents=[Document(id=(ids[i] if ids else f"d{i}"), text=t) for i, t in enumerate(texts)],
        request_for_authorization=RequestForAuthorization(date=dt.date.fromisoformat(request_date)) if request_date else None,
    )


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    monkeypatch.delenv("OPENIMR_FACTS_CACHE", raising=False)
    C.clear()
    yield
    C.clear()


def uncached(case: CaseFile, monkeypatch) -> str:
    monkeypatch.setenv("OPENIMR_FACTS_CACHE", "0")
    try:
        return extract_facts(case).model_dump_json()
    finally:
        monkeypatch.delenv("OPENIMR_FACTS_CACHE")


def test_labeled_cases_give_the_same_facts_cached_and_not(monkeypatch):
    for path in sorted((ROOT / "tests" / "data" / "cases").glob("*.yaml"))[:12]:
        case = CaseFile.model_validate(yaml.safe_load(path.read_text())["case"])
        expected = uncached(case, monkeypatch)
        assert extract_facts(case).model_dump_json() == expected, path.name  # filled
        assert extract_facts(case).model_dump_json() == expected, path.name  # served from the cache
    assert C.cases.hits >= 12


def test_each_call_gets_its_own_objects():
    case = case_of(NOTE)
    first = extract_facts(case)
    assert first.medications and first.findings
    first.medications[0].evidence.clear()
    first.findings.clear()
    second = extract_facts(case)
    assert C.cases.hits == 1
    assert second.findings and second.medications[0].evidence


def test_a_changed_document_is_read_again_and_the_others_are_not(monkeypatch):
    a, b = NOTE, NOTE.replace("Soma", "Flexeril").replace("03/02/2015", "04/06/2015")
    before = extract_facts(case_of(a, b))
    changed = case_of(a, b.replace("positive on the left", "negative"))
    C.documents.hits = C.documents.misses = 0
    after = extract_facts(changed)
    assert (C.documents.hits, C.documents.misses) == (1, 1)
    assert after.model_dump_json() != before.model_dump_json()
    assert after.model_dump_json() == uncached(changed, monkeypatch)


def test_the_request_date_is_part_of_a_documents_key(monkeypatch):
    early = case_of(NOTE, request_date="2015-03-10")
    late = case_of(NOTE, request_date="2016-09-10")
    extract_facts(early)
    C.documents.hits = 0
    assert extract_facts(late).model_dump_json() == uncached(late, monkeypatch)
    assert C.documents.hits == 0


def test_documents_that_share_an_id_are_read_together_as_before(monkeypatch):
    case = case_of(NOTE, NOTE.replace("left", "right"), ids=["same", "same"])
    assert extract_facts(case).model_dump_json() == uncached(case, monkeypatch)
    assert len(C.documents) == 0


def test_the_switch_turns_the_cache_off(monkeypatch):
    monkeypatch.setenv("OPENIMR_FACTS_CACHE", "0")
    extract_facts(case_of(NOTE))
    extract_facts(case_of(NOTE))
    assert len(C.cases) == 0 and len(C.documents) == 0


def test_the_tables_are_bounded():
    table = C._LRU(max_entries=3, max_bytes=10)
    for i in range(5):
        table.put(str(i), b"xx")
    assert len(table) == 3 and table.get("0") is None and table.get("4") == b"xx"
    table.put("big", b"x" * 11)  # larger than the whole table: not kept
    assert table.get("big") is None
    for i in range(5):
        table.put(f"k{i}", b"xxxx")
    assert len(table) == 2  # 2 x 4 bytes <= 10


def test_the_extractor_version_names_the_package_version():
    from openimr import __version__

    assert C.extractor_version().startswith(__version__ + "+")
    assert C.key_of("a", "b") != C.key_of("a", "c") != C.key_of("ab")


def test_the_extractor_version_follows_the_lexicon(monkeypatch):
    # the extractor reads words through the lexicon (regions, levels, dates): a change there changes what it reads
    lexicon = ROOT / "src" / "openimr" / "lexicon" / "regions.py"
    real = Path.read_bytes
    monkeypatch.setattr(C, "_VERSION", None)
    before = C.extractor_version()
    monkeypatch.setattr(C, "_VERSION", None)
    monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + b"#changed" if p.resolve() == lexicon.resolve() else real(p))
    assert C.extractor_version() != before
