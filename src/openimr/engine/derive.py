"""Derive every named fact (`openimr.models.vocabulary`) for one disputed item.

Input: the case facts (from the extractor), the classified request (from the classifier), the case
file (request date, documents) and the topic. Output, per fact name: a value and the evidence spans
that support it; the value is None when the record does not document it.

Facts are derived lazily (`FactResolver.get`) and cached, so an item only pays for the facts its
guideline's criteria read. Derivation reads the record; it makes no clinical judgement of its own:
thresholds and recommendations live in the knowledge base.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from openimr.models.case import CaseFile
from openimr.models.facts import CaseFacts, Evidence, Finding, Medication, Treatment
from openimr.models.knowledge import GuidelineEntry, Topic
from openimr.models.request import ClassifiedRequest
from openimr.models.vocabulary import FACTS, FINDINGS, TREATMENT_KINDS, fact_spec


@dataclass(frozen=True)
class FactValue:
    value: Any
    evidence: tuple[Evidence, ...] = ()


NONE = FactValue(None)

# Treatment kinds (vocabulary.TREATMENT_KINDS) that count as "the same treatment" for a topic.
# This maps two vocabularies onto each other; it holds no clinical threshold.
TOPIC_TREATMENT_KINDS: dict[str, tuple[str, ...]] = {
    "epidural-steroid-injections": ("epidural steroid injection",),
    "facet-injections": ("facet injection",),
    "medial-branch-blocks": ("medial branch block",),
    "radiofrequency-neurotomy": ("radiofrequency ablation",),
    "sacroiliac-joint-injections": ("sacroiliac joint injection",),
    "trigger-point-injections": ("trigger point injection",),
    "knee-injections": ("injection",),
    "shoulder-injections": ("injection",),
    "botulinum-toxin": ("botox",),
    "spinal-cord-stimulation": ("spinal cord stimulator",),
    "physical-therapy": ("physical therapy",),
    "postsurgical-physical-therapy": ("physical therapy",),
    "chiropractic": ("chiropractic",),
    "acupuncture": ("acupuncture",),
    "aquatic-therapy": ("aquatic therapy",),
    "massage": ("massage",),
    "work-conditioning": ("work conditioning",),
    "functional-restoration-program": ("functional restoration program",),
    "psychological-treatment": ("psychotherapy", "cognitive behavioral therapy"),
    "biofeedback": ("biofeedback",),
    "tens": ("tens",),
    "lumbar-supports": ("bracing",),
    "lumbar-decompression": ("surgery",),
    "lumbar-fusion": ("surgery",),
    "knee-arthroscopy": ("surgery",),
    "shoulder-arthroscopy": ("surgery",),
    "carpal-tunnel-release": ("surgery",),
}

# Topic ids whose drugs form the drug classes some facts name (mapping, not a clinical rule).
OPIOID_TOPICS = frozenset({"opioids", "tramadol", "buprenorphine", "methadone", "fentanyl-transdermal"})
BENZODIAZEPINE_TOPICS = frozenset({"benzodiazepines"})
NSAID_TOPICS = frozenset({"nsaids"})
FIRST_LINE_TOPICS = frozenset({"nsaids", "acetaminophen", "antidepressants", "antiepileptics"})

_REGION_WORDS: tuple[tuple[str, str], ...] = (
    ("sacroiliac", "sacroiliac"), ("si joint", "sacroiliac"), ("lumbosacral", "lumbar"), ("lumbar", "lumbar"),
    ("low back", "lumbar"), ("lower back", "lumbar"), ("thoracolumbar", "lumbar"), ("cervical", "cervical"),
    ("neck", "cervical"), ("thoracic", "thoracic"), ("shoulder", "shoulder"), ("knee", "knee"),
    ("hip", "hip"), ("elbow", "elbow"), ("wrist", "wrist"), ("hand", "wrist"), ("ankle", "ankle"),
    ("foot", "ankle"), ("abdom", "abdomen"), ("gastro", "abdomen"), ("lower extrem", "lumbar"),
    ("upper extrem", "cervical"), ("back", "lumbar"),
)


def canonical_region(text: str | None) -> str | None:
    """A body region word reduced to one canonical name ('low back' -> 'lumbar'), or None."""
    if not text:
        return None
    t = text.lower()
    for word, region in _REGION_WORDS:
        if word in t:
            return region
    return None


def _regions_match(a: str | None, b: str | None) -> bool:
    ra, rb = canonical_region(a), canonical_region(b)
    if ra is None or rb is None:
        return False
    if ra == rb:
        return True
    return {ra, rb} == {"lumbar", "sacroiliac"}


def parse_partial_date(text: str | None) -> dt.date | None:
    """'2015-02-17' -> that date; '2014-01' -> the first of the month; else None."""
    if not text:
        return None
    m = re.match(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


_SPINE = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9",
          "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1"]


def count_levels(levels: Iterable[str]) -> int | None:
    """Spinal levels named by a request: 'L4-L5' -> 1, 'L3-S1' (a range) -> 3, 'L4-5' -> 1."""
    total = 0
    seen = False
    for lv in levels:
        seen = True
        m = re.match(r"^\s*([CTLS])(\d{1,2})\s*[-/]\s*([CTLS])?(\d{1,2})\s*$", lv.upper())
        if not m:
            total += 1
            continue
        a = f"{m.group(1)}{m.group(2)}"
        b = f"{m.group(3) or m.group(1)}{m.group(4)}"
        if a in _SPINE and b in _SPINE and _SPINE.index(b) > _SPINE.index(a):
            total += _SPINE.index(b) - _SPINE.index(a)
        else:
            total += 1
    return total if seen else None


MAX_EVIDENCE = 8  # spans kept per fact: enough to show a reviewer where, without copying the record


def _dedupe_evidence(spans: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: set[tuple[str, int, int]] = set()
    out: list[Evidence] = []
    for e in spans:
        key = (e.document, e.start, e.end)
        if key not in seen:
            seen.add(key)
            out.append(e)
            if len(out) >= MAX_EVIDENCE:
                break
    return tuple(out)


def _ev(*facts: Any) -> tuple[Evidence, ...]:
    """The evidence of the given facts, latest document first, without repeats."""
    ordered = sorted((f for f in facts if f is not None),
                     key=lambda f: getattr(f, "document_date", None) or dt.date.min, reverse=True)
    return _dedupe_evidence(e for f in ordered for e in (getattr(f, "evidence", ()) or ()))


def _merge(*values: FactValue) -> tuple[Evidence, ...]:
    return _dedupe_evidence(e for v in values for e in v.evidence)


_NEG_BEFORE = re.compile(r"\b(no|not|without|negative for|denies|denied|rule out|r/o|ruled out|free of)\b[^.;:]{0,40}$", re.I)


def positive_mention(text: str, rx: re.Pattern[str]) -> bool:
    """Whether `rx` matches `text` somewhere not negated in its clause ('No spondylolisthesis' is not)."""
    return any(not _NEG_BEFORE.search(text[:m.start()]) for m in rx.finditer(text))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _components(generic: str) -> set[str]:
    return {p.strip() for p in re.split(r"[/+,]| and ", generic.lower()) if p.strip()}


def _fact_date(f: Any) -> dt.date:
    return f.document_date or dt.date.min


class DrugTopics:
    """Which topic a generic drug name belongs to: the drug lexicon when present, else the KB's generics."""

    def __init__(self, kb: Any) -> None:
        self._by_generic: dict[str, str] = {}
        if kb is not None:
            for topic in kb.topics.values():
                for g in topic.generics:
                    self._by_generic.setdefault(g.lower(), topic.id)
        self._cache: dict[str, str | None] = {}

    def topic_of(self, generic: str | None) -> str | None:
        if not generic:
            return None
        g = generic.lower()
        if g in self._cache:
            return self._cache[g]
        topic = self._by_generic.get(g)
        if topic is None:
            try:
                from openimr.guidelines.drugs import normalize_drug

                info = normalize_drug(g)
                topic = info.topic if info is not None else None
            except ImportError:  # pragma: no cover - the lexicon is part of the package
                topic = None
        if topic is None:
            for part in sorted(_components(g)):
                topic = self._by_generic.get(part)
                if topic:
                    break
        self._cache[g] = topic
        return topic


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)


def sentence_index(case: CaseFile) -> list[tuple[str, int, int, str, dt.date | None]]:
    """(document id, start, end, sentence, document date) for every sentence of the record."""
    out = []
    for doc in case.documents:
        for m in _SENTENCE.finditer(doc.text):
            s = m.group(0)
            stripped = s.strip()
            if stripped:
                lead = len(s) - len(s.lstrip())
                out.append((doc.id, m.start() + lead, m.start() + lead + len(stripped), stripped, doc.date))
    return out


@dataclass
class FactResolver:
    """Derives named facts for one disputed item, on demand, with their evidence."""

    facts: CaseFacts
    request: ClassifiedRequest
    case: CaseFile
    topic: Topic | None = None
    entry: GuidelineEntry | None = None
    drug_topics: DrugTopics | None = None
    on: dt.date | None = None
    sentences: list[tuple[str, int, int, str, dt.date | None]] | None = None  # shared per case (sentence_index)
    kb: Any = None  # the knowledge base whose parameters (clinical numbers) the derivations read
    _cache: dict[str, FactValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.on is None:
            self.on = self.case.request_date()
        if self.drug_topics is None:
            self.drug_topics = DrugTopics(None)

    # -- public -----------------------------------------------------------------------------------
    def get(self, name: str) -> FactValue:
        if name in self._cache:
            return self._cache[name]
        if fact_spec(name) is None:
            raise KeyError(f"unknown fact {name!r}")
        value = self._derive(name)
        self._cache[name] = value
        return value

    def value(self, name: str) -> Any:
        return self.get(name).value

    def param(self, name: str) -> Any:
        """The value of a knowledge-base parameter in force on the request date (topic's own first), or None.

        Clinical numbers live in the knowledge base (`_parameters.yaml`, a topic's `parameters`), never here;
        a parameter with no value in force leaves the facts that need it undocumented.
        """
        kb = self.kb
        if kb is None:
            from openimr.guidelines.knowledge_base import default_knowledge_base

            kb = default_knowledge_base()
        finder = getattr(kb, "parameter", None)
        param = finder(name, self.topic.id if self.topic is not None else None) if finder else None
        found = param.value_on(self.on) if param is not None else None
        return found.value if found is not None else None

    def conservative_kinds(self) -> frozenset[str]:
        return frozenset(k.lower() for k in (self.param("conservative_care_kinds") or ()))

    # -- dispatch ---------------------------------------------------------------------------------
    def _derive(self, name: str) -> FactValue:
        fn = _DERIVERS.get(name)
        if fn is not None:
            return fn(self)
        if name == "finding.si_positive_count":
            return self._si_count()
        if name.startswith("finding."):
            return self._finding(name.split(".", 1)[1])
        m = re.match(r"^treatment\.([a-z_]+)\.(tried|sessions)$", name)
        if m:
            return self._treatment_kind(m.group(1).replace("_", " "), m.group(2))
        raise KeyError(f"no derivation for fact {name!r}")  # a new vocabulary name: see tests

    # -- helpers: the requested drug ----------------------------------------------------------------
    @property
    def generic(self) -> str | None:
        return self.request.drug.generic.lower() if self.request.drug and self.request.drug.generic else None

    def _same_drug(self, med: Medication) -> bool:
        g = self.generic
        if g:
            if med.generic.lower() == g:
                return True
            return bool(_components(med.generic) & (_components(g) - {"acetaminophen", "apap"}))
        if self.topic is not None and self.topic.category == "drug":
            return self.drug_topics.topic_of(med.generic) == self.topic.id
        return False

    def _matching_meds(self) -> list[Medication]:
        meds = [m for m in self.facts.medications if self._same_drug(m)]
        if not meds and self.generic and self.topic is not None:
            # same topic (e.g. another opioid already taken when an opioid is requested)
            meds = [m for m in self.facts.medications if self.drug_topics.topic_of(m.generic) == self.topic.id]
        return sorted(meds, key=_fact_date, reverse=True)

    def _current_meds(self) -> list[Medication]:
        return [m for m in self.facts.medications if m.status == "current"]

    def _med_class(self, topics: frozenset[str], exclude_requested: bool = True) -> FactValue:
        current = self._current_meds()
        hits = [m for m in current if self.drug_topics.topic_of(m.generic) in topics
                and not (exclude_requested and self._same_drug(m))]
        if hits:
            return FactValue(True, _ev(*hits))
        if current:
            return FactValue(False, ())
        return NONE

    # -- helpers: text search ----------------------------------------------------------------------
    def _sentences(self) -> list[tuple[str, int, int, str, dt.date | None]]:
        if self.sentences is None:
            self.sentences = sentence_index(self.case)
        return self.sentences

    def _text_search(self, pattern: str, require: str | None = None, negate: str | None = None) -> FactValue:
        """True with evidence if a sentence matches `pattern` (and `require`), not negated; else None."""
        rx = re.compile(pattern, re.I)
        req = re.compile(require, re.I) if require else None
        neg = re.compile(negate or r"\b(no|not|denies|without|never|none)\b", re.I)
        ev: list[Evidence] = []
        for doc_id, start, end, sent, _ in self._sentences():
            if rx.search(sent) and (req is None or req.search(sent)) and not neg.search(sent):
                ev.append(Evidence(document=doc_id, start=start, end=end, quote=sent))
        return FactValue(True, tuple(ev[:3])) if ev else NONE

    def _drug_names(self) -> list[str]:
        names: list[str] = []
        if self.generic:
            names.extend(sorted(_components(self.generic) - {"acetaminophen", "apap"}) or [self.generic])
        if self.request.drug and self.request.drug.brand:
            names.append(self.request.drug.brand.lower())
        if self.topic is not None and self.topic.category == "drug":
            names.extend(s.lower() for s in self.topic.synonyms if len(s) > 3)
        return list(dict.fromkeys(names))

    def _topic_pattern(self) -> str | None:
        words: list[str] = []
        if self.topic is not None:
            words.extend([self.topic.name, *self.topic.synonyms])
        if self.request.text:
            words.append(self.request.text)
        words = [w.strip().lower() for w in words if w and len(w.strip()) > 3]
        if not words:
            return None
        return "|".join(re.escape(w) for w in dict.fromkeys(words))

    # -- helpers: findings ------------------------------------------------------------------------
    def _findings(self, name: str) -> list[Finding]:
        return [f for f in self.facts.findings if f.name == name]

    def _finding(self, name: str) -> FactValue:
        found = self._findings(name)
        if not found:
            return NONE
        region = self.request.body_region
        in_region = [f for f in found if region and _regions_match(f.body_region, region)]
        pool = in_region or found
        latest = max(_fact_date(f) for f in pool)
        latest_pool = [f for f in pool if _fact_date(f) == latest]
        present = [f for f in latest_pool if f.present]
        if present:
            return FactValue(True, _ev(*present))
        return FactValue(False, _ev(*latest_pool))

    def _si_count(self) -> FactValue:
        names = [n for n in FINDINGS if n.startswith("si_") and n != "si_tenderness"]
        documented = [(n, self._finding(n)) for n in names]
        documented = [(n, v) for n, v in documented if v.value is not None]
        if not documented:
            return NONE
        positive = [v for _, v in documented if v.value]
        return FactValue(len(positive), _merge(*[v for _, v in documented]))

    # -- helpers: treatments ----------------------------------------------------------------------
    def _treatments_of(self, kinds: Iterable[str]) -> list[Treatment]:
        kinds = set(kinds)
        out = []
        for t in self.facts.treatments:
            if t.status == "planned":
                continue
            k = t.kind.lower()
            detail = (t.detail or "").lower()
            if k in kinds or any(kind in detail for kind in kinds if kind != "injection"):
                out.append(t)
        return out

    def _same_treatments(self) -> list[Treatment]:
        if self.topic is None:
            return []
        kinds = TOPIC_TREATMENT_KINDS.get(self.topic.id)
        if kinds is None:
            name = self.topic.name.lower()
            kinds = tuple(k for k in TREATMENT_KINDS if k in name or k in self.topic.id.replace("-", " "))
        out = self._treatments_of(kinds)
        region = self.request.body_region
        if region and kinds in {("injection",), ("surgery",)}:
            out = [t for t in out if t.body_region is None or _regions_match(t.body_region, region)]
        return sorted(out, key=_fact_date)

    def _treatment_kind(self, kind: str, what: str) -> FactValue:
        ts = self._treatments_of([kind])
        if what == "tried":
            return FactValue(True, _ev(*ts)) if ts else NONE
        sessions = [t.sessions for t in ts if t.sessions is not None]
        return FactValue(sum(sessions), _ev(*ts)) if sessions else NONE

    def _surgeries(self) -> list[Treatment]:
        return [t for t in self.facts.treatments if t.kind.lower() == "surgery" and t.status != "planned"]

    def _regional_surgeries(self) -> list[Treatment]:
        region = self.request.body_region
        return [t for t in self._surgeries() if region is None or t.body_region is None
                or _regions_match(t.body_region, region) or _regions_match(t.detail, region)]

    # -- helpers: studies -------------------------------------------------------------------------
    def _imaging_in_region(self):
        region = self.request.body_region
        return [s for s in self.facts.imaging if region is None or s.body_region is None
                or _regions_match(s.body_region, region)]


# --------------------------------------------------------------------------------------------------
# One function per named fact. Each returns FactValue(value, evidence); value None = undocumented.
# --------------------------------------------------------------------------------------------------

_DERIVERS: dict[str, Callable[[FactResolver], FactValue]] = {}


def _fact(name: str):
    def deco(fn: Callable[[FactResolver], FactValue]):
        assert name in FACTS, name
        _DERIVERS[name] = fn
        return fn

    return deco


@_fact("request.specified")
def _request_specified(r: FactResolver) -> FactValue:
    req = r.request
    if r.topic is not None and r.topic.category == "drug" or req.drug is not None:
        d = req.drug
        if d is None:
            return FactValue(False)
        return FactValue(bool(d.strength) and (d.quantity is not None or bool(d.frequency)))
    if r.topic is not None and r.topic.category in {"therapy", "program"}:
        return FactValue(req.sessions is not None or bool(req.frequency))
    return FactValue(True)


@_fact("request.quantity")
def _request_quantity(r: FactResolver) -> FactValue:
    q = r.request.drug.quantity if r.request.drug else None
    return FactValue(q)


@_fact("request.sessions")
def _request_sessions(r: FactResolver) -> FactValue:
    return FactValue(r.request.sessions)


@_fact("request.levels_count")
def _request_levels(r: FactResolver) -> FactValue:
    n = count_levels(r.request.levels)
    if n is None and r.request.laterality == "bilateral" and r.topic is not None and r.topic.category == "injection":
        return FactValue(None)
    return FactValue(n)


@_fact("request.bilateral")
def _request_bilateral(r: FactResolver) -> FactValue:
    lat = r.request.laterality
    if lat is None:
        return FactValue(bool(re.search(r"\bbilat", r.request.text, re.I)))
    return FactValue(lat == "bilateral")


@_fact("request.purpose_stated")
def _purpose(r: FactResolver) -> FactValue:
    if re.search(r"\b(diagnostic|therapeutic)\b", r.request.text, re.I):
        return FactValue(True)
    pat = r._topic_pattern()
    if pat is None:
        return NONE
    v = r._text_search(r"\b(diagnostic|therapeutic)\b", require=pat, negate=r"\b(unclear|not stated|no stated)\b")
    if v.value:
        return v
    for s in r.facts.plans:
        if re.search(r"\b(diagnostic|therapeutic)\b", s.text, re.I):
            return FactValue(True, _ev(s))
    return NONE


@_fact("request.is_repeat")
def _is_repeat(r: FactResolver) -> FactValue:
    same = r._same_treatments()
    if same:
        return FactValue(True, _ev(*same))
    return FactValue(False)


@_fact("medication.current")
def _med_current(r: FactResolver) -> FactValue:
    meds = r._matching_meds()
    current = [m for m in meds if m.status == "current"]
    if current:
        return FactValue(True, _ev(*current))
    if meds or r.facts.medications:
        return FactValue(False, _ev(*meds))
    return NONE


@_fact("medication.duration_days")
def _med_duration(r: FactResolver) -> FactValue:
    for m in r._matching_meds():
        if m.status != "current":
            continue
        if m.duration_days is not None:
            return FactValue(m.duration_days, _ev(m))
        since = parse_partial_date(m.since)
        if since and r.on:
            return FactValue(max(0, (r.on - since).days), _ev(m))
    return NONE


@_fact("medication.concurrent_opioid")
def _concurrent_opioid(r: FactResolver) -> FactValue:
    return r._med_class(OPIOID_TOPICS)


@_fact("medication.concurrent_benzodiazepine")
def _concurrent_benzo(r: FactResolver) -> FactValue:
    return r._med_class(BENZODIAZEPINE_TOPICS)


@_fact("medication.nsaid_current")
def _nsaid_current(r: FactResolver) -> FactValue:
    return r._med_class(NSAID_TOPICS, exclude_requested=False)


@_fact("medication.first_line_tried")
def _first_line(r: FactResolver) -> FactValue:
    own = r.topic.id if r.topic is not None else None
    meds = [m for m in r.facts.medications if r.drug_topics.topic_of(m.generic) in FIRST_LINE_TOPICS - {own}
            and m.status in {"current", "past"}]
    treats = r._treatments_of(["nsaids"])
    if meds or treats:
        return FactValue(True, _ev(*meds, *treats))
    return NONE


@_fact("medication.indication_documented")
def _indication(r: FactResolver) -> FactValue:
    names = r._drug_names()
    if not names:
        return NONE
    pat = r"\b(" + "|".join(re.escape(n) for n in names) + r")\b"
    return r._text_search(
        pat,
        require=r"\b(for\b[\w\s/-]{0,40}?\b(spasms?|pain|flare(-up)?|exacerbation|sleep|insomnia|anxiety|neuropath\w*|nausea|inflammation|gastr\w*|reflux|dyspepsia|depression|arthritis|osteoarthritis|radicul\w*|protection)|to treat|prescribed for|indicated for|because of|due to)\b",
        negate=r"\b(no (documented )?(indication|reason)|unclear why|does not (report|state) why)\b",
    )


@_fact("medication.daily_med")
def _daily_med(r: FactResolver) -> FactValue:
    factors = r.param("morphine_equivalent_factors")
    if not factors:
        return NONE
    total = 0.0
    ev: list[Any] = []
    found = False
    for m in r._current_meds():
        parts = _components(m.generic)
        factor = next((float(factors[p]) for p in parts if p in factors), None)
        if factor is None:
            continue
        mg = _strength_mg(m.strength)
        per_day = _doses_per_day(m.frequency)
        if mg is None or per_day is None:
            return NONE  # an opioid whose dose is not computable: the total is unknown
        total += mg * per_day * factor
        ev.append(m)
        found = True
    return FactValue(round(total, 1), _ev(*ev)) if found else NONE


def _strength_mg(strength: str | None) -> float | None:
    if not strength:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)", strength)
    return float(m.group(1)) if m else None


_FREQ = {"qd": 1, "daily": 1, "once": 1, "qhs": 1, "hs": 1, "bid": 2, "twice": 2, "tid": 3, "qid": 4}


def _doses_per_day(freq: str | None) -> float | None:
    if not freq:
        return None
    f = freq.lower()
    m = re.search(r"q\s*(\d+)\s*h", f)
    if m and int(m.group(1)) > 0:
        return 24 / int(m.group(1))
    for k, v in _FREQ.items():
        if re.search(rf"\b{k}\b", f):
            return float(v)
    m = re.search(r"(\d+)\s*(?:x|times)\s*(?:a|per)?\s*day", f)
    return float(m.group(1)) if m else None


@_fact("pain.documented")
def _pain_documented(r: FactResolver) -> FactValue:
    return FactValue(True, _ev(*r.facts.pain[:3])) if r.facts.pain else NONE


@_fact("pain.relief_with_medication")
def _pain_relief(r: FactResolver) -> FactValue:
    withs = sorted((p for p in r.facts.pain if p.context == "with medication"), key=_fact_date)
    withouts = sorted((p for p in r.facts.pain if p.context == "without medication"), key=_fact_date)
    if withs and withouts:
        w, wo = withs[-1], withouts[-1]
        return FactValue(w.score < wo.score, _ev(w, wo))
    v = r._text_search(r"\b\d{1,3}\s*(%|percent)\s*(pain\s*)?(relief|reduction|improvement)", require=r"medication|medicine|analges|opioid|" + "|".join(re.escape(n) for n in r._drug_names() or ["medication"]))
    return v


@_fact("pain.latest_score")
def _pain_latest(r: FactResolver) -> FactValue:
    if not r.facts.pain:
        return NONE
    latest = max(_fact_date(p) for p in r.facts.pain)
    pool = [p for p in r.facts.pain if _fact_date(p) == latest]
    pick = next((p for p in pool if p.context in (None, "current", "average", "with medication")), pool[0])
    score = pick.score * 10 / pick.scale_max if pick.scale_max and pick.scale_max != 10 else pick.score
    return FactValue(float(score), _ev(pick))


@_fact("opioid.four_as_documented")
def _four_as(r: FactResolver) -> FactValue:
    analgesia = r.get("pain.relief_with_medication")
    adls = r.get("function.documented")
    adverse = r.get("finding.adverse_effects")
    aberrant = r.get("finding.aberrant_behavior")
    parts = [analgesia, adls, adverse, aberrant]
    if all(p.value is not None for p in parts):
        return FactValue(True, _merge(*parts))
    return NONE


@_fact("opioid.monitoring_documented")
def _monitoring(r: FactResolver) -> FactValue:
    uds = r.get("finding.uds_consistent")
    cures = r.get("finding.cures_reviewed")
    agreement = r.get("finding.opioid_agreement")
    screening = uds.value is not None or cures.value is True
    if screening and agreement.value is True:
        return FactValue(True, _merge(uds, cures, agreement))
    if agreement.value is False or (uds.value is None and cures.value is False):
        return FactValue(False, _merge(uds, cures, agreement))
    return NONE


@_fact("treatment.conservative_tried")
def _conservative_tried(r: FactResolver) -> FactValue:
    kinds = r.conservative_kinds()
    ts = [t for t in r.facts.treatments if t.kind.lower() in kinds and t.status != "planned"]
    if ts:
        return FactValue(True, _ev(*ts[:4]))
    return NONE


@_fact("treatment.conservative_failed")
def _conservative_failed(r: FactResolver) -> FactValue:
    f = r.get("finding.failed_conservative_treatment")
    if f.value is not None:
        return f
    kinds = r.conservative_kinds()
    ts = [t for t in r.facts.treatments if t.kind.lower() in kinds and t.response is not None
          and t.response.function_improved is False]
    if ts:
        return FactValue(True, _ev(*ts))
    return NONE


def _prior_same_latest(r: FactResolver, attr: str) -> FactValue:
    for t in reversed(r._same_treatments()):
        if t.response is not None and getattr(t.response, attr) is not None:
            return FactValue(getattr(t.response, attr), _ev(t))
    return NONE


@_fact("treatment.prior_same.relief_percent")
def _prior_relief(r: FactResolver) -> FactValue:
    return _prior_same_latest(r, "percent_relief")


@_fact("treatment.prior_same.relief_weeks")
def _prior_weeks(r: FactResolver) -> FactValue:
    return _prior_same_latest(r, "duration_weeks")


@_fact("treatment.prior_same.functional_improvement")
def _prior_function(r: FactResolver) -> FactValue:
    for t in reversed(r._same_treatments()):
        resp = t.response
        if resp is None:
            continue
        if resp.function_improved is True or resp.medication_reduced is True:
            return FactValue(True, _ev(t))
        if resp.function_improved is False:
            return FactValue(False, _ev(t))
    return NONE


@_fact("treatment.prior_same.sessions")
def _prior_sessions(r: FactResolver) -> FactValue:
    same = r._same_treatments()
    sessions = [t.sessions for t in same if t.sessions is not None]
    if sessions:
        return FactValue(sum(sessions), _ev(*same))
    return NONE


@_fact("treatment.surgery.days_since")
def _surgery_days(r: FactResolver) -> FactValue:
    best: tuple[dt.date, Treatment] | None = None
    for t in r._regional_surgeries():
        for d in t.dates:
            day = parse_partial_date(d)
            if day and (best is None or day > best[0]):
                best = (day, t)
    if best and r.on:
        return FactValue(max(0, (r.on - best[0]).days), _ev(best[1]))
    return NONE


@_fact("treatment.prior_surgery_region")
def _prior_surgery(r: FactResolver) -> FactValue:
    ts = r._regional_surgeries()
    if ts:
        return FactValue(True, _ev(*ts))
    return FactValue(False) if r.facts.treatments else NONE


def _plan(r: FactResolver, pattern: str) -> FactValue:
    rx = re.compile(pattern, re.I)
    hits = [s for s in r.facts.plans if rx.search(s.kind) or rx.search(s.text)]
    if hits:
        return FactValue(True, _ev(*hits))
    return r._text_search(pattern, require=r"\b(plan|planned|candidate|consider|recommend|schedul|will|would|proceed)", negate=r"\b(no|not|denies|without|never|declines?)\b")


def _plan_or_not(r: FactResolver, pattern: str, negative: str) -> FactValue:
    """True when planned; False when the record says it is not (declined, not a candidate); else None."""
    neg = r._text_search(negative, negate=r"$^")
    if neg.value:
        return FactValue(False, neg.evidence)
    return _plan(r, pattern)


@_fact("plan.neurotomy")
def _plan_neurotomy(r: FactResolver) -> FactValue:
    return _plan_or_not(
        r, r"neurotomy|radiofrequency|rhizotomy|\bRFA\b",
        r"\b(no|not)\b.{0,30}\b(neurotomy|radiofrequency|rhizotomy)\b.{0,20}\b(planned|considered|candidate|contemplated|indicated)\b"
        r"|\b(declines?|declined|does not want)\b.{0,30}\b(neurotomy|radiofrequency|rhizotomy)",
    )


@_fact("plan.surgery")
def _plan_surgery(r: FactResolver) -> FactValue:
    return _plan_or_not(
        r, r"surg|fusion|laminectomy|discectomy|arthroscop|decompression|\brelease\b",
        r"\bnot an? (surgical|operative) candidate|\bnon-?(surgical|operative) candidate|\bno (further )?surgery (is )?(planned|recommended|indicated|contemplated)"
        r"|\b(declines?|declined|does not want|not interested in)\b.{0,20}\bsurg|\bsurgery (is )?not (recommended|indicated|planned)",
    )


@_fact("plan.active_therapy")
def _plan_active(r: FactResolver) -> FactValue:
    hits = [s for s in r.facts.plans if re.search(r"exercise|therapy|return to work|conditioning|rehab", s.kind + " " + s.text, re.I)]
    hits += [t for t in r.facts.treatments if t.kind.lower() == "home exercise program" and t.status != "completed"]
    if hits:
        return FactValue(True, _ev(*hits))
    f = r.get("finding.home_exercise_program")
    if f.value:
        return f
    return _plan(r, r"home exercise|exercise program|active therapy|physical therapy|return to work")


@_fact("diagnosis.radiculopathy")
def _dx_radic(r: FactResolver) -> FactValue:
    rx = re.compile(r"radicul|sciatica", re.I)
    hits = [d for d in r.facts.diagnoses if positive_mention(d.text, rx)]
    if hits:
        return FactValue(True, _ev(*hits))
    return FactValue(False) if r.facts.diagnoses else NONE


@_fact("diagnosis.region_matches")
def _dx_region(r: FactResolver) -> FactValue:
    region = r.request.body_region
    if not region or not r.facts.diagnoses:
        return NONE
    hits = [d for d in r.facts.diagnoses if _regions_match(d.body_region or d.text, region)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False)


@_fact("diagnosis.specific_indication")
def _dx_indication(r: FactResolver) -> FactValue:
    indications = list(getattr(r.topic, "indications", None) or []) if r.topic is not None else []
    if not indications or not r.facts.diagnoses:
        return NONE
    rx = re.compile("|".join(re.escape(i.lower()) for i in indications), re.I)
    hits = [d for d in r.facts.diagnoses if positive_mention(d.text, rx)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False)


@_fact("radiculopathy.corroborated")
def _radic_corroborated(r: FactResolver) -> FactValue:
    exam = [r.get(f"finding.{n}") for n in ("dermatomal_sensory_loss", "motor_weakness", "reflex_change", "straight_leg_raise", "radicular_pain")]
    exam_pos = [v for v in exam if v.value]
    studies = [r.get("imaging.nerve_root_involvement"), r.get("electrodiagnostics.radiculopathy")]
    study_pos = [v for v in studies if v.value]
    if exam_pos and study_pos:
        return FactValue(True, _merge(*exam_pos, *study_pos))
    if all(v.value is False for v in studies) or (exam and all(v.value is False for v in exam)):
        return FactValue(False, _merge(*studies, *exam))
    return NONE


_ROOT_RX = re.compile(r"nerve root|root|foramin|impinge|compress|stenosis|radicul|herniat|extrusion|protrusion", re.I)


@_fact("imaging.nerve_root_involvement")
def _img_root(r: FactResolver) -> FactValue:
    studies = r._imaging_in_region()
    if not studies:
        return NONE
    hits = [s for s in studies if s.present and (s.nerve_root or _ROOT_RX.search(s.finding))]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


@_fact("imaging.prior_same_region")
def _img_prior(r: FactResolver) -> FactValue:
    studies = [s for s in r._imaging_in_region() if r.request.body_region]
    modality = None
    if r.topic is not None and r.topic.category == "imaging":
        modality = "mri" if "mri" in r.topic.id else ("x-ray" if "x-ray" in r.topic.id else None)
    if modality:
        studies = [s for s in studies if modality in s.modality.lower().replace("radiograph", "x-ray")]
    if studies:
        return FactValue(True, _ev(*studies))
    return FactValue(False)


@_fact("imaging.pathology_documented")
def _img_path(r: FactResolver) -> FactValue:
    studies = r._imaging_in_region()
    if not studies:
        return NONE
    hits = [s for s in studies if s.present and not re.search(r"\bnormal\b|unremarkable|no abnormal", s.finding, re.I)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


@_fact("electrodiagnostics.radiculopathy")
def _emg(r: FactResolver) -> FactValue:
    studies = r.facts.electrodiagnostics
    if not studies:
        return NONE
    hits = [s for s in studies if s.present and re.search(r"radicul", s.finding, re.I)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


@_fact("pain.localized")
def _pain_localized(r: FactResolver) -> FactValue:
    diffuse = r._text_search(r"\b(diffuse|widespread|multifocal|multi-focal|whole body|all over)\b", require=r"pain|symptom", negate=r"\b(no|not|denies|without)\b")
    if diffuse.value:
        return FactValue(False, diffuse.evidence)
    # Issue 10 removed a rule that called pain "not localized" whenever it was reported in 3+ body regions:
    # no guideline states it. Only what the record says of the pain's distribution counts.
    focal = r._text_search(r"\b(localized|focal|isolated|point tenderness)\b", require=r"pain|tender")
    if focal.value:
        return focal
    return NONE


@_fact("pain.duration_weeks")
def _pain_weeks(r: FactResolver) -> FactValue:
    doi_fact = r.facts.injured_worker
    doi_date = doi_fact.date_of_injury or (r.case.injured_worker.date_of_injury if r.case.injured_worker else None)
    if doi_date and r.on:
        return FactValue(max(0, (r.on - doi_date).days // 7), _ev(doi_fact))
    return NONE


@_fact("function.documented")
def _function(r: FactResolver) -> FactValue:
    items = r.facts.function + r.facts.work_status
    if items:
        return FactValue(True, _ev(*items[:3]))
    f = r.get("finding.functional_improvement")
    if f.value is not None:
        return FactValue(True, f.evidence)
    return NONE


@_fact("function.goals_documented")
def _goals(r: FactResolver) -> FactValue:
    hits = [s for s in r.facts.function + r.facts.plans if re.search(r"\bgoals?\b", s.kind + " " + s.text, re.I)]
    if hits:
        return FactValue(True, _ev(*hits))
    return r._text_search(r"\b(functional )?goals?\b", require=r"function|walk|lift|sit|stand|work|activit|sleep|return", negate=r"\b(no|not|without|unclear)\b")


@_fact("work.return_to_work_goal")
def _rtw(r: FactResolver) -> FactValue:
    hits = [s for s in r.facts.plans + r.facts.function + r.facts.work_status if re.search(r"return to (work|duty)", s.text, re.I)]
    if hits:
        return FactValue(True, _ev(*hits))
    return r._text_search(r"return to (work|duty|full duty|modified duty)", negate=r"\b(no plan|not expected|unable|will not|never)\b")


@_fact("psych.evaluation_done")
def _psych(r: FactResolver) -> FactValue:
    ts = [t for t in r.facts.treatments if re.search(r"psych", (t.kind + " " + (t.detail or "")), re.I) and t.status != "planned"]
    if ts:
        return FactValue(True, _ev(*ts))
    return r._text_search(r"psycholog\w* (evaluation|assessment|screening|testing)", require=r"\b(completed|performed|done|underwent|was evaluated|showed|revealed|found|cleared)\b", negate=r"\b(not|no|never|pending|recommended|request)\b")


@_fact("patient.motivated")
def _motivated(r: FactResolver) -> FactValue:
    return r._text_search(r"\b(motivated|motivation|willing(ness)? to)\b", negate=r"\b(not|no|poorly|un)motivat|\bnot willing|\bunwilling")


@_fact("patient.age")
def _age(r: FactResolver) -> FactValue:
    w = r.facts.injured_worker
    if w.age is not None:
        return FactValue(w.age, _ev(w))
    if r.case.injured_worker and r.case.injured_worker.age is not None:
        return FactValue(r.case.injured_worker.age)
    return NONE


@_fact("homebound")
def _homebound(r: FactResolver) -> FactValue:
    v = r._text_search(r"\bhome ?bound\b|\bbedbound\b|\bbed-bound\b|unable to leave (the )?home")
    if v.value:
        return v
    neg = r._text_search(r"\bhome ?bound\b", negate=r"$^")
    if neg.value:  # mentioned, but only negated ("not homebound")
        return FactValue(False, neg.evidence)
    amb = r._text_search(r"\b(drove|drives|ambulat\w* (independently|without)|walks? (independently|without assist)|attends? (the )?office|came to the (clinic|office))\b")
    if amb.value:
        return FactValue(False, amb.evidence)
    return NONE


@_fact("exam.findings_documented")
def _exam(r: FactResolver) -> FactValue:
    region = r.request.body_region
    fs = [f for f in r.facts.findings if f.name not in {"uds_consistent", "cures_reviewed", "opioid_agreement",
          "aberrant_behavior", "adverse_effects", "return_to_work", "home_exercise_program", "insomnia",
          "anxiety", "depression", "failed_conservative_treatment", "functional_improvement", "gi_symptoms"}]
    if region:
        fs = [f for f in fs if f.body_region is None or _regions_match(f.body_region, region)]
    if fs:
        return FactValue(True, _ev(*fs[:4]))
    return NONE


_SYSTEM_FINDINGS = {"abdomen": ("gi_symptoms",), "psych": ("anxiety", "depression")}


@_fact("symptoms.region_documented")
def _symptoms_region(r: FactResolver) -> FactValue:
    region = r.request.body_region
    text = (r.request.text + " " + (region or "")).lower()
    system = None
    if re.search(r"gastro|\bgi\b|abdom|internal medicine", text):
        system = "abdomen"
    elif re.search(r"psych", text):
        system = "psych"
    if system:
        vals = [r.get(f"finding.{n}") for n in _SYSTEM_FINDINGS[system]]
        pos = [v for v in vals if v.value]
        if pos:
            return FactValue(True, _merge(*pos))
        if any(v.value is False for v in vals):
            return FactValue(False, _merge(*vals))
        return NONE
    canon = canonical_region(region)
    if canon is None:
        return FactValue(True, _ev(*r.facts.pain[:2])) if r.facts.pain else NONE
    hits = [p for p in r.facts.pain if _regions_match(p.body_region, region)]
    hits += [f for f in r.facts.findings if f.present and _regions_match(f.body_region, region)]
    hits += [d for d in r.facts.diagnoses if _regions_match(d.body_region or d.text, region)]
    return FactValue(True, _ev(*hits[:4])) if hits else NONE


def derivable(name: str) -> bool:
    """Whether the engine derives this fact name (every vocabulary name must be)."""
    if name in _DERIVERS:
        return True
    if name == "finding.si_positive_count":
        return True
    if name.startswith("finding.") and name.split(".", 1)[1] in FINDINGS:
        return True
    m = re.match(r"^treatment\.([a-z_]+)\.(tried|sessions)$", name)
    return bool(m and m.group(1).replace("_", " ") in TREATMENT_KINDS)


# -- facts added for the procedure / non-drug topics -------------------------------------------------


@_fact("request.therapeutic")
def _therapeutic(r: FactResolver) -> FactValue:
    m = re.search(r"\b(therapeutic|diagnostic)\b", r.request.text, re.I)
    if m:
        return FactValue(m.group(1).lower() == "therapeutic")
    pat = r._topic_pattern()
    if pat is None:
        return NONE
    ther = r._text_search(r"\btherapeutic\b", require=pat, negate=r"\b(not|no)\s+therapeutic\b")
    diag = r._text_search(r"\bdiagnostic\b", require=pat, negate=r"\b(not|no)\s+diagnostic\b")
    if ther.value and not diag.value:
        return ther
    if diag.value and not ther.value:
        return FactValue(False, diag.evidence)
    return NONE


@_fact("request.reason_stated")
def _reason_stated(r: FactResolver) -> FactValue:
    pat = r._topic_pattern()
    if pat is None:
        return NONE
    return r._text_search(
        pat,
        require=r"\b(to (evaluate|assess|rule out|address|manage|treat|determine|confirm|help|improve|monitor)|for (evaluation|assessment|management|treatment) of|because|due to|given (his|her|the)|in order to|reason|secondary to|to r/o|r/o)\b",
        negate=r"\b(unclear why|no (stated )?reason|not (stated|explained|discussed)|does not (state|explain|discuss))\b",
    )


_VISCO = r"hyaluron|viscosupp|synvisc|orthovisc|supartz|euflexxa|hyalgan|gel-?one|monovisc|gelsyn|durolane"


@_fact("request.viscosupplementation")
def _visco(r: FactResolver) -> FactValue:
    return FactValue(bool(re.search(_VISCO, r.request.text, re.I)))


@_fact("request.trial")
def _trial(r: FactResolver) -> FactValue:
    t = r.request.text
    if re.search(r"\b(trial|rental|rent)\b", t, re.I):
        return FactValue(True)
    if re.search(r"\b(purchase|implant|implantation|permanent|buy)\b", t, re.I):
        return FactValue(False)
    return NONE


@_fact("request.duration_days")
def _req_duration(r: FactResolver) -> FactValue:
    t = r.request.text.lower()
    m = re.search(r"(\d+)\s*-?\s*(day|week|month)s?\b", t)
    if not m:
        return NONE
    n = int(m.group(1))
    return FactValue(n * {"day": 1, "week": 7, "month": 30}[m.group(2)])


@_fact("request.total_sessions")
def _total_sessions(r: FactResolver) -> FactValue:
    req = r.get("request.sessions")
    if req.value is None:
        return NONE
    prior = r.get("treatment.prior_same.sessions")
    return FactValue(req.value + (prior.value or 0), prior.evidence)


_BODY_REGION_FACT: tuple[tuple[str, str], ...] = (
    ("lower extrem", "lower extremity"), ("upper extrem", "upper extremity"), ("bilateral lower", "lower extremity"),
    ("sacroiliac", "lumbar"), ("si joint", "lumbar"), ("lumbosacral", "lumbar"), ("lumbar", "lumbar"),
    ("low back", "lumbar"), ("lower back", "lumbar"), ("thoracic", "thoracic"), ("cervical", "cervical"),
    ("neck", "cervical"), ("shoulder", "shoulder"), ("elbow", "elbow"), ("wrist", "wrist/hand"),
    ("hand", "wrist/hand"), ("carpal", "wrist/hand"), ("finger", "wrist/hand"), ("hip", "hip"),
    ("knee", "knee"), ("ankle", "ankle/foot"), ("foot", "ankle/foot"), ("feet", "ankle/foot"),
    ("leg", "lower extremity"), ("arm", "upper extremity"), ("back", "lumbar"),
)


@_fact("request.body_region")
def _req_region(r: FactResolver) -> FactValue:
    for text in (r.request.body_region, r.request.text):
        if not text:
            continue
        t = text.lower()
        for word, region in _BODY_REGION_FACT:
            if re.search(r"\b" + re.escape(word), t):
                return FactValue(region)
    return NONE


@_fact("request.skilled_care")
def _skilled(r: FactResolver) -> FactValue:
    skilled = r"nurs|skilled|wound|physical therap|occupational therap|medication (administration|management)|injection|infusion|catheter"
    custodial = r"homemaker|housekeep|personal care|chores|cleaning|cooking|shopping|bathing|dressing|custodial|attendant"
    t = r.request.text
    if re.search(skilled, t, re.I):
        return FactValue(True)
    if re.search(custodial, t, re.I):
        return FactValue(False)
    v = r._text_search(skilled, require=r"home (health|care)|in[- ]home")
    if v.value:
        return v
    v = r._text_search(custodial, require=r"home (health|care)|aide|assist")
    if v.value:
        return FactValue(False, v.evidence)
    return NONE


@_fact("request.hours_per_week")
def _hours(r: FactResolver) -> FactValue:
    t = r.request.text.lower()
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:hours?|hrs?)\s*(?:per|a|/|x)\s*(day|week|wk)(?:\D+(\d+)\s*days?)?", t)
    if not m:
        return NONE
    hours = float(m.group(1))
    if m.group(2) == "day":
        days = int(m.group(3)) if m.group(3) else 7
        hours *= days
    return FactValue(hours)


_SURGERY_TYPES: tuple[tuple[str, str], ...] = (
    (r"discectomy|diskectomy|microdisc", "discectomy"), (r"laminectomy|laminotomy|foraminotomy|decompression.*lumbar|lumbar.*decompression", "laminectomy"),
    (r"(lumbar|l\d).*fusion|fusion.*(lumbar|l\d)|tlif|plif|alif", "lumbar fusion"),
    (r"(cervical|c\d).*fusion|fusion.*(cervical|c\d)|acdf", "cervical fusion"),
    (r"meniscectomy|menisc", "meniscectomy"), (r"\bacl\b|anterior cruciate", "acl reconstruction"),
    (r"arthroplasty|replacement", "knee arthroplasty"), (r"rotator cuff", "rotator cuff repair"),
    (r"subacromial|acromioplasty", "subacromial decompression"), (r"carpal tunnel", "carpal tunnel release"),
    (r"knee.*arthroscop|arthroscop.*knee", "knee arthroscopy"), (r"shoulder.*arthroscop|arthroscop.*shoulder", "shoulder arthroscopy"),
)


@_fact("treatment.surgery.type")
def _surgery_type(r: FactResolver) -> FactValue:
    surgeries = r._regional_surgeries()
    if not surgeries:
        return NONE

    def key(t: Treatment) -> dt.date:
        ds = [d for d in (parse_partial_date(x) for x in t.dates) if d]
        return max(ds) if ds else (t.document_date or dt.date.min)

    latest = max(surgeries, key=key)
    text = f"{latest.detail or ''} {latest.body_region or ''}".lower()
    for rx, name in _SURGERY_TYPES:
        if re.search(rx, text):
            if name == "knee arthroplasty" and "knee" not in text:
                continue
            return FactValue(name, _ev(latest))
    return FactValue("other", _ev(latest))


@_fact("diagnostic_block.positive")
def _block_positive(r: FactResolver) -> FactValue:
    blocks = [t for t in r._treatments_of(["medial branch block", "facet injection"])
              if t.kind.lower() == "medial branch block" or re.search(r"diagnostic|medial branch", t.detail or "", re.I)]
    threshold = r.param("diagnostic_block_positive_relief_percent")
    for t in sorted(blocks, key=_fact_date, reverse=True):
        if t.response is not None and t.response.percent_relief is not None:
            if threshold is None:
                return NONE
            return FactValue(t.response.percent_relief >= threshold, _ev(t))
    rx = re.compile(r"\b(medial branch|diagnostic( facet)?)( nerve)? blocks?\b", re.I)
    for doc_id, start, end, sent, _ in r._sentences():
        if not rx.search(sent) or re.search(r"\b(if|plan|plans|planned|request\w*|will|would|recommend\w*|schedul\w*)\b", sent, re.I):
            continue
        m = re.search(r"(\d{1,3})\s*(%|percent)", sent)
        if m:
            if threshold is None:
                return NONE
            return FactValue(int(m.group(1)) >= threshold, (Evidence(document=doc_id, start=start, end=end, quote=sent),))
        if re.search(r"\b(positive|successful|excellent)\b", sent, re.I) and not re.search(r"\b(not|no|negative)\b", sent, re.I):
            return FactValue(True, (Evidence(document=doc_id, start=start, end=end, quote=sent),))
    return NONE


@_fact("electrodiagnostics.carpal_tunnel")
def _emg_cts(r: FactResolver) -> FactValue:
    studies = r.facts.electrodiagnostics
    if not studies:
        return NONE
    hits = [s for s in studies if s.present and re.search(r"carpal tunnel|median (neuropathy|nerve)", s.finding, re.I)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


@_fact("symptoms.significant_change")
def _sig_change(r: FactResolver) -> FactValue:
    if r.get("finding.progressive_neurologic_deficit").value or r.get("finding.red_flags").value:
        return FactValue(True, _merge(r.get("finding.progressive_neurologic_deficit"), r.get("finding.red_flags")))
    return r._text_search(
        r"\b(new|worsen\w*|progressive|progressing|significant(ly)? (change|increase|worse)|increased|new onset)\b",
        require=r"pain|numb|weakness|symptom|deficit|tingling|radiat",
        negate=r"\b(no new|not worse|unchanged|stable|no change|no significant change)\b",
    )


@_fact("opioid.current")
def _opioid_current(r: FactResolver) -> FactValue:
    return r._med_class(OPIOID_TOPICS, exclude_requested=False)


@_fact("uds.count_past_year")
def _uds_count(r: FactResolver) -> FactValue:
    window = r.param("uds_count_window_days")
    if window is None:
        return NONE
    dates: dict[tuple[str, dt.date | None], list[Any]] = {}
    for f in r._findings("uds_consistent"):
        if r.on and f.document_date and (r.on - f.document_date).days > window:
            continue
        key = (f.evidence[0].document if f.evidence else "", f.document_date)
        dates.setdefault(key, []).append(f)
    return FactValue(len(dates), _ev(*[v[0] for v in dates.values()]))


@_fact("work.mmi")
def _mmi(r: FactResolver) -> FactValue:
    return r._text_search(r"maximal medical improvement|maximum medical improvement|\bMMI\b|permanent and stationary|\bP&S\b",
                          negate=r"\b(not (yet )?(at|reached)|not p&s|not permanent)\b")


# -- facts added for the imaging, DME and service topics (issue 10) ----------------------------------


@_fact("imaging.radiographs_done")
def _radiographs(r: FactResolver) -> FactValue:
    studies = [s for s in r._imaging_in_region() if re.search(r"x-?ray|radiograph|plain film", s.modality, re.I)]
    if studies:
        return FactValue(True, _ev(*studies))
    return FactValue(False) if r.facts.imaging else NONE


@_fact("function.mobility_limited")
def _mobility(r: FactResolver) -> FactValue:
    v = r._text_search(
        r"non-?ambulatory|unable to (walk|ambulate|bear weight)|cannot (walk|ambulate|bear weight)|non-?weight[- ]bearing|"
        r"\bNWB\b|wheelchair[- ]bound|bed[- ]?bound|bedridden|confined to (bed|a wheelchair)",
        negate=r"\b(no longer|not|denies)\b")
    if v.value:
        return v
    amb = r._text_search(r"\b(ambulat\w* (independently|without)|walks? (independently|without assist|normally)|normal gait|drove)\b")
    if amb.value:
        return FactValue(False, amb.evidence)
    return NONE


@_fact("function.cannot_self_transport")
def _transport(r: FactResolver) -> FactValue:
    v = r._text_search(r"unable to drive|cannot drive|can not drive|not (able|allowed|cleared) to drive|no (means of )?transportation|"
                       r"no one to drive|unable to use public transport", negate=r"$^")
    if v.value:
        return v
    drives = r._text_search(r"\b(drove|drives|driving)\b", negate=r"\b(not|unable|cannot|no longer)\b")
    if drives.value:
        return FactValue(False, drives.evidence)
    return NONE


@_fact("hearing.loss_documented")
def _hearing(r: FactResolver) -> FactValue:
    return r._text_search(r"audiogram|audiometr|hearing loss|sensorineural|hard of hearing|hearing impairment",
                          negate=r"\b(no|denies|without|normal hearing)\b")


@_fact("opioid.risk_level")
def _opioid_risk(r: FactResolver) -> FactValue:
    rx = re.compile(r"\b(low|moderate|medium|high)[- ]risk\b", re.I)
    for doc_id, start, end, sent, _ in r._sentences():
        m = rx.search(sent)
        if m and re.search(r"opioid|misuse|addiction|abuse|aberran|\bORT\b|SOAPP|COMM|drug", sent, re.I):
            level = {"medium": "moderate"}.get(m.group(1).lower(), m.group(1).lower())
            return FactValue(level, (Evidence(document=doc_id, start=start, end=end, quote=sent),))
    return NONE


@_fact("request.approach")
def _approach(r: FactResolver) -> FactValue:
    t = r.request.text
    if re.search(r"transforaminal|\bTF(?:ESI|E)?\b|selective nerve root|\bSNRB", t, re.I):
        return FactValue("transforaminal")
    if re.search(r"interlaminar|\bILESI\b|\bIL\b", t, re.I):
        return FactValue("interlaminar")
    if re.search(r"caudal", t, re.I):
        return FactValue("caudal")
    return NONE
