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
    # issue #11 (dxread): more of the shorthand of PR-2 assessments and of past medical histories
    "SIJ": "sacroiliac joint",
    "TFCC": "triangular fibrocartilage complex",
    "ACL": "anterior cruciate ligament",
    "HTN": "hypertension",
    "DM2": "diabetes mellitus",
    "DMII": "diabetes mellitus",
    "T2DM": "diabetes mellitus",
    "IDDM": "diabetes mellitus",
    "NIDDM": "diabetes mellitus",
    "CAD": "coronary artery disease",
    "CHF": "heart failure",
    "COPD": "chronic obstructive pulmonary disease",
    "OSA": "obstructive sleep apnea",
    "CKD": "chronic kidney disease",
}
# Lower-case shorthand of assessments ("lumbar radic", "SI jt dysfn", "R wrist fx"), read in any case, whole
# words only. Kept apart from the table above, whose capitals matter ("ra" is not RA).
DIAGNOSIS_SHORTHAND: dict[str, str] = {
    "radic": "radiculopathy",
    "jt": "joint",
    "dysfn": "dysfunction",
    "dysfxn": "dysfunction",
    "fx": "fracture",
    "bilat": "bilateral",
    "tendonitis": "tendinitis",
}
# whole words only, as written (upper case: "ra" or "dm" in lower case are not these)
_ABBREVIATION_RX = re.compile(r"\b(" + "|".join(sorted(DIAGNOSIS_ABBREVIATIONS, key=len, reverse=True)) + r")s?\b")


_SHORTHAND_RX = re.compile(r"\b(" + "|".join(sorted(DIAGNOSIS_SHORTHAND, key=len, reverse=True)) + r")\b", re.I)


def expand_abbreviations(text: str) -> str:
    """`text` with each abbreviation followed by what it stands for ("severe OA L knee" -> "severe OA
    (osteoarthritis) L knee", "lumbar radic" -> "lumbar radic (radiculopathy)"); the text is otherwise
    unchanged."""
    text = _ABBREVIATION_RX.sub(lambda m: f"{m.group(0)} ({DIAGNOSIS_ABBREVIATIONS[m.group(1)]})", text)
    return _SHORTHAND_RX.sub(lambda m: f"{m.group(0)} ({DIAGNOSIS_SHORTHAND[m.group(1).lower()]})", text)
