"""Deferred imports (issue 15: cold start): a module that is registered now and executed on first use.

medspaCy's package imports every one of its components when any part of it is imported, and its
`util` module imports QuickUMLS, which imports nltk, which imports scipy.stats and scikit-learn:
about 0.8 s of CPU in a process that never uses QuickUMLS. medspaCy offers no way to import only
the components one uses, so nltk is deferred instead: `defer("nltk")` puts an unexecuted nltk module
in `sys.modules` (the lazy-import recipe of the importlib documentation); QuickUMLS's `import nltk`
binds it without running it, and the first read of any attribute nltk does not yet have runs the
real nltk module in place, so any later user of nltk gets the real module.

importlib's own LazyLoader cannot be used for this on Python 3.11: the import statement itself reads
the module's `__spec__`, which makes LazyLoader execute the module at once.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from typing import Any

_LOCK = threading.RLock()


class _DeferredModule(types.ModuleType):
    """A module whose code runs when an attribute it lacks is first read (attributes set from its spec,
    such as `__spec__`, `__path__` and `__name__`, do not trigger it)."""

    def __getattr__(self, name: str) -> Any:
        with _LOCK:
            if type(self) is _DeferredModule:
                self.__class__ = types.ModuleType  # from here on an ordinary module
                spec = self.__spec__
                spec._initializing = True  # type: ignore[union-attr]  # as the import system marks a module it runs
                try:
                    spec.loader.exec_module(self)  # type: ignore[union-attr]
                except BaseException:
                    sys.modules.pop(spec.name, None)  # type: ignore[union-attr]  # a later import retries
                    raise
                finally:
                    spec._initializing = False  # type: ignore[union-attr]
        return getattr(self, name)  # the real module's attribute, or its AttributeError


def defer(name: str) -> bool:
    """Register top-level module `name` to run on first use; False when it is already imported or absent."""
    with _LOCK:
        if name in sys.modules or "." in name:
            return False
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return False
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _DeferredModule
        sys.modules[name] = module
        return True


def is_deferred(name: str) -> bool:
    """True while `name` is registered but has not run."""
    return type(sys.modules.get(name)) is _DeferredModule


def import_medspacy() -> Any:
    """`import medspacy` without running nltk (see the module docstring)."""
    defer("nltk")
    import medspacy

    return medspacy
