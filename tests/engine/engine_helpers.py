import datetime as dt

from openimr.models.case import CaseFile
from openimr.models.facts import CaseFacts, Evidence
from openimr.models.request import ClassifiedRequest, DrugRequest


def ev(doc: str = "n1", quote: str = "x") -> Evidence:
    return Evidence(document=doc, start=0, end=len(quote), quote=quote)


def make_case() -> CaseFile:
    return CaseFile.model_validate(
        {
            "disputed_items": [{"request": "Soma 350mg #90"}],
            "request_for_authorization": {"date": "2015-08-13"},
            "utilization_review": {"date": "2015-08-18"},
            "documents": [
                {"id": "n1", "date": "2015-07-30", "text": "Soma is prescribed for muscle spasm. Pain is diffuse."}
            ],
        }
    )


def soma_request(**kw) -> ClassifiedRequest:
    drug = {"generic": "carisoprodol", "brand": "Soma", "strength": "350mg", "quantity": 90}
    drug.update(kw)
    return ClassifiedRequest(text="Soma 350mg #90", topic="carisoprodol", category="drug", drug=DrugRequest(**drug))


def facts(**kw) -> CaseFacts:
    return CaseFacts.model_validate(kw)


D = dt.date
