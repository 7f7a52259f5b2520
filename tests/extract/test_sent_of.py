"""facts._sent_of (issue 15: the sentence of a span, from the sentences built once per block) is spaCy's `span.sent`."""

from __future__ import annotations

from openimr.extract.facts import _sent_of
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces


def test_sent_of_is_spacys_sent():
    nlp = get_nlp()
    checked = 0
    for text in record_pieces(cases=20) + ["x", "A. B.\n\nC"]:
        doc = nlp(text)
        for span in list(doc.ents) + [doc[i : i + 3] for i in range(0, len(doc) - 3, 4)]:
            got, want = _sent_of(span), span.sent
            assert (got.start, got.end) == (want.start, want.end) and got == want, text[:60]
            checked += 1
    assert checked > 1000


def test_span_ents_are_spacys():
    """facts._span_ents (a span's entities from the block's entities read once) is spaCy's `span.ents`, once
    _Ctx has read the block (and spaCy's own before)."""
    from openimr.extract.facts import _ENTS_KEY, _span_ents

    nlp = get_nlp()
    checked = 0
    for text in record_pieces(cases=20):
        doc = nlp(text)
        spans = [s for s in doc.sents] + [doc[i : i + 7] for i in range(0, len(doc) - 7, 5)]
        assert [[(e.start, e.end, e.label_) for e in _span_ents(s)] for s in spans] == [
            [(e.start, e.end, e.label_) for e in s.ents] for s in spans]
        doc.user_data[_ENTS_KEY] = doc.ents
        for s in spans:
            got, want = _span_ents(s), s.ents
            assert [(e.start, e.end, e.label_) for e in got] == [(e.start, e.end, e.label_) for e in want], text[:60]
            checked += len(want)
    assert checked > 300


def test_region_near_with_the_sentence_memo():
    """facts._region_near reads a sentence's regions once per block (_Ctx.regions): the same answers."""
    from openimr.extract.facts import _region_near
    from openimr.extract.patterns import REGION_RX

    memo: dict = {}
    checked = 0
    for text in record_pieces(cases=30) + ["Came back to the clinic; low back pain, neck and back stiffness, went back to work."]:
        for sent in text.split("."):
            spots = [(m.start(), m.end()) for m in REGION_RX.finditer(sent)] + [(i, i + 4) for i in range(0, len(sent), 13)]
            for rs, re_ in spots:
                assert _region_near(sent, rs, re_, memo) == _region_near(sent, rs, re_), sent[:60]
                checked += 1
    assert checked > 1000 and any(memo.values())


def test_section_from_user_data_is_medspacys():
    """facts._section reads a span's section from doc.user_data: the category medspaCy's getter gives."""
    from openimr.extract import facts as F
    from openimr.extract.cues import CUE_GROUP

    nlp = get_nlp()
    assert F._section_default() is not F._NO_FAST_SECTION  # the fast path is taken
    checked = named = 0
    for text in record_pieces(cases=30) + ["PLAN: PT 2x6.\nPAST MEDICAL HISTORY: HTN.\nMedications: Norco."]:
        doc = nlp(text)
        for span in list(doc.ents) + list(doc.spans.get(CUE_GROUP, [])) + [doc[i : i + 2] for i in range(0, len(doc) - 2, 7)]:
            try:
                want = span._.section_category
            except (AttributeError, IndexError):
                want = None
            assert F._section(span) == want, (text[:60], span.text)
            checked += 1
            named += want is not None
    assert checked > 1000 and named > 300


def test_plain_span_attributes_read_from_user_data():
    """facts._attr reads a plain span extension from doc.user_data: the value `span._` gives, for every
    attribute the facts stage reads this way, on every entity and cue span (and on spans nothing was set on)."""
    from openimr.extract import facts as F
    from openimr.extract.cues import CUE_GROUP

    names = ["is_negated", "is_historical", "is_hypothetical", "is_uncertain", "is_family", "openimr_drug"]
    nlp = get_nlp()
    checked = set_ = 0
    for text in record_pieces(cases=30):
        doc = nlp(text)
        for span in list(doc.ents) + list(doc.spans.get(CUE_GROUP, [])) + [doc[i : i + 2] for i in range(0, len(doc) - 2, 9)]:
            for name in names:
                want = getattr(span._, name)
                assert F._attr(span, name) == want and type(F._attr(span, name)) is type(want), (name, span.text)
                checked += 1
                set_ += bool(want)
    assert checked > 5000 and set_ > 200
    assert all(F._PLAIN_ATTRS[n] is not F._NOT_PLAIN for n in names)  # the direct read is taken
