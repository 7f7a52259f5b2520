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

spaCy's package does the same with its command line (~0.2 s, round 5 of issue 15): `spacy/__init__.py`
imports `spacy.cli.info` for its `spacy.info` function, which runs `spacy.cli`'s `__init__` (every spaCy
command: `init_config` reads its recommendations with a pure-Python YAML parser) and `spacy.cli.download`
(requests). The pipeline never runs a spaCy command, so the `spacy.cli` package is deferred too (its
submodule `info` is still imported, as spaCy asks, from the deferred package's `__path__`), and so is
requests, which `download` and weasel import only to call it from their commands.
"""

from __future__ import annotations

import importlib.machinery
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
                _bind_submodules(self)
        return getattr(self, name)  # the real module's attribute, or its AttributeError


def _bind_submodules(module: types.ModuleType) -> None:
    """After a deferred package has run: its submodules imported before (unbound by `_attach`) are its
    attributes again, unless its own code bound the name to something else (spacy.cli's `info` is the
    function of the submodule `info`), as after an ordinary import."""
    prefix = module.__name__ + "."
    for full, sub in list(sys.modules.items()):
        child = full[len(prefix):]
        if full.startswith(prefix) and child and "." not in child and child not in vars(module):
            setattr(module, child, sub)


def defer(name: str) -> bool:
    """Register top-level module `name` to run on first use; False when it is already imported or absent."""
    with _LOCK:
        if name in sys.modules or "." in name:
            return False
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return False
        return _register(name, spec)


def defer_subpackage(name: str) -> bool:
    """Register package `name` ("parent.child", a top-level parent not imported yet) to run on first use.

    The spec is found from the parent's spec without running the parent (`find_spec` of a dotted name
    would import it). False when either is already imported or the package is not there."""
    parent, _, child = name.partition(".")
    with _LOCK:
        if not child or "." in child or name in sys.modules or parent in sys.modules:
            return False
        parent_spec = importlib.util.find_spec(parent)
        if parent_spec is None or not parent_spec.submodule_search_locations:
            return False
        spec = importlib.machinery.PathFinder.find_spec(name, list(parent_spec.submodule_search_locations))
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return False
        return _register(name, spec)


def _register(name: str, spec: importlib.machinery.ModuleSpec) -> bool:
    """Put an empty module for `spec` in sys.modules under `name`, to run in full when first read (caller holds _LOCK)."""
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _DeferredModule
    sys.modules[name] = module
    return True


def _attach(name: str) -> None:
    """Bind deferred package `name` as its parent's attribute, as the import system binds an imported one
    (the parent's own import of a submodule of it does not), and unbind the submodules imported from it,
    so that reading any of them runs the package first: its code may bind the name to something else
    (`spacy.cli.download` is a function once spacy.cli has run, not the submodule)."""
    parent, _, child = name.rpartition(".")
    module, owner = sys.modules.get(name), sys.modules.get(parent)
    if type(module) is not _DeferredModule:
        return
    if owner is not None and child not in vars(owner):
        setattr(owner, child, module)
    for key, value in list(vars(module).items()):
        if sys.modules.get(f"{name}.{key}") is value:
            delattr(module, key)


def is_deferred(name: str) -> bool:
    """True while `name` is registered but has not run."""
    return type(sys.modules.get(name)) is _DeferredModule


def import_medspacy() -> Any:
    """`import medspacy` without running nltk, spaCy's command line or requests (see the module docstring)."""
    defer("nltk")
    defer("requests")
    defer_subpackage("spacy.cli")
    import medspacy

    _attach("spacy.cli")
    return medspacy
