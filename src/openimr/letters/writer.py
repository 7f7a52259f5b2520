"""Render a Determination as the standard Final Determination letter: plain text, HTML or PDF.

The layout follows the published letters: HOW THE IMR FINAL DETERMINATION WAS MADE, the reviewer's
credentials, CLINICAL CASE SUMMARY, IMR ISSUES, DECISIONS AND RATIONALES and, per item,
"<request>: <decision>", the Claims Administrator guideline, the organization's guideline and the
decision rationale. Guideline sentences are written as the letter had them (`Guideline.text`); a
guideline with citations but no text is written in the canonical reviewer form, which the reader reads
back to the same citations. A draft carries a DRAFT banner. `openimr.letters.reader` reads every
rendering back to the same Determination.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from openimr.letters.citations import compose_guideline
from openimr.letters.reader import DRAFT_BANNER, parse_worker
from openimr.models.letter import Determination, Guideline, InjuredWorker, ItemDecision, ReviewerCredentials

WIDTH = 96
_HYPHEN_SPACE = re.compile(r"(\S-) ")

HOW_HEADING = "HOW THE IMR FINAL DETERMINATION WAS MADE"
SUMMARY_HEADING = "CLINICAL CASE SUMMARY"
ISSUES_HEADING = "IMR ISSUES, DECISIONS AND RATIONALES"
SUMMARY_INTRO = (
    "The expert reviewer developed the following clinical case summary based on a review of the case "
    "file, including all medical records:"
)
UNDECIDED = "Undecided (no draft decision: the reviewer decides)"
ISSUES_INTRO = "The Final Determination was based on decisions for the disputed items/services set forth below:"


DRAFT_CREDENTIALS = "The expert reviewer's credentials are stated here when the assigned reviewer signs."


def _org_short(d: Determination) -> str:
    return (d.organization.split() or ["IMRO"])[0]


def _join_states(states: list[str]) -> str:
    if len(states) <= 1:
        return "".join(states)
    return ", ".join(states[:-1]) + " and " + states[-1]


def intro_paragraphs(d: Determination) -> list[str]:
    """The "how it was made" paragraph, with the reviewer's credentials as prose when board certified."""
    r = d.reviewer
    creds = ""
    if r.board_certified and r.specialty:
        creds = f" The expert reviewer is Board Certified in {r.specialty}"
        creds += f", and is licensed to practice in {_join_states(r.licensure)}." if r.licensure else "."
    return [
        f"{d.organization} sent the complete case file to an expert reviewer. He/she has no affiliation "
        "with the employer, employee, providers or the claims administrator." + creds + " He/she has "
        "been in active clinical practice for more than five years and is currently working at least 24 "
        "hours a week in active practice. The expert reviewer was selected based on his/her clinical "
        "experience, education, background, and expertise in the same or similar specialties that "
        "evaluate and/or treat the medical condition and disputed items/services. He/she is familiar "
        "with governing laws and regulations, including the strength of evidence hierarchy that applies "
        "to Independent Medical Review determinations."
    ]


def credential_lines(r: ReviewerCredentials) -> list[str]:
    """The credentials block, or nothing when the intro already states them as prose."""
    if r.board_certified and r.specialty:
        return []
    return [
        "The Expert Reviewer has the following credentials:",
        f"State(s) of Licensure: {', '.join(r.licensure)}".rstrip(),
        f"Certification(s)/Specialty: {r.specialty or ''}".rstrip(),
    ]


def worker_sentence(w: InjuredWorker) -> str:
    """The opening sentence of a case summary stating age, sex and date of injury."""
    doi = w.date_of_injury.strftime("%m-%d-%Y") if w.date_of_injury else None
    if w.age is not None and w.sex:
        article = "an" if str(w.age).startswith("8") or w.age in (11, 18) else "a"
        s = f"The injured worker is {article} {w.age} year old {w.sex}"
    elif w.sex:
        s = f"The injured worker is a {w.sex}"
    elif w.age is not None:
        s = f"The injured worker is {w.age} years old"
    else:
        return f"The date of injury in this case is {doi}." if doi else ""
    return s + (f", who sustained an industrial injury on {doi}." if doi else ".")


def _date(d: dt.date) -> str:
    return d.strftime("%m/%d/%Y")


def header_lines(d: Determination) -> list[str]:
    """The case block (Case Number, dates, priority) the 2016-2017 letters open with; none when the
    determination has none of its fields."""
    if not any((d.case_number, d.date_assigned, d.decision_date, d.priority, d.ur_denial_date,
                d.application_received)):
        return []
    out = []
    if d.case_number:
        out.append(f"Case Number: {d.case_number}")
    for label, value in (("Date Assigned", d.date_assigned), ("Date of Injury", d.injured_worker.date_of_injury),
                         ("Decision Date", d.decision_date), ("UR Denial Date", d.ur_denial_date)):
        if value:
            out.append(f"{label}: {_date(value)}")
    if d.priority:
        out.append(f"Priority: {d.priority}")
    if d.application_received:
        out.append(f"Application Received: {_date(d.application_received)}")
    return out


def item_header(it: ItemDecision) -> str:
    """"<request>: <decision>", in the partial-certification form when part was authorized."""
    if it.original_request and it.authorized:
        return (f"{it.original_request} was the original request. {it.authorized} was authorized by the Claims "
                f"Administrator. The remaining IMR eligible portion of the original request, {it.request} is: "
                f"{it.decision}")
    return f"{it.request}: {it.decision}"


def summary_text(d: Determination) -> str:
    """The case summary; when it does not state the worker's age/sex/date of injury as recorded, a
    sentence stating them is put first (the date of injury only when no case block states it)."""
    s = d.clinical_case_summary.strip()
    w = d.injured_worker
    if header_lines(d) and w.date_of_injury:
        # The case block states the date of injury and the reader takes it from there.
        stated = parse_worker(s)
        if (stated.age, stated.sex) != (w.age, w.sex):
            s = (worker_sentence(w.model_copy(update={"date_of_injury": None})) + " " + s).strip()
        return s
    if parse_worker(s) != w:
        s = (worker_sentence(w) + " " + s).strip()
    return s


def guideline_text(g: Guideline, who: str) -> str:
    return g.text.strip() or compose_guideline(g.mtus, g.citations, who)


def _blocks(d: Determination) -> list[tuple[str, str]]:
    """The letter as (kind, text) blocks: banner, heading, para, lines, item."""
    out: list[tuple[str, str]] = []
    if d.status == "draft":
        out.append(("banner", DRAFT_BANNER))
    if head := header_lines(d):
        out.append(("lines", "\n".join(head)))
    out.append(("heading", HOW_HEADING))
    out += [("para", p) for p in intro_paragraphs(d)]
    r = d.reviewer
    if d.status == "draft" and not (r.licensure or r.specialty):
        # No reviewer assigned yet: say so rather than print empty credential lines.
        out.append(("lines", DRAFT_CREDENTIALS))
    elif creds := credential_lines(r):
        out.append(("lines", "\n".join(creds)))
    out.append(("heading", SUMMARY_HEADING))
    out.append(("para", SUMMARY_INTRO))
    out.append(("para", summary_text(d)))
    out.append(("heading", ISSUES_HEADING))
    out.append(("para", ISSUES_INTRO))
    org = _org_short(d)
    for it in d.items:
        out.append(("item", item_header(it)))
        if it.claims_administrator_guideline is not None:
            text = guideline_text(it.claims_administrator_guideline, "The Claims Administrator")
            out.append(("labelled", f"Claims Administrator guideline:\x00{text}"))
        if it.imr_guideline is not None:
            out.append(("labelled", f"{org} guideline:\x00{guideline_text(it.imr_guideline, 'The Expert Reviewer')}"))
        out.append(("labelled", f"Decision rationale:\x00{it.rationale.strip()}"))
    for u in d.undecided:  # a draft's items left to the reviewer: listed, never dropped (issue 14)
        out.append(("item", f"{u.request}: {UNDECIDED}"))
        out.append(("labelled", f"Draft note:\x00{u.reason.strip() or 'no draft decision'}"))
    return out


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Greedy wrap on spaces; never breaks a word, and never after a word ending in a hyphen (a reader
    would take "pre-" + "and" for one word)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width or cur.endswith("-"):
            cur += " " + word
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


def render_text(d: Determination) -> str:
    parts: list[str] = []
    for kind, text in _blocks(d):
        if kind in ("heading", "item", "lines", "banner"):
            parts.append(text)
        elif kind == "labelled":
            label, body = text.split("\x00", 1)
            parts.append("\n".join(wrap(f"{label} {body}".strip())))
        else:
            parts.append("\n".join(wrap(text)))
    return "\n\n".join(parts) + "\n"


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; line-height: 1.45;
       color: #111; padding: 0 1em; }
h2 { font-family: Helvetica, Arial, sans-serif; font-size: 1.05em; letter-spacing: .04em; margin-top: 1.8em;
     border-bottom: 1px solid #999; padding-bottom: .2em; }
.banner { border: 3px solid #b00; color: #b00; font-weight: bold; padding: .6em 1em; text-align: center; }
.item { font-weight: bold; margin-top: 1.6em; }
.label { font-weight: bold; }
.lines p { margin: .15em 0; }
"""


def render_html(d: Determination) -> str:
    e = html.escape
    body: list[str] = []
    for kind, text in _blocks(d):
        if kind == "banner":
            body.append(f'<p class="banner">{e(text)}</p>')
        elif kind == "heading":
            body.append(f"<h2>{e(text)}</h2>")
        elif kind == "item":
            body.append(f'<p class="item">{e(text)}</p>')
        elif kind == "lines":
            body.append('<div class="lines">' + "".join(f"<p>{e(ln)}</p>" for ln in text.split("\n")) + "</div>")
        elif kind == "labelled":
            label, rest = text.split("\x00", 1)
            body.append(f'<p><span class="label">{e(label)}</span> {e(rest)}</p>')
        else:
            body.append(f"<p>{e(text)}</p>")
    title = "IMR Final Determination" + (" (DRAFT)" if d.status == "draft" else "")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render_pdf(d: Determination) -> bytes:
    """The letter as PDF (reportlab platypus), with a text layer the reader reads back."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    base = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=7)
    heading = ParagraphStyle("heading", parent=base, fontName="Helvetica-Bold", fontSize=11, spaceBefore=8)
    item = ParagraphStyle("item", parent=base, fontName="Helvetica-Bold", spaceBefore=6)
    line = ParagraphStyle("line", parent=base, spaceAfter=1)
    banner = ParagraphStyle("banner", parent=base, fontName="Helvetica-Bold", textColor=colors.red,
                            borderColor=colors.red, borderWidth=1.5, borderPadding=6, alignment=TA_CENTER,
                            spaceAfter=14)

    def keep(text: str) -> str:
        # Never break a line after a word ending in "-" (as `wrap`): a reader would join the two words.
        return _HYPHEN_SPACE.sub("\\1\u00a0", text)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(keep(text)), style)

    story: list = []
    for kind, text in _blocks(d):
        if kind == "banner":
            story.append(p(text, banner))
        elif kind == "heading":
            story.append(p(text, heading))
        elif kind == "item":
            story.append(p(text, item))
        elif kind == "lines":
            story += [p(ln, line) for ln in text.split("\n")]
            story.append(Spacer(1, 6))
        elif kind == "labelled":
            label, rest = text.split("\x00", 1)
            story.append(Paragraph(f"<b>{escape(label)}</b> {escape(keep(rest))}", base))
        else:
            story.append(p(text, base))
    buf = io.BytesIO()
    title = "IMR Final Determination" + (" (DRAFT)" if d.status == "draft" else "")
    doc = SimpleDocTemplate(buf, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                            bottomMargin=inch, title=title, author=d.organization, invariant=1)
    doc.build(story)
    return buf.getvalue()
