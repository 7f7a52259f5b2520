"""Knowledge-base synonym phrases compiled lazily behind a substring pre-check (issue 15, cold start).

The pre-check must only skip phrases whose compiled pattern could not match: `_kb_topic` must answer
exactly as a loop over the eagerly compiled patterns does, on every labeled request, every synonym as a
request (in several cases), and text the pre-check does not apply to (non-ASCII).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from openimr.guidelines import classifier
from openimr.guidelines.knowledge_base import default_knowledge_base

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def vocab():
    classifier._VOCAB_CACHE.clear()  # fresh phrases: nothing compiled yet
    return classifier._vocabulary(default_knowledge_base())


def _eager_topic(text: str, eager, min_words: int) -> str | None:
    for rx, tid, words in eager:
        if words >= min_words and rx.search(text):
            return tid
    return None


def _texts(vocab) -> list[str]:
    labeled = [i["text"] for i in yaml.safe_load((DATA / "requests.yaml").read_text())]
    dev = [i["request"] for i in yaml.safe_load((DATA / "dev_letter_requests.yaml").read_text())["items"]]
    kb = default_knowledge_base()
    terms = [t for topic in kb.topics.values() for t in [*topic.synonyms, *topic.generics]][::9]
    variants = [v for t in terms for v in (t.upper(), f"left {t}-2x6", f"{t}s")]
    # non-ASCII text and case folding the pre-check must leave to the pattern ("K" is KELVIN SIGN)
    odd = ["MRI lumbar spine – without contrast", "Cortisone injection \u212anee", "physioth\u00e9rapie 2x6",
           "Lyrica\u00ae 75mg #60", "naproxen\u00a0550mg"]
    return labeled + dev + variants + odd


def test_lazy_phrases_answer_as_eager_patterns(vocab) -> None:
    texts = _texts(vocab)
    assert len(texts) > 800
    eager = [(re.compile(p.source, re.IGNORECASE), tid, words) for p, tid, _length, words in vocab.phrases]
    hits = 0
    for text in texts:
        for min_words in (1, 2):
            want = _eager_topic(text, eager, min_words)
            assert classifier._kb_topic(text, vocab, min_words) == want, (text, min_words)
            hits += want is not None
    assert hits > 300  # the comparison covers matches, not only misses


def test_precheck_skips_without_compiling(vocab) -> None:
    phrase = next(p for p, *_ in vocab.phrases if p.words)
    fresh = classifier._Phrase(phrase.source, phrase.words)
    assert not fresh.search("zzz", "zzz")
    assert fresh._rx is None
    word = " ".join(fresh.words)
    assert fresh.search(word, word.lower()) == bool(re.search(fresh.source, word, re.IGNORECASE))
    assert fresh._rx is not None
