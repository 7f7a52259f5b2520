"""`openimr extract` and `openimr schema case-file`; the checked-in schema is the generated one."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.cli.extract import schema_text

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()


def test_checked_in_case_file_schema_is_generated() -> None:
    checked_in = (ROOT / "schemas" / "case-file.schema.json").read_text(encoding="utf-8")
    assert checked_in == schema_text("case-file"), "regenerate: openimr schema case-file -o schemas/case-file.schema.json"


def test_schema_command(tmp_path: Path) -> None:
    r = runner.invoke(app, ["schema", "case-file"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert "disputed_items" in schema["required"] and "documents" in schema["required"]
    out = tmp_path / "facts.schema.json"
    r = runner.invoke(app, ["schema", "case-facts", "-o", str(out)])
    assert r.exit_code == 0 and "medications" in json.loads(out.read_text())["properties"]
    r = runner.invoke(app, ["schema", "nope"])
    assert r.exit_code == 2


def test_extract_json_and_tables(tmp_path: Path) -> None:
    case = {
        "request_for_authorization": {"date": "2015-09-10"},
        "disputed_items": [{"request": "Soma 350mg #60"}],
        "documents": [
            {
                "id": "pn1",
                "text": "Current medications include Soma (since at least 02-17-2015). Pain 7/10 without medication. "
                "Negative straight leg raise.",
            }
        ],
    }
    p = tmp_path / "case.json"
    p.write_text(json.dumps(case), encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    (med,) = data["medications"]
    assert med["generic"] == "carisoprodol" and med["since"] == "2015-02-17" and med["duration_days"] == 205
    ev = med["evidence"][0]
    assert case["documents"][0]["text"][ev["start"] : ev["end"]] == ev["quote"]
    assert {"name": "straight_leg_raise", "present": False}.items() <= data["findings"][0].items()
    r = runner.invoke(app, ["extract", str(p)])
    assert r.exit_code == 0 and "Medications" in r.stdout and "carisoprodol" in r.stdout


def test_extract_bad_file_is_one_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"\xff\xfe\x00garbage")
    r = runner.invoke(app, ["extract", str(p)])
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert err.startswith("error: ") and str(p) in err and "\n" not in err
