"""Deferred imports (extract/deferred.py; issue 15, cold start): nltk, requests and spaCy's command-line
package are registered unexecuted when the pipeline is built, and run in place, whole, on first use.

Each check runs in a fresh interpreter: the test process has imported them already."""

from __future__ import annotations

import json
import subprocess
import sys

_BUILD_THEN_USE = """
import json, sys
from openimr.extract.deferred import is_deferred
from openimr.extract.pipeline import get_nlp
get_nlp()
out = {"after_build": {m: is_deferred(m) for m in ("nltk", "requests", "spacy.cli")}}
import spacy
out["info_is_cli_function"] = spacy.info is sys.modules["spacy.cli.info"].info
out["download_kind"] = type(spacy.cli.download).__name__  # runs spacy.cli
out["cli_ran"] = not is_deferred("spacy.cli")
out["cli_names"] = sorted(k for k in vars(spacy.cli) if not k.startswith("__"))
import requests
out["requests_get"] = requests.get.__module__
print(json.dumps(out))
"""

_PLAIN = """
import json
import spacy.cli
print(json.dumps(sorted(k for k in vars(spacy.cli) if not k.startswith("__"))))
"""


def _run(code: str):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_unused_packages_stay_deferred_and_run_whole_on_first_use() -> None:
    out = _run(_BUILD_THEN_USE)
    assert out["after_build"] == {"nltk": True, "requests": True, "spacy.cli": True}
    assert out["info_is_cli_function"]
    assert out["download_kind"] == "function"  # spacy.cli's own binding, not the submodule read earlier
    assert out["cli_ran"]
    assert out["requests_get"] == "requests.api"
    assert out["cli_names"] == _run(_PLAIN)  # the same package as an ordinary import gives


def test_defer_subpackage_refuses_what_it_cannot_defer() -> None:
    import spacy  # noqa: F401 - the parent imported (as in this test process anyway)

    from openimr.extract.deferred import defer_subpackage

    assert not defer_subpackage("spacy.cli")  # its parent already imported here
    assert not defer_subpackage("json")  # not a subpackage
    assert not defer_subpackage("no_such_package_x.cli")
