"""Regenerate the bad-input fixtures in this folder: `.venv/bin/python tests/data/letters/make_fixtures.py`.

Each file is one way a letter can be unusable; tests/letters/test_bad_input.py checks the one-line error."""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).parent
SEED = (HERE.parent / "seeds" / "000_447e318477fead86.txt").read_text(encoding="utf-8")


def _scanned_pdf() -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=LETTER, invariant=1)
    # A "scan": only drawn shapes, no text layer.
    for i in range(30):
        c.rect(72, 700 - i * 20, 300 + (i * 37) % 160, 8, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    from openimr.letters.reader import parse_letter_text
    from openimr.letters.writer import render_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(parse_letter_text(SEED)))))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def main() -> None:
    (HERE / "empty.txt").write_bytes(b"")
    (HERE / "blank.txt").write_bytes(b"  \n\n \t\n")
    (HERE / "not_a_letter.txt").write_text(
        "PRIMARY TREATING PHYSICIAN'S PROGRESS REPORT\n\nSubjective: The patient reports low back pain "
        "rated 6/10.\nObjective: Tenderness to palpation of the lumbar paraspinals.\nPlan: Continue home "
        "exercise program. Follow up in 4 weeks.\n",
        encoding="utf-8",
    )
    head = SEED[: SEED.index("CLINICAL CASE SUMMARY")]
    (HERE / "truncated_header_only.txt").write_text(head, encoding="utf-8")
    cut = SEED.index("Decision rationale: The California chronic pain")
    (HERE / "truncated_no_rationale.txt").write_text(SEED[:cut], encoding="utf-8")
    (HERE / "truncated_mid_sentence.txt").write_text(SEED[: SEED.index("prolonged use of some")], encoding="utf-8")
    (HERE / "truncated_no_decision.txt").write_text(
        SEED.replace("Bilateral sacroiliac joint (SI) injection: Upheld", "Bilateral sacroiliac joint (SI) injection:"),
        encoding="utf-8",
    )
    (HERE / "issues_without_items.txt").write_text(
        SEED[: SEED.index("Bilateral sacroiliac joint (SI) injection: Upheld")], encoding="utf-8"
    )
    (HERE / "scanned.pdf").write_bytes(_scanned_pdf())
    (HERE / "encrypted.pdf").write_bytes(_encrypted_pdf())
    (HERE / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes((i * 97 + 13) % 256 for i in range(3000)))
    (HERE / "not_really.pdf").write_bytes(b"<html><body>Final Determination</body></html>\n")
    (HERE / "utf16.txt").write_bytes(SEED.encode("utf-16"))
    accented = SEED.replace("Family Practice", "Médecine Familiale")
    (HERE / "cp1252.txt").write_bytes(accented.encode("cp1252"))
    (HERE / "invalid_bytes.txt").write_bytes(SEED.encode("utf-8")[:500] + b"\x81\x8d\x8f\x90\x9d" + b"tail\n")


if __name__ == "__main__":
    main()
