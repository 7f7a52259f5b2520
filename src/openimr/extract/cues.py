"""Sentence cues: statements a criterion needs that are not entities (goals, motivation, MMI, a plan
to operate, a block's relief, why a drug is given ...), each kept with the sentence that states it.

This is the part of the reader the engine used to run itself over raw text. It runs inside the spaCy
pipeline (`pipeline.get_nlp`): `mark_cue_spans` finds each cue's phrase in the pipeline's sentences and
puts it in the span group `openimr_cues`; a second medspaCy ConText, with the same rules as the one that
reads the entities (and "," / ";" as terminators, since a cue is a clause), marks each phrase negated,
historical, hypothetical or about family; the medspaCy sectionizer says which part of the note it is in.
`read_cue_spans` then keeps a cue by what it is:

- a statement of the worker's present state (homebound, persistent symptoms, motivated ...) does not
  count when it is historical (or written under a history header) or hypothetical;
- a plan to operate or ablate does not count when it is history ("history is not plan");
- a cue whose own phrase is the negative statement ("has not had acupuncture before", "not a surgical
  candidate") is not negated again; a rule's own cancelling phrases ("not yet at MMI") still apply;
- nothing said about a family member counts.

It is request-blind: a cue that must name the requested service or drug (the stated purpose of an
injection, a drug's indication) is emitted for every sentence that states a purpose or an indication,
and the engine keeps those whose text names the request.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openimr.extract import literals as L
from openimr.models.case import CaseFile
from openimr.models.facts import Cue, Evidence

_DEFAULT_NEGATE = r"\b(no|not|denies|without|never|none)\b"
_NEVER = r"$^"  # no negation: the cue's own pattern is the negative statement

_PLAN_WORDS = r"\b(plan|planned|candidate|consider|recommend|schedul|will|would|proceed)"
_PLAN_NEGATE = r"\b(no|not|denies|without|never|declines?)\b"
# Plain negation words cancel a cue only in the clause before it ("not homebound; drove herself to the
# office" still says she leaves home); a rule's own phrases ("not yet at MMI") cancel the sentence.
_LOCAL = frozenset({_DEFAULT_NEGATE, _PLAN_NEGATE})
_NEG_WORDS = re.compile(r"\b(no|not|denies|without|never|none|unable)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:,]|\b(?:but|however|although|though|while|whereas)\b", re.I)


@dataclass(frozen=True)
class CueRule:
    pattern: str
    require: str | None = None
    negate: str = _DEFAULT_NEGATE
    present: bool = True  # False: the cue states the fact's absence ("not homebound")


# name -> rule. The names are what the engine asks for (openimr.models.vocabulary.CUES).
CUE_RULES: dict[str, CueRule] = {
    "purpose_stated": CueRule(r"\b(diagnostic|therapeutic)\b", negate=r"\b(unclear|not stated|no stated)\b"),
    "therapeutic": CueRule(r"\btherapeutic\b", negate=r"\b(not|no)\s+therapeutic\b"),
    "diagnostic": CueRule(r"\bdiagnostic\b", negate=r"\b(not|no)\s+diagnostic\b"),
    "indication": CueRule(
        r"\b((for|helps?\s+(w/|with)|relie\w*|control\w*|decreas\w*|reduc\w*)\b[\w\s/-]{0,40}?\b(spasms?|pain|flare(-up)?|exacerbation|sleep|insomnia|anxiety|neuropath\w*|nausea|inflammation|gastr\w*|reflux|dyspepsia|depression|arthritis|osteoarthritis|radicul\w*|protection|\w+itis|\w+algia|\w+opathy|sx|symptoms?|strain|sprain|spasticity|headaches?|migraines?|upset|stomach|tenosynovitis|myofascial)|to treat|prescribed for|indicated for|because of|due to)\b",
        negate=r"\b(no (documented )?(indication|reason)|unclear why|does not (report|state) why)\b"),
    # (goldread) the reason written as shorthand or as the drug's effect: "prn spasm", "addresses both neuropathic pain
    # and mood", "takes about 20% off the pain", "on Lyrica the burning is ~40% better"
    "indication_more": CueRule(
        r"\bprn\s+((severe|moderate|mod|moderate-severe|mod-severe|moderate\s+to\s+severe)\s+)?(spasms?|pain|sleep|insomnia|anxiety|nausea|headaches?|breakthrough)\b"
        r"|\b(address\w*|treats?|targets?|eases?|cuts?|takes)\b[^.;]{0,40}?\b(spasms?|pain|burning|numbness|tingling|neuropath\w*|mood|"
        r"depression|sleep|insomnia|inflammation|arthritis)\b"
        r"|\b(pain|burning|spasms?|numbness|tingling|sleep|mood|dysesthesia\w*)\b[^.;]{0,30}?\b(better|improved|less|down|decreased|"
        r"reduced|eased|controlled)\b"
        # issue 11 (prior): the drug's effect on what it treats, "spasticity controlled on baclofen", "pain 7 -> 4",
        # "about 50 percent better with it"
        r"|\b(spastic\w*|spasms?|pain|symptoms?|sx)\b[^.;]{0,40}?\b(controlled|managed)\s+(on|with|by)\b"
        r"|\bpain\s*(from\s+)?\d{1,2}(/10)?\s*(->|-->|\u2192|to)\s*\d{1,2}\b"
        r"|\b\d{1,3}\s*(%|percent)\s+(better|less\s+pain|relief|improve\w*)\b",
        negate=r"\b(no (documented )?(indication|reason)|unclear why|does not (report|state) why)\b"),
    "reason_stated": CueRule(
        r"\b(to (evaluate|assess|rule out|address|manage|treat|determine|confirm|help|improve|monitor)|for (evaluation|assessment|management|treatment) of|because|due to|given (his|her|the)|in order to|reason|secondary to|to r/o|r/o)\b"
        # what a device or service is for (goldread): "to decrease pain and reduce reliance on medication", "for support
        # while lifting", "to allow safe ambulation", "so that she can bathe safely"
        # what a referral is for (issue #11, other9): "for opioid management and possible taper", "for eval and recs",
        # "for med management", "for surgical opinion"
        r"|\bfor\s+(?:(?:opioid|med(?:ication)?s?|pain|surgical|further|specialist|second|a\s+second|an?)\s+)?"
        r"(eval|evaluation|assessment|recs|recommendations|opinion|(co-?)?management|co-?manag\w*|mgmt|consideration|taper(ing)?)\b"
        r"|\b(to (decrease|reduce|relieve|control|allow|enable|prevent|support|stabili[sz]e|immobili[sz]e|protect|offload|"
        r"facilitate|assist|increase|restore|maintain|avoid|minimi[sz]e)|for (support|stability|stabili[sz]ation|safety|"
        r"pain (relief|control|management)|ambulation|balance|fall prevention|immobili[sz]ation|protection|home use)|so (that )?(she|he|they) can)\b",
        negate=r"\b(unclear why|no (stated )?reason|not (stated|explained|discussed)|does not (state|explain|discuss))\b"),
    "percent_relief": CueRule(r"\b\d{1,3}\s*(%|percent)\s*(pain\s*)?(relief|reduction|improvement|better|decrease|less pain)"
                              # the percent after the change: "reduces her pain by about 50%", "pain improved 40%"
                              r"|\b(improv\w*|reduc\w*|decreas\w*|reliev\w*)\s+((his|her|the|their)\s+)?(pain\s+)?(by\s+)?"
                              r"(about\s+|approximately\s+|roughly\s+|around\s+|nearly\s+|almost\s+|~\s*)?\d{1,3}\s*(%|percent)(?!\s*[a-z]*caine)"
                              # a symptom down by a percent: "leg pain down ~30%", "burning in foot ~40% less", "continues
                              # to help numbness/burning ~40%"
                              r"|\b(pain|burning|numbness|tingling|symptoms?|ache|aching)\b[^.;\d]{0,25}?\b(down|less|better|improved|reduced|"
                              r"decreased|lower)\s+(by\s+)?(about\s+|approximately\s+|roughly\s+|around\s+|nearly\s+|almost\s+|~\s*)?\d{1,3}\s*(%|percent)"
                              r"|\b(pain|burning|numbness|tingling|symptoms?|ache|aching)\b[^.;\d]{0,25}?(about\s+|approximately\s+|roughly\s+|around\s+|nearly\s+|almost\s+|~\s*)?"
                              r"\d{1,3}\s*(%|percent)\s+(less|lower|better|improved)\b"
                              r"|\bhelp\w*\s+([\w/-]+\s+){0,3}?(by\s+)?(about\s+|approximately\s+|roughly\s+|around\s+|nearly\s+|almost\s+|~\s*)?\d{1,3}\s*(%|percent)(?!\s*[a-z]*caine)"
                              # relief in words with the medicines as the subject: "the meds reduce her pain some" (read8)
                              r"|\b(meds|medications?|medicines?)\s+(reduce|reduces|relieve|relieves|decrease|decreases|ease|eases|lower|lowers)\s+"
                              r"((his|her|the|their)\s+)?pain\b"
                              # a hedged amount after a pause: 'meds help "a little, maybe 20%"' (read8)
                              r"|\bhelps?\b[\s\"',]{1,4}[^.;\d]{0,20}?\b(maybe|about|around|roughly|perhaps)\s+~?\d{1,3}\s*(%|percent)"
                              # (goldread) "takes about 20% off the pain", "takes the pain from a 6 down to about a 3", "with
                              # it, it comes down to around a five"
                              r"|\b\d{1,3}\s*(%|percent)\s+off\b"
                              r"|\bfrom\s+(a\s+)?\d{1,2}(/10)?\s+down\s+to\b"
                              r"|\b(comes?|goes|gets|drops?|brings?)\s+(it\s+|the\s+pain\s+|(his|her)\s+pain\s+)?down\s+to\b"
                              # relief in words: "takes the edge off", "cuts the pain by about half / a third"
                              r"|\btakes?\s+the\s+edge\s+off\b"
                              r"|\b(cuts?|reduces?|decreases?|lowers?|eases?)\b[^.;]{0,30}?\bby\s+(about\s+|nearly\s+|almost\s+|roughly\s+|"
                              r"(a\s+(bit|little)\s+)?(more|less)\s+than\s+|just\s+(over|under)\s+)?"
                              r"(half|a\s+third|a\s+quarter|two\s+thirds|one\s+third)\b"
                              # (drugs9) a score and the lower one it comes to: "pain of 8/10 reduced to 4/10", "Pain 7 -> 3",
                              # "VAS 8 w/o, 3-4 w/" (the engine keeps only a fall, and only beside a drug)
                              r"|\b(pain|vas|nrs|lbp|burning|numbness|tingling|aching)\b[^.;\d]{0,25}?\d{1,2}(/10)?\s*(->|-->|\u2192|"
                              r"(reduced|decreased|down|improved|drops?|dropped|goes)\s+to)\s*~?\d{1,2}\b"
                              # "burning decreased from 8/10 to 4-5/10", "reduces the burning in her arm by about 30%"
                              # (gf4read: also "brings her pain down from a 7 to a 3")
                              r"|\b(pain|lbp|burning|numbness|tingling|aching)\b[^.;\d]{0,25}?\bfrom\s+(a\s+)?\d{1,2}(/10)?\s+to\s+(a\s+)?~?\d{1,2}\b"
                              # (r13drug) two scores out of ten joined by "to", without "from": "pain 6/10 to 3/10", "VAS 7/10 to
                              # 4/10 after a dose" (the first must carry /10, so "pain 2 to 3 times a week" is no score pair)
                              r"|\b(pain|vas|nrs|lbp|burning|aching)\b[^.;\d]{0,25}?\d{1,2}/10\s+to\s+(a\s+)?~?\d{1,2}(/10)?\b"
                              r"|\b(reduc\w*|decreas\w*|improv\w*|reliev\w*|eas\w*)\s+[^.;\d]{0,30}?\bby\s+(about\s+|approximately\s+|roughly\s+|"
                              r"around\s+|nearly\s+|almost\s+|~\s*)?\d{1,3}\s*(%|percent)(?!\s*[a-z]*caine)"
                              r"|\b\d{1,2}(/10)?\s*(w/o|without)\b[^.;\d]{0,12}?\d{1,2}(-\d{1,2})?(/10)?\s*(w/|with)(?![a-z])"
                              # read9: the score now against the score before the drug: "pain is down to about 5/10 from 7/10
                              # before starting it"
                              r"|\bdown\s+to\s+(about\s+|~\s*)?\d{1,2}(/10)?\s+from\s+(about\s+|~\s*)?\d{1,2}(/10)?\s+(before|prior\s+to)\b"
                              # (r9drug) the drug that helps and the scores it brings: "Naproxen helps on bad days 7 -> 4/10";
                              # the lower score first: "leg burning is somewhat less (6/10 from 8/10)"
                              r"|\bhelps?\b[^.;\d]{0,25}?\d{1,2}(/10)?\s*(->|-->|\u2192)\s*~?\d{1,2}\b"
                              r"|\b(less|lower|better|improved|decreased|reduced)\b[^.;\d]{0,10}?\(?\d{1,2}(/10)?\s+from\s+\d{1,2}(/10)?"
                              # (r11drug) the score now, then in brackets what it was: "pain 5/10 (was 8/10 on Norco)"
                              r"|\b(pain|vas|nrs|lbp)\b[^.;\d]{0,25}?\d{1,2}(/10)?\s*\(\s*(was|previously)\s+\d{1,2}(/10)?"),
    # (r12drug) relief in words, without a figure: "partial relief", "good pain control", "gives her decent relief",
    # "the Lyrica is helping", "helps some"; and a percent given as a range: "helps ~30-40%", "30 to 50% relief" (the
    # engine keeps these only in a sentence naming a drug or the medications; "no/without relief" is negated)
    "relief_stated": CueRule(
        r"\b(partial|some|good|fair|moderate|significant|substantial|adequate|excellent|decent|modest|meaningful|"
        r"reasonable|great|considerable|definite)\s+(pain\s+)?(relief|analgesia|pain\s+control|symptom\s+control|benefit)\b"
        r"|\b(is|are|has\s+been|have\s+been)\s+(really\s+|definitely\s+|still\s+)?(helping|helpful|effective|beneficial|working)\b"
        r"|\bhelps?\s+(some|somewhat|a\s+lot|a\s+little|a\s+bit|moderately|significantly|considerably|quite\s+a\s+bit)\b"
        r"|\b\d{1,3}\s*(-|\u2013|to)\s*\d{1,3}\s*(%|percent)\s*(pain\s*)?(relief|reduction|improvement|better|decrease|less)\b"
        r"|\b(helps?|help\w+|reliev\w+|improv\w+|reduc\w+|decreas\w+|better|down|less)\b[^.;\d]{0,30}?\d{1,3}\s*(-|\u2013|to)\s*\d{1,3}\s*(%|percent)"),
    # (r9drug) constipation a laxative keeps in check: "constipation controlled with senna", "constipation managed on
    # docusate" ("not controlled with senna" is negated: the laxative failed)
    "constipation_controlled": CueRule(r"\bconstipation\b[^.;]{0,20}?\b(controlled|managed|resolved|relieved)\s+(with|on|by)\b"),
    # read9: a drug said to give no relief - "doesn't really work anymore", "the patches do nothing", "can't tell any
    # difference with it", "aren't touching it", "pain 8/10 regardless of whether he takes it" (the engine keeps those
    # naming the drug, the medications or "it")
    "no_relief": CueRule(
        r"\b(does ?n[o']t|do ?n[o']t|is ?n[o']t|are ?n[o']t|not)\s+(really\s+|even\s+)?(work(ing)?|help(ing)?|touch(ing)?)\b"
        r"|\bdo(es)?\s+nothing\b|\b(can'?t|cannot|could\s*n[o']t)\s+tell\s+(any|a|much)\s+difference\b"
        r"|\bregardless\s+of\s+whether\s+(he|she|they)\s+takes?\b"
        # (r9drug) doubt that it does anything: "not sure it does anything", "unsure they help"
        r"|\b(not\s+sure|unsure|doubts?)\s+(if\s+|whether\s+|that\s+)?(it|they|this|the\s+\w+)\s+(does|do|is\s+doing|are\s+doing|helps?|works?)\b"
        # gf4read: "no real benefit from Flexeril", "no relief with the patches", "feels like nothing", "pain the same with
        # or without it"
        r"|\bno\s+(real\s+|significant\s+|meaningful\s+|noticeable\s+|appreciable\s+)?(benefit|relief|help)\s+(from|with)\b"
        r"|\bfeels?\s+like\s+nothing\b|\b(same|unchanged)\b[^.;]{0,15}?\bwith\s+or\s+without\b",
        negate=_NEVER, present=False),
    "functional_goal": CueRule(r"\b(functional )?goals?\b", require=r"function|walk|lift|sit|stand|work|activit|sleep|return"
                               # (goldread) "Goals: ODI < 25%, tolerate 4 hrs driving, RTW full duty"
                               r"|tolerat|driv|\bRTW\b|duty|shift|\bODI\b|oswestry|\bNDI\b|\bADLs?\b|carry|climb|reach|grip|typing",
                               negate=r"\b(no|not|without|unclear)\b"),
    "return_to_work_goal": CueRule(r"return to (work|duty|full duty|modified duty)"
                                   # a job held open for the worker (issue #11, inj9): "employer has job waiting",
                                   # "job offer from employer"
                                   r"|\b(employer|job)\b[\w ]{0,20}\b(waiting|held open|being held)\b|\bjob offer\b"
                                   # (r11rehab) the goal in PR-2 shorthand and a position held for the worker: "RTW
                                   # goal", "then RTW", "employer holding position"
                                   r"|\brtw\b|\bemployer\b[\w ]{0,12}\b(holding|keeping)\b[\w ]{0,12}\b(job|position|spot)\b",
                                   negate=r"\b(no plan|not expected|unable|will not|never)\b"),
    # a psychological evaluation done, or its scored instruments written down ("Psychology: BDI-II 22, PCS 30,
    # FABQ-W 34", "Testing: PHQ-9 19, MMPI-2-RF valid profile")
    "psych_evaluation_done": CueRule(
        r"psych(olog\w*|\.)? (evaluation|eval|assessment|screening|testing|consultation)|\b(bdi(-ii)?|mmpi(-2)?(-rf)?|pcs|fabq(-[wp])?|bai|beck depression inventory|"
        r"pain catastrophizing scale)\b\s*(score\s*)?[:=]?\s*\d",
        require=r"\b(completed|performed|done|underwent|was evaluated|showed|revealed|found|cleared)\b|\b(BDI|MMPI|PCS|FABQ|BAI|Beck|catastrophizing)",
        negate=r"\b(pending|recommended|requested|request|will|scheduled|awaiting|needs?)\b"),
    "motivated": CueRule(r"\b(motivated|motivation|willing(ness)? to|wants? to (get|go) back to|wants? to return to|agree[sd]? to (participate|taper|wean))\b",
                         negate=r"\b(not|no|poorly|un)motivat|\bnot willing|\bunwilling"),
    # issue 11 (letters9): a sensory deficit in the median nerve's territory ("numbness in the radial digits", "tingling of
    # the thumb and index finger", "paresthesias in a median distribution")
    "median_distribution_deficit": CueRule(
        r"\b(numb\w*|tingl\w*|paresthes\w*|dysesthes\w*|hypo?esthes\w*|decreased sensation|sensory (loss|deficit))[^.;]{0,60}?"
        r"\b(median (nerve )?(distribution|territory)|radial (three |3 )?digits|thumb,? (and )?index|first (three|3) (digits|fingers))"),
    # issue 11 (letters9): the weeks after a major surgery or a hospital stay, as notes state them ("seen in his post-op
    # visits", "recently discharged from the hospital", "incision healing with staples in place")
    "post_acute_care": CueRule(
        r"\bpost[- ]?op(erative)? (visits?|checks?|period|course|wound|incision|care)\b|\bpost[- ]?surgical (visits?|wound|incision)\b"
        r"|\b(recently |just )?discharged (home )?from (the )?(hospital|inpatient|icu|intensive care)|\brecently (hospitali[sz]ed|discharged)\b"
        r"|\bpost[- ]icu\b|\bincisions?\b[^.;]{0,40}?\b(healing|opening|dehiscen\w*|drains?|drainage|staples|stables|sutures)\b"),
    "homebound": CueRule(r"\bhome ?bound\b|\bbedbound\b|\bbed-bound\b|unable to leave (the )?home"),
    "homebound_mentioned": CueRule(r"\bhome ?bound\b", negate=_NEVER),
    "leaves_home": CueRule(r"\b(drove|drives|ambulat\w* (independently|without)|walks? (independently|without assist)|attends? (the )?office|came to the (clinic|office))\b"),
    "diffuse_pain": CueRule(r"\b(diffuse|widespread|multifocal|multi-focal|whole body|all over)\b", require=r"pain|symptom",
                            negate=r"\b(no|not|denies|without)\b"),
    "focal_pain": CueRule(r"\b(localized|focal|isolated|point tenderness)\b", require=r"pain|tender"),
    "skilled_home_care": CueRule(r"nurs|skilled|wound|physical therap|occupational therap|medication (administration|management)|injection|infusion|catheter",
                                 require=r"home (health|care)|in[- ]home"),
    "custodial_home_care": CueRule(r"homemaker|housekeep|personal care|chores|cleaning|cooking|shopping|bathing|dressing|custodial|attendant",
                                   require=r"home (health|care)|aide|assist"),
    "significant_change": CueRule(
        r"\b(new|worsen\w*|progressive|progressing|significant(ly)? (change|increase|worse)|increased|new onset)\b",
        require=r"pain|numb|weakness|symptom|deficit|tingling|radiat",
        negate=r"\b(no new|not worse|unchanged|stable|no change|no significant change)\b"),
    # (read8) symptoms said to be as before: "symptoms same as at the last MRI", "exam unchanged", "no new weakness"
    "symptoms_unchanged": CueRule(
        r"\b(unchanged|no (new|significant) changes?|no interval change|same as (at|on|before|prior|previous|last|when)|"
        r"no new (symptoms?|sx|weakness|numbness|deficits?|complaints?|findings)|(symptoms?|sx|exam) (is |are |remains? )?stable)\b",
        require=r"symptom|\bsx\b|exam|pain|numb|weak|deficit|neuro|tingl",
        negate=r"\b(not (unchanged|the same|stable)|worse|worsen\w*|progress\w*)\b", present=False),
    # symptoms that have not settled: "continued numbness", "constant pain", "remains symptomatic",
    # "still complains of", "pain persists despite therapy"
    "persistent_symptoms": CueRule(
        r"\b(continu\w*|persist\w*|ongoing|constant|remains? (symptomatic|in pain)|still (has|having|reports?|complains?|with)|"
        r"unchanged|worsen\w*|no (significant )?improvement|not improved|despite|"
        # r12other: pain called chronic has outlasted the care before it ("chronic neck and low back pain")
        r"chronic|"
        r"progressive|progressing)\b"  # r11proc: "has had progressive medial knee pain", "symptoms progressing"
        # symptoms that came back: "pain returning over the past 2-3 wks", "recurrent swelling", "sx recurred"
        r"|\b(pain|symptoms?|sx|swelling)\s+(\w+\s+){0,3}?(returning|returned|recurred|came back)\b|\brecurrent (pain|symptoms?|swelling)\b",
        require=r"pain|numb|tingl|symptom|\bsx\b|weak|spasm|complain|radiat|ache|swelling|lock|catch"),
    # r14surg: care that changed nothing in the symptoms ("no change in mechanical sx", "no real change in her knee
    # pain", "without any change in the numbness"); the phrase is itself the negative statement, so it is not negated
    # again. "no change in medications" names no symptom and does not count.
    "care_changed_nothing": CueRule(
        r"\b(no|without)\s+(any\s+)?(real\s+|significant\s+|meaningful\s+)?change\s+(in|of|to)\s+(the\s+|his\s+|her\s+|their\s+)?"
        r"(\w+\s+){0,2}?(symptoms?|sx|pain|locking|catching|numbness|tingling|swelling)\b", negate=_NEVER),
    # r10other: a body-mass index stated as a figure ("BMI 43.6", "body mass index of 38"); the engine reads the figure
    "bmi_stated": CueRule(r"\bbmi\b[^a-z0-9]{0,3}(of|is|was|=|:)?\s*\d{2}(\.\d+)?\b|\bbody mass index[^a-z0-9]{0,3}(of|is|was|=|:)?\s*\d{2}(\.\d+)?\b",
                          negate=_NEVER),
    # r10other: fixation hardware that is painful, prominent or broken in its own right (ODG hardware implant removal):
    # "tender directly over hardware", "prominent palpable plate", "broken screw", "plate rubbing in work boots"
    "hardware_symptomatic": CueRule(
        r"\b(pain\w*|tender\w*|prominen\w*|palpable|irritat\w*|rubb\w*|symptomatic)\b[^.;]{0,40}?\b(hardware|plates?|screws?|implants?)\b"
        r"|\b(hardware|plates?|screws?|implants?)\b[^.;]{0,30}?\b(broken|backed out|backing out|prominent|painful|symptomatic|rubbing)\b"
        r"|\b(broken|loose|backed[- ]out|failed)\s+(hardware|plates?|screws?|implants?)\b"),
    # r10other: a fracture written as healed ("fracture healed", "healed fx", "solid union"); "not healed" negates it
    "fracture_healed": CueRule(
        r"\b(fracture|fx)\b[^.;]{0,20}?\b(healed|united|union)\b|\bhealed\s+(\w+\s+)?(fracture|fx)\b|\b(solid|bony|complete)\s+union\b",
        negate=r"\b(?:not|non|un)[- ]?(?:yet\s+)?(?:healed|united|union)\b|\bnonunion\b|\bdelayed\s+union\b|\bincomplete(?:ly)?\s+(?:healed|union)\b"),
    # (r11dme) a fracture suspected but not yet seen (the occult scaphoid fracture of ACOEM ch. 11): "r/o occult
    # scaphoid fx", "concern for occult fracture", snuffbox tenderness; a fracture ruled out or a negative
    # suspicion is not one
    "fracture_suspected": CueRule(
        # (r13other) any bone, and a fracture named second after "vs"/"or": "r/o AC separation vs clavicle fx",
        # "rule out sprain or proximal humerus fracture", "possible rib fx"
        r"\b(r/o|rule out|to rule out|ruling out|suspect\w*|possible|probable|concern for|question of|\?)\s+(an? )?"
        r"((?:[\w/-]+ ){0,2}(?:vs\.?|versus|or) (an? )?)?(occult |hidden |radiographically occult )?"
        r"((?:scaphoid|navicular|carpal|stress|distal radius|radial|radial head|clavic\w*|(?:proximal )?humer\w*|rib|olecranon|"
        r"patell\w*|tibial(?: plateau)?|fibul\w*|compression|vertebral|metacarpal|metatarsal|femoral neck|hip|wrist|ankle|elbow) )?"
        r"(fx|fracture)\b"
        r"|\boccult (scaphoid |navicular |carpal )?(fx|fracture)\b"
        r"|\bsnuff ?box (tenderness|ttp|pain|tender)|\b(tender\w*|ttp|pain) (in |over |at |of )?(the )?(anatomic(al)? )?snuff ?box"
        # the Ottawa ankle rule's bony tenderness: "TTP lat malleolus posterior edge", "tender at the tip of the medial
        # malleolus", "Ottawa positive"
        r"|\b(tender\w*|ttp) (at |over |of |to )?(the )?(lat\w*|med\w*|lateral|medial) malleol\w* (posterior edge|tip)"
        r"|\b(tender\w*|ttp) (at |over |of |to )?(the )?(posterior edge|tip) of (the )?(lat\w*|med\w*) malleol"
        r"|\bottawa (ankle |foot )?(rules? )?(positive|\+|met)",
        negate=r"\b(no|not|without|denies|nontender|non-tender|ruled out)\b"),
    # (r11dme) a fracture a note states as seen ("XR: nondisplaced distal radius fx"); one ruled out, only suspected,
    # healed or in the history is not a fracture to immobilize now
    "fracture_seen": CueRule(
        r"\b(fx|fracture)\b",
        negate=r"\b(no|not|neg|negative|without|denies|r/o|rule out|ruled out|suspect\w*|possible|probable|concern|"
               r"occult|question|healed|united|union|history|hx|prior|old|remote)\b|\?"),
    # (r11drug) a bacterial infection as clinicians chart it, for an antibiotic's indication: "cellulitis R knee portal",
    # "surgical site infection", "infected incision", "purulent drainage", "osteomyelitis" ("no cellulitis" is negated)
    "infection": CueRule(
        r"\b(cellulitis|abscess\w*|osteomyelitis|purulen\w*|septic\s+(arthritis|joint|bursitis)|"
        r"(wound|surgical\s+site|incision\w*|pin[- ]?site|portal|skin|soft[- ]tissue|post-?op\w*)\s+infection|"
        r"infected\s+(wound|incision|hardware|bursa|joint|cyst)|SSI)\b"),
    # (r11drug) mood or sleep better, one of the CPMTG's measures of an antidepressant's effect: "mood a bit better",
    # "sleeping better", "improved sleep", "depression improved" ("mood no better", "not sleeping better" are negated)
    "mood_sleep_improved": CueRule(
        r"\b(mood|sleep|sleeping|depression|depressive\s+sx)\b[^.;\d]{0,20}?\b(better|improved|improving|brighter|lifted)\b"
        r"|\b(better|improved|improving)\s+(mood|sleep)\b",
        negate=r"\b(no|not|never|hardly)\s+(\w+\s+){0,2}?(better|improved|improving)\b|\bworse\b"),
    "mmi": CueRule(r"maximal medical improvement|maximum medical improvement|\bMMI\b|permanent and stationary|\bP&S\b",
                   negate=r"\b(not (yet )?(at|reached)|not p&s|not permanent)\b"),
    "plan_neurotomy": CueRule(r"neurotomy|radiofrequency|rhizotomy|\bRFA?\b", require=_PLAN_WORDS, negate=_PLAN_NEGATE),  # "consider RF"
    "neurotomy_not_planned": CueRule(
        r"\b(no|not)\b.{0,30}\b(neurotomy|radiofrequency|rhizotomy)\b.{0,20}\b(planned|considered|candidate|contemplated|indicated)\b"
        r"|\b(declines?|declined|does not want)\b.{0,30}\b(neurotomy|radiofrequency|rhizotomy)", negate=_NEVER, present=False),
    # a referral to a surgeon is surgery considered: "ortho referral if tear", "refer to spine surgeon", "Neurosurgery consult"
    # r13other: "myofascial release" and "active release (technique)" are manual therapy, not an operation
    "plan_surgery": CueRule(r"surg(?!eon)|fusion|laminectomy|discectomy|arthroscop|decompression|\brelease\b(?<!fascial release)(?<!active release)"
                            r"|\bortho(?:pedic|paedic)?s?\s+(?:spine\s+|surgeon\s+)?(?:referral|consult)"
                            r"|\brefer\w*\s+(?:back\s+)?(?:to\s+)?(?:an?\s+|the\s+)?(?:ortho\w*|(?:spine|hand|orthopedic)\s+surgeon|neurosurgeon)",
                            require=_PLAN_WORDS + r"|\breferral\b|\brefer\b|\bconsult(?:ation)?\b",
                            negate=_PLAN_NEGATE),
    "surgery_not_planned": CueRule(
        r"\bno (further )?surgical (indication|option|intervention|lesion)s?|\bno further surgical|\bnot an? candidate for (any )?(further )?(surgery|surgical)|\bnot (an? )?(further )?(surgical|operative) candidate|\bnon-?(surgical|operative) candidate|\bno (further )?surgery (is )?(planned|recommended|indicated|contemplated)"
        r"|\b(declines?|declined|does not want|not interested in)\b.{0,20}\bsurg|\bsurgery (is )?not (recommended|indicated|planned)"
        # a condition the surgeon calls non-surgical (issue #11, inj9): "non-surgical per ortho", "deemed nonoperative"
        r"|\bnon-?(surgical|operative) per\b|\b(deemed|considered) non-?(surgical|operative)\b",
        negate=_NEVER, present=False),
    # "She has not had acupuncture before", "no prior PT", "never had an ESI": a first course, if the
    # sentence names the requested treatment (the engine checks which).
    "no_prior_course": CueRule(
        r"\b(has not had|hasn't had|have not had|has never had|never had|never tried|has not tried|not had any|no prior|"
        r"(has|have) had no|had no (prior |previous )?|"
        # "Acupuncture has not been tried", "not yet tried", "No injections to date", "none so far"
        r"(has|have|had) not (yet )?been (tried|attempted|done|given|provided|used)|not (yet )?tried|"
        r"no [a-z/-]+( [a-z/-]+)?( [a-z/-]+)? (to date|so far|thus far|yet)|"
        r"no previous|no history of|without prior|naive to|"
        r"no (documentation|record|evidence) (of|that)( any)?( (attendance|completion) (of|at))?( (prior|previous|past))?|"
        r"does not appear (that )?(the )?(patient|worker|injured worker|applicant|claimant) (has|had) (undergone|had|attended|tried)|"
        # PR-2 shorthand: "No PT yet", "no chiro to date", "acupuncture has not been tried" (issue #11, engine3)
        r"no ([^ .;,]+ ){1,3}(yet|to date|so far)|(has|have) not been (tried|done|attempted|given)|not yet (had|tried|started|begun))\b",
        negate=_NEVER, present=False),
    # utilization review certified part of the request ("the request for physical therapy was modified to 6
    # visits", "partially certified", "accommodating 10 sessions"): the disputed rest follows the part
    # authorized, so it is a continuation (the engine keeps the sentences naming the requested treatment)
    "partially_certified": CueRule(
        r"\b((was|were|been) modified|modified (to|for|by|the request)|partially (certified|approved|authori[sz]ed)|partial (certification|approval|authori[sz]ation)|"
        r"(certified|approved|authori[sz]ed|accommodating|allowing) (x ?)?\d+\b(?! ?(weeks?|days?|months?|years?|mg|%))|"
        r"with \d+ remaining)",
        require=r"\b(request|utilization review|ur|reviewer|certif|authori[sz]|approv)", negate=_NEVER),
    # more of a course asked for ("6 additional sessions of PT requested", "request further chiropractic", "another ESI
    # is recommended"): the words themselves say the course was given before (goldread); the engine keeps those
    # naming the requested treatment
    "more_of_same": CueRule(
        r"\b(additional|further|another|continued|extension of( the)?|repeat)\s+(\d{1,2}\s+|[a-z-]+\s+){0,2}?"
        r"(sessions?|visits?|treatments?|course|physical therapy|therapy|pt|chiropractic|chiro|acupuncture|injections?|blocks?|esi)\b",
        require=r"\b(request\w*|authori[sz]\w*|recommend\w*|would benefit|plan\w*|rfa|order\w*|prescrib\w*|refer\w*)\b",
        negate=_NEVER),
    # a record that lists the care given so far ("Treatment to date included activity modification and
    # medications"): when the requested treatment is not among it, the request is a first course
    "treatment_history": CueRule(
        r"\b(treatments? to date|treatment history|(prior|previous|past) treatments?|has been treated with|was treated with|"
        r"(conservative|prior|previous) (care|treatment|management) (has )?(included|includes|consisted|consisting))\b",
        negate=_NEVER),
    # mobility, transport, hearing and opioid-risk statements (the imaging, DME and service topics)
    "mobility_limited": CueRule(
        r"non-?ambulatory|unable to (walk|ambulate|bear weight)|cannot (walk|ambulate|bear weight)|non-?weight[- ]bearing|"
        r"\bNWB\b|wheelchair[- ]bound|bed[- ]?bound|bedridden|confined to (bed|a wheelchair)",
        negate=r"\b(no longer|not|denies)\b"),
    "ambulates": CueRule(r"\b(ambulat\w* (independently|without)|walks? (independently|without assist|normally)|normal gait|drove)\b"),
    "cannot_drive": CueRule(r"unable to drive|cannot drive|can not drive|not (able|allowed|cleared) to drive|no (means of )?transportation|"
                            r"no one to drive|unable to use public transport", negate=_NEVER),
    "drives": CueRule(r"\b(drove|drives|driving)\b", negate=r"\b(not|unable|cannot|no longer)\b"),
    "hearing_loss": CueRule(r"audiogram|audiometr|hearing loss|sensorineural|hard of hearing|hearing impairment",
                            negate=r"\b(no|denies|without|normal hearing)\b"),
    # (drugs9) the morphine-equivalent total as the prescriber writes it: "MED ~270", "(MED 60)", "~70 MME/day"
    "med_stated": CueRule(r"\b(med|mme)\b[\s:=~(]*(is\s+|of\s+|about\s+|approx\.?\s*|approximately\s+)?~?\s*\d{1,4}\b"
                          r"|\b\d{1,4}\s*(mg\s*)?(med|mme)\b", negate=_NEVER),
    "opioid_risk": CueRule(r"\b(low|moderate|medium|high)[- ]risk\b", require=r"opioid|misuse|addiction|abuse|aberran|\bORT\b|SOAPP|COMM|drug",
                           negate=_NEVER),
    # a drug or treatment given for the first time: "a first-time request for Naprosyn", "newly prescribed",
    # "an initial trial of Lyrica" (the engine keeps those naming the requested drug)
    "first_time": CueRule(r"\b(first[- ]time|for the first time|newly (prescribed|started)|new (prescription|start)|initial trial|"
                          # a drug started at this visit ("Start gabapentin 300 mg", an RFA line "Gabapentin 300 mg #90 (new)")
                          r"(start|begin|initiate)\b(?! ?(date|of care|(a |the )?(wean|taper)))|\(new\)"
                          # r10drug: the present participle of this visit's plan ("cont gabapentin while starting
                          # nortriptyline"); "since/after starting Norco" speaks of a drug already taken
                          r"|(?<!since )(?<!after )(?<!before )\b(starting|initiating)\b(?! ?(date|dose|(a |the )?(wean|taper))))",
                          negate=_NEVER),
    "plan_active_therapy": CueRule(r"home exercise|exercise program|active therapy|physical therapy|return to work"
                                   # (goldread) "continue daily walking program", "water aerobics encouraged", "home quad sets"
                                   r"|walking program|graded walking|aerobic\w*|strengthening|\bhep\b|home (quad|stretch|exercis)\w*"
                                   # r11proc: the hand's active program ("R SGB in conjunction with hand therapy")
                                   r"|hand therapy|occupational therapy",
                                   require=_PLAN_WORDS + r"|\bcontinue|\bcont\b|encourag", negate=_PLAN_NEGATE),
    # an active program named under the note's plan heading with no plan word in its own sentence (read9): "P: Increase
    # gabapentin. Walking program, stationary bike 20 min/day.", "TX PLAN: Refill. Walking program." (kept only in a
    # plan section, read_cue_spans)
    "active_program": CueRule(r"\b(walking program|stationary bike|exercise program|home exercises?|hep|aquatic|pool therapy|yoga|"
                              r"pilates|work conditioning|work hardening)\b",
                              negate=_PLAN_NEGATE),
    # a study done, named with its date or as an earlier one even when no result is written beside it (read9): "Pre-op
    # MRI 9/2023.", "CT L-spine 06/2024 (3 months post-op): hardware in good position", "an old lumbar MRI"; a
    # study asked for, planned, denied or not done is none (the whole sentence cancels it)
    "study_done": CueRule(
        # speed: the scan looks for the modality word only; the sentence must then name it with a date or as an earlier one
        r"\b(mri|ct|x-?rays?|xr|radiographs?)\b",
        require=r"\b(pre-?op(erative)?|prior|previous|last|old|earlier|outside|post-?op(erative)?)\s+([a-z-]+\s+)?(mri|ct|x-?rays?|xr|"
                r"radiographs?|films)\b|\b(mri|ct|x-?rays?|xr|radiographs?)\b[^.;:()]{0,25}?\b(\d{1,2}/\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}|(19|20)\d\d)\b"
                # gf4read: or with its result after a colon, or taken today ("X-rays today: normal", "MRI: L4-5 HNP",
                # "XR R knee: mild DJD")
                r"|\b(mri|ct|x-?rays?|xr|radiographs?)\b[^.;:()]{0,25}?:\s*[a-z0-9]|\b(mri|ct|x-?rays?|xr|radiographs?)\s+(taken\s+)?today\b",
        negate=r"\b(no|not|never|without|denies|request\w*|order\w*|schedul\w*|pending|plan\w*|will|recommend\w*|authori[sz]\w*|"
               r"denied|non-?certif\w*|refer\w*|consider\w*|needs?|awaiting)\b"),
    # walking that is unsafe or limited, short of not walking at all (issue #11, dxread; the walking-aid topic):
    # "antalgic, unsteady gait", "ambulates w/ cane", "falls x2", "2 near-falls", "can't walk > 1 block",
    # "can walk ~100 ft", "protected wt bearing", "knee gives way"
    "gait_impaired": CueRule(
        r"\b(antalgic|unsteady|unstable|shuffling|wide[- ]based|ataxic|abnormal|impaired|slow(ed)?|guarded)(,? (and |\w+ ){0,2}?)gait\b"
        r"|\bgait (is |was )?(antalgic|unsteady|unstable|impaired|abnormal|ataxic)"
        r"|\b(ambulat\w*|walks?|walking|uses?|using|requires?|needs?) (\d+ ?(ft|feet|m|meters|yards) )?(only )?(with |w/ ?)?(a |an )?(single[- ]point |quad |straight )?(cane|walker|crutch(es)?|f?ww|4ww|rollator)\b"
        r"|\bwith (a |her |his )?(single[- ]point |quad )?cane\b"
        r"|\b(falls?|fell) (x ?\d|\d+ times|twice|several times|multiple times|repeatedly)|\b(\d+|two|three|several|multiple|recurrent) (near[- ])?falls\b|\bnear[- ]falls?\b"
        r"|\b(can'?t|cannot|can not|unable to) walk (more than|over|>|beyond|longer than|for more than)|\bcan (only )?walk (about |only |~ ?)?\d+ ?(ft|feet|yards|yds|meters|m)\b"
        r"|\b(difficulty|trouble) (walking|ambulating)|\blimited (walking|ambulation)|\b(partial|protected|toe[- ]touch) (wt|weight)[- ]bearing|\b(pwb|ttwb|tdwb)\b"
        r"|\b(knee|ankle|leg) (buckl\w*|gives? (way|out)|gave (way|out))"
        # a walking distance of a block or two at most (issue #11, inj9): "walks < 1 block", "walks only half a block"
        r"|\bwalk(s|ing)? (only |about |~ ?)?(<|less than|under|no more than|up to)? ?(1|2|1/2|one|two|a|half a|a half) (city )?blocks?\b"
        # (r11dme) "antalgic" written alone is the gait ("ambulating 60 ft with FWW, antalgic"), not after "non";
        # getting up or onto the toilet needing help or called difficult is the same limited mobility
        r"|(?<!non-)(?<!non)\bantalgic\b"
        r"|\b(min(imal)?|mod(erate)?|max(imal)?|contact guard) (assist(ance)?|a) (for |with )?(transfers?|ambulation|gait|walking)\b"
        r"|\b(toilet |tub |bed |car )?transfers? (are |is |remain )?(very )?(difficult|unsafe|painful|require assist\w*|with assist\w*)"
        r"|\b(difficulty|trouble) (with )?(transfers?|toileting|getting (up )?(on|off|out of|up from) (the )?(toilet|chair|bed|tub))"),
}

# The scan runs over lower-cased text with lower-cased patterns: about twice as fast as re.IGNORECASE
# (the patterns use no upper-case escapes such as \S or \W, which lower-casing would change).
_COMPILED = {n: (re.compile(r.pattern.lower()), re.compile(r.require, re.I) if r.require else None, re.compile(r.negate, re.I), r.present,
                 r.negate in _LOCAL)
             for n, r in CUE_RULES.items()}

# A diagnostic block's result: relief as a percent, or in words; plans and requests are not results.
# ("Confirmatory bupivacaine block 3/16: 80% x 6 h": the second, comparative block of a diagnostic pair)
_BLOCK = re.compile(r"\b(?:(medial branch|diagnostic( facet)?|facet)( nerve)? blocks?|MBBs?|(?:confirmatory|comparative)\s+(?:\w+\s+)?blocks?)\b",
                    re.I)
_NOT_A_RESULT = re.compile(r"\b(if|plan|plans|planned|request\w*|will|would|recommend\w*|schedul\w*)\b", re.I)
# a percent of relief, not a drug's concentration ("0.5% bupivacaine", "2% lidocaine")
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3})\s*(%|percent)(?!\s*(?:[a-z]*caine|xylocaine|marcaine|solution|concentration|dextrose|saline))",
                      re.I)
_POSITIVE = re.compile(r"\b(positive|successful|excellent)\b", re.I)
_NEGATIVE = re.compile(r"\b(not|no|negative)\b", re.I)

class _ActivityGain:
    """An activity measured now and before, the present figure the larger: "Walking 45 min (was 10-15)",
    "sitting tolerance 45-60 min w/ breaks, was 20", "can now drive 45 minutes, previously 15", "walking
    tolerance rose from 10 to 30 minutes". A fall ("walk 10 min, was 30") is no gain."""

    # gf4read: grip and lifting, measured the same way ("grip improving from 8 to 18 kg", "lifting 25 lbs, was 10")
    _ACT = r"\b(?:walk\w*|sit(?:s|ting)?|stand(?:s|ing)?|driv\w*|tolerance|grip\w*|lift\w*)\b"
    _N = r"(\d{1,3})(?:\s*-\s*(\d{1,3}))?\s*(?:min\w*|hrs?|hours?|blocks?|miles?|ft|feet|m|kg|lbs?|pounds)?\b"
    _NOW_WAS = re.compile(_ACT + r"[^.;()\d]{0,30}?" + _N + r"[^.;\d]{0,25}?\b(?:was|previously|prev\.?|before|"
                          r"up\s+from|vs\.?|compared\s+(?:to|with))\s*:?\s*(\d{1,3})", re.I)
    _FROM_TO = re.compile(_ACT + r"[^.;\d]{0,40}?\bfrom\s+(\d{1,3})\s*(?:min\w*|hrs?|hours?|blocks?|kg|lbs?|pounds)?\s*to\s+"
                          r"(\d{1,3})", re.I)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Candidate places (for the one scan of a block); `search` decides per sentence. (Speed: on ASCII text
        the same spans from the lower-cased patterns over the lower-cased text, scanned by alternatives,
        literals.py; only their places are read.)"""
        if text.isascii() and self._LOWERED[0] is not None and self._LOWERED[1] is not None:
            lower = text.lower()
            yield from L.finditer(self._LOWERED[0], lower)
            yield from L.finditer(self._LOWERED[1], lower)
            return
        yield from self._NOW_WAS.finditer(text)
        yield from self._FROM_TO.finditer(text)

    _LOWERED = (L.lowered(_NOW_WAS), L.lowered(_FROM_TO))

    def search(self, sent: str) -> re.Match[str] | None:
        for m in self._NOW_WAS.finditer(sent):
            now = int(m.group(2) or m.group(1))
            if now > int(m.group(3)):
                return m
        for m in self._FROM_TO.finditer(sent):
            if int(m.group(2)) > int(m.group(1)):
                return m
        return None


class _IndexFall:
    """(r9drug) A disability index scored now and before, the present figure the lower (a lower Oswestry, NDI,
    DASH, PDI or Roland-Morris score is better function): "Oswestry 32% (was 58% before opioid therapy)", "NDI down
    from 40 to 22". A rise ("ODI 48%, was 30%") is no gain."""

    _IDX = r"\b(?:oswestry(?:\s+disability\s+index)?|odi|ndi|neck\s+disability\s+index|quick-?dash|dash|pdi|roland[- ]morris|rmdq)\b"
    _NOW_WAS = re.compile(_IDX + r"[^.;()\d]{0,20}?(\d{1,3})\s*%?[^.;\d]{0,20}?\b(?:was|previously|prev\.?|before|"
                          r"down\s+from|vs\.?|compared\s+(?:to|with))\s*:?\s*(\d{1,3})", re.I)
    _FROM_TO = re.compile(_IDX + r"[^.;\d]{0,30}?\bfrom\s+(\d{1,3})\s*%?\s*to\s+(\d{1,3})", re.I)
    _LOWERED = (L.lowered(_NOW_WAS), L.lowered(_FROM_TO))  # speed (warm4): for ASCII blocks, see finditer

    _WORDS = ("oswestry", "odi", "ndi", "disability", "dash", "pdi", "roland", "rmdq")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        lower = text.lower()  # speed: most blocks name no index at all
        if not any(w in lower for w in self._WORDS):
            return
        if text.isascii() and None not in self._LOWERED:
            # speed (warm4): the same spans (the cue stage reads only spans), lower-cased and by alternatives
            for rx in self._LOWERED:
                yield from L.finditer(rx, lower)
            return
        yield from self._NOW_WAS.finditer(text)
        yield from self._FROM_TO.finditer(text)

    def search(self, sent: str) -> re.Match[str] | None:
        for m in self._NOW_WAS.finditer(sent):
            if int(m.group(1)) < int(m.group(2)):
                return m
        for m in self._FROM_TO.finditer(sent):
            if int(m.group(2)) < int(m.group(1)):
                return m
        return None


# Findings as PR-2 shorthand writes them, read per sentence (clause-local negation) beside the entity
# rules: what the medication lets the worker do, a drug screen "c/w" the prescriptions, a return to duty.
# care a record lists before saying how it went (the two "care, then its outcome" rules below share it)
_CARE_LISTED = (r"physical\s+therapy|PT|chiro\w*|acupuncture|NSAIDs?|naproxen|ibuprofen|meloxicam|medications?|meds|splint\w*|"
                r"brac\w*|HEP|home\s+exercises?|traction|TENS|massage")


_FINDING_CUES: tuple[tuple[str, bool, Any, bool], ...] = (
    ("functional_improvement", True, re.compile(
        r"\b(?:let(?:s|ting)?|allow\w*|enabl\w*|helps?)\s+(?:him|her|them|the\s+(?:patient|worker|applicant))\s+(?:to\s+)?"
        r"(?:walk|sit|stand|sleep|work|do|perform|complete|drive|lift|shop|cook|clean|care|exercise|garden|function|"
        r"finish|tolerate|get\s+through|keep\s+working|play|carry|mow|attend)"
        r"|\b(?:adls?|activities\s+of\s+daily\s+living|function(?:al)?\s+(?:status|level|capacity)?|walking|sitting|standing|"
        r"tolerance)\s+(?:\w+\s+){0,2}?(?:improved|increased|better)\b"
        r"|\b(?:improved|increased|better)\s+(?:\w+\s+){0,2}?(?:adls?|function\w*|walking|sitting|standing|tolerance|mobility)"
        # what the drug makes possible: "with meds she is able to ...", "able to walk 30 min with the medications"
        r"|\bwith\s+(?:the\s+|her\s+|his\s+)?(?:medications?|meds)\b[^.;]{0,40}\bable\s+to\b"
        # "With Norco he is able to do dishes", "With Norco he can walk ~40 min", "On tramadol able to sleep through
        # night": a named drug (not an aid, a person, an exam or a time) that makes it possible
        r"|\b(?:with|on)\s+(?!(?:assist\w*|help|support|difficulty|pain|a|an|the|cane|crutch\w*|walker|brace|rest|breaks?|"
        r"exam\w*|average|effort|occasions?|days?|weekends?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|"
        r"saturdays?|sundays?|good|bad|light|modified|full|regular|restrictions?|work|duty|this|that|these|those)\b)"
        r"[a-z][a-z-]+(?:\s+(?:ER|XR|SR|CR|IR|\d+(?:\.\d+)?(?:/\d+)?(?:\s*mg)?|daily|qd|bid|tid|qhs|prn)\b){0,3}\s*,?\s+"
        r"(?:(?:he|she|they|pt|the\s+(?:patient|worker|applicant))\s+)?"
        r"(?:(?:(?:is|are|was)\s+)?(?:now\s+)?able\s+to|can(?:\s+now)?)\s+(?:walk|sit|stand|work|do|perform|complete|drive|lift|"
        r"shop|cook|clean|care|exercise|garden|sleep|finish|tolerate|play|carry|mow|attend)"
        # (drugs9) what the worker does on it, in the present: "With tramadol ER she walks about 20 min, does her shopping"
        r"|\bwith\s+(?!(?:assist\w*|help|support|difficulty|pain|a|an|the|cane|crutch\w*|walker|brace|rest|breaks?)\b)"
        r"[a-z][a-z-]+(?:\s+(?:ER|XR|SR|CR|IR|\d+(?:\.\d+)?(?:/\d+)?(?:\s*mg)?)\b){0,2}\s*,?\s+(?:he|she|they|pt)\s+"
        r"(?:walks|does|cooks|cleans|shops|drives|works|gardens|exercises|lifts|plays|stands|sits)\b"
        # a pain score that falls and what the worker is able to do: "Ultram 50 tid - pain 7->4, able to do laundry, cook"
        # (r11drug) the fall also written as now, then what it was: "pain 5/10 (was 8/10 on Norco), walks 30 min daily"
        r"|\bpain\s*(?:\d{1,2}(?:/10)?\s*(?:->|-->|to)\s*\d{1,2}(?:/10)?|\d{1,2}(?:/10)?\s*\((?:was|previously)\s+\d{1,2}(?:/10)?[^()]{0,30}\))"
        r"\s*[,;-]\s*(?:and\s+)?(?:(?:he|she|pt)\s+)?(?:(?:is\s+)?able\s+to\s+"
        r"(?:walk|sit|stand|work|do|perform|complete|drive|lift|shop|cook|clean|care|exercise|garden|sleep)"
        # (r10drug) ... or what the worker now does, in the present: "pain 8 -> 4, walks 2 miles daily, works part-time"
        # (not an aid or a limit: "walks with a cane", "works with restrictions")
        r"|(?:walks|works|does|drives|cooks|cleans|shops|gardens|exercises|lifts|plays|volunteers|swims|hikes|bikes)\b"
        r"(?!\s+(?:with\s+(?:a\s+)?(?:cane|walker|crutch\w*|limp|difficulty|restrictions?|assist\w*)|little|less|no\b|nothing)))"
        # a whole shift or work day done: "can do full shift on light line", "able to wear work belt & do full 8h
        # shift", "tolerates his modified-duty shift" ("unable to", "cannot" are not "able to", "can")
        r"|\b(?:able\s+to|can(?:\s+now)?)\s+(?:[\w/&'-]+\s+){0,5}?(?:do|work|complete|finish|tolerate|get\s+through)\s+"
        r"(?:a\s+|her\s+|his\s+|the\s+|their\s+)?(?:full|whole|entire|\d{1,2}[- ]?(?:h|hr|hrs|hours?)|regular|normal|"
        r"modified|mod)\b[^.;]{0,20}?\b(?:shifts?|days?|duty|work\s*days?|schedule)\b"
        r"|\btolerat(?:es|ing)\s+(?:his|her|their|a|the)?\s*(?:(?:full|modified|mod|regular|light)[- ]?(?:duty)?\s*)?"
        r"(?:shifts?|work\s*days?)\b"
        # an activity taken up again: "back to walking 20 min daily", "returned to the gym"
        r"|\b(?:back|returned)\s+to\s+(?:walking|driving|working|exercising|gardening|golfing|swimming|cycling|biking|hiking|"
        r"running|coaching|playing|cooking|cleaning|shopping|volunteering|fishing|bowling|dancing|lifting|attending|church|(?:the\s+)?gym)\b"
        r"|\bable\s+to\s+(?:now\s+)?(?:walk|sit|stand|work|do|perform|complete|drive|lift|shop|cook|clean|care|exercise|garden)"
        r"[^.;]{0,60}\bwith\s+(?:the\s+|her\s+|his\s+)?(?:medications?|meds)\b"
        r"|\b(?:returned|back)\s+(?:to|at)\s+(?:full|modified|regular|light)?\s*(?:duty|work)"
        # an activity taken up again: "coaching son's team again", "driving again", "re-engaging w/ family"
        r"|\b(?:working|driving|walking|coaching|playing|golfing|gardening|running|swimming|cycling|biking|hiking|exercising|"
        r"lifting|cooking|cleaning|shopping|dancing|bowling|fishing|volunteering|socializing|sleeping)\b"
        r"(?:(?!\b(?:falling|fell|worse\w*|decreas\w*|declin\w*|less|limited|reduced|unable|difficult\w*|trouble|pain|not)\b)[^.;,]){0,30}?"
        r"\bagain\b"
        r"|\bre-?engag(?:ed|ing|es)\s+(?:w/|with\b|in\b)"
        # what the worker does on the regimen: "On his current regimen he works part time ...", "Function with
        # current regimen: works 32 hr/wk", "with meds walks 30 min daily"
        r"|\b(?:on|with)\s+(?:(?:his|her|their|the|this|current|present)\s+){0,2}(?:regimen|medications?|meds|opioids?)\b"
        r"[^.;]{0,30}?\b(?:is\s+able\s+to|can|works?|working|walks?|walking|drives?|does|doing|cooks?|cleans?|shops?|"
        r"performs?|completes?|cares?\s+for|exercises?)\b"
        r"|\b(?:decreased|reduced|cut|tapered)\s+(?:\w+\s+){0,3}?from\s+\d+\s+to\s+\d+"
        # working full duty, stated as the worker's state ("Full duty driving; mows lawn", "Works full duty"), not
        # a goal or a release ("return to full duty", "cleared for full duty" do not start the clause)
        r"|(?:(?<=[.;:] )|(?<=[.;:]\n)|^|\bwork(?:s|ing|ed)?\s+(?:at\s+)?)full[- ]duty\b", re.I | re.M), True),
    # what the worker cannot do without the drug: "Without it she \"can't finish a shift\"", "without Nucynta she
    # could not get out of bed" (the negation is the statement itself; an aid or a person is not a drug)
    ("functional_improvement", True, re.compile(
        r"\bwithout\s+(?:it|them|(?:the|her|his|their)\s+(?:medications?|meds)|medications?|meds|opioids?|"
        r"(?!(?:assist\w*|help|support|difficulty|pain|a|an|the|her|his|their|cane|crutch\w*|walker|brace|rest|breaks?|"
        r"restrictions?|limitations?|complications?|relief|improvement|benefit|change)\b)[a-z]{4,})\b"
        r"[^.;]{0,60}?\b(?:can'?t|cannot|could\s*n[o']t|couldn't|unable\s+to|would\s+(?:not|n't)\s+be\s+able|"
        r"stays?\s+in\s+bed|bed-?bound|misse[sd]\s+(?:work|shifts?))"
        # gf4read: the same said verb first: "cannot do these without meds", "couldn't work a shift without the Norco"
        r"|\b(?:can'?t|cannot|could\s*n[o']t|couldn't|unable\s+to)\s+(?:do|walk|work|sit|stand|drive|lift|cook|clean|shop|get|"
        r"finish|function|sleep|care)\b[^.;]{0,40}?\bwithout\s+(?:(?:the|her|his|their|my)\s+)?(?:medications?|meds|it|them|opioids?|"
        r"pain\s+(?:medications?|meds))\b", re.I), False),
    # an activity longer than it was: "Walking 45 min (was 10-15)", "sitting tolerance 45-60 min, was 20",
    # "can now drive 45 minutes, previously 15"; "walking tolerance rose from 10 to 30 minutes"
    ("functional_improvement", True, _ActivityGain(), True),
    # (r9drug) a disability index lower than before: "Oswestry 32% (was 58% before opioid therapy)"
    ("functional_improvement", True, _IndexFall(), True),
    # read9: function regained as written - "has been able to go back to her class", "I can open jars again", "she can
    # wear a bra strap now", "transfers easier on it", "able to shower and dress only with meds"
    ("functional_improvement", True, re.compile(
        r"\b(?:able\s+to\s+go\s+back\s+to|can\s+(?:now\s+)?[a-z]+(?:\s+[\w'-]+){0,6}?\s+(?:again|now)\b"
        r"|(?:transfers|walking|standing|sitting|dressing|bathing|stairs|sleeping)\s+(?:are\s+|is\s+)?easier\b"
        r"|able\s+to\s+(?:shower|dress|bathe|groom|type|sew|knit)\b[^.;]{0,40}\bwith\s+(?:the\s+|her\s+|his\s+)?(?:medications?|meds)\b"
        # gf3read: "can now use a hammer for an hour", "has been able to resume cooking", "lets her wear long sleeves"
        r"|can\s+now\s+(?:use|walk|sit|stand|work|do|perform|drive|lift|carry|wear|sleep|cook|clean|shop|play|reach|climb|kneel|"
        r"squat|type|grip|hold|open|get)\b"
        r"|resum(?:e|ed|es|ing)\s+(?:(?:her|his|their)\s+)?(?:cooking|cleaning|walking|driving|working|exercising|gardening|golf\w*|"
        r"swimming|cycling|hiking|running|shopping|attending|playing|work|duty|church|the\s+gym|exercise|hobbies|activities)\b"
        r"|(?:lets?|allow\w*|enabl\w*)\s+(?:him|her|them)\s+(?:to\s+)?(?:wear|dress|use|reach|hold|type|grip)\b"
        # (r9drug) more work than before: "Works full time 12-hr shifts (was part time until 3/2015)"
        r"|works?\s+full[- ]time\b[^.;]{0,30}?\bwas\s+(?:on\s+)?(?:part[- ]time|off\s+work|modified|light|restricted)\b)",
        re.I), True),
    # ... and against what the worker could not do before it: "which he could not do before starting it" (the negation
    # is the contrast, not a denial)
    ("functional_improvement", True, re.compile(
        r"\bwhich\s+(?:he|she|they)\s+(?:could\s*(?:not|n't)|was\s+unable\s+to|were\s+unable\s+to)\s+do\s+(?:before|previously|"
        r"prior|in\s+the\s+(?:winter|spring|summer|fall))", re.I), False),
    # "decreased C5 and C6 dermatome sensation", "diminished light touch sensation in the L5 distribution"
    ("dermatomal_sensory_loss", True, re.compile(
        r"\b(?:decreased|diminished|reduced|altered|impaired|abnormal)\s+(?:(?:[CLST]\d|and|&|dermatom\w*|light|touch|"
        r"pinprick|to|the|right|left|bilateral)[\s,]+){1,6}(?:sensation|sensory)\b", re.I), True),
    ("uds_consistent", True, re.compile(
        r"\b(?:UDS|UDT|utox|u-?tox|urine\s+(?:drug|tox\w*)\s*(?:screen\w*|test\w*)?|drug\s+screen|tox\s+screen)\b"
        r"[^.;\n]{0,60}?\b(?:c/w|consistent|appropriate|as\s+expected|as\s+prescribed|compliant|positive\s+(?:only\s+)?for\s+prescribed)", re.I), True),
    ("uds_consistent", False, re.compile(
        # (r11rehab) also "urine screen" without "drug", and an illicit drug marked "+" ("UDS 3/15: + oxycodone, + THC")
        r"\b(?:UDS|UDT|utox|urine\s+(?:drug|tox\w*)\s*(?:screen\w*|test\w*)?|urine\s+screen\w*|drug\s+screen)\b[^.;\n]{0,40}?"
        r"(?:\b(?:inconsistent|not\s+consistent|aberrant|(?<!illicit\s)(?<!illegal\s)(?<!drugs\s)(?<!substances\s)(?:not|un)\s*detected|absent\s+for|positive\s+for\s+(?:cocaine|thc|marijuana|methamphetamine|amphetamine|"
        r"heroin|alcohol|non-?prescribed|unprescribed))|\+\s?(?:cocaine|thc|marijuana|cannabis|methamphetamine|heroin)\b)", re.I), True),
    # function a drug or a course keeps up or makes easier (issue #11, goldread): "allows her to continue working",
    # "improves her ability to do ADLs", "able to do ADLs with the help of Norco" (not a person's or an aid's help)
    ("functional_improvement", True, re.compile(
        # one word boundary for all the forms (speed: the alternatives are tried only where a word starts)
        r"\b(?:(?:lets?|allow\w*|enabl\w*|helps?)\s+(?:him|her|them|the\s+(?:patient|worker|applicant))\s+(?:to\s+)?"
        r"(?:continue|keep)\s+(?:to\s+)?(?:work|walk|driv|do|perform|exercis|car(?:e|ing)|function|participat)"
        r"|(?<!nothing\s)(?<!nothing\shas\s)(?<!not\s)(?:improv\w*|increas\w*|help\w*|restor\w*)\s+(?:(?:his|her|their|the\s+(?:patient|worker|applicant)'?s?)\s+)?"
        r"(?:ability|capacity)\s+to\b"
        r"|able\s+to\s+(?:now\s+)?(?:walk|sit|stand|work|do|perform|complete|drive|lift|shop|cook|clean|care|exercise|garden|sleep)"
        r"[^.;]{0,60}\bwith\s+the\s+(?:help|aid|use)\s+of\s+(?!(?:a|an|the|her|his|their|family|husband|wife|son|daughter|"
        r"friends?|cane|crutch\w*|walker|brace|assist\w*|others?)\b)[a-z][a-z-]{3,}"
        # "Meds improve ADLs", "medications help her mobility", "ADLs: independent with meds"
        r"|(?:medications?|meds|opioids?|analgesics?)\s+(?:improve|improves|increase|increases|help|helps|aid|aids)\s+"
        r"(?:(?:his|her|their|with)\s+)?(?:adls?|function\w*|activit\w*|mobility|ability|sleep)"
        r"|(?:adls?|function(?:al\s+status)?|self-?care)\s*:?\s*(?:is\s+)?(?:independent|improved|better)\s+(?:with|on)\s+"
        r"(?:(?:his|her|the|current)\s+)?(?:medications?|meds|opioids?)\b)", re.I), True),
    # function that did not change (goldread): "no change in function despite the medications", "function is unchanged"
    ("functional_improvement", False, re.compile(
        r"\bno\s+(?:significant\s+|meaningful\s+)?change\s+in\s+(?:(?:his|her|their)\s+)?(?:function\w*|adls?|activit\w*)"
        r"|\b(?:function(?:al\s+(?:status|level|capacity))?|adls?)\s+(?:is\s+|are\s+|remains?\s+|has\s+)?(?:unchanged|not\s+improved|no\s+better)\b"
        # read9: function lost or absent on the regimen: "he stopped gardening", "unable to do housework", "spends most of
        # the day in bed" (in this rule rather than one of its own: each rule is one more scan of every note)
        r"|\b(?:stopped|gave\s+up|quit)\s+(?:\w+\s+)?(?:gardening|walking|working|exercising|driving|golfing|cooking|cleaning|"
        r"shopping|going\s+to\s+the\s+gym)\b|\bunable\s+to\s+do\s+(?:her\s+|his\s+|any\s+)?(?:housework|chores|adls?)\b"
        r"|\bspends?\s+most\s+of\s+(?:the|his|her|their)\s+days?\s+(?:in\s+(?:bed|(?:a|the|his|her)\s+(?:recliner|chair|couch))|on\s+the\s+couch|lying\s+down)\b"
        # gf4read: the examiner saw no change ("No objective change noted", "no measurable improvement")
        r"|\bno\s+(?:objective|measurable|objectively\s+measured)\s+(?:change|improvement|gains?)\b"
        # gf3read: a tolerance given and called unchanged: "sitting tolerance 30 min -- unchanged since last visit"
        r"|\btolerance\s+(?:of\s+)?(?:\d{1,3}\s*(?:min\w*|hours?|hrs?|h|blocks?|lbs?|pounds?)\s*)?(?:,|--|-|;)?\s*(?:is\s+|remains?\s+)?unchanged\b",
        re.I), False),
    # care that did not help, written as the worker's response to it (goldread): "has not improved with PT, medications
    # and rest", "no relief from NSAIDs or therapy", "did not respond to conservative care" (the phrase is the negative)
    ("failed_conservative_treatment", True, re.compile(
        r"\b(?:has\s+not|hasn't|have\s+not|had\s+not|did\s+not|didn't|does\s+not|not|no|without|minimal|little)\s+(?:\w+\s+)?"
        r"(?:improv\w*|respon\w*|relief|benefit|better|help)\s+(?:\w+\s+){0,2}?(?:with|from|to|after)\s+"
        r"(?:(?:the|his|her|a|any|prior|previous|conservative|oral|extensive)\s+)*"
        r"(?:physical\s+therapy|PT|therapy|chiro\w*|acupuncture|medications?|meds|NSAIDs?|anti-?inflammator\w*|conservative|rest|"
        r"exercises?|HEP|home\s+exercise|activity\s+modification|bracing|splint\w*|TENS|massage)\b", re.I), False),
    # care listed first and its outcome after it (issue #11, prior): "PT x 12, naproxen and a traction unit without
    # meaningful change", "night splints x 6 weeks and ibuprofen; still waking at night", "Conservative tx: splints,
    # NSAIDs, an injection that helped ~3 mo then symptoms recurred"
    ("failed_conservative_treatment", True, re.compile(
        r"\b(?:" + _CARE_LISTED + r"|conservative\s+(?:care|tx|treatment|management))\b[^.]{0,140}?"
        r"(?:\b(?:without|with\s+no|no)\s+(?:any\s+)?(?:lasting|meaningful|significant|sustained|durable|real)\s+"
        r"(?:relief|benefit|improvement|change|help)"
        r"|\b(?:then|but)\s+(?:the\s+)?(?:symptoms?|pain|numbness)\s+(?:recurred|returned|came\s+back)"
        r"|[;,]\s*(?:but\s+)?(?:still|continues\s+to)\s+(?:wak\w*|ha(?:s|ve|ving)|with|report\w*|symptomatic|numb)\b)", re.I), False),
    # the outcome after the care in a few words (issue #11, other9): "Tried ergonomic changes and ibuprofen x 4 wks, no
    # better", "PT x 9 and NSAIDs - still limping", "CSI ~50% better x 3 wks, now recurring" (a rule of its own, so
    # the rule above keeps its literal prefilter)
    # (r11proc: the outcome after a dash as well as a comma: "Night splint x4 months - no better")
    ("failed_conservative_treatment", True, re.compile(
        r"\b(?:" + _CARE_LISTED + r"|CSI|cortisone\s+injection|conservative\s+(?:care|tx|treatment|management))\b[^.]{0,140}?"
        r"(?:(?:,|\s[-\u2013])\s*(?:but\s+)?(?:no\s+better|not\s+better|not\s+improved|no\s+improvement)\b"
        r"|\s[-\u2013]\s*(?:but\s+)?still\s+(?:limping|symptomatic|numb|painful|in\s+pain|wak\w*|ha(?:s|ving))\b"
        r"|[,;]\s*(?:but\s+)?now\s+(?:recurring|returning)\b)", re.I), False),
    # symptoms that persist despite the care, written before it (issue #11, other9): "numbness persistent despite night
    # splint x 10 wks and CSI", "pain continues despite PT and NSAIDs"
    ("failed_conservative_treatment", True, re.compile(
        r"\b(?:persist\w*|continu\w*|ongoing|unchanged|unimproved|worse\w*|recurr\w*)\s+(?:\w+\s+){0,2}?despite\s+[^.;]{0,60}?"
        r"\b(?:physical\s+therapy|PT|OT|therapy|chiro\w*|acupuncture|NSAIDs?|anti-?inflammator\w*|naproxen|ibuprofen|meloxicam|"
        r"medications?|meds|splint\w*|brac\w*|HEP|home\s+exercises?|injections?|CSI|cortisone|steroid|TENS|rest|"
        r"activity\s+modification|conservative\s+(?:care|tx|treatment|management))\b", re.I), False),
    # depression and anxiety as screening scores state them (issue #11, other9): PHQ-9 of 10 or more, BDI(-II) of 14 or
    # more (the usual cut-offs for at least mild-to-moderate symptoms), anhedonia; GAD-7 of 10 or more, BAI of 16 or more
    ("depression", True, re.compile(
        r"\bPHQ-?9\s*(?:(?:score|today|now|at\s+intake|this\s+visit)\s*){0,2}(?:=|:|of|is|was)?\s*(?:(?:from\s+)?\d{1,2}\s*(?:->|-->|\u2192|to)\s*)?(?:1\d|2[0-7])\b"
        r"(?!\s*(?:->|-->|\u2192|to)\s*\d)"
        r"|\bBDI(?:-?II)?\s*(?:score\s*)?(?:(?:today|now|this\s+visit)\s*)?(?:=|:|of|is|was)?\s*"
        r"(?:(?:from\s+)?\d{1,2}\s*(?:->|-->|\u2192|to)\s*)?(?:1[4-9]|[2-5]\d|6[0-3])\b"
        r"(?!\s*(?:->|-->|\u2192|to)\s*\d)"
        r"|\banhedoni\w*"
        # (r11rehab) mood as progress notes describe it, and thoughts of death or suicide: "worsening mood", "low mood",
        # "mood depressed", "feels hopeless", "passive suicidal ideation", "would be better off not waking up"
        r"|\b(?:worsening|low|poor|depressed|dysphoric|sad)\s+mood\b|\bmood\s+(?:is\s+)?(?:low|depressed|worse\w*|poor)\b"
        # (speed: each alternative leads with a rare literal, so the prefilter skips the many sentences saying "better")
        r"|\bhopeless\w*|\bsuicidal\s+(?:ideation|thoughts?)|\bdeath wish\b"
        r"|\bbetter off (?:dead|not\s+(?:waking|being|here|alive))", re.I), True),
    ("anxiety", True, re.compile(
        r"\bGAD-?7\s*(?:score\s*)?(?:(?:today|now|this\s+visit)\s*)?(?:=|:|of|is|was)?\s*(?:1\d|2[01])\b(?!\s*(?:->|-->|\u2192|to)\s*\d)"
        r"|\bBAI\s*(?:score\s*)?(?:=|:|of|is|was)?\s*(?:1[6-9]|[2-5]\d|6[0-3])\b"
        r"(?!\s*(?:->|-->|\u2192|to)\s*\d)"
        # (r11rehab) the anxiety disorders notes name: "PTSD sx since the assault", "panic attacks", "adjustment disorder
        # with anxiety" (the opioid guideline's reasons for a psychological consultation include anxiety)
        r"|\bPTSD\b|\bpost-?\s?traumatic\s+stress|\bpanic (?:attacks?|disorder|episodes?)|\badjustment disorder", re.I), True),
)


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)


def sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) for every sentence of a document: a line break or a stop ends one."""
    for m in _SENTENCE.finditer(text):
        s = m.group(0)
        stripped = s.strip()
        if stripped:
            lead = len(s) - len(s.lstrip())
            yield m.start() + lead, m.start() + lead + len(stripped), stripped


def _negated(sent: str, m: re.Match[str], neg: re.Pattern[str], local: bool) -> bool:
    """The hand-made clause negation the cues used before ConText (kept for reference tests only)."""
    if not local:
        return bool(neg.search(sent))
    before = _CLAUSE_BREAK.split(sent[: m.start()])[-1]
    return bool(neg.search(before[-40:])) or bool(neg.search(sent[m.start(): m.end()]))


# -- inside the pipeline -----------------------------------------------------------------------------

CUE_GROUP = "openimr_cues"
_RULES = list(_COMPILED.items())
_BLOCK_LABEL = "CUE:block_result"
_BOUNDS_KEY = "openimr_sentence_bounds"  # speed: the block's sentence bounds, kept for read_cue_spans

# Cues about the worker's present state: not when historical or hypothetical. Plans: not when historical.
_CURRENT = frozenset({"persistent_symptoms", "significant_change", "symptoms_unchanged", "homebound", "leaves_home", "diffuse_pain", "focal_pain",
                      "mobility_limited", "ambulates", "cannot_drive", "drives", "motivated", "hearing_loss", "mmi"})
_PLANS = frozenset({"plan_neurotomy", "plan_surgery", "plan_active_therapy"})
_CURRENT = _CURRENT | {"gait_impaired"}  # issue #11, dxread
_CURRENT = _CURRENT | {"post_acute_care"}  # issue #11, letters9
_CURRENT = _CURRENT | {"care_changed_nothing"}  # issue #11, r14surg
_HISTORY_SECTIONS = frozenset({"past_history", "past_medications"})
_DONE_STATEMENTS = frozenset({"psych_evaluation_done"})


def _sentence_index(doc) -> tuple[list[tuple[int, int]], list[int]]:  # noqa: ANN001 - a spaCy Doc
    # speed: char offsets from the token arrays (a Span per sentence costs more); Span.start_char is its
    # first token's idx, Span.end_char its last token's idx + length
    from spacy.attrs import IDX, LENGTH

    from openimr.extract import windows as W

    sb = W.sentence_bounds(doc)
    if not sb:
        return [], []
    arr = doc.to_array([IDX, LENGTH])  # speed: only the sentences' first and last tokens leave numpy
    lasts = [b - 1 for _, b in sb]
    firsts = arr[[a for a, _ in sb], 0].tolist()
    bounds = list(zip(firsts, (arr[lasts, 0] + arr[lasts, 1]).tolist(), strict=True))
    return bounds, firsts


def _candidate_sents(text: str, sents: list[tuple[int, int]], starts: list[int], rx: Any,
                     present: dict[str, bool] | None = None) -> list[int]:
    """Indexes of the sentences where `rx` may match: one scan of the block instead of one search per
    sentence (the sentence is searched again, so a match across a sentence end does not count).
    `present`: literals known to be in `text` or not (literals.split_finditer), shared by the block's rules."""
    out: list[int] = []
    for m in L.finditer(rx, text, present):  # the spans of rx.finditer(text), found faster (literals.py)
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < sents[i][1] and (not out or out[-1] != i):
            out.append(i)
    return out


_PREFILTERS = {name: L.Prefilter(rules[0]) for name, rules in _RULES}
_BLOCK_PREFILTER = L.Prefilter(_BLOCK)
_FC_PREFILTERS = [L.Prefilter(rx) for _, _, rx, _ in _FINDING_CUES]
_FC_LOWERED = [L.lowered(rx) for _, _, rx, _ in _FINDING_CUES]
_INDEXES: list[Any] = []  # speed (issue 15, warm4): [literals looked up in the lower-cased block, in the block], built once


def _literal_indexes() -> list[Any]:
    """Every literal the loops below look up (each pattern's prefilter literals and split leads, in the text it is
    scanned in), for L.LiteralIndex: one scan of the block finds them all. Built on the first block, not at import."""
    if not _INDEXES:
        in_lower: set[str] = set()
        in_text: set[str] = set()
        for name, (rx, *_rest) in _RULES:  # (the prefilters' literals as built at import: no second parse)
            in_lower |= set(_PREFILTERS[name].literals or ()) | L.split_leads(rx)
        for pf in (_BLOCK_PREFILTER, *_FC_PREFILTERS):
            (in_lower if pf.folded else in_text).update(pf.literals or ())
        in_text |= L.split_leads(_BLOCK)
        for k, (_n, _p, rx, _g) in enumerate(_FINDING_CUES):
            if _FC_LOWERED[k] is not None:
                in_lower |= L.split_leads(_FC_LOWERED[k])
            in_text |= L.split_leads(rx)
        _INDEXES[:] = [L.LiteralIndex(in_lower), L.LiteralIndex(in_text)]
    return _INDEXES


def mark_cue_spans(doc):  # noqa: ANN001, ANN201 - the pipeline component's body
    """Put every cue phrase of the block in the span group `openimr_cues` (label "CUE:<name>" or "FC:<i>",
    a shorthand finding of `_FINDING_CUES`), for ConText to read."""
    from openimr.extract.pipeline import doc_text

    text = doc_text(doc)  # speed: sentences are sliced from the block's text (a Span's .text rebuilds it)
    lower = text.lower()
    sents, starts = _sentence_index(doc)
    spans = []

    def add(a: int, m, label: str) -> None:  # noqa: ANN001
        sp = doc.char_span(a + m.start(), a + m.end(), label=label, alignment_mode="expand")
        if sp is not None and len(sp):
            spans.append(sp)

    ascii = text.isascii()  # speed (literals.py): a rule is scanned only where it can match
    # speed: literals found (or not) in `lower`, in `text` (literals.split_finditer), all at once (_literal_indexes)
    index_lower, index_text = _literal_indexes()
    in_lower: dict[str, bool] = index_lower.present(lower)
    in_text: dict[str, bool] = index_text.present(text)
    for name, (rx, req, _neg, _present, _local) in _RULES:
        if not _PREFILTERS[name].may_match(lower, lower, in_lower):
            continue
        for i in _candidate_sents(lower, sents, starts, rx, in_lower):
            a, b = sents[i]
            m = rx.search(lower[a:b])
            if m is not None and (req is None or req.search(text[a:b])):
                add(a, m, "CUE:" + name)
    for i in _candidate_sents(text, sents, starts, _BLOCK, in_text) if _BLOCK_PREFILTER.may_match(text, lower, in_lower if _BLOCK_PREFILTER.folded else in_text) else ():
        a, b = sents[i]
        m = _BLOCK.search(text[a:b])
        if m is not None:
            add(a, m, _BLOCK_LABEL)
    for k, (_name, _present, rx, _negatable) in enumerate(_FINDING_CUES):
        if not _FC_PREFILTERS[k].may_match(text, lower, in_lower if _FC_PREFILTERS[k].folded else in_text):
            continue
        fast = _FC_LOWERED[k] if ascii else None  # the same matches on lower-cased ASCII, found faster
        scan, rx = (lower, fast) if fast is not None else (text, rx)
        for i in sorted(set(_candidate_sents(scan, sents, starts, rx, in_lower if fast is not None else in_text))):
            a, b = sents[i]
            m = rx.search(scan[a:b])
            if m is not None:
                add(a, m, f"FC:{k}")
    from openimr.extract.dxread import mark_dx_spans  # diagnoses and comorbidities, read by the same ConText

    spans.extend(mark_dx_spans(doc, text, sents))
    doc.spans[CUE_GROUP] = spans
    doc.user_data[_BOUNDS_KEY] = (sents, starts)
    return doc


def cue_windows(doc) -> list[tuple[int, int]]:  # noqa: ANN001
    """Speed: the cue ConText looks for modifiers only in the sentences that hold a cue (a cue's
    modifiers are in its own clause)."""
    from openimr.extract import windows as W

    spans = doc.spans.get(CUE_GROUP, [])
    if not len(spans):
        return []
    bounds = W.sentence_bounds(doc)
    firsts = [a for a, _ in bounds]
    keep = sorted({bisect_right(firsts, sp.start) - 1 for sp in spans})
    return W._merge([bounds[i] for i in keep if i >= 0], doc)


# the pain scores before and after a block, as a procedure note records them (issue #11, rehab): "Pre 7/10; post
# 1/10 at 30 min", "pre-procedure VAS 8, post-procedure VAS 2"
_PRE_POST = re.compile(r"\bpre(?:-?procedure|-?injection|-?block)?\b\s*(?:pain|vas|nrs)?\s*:?\s*(\d{1,2})(?:\s*/\s*10)?\b"
                       r"[^.\d]{0,40}?\bpost(?:-?procedure|-?injection|-?block)?\b[^.\d]{0,25}?(?:vas|nrs|pain)?\s*:?\s*(\d{1,2})(?:\s*/\s*10)?\b",
                       re.I)


def _block_scores_after(text: str, offset: int, sents: list[tuple[int, int]], starts: list[int], at: int) -> tuple[float, int, int] | None:
    """The relief of a block read from the next sentence of its note when its own sentence gives none: a percent,
    or the pain scores before and after it."""
    i = bisect_right(starts, at) - 1
    if i < 0 or i + 1 >= len(sents):
        return None
    a, b = _stripped(text, offset + sents[i + 1][0], offset + sents[i + 1][1])
    nxt = text[a:b]
    if _NOT_A_RESULT.search(nxt):
        return None
    m = _PERCENT.search(nxt)
    if m:
        value = float(m.group(1))
    else:
        pm = _PRE_POST.search(nxt)
        if pm is None or int(pm.group(1)) == 0 or int(pm.group(1)) > 10 or int(pm.group(2)) > int(pm.group(1)):
            return None
        value = round(100.0 * (int(pm.group(1)) - int(pm.group(2))) / int(pm.group(1)))
    return value, a, b


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read_cue_spans(sdoc, document, offset: int, section_of) -> tuple[list[tuple[int, int, Cue]], list[tuple[str, bool, Evidence]]]:  # noqa: ANN001
    """The cues and shorthand findings of one processed block: ([(start, rule order, Cue)], [(name, present,
    evidence)]), offsets in the document. `section_of(span)` is the section category the span is under."""
    cues: list[tuple[int, int, Cue]] = []
    findings: list[tuple[str, bool, Evidence]] = []
    text = document.text
    sents, starts = sdoc.user_data.get(_BOUNDS_KEY) or _sentence_index(sdoc)
    for sp in sdoc.spans.get(CUE_GROUP, []):
        if sp.label_.startswith("DX:"):
            continue  # a diagnosis or comorbidity: extract/dxread.py reads it
        # a relative named in what the worker does ("drives his wife to dialysis", "coaching son's team") is
        # the activity's object, not the one who experiences it
        u = sp._  # speed: one Underscore for the span's attributes
        if u.is_family and not (sp.label_.startswith("FC:") and _FINDING_CUES[int(sp.label_[3:])][0] == "functional_improvement"):
            continue
        hypothetical = bool(u.is_hypothetical or u.is_uncertain)
        historical = bool(u.is_historical) or section_of(sp) in _HISTORY_SECTIONS
        negated = bool(u.is_negated)
        label = sp.label_
        if label.startswith("FC:"):
            name, present, _rx, negatable = _FINDING_CUES[int(label[3:])]
            if hypothetical or historical or (present and negatable and (negated or _NEG_WORDS.search(sp.text))):
                continue
            s, e = offset + sp.start_char, offset + sp.end_char
            findings.append((name, present, Evidence(document=document.id, start=s, end=e, quote=text[s:e])))
            continue
        a, b = sents[bisect_right(starts, sp.start_char) - 1]
        s, e = _stripped(text, offset + a, offset + b)
        stext = text[s:e]
        ev = Evidence(document=document.id, start=s, end=e, quote=stext)
        if label == _BLOCK_LABEL:
            if _NOT_A_RESULT.search(stext) or hypothetical:
                continue
            m = _PERCENT.search(stext)
            if m or (_POSITIVE.search(stext) and not _NEGATIVE.search(stext)):
                cues.append((s, len(_RULES), Cue(name="block_result", present=True, text=stext, evidence=[ev],
                                                 value=float(m.group(1)) if m else None, document_date=document.date)))
            else:
                found = _block_scores_after(text, offset, sents, starts, sp.start_char)
                if found is not None:
                    value, a2, b2 = found
                    ev2 = Evidence(document=document.id, start=a2, end=b2, quote=text[a2:b2])
                    cues.append((ev2.start, len(_RULES), Cue(name="block_result", present=True, text=ev2.quote,
                                                             evidence=[ev, ev2], value=value, document_date=document.date)))
            continue
        name = label[4:]
        order = next(k for k, (n, _) in enumerate(_RULES) if n == name)
        _rx, _req, neg, present, local = _COMPILED[name]
        if name in _CURRENT and (historical or hypothetical):
            continue
        if name in _PLANS and historical:
            continue
        if name == "active_program" and (historical or hypothetical or section_of(sp) != "plan"):
            continue
        if name == "study_done" and (hypothetical or section_of(sp) in ("plan", "request")):
            continue
        if neg.pattern == _NEVER:
            cancelled = False  # the cue's own phrase is the negative statement
        elif local:
            cancelled = negated or bool(neg.search(sp.text))  # ConText's negation, or a negation inside the phrase
        else:
            # the rule's own cancelling phrases ("not yet at MMI", "unwilling"), and for a statement that something
            # was done, ConText's negation ("no psychological evaluation", "has not been done")
            cancelled = bool(neg.search(stext)) or (name in _DONE_STATEMENTS and negated)
        if cancelled:
            continue
        cues.append((s, order, Cue(name=name, present=present, text=stext, evidence=[ev], document_date=document.date)))
    return cues, findings


def extract_cues(case: CaseFile) -> list[Cue]:
    """Every sentence cue of the record, in document order (the cues of `extract_facts`)."""
    from openimr.extract.facts import extract_facts

    return extract_facts(case, ur_opinion=True).cues
