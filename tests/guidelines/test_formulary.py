"""The MTUS Drug Formulary (8 CCR 9792.27.1 et seq.) on a SYNTHETIC drug list (tests/data/formulary):
the loader, versions by dispensing date, every status, and every window at its boundaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openimr.errors import InputError
from openimr.guidelines.formulary import DrugLists, assess, ingredient_key, load_drug_list
from openimr.models.formulary import Prescription

DATA = Path(__file__).parents[1] / "data" / "formulary"
V1, V2 = DATA / "synthetic-mtus-drug-list-v1.csv", DATA / "synthetic-mtus-drug-list-v2.csv"
DOI = dt.date(2019, 3, 1)
SURGERY = dt.date(2019, 6, 10)


@pytest.fixture(scope="module")
def lists():
    return DrugLists.from_files([V1, V2])


def rx(drug="examplodone", on=DOI + dt.timedelta(days=3), **kw) -> Prescription:
    base = {"date_of_injury": DOI, "initial_visit": True, "days_supply": 4, "brand_name": False, "per_mtus": True,
            "surgery": kw.get("surgery", bool(kw.get("surgery_date")))}
    return Prescription(drug=drug, dispensed_on=on, **{**base, **kw})


def facts(a) -> dict[str, bool | None]:
    return {f.rule: f.holds for f in a.facts}


# ------------------------------------------------------------------ the list file and its versions
def test_loader_reads_the_published_columns(lists):
    v1 = lists.for_date(dt.date(2019, 1, 1))
    e = v1.lookup("Examplodone")
    assert (e.drug_class, e.reference_in_guidelines, e.exempt) == ("Synthetic opioid", "Synthetic Guideline B", False)
    assert (e.special_fill, e.special_fill_days, e.perioperative_fill, e.perioperative_fill_days) == (True, 4, True, 4)
    assert (e.version, e.effective_date) == ("synthetic-1", dt.date(2018, 1, 1))
    f = v1.lookup("fictaprofen")
    assert f.special_fill and f.special_fill_days is None and not f.perioperative_fill
    # a combination is found whatever the order and the salt
    assert v1.lookup("Testamol / Examplodone hydrochloride").active_ingredient == "Examplodone/Testamol"
    assert ingredient_key("Examplodone HCl") == frozenset({"examplodone"})


def test_the_version_in_force_on_the_dispensing_date_is_used(lists):
    assert lists.for_date(dt.date(2017, 12, 31)) is None
    assert lists.for_date(dt.date(2018, 1, 1)).version == "synthetic-1"
    assert lists.for_date(dt.date(2020, 1, 14)).version == "synthetic-1"
    assert lists.for_date(dt.date(2020, 1, 15)).version == "synthetic-2"
    # fictaprofen is Non-Exempt in v1, Exempt in v2: the dispensing date decides
    a1 = assess(rx("fictaprofen", dt.date(2020, 1, 14), initial_visit=False), lists)
    a2 = assess(rx("fictaprofen", dt.date(2020, 1, 15), initial_visit=False), lists)
    assert (a1.status, a1.list_version, a1.prospective_review_required) == ("non-exempt", "synthetic-1", True)
    assert (a2.status, a2.list_version, a2.prospective_review_required) == ("exempt", "synthetic-2", False)


def test_before_the_formulary_and_without_a_list():
    a = assess(rx(on=dt.date(2017, 12, 31)), DrugLists.from_files([V1]))
    assert a.status == "not-applicable" and a.prospective_review_required is None
    assert a.facts[0].section == "8 CCR 9792.27.2(b)"
    a = assess(rx(on=dt.date(2018, 1, 1)), None)
    assert a.status == "no-list" and a.prospective_review_required is None


@pytest.mark.parametrize("text, problem", [
    ("Active Ingredient,Exempt/Non-Exempt,Version,Effective Date\nTestamol,Sometimes,v,2018-01-01\n",
     "line 2, column 'Exempt/Non-Exempt': 'Sometimes': expected Exempt or Non-Exempt"),
    ("Active Ingredient,Exempt/Non-Exempt,Special Fill,Version,Effective Date\nTestamol,Exempt,maybe,v,2018-01-01\n",
     "line 2, column 'Special Fill'"),
    ("Active Ingredient,Exempt/Non-Exempt,Version,Effective Date\nTestamol,Exempt,v,31 Feb 2018\n",
     "line 2, column 'Effective Date': '31 Feb 2018': not a date"),
    ("Active Ingredient,Exempt/Non-Exempt,Version,Effective Date\nTestamol,Exempt,v,2018-01-01\nTestamol,Exempt,v,2018-01-01\n",
     "'Testamol' is listed twice"),
    ("Active Ingredient,Exempt/Non-Exempt\nTestamol,Exempt\n", "no 'version' column"),
    ("Drug Class,Status\nx,Exempt\n", "no header row with an 'Active Ingredient' column"),
])
def test_a_bad_list_is_one_error_naming_line_and_column(tmp_path, text, problem):
    p = tmp_path / "list.csv"
    p.write_text(text)
    with pytest.raises(InputError) as exc:
        load_drug_list(p)
    assert str(p) in str(exc.value) and problem in str(exc.value)
    assert "\n" not in str(exc.value)


def test_version_and_date_may_be_given_to_the_loader(tmp_path):
    p = tmp_path / "list.csv"
    p.write_text("Title line\nActive Ingredient,Exempt/Non-Exempt\nTestamol,Exempt\n")
    (dl,) = load_drug_list(p, version="given", effective_date=dt.date(2021, 5, 1))
    assert (dl.version, dl.effective_date, dl.lookup("testamol").exempt) == ("given", dt.date(2021, 5, 1), True)


# ------------------------------------------------------------------ statuses
def test_exempt_per_mtus_needs_no_prospective_review(lists):
    a = assess(rx("testamol", initial_visit=False), lists)
    assert (a.status, a.prospective_review_required, a.route) == ("exempt", False, "exempt")
    assert assess(rx("testamol", per_mtus=False), lists).prospective_review_required is True
    assert assess(rx("testamol", per_mtus=None), lists).prospective_review_required is None  # the reviewer's call


def test_unlisted_is_its_own_status_and_needs_review(lists):
    a = assess(rx("inventedolol"), lists)
    assert (a.status, a.prospective_review_required, a.entry) == ("unlisted", True, None)
    assert a.facts[0].section == "8 CCR 9792.27.10"


def test_non_exempt_without_a_fill_needs_review(lists):
    a = assess(rx("mockazepam"), lists)
    assert (a.status, a.prospective_review_required, a.route) == ("non-exempt", True, None)


def test_brand_name_where_a_generic_exists(lists):
    # exempt drug: a brand with a generic available needs review (9792.27.7), even with the need documented
    a = assess(rx("testamol", brand_name=True, generic_available=True, brand_need_documented=True), lists)
    assert a.prospective_review_required is True and facts(a)["brand"] is True
    assert any(f.section == "8 CCR 9792.27.7" for f in a.facts)
    # a single-source brand (no generic) stays exempt
    assert assess(rx("testamol", brand_name=True, generic_available=False), lists).prospective_review_required is False
    # special fill: a brand with a generic passes only when the physician documents the need (9792.27.12(b)(3))
    assert assess(rx(brand_name=True, generic_available=True, brand_need_documented=False),
                  lists).prospective_review_required is True
    assert assess(rx(brand_name=True, generic_available=True), lists).prospective_review_required is None
    a = assess(rx(brand_name=True, generic_available=True, brand_need_documented=True), lists)
    assert (a.prospective_review_required, a.route) == (False, "special_fill")
    # unknown whether a generic exists: undetermined, not guessed
    assert assess(rx("testamol", brand_name=True), lists).prospective_review_required is None


# ------------------------------------------------------------------ special fill: day 7 / day 8, supply
@pytest.mark.parametrize("day, required", [(0, False), (1, False), (7, False), (8, True)])
def test_special_fill_window_day_7_and_8(lists, day, required):
    a = assess(rx(on=DOI + dt.timedelta(days=day)), lists)
    assert a.prospective_review_required is required, (day, facts(a))
    assert facts(a)["special_fill.visit"] is (not required)


def test_special_fill_needs_the_single_initial_visit_and_the_supply_limit(lists):
    assert assess(rx(initial_visit=False), lists).prospective_review_required is True
    assert assess(rx(days_supply=4), lists).route == "special_fill"
    assert assess(rx(days_supply=5), lists).prospective_review_required is True
    assert assess(rx(days_supply=None), lists).prospective_review_required is None
    # a special fill drug whose limit the list does not state: the supply condition stays undetermined
    assert assess(rx("fictaprofen", on=dt.date(2019, 3, 3)), lists).prospective_review_required is None
    assert assess(rx(initial_visit=None), lists).prospective_review_required is None
    a = assess(rx(date_of_injury=None), lists)
    assert a.prospective_review_required is None and facts(a)["special_fill.visit"] is None


# ------------------------------------------------------------------ perioperative fill: -5/-4 ... +4/+5
@pytest.mark.parametrize("offset, required", [(-5, True), (-4, False), (0, False), (4, False), (5, True)])
def test_perioperative_window(lists, offset, required):
    a = assess(rx("examplodone/testamol", on=SURGERY + dt.timedelta(days=offset), surgery_date=SURGERY,
                  initial_visit=False), lists)
    assert a.prospective_review_required is required, (offset, facts(a))
    assert (a.route == "perioperative_fill") is (not required)


def test_an_unknown_surgery_leaves_the_perioperative_path_open(lists):
    a = assess(rx(initial_visit=False, surgery=None), lists)
    assert a.prospective_review_required is None and facts(a)["perioperative_fill.window"] is None


def test_perioperative_supply_limit(lists):
    on = SURGERY + dt.timedelta(days=1)
    assert assess(rx("examplodone/testamol", on=on, surgery_date=SURGERY, days_supply=4, initial_visit=False),
                  lists).prospective_review_required is False
    assert assess(rx("examplodone/testamol", on=on, surgery_date=SURGERY, days_supply=5, initial_visit=False),
                  lists).prospective_review_required is True


# ------------------------------------------------------------------ physician-dispensed, compounded
@pytest.mark.parametrize("day, supply, required", [(7, 7, False), (8, 7, True), (3, 8, True)])
def test_physician_dispensed_exempt_drug(lists, day, supply, required):
    a = assess(rx("testamol", on=DOI + dt.timedelta(days=day), physician_dispensed=True, days_supply=supply), lists)
    assert a.prospective_review_required is required
    f = next(f for f in a.facts if f.rule == "physician_dispensed")
    assert f.section == "8 CCR 9792.27.8" and f.verified is False


def test_compounded_always_needs_review(lists):
    a = assess(rx("testamol", compounded=True), lists)
    assert a.prospective_review_required is True and a.facts[0].section == "8 CCR 9792.27.9"


def test_every_fact_names_its_section(lists):
    for a in (assess(rx(), lists), assess(rx("testamol", physician_dispensed=True), lists),
              assess(rx("examplodone/testamol", surgery_date=SURGERY), lists)):
        assert a.facts and all(f.section.startswith("8 CCR 9792.27.") for f in a.facts)


def test_the_spreadsheet_as_published_is_read_too(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["SYNTHETIC TEST LIST - NOT DWC'S"])
    ws.append(["Active Ingredient", "Drug Class", "Reference in Guidelines", "Exempt/Non-Exempt", "Special Fill",
               "Perioperative Fill", "Version", "Effective Date"])
    ws.append(["Testamol", "Synthetic analgesic", "Synthetic Guideline A", "Exempt", None, None, "x-1",
               dt.datetime(2018, 1, 1)])
    ws.append(["Examplodone", "Synthetic opioid", "Synthetic Guideline B", "Non-Exempt", 4, "4-day supply", "x-1",
               dt.datetime(2018, 1, 1)])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    (dl,) = load_drug_list(path)
    assert (dl.version, dl.effective_date) == ("x-1", dt.date(2018, 1, 1))
    e = dl.lookup("examplodone")
    assert (e.exempt, e.special_fill_days, e.perioperative_fill_days) == (False, 4, 4)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        load_drug_list(bad)
