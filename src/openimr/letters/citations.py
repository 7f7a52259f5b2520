"""Guideline sentences of a letter <-> `Guideline` / `Citation`.

Reviewers cite guidelines in a handful of shapes, e.g.

    Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Muscle relaxants (for pain).
    Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma), Muscle Relaxants Page(s): 29, 63-66.
    Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 300.
    The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation
    Official Disability Guidelines (ODG) Neck and Back: Facet joint injections.
    ... Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 2nd Edition, 2004, page 127.

`parse_guideline` reads any of them; `compose_guideline` writes citations back in one canonical
reviewer form that `parse_guideline` reads to the same citations. Document names are kept as the
reviewer wrote them ("Chronic Pain Treatment Guidelines" and "Chronic Pain Medical Treatment" stay
distinct); `source` is the normalized authority: "MTUS", "ODG", "ACOEM" or the name of another source.
"""

from __future__ import annotations

import re

from openimr.models.letter import Citation, Guideline

# Parts of the California MTUS as reviewers name them (longest first when matching).
MTUS_DOCUMENTS = (
    "Chronic Pain Medical Treatment Guidelines",
    "Chronic Pain Medical Treatment",
    "Chronic Pain Treatment Guidelines",
    "Chronic Pain Guidelines",
    "Postsurgical Treatment Guidelines",
    "Post-Surgical Treatment Guidelines",
    "Acupuncture Medical Treatment Guidelines",
    "Initial Approaches to Treatment",
    "General Approach to Initial Assessment and Documentation",
    "Independent Medical Examinations and Consultations",
    "Neck and Upper Back Complaints",
    "Shoulder Complaints",
    "Elbow Disorders",
    "Forearm, Wrist, and Hand Complaints",
    "Knee Complaints",
    "Ankle and Foot Complaints",
    "Low Back Complaints",
    "Stress Related Conditions",
    "Eye Chapter",
    # The 2016-2017 letters name MTUS parts by these short titles ("MTUS Opioid Treatment 2016").
    "Acupuncture Treatment",
    "Postsurgical Treatment",
    "Opioid Treatment",
    "General Approaches",
    "Elbow Complaints",
    "Ankle and Foot Complaints",
    "Medical Treatment Utilization Schedule",
    "Guidelines",
)
_MTUS_DOC = re.compile(
    "^(" + "|".join(re.escape(d) for d in sorted(MTUS_DOCUMENTS, key=len, reverse=True)) + r")(?=[\s,.:;]|$)",
    re.I,
)
_ODG = re.compile(
    r"^(Official Disability Guidelines(?: \(ODG\))?(?:[- ]TWC)?|ODG(?:[- ]TWC)?(?: [Gg]uidelines)?)(?=[\s,.:;]|$)"
)
_ACOEM = re.compile(
    r"^((?:the )?ACOEM(?: Occupational Medicine Practice Guidelines| Practice Guidelines| [Gg]uidelines)?"
    r"|American College of Occupational and Environmental Medicine(?: \(ACOEM\))?)(?=[\s,.:;]|$)"
)

_WHOSE = r"(?:their|his/her|his|her|its)"
# Sentences that say the decision does not rest on the MTUS: "did not base their decision on the MTUS",
# "based their decision on recommendation(s) outside of the MTUS Guidelines", "did not cite any
# medical evidence for its decision".
_DISCLAIMER = re.compile(
    rf"did not base {_WHOSE} decision on (?:the )?MTUS"
    rf"|based {_WHOSE} decision on recommendation\(s\) outside of the MTUS"
    r"|did not cite any medical evidence",
    re.I,
)
_LEAD = re.compile(
    rf"(?:\bDecision based on|\bbased {_WHOSE} decision on(?! recommendation\(s\) outside)(?: the)?)\s+", re.I
)
# "... Non-MTUS Citation ODG ... and Other Medical Treatment Guidelines AANEM ...": a second source.
# "ACOEM guidelines and the Official Disability Guidelines": two sources in one citation.
_OTHER = re.compile(
    r"\s+and Other Medical Treatment Guidelines:?\s+|\s+and the (?=Official Disability Guidelines\b|ODG\b)", re.I
)
# "MTUS General Approaches 2004, Section(s): ..., and Chronic Pain Medical Treatment 2016, ...":
# several MTUS parts in one sentence, each named with its year.
_MTUS_NEXT = re.compile(
    r",?\s+and (?=(?:" + "|".join(re.escape(d) for d in sorted(MTUS_DOCUMENTS, key=len, reverse=True))
    + r") (?:19|20)\d\d\b)"
)
# An MTUS part not in the list above, named before its year ("MTUS Hip Complaints 2016").
_MTUS_DOC_YEAR = re.compile(r"^(?P<d>[A-Z][A-Za-z,&/\- ]{2,80}?)(?= (?:19|20)\d\d(?:[\s,.:;]|$))")
_NON_MTUS = re.compile(r"^Non-MTUS(?: Citation)?:?\s*", re.I)
_MTUS = re.compile(r"^(?:the )?(?:California )?MTUS\b:?\s*", re.I)
_PAGES = re.compile(
    r"(?:,\s*|\s+|^)(?:Page\(s\)|Pages?|pp?\.)\s*:?\s*(?P<p>\d[\d,\s\-\u2013]*?|[ivxlc]+(?:-[ivxlc]+)?)\s*$",
    re.I,
)
_SECTIONS = re.compile(r"(?:,\s*|\s+|^)Section\(s\):\s*(?P<s>.*)$", re.I)
_EDITION = re.compile(
    r"^,?\s*(?P<e>\d{1,2}(?:st|nd|rd|th) [Ee]dition(?:,?\s*\d{4})?|\d{4})(?=[\s,.:;]|$)"
)
_CHAPTER_NUMBERED = re.compile(r"^,?\s*(?P<c>Chapter \d+[A-Za-z]?(?: [^,:]+)?)$")
_CHAPTER_NAMED = re.compile(r"^,?\s*(?P<c>[^,:]*\bChapter)$")
_CHAPTER_COLON = re.compile(r"^,?\s*(?P<c>[A-Z][^,:]*?):\s+(?P<s>.+)$")


_ODG_ANYWHERE = re.compile(r"\bODG\b|\bOfficial Disability Guidelines\b")
_ACRONYM = re.compile(r"[A-Z]{2,}s?")


def split_sections(text: str) -> list[str]:
    """"Carisoprodol (Soma), Muscle Relaxants" -> two sections; "Opioids, criteria for use" -> one
    (a comma followed by a lower-case word continues the section name)."""
    if ", " not in text:  # one piece (most section lists)
        piece = text.strip()
        return [piece] if piece else []
    out: list[str] = []
    joined = False  # the previous piece was a lone acronym: this one continues it
    for piece in text.split(", "):
        piece = piece.strip()
        if not piece:
            continue
        if out and (joined or piece[0].islower()):
            out[-1] += ", " + piece
        else:
            out.append(piece)
        # "NSAIDs, GI symptoms & cardiovascular risk" is one MTUS section: an acronym alone is no section.
        # (an acronym starts with two capitals: the cheap test first)
        joined = piece[:2].isupper() and bool(_ACRONYM.fullmatch(piece)) and not joined
    return out


# The characters other than ASCII letters that re.IGNORECASE matches to an ASCII letter. In a text
# without them, str.lower() + str.find answer as an IGNORECASE regex of ASCII letters would, at the
# same indexes (U+0130 is also the one character whose lower case is two characters long).
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")


def plain(text: str) -> bool:
    """True when str.lower() + str.find stand in exactly for an IGNORECASE regex of ASCII letters."""
    return text.isascii() or not any(c in text for c in _ODD_CASE)


def _search_from(pattern: re.Pattern[str], text: str, low: str, word: str) -> re.Match[str] | None:
    """pattern.search(text) for a pattern "(?:,\\s*|\\s+|^)<word>..." (IGNORECASE): no match can begin
    before the first `word` in `low` and the comma/spaces in front of it, so the regex starts there."""
    i = low.find(word)
    if i < 0:
        return None
    j = len(text[:i].rstrip())
    if j and text[j - 1] == ",":
        j -= 1
    return pattern.search(text, j)


def parse_citation(body: str, in_mtus: bool | None) -> Citation:
    """One citation body (after "MTUS" / "Non-MTUS Citation")."""
    return Citation(**citation_fields(body, in_mtus))


def citation_fields(body: str, in_mtus: bool | None) -> dict:
    """parse_citation's fields as a dict (no model built: the reader validates the guideline once)."""
    body = body.strip().rstrip(".").strip()
    low = body.lower()  # substring tests first: most citations have no pages, many no sections
    ok = plain(body)
    pages = None
    if "page" in low or "p." in low:
        m = _search_from(_PAGES, body, low, "p") if ok else _PAGES.search(body)
    else:
        m = None
    if m:
        pages = m.group("p").strip().rstrip(",").strip()
        body = body[: m.start()].strip()
    sections_text = None
    if "section(s)" in low:
        m = _search_from(_SECTIONS, body, body.lower(), "section(s)") if ok else _SECTIONS.search(body)
    else:
        m = None
    if m:
        sections_text = m.group("s").strip()
        body = body[: m.start()].strip()

    source: str
    document: str | None
    # (each regex behind the first letter or word it requires: a failed regex call costs more)
    if body[:1] == "O" and (m := _ODG.match(body)):
        source, document = "ODG", m.group(1)
    elif body[:1] in ("t", "A") and (m := _ACOEM.match(body)):
        source, document = ("MTUS" if in_mtus else "ACOEM"), m.group(1)
    elif (in_mtus is not False) and (m := _MTUS_DOC.match(body)):
        source, document = "MTUS", m.group(1)
    elif in_mtus and (m := _MTUS_DOC_YEAR.match(body)):
        source, document = "MTUS", m.group("d")
    elif in_mtus:
        source, document, m = "MTUS", None, None
    elif in_mtus is False and _ODG_ANYWHERE.search(body):
        # "Non-MTUS Citation Neck and Upper Back, Physical Therapy, ODG Preface": ODG named later on
        source, document, m = "ODG", None, None
    else:
        name = re.split(r",\s|:\s", body, maxsplit=1)[0].strip()
        source, document, m = (name or "Other"), None, None
        body = body[len(name) :]
    rest = body[m.end() :] if m else body

    edition = None
    if em := _EDITION.match(rest):
        edition = em.group("e")
        rest = rest[em.end() :]
    # "Official Disability Guidelines: Carpal Tunnel ...", "... Guidelines - Hip and Pelvis Chapter"
    rest = rest.strip().lstrip(",:-\u2013").strip()

    chapter = None
    sections: list[str] = []
    if rest:
        if "Chapter" in rest and (cm := (_CHAPTER_NUMBERED.match(rest) or _CHAPTER_NAMED.match(rest))):
            chapter = cm.group("c").strip()
        elif ":" in rest and (cm := _CHAPTER_COLON.match(rest)):
            chapter = cm.group("c").strip()
            sections = split_sections(cm.group("s"))
        else:
            sections = split_sections(rest)
    if sections_text:
        sections += split_sections(sections_text)
    return {"source": source, "document": document, "edition_or_year": edition, "chapter": chapter,
            "sections": sections, "pages": pages}


def _lead_split(text: str) -> list[str]:
    """_LEAD.split(text). Every match begins at a "based" (or 9 characters before it, at "Decision
    based"): in a plain text those are found with str.find and only tried there."""
    if not plain(text):
        return _LEAD.split(text)
    low = text.lower()
    parts = []
    last = 0
    i = low.find("based")
    while i >= 0:
        m = None
        if i - 9 >= last:
            m = _LEAD.match(text, i - 9)
        if m is None and i >= last:
            m = _LEAD.match(text, i)
        if m is not None:
            parts.append(text[last : m.start()])
            last = m.end()
            i = low.find("based", max(last, i + 1))
        else:
            i = low.find("based", i + 1)
    parts.append(text[last:])
    return parts


def _disclaims(text: str) -> bool:
    """_DISCLAIMER.search(text), skipped when a plain text holds none of its words."""
    if plain(text):
        low = text.lower()
        if "did not " not in low and "outside of the mtus" not in low:
            return False
    return _DISCLAIMER.search(text) is not None


def parse_guideline(text: str) -> Guideline:
    """A guideline sentence as written -> Guideline(mtus, citations, text)."""
    return Guideline.model_validate(guideline_fields(text))


def guideline_fields(text: str) -> dict:
    """parse_guideline's fields as a dict (mtus, citations as dicts, text)."""
    text = text.strip()
    parts = _lead_split(text)
    citations: list[dict] = []
    for part in parts[1:]:
        part = part.strip()
        if not part:
            continue
        if m := _NON_MTUS.match(part):
            body = part[m.end() :]
            pieces = _OTHER.split(body) if " and " in body else [body]
            citations += [citation_fields(p, False) for p in pieces if p.strip()]
        elif m := _MTUS.match(part):
            body = part[m.end() :]
            pieces = _MTUS_NEXT.split(body) if " and " in body else [body]
            citations += [citation_fields(p, True) for p in pieces if p.strip()]
        else:
            citations.append(citation_fields(part, None))
    mtus = any(c["source"] == "MTUS" for c in citations) and not _disclaims(text)
    return {"mtus": mtus, "citations": citations, "text": text}


def compose_citation(c: Citation) -> str:
    """A citation in the canonical reviewer form (without the leading "Decision based on")."""
    lead = "MTUS" if c.source == "MTUS" else "Non-MTUS Citation"
    name = c.document or ("" if c.source == "MTUS" else c.source)
    s = name
    if c.edition_or_year:
        s += (", " if "dition" in c.edition_or_year else " ") + c.edition_or_year
    sections = list(c.sections)
    if c.chapter:
        if c.chapter.startswith("Chapter "):
            s += " " + c.chapter
        elif c.chapter.endswith("Chapter"):
            s += ", " + c.chapter
        elif sections:
            s += f" {c.chapter}: {sections[0]}"
            sections = sections[1:]
            if sections:
                s += ", " + ", ".join(sections)
                sections = []
        else:
            s += ", " + c.chapter + " Chapter"
    if sections:
        s += ", Section(s): " + ", ".join(sections)
    if c.pages:
        s += " Page(s): " + c.pages
    s = s.strip().lstrip(",").strip()
    return f"{lead} {s}".strip()


def compose_guideline(mtus: bool, citations: list[Citation], who: str = "The Expert Reviewer") -> str:
    """The guideline sentence(s) for citations, as a reviewer writes them."""
    out = []
    if not mtus:
        out.append(f"{who} did not base their decision on the MTUS.")
    for c in citations:
        out.append(f"Decision based on {compose_citation(c)}.")
    return " ".join(out)
