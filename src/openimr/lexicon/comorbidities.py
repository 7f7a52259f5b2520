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
    ("chronic kidney disease (renal insufficiency)", r"\b(?:chronic kidney disease|(?-i:CKD|ESRD)|renal (?:insufficiency|failure|disease)|"
                                                    r"on dialysis|hemodialysis)\b"),
    ("liver disease (cirrhosis, hepatitis)", r"\b(?:cirrhosis|hepatitis [bc]|(?-i:HCV|HBV|NASH)|fatty liver|liver disease)\b"),
    ("anemia", r"\b(?:anemia|anaemia|anemic)\b"),
    ("obesity", r"\b(?:morbid(?:ly)? obes\w*|obes(?:e|ity)|(?-i:BMI) (?:of |is |=|:)?\s*(?:3\d|[4-6]\d)(?:\.\d)?)\b"),
    ("anticoagulation", r"\b(?:anticoagula\w*|on (?:warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|dabigatran|"
                        r"lovenox|enoxaparin|heparin)|(?:warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|pradaxa|dabigatran)\b(?= for| daily|\s+\d))"),
    ("bleeding disorder", r"\b(?:bleeding disorder|coagulopathy|hemophilia|von willebrand|thrombocytopenia)\b"),
]
COMORBIDITY_RX: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rx, re.I)) for name, rx in COMORBIDITIES]
# speed: one scan for any of them before the per-condition patterns
ANY_COMORBIDITY_RX = re.compile("|".join(f"(?:{rx})" for _, rx in COMORBIDITIES), re.I)


def comorbidities_in(text: str) -> list[tuple[str, int, int]]:
    """(condition, start, end) of every comorbidity the text names, in order of position."""
    out: list[tuple[str, int, int]] = []
    if not ANY_COMORBIDITY_RX.search(text):
        return out
    for name, rx in COMORBIDITY_RX:
        out.extend((name, m.start(), m.end()) for m in rx.finditer(text))
    return sorted(out, key=lambda t: t[1])
