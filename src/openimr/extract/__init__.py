"""OpenIMR stage: extract clinical facts (with evidence) from case records.

- `openimr.extract.caseio.load_case(path) -> CaseFile` (JSON case file, plain text, PDF)
- `openimr.extract.extract_facts(case) -> CaseFacts`
"""

from openimr.extract.facts import extract_facts

__all__ = ["extract_facts"]
