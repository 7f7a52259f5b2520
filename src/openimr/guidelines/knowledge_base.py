"""Load and validate the guideline knowledge base (YAML topic files under `data/topics/`).

A malformed file fails at load with the file, the field and what is wrong. The knowledge base's
content hash identifies exactly which guideline data a draft was made with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from openimr import yamlio
from openimr.errors import GuidelineDataError
from openimr.models.knowledge import Condition, Parameter, Topic
from openimr.models.vocabulary import fact_spec

DATA_DIR = Path(__file__).parent / "data" / "topics"


@dataclass(frozen=True)
class KnowledgeBase:
    topics: dict[str, Topic]
    content_hash: str
    files: dict[str, Path] = field(default_factory=dict)
    # clinical numbers shared by every topic (`_parameters.yaml`); a topic's own parameters take precedence
    parameters: dict[str, Parameter] = field(default_factory=dict)
    # added (issue 14): the guideline packs merged into this knowledge base, in load order (empty for
    # a bare topic folder); see openimr.guidelines.packs
    packs: tuple = ()

    def pack_refs(self) -> list:
        from openimr.guidelines.packs import pack_refs

        return pack_refs(self)

    def topic(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)

    def parameter(self, name: str, topic_id: str | None = None) -> Parameter | None:
        """The parameter `name` of the topic, else the shared one, else None."""
        topic = self.topics.get(topic_id) if topic_id else None
        if topic is not None and name in topic.parameters:
            return topic.parameters[name]
        return self.parameters.get(name)

    def criteria_count(self) -> int:
        return sum(len(g.criteria) for t in self.topics.values() for g in t.guidelines)


def _loc(err: dict) -> str:
    return ".".join(str(p) for p in err["loc"]) or "(file)"


def _check_facts(path: Path, where: str, cond: Condition | None) -> None:
    if cond is None:
        return
    for name in cond.facts():
        if fact_spec(name) is None:
            raise GuidelineDataError(str(path), where, f"unknown fact {name!r} (add it to openimr.models.vocabulary first)")


def read_yaml_file(path: Path) -> object:
    """A knowledge-base YAML file (topic or pack manifest), or one error line naming the file and the line."""
    try:
        return yamlio.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise GuidelineDataError(str(path), "", "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise GuidelineDataError(str(path), where, f"invalid YAML ({getattr(exc, 'problem', exc)})") from None


def load_topic_file(path: Path) -> Topic:
    raw = read_yaml_file(path)
    if not isinstance(raw, dict):
        raise GuidelineDataError(str(path), "", "a topic file must be a mapping")
    try:
        topic = Topic.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise GuidelineDataError(str(path), _loc(err), err["msg"]) from None
    if topic.id != path.stem:
        raise GuidelineDataError(str(path), "id", f"{topic.id!r} does not match the file name {path.stem!r}")
    # A criterion id names one criterion; it may recur only in another edition of a guideline (entries
    # whose periods do not overlap), where it is the same criterion carried forward.
    seen: dict[str, list] = {}
    for gi, g in enumerate(topic.guidelines):
        _check_facts(path, f"guidelines.{gi}.applies_when", g.applies_when)
        if all(c.applies_when is not None for c in g.criteria):
            # an entry whose every criterion is conditional could approve a request without judging anything
            raise GuidelineDataError(str(path), f"guidelines.{gi}.criteria",
                                     "every criterion is conditional (applies_when); at least one must always apply")
        for ci, c in enumerate(g.criteria):
            where = f"guidelines.{gi}.criteria.{ci}"
            if any(_overlap(g, other) for other in seen.get(c.id, [])):
                raise GuidelineDataError(str(path), f"{where}.id", f"duplicate criterion id {c.id!r}")
            seen.setdefault(c.id, []).append(g)
            _check_facts(path, f"{where}.test", c.test)
            _check_facts(path, f"{where}.applies_when", c.applies_when)
    for name, param in topic.parameters.items():
        if not param.values:
            raise GuidelineDataError(str(path), f"parameters.{name}", "a parameter needs at least one dated value")
    return topic


def _overlap(a, b) -> bool:
    a_end = a.effective_to or dt.date.max
    b_end = b.effective_to or dt.date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def load_knowledge_base(directory: Path | str | None = None) -> KnowledgeBase:
    """Load every topic file in `directory` (default: the packaged knowledge base).

    A folder with a pack manifest (`pack.yaml`) is a guideline pack: it is added to the shipped
    knowledge base (see openimr.guidelines.packs). A bare folder of topic files is the whole knowledge
    base (for authoring and tests).
    """
    from openimr.guidelines.packs import PACK_MANIFEST, build_knowledge_base

    if directory is None:
        return build_knowledge_base(env=False, entry_points=False)
    if (Path(directory) / PACK_MANIFEST).is_file():
        return build_knowledge_base([directory], env=False, entry_points=False)
    return load_topic_folder(directory)


def load_topic_folder(directory: Path | str) -> KnowledgeBase:
    """Every topic file of one folder, as a knowledge base of its own (a bare folder, or a pack's topics)."""
    root = Path(directory)
    if not root.is_dir():
        raise GuidelineDataError(str(root), "", "knowledge-base folder not found")
    topics: dict[str, Topic] = {}
    files: dict[str, Path] = {}
    digest = hashlib.sha256()
    shared = _load_parameters(root / PARAMETERS_FILE, digest)
    for path in sorted(root.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        topic = load_topic_file(path)
        if topic.id in topics:
            raise GuidelineDataError(str(path), "id", f"topic {topic.id!r} is defined twice")
        topics[topic.id] = topic
        files[topic.id] = path
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return KnowledgeBase(topics=topics, content_hash="sha256:" + digest.hexdigest()[:16], files=files,
                         parameters=shared)


PARAMETERS_FILE = "_parameters.yaml"


def _load_parameters(path: Path, digest) -> dict[str, Parameter]:
    """The shared parameters file, if the folder has one: {name: Parameter}."""
    if not path.is_file():
        return {}
    try:
        raw = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GuidelineDataError(str(path), "", f"not a readable YAML file ({type(exc).__name__})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters", {}), dict):
        raise GuidelineDataError(str(path), "", "a parameters file is a mapping with a 'parameters' mapping")
    out: dict[str, Parameter] = {}
    for name, body in (raw.get("parameters") or {}).items():
        try:
            param = Parameter.model_validate(body)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise GuidelineDataError(str(path), f"parameters.{name}.{_loc(err)}", err["msg"]) from None
        if not param.values:
            raise GuidelineDataError(str(path), f"parameters.{name}", "a parameter needs at least one dated value")
        out[str(name)] = param
    digest.update(path.name.encode())
    digest.update(path.read_bytes())
    return out


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The knowledge base of this process, loaded once: the shipped pack plus the packs installed
    through the `openimr.guideline_packs` entry point group and those named in `OPENIMR_KB_PATH`."""
    from openimr.guidelines.packs import build_knowledge_base

    return build_knowledge_base()
