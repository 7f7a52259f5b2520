"""Diagnoses and comorbidities as clinicians write them (issue #11, dxread).

Two readings beside the diagnosis lists of `facts._diagnoses` (which read what follows a "Diagnoses:",
"A:", "Imp:" header or a "diagnosed with" phrase):

- **Diagnoses on the identification line**: the line or sentence that opens a PR-2 with the worker's
  age ("71M, bilat knee OA (K-L 4 R), lumbar stenosis", "Mrs. __ is 66 with chronic bilateral knee OA")
  names the diagnoses under treatment; so does a line that gives an ICD-10 code with its text
  ("M17.11 Unilateral primary osteoarthritis, right knee"). Each diagnosis word there (OA, DJD, CTS, HNP,
  "lumbar radic", sprain, tear ...) gives the clause it is in as a `Diagnosis`, with region and side.
- **Comorbidities** (`CaseFacts.comorbidities`): the conditions of a past medical history (HTN, DM2,
  CAD, COPD, OSA, CKD, obesity or a BMI of 30 or more, anticoagulation ...) wherever they are written,
  named as the knowledge base names indications (`lexicon.comorbidities`). A past history is the place
  they are written, so ConText's "historical" does not cancel them.

Both are marked as spans in the cue span group, so the cue ConText reads them like every other cue:
negated ("no h/o DM", "denies HTN"), hypothetical or uncertain ("r/o CTS", "to evaluate for a tear"),
or about a relative ("FHx CAD", "mother with DM") does not count. A utilization review's letter and the
reports of imaging and electrodiagnostic studies are not read for diagnoses (a study's finding is read
as a study finding; the reviewer's restatement is not the record's).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from openimr.lexicon.abbreviations import expand_abbreviations
from openimr.lexicon.comorbidities import COMORBIDITY_RX, comorbidity_patterns
from openimr.lexicon.levels import LEVEL_RX, level_region
from openimr.lexicon.regions import laterality_of, region_of
from openimr.models.facts import Diagnosis, Evidence

# Words that name a diagnosis (not a complaint: "pain", "numbness" are not here), in the shorthand too.
DX_TERM_RX = re.compile(
    r"\b(?:(?-i:OA|DJD|CTS|HNP|DDD|RCT|CRPS|RSD|FBSS|SIJD|TFCC)|osteoarthritis|arthritis|radiculopathy|radiculitis|radic|sciatica|"
    r"stenosis|spondylosis|spondylolisthesis|(?:disc|disk) (?:herniation|protrusion|extrusion)|herniated (?:disc|disk|nucleus pulposus)|"
    r"sprain|strain|tears?|fx|fractures?|tendinitis|tendonitis|tendinosis|tenosynovitis|bursitis|epicondylitis|fasciitis|"
    r"impingement|(?:carpal|cubital) tunnel syndrome|trigger finger|de ?quervain\w*|myofascial pain syndrome|"
    r"complex regional pain syndrome|(?:jt|joint) dysf\w*|chondromalacia|myelopathy|failed back|"
    # conditions named as drug indications (issue #11, rehab: the AEDs' and SNRIs' fibromyalgia and neuropathy)
    r"fibromyalgia|(?:peripheral|diabetic|post-?herpetic) neuropathy|polyneuropathy|(?:post-?herpetic|occipital|trigeminal) neuralgia|"
    # a fracture or fusion that is not healing (issue #11, other9: a bone growth stimulator's indication)
    r"non-?union|delayed union|malunion|pseudarthrosis)\b",
    re.I,
)
# The line that opens a note with the worker's age and sex ("71M,", "58 y/o F with", "is 66 with"), matched on
# lower-cased text without IGNORECASE (about twice as fast over a whole block)
_INTRO_L = re.compile(
    r"(?=[\n0-9i]|^)(?:(?:^|\n)[ \t]*\d{1,3} ?(?:y/?o|yo|y\.o\.|-?year-old|-?yr-old)? ?(?:m|f|male|female|man|woman)\b"
    r"|\b\d{1,3}[- ]?(?:y/?o|yo|y\.o\.|years?[- ]old|yr[- ]old)\b|\bis (?:a |an )?\d{1,3}\b(?! ?(?:%|mg|/10|min|hours?|days?|weeks?)))"
)
_ICD_LINE = re.compile(r"\b[A-TV-Z]\d{2}\.[0-9A-Z]{1,4}\b")
# A clause that opens with at most four words of side, body part, level or severity and then names a diagnosis
# ("R shoulder impingement since 5/2014", "(2) R knee OA", "PR-2 3/1/16: L5 radiculopathy L", "neck pain, L CTS",
# "Dx plantar fasciitis bilat", "FBSS, s/p fusion"): the diagnosis list of a PR-2 written without a header, or after
# the complaint. Only these head words may come before the diagnosis word, so "Patient has a tear" is not one.
_HEAD_WORD = (r"(?:bilat\w*|b/l|r|l|rt|lt|right|left|chronic|acute|mild|moderate|severe|advanced|primary|post-?traumatic|"
              r"cervical|thoracic|lumbar|lumbosacral|low|back|neck|shoulders?|elbows?|wrists?|hands?|hips?|knees?|ankles?|"
              r"feet|foot|si|sacroiliac|[clt]\d{1,2}(?:-[clts]?\d{1,2})?|s1|medial|lateral|partial|full-thickness|rotator|"
              r"cuff|acl|menisc\w*|plantar|disc|disk|facet|l>r|r>l|dx|working|"
              # r11proc: a disc lesion's position, as written before it ("L4-5 L paracentral HNP", "C5-6 foraminal disc protrusion")
              r"paracentral|central|foraminal|posterolateral|far-lateral|broad-based|focal|large|small)")
# speed: the diagnosis word is looked ahead for in lower case inside the one scan (abbreviations are checked in
# their capitals afterwards), so a clause that names none costs no Python
_DX_TERM_L = DX_TERM_RX.pattern.replace("(?-i:", "(?:").lower()
_HEAD_L = re.compile(r"(?:^|\n|[.;:,] )[ \t]*(?:\(?\d{1,2}[.)][ \t]*)?(?:" + _HEAD_WORD + r"[ \t,]+){0,4}(?=" + _DX_TERM_L + ")")
_IMAGING_WORD = re.compile(r"\b(?:mri|ct|x-?rays?|xr|emg|ncv|ncs|imaging|films?|radiographs?|scan)\b")
# where a clause of a diagnosis list ends; an ICD line keeps its commas ("M17.11 ... osteoarthritis, right knee")
_PART_SPLIT = re.compile(r"[,;]|\s(?:and|&|\+)\s|\s(?:with|w/)\s")
_ICD_PART_SPLIT = re.compile(r";|\s{2,}")
_FAMILY = re.compile(r"\b(?:fhx?|family (?:history|hx)|mother|father|mom|dad|sister|brother|sibling|parents?|grand\w+|aunt|uncle)\b", re.I)
_RISK_OF = re.compile(r"\b(?:risk (?:of|for)|screen(?:ing|ed)? for|r/o|rule out|to prevent|prophyla\w*|prevention of)\s*$", re.I)
_STUDY_TYPES = frozenset({"mri", "ct", "xray", "x-ray", "imaging", "radiology", "emg", "ncv", "ncs", "electrodiagnostic", "edx"})

LABEL_DX = "DX:dx"
LABEL_COMORBIDITY = "DX:c:"


_NEG_WORD = re.compile(r"\b(?:no|denies|denied|negative for|neg for|without|never|nor|free of)\b", re.I)
_LIST_SEP = re.compile(r",|\b(?:or|and|nor)\b", re.I)


def _negated_list(head: str) -> bool:
    """Whether the clause before a word negates the list it is in: "no history of TIA, CVA or seizure" (ConText's
    scope ends at the first comma)."""
    found = list(_NEG_WORD.finditer(head))
    if not found:
        return False
    rest = head[found[-1].end():]
    if re.search(r"\b(?:but|however|except|although|though|now|has|with)\b", rest, re.I):
        return False  # "No HTN, but DM2": the list ended
    pieces = _LIST_SEP.split(rest)
    return len(pieces) <= 6 and all(len(p.strip()) <= 30 for p in pieces)


def _level_region(text: str) -> str | None:
    m = LEVEL_RX.search(text)
    return level_region(m.group(1)) if m else None


def _is_study(doc_type: str | None) -> bool:
    return bool(set(re.split(r"[_/\s-]+", (doc_type or "").lower())) & _STUDY_TYPES)


def mark_dx_spans(doc: Any, text: str, sents: list[tuple[int, int]]) -> list[Any]:
    """Spans for the cue ConText: every comorbidity named in the block, and every diagnosis word of an
    identification or ICD-10 line (label `DX:dx`)."""
    spans: list[Any] = []

    def add(s: int, e: int, label: str) -> None:
        sp = doc.char_span(s, e, label=label, alignment_mode="expand")
        if sp is not None and len(sp):
            spans.append(sp)

    lower = text.lower()
    for k, rx in comorbidity_patterns(text, lower):
        for m in rx.finditer(text):
            add(m.start(), m.end(), f"{LABEL_COMORBIDITY}{k}")
    # speed: the identification and ICD-10 lines are found by one scan of the block each; only their sentences
    # are searched for diagnosis words
    starts = [a for a, _ in sents]
    seen: set[int] = set()
    for rx, lowered in ((_INTRO_L, True), (_ICD_LINE, False)):
        for m in rx.finditer(lower if lowered else text):
            i = bisect_right(starts, m.start()) - 1
            if i < 0 or i in seen or m.start() >= sents[i][1]:
                continue
            seen.add(i)
            a, b = sents[i]
            # after the age on an identification line; the whole sentence on an ICD-10 line
            for t in DX_TERM_RX.finditer(text, max(a, m.end()) if lowered else a, b):
                add(t.start(), t.end(), LABEL_DX)
    for m in _HEAD_L.finditer(lower):
        # the diagnosis word right after the head words, or one that begins with the last of them ("disc herniation")
        t = DX_TERM_RX.match(text, m.end()) or DX_TERM_RX.match(text, lower.rfind(" ", m.start(), m.end() - 1) + 1)
        # an imaging word just before names a study's finding ("MRI: L knee OA"); one on the line or sentence before
        # does not ("XR neg for fx.\nDx plantar fasciitis"; issue #11, inj9)
        if t is None or t.start() < m.start():
            continue
        stop = lower.rfind(". ", 0, t.start())
        look = max(0, m.start() - 15, lower.rfind("\n", 0, t.start()) + 1, stop + 2 if stop >= 0 else 0)
        if _IMAGING_WORD.search(lower, look, t.start()):
            continue
        if not (spans and spans[-1].start_char == t.start()):
            add(t.start(), t.end(), LABEL_DX)
    return spans


def _clause(text: str, s: int, e: int, icd: bool) -> tuple[int, int]:
    """The clause of a diagnosis list that holds text[s:e], within its line."""
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    le = len(text) if le == -1 else le
    split = _ICD_PART_SPLIT if icd else _PART_SPLIT
    head = [m.end() for m in split.finditer(text, ls, s)]
    a = head[-1] if head else ls
    # a colon or the age that opens the line ends the clause before it ("71M, ...", "Dx: ...")
    a0 = a
    for m in re.finditer(r":\s|\.\s+|\(?\b\d{1,2}[.)]\s*|\b\d{1,3}\s?[MF]\b|\bis (?:a |an )?\d{1,3}\b", text[a0:s]):
        a = a0 + m.end()
    tail = split.search(text, e, le)
    b = tail.start() if tail else le
    stop = re.compile(r"\.(?:\s|$)").search(text, e, b)
    if stop:
        b = stop.start()
    while a < b and text[a] in " \t-.:(":
        a += 1
    while b > a and text[b - 1] in " \t.,;:":
        b -= 1
    if text.count("(", a, b) > text.count(")", a, b):  # "OA (K-L 4 R" -> keep the parenthesis whole
        close = text.find(")", b, le)
        if close != -1:
            b = close + 1
    return a, b


def read_dx_spans(sdoc: Any, document: Any, offset: int, section_of: Any, diagnoses: dict, comorbidities: dict) -> None:
    """Diagnoses and comorbidities of one processed block, from the spans `mark_dx_spans` put in the cue
    group, as ConText left them. `diagnoses` and `comorbidities` are keyed (document id, text)."""
    from openimr.extract.cues import CUE_GROUP
    from openimr.extract.sources import is_ur_document

    if is_ur_document(document):
        return
    text = document.text
    study = _is_study(document.type)
    covered = [(e.start, e.end) for d in diagnoses.values() for e in d.evidence if e.document == document.id]
    for sp in sdoc.spans.get(CUE_GROUP, []):
        label = sp.label_
        if not label.startswith("DX:"):
            continue
        u = sp._  # speed: one Underscore for the span's attributes
        if u.is_negated or u.is_hypothetical or u.is_uncertain or u.is_family:
            continue
        if section_of(sp) == "family_history":
            continue
        s, e = offset + sp.start_char, offset + sp.end_char
        line_start = text.rfind("\n", 0, s) + 1
        clause_head = re.split(r"[;:.]|\s-\s", text[line_start:s])[-1]
        if _FAMILY.search(text[line_start:s]) or _RISK_OF.search(text[max(line_start, s - 30):s]):
            continue
        if _negated_list(clause_head):
            continue
        if label.startswith(LABEL_COMORBIDITY):
            name = COMORBIDITY_RX[int(label[len(LABEL_COMORBIDITY):])][0]
            ev = Evidence(document=document.id, start=s, end=e, quote=text[s:e])
            key = (document.id, name)
            if key in comorbidities:
                comorbidities[key].evidence.append(ev)
            else:
                comorbidities[key] = Diagnosis(text=name, evidence=[ev], document_date=document.date)
            continue
        if study or sp._.is_historical or section_of(sp) in ("plan", "request") or any(a <= s < b for a, b in covered):
            continue
        icd = bool(_ICD_LINE.search(text[line_start:text.find("\n", s) if "\n" in text[s:] else len(text)]))
        a, b = _clause(text, s, e, icd)
        if b - a < 2 or b - a > 150:
            continue
        clean = re.sub(r"\s+", " ", text[a:b])
        key = (document.id, clean.lower())
        covered.append((a, b))
        if key in diagnoses:
            continue
        code = _ICD_LINE.search(clean)
        diagnoses[key] = Diagnosis(
            text=clean,
            icd10=code.group(0) if code else None,
            body_region=region_of(expand_abbreviations(clean)) or _level_region(clean),
            laterality=laterality_of(clean),
            evidence=[Evidence(document=document.id, start=a, end=b, quote=text[a:b])],
            document_date=document.date,
        )
