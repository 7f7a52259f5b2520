"""The evidence hierarchy: MTUS first, non-MTUS only where the MTUS is silent, editions by date."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from openimr.errors import InputError
from openimr.guidelines.hierarchy import EditionNotEncoded, ResolvedGuideline, describe_editions, resolve
from openimr.guidelines.knowledge_base import default_knowledge_base, load_knowledge_base


def _entry(source: str, mtus: bool, start: str, end: str | None, document: str, pages: str = "10") -> str:
    end_line = f"effective_to: {end}" if end else ""
    return textwrap.indent(textwrap.dedent(f"""\
        - source: {source}
          mtus: {str(mtus).lower()}
          document: {document}
          edition: "{start[:4]}"
          effective_from: {start}
          {end_line}
          sections: ["Widgets"]
          pages: "{pages}"
          status: recommended
          summary: A summary of what the guideline says.
          criteria:
            - id: {source.lower()}-{start}.c1
              statement: The widget is used as the guideline describes.
              test: {{fact: request.specified, op: is_true}}
              rationale: {{met: ok, unmet: not ok, undocumented: not documented}}
              citation: {{source: {source}, document: {document}, edition_or_year: "{start[:4]}", pages: "{pages}"}}
        """), "  ")


def _topic(tid: str, name: str, entries: list[str]) -> str:
    return f"id: {tid}\nname: {name}\ncategory: other\nguidelines:\n" + "".join(entries)


@pytest.fixture()
def kb(tmp_path):
    (tmp_path / "widgets.yaml").write_text(_topic("widgets", "Widgets", [
        _entry("MTUS", True, "2009-07-18", "2017-12-31", "Chronic Pain Medical Treatment Guidelines", "29"),
        _entry("ODG", False, "2009-01-01", None, "Official Disability Guidelines Pain"),
    ]))
    (tmp_path / "gadgets.yaml").write_text(_topic("gadgets", "Gadgets", [
        _entry("ODG", False, "2011-01-01", "2014-12-31", "Official Disability Guidelines Low Back"),
        _entry("ODG", False, "2015-01-01", None, "Official Disability Guidelines Low Back"),
    ]))
    return load_knowledge_base(tmp_path)


def test_mtus_first_then_passed_over(kb):
    chain = resolve(kb, "widgets", dt.date(2015, 8, 18))
    assert [r.entry.source for r in chain] == ["MTUS", "ODG"]
    assert all(isinstance(r, ResolvedGuideline) for r in chain)
    assert chain[0].role == "mtus" and chain[0].mtus
    assert chain[0].reason == "MTUS addresses Widgets (Chronic Pain Medical Treatment Guidelines 2009, Widgets, p. 29)"
    assert chain[1].role == "passed_over"
    assert chain[1].reason.startswith("passed over: the MTUS addresses the topic")


def test_mtus_silent_so_odg(kb):
    chain = resolve(kb, "gadgets", dt.date(2015, 8, 18))
    assert len(chain) == 1
    assert chain[0].role == "mtus_silent"
    assert chain[0].entry.edition == "2015"
    assert chain[0].reason.startswith("MTUS is silent on Gadgets; ODG (Official Disability Guidelines Low Back, 2015)")
    assert chain[0].reason.endswith("applies under 8 CCR 9792.21.1")
    # the edition in force on the date, never a later one
    assert resolve(kb, "gadgets", dt.date(2012, 3, 1))[0].entry.edition == "2011"


def test_date_outside_the_encoded_mtus_is_not_judged(kb):
    # the ODG entry is in force in 2019, but the MTUS of 2019 is not encoded: we cannot say it is silent
    with pytest.raises(EditionNotEncoded) as err:
        resolve(kb, "widgets", dt.date(2019, 1, 15))
    assert "guideline edition not encoded" in str(err.value)
    assert "2009-07-18 to 2017-12-31" in str(err.value)
    assert isinstance(err.value, InputError)
    with pytest.raises(EditionNotEncoded):
        resolve(kb, "widgets", dt.date(2009, 7, 17))


def test_topic_without_an_edition_on_the_date(kb):
    with pytest.raises(EditionNotEncoded) as err:
        resolve(kb, "gadgets", dt.date(2010, 6, 1))
    assert "no guideline for Gadgets in force on 2010-06-01" in str(err.value)


def test_effective_dates_are_inclusive(kb):
    assert resolve(kb, "widgets", dt.date(2017, 12, 31))[0].entry.source == "MTUS"
    assert resolve(kb, "widgets", dt.date(2009, 7, 18))[0].entry.source == "MTUS"


def test_no_date_uses_latest_editions_and_says_so(kb):
    chain = resolve(kb, "gadgets", None)
    assert [r.entry.edition for r in chain] == ["2015"]
    assert "no request date given" in chain[0].reason
    assert [r.entry.source for r in resolve(kb, "widgets", None)] == ["MTUS", "ODG"]


def test_dates_as_text_and_datetimes(kb):
    assert resolve(kb, "widgets", "2015-08-18")[0].entry.source == "MTUS"
    assert resolve(kb, "widgets", dt.datetime(2015, 8, 18, 9, 30))[0].entry.source == "MTUS"
    with pytest.raises(InputError, match="not a date"):
        resolve(kb, "widgets", "18 August")


def test_unknown_topic(kb):
    with pytest.raises(InputError, match="topic not in the knowledge base"):
        resolve(kb, "sprockets", dt.date(2015, 1, 1))


def test_describe_editions(kb):
    rows = describe_editions(kb)
    assert ("MTUS", "Chronic Pain Medical Treatment Guidelines 2009", "2009-07-18 to 2017-12-31") in rows


def test_seed_topics_resolve_to_the_mtus():
    kb = default_knowledge_base()
    chain = resolve(kb, "carisoprodol", dt.date(2015, 8, 18))
    assert chain[0].entry.mtus
    assert chain[0].reason.startswith("MTUS addresses Carisoprodol (Soma) (Chronic Pain Medical Treatment Guidelines 2009")
    assert "Carisoprodol (Soma)" in chain[0].reason and "29" in chain[0].reason
    for topic in ["benzodiazepines", "opioids", "facet-injections", "sacroiliac-joint-injections"]:
        if topic in kb.topics:
            assert resolve(kb, topic, dt.date(2015, 8, 18)), topic
    with pytest.raises(EditionNotEncoded):
        resolve(kb, "carisoprodol", dt.date(2020, 1, 1))
