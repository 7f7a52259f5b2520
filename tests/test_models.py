import datetime as dt

import pytest
from pydantic import ValidationError

from openimr.models import CaseFile, Condition, Determination
from openimr.models.vocabulary import fact_spec


def test_case_file_requires_items_and_documents():
    with pytest.raises(ValidationError):
        CaseFile.model_validate({"documents": []})
    with pytest.raises(ValidationError):
        CaseFile.model_validate({"disputed_items": [{"request": "Soma 350mg #90"}]})
    case = CaseFile.model_validate(
        {"disputed_items": [{"request": "Soma 350mg #90"}], "documents": [], "utilization_review": {"date": "2015-08-18"}}
    )
    assert case.request_date() == dt.date(2015, 8, 18)


def test_condition_has_exactly_one_form():
    with pytest.raises(ValidationError):
        Condition.model_validate({"fact": "a", "all": [{"fact": "b"}]})
    with pytest.raises(ValidationError):
        Condition.model_validate({"fact": "a", "op": "le"})
    c = Condition.model_validate({"any": [{"fact": "x", "op": "ge", "value": 3}, {"not": {"fact": "y"}}]})
    assert c.facts() == ["x", "y"]


def test_vocabulary_knows_patterns_and_rejects_unknown_names():
    assert fact_spec("finding.muscle_spasm").type == "bool"
    assert fact_spec("treatment.physical_therapy.sessions").type == "int"
    assert fact_spec("treatment.physical_therapy.tried").type == "bool"
    assert fact_spec("finding.not_a_finding") is None


def test_determination_rejects_unknown_decision():
    with pytest.raises(ValidationError):
        Determination.model_validate({"items": [{"request": "x", "decision": "Maybe"}]})
