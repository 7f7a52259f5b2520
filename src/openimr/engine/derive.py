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

from openimr.lexicon import (
    canonical_region,
    count_levels,
    doses_per_day,
    expand_abbreviations,
    level_region,
    same_region,
    strength_mg,
    to_date,
)
from openimr.lexicon.dates import DATE_RX, date_from_match
from openimr.lexicon.numbers import NUM, to_int
from openimr.lexicon.regions import limb_of, regions_in
from openimr.models.case import CaseFile
from openimr.models.facts import CaseFacts, Cue, Evidence, Finding, Medication, StudyFinding, Treatment
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
    "hip-injections": ("injection",),
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
    "cervical-spine-surgery": ("surgery",),
    "knee-arthroscopy": ("surgery",),
    "shoulder-arthroscopy": ("surgery",),
    "carpal-tunnel-release": ("surgery",),
}

# Joint injections whose repeat criteria depend on the injectate (`FactResolver._same_injectate`).
JOINT_INJECTION_TOPICS = frozenset({"knee-injections", "shoulder-injections", "hip-injections"})
_STEROID_INJECTATE = re.compile(r"\b(kenalog|triamcinolone|depo[- ]?medrol|methylprednisolone|dexamethasone|"
                                r"betamethasone|celestone|cortisone|corticosteroid|steroid|cs|csi)\b", re.I)  # CSI: corticosteroid injection

# Topic ids whose drugs form the drug classes some facts name (mapping, not a clinical rule).
OPIOID_TOPICS = frozenset({"opioids", "tramadol", "buprenorphine", "methadone", "fentanyl-transdermal"})
BENZODIAZEPINE_TOPICS = frozenset({"benzodiazepines"})
NSAID_TOPICS = frozenset({"nsaids"})
POSTSURGICAL_TOPICS = frozenset({"postsurgical-physical-therapy"})
FIRST_LINE_TOPICS = frozenset({"nsaids", "acetaminophen", "antidepressants", "antiepileptics"})


# Documents that restate or review the request rather than record care: the request for authorization,
# the utilization review determination, the IMR application. What they say a worker takes or has had
# is the request (or the reviewer's reading of it), not a clinical finding, so they do not make a drug
# current or a course prior (issue #11: "which document speaks").
# examination signs of the lesion that, found after conservative care, show it persists
# (neurologic signs only: a joint's provocative tests persist while its conservative care is still under way, and
# reading them so turned two decompressions and a meniscectomy to Overturned on the realistic sets)
_LIMB_SIGNS = frozenset({"motor_weakness", "dermatomal_sensory_loss", "reflex_change"})
_PERSISTING_SIGNS = frozenset({"tinel_phalen", "motor_weakness", "dermatomal_sensory_loss"})

REQUEST_DOCUMENT_TYPES = frozenset({
    "rfa", "request_for_authorization", "ur_decision", "utilization_review", "ur", "ur_letter",
    "ur_determination", "imr_application", "application",
})


def _regions_match(a: str | None, b: str | None) -> bool:
    return same_region(a, b)


parse_partial_date = to_date  # kept for callers: one date reader, the lexicon's


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
    kb: Any = None  # the knowledge base whose parameters (clinical numbers) the derivations read
    _cache: dict[str, FactValue] = field(default_factory=dict)
    # issue 11 (devdec): the draft decisions of the surgeries disputed in the same case ((request, decision,
    # region) triples), filled on the engine's second pass; None on the first pass and outside a case review
    procedures: tuple[tuple[str, str | None, str | None], ...] | None = None

    def __post_init__(self) -> None:
        self._doc_types = {d.id: (d.type or "").lower() for d in self.case.documents}
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

    def _clinical(self, f: Any) -> bool:
        """Whether a fact was read from a clinical document, not only from one that restates the request."""
        ev = getattr(f, "evidence", None) or ()
        return not ev or any(self._doc_types.get(e.document, "") not in REQUEST_DOCUMENT_TYPES for e in ev)

    def _ur_document(self, f: Any) -> bool:
        """Whether a fact was read only from utilization review determinations (the reviewer's words)."""
        ev = getattr(f, "evidence", None) or ()
        return bool(ev) and all(self._doc_types.get(e.document, "").startswith("ur") or
                                self._doc_types.get(e.document, "") == "utilization_review" for e in ev)

    def _clinical_meds(self) -> list[Medication]:
        return [m for m in self.facts.medications if self._clinical(m)]

    def _started_now(self, med: Medication) -> bool:
        """Whether the record calls this drug a first prescription ("Start gabapentin", "(new)"): a drug
        started with the request has not yet been tried."""
        names = {med.generic.lower(), *(_components(med.generic) - {"acetaminophen", "apap"})}
        if med.brand:
            names.add(med.brand.lower())
        pat = r"\b(" + "|".join(re.escape(n) for n in sorted(names) if n) + r")\b"
        return any(not self._ur_document(c) and _fact_date(c) >= _fact_date(med) and _starts_named(c.text, pat)
                   for c in self._cues("first_time", mentions=pat))

    def _matching_meds(self) -> list[Medication]:
        pool = self._clinical_meds()
        meds = [m for m in pool if self._same_drug(m)]
        if not meds and self.generic and self.topic is not None:
            # same topic (e.g. another opioid already taken when an opioid is requested)
            meds = [m for m in pool if self.drug_topics.topic_of(m.generic) == self.topic.id]
        return sorted(meds, key=_fact_date, reverse=True)

    def _beside_requested_drug(self, fact: Any, reach: int = 80) -> bool:
        """(drugs9) The requested drug (or one of its topic) is named in the same document just before this fact."""
        ev = getattr(fact, "evidence", None) or ()
        if not ev:
            return False
        doc, start = ev[0].document, ev[0].start
        return any(e.document == doc and 0 <= start - e.start <= reach for m in self._matching_meds() for e in m.evidence)

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

    # -- helpers: sentence cues (from the extractor) -----------------------------------------------
    def _cues(self, name: str, mentions: str | None = None) -> list[Cue]:
        """The record's cues of one name; with `mentions`, only those whose sentence names the request."""
        rx = re.compile(mentions, re.I) if mentions else None
        return [c for c in self.facts.cues if c.name == name and (rx is None or rx.search(c.text))]

    def _cue(self, name: str, mentions: str | None = None) -> FactValue:
        """True with the sentences' evidence when the record states the cue; else None."""
        hits = [c for c in self._cues(name, mentions) if c.present]
        return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE

    def _drug_names(self) -> list[str]:
        names: list[str] = []
        if self.generic:
            names.extend(sorted(_components(self.generic) - {"acetaminophen", "apap"}) or [self.generic])
        if self.request.drug and self.request.drug.brand:
            names.append(self.request.drug.brand.lower())
        if self.topic is not None and self.topic.category == "drug":
            names.extend(s.lower() for s in self.topic.synonyms if len(s) > 3)
        return list(dict.fromkeys(names))

    def _own_names(self) -> list[str]:
        """(drugs9) The requested drug's names: the topic's class words ("opioid", "sleep aid") but no other drug of
        the topic ("Begin trazodone" does not start the Ambien of the same sleep-aid topic)."""
        from openimr.guidelines.drugs import normalize_drug

        own = _components(self.generic) if self.generic else set()
        out = []
        for n in self._drug_names():
            info = normalize_drug(n, fuzzy=False)
            if info is None or not own or _components(info.generic) & own:
                out.append(n)
        return out

    def _treatment_words(self) -> str | None:
        """A pattern naming the requested treatment as a record would (its kinds, the topic's names)."""
        if self.topic is None:
            return None
        words = [*TOPIC_TREATMENT_KINDS.get(self.topic.id, ()), self.topic.name, *self.topic.synonyms]
        short = [w.strip().upper() for w in words if w and 2 <= len(w.strip()) <= 3 and w.strip().isalpha()]
        words = [w.strip().lower() for w in words if w and len(w.strip()) > 3 and w.strip().lower() not in {"injection", "surgery"}]
        # abbreviations ("PT", "OT", "CMT") only as written, in capitals: "pt" is also the patient
        alts = [re.escape(w) for w in dict.fromkeys(words)] + [f"(?-i:{re.escape(w)})\\b" for w in dict.fromkeys(short)]
        return r"\b(" + "|".join(alts) + r")" if alts else None

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
        if not in_region and name in _LIMB_SIGNS and limb_of(region):
            # a neurologic sign placed in the other limb ("tingling in the toes" for a neck study) says nothing of
            # the nerves the request is about: the cervical roots run in the arm, the lumbar roots in the leg (letters9)
            found = [f for f in found if limb_of(f.body_region) in (None, limb_of(region))]
            if not found:
                return NONE
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
            if t.status == "planned" or not self._clinical(t):
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
        if self.topic.id in POSTSURGICAL_TOPICS:
            out = self._after_surgery(out)
        if self.topic.id in JOINT_INJECTION_TOPICS:
            out = self._same_injectate(out)
        if self.topic.category == "therapy":
            out = self._this_episode(out)
        return sorted(out, key=_fact_date)

    def _this_episode(self, courses: list[Treatment]) -> list[Treatment]:
        """Courses of the present episode of care: a course the record dates a year or more before the request
        ("Last PT 2014") belongs to an earlier episode when the record documents a new flare-up or new loss of
        walking, so it is neither a prior course of the one requested nor counted in its visits (issue #11, inj9;
        the interval is the topic's knowledge-base parameter, absent for topics where it does not apply)."""
        days = self.param("therapy_prior_episode_days")
        if days is None or self.on is None or not courses:
            return courses
        if self._finding("acute_exacerbation").value is not True and self._cue("gait_impaired").value is not True:
            return courses
        cutoff = self.on - dt.timedelta(days=days)
        return [t for t in courses if (_course_end(t) or cutoff) >= cutoff]

    def _same_injectate(self, injections: list[Treatment]) -> list[Treatment]:
        """A joint injection repeats only an injection of the same kind: a steroid injection ("Kenalog inj") is not
        a prior hyaluronic acid series, nor a Synvisc series a prior steroid injection. One whose product is not
        named stays (it may be either)."""
        visco = bool(re.search(_VISCO, self.request.text, re.I))
        other = _STEROID_INJECTATE if visco else re.compile(_VISCO, re.I)
        return [t for t in injections if not other.search(f"{t.detail or ''} {t.kind}")]

    def _companion_surgery(self) -> str | None:
        """The type of a surgery disputed in the same case (post-operative care requested with it), if any."""
        for item in self.case.disputed_items:
            if item.request == self.request.text:
                continue
            for rx, name in _SURGERY_TYPES:
                if re.search(rx, item.request, re.I) and not re.search(r"post[- ]?op|therap|rehab", item.request, re.I):
                    return name
        return None

    def _after_surgery(self, courses: list[Treatment]) -> list[Treatment]:
        """Post-operative courses only: therapy before the surgery is not a prior post-surgical course, and
        none has been given after a surgery the case still disputes."""
        if self._companion_surgery() is not None:
            return []
        days = self.get("treatment.surgery.days_since").value
        if days is None or self.on is None:
            return courses
        surgery_day = self.on - dt.timedelta(days=days)

        def when(t: Treatment) -> dt.date:
            ds = [d for d in (parse_partial_date(x) for x in t.dates) if d]
            return max(ds) if ds else (t.document_date or dt.date.min)

        return [t for t in courses if when(t) >= surgery_day]

    def _treatment_kind(self, kind: str, what: str) -> FactValue:
        ts = self._treatments_of([kind])
        if what == "tried":
            return FactValue(True, _ev(*ts)) if ts else NONE
        sessions = [t.sessions for t in ts if t.sessions is not None]
        return FactValue(sum(sessions), _ev(*ts)) if sessions else NONE

    def _post_op_words(self) -> bool:
        return bool(re.search(r"\bpost[- ]?op(erative(ly)?)?\b|\bafter (the )?surgery\b", self.request.text, re.I))

    def _post_operative_request_day(self) -> dt.date | None:
        """The day of the surgery a drug request is "post-operative" for, when the request says so and the
        record dates a surgery before the request (a surgery still disputed has not happened: None)."""
        if not self._post_op_words():
            return self._recent_surgery_day()
        days = self.get("treatment.surgery.days_since").value
        if days is None or self.on is None:
            return None
        return self.on - dt.timedelta(days=days)

    def _recent_surgery_day(self) -> dt.date | None:
        """(drugs9) An opioid requested within the acute post-operative period (a KB parameter) of a surgery the
        record documents as done is for that surgery's pain, whether or not the request says "post-operative"."""
        if self.topic is None or self.topic.id not in OPIOID_TOPICS or self._companion_surgery() or not self._surgeries():
            return None
        limit = self.param("post_operative_acute_days")
        if limit is None or self.on is None:
            return None
        # the operation's own report dates it ("s/p fusion 2012" in today's note is not an operation of today)
        days = [d.date for d in self.case.documents if d.date is not None and "operative" in (d.type or "").lower()
                and 0 <= (self.on - d.date).days <= limit]
        return max(days) if days else None

    def _planned_surgery_day(self) -> dt.date | None:
        """(r10drug) A drug requested "post-operative" for a surgery the record plans but has not yet done ("meniscectomy
        scheduled 8/29, authorized"; "post-op orders: Percocet"): the first note that plans it. None when a surgery is
        done or disputed with the request (those have their own readings)."""
        if not self._post_op_words() or self._companion_surgery() or self._surgeries():
            return None
        days = [t.document_date for t in self.facts.treatments
                if t.kind.lower() == "surgery" and t.status == "planned" and t.document_date is not None
                and (self.on is None or t.document_date <= self.on)]
        return min(days) if days else None

    def _surgeries(self) -> list[Treatment]:
        return [t for t in self.facts.treatments if t.kind.lower() == "surgery" and t.status != "planned"]

    def _regional_surgeries(self) -> list[Treatment]:
        region = self.request.body_region
        return [t for t in self._surgeries() if region is None or t.body_region is None
                or _regions_match(t.body_region, region) or _regions_match(t.detail, region)]

    def _persisting_symptoms(self, after: dt.date) -> list[Any]:
        """Symptoms still there on or after `after`: a pain score above 0 in the latest note, or a
        sentence saying they continue ("continued numbness", "remains symptomatic", "despite therapy")."""
        scores = [p for p in self.facts.pain if _fact_date(p) >= after]
        if scores:
            latest = max(_fact_date(p) for p in scores)
            hits = [p for p in scores if _fact_date(p) == latest and p.score > 0][:2]
            if hits:
                return hits
        # r14surg: or the care is said to have changed nothing in them ("no change in mechanical sx")
        said = [c for name in ("persistent_symptoms", "care_changed_nothing") for c in self._cues(name)
                if c.present and _fact_date(c) >= after][:2]
        if said:
            return said
        # the examination after the care still finds the lesion's signs (issue #11, rehab: "Tinel +, Phalen +, APB
        # 4/5" in the surgeon's note after splints, NSAIDs and an injection)
        signs = [f for f in self.facts.findings if f.present and f.name in _PERSISTING_SIGNS and self._clinical(f)
                 and _fact_date(f) >= after]
        if signs:
            latest = max(_fact_date(f) for f in signs)
            return [f for f in signs if _fact_date(f) == latest][:2]
        return []

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
    v = r._cue("purpose_stated", mentions=pat)
    if v.value:
        return v
    for s in r.facts.plans:
        if re.search(r"\b(diagnostic|therapeutic)\b", s.text, re.I):
            return FactValue(True, _ev(s))
    return NONE


# How a request names itself as a continuation or a first course ("additional 6 PT", "initial trial").
_REPEAT_REQUEST = re.compile(r"\b(additional|continued|continue|continuation|further|another|repeat(ed)?|"
                             r"second|more|extra|ongoing|re-?trial|resume)\b", re.I)
_EVALUATION_REQUEST = re.compile(r"\b(evaluation|eval|assessment|consult(ation)?|testing)\b", re.I)
_COURSE_WORDS = re.compile(r"\b(therapy|treatments?|sessions?|visits?|psychotherapy|cbt)\b", re.I)
_INITIAL_PLAN = re.compile(r"\b(?:initial|first)\s+(?:\w+\s+){0,2}?(?:sessions?|visits?|trial|course)\b|\btrial\s+of\b", re.I)
_INITIAL_REQUEST = re.compile(r"\b(initial|first|trial|new)\b", re.I)
# A request reviewed after the service was given ("Retrospective injection ...", "retro DOS 12/9"): the record
# names that service as done, so its bare mentions are the request itself, not an earlier course (letters9).
_RETROSPECTIVE_REQUEST = re.compile(r"\b(retro(spective|active)?|DOS)\b(?!-)", re.I)  # not "retro-calcaneal"


_GENERAL_KIND_WORDS = {"injection": r"\binjections?\b|\bblocks?\b|\bshots?\b", "surgery": r"\bsurger|\boperat|\bprocedures?\b",
                       "therapy": r"\btherap(?:y|ies)\b"}
# kinds of care whose first course a record shows by listing other care given so far (medications included)
_COURSE_CATEGORIES = frozenset({"therapy", "program", "injection"})


def _course_end(t: Treatment) -> dt.date | None:
    """The last day a treatment's dates name: a year alone ("2014") ends on 31 December, a month on its first day."""
    days = [dt.date(int(x), 12, 31) if re.fullmatch(r"\d{4}", x) else parse_partial_date(x) for x in t.dates]
    days = [d for d in days if d]
    return max(days) if days else None


def _course_detail(t: Treatment) -> bool:
    """Whether a treatment mention says something only a given course has: a response, or a date before its note."""
    resp = t.response
    if resp is not None and any(v is not None for v in resp.model_dump().values()):
        return True
    note = t.document_date
    dates = [d for d in (parse_partial_date(x) for x in t.dates) if d]
    return note is not None and any(d < note for d in dates)


@_fact("request.is_repeat")
def _is_repeat(r: FactResolver) -> FactValue:
    """New vs continuing, from the request and the record; unknown when neither says.

    A request that calls itself "additional"/"continued" is a repeat whatever the record shows; a prior
    course of the same treatment in the record makes it one too. It is a first course when the request
    says so ("initial", "trial"), or when the record documents the treatment history and the same
    treatment is not in it. With no treatment history at all, it stays unknown: a missing prior course
    must not count in the request's favour.
    """
    if r.topic is not None and r.topic.category == "drug":
        return _drug_is_repeat(r)
    same = r._same_treatments()
    if _REPEAT_REQUEST.search(r.request.text):
        return FactValue(True, _ev(*same))
    if _EVALUATION_REQUEST.search(r.request.text) and r.request.sessions is None and not _COURSE_WORDS.search(r.request.text):
        return FactValue(False)  # an evaluation is one service, not a course of the treatment it may lead to
    words = r._treatment_words()
    if same and _INITIAL_REQUEST.search(r.request.text) and not any(_course_detail(t) for t in same):
        return FactValue(False)  # "initial 2 weeks": the request's own word outweighs bare mentions of the treatment
    if same and _RETROSPECTIVE_REQUEST.search(r.request.text):
        # a service reviewed after it was given: "treatment to date included a steroid injection" names that service;
        # only a mention that carries something of an earlier course (a response, a date before its note) is a prior one
        same = [t for t in same if _course_detail(t)]
    if same:
        # A clinical note that says the treatment has not been given ("No PT yet", "acupuncture has not been
        # tried") outweighs earlier bare mentions of it that carry nothing of a course (no response, no
        # date before their note): those are the plan or the request, not a prior course.
        denials = [c for c in (r._cues("no_prior_course", mentions=words) if words else []) if r._clinical(c)]
        if denials:
            said = max(_fact_date(c) for c in denials)
            if all(_fact_date(t) <= said and not _course_detail(t) for t in same):
                return FactValue(False, _dedupe_evidence(e for c in denials[:3] for e in c.evidence))
        return FactValue(True, _ev(*same))
    if _INITIAL_REQUEST.search(r.request.text):
        # no course of it in the record and the request calls itself the first ("Initial acupuncture"): a cue of more
        # care in the record ("requested initial acupuncture and additional therapy") may speak of another item
        # (issue #11, inj9)
        return FactValue(False)
    if words and r.topic is not None and r.topic.category != "drug":
        # a clinical note saying the treatment was never given ("No prior acupuncture") makes the request a first
        # course even when the reviewer certified part of it: the part certified is of this same first course
        # (issue #11, inj9)
        never = [c for c in r._cues("no_prior_course", mentions=words) if r._clinical(c) and not r._ur_document(c)]
        if never:
            return FactValue(False, _dedupe_evidence(e for c in never[:3] for e in c.evidence))
        authorized = [c for c in r._cues("partially_certified", mentions=words) if c.present]
        if authorized:  # the reviewer certified part of it: what is disputed comes after that part
            return FactValue(True, _dedupe_evidence(e for c in authorized[:3] for e in c.evidence))
        # the requester's own "additional"/"further" in the record (a note or the RFA, not the reviewer's letter)
        more = [c for c in r._cues("more_of_same", mentions=words) if not r._ur_document(c)]
        # "requested initial acupuncture and additional physical therapy": the request's own "initial" outweighs a
        # record sentence whose "additional" may belong to another treatment it names (letters9)
        if more and not _INITIAL_REQUEST.search(r.request.text):
            return FactValue(True, _dedupe_evidence(e for c in more[:3] for e in c.evidence))
    if _INITIAL_REQUEST.search(r.request.text):
        return FactValue(False)
    if words and not same:
        # the clinician's plan calls the course a first one (issue #11, other9): "Recommendations: CBT (initial 4
        # sessions with reassessment)", "trial of acupuncture x 6"; the reviewer's letter does not count
        rx = re.compile(words, re.I)
        initial = [p for p in r.facts.plans if rx.search(p.kind + " " + p.text) and _INITIAL_PLAN.search(p.text)
                   and r._clinical(p) and not r._ur_document(p)]
        if initial:
            return FactValue(False, _ev(*initial[:2]))
    if words:
        # "No therapy yet" denies a therapy course as well as "No PT yet" does (goldread)
        general_words = _GENERAL_KIND_WORDS.get(r.topic.category if r.topic is not None else "")
        first = r._cues("no_prior_course", mentions=words + (f"|{general_words}" if general_words else ""))
        if first:
            return FactValue(False, _dedupe_evidence(e for c in first[:3] for e in c.evidence))
    history = [t for t in r.facts.treatments if t.status != "planned" and r._clinical(t)]
    if history:
        return FactValue(False, _ev(*history[:3]))
    if r.topic is not None and r.topic.category in _COURSE_CATEGORIES:
        # the care given so far is medication only ("Ice, naproxen, modified duty"): the course requested is a first one
        taken = [m for m in r._clinical_meds() if m.status in ("current", "past")]
        if taken:
            return FactValue(False, _ev(*taken[:3]))
    # a list of the care given so far that does not name the requested treatment: a first course
    # (not for a drug: "medications" in such a list may be the requested one; nor when the list names
    # the treatment's kind in general words, "injections", "surgery")
    category = r.topic.category if r.topic is not None else None
    general = _GENERAL_KIND_WORDS.get(category or "")
    listed = [c for c in r._cues("treatment_history") if c.present]
    if (listed and words and category != "drug"
            and not any(re.search(words, c.text, re.I) or (general and re.search(general, c.text, re.I)) for c in listed)):
        return FactValue(False, _dedupe_evidence(e for c in listed[:3] for e in c.evidence))
    if category in _COURSE_CATEGORIES and _record_covers_injury(r):
        # a recent injury whose record starts at the injury: a prior course of this treatment would be in it, and
        # none is, so the course requested is the first (issue #11, rehab: PT or chiropractic for an acute injury)
        return FactValue(False)
    return NONE


# (drugs9) which drug a sentence starts: the start phrase and the drug in one clause, the drug after a start verb
# ("Begin trazodone ..., with goal to taper off Ambien" starts trazodone, not Ambien) or before a "(new)" / "newly
# started" tag
_START_PHRASE = (r"(?:first[- ]time|for the first time|newly (?:prescribed|started)|new (?:prescription|start)|initial trial|"
                 r"trial of|start|begin|initiate|(?<!since )(?<!after )(?<!before )(?:starting|initiating))\b")
_NOT_STARTED_BETWEEN = re.compile(r"[;.]|\b(?:taper\w*|wean\w*|off|stop\w*|discontinu\w*|instead|replac\w*|switch\w*|from|"
                                  r"continue\w*|cont|refill\w*)\b", re.I)
_TAG_AFTER = re.compile(r"^[^;.]{0,30}?(?:\(new\)|newly (?:prescribed|started)|for the first time|new (?:prescription|start))", re.I)


def _starts_named(text: str, names: str) -> bool:
    for m in re.finditer(names, text, re.I):
        if _TAG_AFTER.search(text[m.end():]):
            return True
        for s in re.finditer(_START_PHRASE, text[max(0, m.start() - 60): m.start()], re.I):
            if not _NOT_STARTED_BETWEEN.search(text[max(0, m.start() - 60) + s.end(): m.start()]):
                return True
    return False


# the record speaks for the whole claim when its first clinical note is this close to the injury and the request
# comes within the subacute phase (a reading of the record's coverage, not a clinical threshold)
_FIRST_NOTE_DAYS = 21
_RECENT_INJURY_DAYS = 84


def _record_covers_injury(r: FactResolver) -> bool:
    worker = r.case.injured_worker
    doi = r.facts.injured_worker.date_of_injury or (worker.date_of_injury if worker else None)
    if doi is None or r.on is None or not 0 <= (r.on - doi).days <= _RECENT_INJURY_DAYS:
        return False
    days = [d.date for d in r.case.documents if d.date is not None and (d.type or "").lower() not in REQUEST_DOCUMENT_TYPES]
    return bool(days) and 0 <= (min(days) - doi).days <= _FIRST_NOTE_DAYS


def _drug_is_repeat(r: FactResolver) -> FactValue:
    """A drug request repeats when the same drug was taken before or is taken now (a refill, a restart), and is
    new when the record starts it or lists other drugs but not this one (goldread). No knowledge-base criterion
    of a drug topic reads this fact; it is the same question `medication.current` answers, widened to past use."""
    taken = [m for m in r._clinical_meds() if r._same_drug(m) and m.status in ("current", "past")]
    current = r.get("medication.current")
    if current.value is True or (taken and current.value is not False):
        return FactValue(True, current.evidence or _ev(*taken))
    if taken and not r._started_now(taken[0]):
        return FactValue(True, _ev(*taken))
    if current.value is False:
        return FactValue(False, current.evidence)
    return NONE


# "with 5 refills", "Two refills of ...", "refills x2", "RF x 3", "with one refill"
_REFILLS = re.compile(r"\b(" + NUM + r")\s+refills?\b|\brefills?\s*(?:x|:|#)?\s*(" + NUM + r")\b|\bRF\s*x\s*(\d+)\b", re.I)


@_fact("request.refills")
def _request_refills(r: FactResolver) -> FactValue:
    if r.topic is None or r.topic.category != "drug":
        return NONE
    m = _REFILLS.search(r.request.text)
    if not m:
        return FactValue(0)
    n = to_int(next(g for g in m.groups() if g))
    return FactValue(n) if n is not None else NONE


@_fact("request.evaluation")
def _request_evaluation(r: FactResolver) -> FactValue:
    """An evaluation ("psychological evaluation, 1 session with testing") is one service, not a course."""
    sessions = r.request.sessions
    return FactValue(bool(_EVALUATION_REQUEST.search(r.request.text)) and (sessions is None or sessions <= 1))


@_fact("medication.current")
def _med_current(r: FactResolver) -> FactValue:
    names = r._own_names()
    if names:
        # the requester's own word ("(new)" on the RFA) counts; the UR reviewer's ("initiate weaning") does not;
        # and only when no later note has the drug as taken ("Start Lyrica" in October, "Continue Lyrica" in March)
        taken = [_fact_date(m) for m in r._matching_meds() if m.status == "current"]
        pat = r"\b(" + "|".join(re.escape(n) for n in names) + r")"
        first = [c for c in r._cues("first_time", mentions=pat)
                 if not r._ur_document(c) and (not taken or _fact_date(c) >= max(taken)) and _starts_named(c.text, pat)]
        if first:  # the record calls the request a first prescription: not already being taken
            return FactValue(False, _dedupe_evidence(e for c in first[:3] for e in c.evidence))
    meds = r._matching_meds()
    current = [m for m in meds if m.status == "current"]
    # A drug requested for post-operative pain (the request says so, beside its surgery or after a documented
    # one) is a new prescription for the surgery's pain: a supply given at discharge is that prescription, not
    # an ongoing regimen. Only a drug taken before the surgery makes it a continuation.
    surgery_day = r._post_operative_request_day()
    if surgery_day is not None:
        before = [m for m in current if _fact_date(m) < surgery_day]
        if before:
            return FactValue(True, _ev(*before))
        return FactValue(False, _ev(*current))
    # (r10drug) post-operative for a surgery still to come: the drug ordered in the note that plans the surgery is
    # that surgery's prescription; only a drug taken before that note makes the request a continuation
    planned = r._planned_surgery_day()
    if planned is not None:
        before = [m for m in current if _fact_date(m) < planned]
        return FactValue(True, _ev(*before)) if before else FactValue(False, _ev(*current))
    if current:
        return FactValue(True, _ev(*current))
    if meds or r._clinical_meds():
        return FactValue(False, _ev(*meds))
    return NONE


@_fact("request.post_operative")
def _request_post_operative(r: FactResolver) -> FactValue:
    """A drug requested for the pain of a surgery: the request says "post-operative" and the surgery is disputed
    with it or documented before the request."""
    if not r._post_op_words():
        day = r._post_operative_request_day()  # (drugs9) an opioid within the acute period of a surgery done
        return FactValue(True, r.get("treatment.surgery.days_since").evidence) if day is not None else FactValue(False)
    if r._companion_surgery() or r._post_operative_request_day() is not None or r._planned_surgery_day() is not None:
        return FactValue(True)
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


@_fact("medication.other_opioid_before")
def _other_opioid_before(r: FactResolver) -> FactValue:
    """(r10drug) Another opioid in the worker's clinical medication history, taken now or before: the "chronic pain
    after other opioids" indication of buprenorphine (a rotation, "transitioned from Norco to Butrans")."""
    hits = [m for m in r._clinical_meds() if r.drug_topics.topic_of(m.generic) in OPIOID_TOPICS and not r._same_drug(m)
            and m.status in ("current", "past") and (r.on is None or _fact_date(m) <= r.on)]
    return FactValue(True, _ev(*hits[:3])) if hits else NONE


@_fact("medication.concurrent_benzodiazepine")
def _concurrent_benzo(r: FactResolver) -> FactValue:
    return r._med_class(BENZODIAZEPINE_TOPICS)


@_fact("medication.nsaid_current")
def _nsaid_current(r: FactResolver) -> FactValue:
    return r._med_class(NSAID_TOPICS, exclude_requested=False)


@_fact("medication.first_line_tried")
def _first_line(r: FactResolver) -> FactValue:
    # gf4read: another drug of the request's own class counts (gabapentin failed before a pregabalin request); only the
    # requested drug itself is not its own first-line trial
    own = (r.generic or "").lower()
    meds = [m for m in r._clinical_meds() if r.drug_topics.topic_of(m.generic) in FIRST_LINE_TOPICS
            and m.generic.lower() != own and m.status in {"current", "past"} and not r._started_now(m)]
    treats = r._treatments_of(["nsaids"])
    if meds or treats:
        return FactValue(True, _ev(*meds, *treats))
    return NONE


# (r9drug) laxatives taken first for opioid-induced constipation, and the prescription agents kept for when they fail
FIRST_LINE_LAXATIVES = frozenset({"docusate", "senna", "sennosides", "senna/docusate", "polyethylene glycol", "lactulose",
                                  "bisacodyl", "magnesium citrate", "psyllium"})
SECOND_LINE_LAXATIVES = frozenset({"lubiprostone", "methylnaltrexone", "naloxegol", "naldemedine", "linaclotide"})


@_fact("request.second_line_laxative")
def _second_line_laxative(r: FactResolver) -> FactValue:
    """The request is a prescription agent for opioid-induced constipation (lubiprostone, methylnaltrexone ...)."""
    if not r.generic:
        return NONE
    return FactValue(r.generic.lower() in SECOND_LINE_LAXATIVES)


@_fact("medication.laxative_first_line_failed")
def _laxative_first_line_failed(r: FactResolver) -> FactValue:
    """A first-line laxative taken without the constipation being kept in check: a record that says it is controlled
    with one is no failure; a medication list with none is no trial."""
    held = [c for c in r._cues("constipation_controlled") if c.present and r._clinical(c)]
    if held:
        return FactValue(False, _dedupe_evidence(e for c in held[:3] for e in c.evidence))
    pool = r._clinical_meds()
    firsts = [m for m in pool if m.generic.lower() in FIRST_LINE_LAXATIVES and m.status in {"current", "past"}
              and not r._started_now(m)]
    if firsts:
        return FactValue(True, _ev(*firsts))
    if pool:
        return FactValue(False, _ev(*pool[:3]))
    return NONE


NEUROPATHIC_FIRST_LINE_TOPICS = frozenset({"antidepressants", "antiepileptics"})


@_fact("medication.neuropathic_first_line_tried")
def _neuropathic_first_line(r: FactResolver) -> FactValue:
    """An antidepressant or anticonvulsant taken now or before: an NSAID does not count here."""
    pool = r._clinical_meds()
    meds = [m for m in pool if r.drug_topics.topic_of(m.generic) in NEUROPATHIC_FIRST_LINE_TOPICS
            and m.status in {"current", "past"} and not r._started_now(m)]
    if meds:
        return FactValue(True, _ev(*meds))
    if pool:  # a medication history that lists none of them (a drug started at this visit is not yet a trial)
        return FactValue(False, _ev(*pool[:3]))
    return NONE


@_fact("medication.indication_documented")
def _indication(r: FactResolver) -> FactValue:
    names = r._drug_names()
    if not names:
        return NONE
    # "Norco 10/325 #60, post-operative" requested beside its surgery (or after a documented one): the
    # request names its indication, the pain of that surgery
    if (re.search(r"\bpost[- ]?op(erative(ly)?)?\b|\bafter (the )?surgery\b", r.request.text, re.I)
            and (r._companion_surgery() or r._surgeries())):
        return FactValue(True)
    pat = r"\b(" + "|".join(re.escape(n) for n in names) + r")\b"
    found = r._cue("indication", mentions=pat)
    if not found.value:
        found = r._cue("indication_more", mentions=pat)
    if found.value is None:
        # the reason given by the assessment (issue #11, prior): "Assessment: knee osteoarthritis. Plan: start topical
        # diclofenac" - a diagnosis naming one of the drug's own indications (the topic's list) is why it is given
        dx = r.get("diagnosis.specific_indication")
        if dx.value is True:
            return dx
        # read9: a present finding of a clinical note that names one of the drug's own indications (the topic's list):
        # "Exam: paraspinal spasm" for a muscle relaxant, "Insomnia secondary to chronic back pain" for a sleep aid
        indications = list(getattr(r.topic, "indications", None) or []) if r.topic is not None else []
        own_id = r.topic.id if r.topic is not None else None
        if indications and getattr(r.topic, "category", None) == "drug":
            hits = [f for f in r.facts.findings if f.present and r._clinical(f)
                    and _names_indication(f.name.replace("_", " "), indications)]
            if hits:
                return FactValue(True, _ev(*hits[:2]))
        if not indications and getattr(r.topic, "category", None) == "drug" and own_id not in OPIOID_TOPICS:
            # read10: a plain non-opioid analgesic (a topic with no list of its own indications: acetaminophen, a
            # salicylate rub) is given for pain, so the pain the clinical notes document, with its region or the
            # diagnosis or finding that causes it, is the condition it treats. Not an opioid: the CPMTG (2009, pp.
            # 76-77) asks more before an opioid trial than a painful condition (measured on realistic-1 and -11: read
            # so, two opioid trials the reviewers upheld were drafted Overturned)
            # (a bare "Pain 5/10" with no region, diagnosis or sign names no condition)
            where = [p for p in r.facts.pain if p.body_region and r._clinical(p)]
            causes = [d for d in r.facts.diagnoses if r._clinical(d)] + [
                f for f in r.facts.findings if f.present and r._clinical(f) and f.name not in _NOT_SYMPTOMS] + [
                s for s in r.facts.imaging if s.present and r._clinical(s) and s.finding != "normal"]
            if where or causes:
                return FactValue(True, _ev(*(where + causes)[:3]))
    return found


ANTISPASTICITY_GENERICS = frozenset({"baclofen", "tizanidine", "dantrolene"})
_CNS_SPASTICITY = re.compile(r"\b(spinal cord injur\w*|sci|multiple sclerosis|myelopathy|cerebral palsy|spasticity|"
                             r"spastic\w*|tetraplegi\w*|quadripleg\w*|parapleg\w*|(post[- ])?stroke)\b", re.I)


@_fact("medication.antispasticity_indication")
def _antispasticity(r: FactResolver) -> FactValue:
    """The requested drug is an antispasticity agent and a diagnosis names spasticity of central origin (spinal
    cord injury, multiple sclerosis ...): the CPMTG's antispasticity use, not a muscle relaxant for back spasm."""
    if not (r.generic and _components(r.generic) & ANTISPASTICITY_GENERICS):
        return FactValue(False)  # not an antispasticity drug: the exception cannot apply
    hits = [d for d in r.facts.diagnoses if positive_mention(d.text, _CNS_SPASTICITY)]
    # the exception must be shown: without a documented spasticity of central origin it does not apply
    return FactValue(True, _ev(*hits)) if hits else FactValue(False)


@_fact("medication.sedating_antidepressant")
def _sedating_antidepressant(r: FactResolver) -> FactValue:
    """(drugs9) The requested drug is an antidepressant by its class in the drug lexicon (trazodone, doxepin at a
    hypnotic dose): False for every other drug request, so a criterion can set the sedating antidepressants apart."""
    if r.request.drug is None or not r.generic:
        return FactValue(False)
    from openimr.guidelines.drugs import normalize_drug

    info = normalize_drug(r.generic, fuzzy=False)
    return FactValue(bool(info is not None and "antidepressant" in (info.drug_class or "").lower()))


@_fact("medication.tricyclic")
def _tricyclic(r: FactResolver) -> FactValue:
    """(r12drug) The requested drug is a tricyclic antidepressant by its class in the drug lexicon: the CPMTG's first-line
    antidepressant, also a possibility for chronic pain that is not neuropathic. False for every other drug request."""
    if r.request.drug is None or not r.generic:
        return FactValue(False)
    from openimr.guidelines.drugs import normalize_drug

    info = normalize_drug(r.generic, fuzzy=False)
    return FactValue(bool(info is not None and "tricyclic" in (info.drug_class or "").lower()))


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
            return _stated_med(r)  # an opioid whose dose is not computable: the total is unknown, unless the note states it
        total += mg * per_day * factor
        ev.append(m)
        found = True
    return FactValue(round(total, 1), _ev(*ev)) if found else _stated_med(r)


# "MED ~270", "(MED 60)", "60 MED", "= ~70 MME/day", "MED 120 -> 60": the last figure a sentence gives is the present one
_MED_FIGURE = re.compile(r"\b(?:med|mme)\b[\s:=~(]*(?:is\s+|of\s+|about\s+|approx\.?\s*|approximately\s+)?~?\s*(\d{1,4})\b"
                         r"|(\d{1,4})\s*(?:mg\s*)?(?:med|mme)\b|(?:->|-->|\u2192|to)\s*(\d{1,4})\b", re.I)


def _stated_med(r: FactResolver) -> FactValue:
    """(drugs9) The morphine-equivalent total the prescriber states, from the latest clinical note that states one,
    when the regimen's own figures do not give it."""
    cues = sorted((c for c in r._cues("med_stated") if c.present and r._clinical(c) and not r._ur_document(c)),
                  key=_fact_date)
    for c in reversed(cues):
        figures = [int(next(g for g in m.groups() if g)) for m in _MED_FIGURE.finditer(c.text)]
        if figures and 0 < figures[-1] <= 2000:
            return FactValue(float(figures[-1]), _dedupe_evidence(c.evidence))
    return NONE


_strength_mg = strength_mg
_doses_per_day = doses_per_day


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
    if withs and not withouts:
        # "Knee pain 6/10 without Celebrex, 3/10 with" read as a score with medication beside one whose
        # context was not caught: a higher score in the same note, same span of text, is the pain without it
        w = withs[-1]
        doc = w.evidence[0].document if w.evidence else None
        near = [p for p in r.facts.pain if p.context is None and p.score > w.score and p.evidence and doc
                and p.evidence[0].document == doc and abs(p.evidence[0].start - w.evidence[0].start) <= 80]
        if near:
            return FactValue(True, _ev(w, near[-1]))
        # "VAS 7/10 today; with meds pain goes to 3/10": today's score beside a lower one with medication is the
        # pain before the dose, the same contrast a without-medication score gives
        near = [p for p in r.facts.pain if p.context == "current" and p.score > w.score and p.evidence and doc
                and p.evidence[0].document == doc and abs(p.evidence[0].start - w.evidence[0].start) <= 80]
        if near:
            return FactValue(True, _ev(w, near[-1]))
    if withouts and not withs:
        # the mirror: "Pain today 6/10 ... Pain without meds 9/10", "keeps it at 3/10 vs 6-7/10 off it": a score
        # of the same note whose context is today's (or not caught) is the pain on medication (read8)
        wo = withouts[-1]
        doc = wo.evidence[0].document if wo.evidence else None
        same = [p for p in r.facts.pain if p.context in (None, "current") and p.evidence and doc
                and p.evidence[0].document == doc]
        if same:
            low = min(same, key=lambda p: p.score)
            return FactValue(low.score < wo.score, _ev(low, wo))
    # any medication the record names: the fact asks whether pain is lower with medication, not only with the
    # requested drug (goldread: "acetaminophen gives her maybe 30% relief" beside a topical NSAID request)
    names = {*(r._drug_names() or ["medication"]), *(m.generic.lower() for m in r.facts.medications),
             *(m.brand.lower() for m in r.facts.medications if m.brand)}
    named = r"medication|medicine|analges|opioid|\bmeds\b|" + "|".join(re.escape(n) for n in sorted(names) if n)
    # (read9) or "it" when the sentence ties it to taking the drug: "down to 5/10 from 7/10 before starting it", "it cuts
    # the shooting pains by a third"
    rx = re.compile(named + r"|\b(starting|started|since|on|with)\s+it\b|\bit\s+(cuts|helps|takes|reduces|eases|brings|keeps)\b",
                    re.I)
    # (drugs9) a score that falls counts, one that rises does not; a with/without pair is about medication by its own
    # words; a change written in the sentence after the requested drug's ("Tramadol ER 100 daily. Pain 7 -> 3.") is its
    hits = [c for c in (*r._cues("percent_relief"), *r._cues("relief_stated")) if c.present and _score_falls(c.text)
            and (rx.search(c.text) or _WITHOUT_WITH.search(c.text)
                 or (r._beside_requested_drug(c) and not _OTHER_TREATMENT.search(c.text)))]
    if hits:
        # (r9drug) relief from another drug does not outweigh the record saying the requested one gives none ("Naproxen
        # helps 7 -> 4. Lyrica started in May - not sure it does anything" asked of Lyrica)
        own = r._drug_names()
        if own:
            own_rx = re.compile(r"\b(" + "|".join(re.escape(n) for n in own) + r")\b", re.I)
            if not any(own_rx.search(c.text) for c in hits):
                mine = [c for c in r._cues("no_relief") if own_rx.search(c.text) and r._clinical(c)]
                if mine:
                    return FactValue(False, _dedupe_evidence(e for c in mine[:3] for e in c.evidence))
        return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence))
    # read9: the drug said to give no relief ("the oxycodone doesn't really work anymore", "can't tell any difference
    # with it", "the patches do nothing anymore")
    none = [c for c in r._cues("no_relief", mentions=named + r"|\b(it|them)\b|patch") if r._clinical(c)]
    if none:
        return FactValue(False, _dedupe_evidence(e for c in none[:3] for e in c.evidence))
    return NONE


# a sentence about another treatment's effect is not the drug's, wherever it stands
_OTHER_TREATMENT = re.compile(r"\b(inject\w*|blocks?|ESI|epidural|therap\w*|PT|surg\w*|TENS|acupunct\w*|chiro\w*|RFA|ablation|"
                              r"brac\w*|splint\w*|massage|procedure)\b", re.I)
_SCORE_PAIR = re.compile(r"(\d{1,2})(?:/10)?\s*(?:->|-->|\u2192|(?:reduced|decreased|down|improved|drops?|dropped|goes)\s+to)"
                         r"\s*~?(\d{1,2})\b|\bfrom\s+(?:a\s+)?(\d{1,2})(?:/10)?\s+to\s+(?:a\s+)?~?(\d{1,2})\b", re.I)
_WITHOUT_WITH = re.compile(r"(\d{1,2})(?:/10)?\s*(?:w/o|without)\b[^.;\d]{0,12}?(\d{1,2})(?:-\d{1,2})?(?:/10)?\s*(?:w/|with)(?![a-z])",
                           re.I)


# (r13drug) "pain 6/10 to 3/10": a score out of ten, then the one it comes to
_TEN_TO = re.compile(r"(\d{1,2})/10\s+to\s+(?:a\s+)?~?(\d{1,2})(?!\d)", re.I)
_NOW_FROM = re.compile(r"(\d{1,2})(?:/10)?\s+from\s+(\d{1,2})(?!\d)(?!(?:/10)?\s*to\b)", re.I)
# (r11drug) "pain 5/10 (was 8/10 on Norco)": now, then in brackets what it was
_NOW_WAS = re.compile(r"(\d{1,2})(?:/10)?\s*\(\s*(?:was|previously)\s+(\d{1,2})(?!\d)", re.I)


def _score_falls(text: str) -> bool:
    """A sentence that gives a score and the one it comes to states relief only when the score falls."""
    pairs = [(int(g[0] or g[2]), int(g[1] or g[3])) for g in _SCORE_PAIR.findall(text)]
    pairs += [(int(a), int(b)) for a, b in _WITHOUT_WITH.findall(text)]
    pairs += [(int(a), int(b)) for a, b in _TEN_TO.findall(text)]
    pairs += [(int(b), int(a)) for a, b in _NOW_FROM.findall(text)]  # (r9drug) "6/10 from 8/10": now, then before
    pairs += [(int(b), int(a)) for a, b in _NOW_WAS.findall(text)]
    return not pairs or any(b < a for a, b in pairs)


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
    # medications are conservative care: a drug taken now or before ("Ibuprofen + ice", "Meds: naproxen") (goldread)
    if "medications" in kinds:
        taken = [m for m in r._clinical_meds() if m.status in ("current", "past")]
        if taken:
            return FactValue(True, _ev(*taken[:4]))
    return NONE


@_fact("treatment.conservative_failed")
def _conservative_failed(r: FactResolver) -> FactValue:
    """Conservative care tried without adequate relief, as clinicians write it.

    Stated outright ("failed conservative care"); a course without benefit or with passing benefit only
    ("PT x 18 with temporary relief only"); or care given and the symptoms still there in the latest
    note ("has had PT and medications; continues to have pain 7/10"): care that did not improve the
    symptoms. Care said to have helped ("chiropractic improved her symptoms") has not failed.
    """
    f = r.get("finding.failed_conservative_treatment")
    if f.value is not None:
        return f
    kinds = r.conservative_kinds()
    tried = [t for t in r.facts.treatments if t.kind.lower() in kinds and t.status != "planned"]
    # r11proc: care given to another part of the body (wrist splints when the neck is imaged) is not this care; a
    # request for a whole limb (an upper-extremity EMG) takes the care of any part of that limb
    region = r.request.body_region
    if region:
        limb = limb_of(region) if region in ("upper extremity", "lower extremity") else None
        tried = [t for t in tried if t.body_region is None or _regions_match(t.body_region, region)
                 or (limb is not None and limb_of(t.body_region) == limb)]
    failed = [t for t in tried if t.response is not None
              and (t.response.function_improved is False or t.response.symptoms_improved is False)]
    if failed:
        return FactValue(True, _ev(*failed))
    helped = [t for t in tried if t.response is not None
              and (t.response.function_improved or t.response.symptoms_improved)]
    if helped:
        return FactValue(False, _ev(*helped))
    if tried:
        persisting = r._persisting_symptoms(after=min(_fact_date(t) for t in tried))
        if persisting:
            return FactValue(True, _ev(*tried[:3], *persisting))
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
    counted = [t for t in same if t.sessions is not None]
    if counted:
        # gf3read: one note's counts are its courses (summed); another note's count of the same kind is mostly the
        # same course told again (the therapist's "visit 12 of 12" and the physician's "finished 12 PT visits"), a
        # running tally that a later count includes: the largest note's total, not the sum over notes
        per_note: dict[str, int] = {}
        for t in counted:
            doc = t.evidence[0].document if t.evidence else ""
            per_note[doc] = per_note.get(doc, 0) + (t.sessions or 0)
        return FactValue(max(per_note.values()), _ev(*same))
    # none given, as the record says it ("She has never had acupuncture", "No prior chiropractic or PT"): 0 sessions
    # (goldread); a record silent about it stays unknown
    words = r._treatment_words()
    if words and r.topic is not None and r.topic.category == "therapy":
        words += r"|\btherapy\b"  # gf3read: "He has not had any therapy to date" denies every therapy course
    if not same and words and r.get("request.is_repeat").value is not True:
        denials = [c for c in r._cues("no_prior_course", mentions=words) if r._clinical(c)]
        if denials:
            return FactValue(0, _dedupe_evidence(e for c in denials[:3] for e in c.evidence))
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
    if not r._regional_surgeries() and r._companion_surgery():
        return FactValue(0)  # the surgery is requested with this care: the care starts from it
    return NONE


@_fact("treatment.prior_surgery_region")
def _prior_surgery(r: FactResolver) -> FactValue:
    ts = r._regional_surgeries()
    if ts:
        return FactValue(True, _ev(*ts))
    return FactValue(False) if r.facts.treatments else NONE


def _plan(r: FactResolver, pattern: str, cue: str) -> FactValue:
    rx = re.compile(pattern, re.I)
    hits = [s for s in r.facts.plans if rx.search(s.kind) or rx.search(s.text)]
    if hits:
        return FactValue(True, _ev(*hits))
    return r._cue(cue)


def _plan_or_not(r: FactResolver, pattern: str, cue: str, negative: str) -> FactValue:
    """True when planned; False when the record says it is not (declined, not a candidate); else None."""
    neg = [c for c in r._cues(negative)]
    if neg:
        return FactValue(False, _dedupe_evidence(e for c in neg[:3] for e in c.evidence))
    return _plan(r, pattern, cue)


@_fact("plan.neurotomy")
def _plan_neurotomy(r: FactResolver) -> FactValue:
    # "RF" (radiofrequency) only in capitals, as clinicians abbreviate it ("if the block gives enough relief, consider RF")
    return _plan_or_not(r, r"neurotomy|radiofrequency|rhizotomy|\bRFA\b|(?-i:\bRF\b)", "plan_neurotomy", "neurotomy_not_planned")


# r13other: "myofascial release" and "active release" are hands-on soft-tissue work, not an operation
_NOT_MANUAL_RELEASE = r"(?<!fascial release)(?<!active release)"


@_fact("plan.surgery")
def _plan_surgery(r: FactResolver) -> FactValue:
    return _plan_or_not(r, r"surg|fusion|laminectomy|discectomy|arthroscop|decompression|\brelease\b" + _NOT_MANUAL_RELEASE,
                        "plan_surgery", "surgery_not_planned")


@_fact("plan.active_therapy")
def _plan_active(r: FactResolver) -> FactValue:
    hits = [s for s in r.facts.plans if re.search(r"exercise|therapy|return to work|conditioning|rehab", s.kind + " " + s.text, re.I)]
    hits += [t for t in r.facts.treatments if t.kind.lower() == "home exercise program" and t.status != "completed"]
    if hits:
        return FactValue(True, _ev(*hits))
    f = r.get("finding.home_exercise_program")
    if f.value:
        return f
    # read9: an active course under way alongside the request ("attending her CBT sessions", "PT x 6 (still
    # attending)"), or an active program listed under the plan heading without a plan word of its own
    under_way = [t for t in r.facts.treatments if t.status == "ongoing" and _ACTIVE_KINDS.search(t.kind)]
    if under_way:
        return FactValue(True, _ev(*under_way))
    listed = r._cue("active_program")
    if listed.value:
        return listed
    return _plan(r, r"home exercise|exercise program|active therapy|physical therapy|return to work", "plan_active_therapy")


# kinds of care the worker takes part in (active), as opposed to care done to the worker (read9)
_ACTIVE_KINDS = re.compile(r"physical therapy|occupational therapy|aquatic|exercise|cognitive behavioral|psychotherapy|"
                           r"work conditioning|work hardening|functional restoration", re.I)


@_fact("diagnosis.radiculopathy")
def _dx_radic(r: FactResolver) -> FactValue:
    rx = re.compile(r"radicul|sciatica", re.I)
    # the shorthand read as written out: "lumbar radic" is lumbar radiculopathy (issue #11, dxread)
    hits = [d for d in r.facts.diagnoses if positive_mention(expand_abbreviations(d.text), rx)]
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
    # a comorbidity of the past medical history is a diagnosis too ("PMH: HTN, DM2" for a pre-operative
    # assessment; issue #11, dxread)
    pool = list(r.facts.diagnoses) + list(r.facts.comorbidities)
    surgery = getattr(r.topic, "category", None) == "surgery"
    if not indications or not (pool or (surgery and r.facts.imaging)):
        return NONE
    hits = [d for d in pool if _names_indication(d.text, indications)]
    if not hits and surgery:
        # an operation's indication is confirmed on imaging of its region ("bone-on-bone joint space loss with
        # osteophytes" is the osteoarthritis a joint replacement treats; ODG's surgical entries ask for imaging):
        # a present finding of the region that names an indication counts (issue #11, dme8)
        hits = [s for s in r._imaging_in_region()
                if s.present and _names_indication(" ".join(x for x in (s.finding, s.severity) if x), indications)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False)


@_fact("diagnosis.contraindication")
def _dx_contraindication(r: FactResolver) -> FactValue:
    """(drugs9) A condition the topic names as a contraindication, among the diagnoses and the past history's
    comorbidities (CKD, an anticoagulant taken): True with its evidence; False when none is documented, since a
    contraindication the record does not name cannot be held against the request."""
    names = list(getattr(r.topic, "contraindications", None) or []) if r.topic is not None else []
    if not names:
        return FactValue(False)
    pool = [d for d in list(r.facts.diagnoses) + list(r.facts.comorbidities) if r._clinical(d)]
    hits = [d for d in pool if _names_indication(d.text, names)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False)


_FILLER = frozenset({"of", "the", "a", "an", "in", "to", "and", "right", "left", "bilateral", "r", "l"})


def _names_indication(text: str, indications: list[str]) -> bool:
    """Whether a diagnosis names one of the indications, in any word order ("Severe osteoarthritis of the
    right knee" names "knee osteoarthritis"), and not negated; an abbreviation names what it stands for."""
    text = expand_abbreviations(text)
    words = _words(text)
    for ind in indications:
        need = _words(ind) - _FILLER
        if need and need <= words and positive_mention(text, re.compile(re.escape(sorted(need, key=len)[-1]), re.I)):
            return True
    return False


# Kellgren-Lawrence grades as records write them ("K-L 4", "KL grade 3") count like the words (issue #11, dxread)
_SEVERE = re.compile(r"\b(severe|advanced|end[- ]stage|bone[- ]on[- ]bone|grade\s*(4|iv)|tricompartmental|k-?l\s*(grade\s*)?(4|iv))\b", re.I)
_NOT_SEVERE = re.compile(r"\b(mild|moderate|early|minimal|slight|grade\s*(1|2|i|ii)|k-?l\s*(grade\s*)?(1|2|i|ii))\b", re.I)


@_fact("diagnosis.indication_severe")
def _dx_severe(r: FactResolver) -> FactValue:
    """Severity as the record words the indicated diagnosis (or imaging of the region): latest document first."""
    ind = r.get("diagnosis.specific_indication")
    if not ind.value:
        return NONE
    indications = list(getattr(r.topic, "indications", None) or [])
    pool: list[Any] = [d for d in r.facts.diagnoses if _names_indication(d.text, indications)]
    pool += [s for s in r._imaging_in_region() if s.present]
    for f in sorted(pool, key=_fact_date, reverse=True):
        text = " ".join(x for x in (getattr(f, "text", None), getattr(f, "finding", None), getattr(f, "severity", None)) if x)
        if isinstance(f, StudyFinding):
            # a study's severity is often written beside the finding it was read as ("bone-on-bone joint space
            # loss" read as joint space narrowing): its own quoted span counts (issue #11, dme8)
            text = " ".join([text, *(e.quote for e in f.evidence)])
        if positive_mention(text, _SEVERE):
            return FactValue(True, _ev(f))
        if _NOT_SEVERE.search(text):
            return FactValue(False, _ev(f))
    return NONE


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


@_fact("radiculopathy.imaging_corroborated")
def _radic_imaging(r: FactResolver) -> FactValue:
    """Radiculopathy on examination with imaging of the region showing the nerve root involved. Unlike
    `radiculopathy.corroborated`, an electrodiagnostic study does not count: for a request for that study, a
    study is the thing asked for (and a plan line naming it is easily misread as its result)."""
    exam = [r.get(f"finding.{n}") for n in ("dermatomal_sensory_loss", "motor_weakness", "reflex_change", "straight_leg_raise", "radicular_pain")]
    exam_pos = [v for v in exam if v.value]
    img = r.get("imaging.nerve_root_involvement")
    if exam_pos and img.value:
        return FactValue(True, _merge(*exam_pos, img))
    if img.value is False or (exam and all(v.value is False for v in exam)):
        return FactValue(False, _merge(img, *exam))
    return NONE


_ROOT_DENIED = re.compile(r"nerve root|impinge|compress", re.I)
_ROOT_RX = re.compile(r"nerve root|root|foramin|impinge|compress|stenosis|radicul|herniat|extrusion|protrusion", re.I)


# a disc lesion named with its spinal level ("L4-5 L paracentral HNP", "L5-S1 disc extrusion"): a finding only imaging shows
_LEVEL_DISC_DX = re.compile(r"\b[CTL]\s?\d{1,2}\s?[-/]\s?[CTLS]?\s?\d\b[^,;]{0,40}?\b(?:HNP|herniat\w*|protrusion|extrusion|"
                            r"extruded)\b|\b(?:HNP|herniat\w*|protrusion|extrusion)\s+(?:at\s+)?[CTL]\s?\d{1,2}\s?[-/]\s?[CTLS]?\s?\d\b", re.I)


@_fact("imaging.nerve_root_involvement")
def _img_root(r: FactResolver) -> FactValue:
    studies = r._imaging_in_region()
    if not studies:
        # r11proc: no report in the file, but the treating physician's diagnosis names a disc herniation at a level of
        # the request's region: the imaging finding as the record states it (our reading, issue #11)
        region = r.request.body_region
        dx = [d for d in r.facts.diagnoses if r._clinical(d) and _LEVEL_DISC_DX.search(d.text)
              and (region is None or d.body_region is None or _regions_match(d.body_region, region))]
        return FactValue(True, _ev(*dx[:2])) if dx else NONE
    hits = [s for s in studies if s.present and (s.nerve_root or _ROOT_RX.search(s.finding))]
    # a study that says the roots are not compressed ("exiting L4 roots are not compressed", "bulge w/o nerve root
    # compression"): its mild narrowing or bulge does not involve a root; only a root or compression it names, not
    # mild, still counts (issue #11, other9)
    denied = [s for s in studies if not s.present and (s.nerve_root or _ROOT_DENIED.search(s.finding))]
    if denied and hits:
        hits = [s for s in hits if (s.nerve_root or s.finding == "nerve root compression")
                and (s.severity or "").lower() not in ("mild", "minimal", "small")]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


@_fact("imaging.prior_same_region")
def _img_prior_region(r: FactResolver) -> FactValue:
    """gf4read: any study of the region already done, whatever its modality: plain films of the knee are imaging of the
    knee before a knee MRI is asked for (as the vocabulary defines the fact and as the gold readers answer it). Whether
    the request REPEATS a study is `imaging.prior_same_study`, which the repeat-imaging criteria read."""
    return _img_prior(r, None)


@_fact("imaging.prior_same_study")
def _img_prior_study(r: FactResolver) -> FactValue:
    modality = None
    if r.topic is not None and r.topic.category == "imaging":
        modality = "mri" if "mri" in r.topic.id else ("x-ray" if "x-ray" in r.topic.id else None)
    return _img_prior(r, modality)


def _img_prior(r: FactResolver, modality: str | None) -> FactValue:
    studies = [s for s in r._imaging_in_region() if r.request.body_region]
    if modality:
        studies = [s for s in studies if modality in s.modality.lower().replace("radiograph", "x-ray")]
    if studies:
        return FactValue(True, _ev(*studies))
    done = _studies_done(r, modality)
    if done:
        return FactValue(True, _dedupe_evidence(e for c in done[:3] for e in c.evidence))
    return FactValue(False)


_MODALITY_WORDS = {"mri": r"\bmri?\b", "x-ray": r"\bx-?rays?\b|\bxr\b|\bradiographs?\b|\bfilms\b"}


def _studies_done(r: FactResolver, modality: str | None) -> list[Cue]:
    """A study of the request's modality mentioned as done, with no result read beside it (read9): its sentence names
    the request's region, or names none in a record whose every region read is the request's ("Pre-op MRI 9/2023."
    in a knee claim)."""
    region = r.request.body_region
    if not region:
        return []
    cues = r._cues("study_done", mentions=_MODALITY_WORDS.get(modality or ""))
    if not cues:
        return []
    named = [c for c in cues if any(_regions_match(g, region) for g in _study_regions(c.text))]
    if named:
        return named
    regions = {x.body_region for x in [*r.facts.diagnoses, *r.facts.pain, *r.facts.imaging, *r.facts.treatments,
                                       *r.facts.findings] if x.body_region}
    if regions and all(_regions_match(g, region) for g in regions):
        return [c for c in cues if not _study_regions(c.text)]
    return []


# a disc level names its spine ("MRI 1/2016: L5-S1 protrusion", "MRI: C5-6 HNP") (gf4read)
_DISC_LEVEL = re.compile(r"\b([CTL])\s?\d{1,2}\s?[-/]\s?[CTLS]?\s?\d\b", re.I)


def _study_regions(text: str) -> list[str]:
    return [*regions_in(text), *{level_region(m.group(1)) for m in _DISC_LEVEL.finditer(text)}]


@_fact("imaging.pathology_documented")
def _img_path(r: FactResolver) -> FactValue:
    studies = r._imaging_in_region()
    if not studies:
        return NONE
    hits = [s for s in studies if s.present and not re.search(r"\bnormal\b|unremarkable|no abnormal", s.finding, re.I)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


def _shows_radiculopathy(study) -> bool:
    """An electrodiagnostic study read as positive whose finding names a radiculopathy."""
    return bool(study.present and re.search(r"radicul", study.finding, re.I))


@_fact("electrodiagnostics.radiculopathy")
def _emg(r: FactResolver) -> FactValue:
    studies = r.facts.electrodiagnostics
    if not studies:
        return NONE
    hits = [s for s in studies if _shows_radiculopathy(s)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


# a root level names its spine: C5-C8 the neck, L1-S1 the low back ("L5 radiculopathy" on an EMG of the legs)
_ROOT_SPINE = (("cervical", re.compile(r"\bC[2-8]\b", re.I)), ("lumbar", re.compile(r"\b(?:L[1-5]|S1)\b", re.I)))


@_fact("electrodiagnostics.radiculopathy_in_region")
def _emg_region(r: FactResolver) -> FactValue:
    """(strict) An electrodiagnostic study showing radiculopathy of the requested spine region: ACOEM counts it as
    physiologic evidence of nerve dysfunction, as it counts a definitive neurologic sign. The study's region, root or
    level must name the request's spine (a study of the legs names the low back); an unplaced study does not count."""
    region = r.request.body_region
    studies = r.facts.electrodiagnostics
    if not region or not studies:
        return NONE
    hits = []
    for s in studies:
        if not _shows_radiculopathy(s):
            continue
        where = " ".join(x for x in (s.body_region, s.level, s.nerve_root, s.finding) if x)
        spines = {name for name, rx in _ROOT_SPINE if rx.search(where)}
        if _regions_match(s.body_region or s.finding, region) or any(_regions_match(region, sp) for sp in spines):
            hits.append(s)
    return FactValue(True, _ev(*hits)) if hits else FactValue(False, _ev(*studies))


@_fact("pain.localized")
def _pain_localized(r: FactResolver) -> FactValue:
    diffuse = r._cue("diffuse_pain")
    if diffuse.value:
        return FactValue(False, diffuse.evidence)
    # Issue 10 removed a rule that called pain "not localized" whenever it was reported in 3+ body regions:
    # no guideline states it. Only what the record says of the pain's distribution counts.
    focal = r._cue("focal_pain")
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
    return r._cue("functional_goal")


@_fact("work.return_to_work_goal")
def _rtw(r: FactResolver) -> FactValue:
    hits = [s for s in r.facts.plans + r.facts.function + r.facts.work_status if re.search(r"return to (work|duty)", s.text, re.I)]
    if hits:
        return FactValue(True, _ev(*hits))
    return r._cue("return_to_work_goal")


@_fact("psych.evaluation_done")
def _psych(r: FactResolver) -> FactValue:
    ts = [t for t in r.facts.treatments if re.search(r"psych", (t.kind + " " + (t.detail or "")), re.I) and t.status != "planned"]
    if ts:
        return FactValue(True, _ev(*ts))
    return r._cue("psych_evaluation_done")


@_fact("patient.motivated")
def _motivated(r: FactResolver) -> FactValue:
    return r._cue("motivated")


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
    v = r._cue("homebound")
    if v.value:
        return v
    neg = r._cue("homebound_mentioned")
    if neg.value:  # mentioned, but only negated ("not homebound")
        return FactValue(False, neg.evidence)
    amb = r._cue("leaves_home")
    if amb.value:
        return FactValue(False, amb.evidence)
    return NONE


# a fracture at the wrist, as diagnoses name it ("fracture of left distal radius", "Colles fracture", "scaphoid fx")
_WRIST_FRACTURE = re.compile(r"\b(fracture|fx)\b[^.;]{0,40}\b(distal radi\w*|radius|wrist|scaphoid)\b"
                             r"|\b(distal radi\w*|radius|radial|wrist|colles'?|smith'?s?|scaphoid)\s+(\w+\s+)?(fracture|fx)\b", re.I)


@_fact("injury.acute_carpal_tunnel")
def _acute_carpal_tunnel(r: FactResolver) -> FactValue:
    """A wrist fracture under 6 weeks old (ACOEM's initial-care window) with numbness in the median nerve's territory:
    the nerve compressed by the injury, not the elective syndrome (letters9). False otherwise, so the elective criteria
    are judged as before."""
    fractures: list[Any] = [d for d in r.facts.diagnoses if _WRIST_FRACTURE.search(d.text)]
    fractures += [s for s in r.facts.imaging if s.present and "fracture" in s.finding.lower() and _regions_match(s.body_region, "wrist")]
    deficits = [c for c in r._cues("median_distribution_deficit") if c.present]
    weeks = r.get("pain.duration_weeks").value
    if fractures and deficits and weeks is not None and weeks < 6:
        return FactValue(True, _dedupe_evidence([*_ev(*fractures), *(e for c in deficits[:2] for e in c.evidence)]))
    return FactValue(False)


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
        if r.facts.pain:
            return FactValue(True, _ev(*r.facts.pain[:2]))
        # (drugs9) a request with no region (a drug): a complaint or sign found on examination is a symptom too ("c/o
        # LBP ... SLR + R", "neck and arm pain ... Spurling +"), as is a diagnosis of the clinical notes
        signs = [f for f in r.facts.findings if f.present and r._clinical(f) and f.name not in _NOT_SYMPTOMS]
        dx = [d for d in r.facts.diagnoses if r._clinical(d)]
        return FactValue(True, _ev(*(signs + dx)[:3])) if signs or dx else NONE
    hits = [p for p in r.facts.pain if _regions_match(p.body_region, region)]
    hits += [f for f in r.facts.findings if f.present and _regions_match(f.body_region, region)]
    hits += [d for d in r.facts.diagnoses if _regions_match(d.body_region or d.text, region)]
    return FactValue(True, _ev(*hits[:4])) if hits else NONE


# findings that are about care or monitoring, not the worker's symptoms
_NOT_SYMPTOMS = frozenset({"uds_consistent", "cures_reviewed", "opioid_agreement", "aberrant_behavior", "return_to_work",
                           "functional_improvement", "home_exercise_program", "failed_conservative_treatment",
                           "adverse_effects", "gi_risk_factors"})


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
    ther = r._cue("therapeutic", mentions=pat)
    diag = r._cue("diagnostic", mentions=pat)
    if ther.value and not diag.value:
        return ther
    if diag.value and not ther.value:
        return FactValue(False, diag.evidence)
    return NONE


# A sentence that reports the utilization review's determination: its reasons are the reviewer's, not the
# requesting physician's (issue #11: the UR's opinion is not a clinical finding).
_UR_SENTENCE = re.compile(r"\b(utilization review|UR|prior determination|non-?certif|not (found )?medically necessary|"
                          r"(was|were) (denied|modified)|peer review)\b", re.I)


@_fact("request.reason_stated")
def _reason_stated(r: FactResolver) -> FactValue:
    pat = r._topic_pattern()
    if pat is None:
        return NONE
    if r.topic is not None and r.topic.id == "specialist-consultations":
        pat += r"|\brefer(?:s|red|ring)?\b"  # (r11rehab) the plan's verb names the referral: "refer to pain mgmt for ..."
    hits = [c for c in r._cues("reason_stated", mentions=pat)
            if c.present and r._clinical(c) and not _UR_SENTENCE.search(c.text)]
    return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


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
    if r.get("request.is_repeat").value is False:  # a first course: nothing before it to add (one reading of the record)
        return FactValue(req.value)
    prior = r.get("treatment.prior_same.sessions")
    return FactValue(req.value + (prior.value or 0), prior.evidence)


@_fact("request.body_region")
def _req_region(r: FactResolver) -> FactValue:
    """The request's region at the fact's granularity: a limb wins over the spine it is tested for (an EMG of
    the lower extremities), an SI joint is lumbar, and a system (abdomen) is not a body region."""
    for text in (r.request.body_region, r.request.text):
        found = [reg for reg in regions_in(text) if reg != "abdomen"]
        if not found:
            continue
        for limb in ("lower extremity", "upper extremity"):
            if limb in found:
                return FactValue(limb)
        return FactValue("lumbar" if found[0] == "sacroiliac" else found[0])
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
    v = r._cue("skilled_home_care")
    if v.value:
        return v
    v = r._cue("custodial_home_care")
    if v.value:
        return FactValue(False, v.evidence)
    return NONE


@_fact("request.intermittent_visits")
def _intermittent_visits(r: FactResolver) -> FactValue:
    """Visits of a nurse or therapist ("daily RN for 4 weeks", "wound care nurse, 1-2 visits") are intermittent care, not
    hours of attendance; a request that states hours is judged by them (letters9)."""
    t = r.request.text
    if re.search(r"\d\s*(hours?|hrs?)\b", t, re.I):
        return FactValue(False)
    if re.search(r"\b(RN|LVN|nurs\w*|physical therap\w*|occupational therap\w*)\b", t, re.I):
        return FactValue(True)
    return NONE


@_fact("home_health.post_acute")
def _post_acute(r: FactResolver) -> FactValue:
    """The weeks after a major surgery or a hospital stay, stated in a current clinical note (letters9). False when no note
    says so, so that the criteria for other home care are judged as before."""
    hits = [c for c in r._cues("post_acute_care") if c.present and r._clinical(c)]
    if hits:
        return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence))
    return FactValue(False)


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
    (r"arthroplasty|replacement|\btk[ar]\b|\buka\b", "knee arthroplasty"), (r"rotator cuff|cuff repair|\brcr\b", "rotator cuff repair"),
    (r"subacromial|acromioplasty", "subacromial decompression"), (r"carpal tunnel", "carpal tunnel release"),
    (r"knee.*arthroscop|arthroscop.*knee", "knee arthroscopy"), (r"shoulder.*arthroscop|arthroscop.*shoulder", "shoulder arthroscopy"),
)


@_fact("treatment.surgery.type")
def _surgery_type(r: FactResolver) -> FactValue:
    surgeries = r._regional_surgeries()
    if not surgeries:
        # post-operative care requested with the surgery itself: the care follows that surgery
        companion = r._companion_surgery()
        return FactValue(companion) if companion else NONE

    def key(t: Treatment) -> dt.date:
        ds = [d for d in (parse_partial_date(x) for x in t.dates) if d]
        return max(ds) if ds else (t.document_date or dt.date.min)

    latest = max(surgeries, key=key)
    # a surgery read with no region of its own is on the request's region (`_regional_surgeries` kept it for that):
    # "arthroscopy" in a shoulder operative report is a shoulder arthroscopy (issue #11, inj9)
    text = f"{latest.detail or ''} {latest.body_region or r.request.body_region or ''}".lower()
    if not latest.detail:
        # an operative report read without a detail names the procedure in the spans that found it ("rotator cuff
        # repair", "carpal tunnel release"): those words are the surgery's (issue #11, rehab)
        text += " " + " ".join(e.quote for e in latest.evidence).lower()
    for rx, name in _SURGERY_TYPES:
        if re.search(rx, text):
            if name == "knee arthroplasty" and "knee" not in text:
                continue
            return FactValue(name, _ev(latest))
    return FactValue(r._companion_surgery() or "other", _ev(latest))


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
    for c in r._cues("block_result"):  # the record's own words, in document order
        if c.value is not None:
            if threshold is None:
                return NONE
            return FactValue(c.value >= threshold, tuple(c.evidence))
        return FactValue(True, tuple(c.evidence))
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
    v = r._cue("significant_change")
    if v.value:
        return v
    # a progressive deficit denied, or symptoms written as the same as before: no significant change (read8)
    if r.get("finding.progressive_neurologic_deficit").value is False:
        return r.get("finding.progressive_neurologic_deficit")
    same = [c for c in r._cues("symptoms_unchanged")]
    if same:
        return FactValue(False, _dedupe_evidence(e for c in same[:3] for e in c.evidence))
    return NONE


@_fact("opioid.current")
def _opioid_current(r: FactResolver) -> FactValue:
    return r._med_class(OPIOID_TOPICS, exclude_requested=False)


# a bare "4/14" beside a screen: month 4 whether it means April 14 or April 2014 (read8)
_BARE_MONTH = re.compile(r"(?<![\d/.-])(1[0-2]|0?[1-9])/(\d{2})(?![\d/.-])")


_OPENS_WITH_DATE = re.compile(r"\s*(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}/(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2})\b")


def _screen_dates_after(r: FactResolver, f: Finding) -> list[dt.date | None]:
    """The dates a screen's own clause lists after its mention ("UDS: 3/2016 fine, 9/2016 fine", "UDS 4/14 and
    8/14 both consistent"), up to the clause's end; a bare month/number is that month of the latest year not
    after the note."""
    texts = getattr(r, "_doc_texts", None)
    if texts is None:
        texts = r._doc_texts = {d.id: d.text or "" for d in r.case.documents}
    out: list[dt.date | None] = []
    note = f.document_date
    for e in f.evidence:
        text = texts.get(e.document, "")
        parts = re.split(r";", re.split(r"\n|\.(?:\s|$)", text[e.start : e.start + 160])[0])
        # a list of screens, each after a semicolon with its own date ("UDS: 8/2016 consistent; 10/2016 consistent;
        # 12/2016 consistent"): the clause runs on while each part opens with a date (issue #11, other9)
        clause = parts[0]
        for part in parts[1:]:
            if not _OPENS_WITH_DATE.match(part):
                break
            clause += ";" + part
        out += [to_date(date_from_match(m)) for m in DATE_RX.finditer(clause)]
        if note is None:
            continue
        for m in _BARE_MONTH.finditer(clause):  # full dates ("9/14/15", "3/2016") are not bare: the lookarounds
            month = int(m.group(1))
            out.append(dt.date(note.year if month <= note.month else note.year - 1, month, 1))
    return out


_BARE_YEAR = re.compile(r"\b(?:in|since|of|from|during)\s+((?:19|20)\d\d)\b", re.I)


@_fact("uds.count_past_year")
def _uds_count(r: FactResolver) -> FactValue:
    window = r.param("uds_count_window_days")
    if window is None:
        return NONE
    # One screen per month it was done: a screen is dated by the dates its own mention names ("UDS 11/20/14 c/w",
    # "UDS 2/10/15, 4/14/15, 6/2/15 - all c/w", "last done 1/2015"), else by its note. Before, every note that
    # mentioned the same screen counted once more, and a screen named only by the UR letter counted too.
    screens: dict[tuple[int, int], Any] = {}
    for f in r._findings("uds_consistent"):
        if not r._clinical(f):
            continue
        # every mention's own words (one finding gathers a note's mentions: "UDS 3/2016 c/w. UDS 9/2016 c/w")
        named = [to_date(date_from_match(m)) for src in dict.fromkeys([f.text or "", *(e.quote for e in f.evidence)])
                 for m in DATE_RX.finditer(src)]
        named += _screen_dates_after(r, f)
        if not any(named) and f.document_date:
            # read10: a screen dated by its year alone ("last obtained in 2012"): the latest day that year could be
            named = [min(dt.date(int(y), 12, 31), f.document_date) for src in dict.fromkeys(e.quote for e in f.evidence)
                     for y in _BARE_YEAR.findall(src) if int(y) <= f.document_date.year]
        days = [d for d in named if d] or ([f.document_date] if f.document_date else [])
        for day in days:
            if r.on and (day > r.on or (r.on - day).days > window):
                continue
            screens.setdefault((day.year, day.month), f)
    return FactValue(len(screens), _ev(*screens.values()))


_BMI_FIGURE = re.compile(r"\b(?:bmi|body\s+mass\s+index)\W{0,3}(?:of|is|was|=|:)?\s*(\d{2}(?:\.\d+)?)\b", re.I)


@_fact("patient.bmi")
def _bmi(r: FactResolver) -> FactValue:
    """The body-mass index a clinical note states, the latest note's (r10other)."""
    hits = [c for c in r._cues("bmi_stated") if c.present and r._clinical(c) and not r._ur_document(c)]
    for c in sorted(hits, key=lambda c: c.document_date or dt.date.min, reverse=True):
        m = _BMI_FIGURE.search(c.text)
        if m and 12 <= float(m.group(1)) <= 90:
            return FactValue(float(m.group(1)), tuple(c.evidence))
    return NONE


@_fact("hardware.symptomatic")
def _hardware_symptomatic(r: FactResolver) -> FactValue:
    """Fixation hardware painful, prominent or broken, as a clinical note states it (r10other)."""
    hits = [c for c in r._cues("hardware_symptomatic") if c.present and r._clinical(c) and not r._ur_document(c)]
    return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


@_fact("hardware.other_causes_excluded")
def _hardware_other_causes(r: FactResolver) -> FactValue:
    """The fracture the hardware fixed is healed, as a clinical note states it (r10other)."""
    hits = [c for c in r._cues("fracture_healed") if r._clinical(c) and not r._ur_document(c)]
    if any(c.present for c in hits):
        return FactValue(True, _dedupe_evidence(e for c in hits[:3] if c.present for e in c.evidence))
    return FactValue(False, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


@_fact("finding.fracture")
def _fracture(r: FactResolver) -> FactValue:
    """A fracture a clinical note states as seen (r11dme): a diagnosis naming one, or a note's "distal radius fx";
    None otherwise (a fracture ruled out, suspected or healed is not one)."""
    dx = [d for d in r.facts.diagnoses if positive_mention(expand_abbreviations(d.text), _FRACTURE_WORD)]
    if dx:
        return FactValue(True, _ev(*dx[:2]))
    hits = [c for c in r._cues("fracture_seen") if c.present and r._clinical(c) and not r._ur_document(c)]
    return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


_FRACTURE_WORD = re.compile(r"\bfracture", re.I)


@_fact("finding.suspected_fracture")
def _suspected_fracture(r: FactResolver) -> FactValue:
    """A fracture a clinical note suspects but has not seen (r11dme): "r/o occult scaphoid fx", snuffbox tenderness.
    None when no note says so (the record's silence is not a finding)."""
    hits = [c for c in r._cues("fracture_suspected") if c.present and r._clinical(c) and not r._ur_document(c)]
    return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


@_fact("treatment.mood_or_sleep_improved")
def _mood_sleep_improved(r: FactResolver) -> FactValue:
    """Mood or sleep written as better in a clinical note (r11drug): the CPMTG measures an antidepressant's effect by
    sleep and mood as well as pain and function. A note saying it is no better is False; silence is unknown."""
    hits = [c for c in r._cues("mood_sleep_improved") if r._clinical(c) and not r._ur_document(c)]
    pos = [c for c in hits if c.present]
    if pos:
        return FactValue(True, _dedupe_evidence(e for c in pos[:3] for e in c.evidence))
    return FactValue(False, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


@_fact("diagnosis.infection")
def _infection(r: FactResolver) -> FactValue:
    """A bacterial infection a clinical note charts as present (r11drug: an antibiotic's indication); a record silent
    about infection leaves the fact unknown."""
    hits = [c for c in r._cues("infection") if c.present and r._clinical(c) and not r._ur_document(c)]
    return FactValue(True, _dedupe_evidence(e for c in hits[:3] for e in c.evidence)) if hits else NONE


@_fact("work.mmi")
def _mmi(r: FactResolver) -> FactValue:
    return r._cue("mmi")



# -- facts added for the imaging, DME and service topics (issue 10) ----------------------------------


@_fact("imaging.radiographs_done")
def _radiographs(r: FactResolver) -> FactValue:
    studies = [s for s in r._imaging_in_region() if re.search(r"x-?ray|radiograph|plain film", s.modality, re.I)]
    if studies:
        return FactValue(True, _ev(*studies))
    return FactValue(False) if r.facts.imaging else NONE


def _cue_or_contrary(r: FactResolver, yes: str, contrary: str) -> FactValue:
    """True where the record says `yes`; else False where it says the contrary; else unknown."""
    v = r._cue(yes)
    if v.value:
        return v
    c = r._cue(contrary)
    if c.value:
        return FactValue(False, c.evidence)
    return NONE


@_fact("function.mobility_limited")
def _mobility(r: FactResolver) -> FactValue:
    return _cue_or_contrary(r, "mobility_limited", "ambulates")


@_fact("function.cannot_self_transport")
def _transport(r: FactResolver) -> FactValue:
    return _cue_or_contrary(r, "cannot_drive", "drives")


@_fact("hearing.loss_documented")
def _hearing(r: FactResolver) -> FactValue:
    return r._cue("hearing_loss")


_RISK_LEVEL = re.compile(r"\b(low|moderate|medium|high)[- ]risk\b", re.I)


@_fact("opioid.risk_level")
def _opioid_risk(r: FactResolver) -> FactValue:
    for c in r._cues("opioid_risk"):
        m = _RISK_LEVEL.search(c.text)
        if m:
            level = {"medium": "moderate"}.get(m.group(1).lower(), m.group(1).lower())
            return FactValue(level, tuple(c.evidence))
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


# -- issue 11 (devdec): services that exist only for a procedure ------------------------------------------------

_PERIOPERATIVE = re.compile(
    r"\b(?:pre|post)[- ]?op(?:erative(?:ly)?)?\b|associated surgical service|\b(?:after|following|before|prior to|for)"
    r" (?:the |his |her )?(?:surgery|operation|procedure)\b|\bsurgical (?:assistant|clearance|service)",
    re.I,
)


@_fact("request.perioperative")
def _request_perioperative(r: FactResolver) -> FactValue:
    """The request names surgery as its purpose; the request's own words, never the record's."""
    return FactValue(bool(_PERIOPERATIVE.search(r.request.text)))


def _decided_procedures(r: FactResolver) -> list[tuple[str, str]]:
    """The decided surgeries this item may accompany: not one on another part of the body than the item's own (post-op
    therapy for the shoulder does not follow a knee operation); an item or surgery with no region stated matches."""
    from openimr.lexicon.regions import limb_of

    mine = r.request.body_region

    def near(region: str | None) -> bool:  # the same region, or the same limb ("upper extremity" after a shoulder)
        return (mine is None or region is None or _regions_match(mine, region)
                or (limb_of(mine) is not None and limb_of(mine) == limb_of(region)))

    return [(req, dec) for req, dec, region in (r.procedures or ())
            if dec in ("Upheld", "Overturned") and req != r.request.text and near(region)]


@_fact("procedure.associated_necessary")
def _associated_necessary(r: FactResolver) -> FactValue:
    """Whether the surgery this service accompanies was drafted medically necessary. With several surgeries
    disputed, one drafted necessary is enough: the service may belong to it."""
    decided = _decided_procedures(r)
    if not decided:
        return NONE
    return FactValue(any(dec == "Overturned" for _, dec in decided))


@_fact("procedure.associated_request")
def _associated_request(r: FactResolver) -> FactValue:
    decided = _decided_procedures(r)
    if not decided:
        return NONE
    return FactValue("; ".join(req for req, _ in decided))


# (r13other) the kind of operation a stay or service serves, as ODG groups operations for its usual length of stay:
# a fusion or joint replacement (days), an open decompression of a nerve root or canal (about a day), an arthroscopy
# (day surgery). Listed longest stay first: with several operations drafted necessary, the longest decides.
_OPERATION_KINDS = (
    ("fusion", re.compile(r"\bfusion\b|arthrodesis|\bACDF\b|\b[TPAX]LIF\b", re.I)),
    ("arthroplasty", re.compile(r"arthroplast\w*|joint replacement|(?:knee|hip|shoulder) replacement|\b(?:T|U|R|RT)[KHS]A\b|\bT[KH]R\b", re.I)),
    ("decompression", re.compile(r"discectom\w*|laminectom\w*|laminotom\w*|foraminotom\w*|hemilaminectom\w*|"
                                 r"\bspinal decompression|\blumbar decompression|\bcervical decompression|\bmicrodisc\w*", re.I)),
    ("arthroscopy", re.compile(r"arthroscop\w*|\bscope\b", re.I)),
)


@_fact("procedure.associated_kind")
def _associated_kind(r: FactResolver) -> FactValue:
    """The kind of the operation drafted necessary that this item accompanies (the longest-stay kind when several
    are), None when none is drafted necessary or its kind is not one ODG's stay table groups."""
    necessary = [req for req, dec in _decided_procedures(r) if dec == "Overturned"]
    for kind, rx in _OPERATION_KINDS:
        if any(rx.search(req) for req in necessary):
            return FactValue(kind)
    return NONE


# (r11dme) operations for which ODG's surgical-assistant entry (drawing on the surgical societies' and CMS's lists)
# takes an assistant as customary: a joint replacement and a spinal fusion, as requests and plans write them
_ASSISTED_OPERATION = re.compile(
    r"arthroplast\w*|joint replacement|(?:knee|hip|shoulder) replacement|\b(?:T|U|R|RT)[KHS]A\b|\bT[KH]R\b|"
    r"\bfusion\b|arthrodesis|\bACDF\b|\b[TPAX]LIF\b", re.I)


@_fact("procedure.assistant_customary")
def _assistant_customary(r: FactResolver) -> FactValue:
    """The operation an assistant surgeon would serve is one where an assistant is customary: a joint replacement or a
    spinal fusion, read from the surgery disputed in the same case or, failing one, the surgery a note plans. None
    when no such operation is named (the complexity must then be stated)."""
    for item in r.case.disputed_items:
        if item.request != r.request.text and _ASSISTED_OPERATION.search(item.request):
            return FactValue(True)
    hits = [p for p in r.facts.plans if _ASSISTED_OPERATION.search(p.text) and r._clinical(p) and not r._ur_document(p)]
    return FactValue(True, _ev(*hits[:2])) if hits else NONE


@_fact("electrodiagnostics.prior_same_limb")
def _edx_prior(r: FactResolver) -> FactValue:
    """A study already done in the limb the request tests. A study that found something (or was normal) counts
    when its region is that limb's or unstated; one that only rules a finding out counts only when it names a
    region of that limb (so a sentence saying no study shows X is not taken for a study elsewhere)."""
    from openimr.lexicon.regions import limb_of

    limb = limb_of(r.request.body_region) or limb_of(r.request.text)
    if limb is None:
        return NONE
    # r11proc: a study read only from the reviewer's determination or the request ("the findings are consistent with
    # carpal tunnel syndrome; electrodiagnostic testing is not needed") is not a study done
    hits = [s for s in r.facts.electrodiagnostics
            if (limb_of(s.body_region) == limb or (s.present and s.body_region is None)) and r._clinical(s)]
    return FactValue(True, _ev(*hits)) if hits else FactValue(False)


@_fact("function.gait_impaired")
def _gait_impaired(r: FactResolver) -> FactValue:
    """Walking unsafe or limited (issue #11, dxread): a gait or walking statement of the latest notes, or the
    stronger statement that the worker cannot walk safely; a normal gait or walking independently is False."""
    v = r._cue("gait_impaired")
    if v.value:
        return v
    return _cue_or_contrary(r, "mobility_limited", "ambulates")


# -- issue #11 (other9): referrals and evaluations ------------------------------------------------------------------

_PSYCH_REFERRAL = re.compile(r"\bpsych(?:iatr\w*|olog\w*)?\b", re.I)


@_fact("request.psych_referral")
def _psych_referral(r: FactResolver) -> FactValue:
    """The request names psychiatry or psychology ("Psychiatric consultation", "referral to pain psychologist")."""
    return FactValue(bool(_PSYCH_REFERRAL.search(r.request.text)))


# (r11rehab) a referral to a pain specialist: "Pain management consultation", "refer to pain medicine", "pain clinic
# referral", "addiction medicine consult" (the opioid guideline sends a worker on high doses to such a specialist)
_PAIN_REFERRAL = re.compile(r"\bpain\s+(?:management|medicine|mgmt|specialist|clinic|physician)|\baddiction\s+medicine", re.I)


@_fact("request.pain_referral")
def _pain_referral(r: FactResolver) -> FactValue:
    """The request is a consultation with a pain-medicine or addiction-medicine specialist."""
    return FactValue(bool(_PAIN_REFERRAL.search(r.request.text)))


# (r11rehab) a standing series of screens as a request writes it: "monthly x12", "UDS q month", "quarterly", "every 3
# months", "x4": the screens it asks for within a year (a period gives 12 / months; a count caps it)
_SERIES_PERIOD = re.compile(r"\b(?:(monthly|q\.?\s*(?:1\s*)?mo(?:nth)?|every\s+month)|(quarterly)|(?:q\.?\s*|every\s+)(\d{1,2})\s*"
                            r"(?:months?|mos?)\b|(weekly|every\s+week)|(bi-?monthly|every\s+(?:other|2)\s+months?))", re.I)
_SERIES_COUNT = re.compile(r"(?:\bx\s*|\#\s*|\btimes\s+)(\d{1,2})\b(?!\s*(?:mg|mcg|ml|days?|wks?|weeks?))|\b(\d{1,2})\s+(?:screens|tests)\b", re.I)


@_fact("request.tests_per_year")
def _tests_per_year(r: FactResolver) -> FactValue:
    """How many tests a request for a series asks for within a year; None for a single test or an unstated number."""
    t = r.request.text
    per_year = None
    m = _SERIES_PERIOD.search(t)
    if m:
        per_year = (12 if m.group(1) else 4 if m.group(2) else 12 // max(1, int(m.group(3))) if m.group(3)
                    else 52 if m.group(4) else 6)
    c = _SERIES_COUNT.search(t)
    count = int(c.group(1) or c.group(2)) if c else None
    if per_year is None:
        return FactValue(count) if count and count > 1 else NONE
    return FactValue(min(per_year, count) if count else per_year)


_IMPLANT = re.compile(r"\bspinal\s+cord\s+stim\w*|\bSCS\b|dorsal\s+column\s+stim\w*|intrathecal|\bIDDS\b|"
                      r"(?:pain|morphine|drug)\s+pump", re.I)


@_fact("plan.implant")
def _plan_implant(r: FactResolver) -> FactValue:
    """An SCS or intrathecal pump is requested (this item or another disputed in the case) or planned in a note."""
    if _IMPLANT.search(r.request.text) or any(_IMPLANT.search(it.request) for it in r.case.disputed_items):
        return FactValue(True)
    hits = [p for p in r.facts.plans if p.kind == "spinal cord stimulator" or _IMPLANT.search(p.text)]
    hits = [p for p in hits if r._clinical(p) and not r._ur_document(p)]
    return FactValue(True, _ev(*hits[:2])) if hits else NONE


_SURGICAL_REFERRAL = re.compile(r"\bsurg\w*|\bortho\w*|neurosurg\w*|\bspine\s+(?:specialist|consult\w*)", re.I)


@_fact("request.surgical_referral")
def _surgical_referral(r: FactResolver) -> FactValue:
    """The request is a consultation with a surgeon ("Ortho hand surgery consultation", "orthopedic referral, knee")."""
    return FactValue(bool(_SURGICAL_REFERRAL.search(r.request.text)))


_NCS = re.compile(r"\bNCVs?\b|\bNCSs?\b|nerve conduction", re.I)
_EMG = re.compile(r"\bEMGs?\b|electromyogra|electro[- ]?diagnos|\bEDX\b", re.I)


@_fact("request.nerve_conduction_only")
def _ncs_only(r: FactResolver) -> FactValue:
    t = r.request.text
    return FactValue(bool(_NCS.search(t)) and not _EMG.search(t))


_PERIPHERAL = re.compile(r"\b(?:poly)?neuropath\w*|entrapment|tarsal\s+tunnel|peroneal|fibular\s+nerve|meralgia|"
                         r"diabet\w*|\bDM\b|\bCRPS\b|complex\s+regional", re.I)


@_fact("diagnosis.peripheral_nerve")
def _peripheral_nerve(r: FactResolver) -> FactValue:
    """A peripheral nerve problem the conduction study would clarify, from the diagnoses, comorbidities and
    electrodiagnostic or imaging findings; otherwise False (the study is then for presumed radicular symptoms)."""
    pool = [*r.facts.diagnoses, *r.facts.comorbidities]
    hits = [d for d in pool if positive_mention(d.text, _PERIPHERAL)]
    return FactValue(True, _ev(*hits[:3])) if hits else FactValue(False)


_CRPS = re.compile(r"\bCRPS\b|complex\s+regional|reflex\s+sympathetic|\bRSD\b|causalgia", re.I)


@_fact("diagnosis.crps")
def _dx_crps(r: FactResolver) -> FactValue:
    """(strict) CRPS among the diagnoses, not negated: the CPMTG's physical medicine course is longer for it. False
    when no diagnosis names it, even in a record without a diagnosis list: the longer course is for a documented CRPS,
    and the general course is then judged as it was (a cap exceeded stays unmet, not undocumented)."""
    hits = [d for d in r.facts.diagnoses if positive_mention(expand_abbreviations(d.text), _CRPS)]
    if hits:
        return FactValue(True, _ev(*hits[:3]))
    return FactValue(False)


_CONFIRMATORY = re.compile(r"\b[LG]C ?[/-] ?MS\b|mass spectrometr\w*|chromatograph\w*|confirmat\w*|quantitative", re.I)


_CONFIRM_IF = re.compile(r"\b(?:as|when|if)\s+(?:indicated|needed|necessary)|\bif\s+(?:positive|unexpected|inconsistent)|"
                         r"\bunexpected\s+results?", re.I)


@_fact("request.confirmatory_testing")
def _confirmatory(r: FactResolver) -> FactValue:
    """The drug test requested is a confirmation ("quantitative LC/MS confirmation of all analytes"); a screen whose
    confirmation is kept for unexpected results ("with confirmation as indicated") is a screen."""
    t = r.request.text
    return FactValue(bool(_CONFIRMATORY.search(t)) and not _CONFIRM_IF.search(t))


# r9other (issue #11): ODG's neck chapter does not recommend a collar after a single-level anterior cervical fusion
# with a plate; the surgery is the one disputed with the item, its levels read from its request
_ANTERIOR_CERVICAL_FUSION = re.compile(r"\bACDF\b|anterior cervical (?:discectomy\s+(?:and|&|with)\s+)?fusion", re.I)


@_fact("procedure.single_level_anterior_cervical_fusion")
def _single_level_acdf(r: FactResolver) -> FactValue:
    from openimr.guidelines.classifier import classify

    for item in r.case.disputed_items:
        if item.request == r.request.text or not _ANTERIOR_CERVICAL_FUSION.search(item.request):
            continue
        n = count_levels(classify(item.request).levels)
        if n is not None:
            return FactValue(n == 1)
    return NONE

