"""The blind held-out sets are frozen: their files must match the hashes recorded before their one scoring."""

import hashlib
from pathlib import Path

import pytest

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"
SETS = sorted(p for p in HELDOUT.iterdir() if (p / "SHA256SUMS").is_file())


def test_there_is_a_frozen_set():
    assert SETS


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_held_out_files_match_their_frozen_hashes(folder):
    listed = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    present = {p.name for p in folder.iterdir() if p.name != "SHA256SUMS"}
    assert present == set(listed), "a file was added to or removed from a frozen held-out set"
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
