"""The request classifier: a disputed-item string as RFAs and UR letters write it -> ClassifiedRequest.

    "Norco 10/325mg #120"           -> opioids; hydrocodone/acetaminophen, Norco, 10/325mg, 120
    "Left L3-S1 Facet Block"        -> facet-injections; left; levels ["L3-S1"]; lumbar
    "PT 2x6 lumbar"                 -> physical-therapy; sessions 12, frequency "2x6"; lumbar

How the topic is chosen, in order (first that answers wins):
0. The whole request is a synonym (or generic) of exactly one knowledge-base topic: that topic (the
   topic's authors decided, e.g. "psychiatric evaluation").
1. Procedure patterns (`_PROCEDURE_RULES`, most specific first: post-operative PT before PT, medial
   branch blocks and radiofrequency before facet injections, MRI by body region ...). A request that
   *begins* with "office visit"/"consultation"/"referral" is that visit, whatever it is for.
2. The drug lexicon (`openimr.guidelines.drugs`): the drug's topic, moved by the dosage form where
   that matters (diclofenac gel -> topical NSAIDs; a compound of several drugs, or an oral drug written
   as a cream or at a percent strength -> topical analgesics).
3. Knowledge-base synonyms (each topic's `synonyms` and `generics`), as whole phrases.
4. Typos: a word of 5+ letters that is not a vocabulary word but within one edit of one (a
   transposition counts as one edit) is corrected, and steps 1-3 run again.
Otherwise the topic is None and `candidates` lists the nearest topics with scores: never a guess.

The parts (strength, quantity, frequency, laterality, levels, body region, sessions) are read by
regular expressions, independent of the topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from openimr.errors import InputError
from openimr.guidelines.drugs import DrugInfo, default_lexicon, find_drug_mentions
from openimr.lexicon.levels import level_region
from openimr.lexicon.numbers import NUMBER_WORDS
from openimr.lexicon.regions import REGIONS as LEXICON_REGIONS
from openimr.models.request import Candidate, ClassifiedRequest, DrugRequest

MAX_LENGTH = 2000
CANDIDATE_COUNT = 3

# Category of each agreed topic, used when the knowledge base lacks the topic (or is not given).
TOPIC_CATEGORY: dict[str, str] = {
    **dict.fromkeys(
        [
            "opioids", "tramadol", "carisoprodol", "muscle-relaxants", "benzodiazepines", "sleep-aids",
            "nsaids", "ppis", "antiepileptics", "antidepressants", "topical-analgesics", "lidocaine-patch",
            "topical-salicylates", "topical-nsaids", "medical-foods", "acetaminophen", "antiemetics",
        ],
        "drug",
    ),
    **dict.fromkeys(
        [
            "epidural-steroid-injections", "facet-injections", "medial-branch-blocks", "radiofrequency-neurotomy",
            "sacroiliac-joint-injections", "trigger-point-injections", "knee-injections", "shoulder-injections",
            "botulinum-toxin", "spinal-cord-stimulation",
        ],
        "injection",
    ),
    **dict.fromkeys(
        [
            "physical-therapy", "postsurgical-physical-therapy", "chiropractic", "acupuncture", "aquatic-therapy",
            "massage", "psychological-treatment", "biofeedback",
        ],
        "therapy",
    ),
    **dict.fromkeys(["work-conditioning", "functional-restoration-program"], "program"),
    **dict.fromkeys(
        ["home-exercise-equipment", "tens", "h-wave", "interferential-current", "cold-therapy-units", "lumbar-supports"],
        "dme",
    ),
    **dict.fromkeys(["mri-lumbar", "mri-cervical", "mri-shoulder", "mri-knee", "x-rays"], "imaging"),
    "emg-ncv": "electrodiagnostics",
    "urine-drug-testing": "laboratory",
    "functional-capacity-evaluation": "evaluation_and_management",
    **dict.fromkeys(
        ["lumbar-decompression", "lumbar-fusion", "knee-arthroscopy", "shoulder-arthroscopy", "carpal-tunnel-release"],
        "surgery",
    ),
    **dict.fromkeys(["office-visits", "specialist-consultations"], "evaluation_and_management"),
    "home-health-services": "home_services",
}

# Topics whose requests count visits/sessions ("2x6", "12 sessions").
VISIT_TOPICS = frozenset(
    {
        "physical-therapy", "postsurgical-physical-therapy", "chiropractic", "acupuncture", "aquatic-therapy",
        "massage", "psychological-treatment", "biofeedback", "work-conditioning", "functional-restoration-program",
        "office-visits", "home-health-services",
    }
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# ------------------------------------------------------------------ body regions
# The lexicon's regions; a request names a musculoskeletal region (a system such as the abdomen is
# read from the request's words by the topic rules, not as a region).
_REGIONS: list[tuple[str, re.Pattern[str]]] = [(n, rx) for n, rx in LEXICON_REGIONS if n != "abdomen"]

# ------------------------------------------------------------------ procedure patterns
_INJECT = r"(?:inject|\binj\b|\binjs?\b|shots?\b|cortisone|corticosteroid|steroid|kenalog|depo[- ]?medrol|aspiration|viscosupp|hyaluron)"
_POSTOP = _rx(
    r"post[- ]?op|postop|post[- ]?operative|post[- ]?surg|after (?:the )?surgery|following (?:the )?surgery|"
    r"\bs/p\b|status[- ]post"
)
_POSTOP_DEVICE = _rx(r"\b(?:units?|machines?|devices?|sling|brace|pillow|rental|rent|purchase|pump|wraps?|pads?|stimulator|"
                     r"TENS|walker|crutch\w*|cold|ice|cryo\w*|DME|equipment|polar|game ready)\b")
_PT = _rx(r"\bPT\b|\bOT\b|occupational therap|physical therap|physio|\bphys\.? ?ther|physical medicine|therapeutic exercise|\bP\.T\.|\bPTx\b|rehab")
_MRI = _rx(r"\bMRI'?s?\b|magnetic resonance|\bMR\b|\bMRA\b|\bMRIs\b")
_CT = _rx(r"\bCT\b|\bCAT scan|computed tomograph|myelogra")
_HEAD = _rx(r"\bhead\b|\bbrain|skull|intracranial")
_LEVEL = re.compile(r"\b([CTLS])\s*(\d{1,2})\b", re.IGNORECASE)


@dataclass
class _Ctx:
    text: str
    regions: list[str]
    levels: list[str]

    def has(self, rx: re.Pattern[str] | str) -> bool:
        pattern = rx if isinstance(rx, re.Pattern) else _rx(rx)
        return pattern.search(self.text) is not None

    def region_in(self, *names: str) -> bool:
        return any(r in names for r in self.regions)

    def cervical_only(self) -> bool:
        cervical = "cervical" in self.regions or any(lv.startswith("C") for lv in self.levels)
        lumbar = "lumbar" in self.regions or any(lv[0] in "LS" for lv in self.levels)
        return cervical and not lumbar


# A rule: (topic or "" for "no topic, just candidates", trigger pattern, extra check, candidates when
# the check fails). Order matters: the first rule whose trigger and check pass gives the topic.
RuleCheck = Callable[[_Ctx], bool]
# words of a service that accompanies an operation rather than the operation itself (r9other)
_WITH_SURGERY = (r"collar|brace|orthosis|therap|\bPT\b|rehab|stimulat|assistant|surgeon|clearance|\blabs?\b|\bstay\b|inpatient|"
                 r"admission|\bdays?\b|x-?rays?|\bMRI\b|\bCT\b|\bEKG\b|\bECG\b|cold|pillow|\bbed\b|home health|transport|"
                 r"\bvisits?\b|consult|follow[- ]?up|cryo|compression|\bpost[- ]?op")


@dataclass(frozen=True)
class _Rule:
    topic: str
    trigger: re.Pattern[str]
    check: RuleCheck | None = None
    fallback: tuple[str, ...] = ()  # candidates when the trigger matched but the check failed


_PROCEDURE_RULES: list[_Rule] = [
    # the imaging guidance of an injection requested as an item of its own ("Ultrasound-guided injection", "US
    # guidance"); an injection named with its guidance ("US-guided hip injection") stays the injection's (r11dme)
    _Rule("injection-guidance", _rx(r"^\W*(?:ultrasound|sonograph\w*|US)[- ]?guid\w*\W*(?:(?:for |of )?(?:the )?injections?)?\W*$")),
    # "therapy" alone after surgery is the therapy entry only when no device is named: a post-operative
    # cold therapy unit or sling is equipment, judged under its own topic
    _Rule("postsurgical-physical-therapy", _POSTOP,
          lambda c: c.has(_PT) or (c.has(r"\btherapy\b|\bvisits\b") and not c.has(_POSTOP_DEVICE))),
    _Rule("biofeedback", _rx(r"bio[- ]?feedback")),
    # r11drug: a genetic test about a drug ("genetic testing for opioid metabolism") is the test, not the drug it names
    _Rule("pharmacogenetic-testing", _rx(
        r"\bgenetic|\bpharmacogen\w*|\bgenomic|\bCYP\s*-?\s*(?:450|2D6|2C9|2C19|3A4)\b|cytochrome\s+p-?\s*450|\bDNA\s+(?:test\w*|panel)")),
    _Rule("functional-restoration-program", _rx(
        r"functional restoration|\bFRP\b|\bHELP\b(?: program)?|multi[- ]?disciplinary|inter[- ]?disciplinary|"
        r"chronic pain (?:management )?program|pain (?:management )?program\b|\bCPMP\b")),
    _Rule("work-conditioning", _rx(r"work[- ](?:conditioning|hardening)")),
    _Rule("functional-capacity-evaluation", _rx(r"functional capacit|\bFCE\b")),
    _Rule("spinal-cord-stimulation", _rx(
        r"spinal cord stim|\bSCS\b|dorsal column stim|neuro[- ]?stimulat|spinal stimulator")),
    _Rule("radiofrequency-neurotomy", _rx(
        r"radio[- ]?frequency|\bRFA\b|\bRF\b|rhizotomy|neurotomy|\bRFTC\b|ablation|\bRFL\b|\bdenervation")),
    # a facet block the request calls diagnostic is the medial branch work-up for a neurotomy (ACOEM ch 12 pp. 300-301)
    _Rule("medial-branch-blocks", _rx(
        r"medial branch|\bMBBs?\b|\bMBNB\b|dorsal ramus|(?:facet|zygapophys)\w*(?: joints?)? diagnostic|"
        r"diagnostic (?:\w+ )?(?:facet|zygapophys)")),
    # r10other: taking fixation hardware out is not fixing a fracture (ODG hardware implant removal)
    _Rule("hardware-removal", _rx(
        r"\b(?:removal|remove|removing|excision|explant\w*)\b[^,;]{0,30}?\b(?:hardware|implants?|plates?|screws?|k-?wires?)\b"
        r"|\bhardware\s+(?:removal|excision)|\b(?:plate|screw|implant)\s+removal|\bHWR\b")),
    _Rule("fracture-fixation", _rx(
        r"\bORIF\b|open reduction|internal fixation|closed reduction|external fixation|fracture (?:fixation|repair)|percutaneous pinning")),
    _Rule("carpal-tunnel-release", _rx(
        r"carpal tunnel (?:release|surgery|decompression)|\b[OE]?CTR\b|endoscopic carpal|open carpal")),
    _Rule("shoulder-arthroscopy", _rx(
        r"subacromial decompression|\bSAD\b|rotator cuff (?:repair|surgery|debridement|reconstruction)|"
        r"acromioplasty|distal clavicle (?:excision|resection)|mumford|labral repair|\bSLAP repair|superior labral|"
        r"capsular release|biceps tenodesis|shoulder (?:arthroscop|surgery|scope)|arthroscop\w* (?:of the )?"
        r"(?:\w+ )?shoulder")),
    _Rule("knee-arthroscopy", _rx(
        r"menisc(?:ectomy|us repair|al repair|ectomies)|chondroplasty|knee (?:arthroscop|surgery|scope)|"
        r"arthroscop\w* (?:of the )?(?:\w+ )?knee|arthroscopic (?:partial )?menisc")),
    _Rule("", _rx(r"arthroscop"), None, ("knee-arthroscopy", "shoulder-arthroscopy")),
    # issue #11 (r9other): an operation on the cervical spine (ACDF, cervical discectomy, laminectomy, foraminotomy)
    _Rule("cervical-spine-surgery", _rx(
        r"\bACDF\b|\bACCF\b|anterior cervical|fusion|arthrodesis|discectomy|lamin(?:ectomy|otomy|oplasty)|foraminotomy|"
        r"corpectomy|disc (?:replacement|arthroplasty)"),
        # not a service that goes with the operation ("cervical collar after ACDF", "assistant surgeon for ACDF"): the
        # knowledge base's synonyms settle those
        lambda c: (c.has(r"\bACDF\b|\bACCF\b|anterior cervical") or c.cervical_only()) and not c.has(_WITH_SURGERY),
        ("cervical-spine-surgery",)),
    _Rule("lumbar-fusion", _rx(
        r"fusion|arthrodesis|\b[TPAXDLO]LIF\b|interbody|posterolateral|instrumentation|\bACDF\b"),
        lambda c: not c.cervical_only() and not c.has(r"\bACDF\b"), ("lumbar-fusion",)),
    _Rule("lumbar-decompression", _rx(
        r"lamin(?:ectomy|otomy)|hemilaminectomy|micro[- ]?discectomy|discectomy|foraminotomy|"
        r"micro[- ]?decompression|\bMLD\b|facetectomy"),
        lambda c: not c.cervical_only(), ("lumbar-decompression",)),
    _Rule("lumbar-decompression", _rx(r"decompression"),
          lambda c: c.region_in("lumbar") or any(lv[0] in "LS" for lv in c.levels), ("lumbar-decompression",)),
    _Rule("lumbar-supports", _rx(
        r"(?:lumbar|lumbosacral|back|sacro[- ]?iliac|\bSIJ?) (?:support|brace|corset|orthosis|belt|binder)|\bLSO\b|"
        r"\bLS brace")),
    # issue #11 (dme8): a splint or brace named for the wrist, hand, thumb or fingers, or by a hand splint's own
    # name (cock-up, spica, dorsal blocking), is a wrist/hand splint whatever else the request says
    _Rule("wrist-splints", _rx(r"splint|orthos[ie]s|\bbraces?\b"),
          lambda c: c.region_in("wrist/hand") or c.has(r"cock[- ]?up|spica|blocking|\bthumb|\bfingers?\b|\bhand\b|\bwrist")),
    _Rule("epidural-steroid-injections", _rx(
        r"epidural|\bESIs?\b|\b[TCLI]?L?ESIs?\b|\bTFESIs?\b|\bTFE\b|transforaminal|interlaminar|\bcaudal|"
        r"selective nerve root|\bSNRBs?\b|nerve root block")),
    _Rule("facet-injections", _rx(r"facet|zygapophys")),
    _Rule("sacroiliac-joint-injections", _rx(r"sacro[- ]?iliac|\bSIJ?I?\b")),
    _Rule("trigger-point-injections", _rx(r"trigger[- ]?points?|\bTPIs?\b")),
    _Rule("botulinum-toxin", _rx(r"botox|botulinum|chemodenervation")),
    _Rule("platelet-rich-plasma", _rx(r"\bPRP\b|platelet[- ]rich|autologous (?:blood|conditioned plasma)")),
    _Rule("sympathetic-blocks", _rx(r"sympathetic|stellate|\bSGB\b")),
    _Rule("occipital-nerve-blocks", _rx(r"occipital")),
    # issue #11 (dme8): a steroid injection for trigger finger, de Quervain's or carpal tunnel (ACOEM ch. 11)
    _Rule("hand-wrist-injections", _rx(r"trigger (?:finger|thumb|digit)|stenosing tenosynovitis|de ?quervain|"
                                       r"carpal tunnel|tendon sheath|first dorsal compartment|"
                                       # the pulley or the finger named instead of the condition: "ring finger A1
                                       # pulley", "flexor sheath, long finger" (issue #11, other9)
                                       r"\bA[1-5] pulley|flexor (?:tendon )?sheath|"
                                       r"\b(?:ring|middle|index|long|small|little) finger\b"),
          lambda c: c.has(_INJECT)),
    # injections no topic encodes (other nerve blocks, prolotherapy ...): say so, never a region guess
    _Rule("", _rx(
        r"stem cell|prolotherap|genicular (?:nerve )?block|"
        r"ganglion|piriformis|trochanter|carpal tunnel (?:injection|steroid)|de ?quervain|epicondyl|tennis elbow|"
        r"intrathecal|nerve blocks?\b"),
        None, ("knee-injections", "shoulder-injections", "trigger-point-injections")),
    _Rule("knee-injections", _rx(_INJECT), lambda c: c.region_in("knee")),
    _Rule("shoulder-injections", _rx(_INJECT), lambda c: c.region_in("shoulder")),
    _Rule("hip-injections", _rx(_INJECT), lambda c: c.region_in("hip")),  # the hip joint (issue #11, r9other)
    _Rule("emg-ncv", _rx(
        r"\bEMGs?\b|\bNCVs?\b|\bNCSs?\b|nerve conduction|electromyogra|electro[- ]?diagnos|\bEDX\b|\bEDS\b")),
    # issue 10: imaging of every region; CT and bone scans; a CT named with an MRI ("MRI/CT of the spine") is
    # the region's special study either way, so the CT rules come first
    _Rule("bone-scan", _rx(r"bone scan|scintigra|\bSPECT\b")),
    _Rule("ct-head", _CT, lambda c: c.has(_HEAD)),
    _Rule("ct-spine", _CT, lambda c: c.region_in("lumbar", "cervical", "thoracic", "sacroiliac") or bool(c.levels)
          or c.has(r"\bspine\b|\bspinal\b|pelvi")),
    # a CT of the wrist or hand is the chapter's special study too (ACOEM ch. 11 weighs CT beside MRI, notably for an
    # occult scaphoid fracture after normal radiographs; issue #11, r11dme): the wrist imaging topic decides it
    _Rule("mri-wrist-hand", _CT, lambda c: c.region_in("wrist/hand")),
    # the same for the ankle and foot (ACOEM ch. 14 images an occult or stress fracture after normal films)
    _Rule("mri-ankle-foot", _CT, lambda c: c.region_in("ankle/foot")),
    _Rule("mri-brain", _MRI, lambda c: c.has(_HEAD)),
    _Rule("mri-lumbar", _MRI, lambda c: c.region_in("lumbar") or _levels_in(c, "LS"),
          ("mri-lumbar", "mri-cervical", "mri-shoulder", "mri-knee")),
    _Rule("mri-cervical", _MRI, lambda c: c.region_in("cervical") or _levels_in(c, "C")),
    _Rule("mri-thoracic", _MRI, lambda c: c.region_in("thoracic") or _levels_in(c, "T")),
    _Rule("mri-shoulder", _MRI, lambda c: c.region_in("shoulder")),
    _Rule("mri-knee", _MRI, lambda c: c.region_in("knee")),
    _Rule("mri-elbow", _MRI, lambda c: c.region_in("elbow")),
    _Rule("mri-wrist-hand", _MRI, lambda c: c.region_in("wrist/hand")),
    _Rule("mri-hip", _MRI, lambda c: c.region_in("hip") or c.has(r"pelvi")),
    _Rule("mri-ankle-foot", _MRI, lambda c: c.region_in("ankle/foot")),
    _Rule("mri-lower-extremity", _MRI, lambda c: c.region_in("lower extremity") or c.has(r"\bthigh|\bcalf\b")),
    _Rule("", _MRI, None, ("mri-lumbar", "mri-cervical", "mri-shoulder", "mri-knee")),
    _Rule("electrocardiogram", _rx(r"\bEKGs?\b|\bECGs?\b|electrocardiogra")),
    _Rule("chest-x-ray", _rx(r"chest (?:x[- ]?rays?|xrays?|radiographs?|films?)|\bCXR\b")),
    _Rule("x-rays", _rx(r"x[- ]?rays?|\bxrays?\b|radiograph|\bXR\b|plain films?|\bfilms\b")),
    _Rule("urine-drug-testing", _rx(
        r"urine (?:drug|tox|test)|\bUDS\b|\bUDT\b|drug screen|drug test|toxicology|urinalysis drug|\bUA\b drug|"
        # confirmatory testing of a screen by chromatography/mass spectrometry is drug testing (issue #11, dme8)
        r"\b[LG]C ?/ ?MS\b|\b[LG]C-MS\b|mass spectrometry|chromatograph|confirmat\w* (?:quantitative )?(?:drug |urine )?test")),
    _Rule("preoperative-lab-testing", _rx(
        r"\bCBC\b|\bPT/PTT\b|\bPTT\b|\bPT/INR\b|\bINR\b|\bUA\b|urinalysis|chem(?:istry)? panel|metabolic panel|\bBMP\b|"
        r"\bCMP\b|\blabs?\b|lab work|blood ?work|blood tests?")),
    _Rule("home-exercise-equipment", _rx(
        r"\bgym (?:membership|access|program|pass)|health club|pool membership|\bYMCA\b|\bHEP\b kit|home exercise (?:kit|equipment|program kit)|"
        r"exercise (?:kit|equipment|ball|bike|machine)|stationary bike|recumbent bike|treadmill|theraband|"
        r"resistance bands?|membership")),
    _Rule("aquatic-therapy", _rx(
        r"aquatic|aqua[- ]?therap|pool[- ]?(?:based )?(?:therapy|exercise|program)|water therapy|hydrotherap")),
    _Rule("chiropractic", _rx(
        r"chiro|manipulat|\bCMT\b|\bOMT\b|\bOMM\b|manual therapy|\bCPT\b chiro")),
    _Rule("acupuncture", _rx(r"acupunct|\bacu\b|acupressure")),
    _Rule("massage", _rx(r"massage|myofascial release")),
    _Rule("psychological-treatment", _rx(
        r"psycholog|psychotherap|\bCBT\b|cognitive[- ]?behavio|behavio(?:u)?ral (?:medicine|therapy|health|pain)|"
        r"pain psych|\bpsych\b|counsel+ing|\bpsychiatric (?:treatment|therapy|sessions)")),
    _Rule("h-wave", _rx(r"\bh[- ]?wave")),
    _Rule("interferential-current", _rx(r"interferential|inferential|\bIF (?:unit|stim)|\bIFC\b|\bICS\b")),
    # a combination unit that includes NMES/EMS is judged as NMES (it fails if any part is not recommended)
    _Rule("neuromuscular-electrical-stimulation", _rx(r"\bEMS\b|\bNMES\b|neuromuscular (?:electrical )?stim|muscle stim")),
    _Rule("tens", _rx(r"\bTENS\b|transcutaneous electric|\bE[- ]?stim unit")),
    # a hot or cold wrap, pack or pad is a home application, not a powered cold therapy unit
    _Rule("heat-cold-applications", _rx(r"\b(?:hot|cold|ice|heat)\b[\w/ -]{0,20}\b(?:wraps?|packs?|pads?)\b"),
          lambda c: not c.has(r"\bunit|machine|device|rental|system|pump|game ready|vascutherm|polar|cryo|compression")),
    _Rule("cold-therapy-units", _rx(
        r"cold therapy|cryo|polar care|game ready|\bice (?:unit|machine|therapy)|cold (?:unit|compression|pack unit)|"
        r"cooling unit|vascutherm|hot/cold|cold/heat|hot and cold")),
    _Rule("inpatient-rehabilitation", _rx(
        r"acute rehab|inpatient rehab|rehabilitation (?:unit|facility|center)|skilled nursing facility|\bSNF\b|subacute rehab")),
    _Rule("home-health-services", _rx(
        r"\bRN\b|\bLVN\b|nurs(?:e|ing) visits?|wound care nurse|home health|home care|home (?:aide|assistance|attendant|nursing|help)|\bHHA\b|caregiver|"
        r"in[- ]home (?:care|assistance|support|services)|homemaker|housekeeping|chore")),
    _Rule("physical-therapy", _PT),
    _Rule("office-visits", _rx(
        r"office visit|\bOVs?\b|follow[- ]?ups?|return visit|re-?eval|evaluation and management|\bE/?&?M\b|\bF/U\b|"
        r"med(?:ication)? management|monthly visits?|\bvisits?\b")),
    _Rule("specialist-consultations", _rx(
        r"consult|referr?al|refer to|second opinion|\bsurg(?:ery|ical) (?:evaluation|eval|assessment)\b|"
        r"evaluation (?:with|by) (?:an? |the )?(?:\w+ )?(?:surgeon|specialist|orthop\w*|neuro\w*|rheumatolog\w*|"
        r"gastroenterolog\w*|psychiatr\w*|physiatr\w*|pain management|podiatr\w*|urolog\w*|cardiolog\w*|internist)|"
        r"(?:pain management|orthop\w*|neuro\w*|psychiatr\w*|rheumatolog\w*|gastroenterolog\w*|\bGI\b|sleep|"
        r"internal medicine|podiatr\w*|spine surgeon|hand surgeon|surgeon|specialist|urolog\w*|cardiolog\w*) "
        r"(?:evaluation|eval|assessment)")),
]

# A request that starts with one of these is that visit, whatever it is for ("Consultation with pain
# management for ESI"). "Office Visit with Gastroenterology" is an office visit. The third field says
# which topics named in the rest of the request override the head: "Follow-up MRI" is an MRI and
# "Referral to physical therapy 2x6" is physical therapy, but "Referral to a spine surgeon for fusion"
# stays a consultation.
_SERVICE_CATEGORIES = frozenset(
    {"therapy", "program", "dme", "imaging", "electrodiagnostics", "laboratory", "home_services"}
)
_HEAD_PREFIX = r"^\W*(?:(?:outpatient|retrospective|prospective|one|1|an?|\(?\d+\)?|additional|monthly|six|6)\s+)*"
_HEAD_RULES: list[tuple[str, re.Pattern[str], frozenset[str]]] = [
    ("office-visits", _rx(_HEAD_PREFIX + r"(?:office visits?|follow[- ]?ups? (?:office )?(?:visits?|appointments?)|"
                          r"return visits?|\bOVs?\b)"), frozenset()),
    ("office-visits", _rx(_HEAD_PREFIX + r"(?:follow[- ]?ups?|re-?evaluations?|\bF/U\b)"),
     _SERVICE_CATEGORIES),
    ("specialist-consultations", _rx(_HEAD_PREFIX + r"(?:consult\w*|referr?al\w*|refer to)"), _SERVICE_CATEGORIES),
    # "Pre-operative medical clearance with labs and EKG": the clearance is the service; the tests it names are
    # part of it (issue #11, devdec)
    ("preoperative-medical-clearance", _rx(_HEAD_PREFIX + r"(?:pre[- ]?op(?:erative)?\s+)?(?:medical\s+|surgical\s+|"
                                           r"internal medicine\s+)?clearance\b"), frozenset()),
    # "Psychological evaluation (pre-SCS)", "Psych clearance for spinal cord stimulator trial": the service is
    # the evaluation, whatever procedure it prepares for (issue #11, third pass)
    ("psychological-treatment", _rx(_HEAD_PREFIX + r"(?:psych\w*)\s+(?:evaluation|eval|assessment|clearance|"
                                    r"screening|testing)\b"), frozenset()),
]


def _levels_in(ctx: _Ctx, letters: str) -> bool:
    return any(lv[0] in letters for lv in ctx.levels)


# ------------------------------------------------------------------ parts of the request
_NUMBER_WORDS = {w: n for w, n in NUMBER_WORDS.items() if n is not None and " " not in w}
_NUM = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"

_STRENGTH = re.compile(
    r"(?<![\w.])(\d*\.?\d+(?:\s*(?:/|-)\s*\d+(?:\.\d+)?)*)\s*(mg/ml|mcg/hr|mcg/h|mg|mcg|ug|gm|g|ml|%|units?|iu)(?![a-z])",
    re.IGNORECASE,
)
_COMBO_STRENGTH = re.compile(r"(?<![\w.#/-])(\d+(?:\.\d+)?\s*[/-]\s*\d+(?:\.\d+)?)(?![\w./%-])")
_UNKNOWN_QTY = _rx(r"unknown (?:prescription|quantity|qty|amount|dose|dosage)|quantity unknown|unspecified quantity")
_QTY_PATTERNS = [
    re.compile(r"#\s*(\d+)\b"),
    _rx(r"\b(?:qty|quantity|quant|dispense|disp)\.?\s*(?:of\s*)?[:=]?\s*\(?(\d+)\)?"),
    _rx(r"\b(\d+)\s*\(?(?:tabs?|tablets?|caps?|capsules?|pills?|patch(?:es)?|count|ct|tubes?|bottles?|"
        r"jars?|boxes?|pouches?|packets?|units?|sprays?|lozenges?|suppositor(?:y|ies)|films?)\b\)?"),
    _rx(r"(?<![\dx])\bx\s*(\d+)\b(?!\s*(?:days?|d\b|weeks?|wks?|months?|mos?|refills?|rf|hours?|hrs?))"),
    _rx(r"\((\d+)\)"),
    # the amount of a cream or gel, by weight or volume ("Capsaicin 0.025% cream 60 g", "Lidopro 121 gm"); two
    # digits at least, so that a strength such as "1 g" is not read as an amount
    _rx(r"\b(\d{2,4})\s*(?:g|gm|gms|grams?|ml)\b"),
]
_FREQ = _rx(
    r"\b(?:q\.?\s?\d+(?:\s*-\s*\d+)?\s*(?:h|hrs?|hours?)\b|every\s+\d+(?:\s*(?:-|to)\s*\d+)?\s*hours?|"
    r"q\.?d\.?|q\.?a\.?m\.?|q\.?p\.?m\.?|q\.?h\.?s\.?|h\.?s\.?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|"
    r"q\.?o\.?d\.?|(?:once|twice|two times|three times|3 times|four times|4 times) daily|daily|nightly|"
    r"at bedtime|once (?:a|per) day|twice (?:a|per) day|"
    r"(?:one|two|three|four|\d) times? (?:a|per) day|weekly|once a week)(?![\w])"
)
_PRN = _rx(r"\bp\.?r\.?n\.?\b|as needed")
_FREQ_CANON = {
    "qd": "daily", "once a day": "daily", "once daily": "daily", "twice daily": "bid", "two times daily": "bid",
    "three times daily": "tid", "3 times daily": "tid", "four times daily": "qid", "4 times daily": "qid", "once per day": "daily", "daily": "daily",
    "bid": "bid", "twice a day": "bid", "twice per day": "bid", "two times a day": "bid", "2 times a day": "bid",
    "two times per day": "bid", "2 times per day": "bid",
    "tid": "tid", "three times a day": "tid", "3 times a day": "tid", "three times per day": "tid",
    "3 times per day": "tid",
    "qid": "qid", "four times a day": "qid", "4 times a day": "qid", "four times per day": "qid",
    "4 times per day": "qid",
    "qhs": "qhs", "hs": "qhs", "at bedtime": "qhs", "nightly": "qhs", "qam": "qam", "qpm": "qpm",
    "qod": "qod", "weekly": "weekly", "once a week": "weekly",
}

_VISIT_FREQ = [
    # 2x6, 2 x 6, 2x/week x 6 weeks, 2 times a week for 6 weeks, twice weekly for 4 weeks
    _rx(
        r"(?<![\w./])" + _NUM + r"\s*(?:x|times)\s*(?:/|a|per|each)?\s*(?:wk|week)?s?\.?\s*(?:x|for|times)\s*"
        + _NUM + r"(?:\s*(?:wks?|weeks?))?\b(?!\s*(?:mg|%|cm|mm))"
    ),
    _rx(r"(?<![\w./])" + _NUM + r"\s*(?:x|times|days?|visits?|sessions?)?\s*(?:weekly|a week|per week|/\s*w(?:ee)?k)\s*"
        r"(?:x|for)\s*" + _NUM
        + r"\s*(?:wks?|weeks?)?"),
    _rx(r"\b(twice|once|thrice)\s+(?:weekly|a week|per week)\s*(?:x|for)\s*" + _NUM + r"\s*(?:wks?|weeks?)?"),
    _rx(r"(?<![\w./#])(\d)\s*x\s*(\d{1,2})\b(?!\s*(?:mg|%|cm|mm))"),
]
_VISIT_COUNT = [
    _rx(r"(?<![\w./])\(?" + _NUM + r"\)?\s*(?:additional\s+|more\s+|further\s+|initial\s+|follow[- ]?up\s+|"
        r"sessions?\s+of\s+|visits?\s+of\s+)?(?:(?!(?:weeks?|wks?|days?|months?)\b)[a-z-]+\s+){0,3}"
        r"(?:sessions?|visits?|treatments?|appointments?|days?|hours?)\b"),
    _rx(r"(?<![\w/])x\s*" + _NUM + r"\b"),
    re.compile(r"#\s*(\d+)\b"),
    _rx(r"\b(?:qty|quantity)\s*[:=]?\s*(\d+)"),
    _rx(r"\b(?:sessions?|visits?|treatments?)\s*[:=]?\s*\(?(\d+)\)?"),
    _rx(r"\((\d+)\)"),
]

_LATERAL = [
    ("bilateral", _rx(r"\bbi-?lat(?:eral)?(?:ly)?\b|\bb/l\b|\bbil\b|\bBLE\b|\bBUE\b|\bboth\b|left and right|right and left")),
    ("left", _rx(r"\bleft\b|\blt\.?\b|\bLLE\b|\bLUE\b|\bL\s+(?=(?:knee|shoulder|wrist|hand|hip|elbow|ankle|foot|side|SI\b|"
                 r"sacroiliac|upper|lower|[CTLS]\d))")),
    ("right", _rx(r"\bright\b|\brt\.?\b|\bRLE\b|\bRUE\b|\bR\s+(?=(?:knee|shoulder|wrist|hand|hip|elbow|ankle|foot|side|SI\b|"
                  r"sacroiliac|upper|lower|[CTLS]\d))")),
]

_LEVEL_SPAN = re.compile(
    r"\b([CTLS])\s*(\d{1,2})\s*(?:-|–|/|to|through|thru)\s*([CTLS])?\s*(\d{1,2})\b", re.IGNORECASE
)

_TOPICAL_FORMS = {"cream", "creams", "ointment", "lotion", "gel", "gels", "compound", "compounded", "topical", "topicals",
                  "liniment", "rub", "balm"}
_FORM_WORDS = _TOPICAL_FORMS | {"patch", "patches", "solution", "spray", "jelly", "transdermal", "injection",
                                 "injections", "inj", "infusion", "iv"}
# acetaminophen doses that mark "hydrocodone 10/325" as the acetaminophen combination
_APAP_DOSES = {"300", "325", "500", "650", "660", "750"}
_APAP_STRENGTH = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*(?:mg)?\s*/\s*(\d+)\s*(?:mg)?\b", re.IGNORECASE)


def _check_input(text: object) -> str:
    if not isinstance(text, str):
        raise InputError("request", f"expected text, got {type(text).__name__}")
    if any(ch == "\x00" or (ord(ch) < 32 and ch not in "\t\n\r") or ch == "\x7f" or ch == "\ufffd" for ch in text):
        raise InputError("request", "binary or control characters in the request string")
    if not text.strip():
        raise InputError("request", "empty request string")
    if len(text) > MAX_LENGTH:
        raise InputError(_display(text), f"request string too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    return text


def _display(text: str) -> str:
    one_line = " ".join(text.split())
    return repr(one_line[:40] + ("..." if len(one_line) > 40 else ""))


def _num(value: str) -> int:
    return int(value) if value.isdigit() else _NUMBER_WORDS[value.lower()]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


def read_levels(text: str) -> list[str]:
    """Spinal levels: "L4-5" -> "L4-L5", "L5/S1" -> "L5-S1", a range as written ("L3-S1"), single "L5"."""
    out: list[str] = []
    taken: list[tuple[int, int]] = []
    for m in _LEVEL_SPAN.finditer(text):
        a, n1, b, n2 = m.group(1).upper(), int(m.group(2)), (m.group(3) or m.group(1)).upper(), int(m.group(4))
        if not _valid_level(a, n1) or not _valid_level(b, n2):
            continue
        level = f"{a}{n1}-{b}{n2}"
        taken.append(m.span())
        if level not in out:
            out.append(level)
    rest = _blank(text, taken)
    for m in _LEVEL.finditer(rest):
        a, n = m.group(1).upper(), int(m.group(2))
        if _valid_level(a, n) and not _inside_word_context(rest, m):
            level = f"{a}{n}"
            if level not in out:
                out.append(level)
    return out


def _valid_level(letter: str, n: int) -> bool:
    return {"C": 1 <= n <= 8, "T": 1 <= n <= 12, "L": 1 <= n <= 5, "S": 1 <= n <= 5}[letter]


def _inside_word_context(text: str, m: re.Match[str]) -> bool:
    # "T3" inside "Tylenol T3" or a strength ("S1 5mg") is not a level; require a spine context nearby
    before = text[max(0, m.start() - 1) : m.start()]
    return before in {"#", "/", "."}


def read_laterality(text: str) -> str | None:
    found = [name for name, rx in _LATERAL if rx.search(text)]
    if "bilateral" in found or ("left" in found and "right" in found):
        return "bilateral"
    return found[0] if found else None


def read_region(text: str, levels: list[str]) -> str | None:
    best: tuple[int, str] | None = None
    for name, rx in _REGIONS:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    if best:
        return best[1]
    if levels:
        return level_region(levels[0])
    return None


def _regions_all(text: str) -> list[str]:
    return [name for name, rx in _REGIONS if rx.search(text)]


_SPLIT_COMBO_STRENGTH = re.compile(
    r"(\d+(?:\.\d+)?)\s*mg\s*/\s*(?:[a-z]+\s*)?(\d+(?:\.\d+)?)\s*mg\b", re.IGNORECASE
)


def read_strength(text: str, combo: bool) -> str | None:
    if combo:
        m = _SPLIT_COMBO_STRENGTH.search(text)  # "10mg/325mg" -> "10/325mg"
        if m:
            return f"{m.group(1)}/{m.group(2)}mg"
    m = _STRENGTH.search(text)
    if m:
        value = re.sub(r"\s+", "", m.group(1)).replace("-", "/")
        value = "0" + value if value.startswith(".") else value
        unit = m.group(2).lower()
        unit = {"gm": "g", "ug": "mcg", "unit": "units", "iu": "units", "mcg/h": "mcg/hr"}.get(unit, unit)
        if unit == "%":
            # compounded topicals list several percents: "Flurbiprofen 20%/Lidocaine 5%" -> "20%/5%"
            more = [re.sub(r"\s+", "", x.group(1)) + "%" for x in _STRENGTH.finditer(text, m.end()) if x.group(2) == "%"]
            return "/".join([value + "%", *more])
        return value + unit
    if combo:
        m = _COMBO_STRENGTH.search(text)
        if m:
            return re.sub(r"\s+", "", m.group(1)).replace("-", "/") + "mg"
    return None


def read_quantity(text: str) -> int | None:
    if _UNKNOWN_QTY.search(text):
        return None
    for rx in _QTY_PATTERNS:
        m = rx.search(text)
        if m:
            return int(m.group(1))
    return None


def read_drug_frequency(text: str) -> str | None:
    m = _FREQ.search(text)
    prn = _PRN.search(text) is not None
    freq = None
    if m:
        raw = re.sub(r"[.\s]+", " ", m.group(0).lower()).strip()
        compact = raw.replace(" ", "")
        if compact in _FREQ_CANON:
            freq = _FREQ_CANON[compact]
        elif raw in _FREQ_CANON:
            freq = _FREQ_CANON[raw]
        else:
            hours = re.match(r"(?:q|every)\s*(\d+(?:\s*(?:-|to)\s*\d+)?)\s*(?:h|hrs?|hours?)", raw)
            freq = "q" + re.sub(r"\s*(?:-|to)\s*", "-", hours.group(1)) + "h" if hours else raw
    if prn:
        return f"{freq} prn" if freq else "prn"
    return freq


def read_visits(text: str) -> tuple[int | None, str | None]:
    """(sessions, frequency as written normalized "2x6") for visit-based services."""
    for rx in _VISIT_FREQ:
        m = rx.search(text)
        if m:
            per_week, weeks = _num(m.group(1)), _num(m.group(2))
            if 1 <= per_week <= 7 and 1 <= weeks <= 52:
                return per_week * weeks, f"{per_week}x{weeks}"
    for rx in _VISIT_COUNT:
        m = rx.search(text)
        if m:
            n = _num(m.group(1))
            if 0 < n <= 400:
                return n, None
    return None, None


# ------------------------------------------------------------------ vocabulary (KB synonyms, typos)
_GENERIC_WORDS = frozenset(
    {"therapy", "injection", "injections", "visit", "visits", "evaluation", "unit", "brace", "program", "block",
     "blocks", "treatment", "exam", "test", "study", "surgery", "procedure", "medication", "medications", "drug",
     "drugs", "cream", "gel", "patch", "support"}
)


class _Phrase:
    """A knowledge-base synonym as a whole-phrase pattern, compiled the first time it may match.

    The vocabulary holds ~2,000 of these; compiling them all cost a cold `review` ~0.15 s, and most
    requests are settled before step 3 or are ruled out by the pre-check (issue 15). The pre-check is
    only a necessary condition, so the answer is the compiled pattern's, as before: for ASCII text and
    ASCII words, a case-insensitive match of the pattern means each word is a substring of the
    lowered text. Any other text or word skips the pre-check (Unicode case folding: "K" vs "k").
    """

    __slots__ = ("source", "words", "_rx")

    def __init__(self, source: str, words: tuple[str, ...]) -> None:
        self.source = source
        self.words = words if all(w.isascii() for w in words) else None
        self._rx: re.Pattern[str] | None = None

    def search(self, text: str, ascii_lower: str | None) -> bool:
        if ascii_lower is not None and self.words is not None and not all(w in ascii_lower for w in self.words):
            return False
        if self._rx is None:
            self._rx = re.compile(self.source, re.IGNORECASE)
        return self._rx.search(text) is not None


@dataclass(frozen=True)
class _Vocabulary:
    phrases: tuple[tuple[_Phrase, str, int, int], ...]  # whole-phrase pattern, topic, length, words
    words: frozenset[str]  # known words (for typo correction)
    topic_terms: dict[str, tuple[str, ...]]  # topic -> names/synonyms (for candidates)
    exact: dict[str, str]  # a synonym of exactly one topic, as a whole request -> that topic


_CANON_TERMS: dict[str, tuple[str, ...]] = {
    "postsurgical-physical-therapy": ("post-operative physical therapy", "postoperative therapy"),
    "physical-therapy": ("physical therapy", "physiotherapy"),
    "chiropractic": ("chiropractic treatment", "chiropractic manipulation"),
    "acupuncture": ("acupuncture",),
    "aquatic-therapy": ("aquatic therapy", "pool therapy"),
    "massage": ("massage therapy",),
    "work-conditioning": ("work conditioning", "work hardening"),
    "functional-restoration-program": ("functional restoration program", "multidisciplinary pain program"),
    "psychological-treatment": ("psychological treatment", "psychotherapy", "cognitive behavioral therapy"),
    "biofeedback": ("biofeedback",),
    "home-exercise-equipment": ("home exercise kit", "gym membership"),
    "tens": ("tens unit", "transcutaneous electrical nerve stimulation"),
    "h-wave": ("h-wave device",),
    "interferential-current": ("interferential unit", "interferential stimulator"),
    "cold-therapy-units": ("cold therapy unit", "cryotherapy unit"),
    "lumbar-supports": ("lumbar support", "lumbar brace"),
    "mri-lumbar": ("lumbar mri", "mri lumbar spine"),
    "mri-cervical": ("cervical mri", "mri cervical spine"),
    "mri-shoulder": ("shoulder mri", "mri shoulder"),
    "mri-knee": ("knee mri", "mri knee"),
    "emg-ncv": ("electromyography", "nerve conduction velocity", "emg ncv"),
    "x-rays": ("x-rays", "radiographs"),
    "urine-drug-testing": ("urine drug screen", "urine toxicology"),
    "functional-capacity-evaluation": ("functional capacity evaluation",),
    "lumbar-decompression": ("lumbar laminectomy", "microdiscectomy", "lumbar decompression"),
    "lumbar-fusion": ("lumbar fusion", "spinal fusion"),
    "knee-arthroscopy": ("knee arthroscopy", "meniscectomy"),
    "shoulder-arthroscopy": ("shoulder arthroscopy", "subacromial decompression", "rotator cuff repair"),
    "carpal-tunnel-release": ("carpal tunnel release",),
    "office-visits": ("office visit", "follow-up visit"),
    "specialist-consultations": ("consultation", "referral"),
    "home-health-services": ("home health services", "home health aide"),
    "epidural-steroid-injections": ("epidural steroid injection", "transforaminal", "interlaminar"),
    "facet-injections": ("facet injection", "facet block"),
    "medial-branch-blocks": ("medial branch block",),
    "radiofrequency-neurotomy": ("radiofrequency ablation", "rhizotomy", "neurotomy"),
    "sacroiliac-joint-injections": ("sacroiliac joint injection",),
    "trigger-point-injections": ("trigger point injection",),
    "knee-injections": ("knee injection", "viscosupplementation", "cortisone injection knee"),
    "shoulder-injections": ("shoulder injection", "subacromial injection", "cortisone injection shoulder"),
    "botulinum-toxin": ("botox injection", "botulinum toxin"),
    "spinal-cord-stimulation": ("spinal cord stimulator",),
}

# words the pattern rules and parts rely on, kept as typo targets
_RULE_WORDS = ["lumbar", "cervical", "thoracic", "shoulder", "knee", "wrist", "elbow", "ankle", "bilateral", "left", "right", "sacroiliac", "injection", "injections", "epidural", "facet", "medial", "branch", "radiofrequency", "ablation", "rhizotomy", "trigger", "point", "physical", "therapy", "chiropractic", "acupuncture", "aquatic", "massage", "conditioning", "hardening", "functional", "restoration", "psychological", "psychotherapy", "biofeedback", "interferential", "cryotherapy", "stimulator", "stimulation", "consultation", "referral", "office", "visit", "evaluation", "arthroscopy", "meniscectomy", "laminectomy", "discectomy", "microdiscectomy", "decompression", "fusion", "carpal", "tunnel", "release", "subacromial", "transforaminal", "interlaminar", "caudal", "urine", "toxicology", "screen", "capacity", "sessions", "visits", "follow", "orthopedic", "gastroenterology", "management", "postoperative", "outpatient"]


_VOCAB_CACHE: dict[str, _Vocabulary] = {}


def _vocabulary(kb: object | None) -> _Vocabulary:
    key = getattr(kb, "content_hash", None) or f"id:{id(kb)}"
    vocab = _VOCAB_CACHE.get(key)
    if vocab is None:
        if len(_VOCAB_CACHE) > 16:
            _VOCAB_CACHE.clear()
        vocab = _VOCAB_CACHE[key] = _build_vocabulary(kb)
    return vocab


def _build_vocabulary(kb: object | None) -> _Vocabulary:
    phrases: list[tuple[_Phrase, str, int, int]] = []
    topic_terms: dict[str, list[str]] = {t: list(v) for t, v in _CANON_TERMS.items()}
    words: set[str] = set(_RULE_WORDS)
    topics = getattr(kb, "topics", {}) if kb is not None else {}
    for tid, topic in topics.items():
        terms = [topic.name, *topic.synonyms, *topic.generics]
        topic_terms.setdefault(tid, []).extend(terms)
        for term in [*topic.synonyms, *topic.generics]:
            low = term.lower().strip()
            if len(low) < 3 or low in _GENERIC_WORDS:
                continue
            parts = re.split(r"[\s\-/]+", low)
            pattern = _Phrase(r"(?<![\w])" + r"[\s\-/]*".join(re.escape(p) for p in parts) + r"(?![\w])",
                              tuple(p for p in parts if p))
            phrases.append((pattern, tid, len(low), len(re.findall(r"[a-z0-9]+", low))))
    for terms in topic_terms.values():
        for term in terms:
            words.update(w for w in re.findall(r"[a-z]+", term.lower()) if len(w) >= 5)
    words.update(w for key in default_lexicon().names for w in key if len(w) >= 5 and w.isalpha())
    phrases.sort(key=lambda p: -p[2])
    owners: dict[str, set[str]] = {}
    for tid, topic in topics.items():
        for term in [*topic.synonyms, *topic.generics]:
            owners.setdefault(_exact_key(term), set()).add(tid)
    exact = {k: next(iter(v)) for k, v in owners.items() if k and len(v) == 1}
    return _Vocabulary(tuple(phrases), frozenset(words), {t: tuple(v) for t, v in topic_terms.items()}, exact)


def _correct_typos(text: str, vocab: _Vocabulary) -> str:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < 5 or low in vocab.words:
            return word
        # one edit (a transposition counts as one): two would turn "orthotics" into "orthovisc"
        hit = process.extractOne(low, vocab.words, scorer=OSA.distance, score_cutoff=1)
        return hit[0] if hit else word

    return re.sub(r"[A-Za-z]+", fix, text)


def _candidates(text: str, vocab: _Vocabulary, extra: tuple[str, ...] = ()) -> list[Candidate]:
    from rapidfuzz import fuzz

    low = text.lower()
    scores: dict[str, float] = {}
    for tid, terms in vocab.topic_terms.items():
        best = max((fuzz.token_set_ratio(low, t.lower()) for t in terms), default=0.0)
        scores[tid] = best / 100.0
    for tid in extra:  # topics a matched pattern points to but could not settle (e.g. MRI of what?)
        scores[tid] = max(scores.get(tid, 0.0), 0.6)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    preferred = [kv for kv in ranked if kv[0] in extra]
    others = [kv for kv in ranked if kv[0] not in extra]
    chosen = (preferred + others)[:CANDIDATE_COUNT] if extra else others[:CANDIDATE_COUNT]
    return [Candidate(topic=t, score=round(s, 3)) for t, s in chosen if s > 0]


# ------------------------------------------------------------------ topic
@dataclass
class _TopicResult:
    topic: str | None
    drug: DrugInfo | None = None
    drug_span: tuple[int, int] | None = None
    drug_spans: tuple[tuple[int, int], ...] = ()
    fallback: tuple[str, ...] = ()


# Visit topics found in the middle of a request ("Cyclobenzaprine 10mg #30, follow up in 4 weeks") give
# way to a drug named in it; at the head of the request they are the request.
_WEAK_TOPICS = frozenset({"office-visits", "specialist-consultations"})


def _procedure_topic(ctx: _Ctx) -> tuple[str | None, tuple[str, ...], bool]:
    """(topic, candidates when unsettled, whether the topic came from the head of the request)."""
    for topic, rx, overridden_by in _HEAD_RULES:
        m = rx.search(ctx.text)
        if m:
            if overridden_by:
                rest = _Ctx(ctx.text[m.end():], ctx.regions, ctx.levels)
                other, _ = _rule_topic(rest)
                if other and TOPIC_CATEGORY.get(other) in overridden_by:
                    return other, (), True
            return topic, (), True
    topic, fallback = _rule_topic(ctx)
    return topic, fallback, False


def _rule_topic(ctx: _Ctx) -> tuple[str | None, tuple[str, ...]]:
    fallback: tuple[str, ...] = ()
    for rule in _PROCEDURE_RULES:
        if not rule.trigger.search(ctx.text):
            continue
        if rule.check is None and not rule.topic:
            return None, rule.fallback or fallback
        if rule.check is None or rule.check(ctx):
            if rule.topic:
                return rule.topic, ()
            return None, rule.fallback
        if rule.fallback and not fallback:
            fallback = rule.fallback
    return None, fallback


def _drug_topic(text: str) -> _TopicResult | None:
    mentions = find_drug_mentions(text)
    if not mentions:
        return None
    mentions = [_with_formulation_number(text, m) for m in mentions]
    start, end, info = mentions[0]
    spans = tuple((s, e) for s, e, _ in mentions)
    # dosage-form words outside the drug names ("Soma Compound" is a brand, not a compound cream)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", _blank(text, list(spans)))}
    info = _apap_combination(info, text[end:])
    distinct = {d.generic for _, _, d in mentions}
    topic = info.topic_for_forms(words & _FORM_WORDS)
    topical = bool(words & _TOPICAL_FORMS)
    percent = re.search(r"\d\s*%", text) is not None
    combo = _combination(mentions)
    if combo is not None:
        # one product written by its ingredients ("methyl salicylate 15%/menthol 10%")
        info = combo
        topic = info.topic_for_forms(words & _FORM_WORDS)
    elif len(distinct) >= 2 and (topical or percent or any(d.route == "topical" for _, _, d in mentions)):
        # a compound of several drugs applied to the skin: one "drug" named by all its ingredients
        topic = "topical-analgesics"
        generics = list(dict.fromkeys(g for _, _, d in mentions for g in d.generic.split("/")))
        info = DrugInfo("/".join(generics), None, "compounded topical analgesic", topic, "topical")
    elif (
        info.route != "topical"
        and topic == info.topic
        and info.topic not in {None, "opioids", "botulinum-toxin", "knee-injections"}
        and (words & _TOPICAL_FORMS or percent)
    ):
        # an oral drug written as a cream or at a percent strength is a compounded topical
        topic = "topical-analgesics"
    return _TopicResult(topic, info, (start, end), spans)


_FORMULATION_NUMBER = re.compile(r"\s*(?:#|no\.?\s*)\s*[234]\b", re.IGNORECASE)


def _with_formulation_number(text: str, mention: tuple[int, int, DrugInfo]) -> tuple[int, int, DrugInfo]:
    """"Acetaminophen/Codeine #3": the #3 names the formulation, not a quantity; it joins the drug name."""
    start, end, info = mention
    if "codeine" in info.generic:
        m = _FORMULATION_NUMBER.match(text, end)
        if m:
            return start, m.end(), info
    return mention


def _apap_combination(info: DrugInfo, after: str) -> DrugInfo:
    """An opioid written with an "N/325" strength is its acetaminophen combination ("hydrocodone 10/325")."""
    if "/" in info.generic:
        return info
    m = _APAP_STRENGTH.search(after[:30])
    if not m or m.group(1) not in _APAP_DOSES:
        return info
    for entry in default_lexicon().entries:
        if entry.generic == f"{info.generic}/acetaminophen":
            return entry
    return info


def _combination(mentions: list[tuple[int, int, DrugInfo]]) -> DrugInfo | None:
    """The lexicon's fixed combination whose ingredients are exactly the drugs mentioned, if any."""
    ingredients = {g for _, _, d in mentions for g in d.generic.split("/")}
    if len(mentions) < 2 or len(ingredients) < 2:
        return None
    for entry in default_lexicon().entries:
        if "/" in entry.generic and set(entry.generic.split("/")) == ingredients:
            return entry
    return None


def _kb_topic(text: str, vocab: _Vocabulary, min_words: int = 1) -> str | None:
    ascii_lower = text.lower() if text.isascii() else None
    for pattern, tid, _length, words in vocab.phrases:
        if words >= min_words and pattern.search(text, ascii_lower):
            return tid
    return None


def _exact_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9%#.]+", text.lower()))


def _find_topic(text: str, vocab: _Vocabulary) -> _TopicResult:
    exact = vocab.exact.get(_exact_key(text))
    drug = _drug_topic(text)
    if exact is not None:  # the whole request is a knowledge-base synonym: the topic's authors decided
        return _TopicResult(exact, drug.drug if drug else None, drug.drug_span if drug else None,
                            drug.drug_spans if drug else ())
    # procedure patterns read the text outside drug names ("Effexor XR" is not an x-ray)
    outside = _blank(text, list(drug.drug_spans)) if drug else text
    levels = read_levels(outside)
    ctx = _Ctx(text=outside, regions=_regions_all(outside), levels=levels)
    proc, fallback, at_head = _procedure_topic(ctx)
    if proc in _WEAK_TOPICS and not at_head and drug is not None and drug.topic is not None:
        proc = None
    if proc:
        return _TopicResult(proc, drug.drug if drug else None, drug.drug_span if drug else None,
                            drug.drug_spans if drug else ())
    if drug is not None:
        if drug.topic is None:
            drug.fallback = fallback
        return drug
    # after a pattern matched but could not settle the topic (cervical discectomy; MRI of what?), only a
    # multi-word synonym (an explicit author decision, e.g. "mri thoracic spine") may settle it
    kb_hit = _kb_topic(text, vocab, min_words=2 if fallback else 1)
    if kb_hit:
        return _TopicResult(kb_hit)
    return _TopicResult(None, fallback=fallback)


# ------------------------------------------------------------------ public API
def classify(text: str, kb=None) -> ClassifiedRequest:
    """Read a disputed-item string into topic, category and parts (see the module docstring).

    `kb`: the knowledge base whose synonyms and categories to use (default: the packaged one).
    Raises InputError for an empty, overlong (> 2,000 characters) or binary string.
    """
    _check_input(text)
    if kb is None:
        from openimr.guidelines.knowledge_base import default_knowledge_base

        kb = default_knowledge_base()
    vocab = _vocabulary(kb)
    clean = " ".join(text.split())

    result = _find_topic(clean, vocab)
    if result.topic is None and result.drug is None:
        corrected = _correct_typos(clean, vocab)
        if corrected != clean:
            retry = _find_topic(corrected, vocab)
            if retry.topic is not None or retry.drug is not None:
                result, clean = retry, corrected  # parts are read from the corrected text (offsets agree)
            else:
                result.fallback = result.fallback or retry.fallback
    topic = result.topic
    parts_text = _blank(clean, list(result.drug_spans)) if result.drug_spans else clean

    levels = read_levels(parts_text)
    laterality = read_laterality(parts_text)
    region = read_region(parts_text, levels)

    drug_req: DrugRequest | None = None
    category = _category(topic, kb)
    if result.drug is not None and (category == "drug" or topic is None):
        info = result.drug
        drug_req = DrugRequest(
            generic=info.generic,
            brand=info.brand,
            strength=read_strength(parts_text, "/" in info.generic) or _bare_strength(clean, result, info),
            quantity=read_quantity(parts_text),
            frequency=read_drug_frequency(parts_text),
            drug_class=info.drug_class,
        )
        if topic is None:
            category = "drug"
        region = region if _REGIONS_FOR_DRUGS.search(parts_text) else None
        levels = []

    sessions = frequency = None
    if topic in VISIT_TOPICS:
        sessions, frequency = read_visits(parts_text)

    candidates: list[Candidate] = []
    if topic is None:
        candidates = _candidates(clean, vocab, result.fallback)
    return ClassifiedRequest(
        text=text,
        topic=topic,
        category=category,
        drug=drug_req,
        laterality=laterality,
        levels=levels,
        body_region=region,
        sessions=sessions,
        frequency=frequency,
        candidates=candidates,
    )


_BARE_NUMBER = re.compile(
    r"\s*(\d+(?:\.\d+)?)\b(?!\s*(?:%|x\b|tabs?|tablets?|caps?|capsules?|pills?|count|ct|patch|days?|weeks?|"
    r"months?|refills?|hours?|/|-|\.\d))",
    re.IGNORECASE,
)


def _bare_strength(text: str, result: _TopicResult, info: DrugInfo) -> str | None:
    """"Soma 350 Qty 60": a bare number right after an oral drug's name is its strength in mg."""
    if info.route != "oral" or result.drug_span is None:
        return None
    m = _BARE_NUMBER.match(text, result.drug_span[1])
    return f"{m.group(1)}mg" if m else None


_REGIONS_FOR_DRUGS = _rx(r"lumbar|cervical|knee|shoulder|wrist|neck|low back")


def _category(topic: str | None, kb) -> str | None:
    if topic is None:
        return None
    t = kb.topics.get(topic) if kb is not None else None
    if t is not None:
        return t.category
    return TOPIC_CATEGORY.get(topic)
