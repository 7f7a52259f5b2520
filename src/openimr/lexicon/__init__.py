"""The one lexicon: body regions, spinal levels, number words, strengths, frequencies and dates.

Each is defined once here and used by the request classifier, the extractor and the engine, so a
"L-spine" or an "8/4/15" means the same thing at every stage. It depends on nothing but the standard
library (stage order: models <- lexicon <- extract / guidelines / letters <- engine).
"""

from openimr.lexicon.abbreviations import DIAGNOSIS_ABBREVIATIONS, expand_abbreviations
from openimr.lexicon.dates import (
    DATE_RX,
    MONTH_RX,
    MONTHS,
    date_from_match,
    full_year,
    parse_us_date,
    to_date,
)
from openimr.lexicon.doses import doses_per_day, strength_mg
from openimr.lexicon.levels import SPINE, count_levels, level_region
from openimr.lexicon.numbers import NUM, NUMBER_WORDS, to_int
from openimr.lexicon.regions import (
    REGION_WORD_RX,
    REGIONS,
    canonical_region,
    region_of,
    regions_in,
    same_region,
)

__all__ = [
    "DIAGNOSIS_ABBREVIATIONS", "expand_abbreviations",
    "DATE_RX", "MONTHS", "MONTH_RX", "NUM", "NUMBER_WORDS", "REGIONS", "REGION_WORD_RX", "SPINE",
    "canonical_region", "count_levels", "date_from_match", "doses_per_day", "full_year", "level_region",
    "parse_us_date", "region_of", "regions_in", "same_region", "strength_mg", "to_date", "to_int",
]
