"""Folder reviews (issue 15): streamed to disk, and the same bytes in the same order with worker processes."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from openimr.cli.app import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "case.json"
runner = CliRunner()


def test_folder_review_with_workers_matches_one_process(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("b.json", "d.json"):
        shutil.copy(EXAMPLE, folder / name)
    (folder / "a.txt").write_text("Progress note 06/01/2015. Requesting authorization for Soma 350mg #60. Low back pain 6/10.")
    (folder / "c.json").write_text("{not json")
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"results-{jobs}.jsonl"
        r = runner.invoke(app, ["review", str(folder), "--out", str(out), "--jobs", jobs])
        assert r.exit_code == 1  # c.json is bad; the others are drafted
        assert [line for line in r.stderr.splitlines() if line.startswith("error:")][0].count("c.json") == 1
        outs[jobs] = out.read_bytes()
    assert outs["1"] == outs["2"]
    files = [line.split('"file": "', 1)[1].split('"', 1)[0] for line in outs["1"].decode().splitlines()]
    assert [Path(f).name for f in files] == ["a.txt", "b.json", "d.json"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind
