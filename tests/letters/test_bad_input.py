import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.errors import InputError
from openimr.letters.corpus import write_corpus
from openimr.letters.reader import parse_letter_file, parse_letter_text

DATA = Path(__file__).parents[1] / "data"
BAD = DATA / "letters"
SEED = DATA / "seeds" / "000_447e318477fead86.txt"

CASES = {
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "not_a_letter.txt": "not an IMR Final Determination letter",
    "truncated_header_only.txt": "truncated letter: no 'IMR ISSUES, DECISIONS AND RATIONALES' section",
    "issues_without_items.txt": "truncated letter: no decided item",
    "truncated_no_decision.txt": "item without a decision",
    "truncated_no_rationale.txt": "truncated letter: item 'Soma 350mg #90' has no decision rationale",
    "truncated_mid_sentence.txt": "truncated letter: it ends mid-sentence",
    "scanned.pdf": "PDF has no text layer",
    "encrypted.pdf": "encrypted PDF",
    "corrupt.pdf": "corrupt PDF",
    "not_really.pdf": "corrupt PDF (no %PDF header)",
    "utf16.txt": "not UTF-8 text (UTF-16",
    "invalid_bytes.txt": "not UTF-8 text (invalid byte 0x81 at offset 500)",
    "cp1252.txt": "pass --encoding cp1252",
}


@pytest.mark.parametrize(("name", "problem"), sorted(CASES.items()))
def test_bad_file_gives_one_clear_problem(name, problem):
    path = BAD / name
    with pytest.raises(InputError) as exc:
        parse_letter_file(path)
    assert exc.value.source == str(path)
    assert problem in exc.value.problem
    assert "\n" not in str(exc.value)


def test_cp1252_accepted_when_asked():
    d = parse_letter_file(BAD / "cp1252.txt", encoding="cp1252")
    assert d.reviewer.specialty == "M\u00e9decine Familiale"


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        parse_letter_file(BAD / "nope.txt")


def test_batch_continues_past_bad_files(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    for name in CASES:
        shutil.copy(BAD / name, folder / name)
    (folder / "sub").mkdir()
    shutil.copy(SEED, folder / "sub" / "good.txt")
    (folder / "notes.md").write_text("ignored: not a letter file type")
    out = tmp_path / "corpus.jsonl"
    r = CliRunner().invoke(app, ["letters", "parse", str(folder), "--out", str(out), "--no-progress"])
    assert r.exit_code == 1
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == len(CASES)
    for name in CASES:
        assert any(ln.startswith(f"error: {folder / name}: ") for ln in errors), name
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and '"source": ' in lines[0] and "good.txt" in lines[0]


def test_all_good_exits_zero(tmp_path):
    r = CliRunner().invoke(app, ["letters", "parse", str(SEED)])
    assert r.exit_code == 0, r.stderr
    assert "2 item(s), 2 upheld" in r.stdout


def test_missing_path_and_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(app, ["letters", "parse", str(tmp_path / "nope"), str(tmp_path / "empty"), str(SEED)])
    assert r.exit_code == 1
    assert f"error: {tmp_path / 'nope'}: no such file or folder" in r.stderr
    assert f"error: {tmp_path / 'empty'}: no .txt or .pdf letters in this folder" in r.stderr


def test_corpus_written_atomically(tmp_path, monkeypatch):
    out = tmp_path / "corpus.jsonl"
    out.write_text("previous corpus\n")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_corpus([{"source": "a"}], out)
    assert out.read_text() == "previous corpus\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl"]


def test_bad_out_suffix():
    r = CliRunner().invoke(app, ["letters", "parse", str(SEED), "--out", "corpus.csv"])
    assert r.exit_code == 2
    assert r.stderr.strip() == "error: corpus.csv: --out must end in .jsonl or .parquet"


SEED_LINES = [ln for p in sorted((DATA / "seeds").glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]


@given(st.lists(st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=40)), max_size=120))
@settings(max_examples=300, deadline=None)
def test_any_text_parses_or_gives_input_error(lines):
    """Shuffled and damaged letters: a Determination or an InputError, never another exception."""
    try:
        d = parse_letter_text("\n".join(lines), "fuzz.txt")
    except InputError as exc:
        assert exc.source == "fuzz.txt" and "\n" not in exc.problem
    else:
        assert d.items and all(i.rationale for i in d.items)


def test_later_item_without_decision():
    text = SEED.read_text(encoding="utf-8").replace("Soma 350mg #90: Upheld", "Soma 350mg #90:")
    with pytest.raises(InputError, match=r"item without a decision \(Upheld/Overturned\): 'Soma 350mg #90:'"):
        parse_letter_text(text, "x.txt")
