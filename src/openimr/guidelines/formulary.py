"""The MTUS Drug Formulary: DWC's MTUS Drug List file, its versions, and the prospective-review rules.

The drug list (8 CCR 9792.27.15) is published by DWC as a versioned file, updated by order (8 CCR
9792.27.23). `load_drug_list` reads it as published (.xlsx, first sheet) or saved as CSV, with the columns DWC publishes: active ingredient,
drug class, reference in guidelines, Exempt/Non-Exempt, Special Fill, Perioperative Fill, and the
version and effective date (as columns, or given to the loader when the file carries them in its
title). Several versions live side by side (`DrugLists`); the one in force on the dispensing date is
used. A drug not on the list is "unlisted", a status of its own.

`assess` reports, per drug item, whether the prescription needed authorization through prospective
review, as facts each naming the section relied on. Three-valued: what the record does not say stays
None, and the reviewer decides. OpenIMR ships no drug list: the synthetic one in tests/data is for
tests only (see docs/guidelines.md for where to get the real file).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from openimr.errors import InputError
from openimr.models.formulary import DrugListEntry, FormularyAssessment, FormularyFact, Prescription

FORMULARY_FROM = dt.date(2018, 1, 1)  # 8 CCR 9792.27.2(b): drugs dispensed on or after this date
ENV_VAR = "OPENIMR_DRUG_LIST"

# Section citations the rules rely on. verified: the wording was read in the regulation's text
# (a public copy of 8 CCR); False: known only from DWC's summary on the drug list or from memory.
SECTIONS: dict[str, tuple[str, bool]] = {
    "scope": ("8 CCR 9792.27.2(b)", True),
    "exempt": ("8 CCR 9792.27.1(h); 9792.27.10", False),
    "non_exempt": ("8 CCR 9792.27.10", False),
    "unlisted": ("8 CCR 9792.27.10", False),
    "brand": ("8 CCR 9792.27.7", True),
    "physician_dispensed": ("8 CCR 9792.27.8", False),
    "compounded": ("8 CCR 9792.27.9", False),
    "special_fill.visit": ("8 CCR 9792.27.12(b)(1), (c)", True),
    "special_fill.supply": ("8 CCR 9792.27.12(b)(2)", True),
    "special_fill.brand": ("8 CCR 9792.27.12(b)(3)", True),
    "special_fill.mtus": ("8 CCR 9792.27.12(b)(4)", True),
    "perioperative_fill.window": ("8 CCR 9792.27.13(a)(1), (b)", True),
    "perioperative_fill.supply": ("8 CCR 9792.27.13(a)(2)", True),
    "perioperative_fill.brand": ("8 CCR 9792.27.13(a)(3)", True),
    "perioperative_fill.mtus": ("8 CCR 9792.27.13(a)(4)", True),
    "list": ("8 CCR 9792.27.15", True),
}
SPECIAL_FILL_DAYS = 7  # 9792.27.12(b)(1), (c): within 7 days of injury, the day after the injury is day one
PERIOPERATIVE_DAYS = 4  # 9792.27.13(b): 4 days before to 4 days after surgery, day of surgery = day zero
PHYSICIAN_DISPENSED_SUPPLY_DAYS = 7  # 9792.27.8 as summarized on DWC's drug list (verified: false)

# -- the drug list file ------------------------------------------------------------------------------

_COLUMNS = {
    "active_ingredient": ("active ingredient", "active ingredients", "ingredient", "drug"),
    "drug_class": ("drug class", "class"),
    "reference_in_guidelines": ("reference in guidelines", "reference in acoem guidelines", "reference in the guidelines",
                                "guideline reference"),
    "exempt": ("exempt non exempt", "exempt nonexempt", "exempt or non exempt", "exempt status", "status"),
    "special_fill": ("special fill",),
    "perioperative_fill": ("perioperative fill", "peri operative fill"),
    "version": ("version", "list version"),
    "effective_date": ("effective date", "effective"),
}
_NONE = {"", "no", "n", "n/a", "na", "-", "--", "none"}
_YES = {"yes", "y", "x", "special fill", "perioperative fill", "\u2713", "\u2714"}
_SALTS = {"hydrochloride", "hcl", "sodium", "potassium", "bitartrate", "maleate", "succinate", "citrate", "sulfate",
          "tartrate", "besylate", "mesylate", "acetate", "phosphate", "calcium", "er", "ir", "xr", "sr", "cr"}


def _norm_header(h: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", h.lower().replace("*", "")).split())


def ingredient_key(name: str) -> frozenset[str]:
    """Active ingredient(s) as a comparable key: case, salts and the order of a combination ignored."""
    parts = re.split(r"\s*(?:/|;|\+|,|\band\b|\bwith\b)\s*", name.lower())
    out = set()
    for p in parts:
        words = [w for w in re.findall(r"[a-z0-9\-]+", p) if w not in _SALTS]
        if words:
            out.add(" ".join(words))
    return frozenset(out)


def _fill(value: str, where: str) -> tuple[bool, int | None]:
    v = " ".join(value.strip().lower().split())
    if v in _NONE:
        return False, None
    m = re.search(r"\d+", v)
    if m:
        return True, int(m.group(0))
    if v in _YES or v.startswith("yes"):
        return True, None
    raise InputError(where, f"{value!r}: expected blank/No, Yes, or a supply in days (e.g. \"4-day supply\")")


def _exempt(value: str, where: str) -> bool:
    v = re.sub(r"[^a-z]", "", value.lower())
    if v == "exempt":
        return True
    if v in {"nonexempt", "notexempt"}:
        return False
    raise InputError(where, f"{value!r}: expected Exempt or Non-Exempt")


def _date(value: str, where: str) -> dt.date:
    v = value.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return dt.datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise InputError(where, f"{value!r}: not a date (use YYYY-MM-DD or MM/DD/YYYY)")


def _csv_rows(p: Path) -> list[list[str]]:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(p), "drug list file not found") from None
    except UnicodeDecodeError:
        raise InputError(str(p), "not UTF-8 text (save the drug list as CSV UTF-8, or give the .xlsx)") from None
    return list(csv.reader(text.splitlines()))


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _xlsx_rows(p: Path) -> list[list[str]]:
    """The first sheet of DWC's spreadsheet as rows of text (dates as YYYY-MM-DD)."""
    import zipfile

    from openpyxl import load_workbook

    if not p.is_file():
        raise InputError(str(p), "drug list file not found")
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(str(p), f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        return [[_cell_text(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


@dataclass
class DrugList:
    """One version of the MTUS Drug List."""

    version: str
    effective_date: dt.date
    entries: dict[frozenset[str], DrugListEntry] = field(default_factory=dict)
    source: str = ""

    def lookup(self, drug: str) -> DrugListEntry | None:
        return self.entries.get(ingredient_key(drug))


def load_drug_list(path: Path | str, version: str | None = None, effective_date: dt.date | None = None) -> list[DrugList]:
    """Read a drug list CSV (one version, or several when it has version/effective date columns).

    Any bad cell is one InputError naming the file, the line and the column.
    """
    p = Path(path)
    rows = _xlsx_rows(p) if p.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(p)
    # DWC's sheet has title lines above the header: the header is the first row naming the ingredient
    start = next((i for i, r in enumerate(rows) if any(_norm_header(c) in _COLUMNS["active_ingredient"] for c in r)), None)
    if start is None:
        raise InputError(str(p), "no header row with an 'Active Ingredient' column")
    header = [_norm_header(c) for c in rows[start]]
    cols: dict[str, int] = {}
    for key, names in _COLUMNS.items():
        for i, h in enumerate(header):
            if h in names and key not in cols:
                cols[key] = i
    if "exempt" not in cols:
        raise InputError(f"{p}: line {start + 1}", "no 'Exempt/Non-Exempt' column")
    for key, given in (("version", version), ("effective_date", effective_date)):
        if key not in cols and given is None:
            raise InputError(f"{p}: line {start + 1}", f"no '{key.replace('_', ' ')}' column: pass it to the loader")
    lists: dict[tuple[str, dt.date], DrugList] = {}
    for n, row in enumerate(rows[start + 1:], start=start + 2):
        if not any(c.strip() for c in row):
            continue

        def cell(key: str, row=row) -> str:
            i = cols.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        def where(key: str, n=n) -> str:
            return f"{p}: line {n}, column {rows[start][cols[key]].strip()!r}"

        name = cell("active_ingredient")
        if not name:
            raise InputError(where("active_ingredient"), "empty active ingredient")
        ver = cell("version") or version
        if not ver:
            raise InputError(where("version"), "empty version")
        eff = _date(cell("effective_date"), where("effective_date")) if cell("effective_date") else effective_date
        if eff is None:
            raise InputError(where("effective_date"), "empty effective date")
        sf, sf_days = _fill(cell("special_fill"), where("special_fill")) if "special_fill" in cols else (False, None)
        pf, pf_days = _fill(cell("perioperative_fill"), where("perioperative_fill")) if "perioperative_fill" in cols else (False, None)
        entry = DrugListEntry(
            active_ingredient=name, drug_class=cell("drug_class"), reference_in_guidelines=cell("reference_in_guidelines"),
            exempt=_exempt(cell("exempt"), where("exempt")), special_fill=sf, special_fill_days=sf_days,
            perioperative_fill=pf, perioperative_fill_days=pf_days, version=ver, effective_date=eff,
        )
        same = [v for (v2, d), v in lists.items() if v2 == ver and d != eff]
        if same:
            raise InputError(where("version") if "version" in cols else f"{p}: line {n}",
                             f"version {ver!r} has two effective dates ({same[0].effective_date} and {eff})")
        dl = lists.setdefault((ver, eff), DrugList(ver, eff, source=str(p)))
        key = ingredient_key(name)
        if key in dl.entries:
            raise InputError(where("active_ingredient"), f"{name!r} is listed twice in version {ver}")
        dl.entries[key] = entry
    if not lists:
        raise InputError(str(p), "the drug list has no rows")
    return sorted(lists.values(), key=lambda d: d.effective_date)


class DrugLists:
    """Several versions of the drug list side by side; `for_date` picks the one in force."""

    def __init__(self, lists: list[DrugList]):
        self.lists = sorted(lists, key=lambda d: d.effective_date)
        seen: dict[str, DrugList] = {}
        for d in self.lists:
            if d.version in seen:
                raise InputError(d.source, f"version {d.version!r} is loaded twice (also {seen[d.version].source})")
            seen[d.version] = d

    @classmethod
    def from_files(cls, paths: list[Path | str]) -> DrugLists:
        return cls([dl for p in paths for dl in load_drug_list(p)])

    def for_date(self, on: dt.date) -> DrugList | None:
        """The version in force on `on`: the latest whose effective date is on or before it."""
        eligible = [d for d in self.lists if d.effective_date <= on]
        return eligible[-1] if eligible else None


def env_drug_lists() -> DrugLists | None:
    """The drug lists named in OPENIMR_DRUG_LIST (files separated by os.pathsep), or None."""
    value = os.environ.get(ENV_VAR, "")
    paths = [p for p in value.split(os.pathsep) if p.strip()]
    return DrugLists.from_files(paths) if paths else None


# -- the rules -----------------------------------------------------------------------------------------


def _and(*xs: bool | None) -> bool | None:
    if any(x is False for x in xs):
        return False
    return None if any(x is None for x in xs) else True


def _or(*xs: bool | None) -> bool | None:
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


def _not(x: bool | None) -> bool | None:
    return None if x is None else not x


def _le(a: int | None, b: int | None) -> bool | None:
    return None if a is None or b is None else a <= b


class _Facts:
    def __init__(self) -> None:
        self.items: list[FormularyFact] = []

    def add(self, rule: str, key: str, statement: str, holds: bool | None) -> bool | None:
        section, verified = SECTIONS[key]
        self.items.append(FormularyFact(rule=rule, statement=statement, holds=holds, section=section, verified=verified))
        return holds


def special_fill_window(prescribed_on: dt.date | None, date_of_injury: dt.date | None) -> bool | None:
    """Within 7 days of the injury, the day after the injury being day one (9792.27.12(b)(1), (c))."""
    if prescribed_on is None or date_of_injury is None:
        return None
    return 0 <= (prescribed_on - date_of_injury).days <= SPECIAL_FILL_DAYS


def perioperative_window(prescribed_on: dt.date | None, surgery_date: dt.date | None) -> bool | None:
    """From 4 days before to 4 days after surgery, the day of surgery being day zero (9792.27.13(b))."""
    if prescribed_on is None or surgery_date is None:
        return None
    return -PERIOPERATIVE_DAYS <= (prescribed_on - surgery_date).days <= PERIOPERATIVE_DAYS


def assess(rx: Prescription, lists: DrugLists | None) -> FormularyAssessment:
    """Whether `rx` needed authorization through prospective review under the MTUS Drug Formulary."""
    f = _Facts()
    if rx.dispensed_on < FORMULARY_FROM:
        f.add("scope", "scope", f"dispensed before {FORMULARY_FROM.isoformat()}: the MTUS Drug Formulary does not apply", True)
        return FormularyAssessment(drug=rx.drug, status="not-applicable", facts=f.items)
    dl = lists.for_date(rx.dispensed_on) if lists is not None else None
    if dl is None:
        f.add("list", "list", f"no MTUS Drug List version in force on {rx.dispensed_on.isoformat()} is loaded", False)
        return FormularyAssessment(drug=rx.drug, status="no-list", facts=f.items)
    base = {"drug": rx.drug, "list_version": dl.version, "list_effective_date": dl.effective_date}
    entry = dl.lookup(rx.drug)
    on = rx.prescribed_on or rx.dispensed_on
    if rx.compounded:
        f.add("compounded", "compounded", "a compounded drug needs authorization through prospective review", True)
        return FormularyAssessment(**base, entry=entry, status="unlisted" if entry is None else
                                   ("exempt" if entry.exempt else "non-exempt"),
                                   prospective_review_required=True, facts=f.items)
    if entry is None:
        f.add("unlisted", "unlisted", f"not on MTUS Drug List {dl.version}: an unlisted drug needs prospective review", True)
        return FormularyAssessment(**base, status="unlisted", prospective_review_required=True, facts=f.items)
    brand_with_generic = _and(rx.brand_name, rx.generic_available)
    if entry.exempt:
        f.add("exempt", "exempt", f"listed as Exempt in MTUS Drug List {dl.version}", True)
        mtus = f.add("exempt.mtus", "exempt", "prescribed in accordance with the MTUS Treatment Guidelines", rx.per_mtus)
        brand = f.add("brand", "brand", "a brand name drug prescribed where a therapeutically equivalent generic exists "
                      "(needs prospective review)", brand_with_generic)
        dispensed_ok: bool | None = True
        if rx.physician_dispensed:
            dispensed_ok = f.add(
                "physician_dispensed", "physician_dispensed",
                f"physician-dispensed: a single supply of at most {PHYSICIAN_DISPENSED_SUPPLY_DAYS} days at the initial "
                "visit within 7 days of the injury",
                _and(rx.initial_visit, special_fill_window(on, rx.date_of_injury),
                     _le(rx.days_supply, PHYSICIAN_DISPENSED_SUPPLY_DAYS)))
        free = _and(mtus, _not(brand), dispensed_ok)
        return FormularyAssessment(**base, entry=entry, status="exempt", prospective_review_required=_not(free),
                                   route="exempt" if free else None, facts=f.items)
    f.add("non_exempt", "non_exempt", f"listed as Non-Exempt in MTUS Drug List {dl.version}: prospective review is "
          "needed unless a Special Fill or Perioperative Fill applies", True)
    brand_ok = _or(_not(brand_with_generic), rx.brand_need_documented)
    special: bool | None = False
    if entry.special_fill:
        special = _and(
            f.add("special_fill.visit", "special_fill.visit", "prescribed at the single initial treatment visit, within "
                  "7 days of the injury (the day after the injury is day one)",
                  _and(rx.initial_visit, special_fill_window(on, rx.date_of_injury))),
            f.add("special_fill.supply", "special_fill.supply",
                  f"supply within the list's Special Fill limit ({entry.special_fill_days or 'not stated'} days)",
                  _le(rx.days_supply, entry.special_fill_days)),
            f.add("special_fill.brand", "special_fill.brand", "a generic or single-source brand, or a brand whose medical "
                  "need the physician documents", brand_ok),
            f.add("special_fill.mtus", "special_fill.mtus", "prescribed in accordance with the MTUS Treatment Guidelines",
                  rx.per_mtus),
        )
    periop: bool | None = False
    if entry.perioperative_fill:
        periop = _and(
            f.add("perioperative_fill.window", "perioperative_fill.window", "prescribed from 4 days before to 4 days after "
                  "surgery (the day of surgery is day zero)",
                  False if rx.surgery is False else perioperative_window(on, rx.surgery_date)),
            f.add("perioperative_fill.supply", "perioperative_fill.supply",
                  f"supply within the list's Perioperative Fill limit ({entry.perioperative_fill_days or 'not stated'} days)",
                  _le(rx.days_supply, entry.perioperative_fill_days)),
            f.add("perioperative_fill.brand", "perioperative_fill.brand", "a generic or single-source brand, or a brand "
                  "whose medical need the physician documents", brand_ok),
            f.add("perioperative_fill.mtus", "perioperative_fill.mtus", "prescribed in accordance with the MTUS Treatment "
                  "Guidelines", rx.per_mtus),
        )
    free = _or(special, periop)
    route = "special_fill" if special else "perioperative_fill" if periop else None
    return FormularyAssessment(**base, entry=entry, status="non-exempt", prospective_review_required=_not(free),
                               route=route, facts=f.items)
