"""OpenIMR stage: the determination engine (per-item drafts, rationale, case summary, draft letter).

`draft_case(case, kb=None) -> Draft` drafts every disputed item of a case; `check_case(case)` lists,
per item, the unmet or undocumented criteria and what documentation would satisfy them.
"""

from openimr.engine.core import check_case, draft_case, review_case

__all__ = ["check_case", "draft_case", "review_case"]
