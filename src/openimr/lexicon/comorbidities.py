"""Comorbidities as a past medical history writes them ("PMH: HTN, DM2 on metformin, OSA on CPAP", "BMI 41",
"on Eliquis for a-fib"): each written form and the condition it names.

The names are the words the knowledge base uses for indications of pre-operative assessment, laboratory
tests and the ECG ("diabetes", "hypertension", "coronary artery disease", "sleep apnea", "anticoagulation"),
so a comorbidity read here meets the criterion that names it. Patterns are matched case-insensitively
except where capitals are the abbreviation ("DM", "MI", "AF").
"""

from __future__ import annotations

import re

# (condition as the knowledge base names it, pattern); longer forms first where they overlap
COMORBIDITIES: list[tuple[str, str]] = [
    ("hypertension", r"\b(?:hypertension|hypertensive|(?-i:HTN)|high blood pressure|(?-i:HBP))\b"),
    ("diabetes mellitus", r"\b(?:diabetes(?: mellitus)?|diabetic|(?-i:T2DM|T1DM|DMII|DM ?2|DM ?II|DM|IDDM|NIDDM)|type (?:2|ii|1|i) dm|"
                          r"(?:hb)?a1c (?:of |is |= ?)?(?:6\.[5-9]|[7-9](?:\.\d)?|1\d(?:\.\d)?))\b"),
    ("coronary artery disease", r"\b(?:coronary artery disease|(?-i:CAD|ASHD)|ischemic heart disease|(?:h/o |prior |old )?(?-i:MI)|"
                                r"myocardial infarction|heart attack|(?:coronary|cardiac) stents?|(?-i:CABG|PCI)|angina)\b"),
    ("heart failure", r"\b(?:(?:congestive )?heart failure|(?-i:CHF|HFrEF|HFpEF)|cardiomyopathy)\b"),
    ("arrhythmia (atrial fibrillation)", r"\b(?:atrial fibrillation|a-?fib|(?-i:AFib)|arrhythmias?|atrial flutter|pacemaker)\b"),
    ("cerebrovascular disease (stroke)", r"\b(?:stroke|(?-i:CVA|TIA)|cerebrovascular (?:disease|accident))\b"),
    ("copd (chronic obstructive pulmonary disease)", r"\b(?:(?-i:COPD)|emphysema|chronic bronchitis|chronic obstructive pulmonary disease)\b"),
    ("asthma", r"\basthma\w*\b"),
    ("obstructive sleep apnea", r"\b(?:(?:obstructive )?sleep apnea|(?-i:OSA)|on (?-i:C?PAP|BiPAP))\b"),
    # r12drug: the sleep disorders a wakefulness agent treats, beside sleep apnea
    ("narcolepsy", r"\bnarcolep\w*"),
    ("shift work sleep disorder", r"\b(?:shift[- ]?work (?:sleep )?disorder|(?-i:SWSD))\b"),
    ("chronic kidney disease (renal insufficiency)", r"\b(?:chronic kidney disease|(?-i:CKD|ESRD)|renal (?:insufficiency|failure|disease)|"
                                                    r"on dialysis|hemodialysis)\b"),
    ("liver disease (cirrhosis, hepatitis)", r"\b(?:cirrhosis|hepatitis [bc]|(?-i:HCV|HBV|NASH)|fatty liver|liver disease)\b"),
    ("anemia", r"\b(?:anemia|anaemia|anemic)\b"),
    ("obesity", r"\b(?:obes(?:e|ity)|(?-i:BMI)(?: \w+)?(?: of| is|=|:)?\s*(?:3\d|[4-6]\d)(?:\.\d)?)\b"),
    # a BMI of 40 or more is morbid obesity (the aquatic therapy topic's indication)
    ("morbid obesity", r"\b(?:morbid(?:ly)? obes\w*|(?-i:BMI)(?: \w+)?(?: of| is|=|:)?\s*[4-6]\d(?:\.\d)?)\b"),
    ("anticoagulation", r"\b(?:anticoagula\w*|on (?:warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|dabigatran|"
                        r"lovenox|enoxaparin|heparin)|(?:warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|dabigatran)\b(?= for| daily|\s+\d))"),
    ("bleeding disorder", r"\b(?:bleeding disorder|coagulopathy|hemophilia|von willebrand|thrombocytopenia)\b"),
]
COMORBIDITY_RX: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rx, re.I)) for name, rx in COMORBIDITIES]

# speed: a pattern is searched only in a text holding one of its words (lower-cased) or abbreviations (as written);
# a whole-text scan of every pattern costs more than all the cue rules together
_KEYS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("hypertens", "high blood"), ("HTN", "HBP")),
    (("diabet", "a1c", " dm"), ("DM", "IDDM", "NIDDM", "T2DM", "T1DM")),
    (("coronary", "ischemic", "myocard", "heart attack", "stent", "angina"), ("CAD", "ASHD", "MI", "CABG", "PCI")),
    (("heart failure", "cardiomyopathy"), ("CHF", "HFrEF", "HFpEF")),
    (("fib", "arrhythm", "flutter", "pacemaker"), ("AFib",)),
    (("stroke", "cerebrovascular"), ("CVA", "TIA")),
    (("emphysema", "bronchitis", "obstructive pulmonary"), ("COPD",)),
    (("asthma",), ()),
    (("apnea", "pap"), ("OSA", "PAP")),
    (("narcolep",), ()),
    (("shift",), ("SWSD",)),
    (("kidney", "renal", "dialysis"), ("CKD", "ESRD")),
    (("cirrhosis", "hepatitis", "liver"), ("HCV", "HBV", "NASH")),
    (("anemi", "anaemi"), ()),
    (("obes",), ("BMI",)),
    (("morbid",), ("BMI",)),
    (("anticoag", "warfarin", "coumadin", "eliquis", "apixaban", "xarelto", "rivaroxaban", "pradaxa", "dabigatran",
      "lovenox", "enoxaparin", "heparin"), ()),
    (("bleeding disorder", "coagulopathy", "hemophilia", "willebrand", "thrombocytopenia"), ()),
]
assert len(_KEYS) == len(COMORBIDITIES)


# one scan for the words (lower-cased, from a word start: "stent" is not in "consistent") and one for the
# abbreviations (as written, whole words: "MI" in "MILD" is not one)
_WORDS = sorted({w.strip() for words, _ in _KEYS for w in words}, key=len, reverse=True)
_ABBREVS = sorted({a for _, abbrevs in _KEYS for a in abbrevs}, key=len, reverse=True)
# speed: a first-letter class before the alternation rejects most positions at once
_WORD_RX = re.compile(r"\b(?=[" + "".join(sorted({w[0] for w in _WORDS})) + r"])(" + "|".join(_WORDS) + r")")
_ABBREV_RX = re.compile(r"\b(?=[" + "".join(sorted({a[0] for a in _ABBREVS})) + r"])(" + "|".join(_ABBREVS) + r")")
_BY_KEY: dict[str, list[int]] = {}
for _k, (_words, _abbrevs) in enumerate(_KEYS):
    for _w in (*(w.strip() for w in _words), *_abbrevs):
        _BY_KEY.setdefault(_w, []).append(_k)


def comorbidity_patterns(text: str, lower: str | None = None) -> list[tuple[int, re.Pattern[str]]]:
    """(index in COMORBIDITIES, pattern) of the patterns that may match the text."""
    low = text.lower() if lower is None else lower
    found = set(_WORD_RX.findall(low)) | set(_ABBREV_RX.findall(text))
    ks = sorted({k for key in found for k in _BY_KEY.get(key, ())})
    return [(k, COMORBIDITY_RX[k][1]) for k in ks]


def comorbidities_in(text: str) -> list[tuple[str, int, int]]:
    """(condition, start, end) of every comorbidity the text names, in order of position."""
    out: list[tuple[str, int, int]] = []
    for k, rx in comorbidity_patterns(text):
        out.extend((COMORBIDITIES[k][0], m.start(), m.end()) for m in rx.finditer(text))
    return sorted(out, key=lambda t: t[1])
