"""`openimr db upgrade|current` and the one-line errors of `openimr serve`/`db` for a bad database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OPENIMR = str(Path(sys.executable).with_name("openimr"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([OPENIMR, *args], capture_output=True, text=True, timeout=120)


def test_db_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert run("db", "current", "--database", url).stdout.startswith("(empty")
    for _ in range(2):
        r = run("db", "upgrade", "--database", url)
        assert r.returncode == 0 and "revision 0003" in r.stdout
    assert run("db", "current", "--database", url).stdout.strip() == "0003"


def test_bad_database_is_one_line(tmp_path):
    for args in (("db", "upgrade", "--database", "nonsense://x"),
                 ("db", "upgrade", "--database", f"sqlite:///{tmp_path}/no/such/dir/x.db"),
                 ("serve", "--port", "9", "--database", "nonsense://x")):
        r = run(*args)
        assert r.returncode == 2, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: --database:"), r.stderr
