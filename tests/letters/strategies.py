"""Hypothesis strategies for realistic Determinations (words, states, specialties, citations)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from openimr.letters.citations import compose_guideline
from openimr.letters.writer import worker_sentence
from openimr.models.letter import (
    Citation,
    Determination,
    Guideline,
    InjuredWorker,
    ItemDecision,
    ReviewerCredentials,
)

WORDS = ["patient", "reported", "pain", "lumbar", "cervical", "spine", "tenderness", "palpation", "range", "motion", "therapy", "physical", "chiropractic", "acupuncture", "medication", "medications", "treatment", "plan", "progress", "note", "physician", "treating", "examination", "revealed", "decreased", "sensation", "strength", "reflexes", "bilateral", "left", "right", "lower", "upper", "extremity", "extremities", "radiating", "shoulder", "knee", "wrist", "elbow", "spasm", "spasms", "guidelines", "records", "documentation", "functional", "improvement", "objective", "findings", "request", "requested", "trial", "relief", "opioid", "nonsteroidal", "anti-inflammatory", "drugs", "chronic", "acute", "exacerbation", "epidural", "injection", "facet", "sacroiliac", "joint", "imaging", "magnetic", "resonance", "surgery", "status", "post", "fusion", "laminectomy", "follow-up", "long-term", "short-term", "non-sedating", "work", "restrictions", "modified", "duty", "home", "exercise", "program", "with", "without", "and", "or", "the", "a", "of", "to", "for", "on", "in", "was", "were", "is", "has", "have", "not", "no", "there", "this", "that", "continued", "ongoing", "prior", "recent", "current", "improved", "unchanged", "worsened", "(MRI)", "(ROM)", '"relief"', "daily", "nightly"]

STATES = ["California", "New York", "North Carolina", "Pennsylvania", "Ohio", "Texas", "Florida", "Oregon",
          "Washington", "Arizona", "Illinois", "Massachusetts", "New Jersey", "Rhode Island", "Colorado"]
SPECIALTIES = ["Family Practice", "Emergency Medicine", "Physical Medicine & Rehabilitation",
               "Physical Medicine and Rehabilitation", "Orthopaedic Surgery", "Internal Medicine",
               "Anesthesiology", "Pain Medicine", "Neurology", "Psychiatry", "Occupational Medicine",
               "Chiropractor", "Neurological Surgery", "Preventive Medicine, Occupational Medicine"]
ORGANIZATIONS = ["MAXIMUS Federal Services", "Example Review Organization"]
REQUESTS = ["Soma 350mg #90", "Norco 10/325mg #120", "Oxycodone Unknown prescription", "Restoril 30mg #30",
            "Lumbar MRI without contrast", "Physical therapy 2x6 for the lumbar spine",
            "Bilateral L4-L5 transforaminal epidural steroid injection", "Left L3-S1 Facet Block",
            "Retrospective request for Terocin patches DOS 7/1/2015", "Office Visit with Gastroenterology",
            "TENS unit (rental)", "OUTPATIENT BILATERAL SACROILIAC JOINT INJECTIONS", "Soma 350mg, #30",
            "Chiropractic treatment 8 sessions", "Urine drug screen", "Gabapentin 600mg #60 with 2 refills"]
MTUS_DOCS = ["Chronic Pain Medical Treatment Guidelines", "Chronic Pain Medical Treatment",
             "Chronic Pain Treatment Guidelines", "ACOEM", "Low Back Complaints", "Neck and Upper Back Complaints",
             "Postsurgical Treatment Guidelines", "Acupuncture Medical Treatment Guidelines", "Knee Complaints"]
MTUS_SECTIONS = ["Carisoprodol (Soma)", "Muscle relaxants (for pain)", "Opioids, criteria for use",
                 "Opioids, long-term assessment", "Benzodiazepines", "Topical Analgesics",
                 "NSAIDs (non-steroidal anti-inflammatory drugs)", "Anti-epilepsy drugs (AEDs)",
                 "Physical Medicine", "Epidural steroid injections (ESIs)", "Muscle Relaxants",
                 "Functional restoration programs (FRPs)", "TENS, chronic pain (transcutaneous electrical nerve stimulation)"]
ODG_DOCS = ["Official Disability Guidelines (ODG)", "ODG-TWC", "ODG"]
ODG_SECTIONS = ["SI joint injections", "Facet joint diagnostic blocks", "Facet joint injections", "Office visits",
                "Lumbar supports", "MRIs (magnetic resonance imaging)", "Knee brace", "Urine drug testing"]
ODG_CHAPTERS_NAMED = ["Hip & Pelvis Chapter", "Pain Chapter", "Low Back Chapter"]
ODG_CHAPTERS_COLON = ["Neck and Back", "Knee & Leg", "Low Back"]


def sentence() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=3, max_size=16).map(
        lambda ws: (ws[0][0].upper() + ws[0][1:] + " " + " ".join(ws[1:])).strip() + "."
    )


def prose(min_sentences: int = 1, max_sentences: int = 6) -> st.SearchStrategy[str]:
    return st.lists(sentence(), min_size=min_sentences, max_size=max_sentences).map(" ".join)


def _maybe(s: st.SearchStrategy, p_none: bool = True) -> st.SearchStrategy:
    return st.one_of(st.none(), s) if p_none else s


@st.composite
def citations(draw: st.DrawFn, source: str | None = None) -> Citation:
    source = source or draw(st.sampled_from(["MTUS", "ODG", "ACOEM"]))
    if source == "MTUS":
        doc = draw(st.sampled_from(MTUS_DOCS))
        chapter = draw(_maybe(st.sampled_from(["Chapter 12 Low Back Complaints", "Chapter 8 Neck and Upper Back Complaints"])))
        return Citation(
            source="MTUS", document=doc, edition_or_year=draw(_maybe(st.sampled_from(["2009", "2004", "2016"]))),
            chapter=chapter if doc == "ACOEM" else None,
            sections=draw(st.lists(st.sampled_from(MTUS_SECTIONS), max_size=2, unique=True)),
            pages=draw(_maybe(st.sampled_from(["29", "63-66", "29, 63-66", "300", "78-80"]))),
        )
    if source == "ODG":
        kind = draw(st.sampled_from(["none", "named", "colon"]))
        sections = draw(st.lists(st.sampled_from(ODG_SECTIONS), min_size=1 if kind == "colon" else 0,
                                 max_size=2, unique=True))
        chapter = {"none": None, "named": draw(st.sampled_from(ODG_CHAPTERS_NAMED)),
                   "colon": draw(st.sampled_from(ODG_CHAPTERS_COLON))}[kind]
        return Citation(source="ODG", document=draw(st.sampled_from(ODG_DOCS)),
                        edition_or_year=draw(_maybe(st.sampled_from(["2015", "2014"]))),
                        chapter=chapter, sections=sections)
    return Citation(
        source="ACOEM", document=draw(st.sampled_from(["ACOEM Occupational Medicine Practice Guidelines", "ACOEM"])),
        edition_or_year=draw(_maybe(st.sampled_from(["2nd Edition, 2004", "3rd Edition, 2011"]))),
        chapter=draw(_maybe(st.just("Chapter 7 Independent Medical Examinations and Consultations"))),
        pages=draw(_maybe(st.sampled_from(["127", "503", "92-93"]))),
    )


@st.composite
def guidelines(draw: st.DrawFn, who: str = "The Expert Reviewer", with_text: bool = True) -> Guideline:
    mtus = draw(st.booleans())
    first = draw(citations("MTUS") if mtus else citations())
    cits = [first] + draw(st.lists(citations(), max_size=1))
    text = compose_guideline(mtus, cits, who) if with_text else ""
    return Guideline(mtus=mtus, citations=cits, text=text)


@st.composite
def determinations(draw: st.DrawFn) -> Determination:
    specialty = draw(_maybe(st.sampled_from(SPECIALTIES)))
    board = draw(st.booleans()) if specialty else False
    reviewer = ReviewerCredentials(
        licensure=draw(st.lists(st.sampled_from(STATES), max_size=3, unique=True)),
        specialty=specialty, board_certified=board,
    )
    worker = InjuredWorker(
        age=draw(_maybe(st.integers(16, 90))),
        sex=draw(_maybe(st.sampled_from(["male", "female"]))),
        date_of_injury=draw(_maybe(st.dates(dt.date(1970, 1, 1), dt.date(2025, 12, 31)))),
    )
    summary = (worker_sentence(worker) + " " + draw(prose(1, 8))).strip()
    partial = st.sampled_from([(None, None), ("Physical therapy for 12 sessions", "Physical therapy for 6 sessions"),
                               ("Baclofen 100mg #30", "Baclofen 100mg #27")])
    items = [
        ItemDecision(
            request=draw(st.sampled_from(REQUESTS)),
            decision=draw(st.sampled_from(["Upheld", "Overturned"])),
            **dict(zip(("original_request", "authorized"), draw(partial), strict=True)),
            claims_administrator_guideline=draw(_maybe(guidelines("The Claims Administrator"))),
            imr_guideline=draw(_maybe(guidelines())),
            rationale=draw(prose(1, 6)),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    day = st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31))
    header = {}
    if draw(st.booleans()):  # the case block of the 2016-2017 letters
        header = {"case_number": draw(st.from_regex(r"CM1[5-9]-0[0-9]{6}", fullmatch=True)),
                  "date_assigned": draw(_maybe(day)), "decision_date": draw(_maybe(day)),
                  "priority": draw(_maybe(st.sampled_from(["Standard", "Expedited"]))),
                  "ur_denial_date": draw(_maybe(day)), "application_received": draw(_maybe(day))}
    return Determination(
        **header,
        organization=draw(st.sampled_from(ORGANIZATIONS)), reviewer=reviewer, injured_worker=worker,
        clinical_case_summary=summary, items=items, status=draw(st.sampled_from(["final", "draft"])),
    )
