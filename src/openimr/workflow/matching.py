"""Reviewer matching: which panel reviewer may review a case, and why.

A reviewer qualifies when (1) their specialty fits every eligible disputed item (the data table
`specialty_matching.yaml`, by guideline topic and category), (2) they have been in active practice for
more than 5 years, (3) they practise at least 24 hours a week, (4) they hold at least one US state
licence (IMR reviewers need not be licensed in California), and (5) none of their affiliations names a
party to the case (case-insensitive, whole-word containment either way: cautious by design). Among
those who qualify, the one with the fewest open cases is chosen (then the most experienced, then id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from openimr import yamlio

TABLE_PATH = Path(__file__).with_name("specialty_matching.yaml")
MIN_YEARS_ACTIVE = 5  # strictly more than
MIN_HOURS_PER_WEEK = 24

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}
_STATE_BY_NAME = {v.lower(): v for v in US_STATES.values()}


def normalize_state(text: str) -> str | None:
    """'ca', 'California', 'CALIFORNIA' -> 'California'; None when not a US state."""
    t = re.sub(r"\s+", " ", text.strip().rstrip(".")).strip()
    if t.upper() in US_STATES:
        return US_STATES[t.upper()]
    return _STATE_BY_NAME.get(t.lower())


def _key(text: str) -> str:
    t = text.lower().replace("&", " and ")
    t = re.sub(r"^(board[- ]certified (in )?|certified in )", "", t.strip())
    t = re.sub(r"[^a-z0-9]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


@dataclass(frozen=True)
class SpecialtyTable:
    any_physician: str
    aliases: dict[str, str]  # normalized spelling -> canonical
    physicians: frozenset[str]
    topics: dict[str, list[str]]
    categories: dict[str, list[str]]
    default: list[str]

    def canonical(self, specialty: str) -> str:
        k = _key(specialty)
        return self.aliases.get(k, k)

    def parts(self, specialty: str) -> list[str]:
        """A reviewer's specialty string may name several ("Anesthesiology / Pain Medicine")."""
        return [self.canonical(p) for p in re.split(r"[,;/]| with ", specialty) if p.strip()]


@lru_cache(maxsize=4)
def load_table(path: Path = TABLE_PATH) -> SpecialtyTable:
    raw = yamlio.safe_load(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for canon, spellings in (raw.get("aliases") or {}).items():
        c = _key(canon)
        aliases[c] = c
        for s in spellings or []:
            aliases[_key(str(s))] = c
    anyp = _key(raw["any_physician"])

    def canon_list(v: Iterable[str]) -> list[str]:
        return [aliases.get(_key(s), _key(s)) for s in v]

    return SpecialtyTable(
        any_physician=anyp,
        aliases=aliases,
        physicians=frozenset(canon_list(raw.get("physician_specialties") or [])),
        topics={k: canon_list(v) for k, v in (raw.get("topics") or {}).items()},
        categories={k: canon_list(v) for k, v in (raw.get("categories") or {}).items()},
        default=canon_list(raw.get("default") or [anyp]),
    )


@dataclass
class ItemNeed:
    """The specialties that fit one disputed item, and where that came from."""

    request: str
    topic: str | None
    category: str | None
    specialties: list[str]
    source: str

    def fits(self, table: SpecialtyTable, reviewer_parts: list[str]) -> bool:
        for s in self.specialties:
            if s == table.any_physician and any(p in table.physicians for p in reviewer_parts):
                return True
            if s in reviewer_parts:
                return True
        return False

    def as_dict(self) -> dict[str, Any]:
        return {"request": self.request, "topic": self.topic, "category": self.category,
                "specialties": self.specialties, "source": self.source}


def item_need(
    request: str,
    classify: Callable[[str], Any] | None,
    topic_specialties: Callable[[str], tuple[str | None, list[str]]] | None = None,
    table: SpecialtyTable | None = None,
) -> ItemNeed:
    """Classify `request` and look its topic/category up in the table.

    `topic_specialties(topic_id)` returns (category, specialties) from the knowledge base's topic file.
    """
    table = table or load_table()
    topic = category = None
    if classify is not None:
        try:
            cr = classify(request)
            topic, category = getattr(cr, "topic", None), getattr(cr, "category", None)
        except Exception:  # an unclassifiable request string: fall back to the default
            topic = category = None
    kb_specs: list[str] = []
    if topic and topic_specialties is not None:
        kb_category, specs = topic_specialties(topic)
        category = category or kb_category
        kb_specs = [table.canonical(s) for s in specs]
    if topic and (topic in table.topics or kb_specs):
        specs = list(dict.fromkeys(table.topics.get(topic, []) + kb_specs))
        src = f"topic {topic!r}"
        return ItemNeed(request, topic, category, specs, src)
    if category and category in table.categories:
        return ItemNeed(request, topic, category, table.categories[category], f"category {category!r}")
    return ItemNeed(request, topic, category, table.default, "default (treatment not classified)")


_DROP = {"inc", "llc", "corp", "corporation", "co", "company", "ltd", "lp", "llp", "pc", "md", "do", "dr",
         "the", "of", "and", "pa", "plc", "group"}


def _name_tokens(name: str) -> list[str]:
    toks = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    return [t for t in toks if t not in _DROP]


def _contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return n > 0 and any(big[i:i + n] == small for i in range(len(big) - n + 1))


def affiliation_conflicts(affiliations: Iterable[str], parties: dict[str, list[str]]) -> list[str]:
    """Each affiliation that names a party: 'affiliation X matches the employer'."""
    out = []
    for aff in affiliations:
        a = _name_tokens(aff)
        if not a:
            continue
        for role, names in parties.items():
            for name in names:
                p = _name_tokens(name)
                if p and (_contains(a, p) or _contains(p, a)):
                    out.append(f"affiliated with the {role.replace('_', ' ')} ({aff})")
    return list(dict.fromkeys(out))


@dataclass
class Candidate:
    id: str
    name: str
    specialty: str
    licensure: list[str]
    years_active: float
    hours_per_week: float
    affiliations: list[str]
    open_cases: int = 0
    active: bool = True


@dataclass
class MatchResult:
    chosen: Candidate | None
    why: list[str]
    needs: list[ItemNeed]
    considered: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reviewer": self.chosen.id if self.chosen else None,
            "reviewer_name": self.chosen.name if self.chosen else None,
            "why": self.why,
            "needs": [n.as_dict() for n in self.needs],
            "considered": self.considered,
        }


def reasons_against(c: Candidate, needs: list[ItemNeed], parties: dict[str, list[str]], table: SpecialtyTable) -> list[str]:
    reasons: list[str] = []
    if not c.active:
        reasons.append("inactive on the panel")
    parts = table.parts(c.specialty)
    for n in needs:
        if not n.fits(table, parts):
            reasons.append(f"specialty {c.specialty!r} does not fit {n.request!r} (needs one of: {', '.join(n.specialties)})")
    if not c.years_active > MIN_YEARS_ACTIVE:
        reasons.append(f"{c.years_active:g} years in active practice (needs more than {MIN_YEARS_ACTIVE})")
    if c.hours_per_week < MIN_HOURS_PER_WEEK:
        reasons.append(f"{c.hours_per_week:g} hours a week in practice (needs at least {MIN_HOURS_PER_WEEK})")
    if not [s for s in c.licensure if normalize_state(s)]:
        reasons.append("no state licence on file")
    reasons.extend(affiliation_conflicts(c.affiliations, parties))
    return reasons


def match(candidates: list[Candidate], needs: list[ItemNeed], parties: dict[str, list[str]],
          table: SpecialtyTable | None = None) -> MatchResult:
    table = table or load_table()
    considered = []
    ok: list[Candidate] = []
    for c in candidates:
        r = reasons_against(c, needs, parties, table)
        considered.append({"reviewer": c.id, "name": c.name, "eligible": not r, "reasons": r, "open_cases": c.open_cases})
        if not r:
            ok.append(c)
    if not ok:
        return MatchResult(None, ["no eligible reviewer"], needs, considered)
    ok.sort(key=lambda c: (c.open_cases, -c.years_active, c.id))
    best = ok[0]
    fits = "; ".join(f"{n.request!r} needs {' / '.join(n.specialties)} ({n.source})" for n in needs)
    why = [
        f"specialty {best.specialty!r} fits every item: {fits}",
        f"{best.years_active:g} years in active practice (more than {MIN_YEARS_ACTIVE})",
        f"{best.hours_per_week:g} hours a week in practice (at least {MIN_HOURS_PER_WEEK})",
        f"licensed in {', '.join(normalize_state(s) or s for s in best.licensure)}",
        "no affiliation with any party to the case",
        f"{best.open_cases} open case(s): the lowest caseload of {len(ok)} eligible reviewer(s)",
    ]
    return MatchResult(best, why, needs, considered)
