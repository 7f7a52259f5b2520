"""The pipeline adds its token patterns to spaCy's Matchers without per-pattern validation (issue 15: it was
most of the build time), so every pattern is validated here, once, against spaCy's own schema."""

from __future__ import annotations

from spacy.schemas import validate_token_pattern

from openimr.extract.pipeline import get_nlp, target_rules


def _errors(rules) -> dict[str, list[str]]:
    out = {}
    for rule in rules:
        if isinstance(rule.pattern, list):
            errors = validate_token_pattern(rule.pattern)
            if errors:
                out[f"{rule.category} {rule.literal!r}"] = errors
    return out


def test_the_schema_check_finds_a_bad_pattern():
    class Rule:
        category, literal, pattern = "X", "x", [{"LOWER": {"IN": "not a list"}}, {"NO_SUCH_ATTR": 1}]

    assert _errors([Rule()])


def test_every_target_pattern_is_valid():
    rules = target_rules()
    assert len(rules) > 100
    assert _errors(rules) == {}


def test_every_section_and_context_pattern_is_valid():
    nlp = get_nlp()
    sections = nlp.get_pipe("medspacy_sectionizer").rules
    context = nlp.get_pipe("medspacy_context").rules
    cue_context = nlp.get_pipe("openimr_cue_context").rules  # added unvalidated too (cold start, cold9)
    assert sections and context and cue_context
    assert _errors(sections) == {}
    assert _errors(context) == {}
    assert _errors(cue_context) == {}
