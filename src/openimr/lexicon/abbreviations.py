"""Diagnoses as records abbreviate them ("severe OA L knee", "Lumbar DDD", "R CTS") and the words they
stand for, so a diagnosis written in shorthand names the same indication as one written out."""

from __future__ import annotations

import re

DIAGNOSIS_ABBREVIATIONS: dict[str, str] = {
    "OA": "osteoarthritis",
    "DJD": "degenerative joint disease",
    "DDD": "degenerative disc disease",
    "CTS": "carpal tunnel syndrome",
    "LBP": "low back pain",
    "HNP": "herniated nucleus pulposus",
    "RCT": "rotator cuff tear",
    "FBSS": "failed back surgery syndrome",
    "CRPS": "complex regional pain syndrome",
    "RSD": "reflex sympathetic dystrophy",
    "PHN": "postherpetic neuralgia",
    "MPS": "myofascial pain syndrome",
    "GERD": "gastroesophageal reflux disease",
    "PTSD": "post-traumatic stress disorder",
    "MDD": "major depressive disorder",
    "RA": "rheumatoid arthritis",
    "DM": "diabetes mellitus",
    "SIJD": "sacroiliac joint dysfunction",
}
# whole words only, as written (upper case: "ra" or "dm" in lower case are not these)
_ABBREVIATION_RX = re.compile(r"\b(" + "|".join(sorted(DIAGNOSIS_ABBREVIATIONS, key=len, reverse=True)) + r")s?\b")


def expand_abbreviations(text: str) -> str:
    """`text` with each abbreviation followed by what it stands for ("severe OA L knee" -> "severe OA
    (osteoarthritis) L knee"); the text is otherwise unchanged."""
    return _ABBREVIATION_RX.sub(lambda m: f"{m.group(0)} ({DIAGNOSIS_ABBREVIATIONS[m.group(1)]})", text)
