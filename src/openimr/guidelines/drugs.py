"""The drug lexicon: brand and generic names, abbreviations and misspellings -> generic, class, topic.

The data is `data/drugs.yaml` (one entry per generic or fixed combination). Matching works on word
tokens, so case and the punctuation between words do not matter ("Hydrocodone/APAP",
"hydrocodone-apap" and "HYDROCODONE APAP" are one name); connector words ("and", "with", "w/") and
salt names ("HCl", "sodium", "bitartrate") are ignored. `find_drug_mentions` takes the longest
lexicon name at each position (so "hydrocodone/acetaminophen" wins over "hydrocodone"), which makes it
linear in the length of the text: a dictionary look-up per token and n-gram, no model.

`normalize_drug` also accepts a close misspelling of a single-word name (rapidfuzz, high threshold);
`find_drug_mentions` does not (running text has too many near-words for that to be safe).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from openimr import yamlio
from openimr.errors import GuidelineDataError

LEXICON_FILE = Path(__file__).parent / "data" / "drugs.yaml"

# Tokens ignored between (and inside) names: connectors and salt/ester names.
CONNECTORS = frozenset({"and", "with", "w"})
SALTS = frozenset(
    {
        "hcl", "hydrochloride", "bitartrate", "sodium", "potassium", "sulfate", "sulphate", "citrate",
        "tartrate", "maleate", "besylate", "mesylate", "succinate", "tromethamine", "calcium",
        "magnesium", "hbr", "hydrobromide", "phosphate", "acetate", "fumarate", "dihydrate",
    }
)
_SKIP = CONNECTORS | SALTS
_TOKEN = re.compile(r"[a-z0-9]+")
_TOKEN_ANY_CASE = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class DrugInfo:
    """One drug as the lexicon knows it.

    generic: lower case ("hydrocodone/acetaminophen" for combinations); brand: the brand named, as
    usually spelled, or None when a generic name was used; drug_class; topic: knowledge-base topic id
    (None when no topic governs the drug); route: "oral", "topical", "injection" ...;
    forms: dosage-form words that move the drug to another topic (("gel", "topical-nsaids"), ...).
    """

    generic: str
    brand: str | None
    drug_class: str
    topic: str | None
    route: str = "oral"
    forms: tuple[tuple[str, str | None], ...] = field(default=(), compare=False, repr=False)

    def topic_for_forms(self, form_words: Iterable[str]) -> str | None:
        """The topic when the request names one of `form_words` (e.g. "gel"); else the default topic."""
        words = set(form_words)
        for form, topic in self.forms:
            if form in words:
                return topic
        return self.topic


@dataclass(frozen=True)
class Lexicon:
    names: dict[tuple[str, ...], DrugInfo]  # token key -> drug
    entries: tuple[DrugInfo, ...]  # one per generic entry (brand None)
    single_words: dict[str, DrugInfo]  # one-token names, for fuzzy look-up
    first: dict[str, int]  # first token of a name -> the longest name (in tokens) starting with it

    def __len__(self) -> int:
        return len(self.names)


def name_key(name: str) -> tuple[str, ...]:
    """A name as matching sees it: lower-case word tokens without connectors or salts."""
    return tuple(t for t in _TOKEN.findall(name.lower()) if t not in _SKIP)


def _as_list(value: object, path: Path, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GuidelineDataError(str(path), where, "must be a list of names")
    return list(value)


def load_lexicon(path: Path | str = LEXICON_FILE) -> Lexicon:
    """Read and check the lexicon file (raises GuidelineDataError naming the entry and field)."""
    path = Path(path)
    try:
        raw = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GuidelineDataError(str(path), "", f"cannot read the drug lexicon ({exc.__class__.__name__})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise GuidelineDataError(str(path), where, f"invalid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, list):
        raise GuidelineDataError(str(path), "", "the drug lexicon must be a list of entries")
    names: dict[tuple[str, ...], DrugInfo] = {}
    entries: list[DrugInfo] = []

    def add(key_name: str, info: DrugInfo, where: str) -> None:
        key = name_key(key_name)
        if not key:
            raise GuidelineDataError(str(path), where, f"name {key_name!r} has no letters or digits")
        prior = names.get(key)
        if prior is not None and (prior.generic, prior.topic) != (info.generic, info.topic):
            raise GuidelineDataError(
                str(path), where, f"name {key_name!r} already names {prior.generic} ({prior.brand or 'generic'})"
            )
        names.setdefault(key, info)

    for i, entry in enumerate(raw):
        where = f"{i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("generic"), str):
            raise GuidelineDataError(str(path), where, "an entry needs a 'generic' name")
        unknown = set(entry) - {"generic", "class", "topic", "route", "brands", "aliases", "brand_aliases", "forms", "variant"}
        if unknown:
            raise GuidelineDataError(str(path), f"{where}.{sorted(unknown)[0]}", "unknown field")
        generic = entry["generic"].strip()
        if generic != generic.lower():
            raise GuidelineDataError(str(path), f"{where}.generic", "generic names are lower case")
        if not isinstance(entry.get("class"), str):
            raise GuidelineDataError(str(path), f"{where}.class", "a drug class is required")
        if "topic" not in entry:
            raise GuidelineDataError(str(path), f"{where}.topic", "topic is required (null when none governs it)")
        forms_raw = entry.get("forms") or {}
        if not isinstance(forms_raw, dict):
            raise GuidelineDataError(str(path), f"{where}.forms", "must map a form word to a topic id")
        forms = tuple((str(k).lower(), None if v is None else str(v)) for k, v in forms_raw.items())
        base = DrugInfo(
            generic=generic,
            brand=None,
            drug_class=entry["class"],
            topic=entry["topic"],
            route=entry.get("route") or "oral",
            forms=forms,
        )
        entries.append(base)
        brands = _as_list(entry.get("brands"), path, f"{where}.brands")
        for brand in brands:
            add(brand, _with_brand(base, brand), f"{where}.brands")
        brand_aliases = entry.get("brand_aliases") or {}
        if not isinstance(brand_aliases, dict):
            raise GuidelineDataError(str(path), f"{where}.brand_aliases", "must map a written form to a brand")
        for written, brand in brand_aliases.items():
            add(str(written), _with_brand(base, str(brand)), f"{where}.brand_aliases")
        # generic names after brands: a medical food's name is both, and reads as the brand
        if not entry.get("variant"):  # a variant (topical diclofenac) leaves the plain generic to the main entry
            add(generic, base, f"{where}.generic")
        for alias in _as_list(entry.get("aliases"), path, f"{where}.aliases"):
            add(alias, base, f"{where}.aliases")
    single = {k[0]: v for k, v in names.items() if len(k) == 1 and len(k[0]) >= 5 and not k[0].isdigit()}
    first: dict[str, int] = {}
    for key in names:
        first[key[0]] = max(first.get(key[0], 0), len(key))
    return Lexicon(names=names, entries=tuple(entries), single_words=single, first=first)


def _with_brand(base: DrugInfo, brand: str) -> DrugInfo:
    return DrugInfo(base.generic, brand, base.drug_class, base.topic, base.route, base.forms)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicon, loaded once per process."""
    return load_lexicon()


def _tokens(text: str) -> list[tuple[str, int, int]]:
    # tokens are found in the text itself (not a lower-cased copy, whose length can differ for some
    # Unicode letters), so offsets always index `text`
    out = []
    for m in _TOKEN_ANY_CASE.finditer(text):
        tok = m.group().lower()
        if tok not in _SKIP:
            out.append((tok, m.start(), m.end()))
    return out


def find_drug_mentions(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int, DrugInfo]]:
    """Every drug name in `text`: (start, end, DrugInfo), in order, longest name at each position.

    Character offsets index `text` itself.
    """
    lex = lexicon or default_lexicon()
    toks = _tokens(text)
    out: list[tuple[int, int, DrugInfo]] = []
    i, n = 0, len(toks)
    names, first = lex.names, lex.first
    while i < n:
        longest = first.get(toks[i][0])
        if longest is None:
            i += 1
            continue
        found = None
        for size in range(min(longest, n - i), 0, -1):
            key = tuple(t[0] for t in toks[i : i + size])
            info = names.get(key)
            if info is not None:
                found = (size, info)
                break
        if found:
            size, info = found
            out.append((toks[i][1], toks[i + size - 1][2], info))
            i += size
        else:
            i += 1
    return out


def normalize_drug(name: str, lexicon: Lexicon | None = None, fuzzy: bool = True) -> DrugInfo | None:
    """The drug a name denotes ("Norco" -> hydrocodone/acetaminophen, brand Norco), or None.

    Tries the whole name, then the first drug named inside it ("Norco 10/325mg #120"), then (with
    `fuzzy`) a close misspelling of a one-word name (similarity >= 90, words of 5+ letters).
    """
    if not isinstance(name, str) or not name.strip():
        return None
    lex = lexicon or default_lexicon()
    info = lex.names.get(name_key(name))
    if info is not None:
        return info
    mentions = find_drug_mentions(name, lex)
    if mentions:
        return mentions[0][2]
    if fuzzy:
        return fuzzy_drug(name, lex)
    return None


def fuzzy_drug(text: str, lexicon: Lexicon | None = None, threshold: float = 90.0) -> DrugInfo | None:
    """A close misspelling of a one-word lexicon name among the words of `text`, or None."""
    from rapidfuzz import fuzz, process

    lex = lexicon or default_lexicon()
    best: tuple[float, DrugInfo] | None = None
    for word, _s, _e in _tokens(text):
        if len(word) < 5 or word.isdigit():
            continue
        hit = process.extractOne(word, lex.single_words.keys(), scorer=fuzz.ratio, score_cutoff=threshold)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], lex.single_words[hit[0]])
    return best[1] if best else None


def generics_for_topic(topic_id: str, lexicon: Lexicon | None = None) -> list[str]:
    """Generic names the lexicon files under a topic."""
    lex = lexicon or default_lexicon()
    return sorted({e.generic for e in lex.entries if e.topic == topic_id})
