"""Guideline packs (issue 14): the shipped pack, extra packs from folders, OPENIMR_KB_PATH and entry
points, strict validation (one error line), hashes recorded on drafts, and a 2024 request drafted from a
pack and left undecided (with a well-formed letter) without it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.engine import draft_case
from openimr.errors import GuidelineDataError
from openimr.guidelines import packs as packs_mod
from openimr.guidelines.knowledge_base import DATA_DIR, default_knowledge_base, load_knowledge_base
from openimr.guidelines.packs import EXAMPLE_PACK_DIR, build_knowledge_base, load_pack
from openimr.models.case import CaseFile

runner = CliRunner()
EXAMPLE_TOPIC = "example-test-service"


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env)


def _case(request: str, date: str = "2024-03-05", text: str = "Low back pain rated 6/10. Tenderness to palpation "
          "over the lumbar paraspinals.") -> CaseFile:
    return CaseFile.model_validate({
        "request_for_authorization": {"date": date},
        "injured_worker": {"date_of_injury": "2023-01-10"},
        "disputed_items": [{"request": request}],
        "documents": [{"id": "n1", "type": "progress_note", "date": date, "text": text}],
    })


def _copy_example(tmp_path: Path) -> Path:
    dst = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK_DIR, dst)
    return dst


# ------------------------------------------------------------------ the shipped pack and the example
def test_the_shipped_mtus_is_one_pack_and_keeps_its_hash():
    kb = load_knowledge_base()
    assert [p.manifest.name for p in kb.packs] == ["mtus-2009-2017"]
    assert kb.packs[0].source == "shipped" and not kb.packs[0].manifest.example
    # the shipped pack alone keeps the historical knowledge-base hash (topic files only)
    assert kb.content_hash == load_knowledge_base(DATA_DIR).content_hash
    assert kb.pack_refs()[0].content_hash.startswith("sha256:")


def test_the_example_pack_is_marked_and_adds_its_topic():
    pack = load_pack(EXAMPLE_PACK_DIR)
    assert pack.manifest.example is True and "not clinical" in pack.manifest.title
    kb = load_knowledge_base(EXAMPLE_PACK_DIR)
    assert [p.name for p in kb.pack_refs()] == ["mtus-2009-2017", "example-pack"]
    assert EXAMPLE_TOPIC in kb.topics and EXAMPLE_TOPIC not in load_knowledge_base().topics
    assert kb.content_hash != load_knowledge_base().content_hash


def test_a_2024_request_is_drafted_from_a_pack_and_undecided_without_it():
    case = _case("Example test service")
    with_pack = draft_case(case, load_knowledge_base(EXAMPLE_PACK_DIR))
    item = with_pack.items[0]
    assert item.topic == EXAMPLE_TOPIC and item.decision == "Overturned", item.unable_to_decide
    assert [c.met for c in item.criteria] == [True, True]
    assert [p.name for p in with_pack.guideline_packs] == ["mtus-2009-2017", "example-pack"]
    # the same case with no pack: the request is not drafted, and the letter is still whole
    bare = draft_case(_case("Lumbar MRI"), load_knowledge_base())
    it = bare.items[0]
    assert it.decision is None and "no criteria are loaded" in it.unable_to_decide
    assert it.governing is not None and it.governing.guideline == "ACOEM Low Back Disorders Guideline"
    assert it.governing.edition == "update effective 2021-11-23" and it.governing.criteria_loaded is False
    letter = bare.letter
    assert "Lumbar MRI: Undecided" in letter and not letter.rstrip().endswith("set forth below:")
    assert letter.rstrip().endswith("(docs/guidelines.md)")


def test_a_pack_can_bring_a_later_edition_of_a_shipped_topic(tmp_path):
    """A licensed pack adds the entry in force in 2024 for a topic the shipped pack holds for 2009-2017."""
    pack = tmp_path / "later"
    (pack / "topics").mkdir(parents=True)
    manifest = yaml.safe_load((EXAMPLE_PACK_DIR / "pack.yaml").read_text())
    (pack / "pack.yaml").write_text(yaml.safe_dump({**manifest, "name": "test-later-carisoprodol"}))
    topic = yaml.safe_load((DATA_DIR / "carisoprodol.yaml").read_text())
    entry = topic["guidelines"][0]
    entry.update({"edition": "test edition", "effective_from": "2018-01-01", "effective_to": None})
    # criterion ids carried forward into a later edition (periods apart) are allowed, as within one file
    (pack / "topics" / "carisoprodol.yaml").write_text(yaml.safe_dump({**topic, "guidelines": [entry]}))
    case = _case("Soma 350mg #90")
    assert draft_case(case, load_knowledge_base()).items[0].decision is None
    later = draft_case(case, load_knowledge_base(pack)).items[0]
    assert later.decision in ("Upheld", "Overturned") and "test edition" in later.guideline.text


# ------------------------------------------------------------------ where packs come from
def test_kb_path_env_and_pathsep(tmp_path, monkeypatch):
    second = _copy_example(tmp_path)
    manifest = yaml.safe_load((second / "pack.yaml").read_text())
    (second / "pack.yaml").write_text(yaml.safe_dump({**manifest, "name": "second-pack"}))
    (second / "topics" / f"{EXAMPLE_TOPIC}.yaml").unlink()
    (second / "topics" / "other.yaml").write_text((EXAMPLE_PACK_DIR / "topics" / f"{EXAMPLE_TOPIC}.yaml").read_text()
                                       .replace(f"id: {EXAMPLE_TOPIC}", "id: other")
                                       .replace("example-test-service.", "other."))
    monkeypatch.setenv("OPENIMR_KB_PATH", os.pathsep.join([str(EXAMPLE_PACK_DIR), str(second)]))
    kb = build_knowledge_base()
    assert [p.manifest.name for p in kb.packs] == ["mtus-2009-2017", "example-pack", "second-pack"]
    assert {"other", EXAMPLE_TOPIC} <= set(kb.topics)
    monkeypatch.delenv("OPENIMR_KB_PATH")
    r = run("guidelines", "packs", "--json", "--kb", os.pathsep.join([str(EXAMPLE_PACK_DIR), str(second)]))
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["packs"]
    assert [row["name"] for row in rows] == ["mtus-2009-2017", "example-pack", "second-pack"]
    assert rows[1]["example"] is True and rows[1]["licence"] and rows[1]["effective_from"] == "2017-12-01"


def test_packs_from_an_installed_package_entry_point(monkeypatch):
    class EP:
        name = "test-example"

        def load(self):
            return lambda: EXAMPLE_PACK_DIR

    monkeypatch.setattr(packs_mod.importlib.metadata, "entry_points", lambda group: [EP()] if group == packs_mod.ENTRY_POINT_GROUP else [])
    kb = build_knowledge_base(env=False)
    assert [(p.manifest.name, p.source) for p in kb.packs][-1] == ("example-pack", "entry point test-example")

    class Broken(EP):
        def load(self):
            raise ImportError("no module named licensed_pack")

    monkeypatch.setattr(packs_mod.importlib.metadata, "entry_points", lambda group: [Broken()])
    with pytest.raises(GuidelineDataError, match="entry point openimr.guideline_packs:test-example: cannot be loaded"):
        build_knowledge_base(env=False)


def test_the_default_knowledge_base_reads_the_environment(monkeypatch):
    default_knowledge_base.cache_clear()
    monkeypatch.setenv("OPENIMR_KB_PATH", str(EXAMPLE_PACK_DIR))
    try:
        assert EXAMPLE_TOPIC in default_knowledge_base().topics
        case = _case("Example test service")
        assert draft_case(case).items[0].decision == "Overturned"
    finally:
        monkeypatch.delenv("OPENIMR_KB_PATH")
        default_knowledge_base.cache_clear()
    assert EXAMPLE_TOPIC not in default_knowledge_base().topics


# ------------------------------------------------------------------ a bad pack is one error line
def _edit_yaml(path: Path, **changes):
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data))


def _bad_pack_cases(tmp_path: Path):
    """(name, pack folder, expected file, expected text) for each way a pack can be broken."""
    out = []

    def make(name):
        return _copy_example(tmp_path / name)

    p = make("no-manifest")
    (p / "pack.yaml").unlink()
    (p / "x.yaml").write_text("id: x\n")  # a folder with topics but no manifest, given among others
    out.append(("no-manifest", p, p / "pack.yaml", "missing: a pack needs a manifest"))
    p = make("no-licence")
    data = yaml.safe_load((p / "pack.yaml").read_text())
    del data["licence"]
    (p / "pack.yaml").write_text(yaml.safe_dump(data))
    out.append(("no-licence", p, p / "pack.yaml", "licence: Field required"))
    p = make("bad-dates")
    _edit_yaml(p / "pack.yaml", effective_from="2018-01-01", effective_to="2017-01-01")
    out.append(("bad-dates", p, p / "pack.yaml", "effective_to is before effective_from"))
    p = make("entry-outside")
    _edit_yaml(p / "pack.yaml", effective_from="2020-01-01")
    topic = p / "topics" / f"{EXAMPLE_TOPIC}.yaml"
    out.append(("entry-outside", p, topic, "guidelines.0.effective_from: 2017-12-01 is before the pack's effective_from"))
    p = make("bad-topic")
    topic = p / "topics" / f"{EXAMPLE_TOPIC}.yaml"
    topic.write_text(topic.read_text().replace("status: recommended_with_criteria", "status: sometimes"))
    out.append(("bad-topic", p, topic, "guidelines.0.status"))
    p = make("unknown-fact")
    topic = p / "topics" / f"{EXAMPLE_TOPIC}.yaml"
    topic.write_text(topic.read_text().replace("fact: finding.tenderness", "fact: finding.made_up"))
    out.append(("unknown-fact", p, topic, "unknown fact 'finding.made_up'"))
    p = make("category-clash")
    topic = p / "topics" / "carisoprodol.yaml"
    shutil.copy(p / "topics" / f"{EXAMPLE_TOPIC}.yaml", topic)
    topic.write_text(topic.read_text().replace(f"id: {EXAMPLE_TOPIC}", "id: carisoprodol")
                     .replace("example-test-service.", "test-clash."))
    out.append(("category-clash", p, topic, "category: 'other' differs from 'drug'"))
    p = make("no-topics-folder")
    shutil.rmtree(p / "topics")
    out.append(("no-topics-folder", p, p / "topics", "missing: a pack keeps its topic files in topics/"))
    p = make("empty")
    (p / "topics" / f"{EXAMPLE_TOPIC}.yaml").unlink()
    out.append(("empty", p, p / "topics", "the pack has no topic files"))
    return out


def _companion(tmp_path: Path) -> Path:
    """A valid pack of another name, given beside a broken one (so a folder is never read as a bare KB)."""
    p = _copy_example(tmp_path / "companion")
    _edit_yaml(p / "pack.yaml", name="companion-pack")
    (p / "topics" / f"{EXAMPLE_TOPIC}.yaml").unlink()
    (p / "topics" / "companion.yaml").write_text(
        (EXAMPLE_PACK_DIR / "topics" / f"{EXAMPLE_TOPIC}.yaml").read_text()
        .replace(f"id: {EXAMPLE_TOPIC}", "id: companion").replace("example-test-service.", "companion."))
    return p


def test_every_broken_pack_is_one_error_line_naming_file_and_field(tmp_path):
    companion = _companion(tmp_path)
    for name, folder, path, text in _bad_pack_cases(tmp_path):
        with pytest.raises(GuidelineDataError) as exc:
            build_knowledge_base([folder], env=False, entry_points=False)
        assert str(path) in str(exc.value) and text in str(exc.value), (name, str(exc.value))
        # the CLI: exit 2, one line on stderr (given with another pack, so a bare folder is not read alone)
        r = run("guidelines", "packs", "--kb", os.pathsep.join([str(companion), str(folder)]))
        assert r.exit_code == 2, (name, r.output)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0], (name, r.stderr)
        assert "Traceback" not in r.output


def test_the_same_pack_twice_and_a_duplicate_criterion_are_refused(tmp_path):
    with pytest.raises(GuidelineDataError, match="is loaded twice"):
        build_knowledge_base([EXAMPLE_PACK_DIR, EXAMPLE_PACK_DIR], env=False, entry_points=False)
    p = _copy_example(tmp_path)
    topic = p / "topics" / "carisoprodol.yaml"
    shipped = yaml.safe_load((DATA_DIR / "carisoprodol.yaml").read_text())
    entry = shipped["guidelines"][0]
    # the shipped entries end by 2017-11-30 (issue 10), so the duplicate must overlap one of them: a pack
    # whose dates reach back to the shipped 2009 entry's
    entry.update({"effective_from": "2009-07-18", "effective_to": "2016-07-27"})
    _edit_yaml(p / "pack.yaml", effective_from="2009-07-18")
    topic.write_text(yaml.safe_dump({**shipped, "guidelines": [entry]}))
    with pytest.raises(GuidelineDataError, match="is already defined in"):
        build_knowledge_base([p], env=False, entry_points=False)


def test_the_pack_hash_tracks_content(tmp_path):
    p = _copy_example(tmp_path)
    first = load_pack(p).content_hash
    assert load_pack(p).content_hash == first == load_pack(EXAMPLE_PACK_DIR).content_hash
    _edit_yaml(p / "pack.yaml", version="0.2")
    assert load_pack(p).content_hash != first


def test_review_takes_kb_and_records_the_packs(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(_case("Example test service").model_dump_json())
    r = run("review", str(case), "--json", "--kb", str(EXAMPLE_PACK_DIR))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["items"][0]["decision"] == "Overturned"
    assert [p["name"] for p in data["guideline_packs"]] == ["mtus-2009-2017", "example-pack"]


def test_a_broken_pack_in_the_environment_is_one_line_for_review(tmp_path):
    bad = _copy_example(tmp_path)
    _edit_yaml(bad / "pack.yaml", version="")
    case = tmp_path / "case.json"
    case.write_text(_case("Example test service").model_dump_json())
    default_knowledge_base.cache_clear()
    try:
        r = run("review", str(case), env={"OPENIMR_KB_PATH": str(bad)})
    finally:
        default_knowledge_base.cache_clear()
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad / "pack.yaml") in lines[0] and "version" in lines[0]
