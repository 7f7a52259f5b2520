"""Same outputs, byte for byte (issue 15): run the user-facing commands with this tree and with another
checkout's `src`, and compare their standard output.

    .venv/bin/python benchmarks/check_outputs.py --baseline SRC_DIR [--letters DIR]

Commands: `openimr eval tests/data/cases --json`, `openimr review examples/case.json --json`, and, when
the folder exists, `openimr eval --letters DIR --json` (default `../shared/real-letters/dev`, the dev
letters, which are not in the repository). Each runs in a fresh interpreter from the repository root.
Exits 1 when any output differs, naming the command and the first differing line.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "import sys; from openimr.cli.app import main; sys.argv[0] = 'openimr'; main()"


def output(src: Path, args: list[str]) -> bytes:
    proc = subprocess.run([sys.executable, "-c", ENTRY, *args], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(src)},
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{src}: openimr {' '.join(args)} failed: {proc.stderr.decode()[-400:]}")
    return proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", type=Path, required=True, help="src folder of the checkout to compare with")
    ap.add_argument("--letters", type=Path, default=ROOT.parent / "shared" / "real-letters" / "dev")
    opts = ap.parse_args()
    commands = [["eval", "tests/data/cases", "--json"], ["review", "examples/case.json", "--json"]]
    if opts.letters.is_dir():
        commands.append(["eval", "--letters", str(opts.letters), "--json"])
    else:
        print(f"(no folder {opts.letters}: the letters are not compared)")
    failed = False
    for args in commands:
        a, b = output(opts.baseline.resolve(), args), output(ROOT / "src", args)
        label = "openimr " + " ".join(args)
        if a == b:
            print(f"identical  {label}  ({len(a):,} bytes)")
            continue
        failed = True
        la, lb = a.decode().splitlines(), b.decode().splitlines()
        first = next((i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y), min(len(la), len(lb)))
        print(f"DIFFERENT  {label}  (baseline {len(a):,} bytes, this tree {len(b):,}; first difference at line {first + 1})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
