"""The CLI as a new user met it (issue #12, findings 10 and 11): each finding, one test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from openimr.errors import InputError

OPENIMR = str(Path(sys.executable).with_name("openimr"))
ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "case.json"


def run(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([OPENIMR, *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "COLUMNS": "80", **env})


def one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.stderr, r.stderr
    return lines[0]


# ---------------------------------------------------------------- finding 10
def test_db_current_with_an_unreachable_postgresql_is_one_line():
    line = one_line_error(run("db", "current", "--database", "postgresql+psycopg://nobody@127.0.0.1:1/none"))
    assert "cannot open the database" in line


def test_the_encoding_hint_names_no_option_the_command_lacks():
    from openimr.textio import decode_text

    with pytest.raises(InputError) as err:
        decode_text("Médecine".encode("cp1252"), "note.txt")
    problem = err.value.problem
    assert "convert it to UTF-8" in problem and "for `letters parse` pass --encoding cp1252" in problem


def test_403_reads_as_english(client, intake):
    r = client.post("/api/v1/cases/abc/determination", headers=intake,
                    json={"items": [{"request": "x", "decision": "Upheld", "rationale": "y"}]})
    assert r.status_code == 403
    assert r.json()["detail"] == "a user with role intake may not decide or sign a determination"


def test_schema_output_into_a_missing_folder_is_refused(tmp_path):
    target = tmp_path / "missing" / "x.json"
    line = one_line_error(run("schema", "case-file", "-o", str(target)))
    assert "does not exist" in line and not target.parent.exists()


def test_atomic_outputs_follow_the_umask(tmp_path):
    out = tmp_path / "case-file.schema.json"
    r = subprocess.run(f"umask 022 && {OPENIMR} schema case-file -o {out}", shell=True, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_mode & 0o777 == 0o644


def test_letters_stats_on_a_case_file_says_what_it_is_not():
    line = one_line_error(run("letters", "stats", str(EXAMPLE)))
    assert "not a letters corpus" in line and "duckdb" not in line.lower() and "binder" not in line.lower()


# ---------------------------------------------------------------- finding 11
def test_documents_without_ids_are_numbered(tmp_path):
    from openimr.extract.caseio import load_case

    data = json.loads(EXAMPLE.read_text())
    for d in data["documents"]:
        d.pop("id", None)
    data["documents"].append({"id": "doc-1", "text": "Another note: low back pain."})
    p = tmp_path / "case.json"
    p.write_text(json.dumps(data))
    ids = [d.id for d in load_case(p).documents]
    assert len(ids) == len(set(ids)) == len(data["documents"]) and all(ids)


def test_extract_takes_a_record_with_no_disputed_item(tmp_path):
    rec = tmp_path / "note.txt"
    rec.write_text("Progress note 03/01/2016. Low back pain rated 6/10. Tenderness over the lumbar paraspinals.")
    r = run("extract", str(rec))
    assert r.returncode == 0, r.stderr
    assert "Pain scores" in r.stdout


def test_readme_documents_the_case_file_and_the_document_types():
    readme = (ROOT / "README.md").read_text()
    assert "openimr schema case-file" in readme
    for doc_type in ("progress_note", "rfa", "ur_decision"):
        assert f"`{doc_type}`" in readme


def test_flags_print_without_a_type():
    r = run("review", "--help")
    assert r.returncode == 0 and "--json" in r.stdout and "<bool>" not in r.stdout


def test_folder_review_without_out_prints_a_table_not_json(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.json").write_text(EXAMPLE.read_text())
    r = run("review", str(folder))
    assert r.returncode == 0, r.stderr
    assert not any(line.lstrip().startswith("{") for line in r.stdout.splitlines())
    assert "a.json" in r.stdout
    assert json.loads(run("review", str(folder), "--json").stdout.splitlines()[0])["items"]


def test_letters_render_takes_the_list_parse_prints(tmp_path):
    from openimr.models.letter import Determination, ItemDecision

    dets = [Determination(items=[ItemDecision(request=f"Soma 350mg #{n}", decision="Upheld", rationale="Not supported.")])
            .model_dump(mode="json") | {"source": f"letters/l{n}.txt"} for n in (60, 90)]
    p = tmp_path / "parsed.json"
    p.write_text(json.dumps(dets))
    r = run("letters", "render", str(p))
    assert r.returncode == 0, r.stderr
    assert "Soma 350mg #60" in r.stdout and "Soma 350mg #90" in r.stdout
    outdir = tmp_path / "out"
    outdir.mkdir()
    assert run("letters", "render", str(p), "--out", str(outdir), "-f", "html").returncode == 0
    assert sorted(x.name for x in outdir.iterdir()) == ["l60.html", "l90.html"]


def test_future_dates_and_ur_before_injury_are_warned(tmp_path, client, intake, case_body):
    data = json.loads(EXAMPLE.read_text())
    data.setdefault("injured_worker", {})["date_of_injury"] = "2099-01-01"
    p = tmp_path / "case.json"
    p.write_text(json.dumps(data))
    r = run("check", str(p))
    assert "warning: injured_worker.date_of_injury: 2099-01-01 is in the future" in r.stderr
    body = {**case_body, "injured_worker": {**case_body["injured_worker"], "date_of_injury": "2026-02-25"}}
    r = client.post("/api/v1/cases", json=body, headers=intake)
    assert r.status_code == 201, r.text
    assert any("before the injury" in w for w in r.json()["eligibility"]["warnings"])


def test_tables_are_not_cut_at_80_columns_when_piped(tmp_path):
    rec = tmp_path / "note.txt"
    rec.write_text("Progress note 03/01/2016. Status post lumbar epidural steroid injection at L4-L5 with 60% relief. "
                   "Low back pain rated 6/10.")
    r = run("extract", str(rec))
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in r.stdout.splitlines()) > 80
