"""What a draft item says beyond the criteria: for a request dated under the ACOEM-based MTUS, which
guideline governs it and whether its criteria are loaded; for a drug item, the MTUS Drug Formulary facts.

Both are facts for the reviewer: they never decide an item. An item the loaded knowledge base cannot
decide stays undecided, and says which licensed guideline would decide it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from openimr.guidelines.current_mtus import governing_guideline, mtus_from

# the reasons the engine gives when the knowledge base holds no criteria for the date or the topic
_NOT_LOADED = re.compile(r"edition not encoded|no guideline is encoded|no encoded guideline entry")


@lru_cache(maxsize=1)
def _env_lists():
    from openimr.guidelines.formulary import env_drug_lists

    return env_drug_lists()


def drug_lists():
    """The MTUS Drug Lists this process holds (OPENIMR_DRUG_LIST), or None: loaded once."""
    return _env_lists()


def _formulary(out, case, on: dt.date | None):
    from openimr.guidelines.formulary import FORMULARY_FROM, assess
    from openimr.models.formulary import Prescription

    cl = out.classified
    drug = getattr(cl, "drug", None)
    if on is None or on < FORMULARY_FROM or cl is None or cl.category != "drug" or drug is None or not drug.generic:
        return None
    lists = drug_lists()
    if lists is None:
        return None
    worker = case.injured_worker
    brand = None if drug.brand is None else drug.brand.lower() != drug.generic.lower()
    # An IMR request is prospective: the request date stands for the dispensing date. What the
    # record does not state (initial visit, surgery date, days' supply, a generic's existence) stays None.
    rx = Prescription(drug=drug.generic, dispensed_on=on,
                      date_of_injury=worker.date_of_injury if worker else None, brand_name=brand)
    return assess(rx, lists)


def annotate(out, case, kb):
    """Add `governing` and `formulary` to a drafted item (see the module docstring)."""
    it = out.item
    if it.decision == "Ineligible":
        return out
    on = case.request_date()
    topic = kb.topic(it.topic) if it.topic else None
    updates: dict = {}
    g = governing_guideline(on, topic, out.classified)
    if g is not None:
        relied = getattr(out.judgement, "entry", None)
        if it.decision is None:
            when = on.isoformat() if on else "the request date"
            msg = (f"no criteria are loaded for {g.guideline} ({g.edition}), which governs this request on {when} "
                   f"({g.regulation}); the reviewer decides it, or a guideline pack holding it is loaded "
                   "(docs/guidelines.md)")
            reason = it.unable_to_decide or ""
            updates["unable_to_decide"] = (f"unable to decide: {msg}" if not reason or _NOT_LOADED.search(reason)
                                           else f"{reason}; {msg}")
            updates["governing"] = g
        elif relied is not None and relied.effective_from >= mtus_from():
            updates["governing"] = g.model_copy(update={"criteria_loaded": True})
    f = _formulary(out, case, on)
    if f is not None:
        updates["formulary"] = f
    if not updates:
        return out
    return out.model_copy(update={"item": it.model_copy(update=updates)})
