"""Body regions: one table of the words clinicians use ("L-spine", "LBP", "BLE", "rotator cuff").

Canonical names: sacroiliac, lumbar, cervical, thoracic, shoulder, knee, wrist/hand, elbow, hip,
ankle/foot, upper extremity, lower extremity, abdomen.
"""

from __future__ import annotations

import re


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Order matters where words overlap: the first region that matches a word names it.
REGIONS: list[tuple[str, re.Pattern[str]]] = [
    ("sacroiliac", _rx(r"sacro[- ]?iliac|\bSIJ?\b|\bSI joint")),
    ("lumbar", _rx(r"lumbar|lumbo|low(?:er)?[- ]back|\bLBP\b|\bL[- ]?spine\b|\bLS[- ]spine\b|\bLSO\b|thoracolumbar|\bback\b")),
    ("cervical", _rx(r"cervical|\bneck\b|\bC[- ]?spine\b|\bACDF\b")),
    ("thoracic", _rx(r"thoracic|\bT[- ]?spine\b|mid[- ]?back|upper back")),
    ("shoulder", _rx(r"shoulder|rotator cuff|subacromial|glenohumeral|acromioclavicular|\bAC joint|labral|\bSLAP\b")),
    ("knee", _rx(r"\bknees?\b|menisc|patell|\bACL\b|genicular")),
    # r11proc: the wrist's named parts ("1st dorsal compartment", "radial styloid", "TFCC", "thumb CMC", "scaphoid")
    ("wrist/hand", _rx(r"wrist|\bhands?\b|carpal|finger|thumb|de ?quervain|dorsal compartment|radial styloid|\bTFCC\b"
                       r"|\bCMC\b|scaphoid")),
    ("elbow", _rx(r"elbow|epicondyl|cubital")),
    ("hip", _rx(r"\bhips?\b")),
    ("ankle/foot", _rx(r"ankle|\bfoot\b|\bfeet\b|plantar|\bheels?\b")),
    ("upper extremity", _rx(r"upper extremit|upper limb|\b[BLR]?UEs?\b|\barms?\b")),
    ("lower extremity", _rx(r"lower extremit|lower limb|\b[BLR]?LEs?\b|\blegs?\b")),
    ("abdomen", _rx(r"abdom|gastro|\bGI\b")),
]
_BY_NAME = dict(REGIONS)

# One region word as the extractor tags it on a fact (the words it looks for beside a finding).
REGION_WORD_RX = re.compile(
    r"\b(cervical|neck|thoracic|lumbar|lumbosacral|low back|back|sacroiliac|shoulders?|elbows?|wrists?|hands?|fingers?|thumbs?|hips?|knees?|ankles?|feet|foot)\b",
    re.I,
)

# Regions read as one for matching a request to the record: SI pain is low back pain, and radiating limb
# symptoms belong to the spine they come from.
_MATCH_AS = {"sacroiliac": "lumbar", "lower extremity": "lumbar", "upper extremity": "cervical"}


def regions_in(text: str | None) -> list[str]:
    """Every region the text names, in table order."""
    if not text:
        return []
    return [name for name, rx in REGIONS if rx.search(text)]


def region_of(text: str | None) -> str | None:
    """The region named first in the text ("R shoulder and neck" -> shoulder), or None."""
    if not text:
        return None
    best: tuple[int, int, str] | None = None
    for order, (name, rx) in enumerate(REGIONS):
        m = rx.search(text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, name)
    return best[2] if best else None


def canonical_region(text: str | None) -> str | None:
    """A region word or phrase reduced to its canonical name ('low back' -> 'lumbar'), or None.

    Earlier in the table wins, so a label like "lumbar radiculopathy to the leg" is lumbar."""
    found = regions_in(text)
    return found[0] if found else None


def same_region(a: str | None, b: str | None) -> bool:
    """Whether two region words name the same region (for matching a fact to a request)."""
    ra, rb = canonical_region(a), canonical_region(b)
    if ra is None or rb is None:
        return False
    return _MATCH_AS.get(ra, ra) == _MATCH_AS.get(rb, rb)


def region_key(text: str | None) -> str | None:
    """The canonical region as matching reads it (SI and lower limb count as lumbar), or None."""
    r = canonical_region(text)
    return _MATCH_AS.get(r, r) if r else None


def is_region(name: str) -> bool:
    return name in _BY_NAME


# issue 11 (devdec): the limb whose nerves an electrodiagnostic study of a region tests (the neck's roots run in
# the arm, the low back's in the leg)
_LIMB = {
    "cervical": "upper", "shoulder": "upper", "elbow": "upper", "wrist/hand": "upper", "upper extremity": "upper",
    "lumbar": "lower", "sacroiliac": "lower", "hip": "lower", "knee": "lower", "ankle/foot": "lower",
    "lower extremity": "lower",
}


# issue 11 (letters9): words that place a sensory or motor sign in a limb without naming a joint ("tingling in the
# toes", "numbness of the fingers"); the region such a sign speaks for is that limb
LIMB_WORD_RX = re.compile(
    r"\b(?:(?P<lower>toes?|legs?|thighs?|calf|calves|shins?)|(?P<upper>fingers?|thumbs?|arms?|forearms?))\b", re.I)


def limb_word_region(m: re.Match[str]) -> str:
    """The canonical limb region of a LIMB_WORD_RX match."""
    return "lower extremity" if m.group("lower") else "upper extremity"


def limb_of(text: str | None) -> str | None:
    """'upper' or 'lower' for a region word or phrase whose nerves run in that limb, else None."""
    r = canonical_region(text)
    return _LIMB.get(r) if r else None


# The side a diagnosis or finding is on, as records write it ("R CTS", "bilat knee OA", "L4-5" is a level, not a side)
_BILATERAL = re.compile(r"\b(?:bilateral(?:ly)?|bilat|b/l|both)\b", re.I)
_RIGHT = re.compile(r"\b(?:right|rt)\b|\bR(?![-\d])\b", re.I)
_LEFT = re.compile(r"\b(?:left|lt)\b|\bL(?![-\d])\b", re.I)


def laterality_of(text: str | None) -> str | None:
    """"bilateral", "right", "left" or None: the side the text names (both sides named -> bilateral)."""
    if not text:
        return None
    if _BILATERAL.search(text):
        return "bilateral"
    right, left = bool(_RIGHT.search(text)), bool(_LEFT.search(text))
    if right and left:
        return "bilateral"
    return "right" if right else "left" if left else None
