from engine_helpers import facts, soma_request

from openimr.engine.derive import FactResolver
from openimr.engine.evaluate import apply_op, evaluate_condition, judge
from openimr.engine.rationale import build_rationale, guideline_line
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.knowledge import Condition, GuidelineEntry


def entry(status="recommended_with_criteria", criteria=None, mtus=True) -> GuidelineEntry:
    return GuidelineEntry.model_validate({
        "source": "MTUS" if mtus else "ODG",
        "mtus": mtus,
        "document": "Chronic Pain Medical Treatment Guidelines" if mtus else "Official Disability Guidelines (ODG)",
        "edition": "2009",
        "effective_from": "2009-07-18",
        "sections": ["Muscle relaxants (for pain)"],
        "pages": "63-66",
        "status": status,
        "summary": "Muscle relaxants are a second-line option for a short course during an acute flare.",
        "criteria": criteria or [
            {"id": "mr.flare", "statement": "An acute exacerbation is documented.",
             "test": {"fact": "finding.acute_exacerbation"},
             "documentation": "Describe the acute flare.",
             "rationale": {"met": "A flare is documented.", "unmet": "No flare: the pain is chronic and stable.",
                           "undocumented": "The records do not document an acute flare."},
             "citation": {"source": "MTUS", "sections": ["Muscle relaxants (for pain)"], "pages": "63"}},
            {"id": "mr.short", "statement": "Short course only, not beyond two to three weeks.",
             "test": {"fact": "medication.duration_days", "op": "le", "value": 21},
             "applies_when": {"fact": "medication.current"},
             "documentation": "The start date of the course.",
             "rationale": {"met": "A short course of {medication.duration_days} days.",
                           "unmet": "Taken for {medication.duration_days} days, beyond a short course.",
                           "undocumented": "The duration of use is not documented."},
             "citation": {"source": "MTUS", "pages": "65"}},
        ],
    })


def resolver(case, f):
    return FactResolver(facts=f, request=soma_request(), case=case, topic=default_knowledge_base().topic("carisoprodol"))


def test_three_valued_logic(case):
    r = resolver(case, facts(findings=[{"name": "muscle_spasm", "present": True}]))
    t = Condition(fact="finding.muscle_spasm")
    u = Condition(fact="finding.acute_exacerbation")
    f = Condition(fact="finding.muscle_spasm", op="is_false")
    assert evaluate_condition(Condition(all=[t, u]), r) is None
    assert evaluate_condition(Condition(all=[f, u]), r) is False
    assert evaluate_condition(Condition(any=[t, u]), r) is True
    assert evaluate_condition(Condition(any=[f, u]), r) is None
    assert evaluate_condition(Condition.model_validate({"not": u.model_dump()}), r) is None
    assert evaluate_condition(Condition(fact="finding.acute_exacerbation", op="undocumented"), r) is True
    assert apply_op("ge", None, 3) is None
    assert apply_op("in", "knee", ["knee", "hip"]) is True


def test_overturned_only_when_every_judged_criterion_met(case):
    met = facts(findings=[{"name": "acute_exacerbation", "present": True}],
                medications=[{"generic": "carisoprodol", "since": "2015-08-01"}])
    j = judge(entry(), resolver(case, met))
    assert j.decision == "Overturned"
    assert [c.result.met for c in j.judged] == [True, True]
    assert j.missing_documentation == []
    long = facts(findings=[{"name": "acute_exacerbation", "present": True}],
                 medications=[{"generic": "carisoprodol", "since": "2015-02-17"}])
    j = judge(entry(), resolver(case, long))
    assert j.decision == "Upheld"
    assert j.judged[1].result.met is False
    assert "177 days" in j.judged[1].text
    assert j.missing_documentation == ["The start date of the course."]


def test_applies_when_skips_and_undocumented_upholds(case):
    # medications documented, the requested one not among them: not current, so duration is not judged
    f = facts(medications=[{"generic": "ibuprofen"}])
    j = judge(entry(), resolver(case, f))
    assert [c.criterion.id for c in j.judged] == ["mr.flare"]
    assert j.decision == "Upheld"
    assert j.judged[0].result.met is None
    assert j.missing_documentation == ["Describe the acute flare."]
    # no medication list at all: whether it is current is unknown, so the duration criterion may apply
    # and is undocumented (Kleene "applies -> test"), never skipped in the request's favour
    j = judge(entry(), resolver(case, facts()))
    assert [c.criterion.id for c in j.judged] == ["mr.flare", "mr.short"]
    assert all(c.result.met is None for c in j.judged) and j.decision == "Upheld"


def test_null_test_states_the_recommendation(case):
    crit = [{"id": "x.rec", "statement": "The guideline position on the drug.", "test": None,
             "rationale": {"met": "Recommended.", "unmet": "Not recommended.", "undocumented": "n/a"},
             "citation": {"source": "MTUS"}}]
    assert judge(entry("not_recommended", crit), resolver(case, facts())).decision == "Upheld"
    assert judge(entry("insufficient_evidence", crit), resolver(case, facts())).decision == "Upheld"
    assert judge(entry("limited", crit), resolver(case, facts())).decision == "Overturned"
    assert judge(entry("recommended", crit), resolver(case, facts())).decision == "Overturned"


def test_rationale_register_and_determinism(case):
    f = facts(medications=[{"generic": "carisoprodol", "since": "2015-02-17"}])
    j = judge(entry(), resolver(case, f))
    text = build_rationale("Soma 350mg #90", j)
    assert text.startswith("According to the MTUS Chronic Pain Medical Treatment Guidelines 2009 (Muscle relaxants (for pain), pp. 63-66), muscle relaxants")
    assert "beyond a short course" in text
    assert text.endswith("The request for Soma 350mg #90 is not medically necessary.")
    assert text == build_rationale("Soma 350mg #90", judge(entry(), resolver(case, f)))
    g = guideline_line(entry())
    assert g.mtus and g.text.startswith("Decision based on MTUS Chronic Pain Medical Treatment Guidelines 2009, Section(s): Muscle relaxants (for pain)")
    odg = guideline_line(entry(mtus=False))
    assert not odg.mtus and "did not base their decision on the MTUS" in odg.text
    assert odg.citations[0].source == "ODG"


def test_confidence_in_range_and_lower_when_undocumented(case):
    documented = judge(entry(), resolver(case, facts(findings=[{"name": "acute_exacerbation", "present": False}])))
    thin = judge(entry(), resolver(case, facts()))
    assert 0 <= thin.confidence < documented.confidence <= 1
