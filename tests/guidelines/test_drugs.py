"""The drug lexicon: names -> generic, brand, class, topic; mentions in running text."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.errors import GuidelineDataError
from openimr.guidelines.drugs import (
    DrugInfo,
    default_lexicon,
    find_drug_mentions,
    generics_for_topic,
    load_lexicon,
    normalize_drug,
)

TOPICS_MD = Path(__file__).resolve().parents[2] / "docs" / "topics.md"  # the agreed topic list


@pytest.mark.parametrize(
    ("name", "generic", "brand", "topic"),
    [
        ("Soma", "carisoprodol", "Soma", "carisoprodol"),
        ("SOMA 350MG", "carisoprodol", "Soma", "carisoprodol"),
        ("carisoprodol", "carisoprodol", None, "carisoprodol"),
        ("Norco", "hydrocodone/acetaminophen", "Norco", "opioids"),
        ("Vicodin", "hydrocodone/acetaminophen", "Vicodin", "opioids"),
        ("Lortab", "hydrocodone/acetaminophen", "Lortab", "opioids"),
        ("hydrocodone/APAP", "hydrocodone/acetaminophen", None, "opioids"),
        ("Hydrocodone-Acetaminophen", "hydrocodone/acetaminophen", None, "opioids"),
        ("hydrocodone bitartrate and acetaminophen", "hydrocodone/acetaminophen", None, "opioids"),
        ("Percocet", "oxycodone/acetaminophen", "Percocet", "opioids"),
        ("Endocet", "oxycodone/acetaminophen", "Endocet", "opioids"),
        ("Oxycodone", "oxycodone", None, "opioids"),
        ("OxyContin", "oxycodone", "OxyContin", "opioids"),
        ("Ultracet", "tramadol/acetaminophen", "Ultracet", "tramadol"),
        ("Ultram ER", "tramadol", "Ultram ER", "tramadol"),
        ("tramadol HCl", "tramadol", None, "tramadol"),
        ("Menthoderm", "methyl salicylate/menthol", "Menthoderm", "topical-salicylates"),
        ("methyl salicylate/menthol", "methyl salicylate/menthol", None, "topical-salicylates"),
        ("Restoril", "temazepam", "Restoril", "benzodiazepines"),
        ("Flexeril", "cyclobenzaprine", "Flexeril", "muscle-relaxants"),
        ("Flexiril", "cyclobenzaprine", "Flexeril", "muscle-relaxants"),
        ("Zanaflex", "tizanidine", "Zanaflex", "muscle-relaxants"),
        ("Ambien", "zolpidem", "Ambien", "sleep-aids"),
        ("Anaprox DS", "naproxen", "Anaprox DS", "nsaids"),
        ("naproxen sodium", "naproxen", None, "nsaids"),
        ("Prilosec", "omeprazole", "Prilosec", "ppis"),
        ("Neurontin", "gabapentin", "Neurontin", "antiepileptics"),
        ("Lyrica", "pregabalin", "Lyrica", "antiepileptics"),
        ("Cymbalta", "duloxetine", "Cymbalta", "antidepressants"),
        ("Lidoderm", "lidocaine", "Lidoderm", "lidocaine-patch"),
        ("Voltaren Gel", "diclofenac", "Voltaren Gel", "topical-nsaids"),
        ("Flector patch", "diclofenac", "Flector", "topical-nsaids"),
        ("Theramine", "theramine", "Theramine", "medical-foods"),
        ("APAP", "acetaminophen", None, "acetaminophen"),
        ("Tylenol", "acetaminophen", "Tylenol", "acetaminophen"),
        ("Tylenol #3", "acetaminophen/codeine", "Tylenol #3", "opioids"),
        ("Zofran", "ondansetron", "Zofran", "antiemetics"),
        ("HCTZ", "hydrochlorothiazide", None, None),
    ],
)
def test_normalize_drug(name, generic, brand, topic):
    info = normalize_drug(name)
    assert info is not None, name
    assert (info.generic, info.brand, info.topic) == (generic, brand, topic)
    assert info.drug_class


def test_misspelling_is_matched_only_when_close():
    assert normalize_drug("cyclobenzeprin").generic == "cyclobenzaprine"
    assert normalize_drug("gabapentine").generic == "gabapentin"
    assert normalize_drug("physical therapy") is None
    assert normalize_drug("Lumbar MRI") is None
    assert normalize_drug("") is None
    assert normalize_drug("   ") is None


def test_longest_name_wins_and_offsets_index_the_text():
    text = "Current medications: Hydrocodone/APAP 10/325 mg, Soma 350mg and Menthoderm gel; Tylenol #3 prn."
    found = find_drug_mentions(text)
    spans = [(text[s:e], d.generic) for s, e, d in found]
    assert spans == [
        ("Hydrocodone/APAP", "hydrocodone/acetaminophen"),
        ("Soma", "carisoprodol"),
        ("Menthoderm gel", "methyl salicylate/menthol"),
        ("Tylenol #3", "acetaminophen/codeine"),
    ]
    assert all(isinstance(d, DrugInfo) for _, _, d in found)


def test_no_match_inside_words():
    assert find_drug_mentions("somatic dysfunction; normal sonatas") == []
    assert find_drug_mentions("") == []


def test_form_words_route_to_another_topic():
    diclofenac = normalize_drug("diclofenac")
    assert diclofenac.topic == "nsaids"
    assert diclofenac.topic_for_forms({"gel"}) == "topical-nsaids"
    lido = normalize_drug("lidocaine")
    assert lido.topic_for_forms({"patch"}) == "lidocaine-patch"
    assert lido.topic_for_forms({"ointment"}) == "topical-analgesics"
    assert lido.topic_for_forms({"injection"}) is None  # no topic governs a lidocaine injection


def test_every_topic_id_in_the_lexicon_is_agreed():
    agreed = set()
    for line in TOPICS_MD.read_text().splitlines():
        if line and not line.startswith("#"):
            agreed.add(line.split(" ")[0].strip())
    lex = default_lexicon()
    used = {e.topic for e in lex.entries if e.topic} | {t for e in lex.entries for _, t in e.forms if t}
    assert agreed
    assert used <= agreed, used - agreed
    for topic in ["opioids", "tramadol", "carisoprodol", "muscle-relaxants", "benzodiazepines", "sleep-aids",
                  "nsaids", "ppis", "antiepileptics", "antidepressants", "topical-analgesics", "lidocaine-patch",
                  "topical-salicylates", "topical-nsaids", "medical-foods", "acetaminophen", "antiemetics"]:
        assert generics_for_topic(topic), topic


def test_generics_are_lower_case():
    for entry in default_lexicon().entries:
        assert entry.generic == entry.generic.lower()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- generic: Foo\n  class: x\n  topic: null\n", "lower case"),
        ("- generic: foo\n  topic: null\n", "drug class"),
        ("- generic: foo\n  class: x\n", "topic is required"),
        ("- generic: foo\n  class: x\n  topic: null\n  colour: red\n", "unknown field"),
        ("- generic: foo\n  class: x\n  topic: a\n- generic: bar\n  class: x\n  topic: b\n  aliases: [foo]\n", "already names"),
        ("- generic: foo\n  class: [x\n", "invalid YAML"),
        ("{}", "list of entries"),
    ],
)
def test_bad_lexicon_names_the_field(tmp_path, text, problem):
    path = tmp_path / "drugs.yaml"
    path.write_text(text)
    with pytest.raises(GuidelineDataError) as err:
        load_lexicon(path)
    assert problem in str(err.value)
    assert str(path) in str(err.value)


def test_offsets_survive_unicode_before_the_name():
    text = "İİİ ﬁ note: NORCO 10/325 and naïve Soma"
    found = find_drug_mentions(text)
    assert [text[s:e] for s, e, _ in found] == ["NORCO", "Soma"]


SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed letters not present")
def test_seed_letters_name_exactly_these_drugs():
    expected = {
        "000": {"onabotulinumtoxina", "cyclobenzaprine", "methyl salicylate/menthol", "carisoprodol"},
        "001": {"carisoprodol"},
        "002": {"carisoprodol", "methylprednisolone", "oxycodone", "temazepam", "hydrocodone"},
        "003": {"hydrocodone/acetaminophen", "carisoprodol", "tizanidine"},
        "004": {"duloxetine", "hydrocodone/acetaminophen", "diazepam"},
    }
    for path in sorted(SEEDS.glob("*.txt")):
        key = path.name[:3]
        if key in expected:
            found = {d.generic for _, _, d in find_drug_mentions(path.read_text(encoding="utf-8"))}
            assert found == expected[key], path.name
