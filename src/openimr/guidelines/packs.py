"""Guideline packs: the shipped MTUS 2009-2017 plus any number of licensed packs, merged into one
knowledge base.

A pack is a folder with `pack.yaml` (see `openimr.models.packs.PackManifest`) and a `topics/` folder
read by the same loader as the shipped topics (`load_topic_folder`). Packs come from, in this order:

1. the shipped pack (`openimr/guidelines/data`);
2. installed Python packages that declare an entry point in the group `openimr.guideline_packs`
   (the entry point names a folder path, a callable returning one, or a module whose folder holds
   `pack.yaml`);
3. `OPENIMR_KB_PATH` (folders separated by `os.pathsep`), then `--kb` folders.

A pack is validated as strictly as the shipped data: every topic file by the same loader, plus the
manifest, its dates (every guideline entry must be in force only inside the pack's effective dates),
and the merge (a topic a pack shares with another must keep its id and category; criterion ids stay
unique). Any failure is one `GuidelineDataError` naming the file, the field and the problem.

Merging: a topic new to the knowledge base is added; a topic already present gets the pack's guideline
entries appended (and its synonyms, generics, regions, specialties and indications added), so a pack
can bring, say, the edition in force in 2024 for a topic the shipped pack encodes for 2009-2017. The
evidence hierarchy (`hierarchy.resolve`) then picks the entry in force on the request date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.metadata
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError

from openimr.errors import GuidelineDataError
from openimr.models.knowledge import Topic
from openimr.models.packs import PACK_MANIFEST, PackManifest, PackRef

ENTRY_POINT_GROUP = "openimr.guideline_packs"
ENV_VAR = "OPENIMR_KB_PATH"
SHIPPED_DIR = Path(__file__).parent / "data"
EXAMPLE_PACK_DIR = Path(__file__).parent / "example_pack"


@dataclass(frozen=True)
class LoadedPack:
    manifest: PackManifest
    path: Path
    topics: dict[str, Topic]
    files: dict[str, Path]
    content_hash: str
    topics_digest: str  # the hash of the topics folder alone (the shipped pack's historical KB hash)
    source: str = "folder"
    parameters: dict = field(default_factory=dict)  # shared parameters of the topics folder, if it has any

    def ref(self) -> PackRef:
        return PackRef(name=self.manifest.name, version=self.manifest.version, content_hash=self.content_hash,
                       source=self.source, example=self.manifest.example)


def _read_manifest(folder: Path) -> PackManifest:
    path = folder / PACK_MANIFEST
    from openimr.guidelines.knowledge_base import read_yaml_file

    raw = read_yaml_file(path)
    if not isinstance(raw, dict):
        raise GuidelineDataError(str(path), "", "a pack manifest must be a mapping")
    try:
        return PackManifest.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        return _raise_validation(path, err)


def _raise_validation(path: Path, err: dict):
    where = ".".join(str(p) for p in err["loc"]) or "(file)"
    raise GuidelineDataError(str(path), where, err["msg"])


def _check_dates(path: Path, topic: Topic, m: PackManifest) -> None:
    for gi, g in enumerate(topic.guidelines):
        where = f"guidelines.{gi}"
        if g.effective_from < m.effective_from:
            raise GuidelineDataError(str(path), f"{where}.effective_from",
                                     f"{g.effective_from} is before the pack's effective_from {m.effective_from}")
        if m.effective_to is not None and (g.effective_to is None or g.effective_to > m.effective_to):
            raise GuidelineDataError(str(path), f"{where}.effective_to",
                                     f"{g.effective_to or 'open-ended'} runs past the pack's effective_to {m.effective_to}")


def load_pack(folder: Path | str, source: str = "folder") -> LoadedPack:
    """Load and validate one pack folder (one GuidelineDataError line if anything is wrong).

    Layout: `pack.yaml` and a `topics/` folder read exactly as the shipped topics are (same loader)."""
    from openimr.guidelines.knowledge_base import load_topic_folder

    root = Path(folder)
    if not root.is_dir():
        raise GuidelineDataError(str(root), "", "guideline pack folder not found")
    if not (root / PACK_MANIFEST).is_file():
        raise GuidelineDataError(str(root / PACK_MANIFEST), "",
                                 "missing: a pack needs a manifest (name, version, licence, effective dates)")
    manifest = _read_manifest(root)
    if not (root / "topics").is_dir():
        raise GuidelineDataError(str(root / "topics"), "", "missing: a pack keeps its topic files in topics/")
    folder_kb = load_topic_folder(root / "topics")
    if not folder_kb.topics:
        raise GuidelineDataError(str(root / "topics"), "", "the pack has no topic files")
    for tid, topic in folder_kb.topics.items():
        _check_dates(folder_kb.files[tid], topic, manifest)
    full = hashlib.sha256((root / PACK_MANIFEST).read_bytes() + folder_kb.content_hash.encode()).hexdigest()[:16]
    return LoadedPack(manifest, root, dict(folder_kb.topics), dict(folder_kb.files), "sha256:" + full,
                      folder_kb.content_hash, source, dict(getattr(folder_kb, "parameters", None) or {}))


def shipped_pack() -> LoadedPack:
    return load_pack(SHIPPED_DIR, source="shipped")


def _entry_point_folder(ep) -> Path:
    where = f"entry point {ENTRY_POINT_GROUP}:{ep.name}"
    try:
        obj = ep.load()
        if callable(obj) and not isinstance(obj, ModuleType):
            obj = obj()
        if isinstance(obj, ModuleType):
            obj = Path(obj.__file__ or "").parent
        return Path(obj)
    except Exception as exc:  # a broken third-party package is the user's input: one line, no traceback
        raise GuidelineDataError(where, "", f"cannot be loaded ({type(exc).__name__}: {exc})") from None


def entry_point_packs() -> list[tuple[Path, str]]:
    eps = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    return [(_entry_point_folder(ep), f"entry point {ep.name}") for ep in sorted(eps, key=lambda e: e.name)]


def env_pack_folders(value: str | None = None) -> list[Path]:
    value = os.environ.get(ENV_VAR, "") if value is None else value
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def _overlap(a, b) -> bool:
    a_end = a.effective_to or dt.date.max
    b_end = b.effective_to or dt.date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def merge_parameters(packs: list[LoadedPack]) -> dict:
    """The packs' shared parameters; one name defined by two packs is refused (a topic may override)."""
    out: dict = {}
    where: dict[str, Path] = {}
    for pack in packs:
        for name, value in pack.parameters.items():
            if name in out:
                raise GuidelineDataError(str(pack.path / "topics"), f"parameters.{name}",
                                         f"already defined by the pack in {where[name]}")
            out[name] = value
            where[name] = pack.path
    return out


def merge(packs: list[LoadedPack]) -> tuple[dict[str, Topic], dict[str, Path]]:
    """One topic table from the packs in order (see the module docstring for the rules)."""
    topics: dict[str, Topic] = {}
    files: dict[str, Path] = {}
    names: dict[str, Path] = {}
    for pack in packs:
        if pack.manifest.name in names:
            raise GuidelineDataError(str(pack.path / PACK_MANIFEST), "name",
                                     f"pack {pack.manifest.name!r} is loaded twice (also {names[pack.manifest.name]})")
        names[pack.manifest.name] = pack.path
        for tid, topic in pack.topics.items():
            path = pack.files[tid]
            base = topics.get(tid)
            if base is None:
                topics[tid] = topic
                files[tid] = path
                continue
            if topic.category != base.category:
                raise GuidelineDataError(str(path), "category",
                                         f"{topic.category!r} differs from {base.category!r} in {files[tid]}")
            # as within one topic file, a criterion id may recur only in another edition (periods apart)
            seen = [(c.id, g) for g in base.guidelines for c in g.criteria]
            for gi, g in enumerate(topic.guidelines):
                for ci, c in enumerate(g.criteria):
                    if any(cid == c.id and _overlap(g, other) for cid, other in seen):
                        raise GuidelineDataError(str(path), f"guidelines.{gi}.criteria.{ci}.id",
                                                 f"criterion id {c.id!r} is already defined in {files[tid]}")

            def union(a: list[str], b: list[str]) -> list[str]:
                return list(dict.fromkeys([*a, *b]))

            topics[tid] = base.model_copy(update={
                "guidelines": [*base.guidelines, *topic.guidelines],
                "synonyms": union(base.synonyms, topic.synonyms),
                "generics": union(base.generics, topic.generics),
                "body_regions": union(base.body_regions, topic.body_regions),
                "specialties": union(base.specialties, topic.specialties),
                "indications": union(base.indications, topic.indications),
            })
    return topics, files


def combined_hash(packs: list[LoadedPack]) -> str:
    """The knowledge base's content hash. The shipped pack alone keeps its historical hash (topic
    files only), so drafts made before packs existed still compare; any added pack changes it."""
    if len(packs) == 1 and packs[0].source == "shipped":
        return packs[0].topics_digest
    digest = hashlib.sha256(";".join(f"{p.manifest.name}@{p.content_hash}" for p in packs).encode())
    return "sha256:" + digest.hexdigest()[:16]


def build_knowledge_base(extra: list[Path | str] | None = None, *, env: bool = True, entry_points: bool = True,
                         shipped: bool = True):
    """The knowledge base: the shipped pack, entry-point packs, `OPENIMR_KB_PATH` packs, then `extra`."""
    from openimr.guidelines.knowledge_base import KnowledgeBase

    packs: list[LoadedPack] = [shipped_pack()] if shipped else []
    if entry_points:
        packs += [load_pack(folder, source) for folder, source in entry_point_packs()]
    if env:
        packs += [load_pack(folder) for folder in env_pack_folders()]
    packs += [load_pack(folder) for folder in (extra or [])]
    topics, files = merge(packs)
    extra_fields = {}
    if "parameters" in getattr(KnowledgeBase, "__dataclass_fields__", {}):  # shared parameters (issue 10)
        extra_fields["parameters"] = merge_parameters(packs)
    return KnowledgeBase(topics=topics, content_hash=combined_hash(packs), files=files, packs=tuple(packs),
                         **extra_fields)


def pack_refs(kb) -> list[PackRef]:
    """The packs a knowledge base was built from (none for a bare topic folder or a test double)."""
    return [p.ref() for p in getattr(kb, "packs", ()) or ()]
