"""The spaCy/medspaCy pipeline, built once per process.

    sentencizer -> clinical line breaks -> medspaCy TargetMatcher (findings, treatments, studies,
    work status, function) -> drug mentions (openimr.guidelines.drugs) -> medspaCy Sectionizer ->
    medspaCy ConText (negation, historical, hypothetical) -> sentence cues (a span group) -> a second
    ConText over the cues

`spacy.blank("en")` plus rule components only: nothing is downloaded, and the pipeline loads in
well under a second. PyRuSH (medspaCy's default sentence splitter) is not used, and its loguru
logger is disabled in case another import enables it, so no record text reaches a log.

Cold start (issue 15): nltk, which medspaCy imports through QuickUMLS, is deferred (deferred.py);
other packages' spaCy plug-ins are not imported; the patterns are not schema-checked as they are
added (a test checks them). The Sectionizer is medspaCy's with a faster last step (sections.py).
"""

from __future__ import annotations

import gc
import re
import threading
from typing import Any

import numpy as np

_LOCK = threading.Lock()

# A header line ("PLAN:", "Current medications:") or a list item starts a new sentence.
_HEADER_LINE = re.compile(r"[A-Z][A-Za-z /&()-]{0,50}:")  # "S:", "P:" (a PR-2 SOAP letter) too
_LIST_ITEM = re.compile(r"(?:\d{1,2}[.)]|[-*\u2022])\s")


def _silence_loguru() -> None:
    try:
        from loguru import logger

        logger.disable("PyRuSH")
        logger.disable("medspacy")
    except ImportError:  # pragma: no cover - loguru ships with medspaCy
        pass


_NLP: Any = None


def get_nlp() -> Any:
    """The shared pipeline, built once per process (thread-safe: the build registers spaCy components)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                _NLP = _build()
                # Speed: the pipeline (and whatever the process loaded before it: modules, the knowledge
                # base) lives as long as the process; moved out of the collector's generations, it is no
                # longer traversed by every garbage collection made while extracting. Costs nothing now.
                gc.freeze()
    return _NLP


def _build() -> Any:
    _silence_loguru()
    from openimr.extract.deferred import import_medspacy

    import_medspacy()  # registers the medspacy_* factories and extensions (QuickUMLS's nltk left unrun)
    import spacy
    from medspacy.context import ConTextRule
    from medspacy.section_detection import SectionRule
    from spacy.language import Language
    from spacy.tokens import Span
    from spacy.util import filter_spans

    from openimr.extract import rules as R

    nlp = _blank_english(spacy)
    nlp.max_length = 2_000_000
    nlp.tokenizer = SeededTokenizer(nlp.tokenizer)

    @Language.component("openimr_line_breaks")
    def line_breaks(doc):  # type: ignore[no-untyped-def]
        text = doc_text(doc)
        # speed: only a token after a whitespace token or after a line break can start a line
        # (spaCy keeps at most one plain space as a token's trailing whitespace)
        from spacy.attrs import IS_SPACE

        after_space = (np.flatnonzero(doc.to_array(IS_SPACE)[:-1]) + 1).tolist() if len(doc) > 1 else []
        for i in after_space:
            tok = doc[i]
            prev = doc[tok.i - 1]
            if "\n" not in prev.text_with_ws[len(prev.text) :] and not prev.is_space:
                continue
            if not prev.is_space and "\n" not in prev.whitespace_:
                continue
            line = text[tok.idx : tok.idx + 60]
            # the last non-space token before the line break
            j = tok.i - 1
            while j > 0 and doc[j].is_space:
                j -= 1
            if doc[j].text.endswith(":") or _HEADER_LINE.match(line) or _LIST_ITEM.match(line):
                tok.is_sent_start = True
        return doc

    @Language.component("openimr_drugs")
    def drug_mentions(doc):  # type: ignore[no-untyped-def]
        from openimr.guidelines.drugs import find_drug_mentions

        spans = []
        for start, end, info in find_drug_mentions(doc_text(doc)):
            span = doc.char_span(start, end, label="MED", alignment_mode="expand")
            if span is None:
                continue
            span = Span(doc, span.start, span.end, label="MED")
            span._.openimr_drug = info
            spans.append(span)
        if spans:
            # a treatment entity that is also a drug ("Botox") keeps its label and carries the drug;
            # otherwise drug names win over overlapping findings
            ents = list(doc.ents)
            keep = []
            for span in filter_spans(spans):
                tx = [e for e in ents if e.label_.startswith("TX:") and e.start <= span.start and span.end <= e.end]
                if tx:
                    tx[0]._.openimr_drug = span._.openimr_drug
                    continue
                keep.append(span)
            taken = {i for s in keep for i in range(s.start, s.end)}
            others = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
            doc.ents = sorted(others + keep, key=lambda s: s.start)
        return doc

    if not Span.has_extension("openimr_drug"):
        Span.set_extension("openimr_drug", default=None)

    nlp.add_pipe("sentencizer")
    nlp.add_pipe("openimr_line_breaks")

    # medspaCy's TargetMatcher with result_type=None returns the matched spans; they are set as
    # doc.ents in one step (adding them one at a time, as the "ents" mode does, is quadratic)
    from medspacy.target_matcher import TargetMatcher

    tm = TargetMatcher(nlp, result_type=None)
    _no_validation(tm._TargetMatcher__matcher)

    @Language.component("openimr_targets")
    def targets(doc):  # type: ignore[no-untyped-def]
        spans = []
        for sp in tm(doc):
            start, end = sp.start, sp.end
            while end > start and doc[end - 1].is_space:  # optional trailing tokens can end on a line break
                end -= 1
            while start < end and doc[start].is_space:
                start += 1
            if end > start:
                spans.append(sp if (start, end) == (sp.start, sp.end) else Span(doc, start, end, label=sp.label_))
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc

    nlp.add_pipe("openimr_targets")
    trules = target_rules()
    tm.add(trules)
    _window_targets(nlp, tm, trules)

    nlp.add_pipe("openimr_drugs")

    import openimr.extract.sections  # noqa: F401 - registers openimr_sectionizer (medspaCy's, a faster last step)

    sectionizer = nlp.add_pipe(
        "openimr_sectionizer", name="medspacy_sectionizer", config={"rules": None, "require_start_line": True}
    )
    _no_validation(sectionizer._Sectionizer__matcher)
    srules = []
    for literal, cat in R.SECTION_RULES:
        pattern = [{"LOWER": w} for w in literal.split()] + [{"TEXT": ":"}]
        srules.append(SectionRule(literal=literal + ":", category=cat, pattern=pattern))
    for literal, cat in R.SECTION_DASH_RULES:
        srules.append(SectionRule(literal=literal + " -", category=cat,
                                  pattern=[{"LOWER": literal}, {"TEXT": {"IN": ["-", "\u2013"]}}]))
    sectionizer.add(srules)

    import openimr.extract.context  # noqa: F401 - registers openimr_context (medspaCy's, a faster pairing step)

    ctx = nlp.add_pipe("openimr_context", name="medspacy_context", config={"rules": None})
    _no_validation(ctx._ConText__matcher)
    from importlib import resources

    default_path = resources.files("resources").joinpath("en/context_rules.json") if _has_resources() else None
    crules = []
    if default_path is not None:
        for r in ConTextRule.from_json(str(default_path)):
            if r.literal.lower() in R.CONTEXT_DROP:
                continue
            crules.append(r)
    for literal, cat, direction, pattern in R.CONTEXT_RULES:
        # a bare "negative" reaches only the few words next to it ("FABER negative", "negative SLR")
        max_scope = _SCOPES.get(literal, 1 if literal.startswith("negative (") else None)
        if pattern is None and " " in literal:
            # a modifier phrase may be broken across lines ("is\n negative")
            pattern = []
            for i, word in enumerate(literal.split()):
                if i:
                    pattern.append({"IS_SPACE": True, "OP": "*"})
                pattern.append({"LOWER": word})
        crules.append(ConTextRule(literal, cat, direction=direction, pattern=pattern, max_scope=max_scope))
    ctx.add(_expand_context_rules(crules))
    _window_context(ctx)
    _window_sections(sectionizer)
    _cache_predicates(tm._TargetMatcher__matcher, ctx._ConText__matcher, sectionizer._Sectionizer__matcher)
    _add_cue_context(nlp, crules, ConTextRule, Language)
    _own_span_matching(nlp, ctx._ConText__matcher, sectionizer._Sectionizer__matcher,
                       nlp.get_pipe("openimr_cue_context")._ConText__matcher)
    return nlp


def _own_span_matching(nlp: Any, *matchers: Any) -> None:
    """Speed: the windowed matchers' token patterns matched by tokmatch.SpanMatcher instead of spaCy's Matcher
    (spaCy's still for a window where two rules match the same tokens, and for patterns it cannot express)."""
    from openimr.extract import windows as W
    from openimr.extract.tokmatch import SpanMatcher, Unsupported

    for m in matchers:
        if not isinstance(m, W.WindowedMatcher):
            continue
        rules = [r for r in m._inner.rules if isinstance(r.pattern, list)]
        try:
            m._token_memo.matcher = SpanMatcher(m._matcher, rules, nlp.vocab.strings)
        except Unsupported:
            continue
        if isinstance(m, W.ModifierMatcher):  # it now takes whole windows; spaCy, if needed, the short ones
            m._token_memo.matcher.on_tie = m.spacy_near
        elif getattr(m._windows, "restricts_only", False):  # windows that only save spaCy work: the whole doc
            m._windows = _whole_doc


def _whole_doc(doc: Any) -> list[tuple[int, int]]:
    return [(0, len(doc))] if len(doc) else []


TEXT_KEY = "openimr_text"  # doc.user_data: the text the doc was made from


def doc_text(doc: Any) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class SeededTokenizer:
    """spaCy's tokenizer, with its cache seeded one word at a time (speed only: the tokens are the same).

    spaCy caches how each whitespace-separated string splits into tokens, but stops adding to the cache
    for the rest of a document once a special case ("Dr.", "p.m.", "can't") has been used in it
    (spaCy issue 1250), so in clinical notes most words were split afresh in every document: 14% of a
    20-page draft. A word not seen before in this process is first tokenized alone, which caches its
    split unless the word itself involves a special case; the document is then tokenized as usual
    and reads that split from the cache. A string's split depends on the string alone, so this changes
    nothing but the time.
    """

    MAX_SEEN = 500_000

    def __init__(self, tokenizer: Any):
        self._tokenizer = tokenizer
        self._seen: set[str] = set()

    def __call__(self, text: str) -> Any:
        tok = self._tokenizer
        new = set(text.split())
        new -= self._seen
        if new:
            if len(self._seen) + len(new) > self.MAX_SEEN:
                self._seen.clear()
            for word in new:
                tok(word)
            self._seen |= new
        doc = tok(text)
        doc.user_data[TEXT_KEY] = text  # spaCy's Doc.text joins every token again on each call
        return doc

    def __getattr__(self, name: str) -> Any:  # rules, vocab, explain, ... of the wrapped tokenizer
        return getattr(self._tokenizer, name)


def _blank_english(spacy: Any) -> Any:
    """`spacy.blank("en")` without importing other packages' spaCy plug-ins.

    Every new Language imports each factory that an installed package declares under the
    `spacy_factories` entry point, in case a pipeline names it; presidio-analyzer declares one, and
    importing it compiles all of presidio's recognizers (~0.27 s of a cold start). This pipeline uses
    only spaCy's and medspaCy's own factories (medspaCy registers them when imported), so the entry
    points are left unread while this Language is made; the switch is restored at once.
    """
    registry = getattr(spacy.util.registry, "_entry_point_factories", None)
    if registry is None or not hasattr(registry, "entry_points"):  # another spaCy: the ordinary way
        return spacy.blank("en")
    saved = registry.entry_points
    registry.entry_points = False
    try:
        return spacy.blank("en")
    finally:
        registry.entry_points = saved


def target_rules() -> list[Any]:
    """The TargetMatcher's rules: each rule table's entries labelled "<prefix>:<name>" (the facts stage
    reads the prefix)."""
    from medspacy.target_matcher import TargetRule

    from openimr.extract import rules as R

    rule_tables = (
        ("F", R.FINDING_RULES), ("F-", R.ABSENT_RULES), ("TX", R.TREATMENT_RULES), ("MOD", R.MODALITY_RULES),
        ("SF", R.STUDY_FINDING_RULES), ("WS", R.WORK_RULES), ("FN", R.FUNCTION_RULES),
    )
    return [
        rule for prefix, table in rule_tables for name, pat in table
        for rule in _trule(TargetRule, name, f"{prefix}:{name}", pat)
    ]


def _no_validation(medspacy_matcher: Any) -> None:
    """Speed: spaCy's Matcher checks each token pattern against its pydantic schema as it is added (most of
    the pipeline's build time). The patterns are ours and fixed, so tests/extract/test_patterns_valid.py
    validates every one of them once instead; `validate` is the Matcher's public switch for this."""
    medspacy_matcher._MedspacyMatcher__matcher.validate = False


def _add_cue_context(nlp: Any, crules: list[Any], rule_cls: Any, language: Any) -> None:
    """Sentence cues (extract/cues.py) as a span group, read by a second ConText with the same rules; ","
    and ";" end a modifier's scope there (a cue is a clause: "not homebound; drove herself")."""
    from openimr.extract import cues as C
    from openimr.extract import windows as W

    language.component("openimr_cue_spans", func=C.mark_cue_spans)
    nlp.add_pipe("openimr_cue_spans")
    cctx = nlp.add_pipe("openimr_context", name="openimr_cue_context",
                        config={"rules": None, "input_span_type": "group", "span_group_name": C.CUE_GROUP})
    terminators = [rule_cls(p, "TERMINATE", direction="TERMINATE") for p in (",", ";")]
    _no_validation(cctx._ConText__matcher)  # the same rules as the first ConText's, checked by the same test
    cctx.add(_expand_context_rules(crules + terminators))
    cctx._ConText__matcher = W.WindowedMatcher(cctx._ConText__matcher, C.cue_windows)
    _cache_predicates(cctx._ConText__matcher)


def _expand_context_rules(crules: list[Any]) -> list[Any]:
    """Speed: a modifier pattern whose first token is a word list becomes one copy per word (same rule,
    same place in the order), so the Matcher compares that token in C instead of calling Python."""
    import copy

    from openimr.extract.rules import expand_first_token

    out = []
    for rule in crules:
        variants = expand_first_token(rule.pattern) if isinstance(rule.pattern, list) else [rule.pattern]
        if len(variants) <= 1:
            out.append(rule)
            continue
        for pattern in variants:
            clone = copy.copy(rule)
            clone.pattern = pattern
            out.append(clone)
    return out


def _cache_predicates(*matchers: Any) -> None:
    """Speed: the rules' REGEX / IN tests depend on the word alone; remember them per word (see windows.py)."""
    from openimr.extract import windows as W

    for m in matchers:
        inner = getattr(m, "_inner", m)
        W.cache_lexical_predicates(inner._MedspacyMatcher__matcher)


def _window_targets(nlp: Any, tm: Any, trules: list[Any]) -> None:
    """Speed: the TargetMatcher looks only from a possible first word to its sentence end (see windows.py)."""
    from openimr.extract import windows as W

    inner = tm._TargetMatcher__matcher
    patterns = [r.pattern for r in trules if isinstance(r.pattern, list)]
    tests = W.first_token_tests(patterns)
    if tests is None or any(isinstance(r.pattern, str) for r in trules):
        return
    if any(r.pattern is None for r in trules):
        if inner._MedspacyMatcher__phrase_matcher_attr.upper() != "LOWER":
            return
        for r in trules:
            if r.pattern is None:
                words = [t.lower_ for t in nlp.make_doc(r.literal.lower()) if not t.is_space]
                if not words:
                    return
                tests.append(lambda lo, tx, w=words[0]: lo == w)
    if all(isinstance(r.pattern, list) for r in trules):
        from openimr.extract.tokmatch import TargetTokenMatcher, Unsupported

        try:  # our own matching over token arrays (tokmatch.py); spaCy's, bucketed, for what it cannot express
            tm._TargetMatcher__matcher = TargetTokenMatcher(inner, nlp)
        except Unsupported:
            tm._TargetMatcher__matcher = W.BucketedMatcher(inner, nlp)
        return
    starts = W.StartFilter(tests)
    tm._TargetMatcher__matcher = W.WindowedMatcher(inner, lambda doc: W.target_windows(doc, starts))


def _window_sections(sectionizer: Any) -> None:
    """Speed: the Sectionizer's header patterns have no operators, so a header is found by looking only at
    the few tokens from each word that can begin one (see windows.header_windows)."""
    from openimr.extract import windows as W

    inner = sectionizer._Sectionizer__matcher
    rules = inner.rules
    if not rules or not all(isinstance(r.pattern, list) and all("OP" not in t for t in r.pattern) for r in rules):
        return
    tests = W.first_token_tests([r.pattern for r in rules])
    if tests is None:
        return
    starts = W.StartFilter(tests)
    longest = max(len(r.pattern) for r in rules)
    def windows(doc: Any) -> list[W.Window] | None:
        return W.header_windows(doc, starts, longest)

    windows.restricts_only = True  # type: ignore[attr-defined] # the matches are those of the whole doc
    sectionizer._Sectionizer__matcher = W.WindowedMatcher(inner, windows)


def _window_context(ctx: Any) -> None:
    """Speed: ConText looks for modifiers only in and next to the sentences that hold a target (see windows.py)."""
    from openimr.extract import windows as W

    if getattr(ctx, "use_context_window", False) or ctx.input_span_type != "ents":
        return
    inner = ctx._ConText__matcher
    patterns = [r.pattern for r in inner.rules if isinstance(r.pattern, list)]
    tests = W.first_token_tests(patterns) if patterns else None
    longest = W.bounded_length(patterns)
    if tests is None or longest is None:
        ctx._ConText__matcher = W.WindowedMatcher(inner, W.context_windows)
        return
    ctx._ConText__matcher = W.ModifierMatcher(inner, W.StartFilter(tests), longest)


# short-reach modifiers: a bare "negative" or a verb negation reaches only the words next to it
_SCOPES = {"negative": 5, "not": 5, "has not": 5, "have not": 5, "had not": 5, "is not": 5}


def _has_resources() -> bool:
    try:
        from importlib import resources

        return resources.files("resources").joinpath("en/context_rules.json").is_file()
    except (ModuleNotFoundError, TypeError):
        return False


def _trule(cls: Any, literal: str, label: str, pat: Any) -> list[Any]:
    from openimr.extract.rules import expand_first_token

    if isinstance(pat, str):
        return [cls(pat, label)]
    return [cls(literal, label, pattern=p) for p in expand_first_token(pat)]


def process(text: str) -> Any:
    """Run the pipeline over one document's text (long texts in line-aligned chunks)."""
    nlp = get_nlp()
    return nlp(text)
