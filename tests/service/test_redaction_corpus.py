"""The redaction corpus (tests/data/redaction/corpus.yaml): every identifier form leaves the published
version, every medical phrase survives it unchanged. The figures are in docs/service.md."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import regex
import yaml
from service_helpers import CASE

from openimr.models.case import CaseFile
from openimr.workflow.redaction import published_version

CORPUS = yaml.safe_load((Path(__file__).parents[1] / "data" / "redaction" / "corpus.yaml").read_text(encoding="utf-8"))
TEMPLATE = "On review of the records, {} was noted in the progress note of 07/30/2015."


def _case(parties: dict) -> CaseFile:
    data = {**copy.deepcopy(CASE), "documents": []}
    data["parties"] = parties
    data["request_for_authorization"] = {"date": "2015-08-13"}
    return CaseFile.model_validate(data)


def _redact(cf: CaseFile, text: str) -> str:
    out = published_version(cf, {"clinical_case_summary": text}, text)
    assert out["determination"]["clinical_case_summary"] == out["letter_text"]
    return out["letter_text"]


def _present(part: str, low: str) -> bool:
    if regex.search(r"\p{Han}", part):  # no word boundaries in CJK text
        return part.casefold() in low
    return bool(regex.search(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(part.casefold())}(?![\p{{L}}\p{{N}}])", low))


def leaked(secret: str, out: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The parts of `secret` still in `out`: the whole, or any of its words of 3+ characters
    (case-insensitive, whole words), except words in `ignore` (they occur in the medical text too)."""
    low = regex.sub(r"\[[a-z\- ]+\]", " ", out).casefold()  # the labels' own words ("[claims administrator]")
    found = [secret] if _present(secret, low) else []
    for w in regex.findall(r"[\p{L}\p{N}][\p{L}\p{N}'’]*", secret):
        if len(w) >= 3 and w.casefold() not in ignore and _present(w, low):
            found.append(w)
    return found


IDENTIFIERS = [(c["name"], c["parties"], i if isinstance(i, dict) else {"text": i, "secret": i})
               for c in CORPUS["cases"] for i in c["identifiers"]]
PHRASES = CORPUS["medical_phrases"]


def test_corpus_size():
    assert len(IDENTIFIERS) >= 100 and len(PHRASES) >= 100


@pytest.mark.parametrize("case_name,parties,item", IDENTIFIERS, ids=[f"{c}:{i['text']}" for c, _, i in IDENTIFIERS])
def test_identifier_leaves_the_published_version(case_name, parties, item):
    out = _redact(_case(parties), TEMPLATE.format(item["text"]))
    assert not leaked(str(item["secret"]), out), out
    assert "07/30/2015" in out and "progress note" in out  # the sentence around it is intact
    assert not regex.search(r"\]\p{Latin}|\p{Latin}\[", out), out  # no half-redacted word ("[injured worker]é")


@pytest.mark.parametrize("phrase", PHRASES)
def test_medical_phrase_survives(phrase):
    for c in CORPUS["cases"]:
        text = TEMPLATE.format(phrase)
        assert phrase in _redact(_case(c["parties"]), text), (c["name"], phrase)


def test_a_whole_letter_keeps_its_medicine_and_loses_its_people():
    c = CORPUS["cases"][0]
    secrets = [i if isinstance(i, str) else i["secret"] for i in c["identifiers"]]
    text = " ".join(TEMPLATE.format(p) for p in PHRASES) + " " + " ".join(
        TEMPLATE.format(i if isinstance(i, str) else i["text"]) for i in c["identifiers"])
    out = _redact(_case(c["parties"]), text)
    assert [p for p in PHRASES if p not in out] == []
    medical_words = frozenset(w.casefold() for p in PHRASES for w in regex.findall(r"[\p{L}\p{N}]+", p))
    assert [s for s in secrets if leaked(str(s), out, medical_words)] == []
