"""The cue scan's shortcuts (extract/literals.py, issue 15) change nothing: a rule skipped on a text has no
match there, a lower-cased pattern finds the same matches, and the cue spans are the plain scan's."""

from __future__ import annotations

import re

import pytest

from openimr.extract import cues as C
from openimr.extract import literals as L
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces

# texts that reach the edges: case, non-ASCII folding pairs, line starts, the literals themselves
EDGE = [
    "HOMEBOUND. Pt is Home Bound; MMI reached. Permanent and Stationary.",
    "With Norco he is able to walk 30 min. Without it she can't finish a shift.",
    "Decreased L5 and S1 dermatome sensation. UDS 06/10 c/w prescribed meds.",
    "Working full duty.\nFull duty driving; mows lawn. Walking 45 min (was 10-15).",
    "\u017fhe is homebound (long s). The \u212aelvin sign: \u212aeeps walking again.",
    "Caf\u00e9 visit: diagnostic medial branch block 80% relief. Comparative  block.",
    "",
]


def _all_rules() -> list[tuple[str, object, str]]:
    """(name, pattern, which text it scans: 'lower' or 'text')."""
    out = [(name, rules[0], "lower") for name, rules in C._RULES]
    out.append(("block", C._BLOCK, "text"))
    out += [(f"fc{k}", rx, "text") for k, (_, _, rx, _) in enumerate(C._FINDING_CUES) if isinstance(rx, re.Pattern)]
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return record_pieces() + EDGE


def test_a_skipped_rule_has_no_match(texts):
    skipped = scanned = 0
    for name, rx, which in _all_rules():
        pf = L.Prefilter(rx)
        for text in texts:
            lower = text.lower()
            scan = lower if which == "lower" else text
            if pf.may_match(scan if which == "lower" else text, lower):
                scanned += 1
                continue
            skipped += 1
            assert next(rx.finditer(scan), None) is None, (name, text[:80])
    assert skipped > scanned / 4  # the shortcut is taken (the test would not notice a filter that never skips)


def test_required_literals():
    assert L.Prefilter(re.compile(r"\b(a|bc)d\b")).literals is not None
    assert set(L.Prefilter(re.compile(r"\bhome ?bound\b|unable to leave")).literals) == {"bound", "unable to leave"}
    assert L.Prefilter(re.compile(r"x?y*")).literals is None  # a match may be empty of literals
    assert L.Prefilter(re.compile(r"(?i:abc)|def")).literals is None  # a local flag: no literal from it
    assert L.Prefilter(re.compile(r"(?=abc)\w+")).literals is None  # a lookahead's text is not required
    folded = L.Prefilter(re.compile(r"Homebound", re.I))
    assert folded.literals == ("homebound",)
    assert folded.may_match("HOMEBOUND", "homebound")
    assert folded.may_match("\u017fo", "\u017fo")  # not ASCII: scanned
    assert not folded.may_match("at home", "at home")


def test_lowered_patterns_find_the_same_matches(texts):
    pairs = [(rx, L.lowered(rx)) for _, rx, _ in _all_rules()]
    pairs = [(rx, low) for rx, low in pairs if low is not None]
    assert len(pairs) >= 4
    checked = 0
    for text in texts:
        if not text.isascii():
            continue
        lower = text.lower()
        for rx, low in pairs:
            assert [m.span() for m in rx.finditer(text)] == [m.span() for m in low.finditer(lower)], (rx.pattern[:60], text[:80])
            checked += 1
    assert checked > 1000
    assert L.lowered(re.compile(r"\S+x", re.I)) is None  # lower-casing would change \S
    assert L.lowered(re.compile(r"[A-z]", re.I)) is None
    assert L.lowered(re.compile(r"\x41", re.I)) is None
    assert L.lowered(re.compile(r"abc")) is None  # no IGNORECASE: nothing to do


def test_cue_spans_are_the_plain_scans(texts, monkeypatch):
    nlp = get_nlp()
    names = [n for n, _ in nlp.pipeline]
    before = nlp.pipeline[: names.index("openimr_cue_spans")]

    def spans_of(text: str) -> list[tuple[int, int, str]]:
        doc = nlp.make_doc(text)
        for _, proc in before:
            doc = proc(doc)
        doc = C.mark_cue_spans(doc)
        return [(sp.start, sp.end, sp.label_) for sp in doc.spans[C.CUE_GROUP]]

    fast = [spans_of(t) for t in texts]
    always = L.Prefilter(re.compile(""))
    monkeypatch.setattr(C, "_PREFILTERS", {name: always for name in C._PREFILTERS})
    monkeypatch.setattr(C, "_BLOCK_PREFILTER", always)
    monkeypatch.setattr(C, "_FC_PREFILTERS", [always] * len(C._FC_PREFILTERS))
    monkeypatch.setattr(C, "_FC_LOWERED", [None] * len(C._FC_LOWERED))
    monkeypatch.setattr(L, "finditer", lambda rx, text, present=None: rx.finditer(text))
    plain = [spans_of(t) for t in texts]
    assert fast == plain
    assert sum(len(s) for s in plain) > 200


def test_sentence_index_is_spacys(texts):
    nlp = get_nlp()
    for text in texts + ["x", "\n\n", "A. B.\n\n"]:
        doc = nlp(text)
        assert C._sentence_index(doc)[0] == [(s.start_char, s.end_char) for s in doc.sents], text[:60]


def test_start_scans_find_the_same_matches(texts, monkeypatch):
    """literals.finditer (tried only where a match can begin) gives rx.finditer's matches, for every cue
    pattern and its lower-cased form, on the record texts and the edge texts (each as is and lower-cased)."""
    assert any(L.start_scan(rx) is not None for _, rx, _ in _all_rules())  # the long alternation gets one
    monkeypatch.setattr(L, "MIN_ALTERNATIVES", 1)  # every pattern the scan understands, not just the long ones
    monkeypatch.setattr(L, "_SCANS", {})
    patterns = [rx for _, rx, _ in _all_rules()]
    patterns += [low for low in map(L.lowered, patterns) if low is not None]
    scanned = found = 0
    for rx in patterns:
        if L.start_scan(rx) is None:
            continue
        scanned += 1
        for text in texts:
            for t in (text, text.lower()):
                want = [m.span() for m in rx.finditer(t)]
                assert [m.span() for m in L.finditer(rx, t)] == want, (rx.pattern[:60], t[:80])
                found += len(want)
    assert scanned >= 20 and found > 300


def test_start_scan_edges(monkeypatch):
    monkeypatch.setattr(L, "MIN_ALTERNATIVES", 1)
    assert L.start_scan(re.compile(r"x?y*")) is None  # may match empty
    assert L.start_scan(re.compile(r"(?<=a)b|.c")) is None  # "." begins anywhere
    scan = L.start_scan(re.compile(r"\bfoo|bar", re.I))
    assert scan is not None and scan.pattern == r"\b(?=[Ff])|(?=[Bb])"
    kelvin = re.compile(r"\bkeeps\b", re.I)
    assert [m.span() for m in L.finditer(kelvin, "he \u212aeeps it")] == [(3, 8)]  # the sign folds to k
