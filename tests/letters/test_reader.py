import datetime as dt
import json
from pathlib import Path

import pytest

from openimr.errors import InputError
from openimr.letters.citations import parse_citation, parse_guideline, split_sections
from openimr.letters.prose import Vocabulary, join_lines, keep_hyphen
from openimr.letters.reader import (
    parse_date,
    parse_letter_file,
    parse_letter_text,
    parse_reviewer,
    parse_worker,
)
from openimr.models.letter import Citation, Determination

SEEDS = Path(__file__).parents[1] / "data" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_five_seeds_with_golden_json():
    assert len(SEED_FILES) == 5
    assert all(f.with_suffix(".json").exists() for f in SEED_FILES)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_seed_matches_golden(path):
    golden = Determination.model_validate(json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
    parsed = parse_letter_file(path)
    assert parsed.model_dump(mode="json") == golden.model_dump(mode="json")


def _seed(prefix: str) -> Determination:
    return parse_letter_file(next(p for p in SEED_FILES if p.name.startswith(prefix)))


def test_credentials_both_styles():
    d = _seed("002")
    assert d.reviewer.licensure == ["Pennsylvania", "Ohio", "California"]
    assert d.reviewer.specialty == "Physical Medicine & Rehabilitation"
    assert d.reviewer.board_certified is False
    d = _seed("004")
    assert d.reviewer.licensure == ["California"]
    assert d.reviewer.specialty == "Physical Medicine and Rehabilitation"
    assert d.reviewer.board_certified is True


def test_worker_dates_and_missing_age_sex():
    assert _seed("000").injured_worker.date_of_injury == dt.date(2009, 4, 25)
    assert _seed("001").injured_worker.date_of_injury == dt.date(2004, 1, 16)
    w = _seed("002").injured_worker
    assert (w.age, w.sex, w.date_of_injury) == (58, "male", dt.date(1985, 1, 31))
    w = _seed("004").injured_worker
    assert (w.age, w.sex, w.date_of_injury) == (None, None, dt.date(2008, 4, 14))


def test_summary_is_clean_prose():
    s = _seed("000").clinical_case_summary
    assert "post-laminectomy syndrome" in s
    assert "dated 08-13-2015 requested" in s
    assert "  " not in s and "\n" not in s
    assert not s.startswith("The expert reviewer developed")
    assert "progress report on 07-27-2015 the injured" in _seed("003").clinical_case_summary


def test_page_break_inside_rationale_is_repaired():
    r = _seed("001").items[2].rationale
    assert "in most low back pain cases" in r
    assert "non-sedating muscle relaxants" in r
    assert "indicated for long-term use" in r


def test_items_in_letter_order_with_odd_spacing():
    d = _seed("001")
    assert [i.request for i in d.items] == [
        "Left L3-S1 Facet Block", "Right L3-S1 Facet Block", "Soma 350mg #60", "Office Visit with Gastroenterology"]
    d = _seed("004")
    assert d.items[0].request == "OUTPATIENT BILATERAL SACROILIAC JOINT INJECTIONS"
    assert d.items[0].decision == "Upheld"


def test_guideline_examples():
    g = parse_guideline("Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma), "
                        "Muscle Relaxants Page(s): 29, 63-66.")
    assert g.mtus is True
    assert g.citations == [Citation(source="MTUS", document="Chronic Pain Treatment Guidelines",
                                    sections=["Carisoprodol (Soma)", "Muscle Relaxants"], pages="29, 63-66")]
    g = parse_guideline("Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Muscle relaxants (for pain).")
    assert g.citations[0].edition_or_year == "2009"
    assert g.citations[0].sections == ["Muscle relaxants (for pain)"]
    g = parse_guideline("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 300.")
    assert g.citations == [Citation(source="MTUS", document="ACOEM", chapter="Chapter 12 Low Back Complaints",
                                    pages="300")]
    g = parse_guideline("The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS "
                        "Citation Official Disability Guidelines (ODG) SI joint injections.")
    assert g.mtus is False
    assert [(c.source, c.sections) for c in g.citations] == [("ODG", ["SI joint injections"])]
    g = parse_guideline("The Claims Administrator did not base their decision on the MTUS. Decision based on "
                        "Non-MTUS Citation ODG-TWC Facet joint diagnostic blocks.")
    assert (g.mtus, g.citations[0].source, g.citations[0].document) == (False, "ODG", "ODG-TWC")
    g = parse_guideline("The Claims Administrator did not base their decision on the MTUS. Decision based on "
                        "Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 2nd Edition, 2004, page 127.")
    c = g.citations[0]
    assert (c.source, c.edition_or_year, c.pages) == ("ACOEM", "2nd Edition, 2004", "127")


def test_claims_administrator_line_with_mtus_and_non_mtus():
    g = _seed("000").items[0].claims_administrator_guideline
    assert g.mtus is True
    assert [(c.source, c.document, c.edition_or_year, c.chapter) for c in g.citations] == [
        ("MTUS", "Low Back Complaints", "2004", None),
        ("ODG", "Official Disability Guidelines (ODG)", None, "Hip & Pelvis Chapter"),
    ]


def test_sections_keep_comma_inside_a_name():
    assert split_sections("Opioids, criteria for use") == ["Opioids, criteria for use"]
    assert split_sections("Carisoprodol (Soma), Muscle Relaxants") == ["Carisoprodol (Soma)", "Muscle Relaxants"]
    c = parse_citation("Official Disability Guidelines (ODG) Neck and Back: Facet joint injections", False)
    assert (c.chapter, c.sections) == ("Neck and Back", ["Facet joint injections"])


def test_other_named_source():
    g = parse_guideline("Decision based on Non-MTUS Citation Harrison's Principles of Internal Medicine, 18th Edition, 2012.")
    c = g.citations[0]
    assert (g.mtus, c.source, c.edition_or_year) == (False, "Harrison's Principles of Internal Medicine", "18th Edition, 2012")


@pytest.mark.parametrize(
    ("left", "right", "keep"),
    [("post", "laminectomy", True), ("long", "term", True), ("non", "sedating", True), ("27", "2015", True),
     ("pain", "office", True), ("ODG", "TWC", True), ("medica", "tion", False), ("gastroen", "terology", True)],
)
def test_keep_hyphen_rule(left, right, keep):
    assert keep_hyphen(left, right) is keep


def test_split_word_joins_when_the_letter_uses_it_whole():
    vocab = Vocabulary("It is unclear why a gastroenterology consultation is requested.")
    assert join_lines(["a gastroen-", "terology consult"], vocab) == "a gastroenterology consult"
    assert join_lines(["pre- and", "post-operative"], vocab) == "pre- and post-operative"
    assert join_lines(["dated 08-13- 2015 requested"]) == "dated 08-13-2015 requested"


@pytest.mark.parametrize(
    ("text", "date"),
    [("04-25-2009", dt.date(2009, 4, 25)), ("01/16/2004", dt.date(2004, 1, 16)), ("1-31-1985", dt.date(1985, 1, 31)),
     ("August 4, 2015", dt.date(2015, 8, 4)), ("13-45-2015", None), ("3/4/99", dt.date(1999, 3, 4))],
)
def test_dates(text, date):
    assert parse_date(text) == date


def test_worker_variants():
    w = parse_worker("The injured worker is an 80 year old man who was injured on 3/4/2011 at work.")
    assert (w.age, w.sex, w.date_of_injury) == (80, "male", dt.date(2011, 3, 4))
    w = parse_worker("The patient is a 45-year-old female. DOI: 02/03/2012.")
    assert (w.age, w.sex, w.date_of_injury) == (45, "female", dt.date(2012, 2, 3))
    assert parse_worker("No demographics here.").model_dump() == {"age": None, "sex": None, "date_of_injury": None}


def test_reviewer_prose_with_several_states():
    r = parse_reviewer("The expert reviewer is Board Certified in Internal Medicine, and is licensed to practice "
                       "in California, Oregon and Texas. He/she has been in active clinical practice.")
    assert (r.specialty, r.licensure, r.board_certified) == ("Internal Medicine", ["California", "Oregon", "Texas"], True)


def test_wrapped_request_header():
    text = (SEED_FILES[0]).read_text(encoding="utf-8").replace(
        "Soma 350mg #90: Upheld", "Retrospective request for Soma 350mg #90 dispensed on\n\n08-13-2015: Overturned")
    d = parse_letter_text(text)
    assert d.items[1].request == "Retrospective request for Soma 350mg #90 dispensed on 08-13-2015"
    assert d.items[1].decision == "Overturned"
    assert d.items[0].rationale.endswith("the request is not medically necessary.")


def test_draft_is_read_as_draft():
    text = "DRAFT \u2014 not a Final Determination until signed by the expert reviewer\n\n" + SEED_FILES[3].read_text()
    assert parse_letter_text(text).status == "draft"
    assert parse_letter_file(SEED_FILES[3]).status == "final"


def test_errors_name_the_source():
    with pytest.raises(InputError) as exc:
        parse_letter_text("hello world", "letter-7.txt")
    assert str(exc.value).startswith("letter-7.txt: not an IMR Final Determination letter")


def test_rationale_sentence_ending_in_a_decision_word_is_not_an_item():
    text = SEED_FILES[0].read_text(encoding="utf-8").replace(
        "meet these criteria and therefore the request is not medically necessary.",
        "meet these criteria. The prior decision:\n\nUpheld\n\nThe earlier review of the same request: Upheld\n\n"
        "and therefore the request is not medically necessary.")
    d = parse_letter_text(text)
    assert [i.request for i in d.items] == ["Bilateral sacroiliac joint (SI) injection", "Soma 350mg #90"]
    assert "The earlier review of the same request: Upheld and therefore" in d.items[0].rationale


def test_date_of_injury_from_a_case_header():
    body = SEED_FILES[4].read_text(encoding="utf-8").replace(
        "The underlying date of injury in this case is 04/14/2008. ", "")
    d = parse_letter_text("Case Number: CM14-0000000 Date Assigned: 08/20/2014\nDate of Injury: 04/14/2008\n" + body)
    assert d.injured_worker.date_of_injury == dt.date(2008, 4, 14)
    assert parse_letter_text(body).injured_worker.date_of_injury is None
