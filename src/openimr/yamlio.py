"""YAML reading through libyaml's C parser when PyYAML was built with it (issue 15).

The guideline knowledge base is about a hundred YAML files; PyYAML's pure-Python scanner spent most of
a cold start reading them. `CSafeLoader` builds the same Python objects with the same safe constructors
(no arbitrary tags), only the scanner and parser are C; errors are still `yaml.YAMLError` with a
`problem_mark`. Without libyaml the pure-Python `SafeLoader` is used, as before.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str | bytes) -> Any:
    """`yaml.safe_load`, with the C loader when available."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
