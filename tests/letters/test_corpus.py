import json
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.letters import stats as stats_mod
from openimr.letters.stats import compute_stats, fallback_category, load_corpus

SEEDS = Path(__file__).parents[1] / "data" / "seeds"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    out = {}
    for suffix in ("jsonl", "parquet"):
        path = tmp / f"corpus.{suffix}"
        r = CliRunner().invoke(app, ["letters", "parse", str(SEEDS), "--out", str(path)])
        assert r.exit_code == 0, r.stderr
        out[suffix] = path
    return out


def test_duckdb_reads_both(corpora):
    assert duckdb.sql(f"select count(*) from '{corpora['parquet']}'").fetchall()[0][0] == 5
    assert duckdb.sql(f"select count(*) from read_json_auto('{corpora['jsonl']}')").fetchall()[0][0] == 5
    n_items = duckdb.sql(f"select sum(len(items)) from '{corpora['parquet']}'").fetchall()[0][0]
    assert n_items == 11
    doi = duckdb.sql(f"select injured_worker.date_of_injury from '{corpora['parquet']}' order by source").fetchall()
    assert str(doi[0][0]) == "2009-04-25"
    first = json.loads(corpora["jsonl"].read_text().splitlines()[0])
    assert first["source"].endswith("000_447e318477fead86.txt")
    assert first["items"][1]["imr_guideline"]["citations"][0]["sections"] == ["Muscle relaxants (for pain)"]


def test_json_output_single_and_list():
    one = SEEDS / "003_343a21e034c38e79.txt"
    r = CliRunner().invoke(app, ["letters", "parse", str(one), "--json"])
    assert r.exit_code == 0
    rec = json.loads(r.stdout)
    assert rec["items"][0]["request"] == "Soma 350mg, #30" and rec["source"] == str(one)
    r = CliRunner().invoke(app, ["letters", "parse", str(SEEDS), "--json"])
    assert isinstance(json.loads(r.stdout), list) and len(json.loads(r.stdout)) == 5


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_stats(corpora, suffix):
    s = compute_stats(load_corpus(corpora[suffix]))
    assert (s["letters"], s["items"], s["upheld"], s["overturned"], s["uphold_rate"]) == (5, 11, 11, 0, 1.0)
    by_source = {r["key"]: r["items"] for r in s["by"]["guideline_source"]}
    assert by_source == {"MTUS": 7, "ODG": 4}
    sections = {r["key"]: r["items"] for r in s["by"]["mtus_section"]}
    assert sections["Muscle relaxants (for pain)"] == 2 and sections["Benzodiazepines"] == 1
    spec = {r["key"]: r["items"] for r in s["by"]["specialty"]}
    assert spec["Emergency Medicine"] == 4 and spec["Family Practice"] == 3
    assert sum(r["items"] for r in s["by"]["category"]) == 11


def test_stats_cli_tables_and_plot(corpora, tmp_path):
    png = tmp_path / "plot.png"
    r = CliRunner().invoke(app, ["letters", "stats", str(corpora["parquet"]), "--plot", str(png)])
    assert r.exit_code == 0, r.stderr
    for title in ("IMR letters corpus", "By guideline source", "By MTUS section", "By reviewer specialty",
                  "By item category", "100.0%"):
        assert title in r.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_stats_fallback_categories_without_classifier(corpora, monkeypatch):
    monkeypatch.setitem(sys.modules, "openimr.guidelines.classifier", None)  # import now fails
    assert stats_mod._categorizer() is fallback_category
    s = compute_stats(load_corpus(corpora["jsonl"]))
    cats = {r["key"]: r["items"] for r in s["by"]["category"]}
    assert cats == {"medication": 6, "injection": 4, "consultation": 1}


def test_stats_bad_corpus(tmp_path):
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"not parquet at all")
    r = CliRunner().invoke(app, ["letters", "stats", str(bad)])
    assert r.exit_code == 2
    assert r.stderr.startswith(f"error: {bad}: cannot read corpus")
    r = CliRunner().invoke(app, ["letters", "stats", str(tmp_path / "none.jsonl")])
    assert r.exit_code == 2 and "no such corpus file" in r.stderr
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n")
    r = CliRunner().invoke(app, ["letters", "stats", str(csv)])
    assert r.exit_code == 2 and "must be a .jsonl or .parquet" in r.stderr


def test_many_files_with_progress(tmp_path):
    for i in range(30):
        shutil.copy(SEEDS / "002_d7e3603ed8b34fa0.txt", tmp_path / f"l{i:03d}.txt")
    out = tmp_path / "c.parquet"
    r = CliRunner().invoke(app, ["letters", "parse", str(tmp_path), "--out", str(out), "--progress"])
    assert r.exit_code == 0, r.stderr
    assert duckdb.sql(f"select count(*) from '{out}'").fetchall()[0][0] == 30


def test_render_command(tmp_path):
    r = CliRunner().invoke(app, ["letters", "parse", str(SEEDS / "004_761f33d4263bd4f6.txt"), "--json"])
    src = tmp_path / "d.json"
    src.write_text(r.stdout)
    pdf = tmp_path / "d.pdf"
    r = CliRunner().invoke(app, ["letters", "render", str(src), "--format", "pdf", "--out", str(pdf)])
    assert r.exit_code == 0, r.stderr
    r = CliRunner().invoke(app, ["letters", "parse", str(pdf), "--json"])
    back = json.loads(r.stdout)
    assert back["items"][0]["imr_guideline"]["citations"][0]["chapter"] == "Chapter 12 Low Back Complaints"
    r = CliRunner().invoke(app, ["letters", "render", str(src)])
    assert "OUTPATIENT BILATERAL SACROILIAC JOINT INJECTIONS: Upheld" in r.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": [{"request": "x", "decision": "Maybe"}]}')
    r = CliRunner().invoke(app, ["letters", "render", str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {bad}: items.0.decision:")


def test_specialty_names_are_counted_as_one_board():
    from openimr.letters.stats import specialty_key

    assert specialty_key("Physical Medicine & Rehabilitation") == specialty_key("Physical Medicine and Rehabilitation")
    assert specialty_key("family practice") == "Family Practice"
    assert specialty_key(None) == specialty_key("  ") == "(not stated)"


def test_stats_plot_that_cannot_be_written_is_one_line(corpora, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    target = blocker / "plot.png"  # its folder is a file
    r = CliRunner().invoke(app, ["letters", "stats", str(corpora["parquet"]), "--plot", str(target)])
    assert r.exit_code == 2
    assert f"{target}: cannot write" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
