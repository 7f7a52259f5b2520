"""One criterion fact read from a few progress notes: the shape of the reading tests at the criterion level."""

from __future__ import annotations

from openimr.engine.evaluate_criteria import resolver_for
from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def notes_case(request: str, *texts: str) -> CaseFile:
    docs = [{"id": f"d{i}", "type": "progress_note", "date": f"2016-12-{10 + i:02d}", "text": t} for i, t in enumerate(texts)]
    return CaseFile.model_validate({"disputed_items": [{"request": request}], "documents": docs,
                                    "request_for_authorization": {"date": "2016-12-20"},
                                    "injured_worker": {"date_of_injury": "2016-01-05"}})


def fact(request: str, name: str, *texts: str):
    case = notes_case(request, *texts)
    return resolver_for(case, extract_facts(case), None).value(name)
