"""One reader of documents: once the extractor has read the record, the engine needs no record text."""

from pathlib import Path

from openimr.engine import review_case
from openimr.extract import extract_facts
from openimr.extract.caseio import load_case

ROOT = Path(__file__).resolve().parents[2]


def _blank_text(case):
    docs = [d.model_copy(update={"text": "x"}) for d in case.documents]
    return case.model_copy(update={"documents": docs})


def test_the_engine_decides_from_facts_alone_with_every_document_blanked():
    cases = [load_case(ROOT / "examples" / "case.json")]
    from openimr.engine.evalset import load_labeled_dir

    cases += [lc.case for _, lc in load_labeled_dir(ROOT / "tests" / "data" / "cases")]
    for case in cases:
        facts = extract_facts(case)
        full, _ = review_case(case, facts=facts)
        blank, _ = review_case(_blank_text(case), facts=facts)
        a = [(i.decision, i.unable_to_decide, [c.met for c in i.criteria], i.rationale) for i in full.items]
        b = [(i.decision, i.unable_to_decide, [c.met for c in i.criteria], i.rationale) for i in blank.items]
        assert a == b, case.case_number


def test_sentence_cues_carry_their_evidence_and_negation():
    from openimr.extract.cues import extract_cues
    from openimr.models.case import CaseFile

    text = ("He is motivated to return to work. She is not homebound; drove herself to the office.\n"
            "Prior L4-5 medial branch block gave 80% relief for 6 hours.\nNot a surgical candidate.")
    case = CaseFile.model_validate({"disputed_items": [{"request": "x"}], "documents": [{"id": "n", "text": text}]})
    cues = {c.name: c for c in extract_cues(case)}
    assert cues["motivated"].present and "motivated" in cues["motivated"].evidence[0].quote
    assert "homebound" not in cues and "homebound_mentioned" in cues and "leaves_home" in cues
    assert cues["block_result"].value == 80.0
    assert cues["surgery_not_planned"].present is False
    e = cues["motivated"].evidence[0]
    assert text[e.start:e.end] == e.quote
