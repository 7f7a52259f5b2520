"""The one lexicon: each word list and reader defined once, used by every stage."""

import datetime as dt

import pytest

from openimr.lexicon import (
    canonical_region,
    count_levels,
    doses_per_day,
    full_year,
    parse_us_date,
    region_of,
    same_region,
    strength_mg,
    to_date,
    to_int,
)


@pytest.mark.parametrize(("text", "region"), [
    ("LBP radiating to the L leg", "lumbar"), ("L-spine MRI", "lumbar"), ("C-spine", "cervical"), ("neck pain", "cervical"),
    ("R rotator cuff tear", "shoulder"), ("BLE numbness", "lower extremity"), ("carpal tunnel", "wrist/hand"),
    ("SI joint", "sacroiliac"), ("plantar fasciitis", "ankle/foot"), ("GI upset", "abdomen"), ("headache", None),
])
def test_region_words_as_clinicians_write_them(text, region):
    assert canonical_region(text) == region


def test_region_matching_reads_si_and_limbs_with_their_spine():
    assert same_region("SI joint", "low back") and same_region("lower extremity", "lumbar")
    assert same_region("hand", "wrist") and not same_region("knee", "hip") and not same_region(None, "knee")
    assert region_of("right shoulder and neck") == "shoulder"


def test_levels_numbers_and_doses():
    assert count_levels(["L4-L5"]) == 1 and count_levels(["L3-S1"]) == 3 and count_levels(["L4-5", "L5-S1"]) == 2
    assert count_levels([]) is None
    assert to_int("six") == 6 and to_int("12") == 12 and to_int("several") is None
    assert strength_mg("10/325mg") == 10.0 and doses_per_day("1 PO q6h prn") == 4 and doses_per_day("BID") == 2
    assert doses_per_day("3 times a day") == 3 and doses_per_day(None) is None


def test_one_two_digit_year_rule_for_every_date_reader():
    assert full_year(15) == 2015 and full_year(85) == 1985 and full_year(2009) == 2009
    assert parse_us_date("8/4/15") == dt.date(2015, 8, 4) and parse_us_date("1-31-85") == dt.date(1985, 1, 31)
    assert parse_us_date("Aug 4, 2015") == dt.date(2015, 8, 4) and parse_us_date("13/45/2015") is None
    assert to_date("2014-01") == dt.date(2014, 1, 1) and to_date("2015-02-17") == dt.date(2015, 2, 17) and to_date("x") is None


def test_the_stages_use_the_lexicon_not_copies():
    from openimr.extract import caseio, patterns
    from openimr.guidelines import classifier
    from openimr.letters import reader
    from openimr.lexicon import dates, numbers, regions

    assert patterns.DATE_RX is dates.DATE_RX and patterns.REGION_RX is regions.REGION_WORD_RX
    assert patterns.to_int is numbers.to_int
    assert {n for n, _ in classifier._REGIONS} <= {n for n, _ in regions.REGIONS}
    assert caseio.parse_date("8/4/15") == reader.parse_date("8/4/15") == dt.date(2015, 8, 4)
