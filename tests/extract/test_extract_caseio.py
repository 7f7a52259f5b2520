"""load_case: JSON / text / PDF case files, and one-line errors for bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from openimr.errors import InputError
from openimr.extract.caseio import MAX_FILE_BYTES, load_case

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"


def _seed_text(n: int) -> str:
    docs = yaml.safe_load((GOLD / "seeds.yaml").read_text(encoding="utf-8"))
    return docs[n]["text"]


def _case_json() -> dict:
    return {
        "case_number": "CM15-0001",
        "injured_worker": {"age": 60, "sex": "male", "date_of_injury": "2010-01-02"},
        "request_for_authorization": {"date": "2015-08-13"},
        "disputed_items": [{"request": "Soma 350mg #90"}],
        "documents": [{"id": "pn1", "type": "progress_note", "date": "2015-07-30", "text": "Current medications include Soma."}],
    }


def test_json_case_loads(tmp_path: Path) -> None:
    p = tmp_path / "case.json"
    p.write_text(json.dumps(_case_json()), encoding="utf-8")
    case = load_case(p)
    assert case.disputed_items[0].request == "Soma 350mg #90"
    assert case.request_date().isoformat() == "2015-08-13"


def test_json_bad_field_names_file_and_field(tmp_path: Path) -> None:
    raw = _case_json()
    raw["disputed_items"] = []
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError) as ei:
        load_case(p)
    msg = str(ei.value)
    assert msg.startswith(str(p)) and "disputed_items" in msg and "\n" not in msg


def test_json_wrong_type_and_unknown_field(tmp_path: Path) -> None:
    raw = _case_json()
    raw["documents"][0]["date"] = "not a date"
    p = tmp_path / "bad2.json"
    p.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError, match=r"documents\.0\.date"):
        load_case(p)
    raw = _case_json()
    raw["surprise"] = 1
    p.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputError, match="surprise"):
        load_case(p)


def test_invalid_json_reports_position(tmp_path: Path) -> None:
    p = tmp_path / "broken.json"
    p.write_text('{"disputed_items": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"invalid JSON at line 1 column \d+"):
        load_case(p)


def test_text_record_reads_requested_items_and_dates(tmp_path: Path) -> None:
    p = tmp_path / "summary-000.txt"
    p.write_text(_seed_text(0), encoding="utf-8")
    case = load_case(p)
    assert [d.id for d in case.documents] == ["summary-000"]
    assert [i.request for i in case.disputed_items] == ["bilateral sacroiliac joint injection", "Soma 350mg #90"]
    assert case.request_date().isoformat() == "2015-08-13"
    assert case.utilization_review.date.isoformat() == "2015-08-18"


def test_text_record_ur_decisions(tmp_path: Path) -> None:
    p = tmp_path / "s2.txt"
    p.write_text(_seed_text(2), encoding="utf-8")
    items = {i.request: i for i in load_case(p).disputed_items}
    assert items["caudal epidural steroid injection (ESI)"].ur_decision == "conditionally non-certified"
    assert items["Soma unknown prescription"].ur_decision == "non-certified"
    ox = items["Oxycodone unknown prescription"]
    assert ox.ur_decision == "modified" and "10mg" in (ox.ur_modification or "")
    p.write_text(_seed_text(3), encoding="utf-8")
    (item,) = load_case(p).disputed_items
    assert item.request == "Soma 350mg #30" and item.ur_decision == "modified"


def test_text_without_request_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "note.txt"
    p.write_text("Patient seen. Pain 5/10. Continue home exercise.", encoding="utf-8")
    with pytest.raises(InputError, match="no requested items found"):
        load_case(p)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"Request for authorization requested Soma \xe9\xff caf\xe9", "not UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_bad_text_files(tmp_path: Path, content: bytes, problem: str) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as ei:
        load_case(p)
    assert problem in str(ei.value) and str(p) in str(ei.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_case(tmp_path / "nope.json")


def test_20_mb_document_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    line = b"The request for authorization requested Soma 350mg #90. Pain is rated 7/10 without medication.\n"
    with p.open("wb") as fh:
        fh.write(line * (20 * 1024 * 1024 // len(line) + 1))
    assert p.stat().st_size > 20 * 1024 * 1024 > MAX_FILE_BYTES
    with pytest.raises(InputError, match=r"file too large \(20\.0 MB"):
        load_case(p)


def test_20_mb_document_in_a_case_object_is_refused_by_extract() -> None:
    from openimr.extract import extract_facts
    from openimr.models.case import CaseFile, DisputedItem, Document

    text = "Pain is rated 7/10. " * (20 * 1024 * 1024 // 20)
    case = CaseFile(disputed_items=[DisputedItem(request="x")], documents=[Document(id="big", text=text)])
    with pytest.raises(InputError, match="too large to extract"):
        extract_facts(case)


def _pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    draw(c)
    c.save()
    return buf.getvalue()


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    data = _pdf(lambda c: c.drawString(72, 720, "The request for authorization dated 08-13-2015 requested Soma 350mg #90."))
    p = tmp_path / "rfa.pdf"
    p.write_bytes(data)
    case = load_case(p)
    assert case.documents[0].id == "rfa"
    assert case.disputed_items[0].request == "Soma 350mg #90"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    def shapes(c) -> None:
        c.rect(100, 100, 200, 200, fill=1)
        c.circle(300, 500, 50)
        c.line(50, 50, 500, 700)

    p = tmp_path / "scan.pdf"
    p.write_bytes(_pdf(shapes))
    with pytest.raises(InputError, match=r"no text layer \(scanned PDF\?\)"):
        load_case(p)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    data = _pdf(lambda c: c.drawString(72, 720, "The request for authorization requested Soma 350mg #90."))
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    p = tmp_path / "locked.pdf"
    p.write_bytes(out.getvalue())
    with pytest.raises(InputError, match="encrypted PDF"):
        load_case(p)


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(InputError, match="corrupt PDF"):
        load_case(p)


def test_yaml_case_file_and_empty_document(tmp_path: Path) -> None:
    p = tmp_path / "case.yaml"
    p.write_text(yaml.safe_dump(_case_json()), encoding="utf-8")
    assert load_case(p).injured_worker.age == 60
    raw = _case_json()
    raw["documents"][0]["text"] = "   "
    p.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(InputError, match=r"documents\.pn1: empty document text"):
        load_case(p)
    p.write_text("disputed_items: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_case(p)
