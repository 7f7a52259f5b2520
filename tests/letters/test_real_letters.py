"""The 92 real letters of the development set: every one parses whole, from PDF and from text, and
reads back the same after the writer renders it."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from openimr.errors import InputError
from openimr.letters.reader import parse_letter_file, parse_letter_text, read_letter_text
from openimr.letters.writer import render_pdf, render_text
from openimr.models.letter import Determination
from openimr.textio import pdf_text

REAL = Path(__file__).parents[1] / "data" / "letters" / "real-dev"
PDFS = sorted(REAL.glob("*.pdf"))


@cache
def _text(path: Path) -> str:
    return read_letter_text(path)


@cache
def _parsed(path: Path) -> Determination:
    return parse_letter_text(_text(path), str(path))


def test_the_dev_set_is_here():
    assert len(PDFS) == 92


def test_every_letter_parses_whole_with_its_items_and_decisions():
    items = [it for p in PDFS for it in _parsed(p).items]
    assert len(items) == 189
    assert sum(it.decision == "Overturned" for it in items) == 21
    for p in PDFS:
        d = _parsed(p)
        assert d.case_number == p.stem, p.name
        for field in ("date_assigned", "decision_date", "ur_denial_date", "application_received"):
            assert isinstance(getattr(d, field), dt.date), (p.name, field)
        assert d.priority == "Standard"
        assert d.injured_worker.date_of_injury is not None
        assert d.clinical_case_summary and d.reviewer.licensure and d.reviewer.specialty
        for it in d.items:
            # a whole request: no decision, label or rationale text swallowed into it
            assert 3 <= len(it.request) < 200 and "guideline" not in it.request.lower(), (p.name, it.request)
            assert it.rationale.endswith((".", '"', "\u201d", ")")), (p.name, it.request)
            assert it.imr_guideline is not None and it.claims_administrator_guideline is not None
            assert (it.original_request is None) == (it.authorized is None)


def test_dates_are_read_in_order():
    for p in PDFS:
        d = _parsed(p)
        assert d.injured_worker.date_of_injury <= d.ur_denial_date <= d.application_received, p.name
        assert d.application_received <= d.date_assigned <= d.decision_date, p.name


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_round_trip_as_text(path):
    d = _parsed(path)
    assert parse_letter_text(render_text(d)) == d


@pytest.mark.parametrize("path", PDFS[::15], ids=lambda p: p.stem)
def test_round_trip_as_pdf(path):
    d = _parsed(path)
    assert parse_letter_text(pdf_text(render_pdf(d), "rendered.pdf")) == d


def test_the_text_of_a_letter_parses_as_its_pdf(tmp_path):
    # A letter saved as text (e.g. by `pdftotext` or copy-paste) parses to the same record.
    for p in PDFS[::10]:
        t = tmp_path / (p.stem + ".txt")
        t.write_text(_text(p), encoding="utf-8")
        assert parse_letter_file(t) == parse_letter_file(p)


def test_text_without_blank_lines_or_with_page_breaks_parses_the_same():
    p = PDFS[1]
    text = _text(p)
    squeezed = "\n".join(line for line in text.splitlines() if line.strip())
    assert parse_letter_text(squeezed) == _parsed(p)
    paged = text.replace("\n \n", "\n\f\n", 3)
    assert parse_letter_text(paged) == _parsed(p)


def test_a_pdf_with_a_real_password_gives_one_line():
    with pytest.raises(InputError) as exc:
        parse_letter_file(Path(__file__).parents[1] / "data" / "letters" / "encrypted.pdf")
    assert "encrypted PDF" in str(exc.value) and "password" in str(exc.value) and "\n" not in str(exc.value)


def test_decision_alone_on_the_next_line():
    text = _text(REAL / "CM16-0238676.pdf")
    assert "foot: \nUpheld" in text.replace(" \n", " \n")  # as the PDF lays it out
    d = _parsed(REAL / "CM16-0238676.pdf")
    assert d.items[0].request == "Additional physical therapy three times a week for two weeks of the right hip and foot"
    assert d.items[0].decision == "Upheld"


def test_partial_certifications_both_forms():
    d = _parsed(REAL / "CM16-0233904.pdf")
    it = d.items[0]
    assert (it.request, it.original_request, it.authorized) == ("Baclofen 100mg #3", "Baclofen 100mg #30",
                                                                 "Baclofen 100mg #27")
    d = _parsed(REAL / "CM16-0249724.pdf")
    it = d.items[1]
    assert it.original_request == "Purchase of a bedside 3 in 1 commode"
    assert it.authorized == "a bedside 3 in 1 commode for 1 month"
    assert it.request == "purchase of a bedside 3 in 1 commode"
