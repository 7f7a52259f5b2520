"""Target rules (medspaCy TargetMatcher) and ConText modifier rules for clinical records.

Entity labels carry what was matched:
- ``F:<name>``  a finding from `vocabulary.FINDINGS` (present unless ConText negates it)
- ``F-:<name>`` a finding stated as normal/absent ("strength 5/5", "sensation intact")
- ``TX:<kind>`` a treatment kind from `vocabulary.TREATMENT_KINDS`
- ``MOD:<modality>`` an imaging / electrodiagnostic study
- ``SF:<finding>`` a study finding ("disc protrusion", "stenosis", "radiculopathy", "normal")
- ``WS:<status>`` a work status; ``FN:<kind>`` a function statement
Drug mentions (``MED``) are added by a separate component from `openimr.guidelines.drugs`.
"""

from __future__ import annotations

import re
from typing import Any

Pattern = list[dict[str, Any]]


def _tok(spec: str | list[str]) -> dict[str, Any]:
    """One token: a word, a list of alternatives, a regex (prefixed ~), or a gap like '{0,5}'."""
    if isinstance(spec, list):
        return {"LOWER": {"IN": [s.lower() for s in spec]}}
    if spec.startswith("{") and spec.endswith("!"):
        return {"IS_SENT_START": False, "LOWER": {"NOT_IN": _GAP_STOP + ["and", "with", "pain", ","]}, "OP": spec[:-1]}
    if spec.startswith("{"):
        return {"IS_SENT_START": False, "LOWER": {"NOT_IN": _GAP_STOP}, "OP": spec}
    if re.fullmatch(r"~\^\([^()]*\)\?\$", spec):  # optional token: "~^(of|the)?$"
        return {"LOWER": {"REGEX": spec[1:-2] + "$"}, "OP": "?"}
    if spec.startswith("~"):
        return {"LOWER": {"REGEX": spec[1:]}}
    if spec.startswith("="):  # case-sensitive
        return {"TEXT": spec[1:]}
    if spec.endswith("?") and len(spec) > 1:
        return {"LOWER": spec[:-1].lower(), "OP": "?"}
    return {"LOWER": spec.lower()}


_SPACE = {"IS_SPACE": True, "OP": "*"}


def P(*specs: str | list[str]) -> Pattern:  # noqa: N802 - a tiny pattern DSL
    """A token pattern; line breaks (space tokens) are allowed between its tokens."""
    out: list[dict[str, Any]] = []
    for i, s in enumerate(specs):
        tok = _tok(s)
        if i:
            out.append(_SPACE)
            tok["IS_SENT_START"] = False
        out.append(tok)
    return out


# a gap in a pattern never crosses a sentence end or a word that reverses the finding
_GAP_STOP = [".", ";", ":", "decreased", "diminished", "absent", "reduced", "abnormal", "altered", "impaired", "no", "not", "but"]
TENDER = ["tenderness", "tender"]
SI = ["si", "sacroiliac", "s.i.", "sacroiliac-joint", "sacral"]

# (label, literal or token pattern)
FINDING_RULES: list[tuple[str, str | Pattern]] = [
    # lumbar / neuro
    ("straight_leg_raise", P("straight", "~^leg$", "~^rais(e|es|ing)$")),
    ("straight_leg_raise", P("straight", "-", "leg", "~^rais(e|es|ing)$")),
    ("straight_leg_raise", P("straight-leg", "~^rais(e|es|ing)$")),
    ("straight_leg_raise", P("=SLR")),
    ("straight_leg_raise", P("=SLRs")),
    ("straight_leg_raise", P("seated", "root", "test?")),
    ("muscle_spasm", P("~^spasms?$")),
    ("muscle_spasm", P("~^spasms?$")),
    ("muscle_spasm", P("~^spasm$")),
    ("muscle_spasm", P("muscle", "~^spasms?$")),
    ("muscle_spasm", P("paraspinal", "~^spasms?$")),
    ("muscle_spasm", P("paravertebral", "~^spasms?$")),
    ("muscle_spasm", P("~^guarding$")),
    ("acute_exacerbation", P("~^flare(-?ups?|s)?$")),
    ("acute_exacerbation", P("flare", "-", "~^ups?$")),
    ("acute_exacerbation", P("~^exacerbations?$")),
    ("acute_exacerbation", P("acute", "~^exacerbations?$")),
    ("acute_exacerbation", P("pain", "~^exacerbations?$")),
    ("facet_loading", P("facet", "~^load(ing)?$", "~^(test|maneuver|sign)s?$")),
    ("facet_loading", P("facet", "~^load(ing)?$")),
    ("facet_loading", P("facet", "~^provocation$")),
    ("facet_loading", P("~^facet-loading$")),
    ("facet_tenderness", P(TENDER, "{0,5}", "facet")),
    ("facet_tenderness", P("facet", "~^(joints?)?$", "~^tender(ness)?$")),
    ("facet_tenderness", P("facet", "~^tender(ness)?$")),
    # issue #11 (rehab): the levels written between ("tenderness over bilateral L4-5, L5-S1 facets") and the loading
    # maneuver named by its movements ("pain with extension-rotation", "pain on ext/rotation")
    ("facet_tenderness", P(TENDER, "{0,10}", "~^facets$")),
    ("facet_loading", P("~^(extension|ext)$", "~^(-|/|and|with)?$", "~^rotation$")),
    ("radicular_pain", P("~^radiat(e|es|ed|ing|ion)$")),
    ("radicular_pain", P("~^radicular$")),
    ("radicular_pain", P("~^sciatica$")),
    ("dermatomal_sensory_loss", P("~^(decreased|diminished|reduced|altered|impaired|abnormal)$", "~^(sensation|sensory)$")),
    ("dermatomal_sensory_loss", P("~^(sensation|sensory)$", "{0,3}", "~^(decreased|diminished|reduced|altered|impaired|abnormal|deficits?)$")),
    ("dermatomal_sensory_loss", P("~^numb(ness)?$")),
    # exam shorthand: "Decr sens L5 dermatome", "decr pinprick L L5", "dec LT R thumb"
    ("dermatomal_sensory_loss", P("~^(decr|dec|dim|diminished|decreased|reduced|absent)\\.?$", "~^(sens|sensation|sensory|pinprick|pp|lt)\\.?$")),
    ("dermatomal_sensory_loss", P("~^(dys|par|hyp)[a-z]*esthesias?$")),
    # read10: "sensory loss R S1 dermatome", "loss of sensation", "Diminished light touch L lateral foot"
    ("dermatomal_sensory_loss", P("~^(sensory|sensation)$", "loss")),
    ("dermatomal_sensory_loss", P("loss", "of", "~^(sensation|feeling)$")),
    ("dermatomal_sensory_loss", P("~^(decr|dec|dim|diminished|decreased|reduced|absent|impaired)\\.?$", "light", "touch")),
    ("dermatomal_sensory_loss", P("~^tingling$")),
    ("dermatomal_sensory_loss", P("~^dermatomal$")),
    ("motor_weakness", P("~^weak(ness)?$")),
    ("motor_weakness", P("~^(decreased|diminished|reduced)$", "~^(motor|muscle)?$", "strength")),
    ("motor_weakness", P("~^[0-4]([+-])?/5$")),
    ("motor_weakness", P("foot", "drop")),
    ("motor_weakness", P("strength", "{0,3}", "~^(decreased|diminished|reduced|weak)$")),
    ("reflex_change", P("~^(decreased|diminished|absent|reduced|depressed|asymmetric|hypoactive)$", "{0,2}", "~^(reflex(es)?|jerks?|dtrs?)$")),
    ("reflex_change", P("~^(reflex(es)?|jerks?|dtrs?)$", "{0,6}", "~^(decreased|diminished|absent|reduced|depressed|asymmetric|hypoactive|trace)$")),
    ("reflex_change", P("~^(reflex(es)?|jerks?|dtrs?)$", "{0,6}", "~^[01]$", "out", "of", "4")),
    ("reflex_change", P("~^(reflex(es)?|jerks?|dtrs?)$", "{0,6}", "~^[01]\\+?(/4)?$")),
    ("reflex_change", P("~^hyporeflexi[ac]$")),
    # read9: a named reflex with a low grade ("L patellar 1+, R 2+", "Brachioradialis 1+ on R", "Achilles absent")
    *[("reflex_change", P(name, "{0,1}", "~^(absent|diminished|decreased|trace|hypoactive|reduced|0|1\\+?|[01]/4)$"))
      for name in ("patellar", "achilles", "biceps", "triceps", "brachioradialis")],
    # sacroiliac
    ("si_faber", P("=FABER")),
    ("si_faber", P("~^faber('s)?$")),
    ("si_faber", P("~^patrick('s)?$")),
    ("si_gaenslen", P("~^gaenslen('s)?$")),
    ("si_thigh_thrust", P("thigh", "thrust")),
    ("si_thigh_thrust", P("posterior", "shear")),
    ("si_compression", P(SI, "compression")),
    ("si_compression", P("compression", "test")),
    ("si_distraction", P(SI, "distraction")),
    ("si_distraction", P("distraction", "test")),
    ("si_sacral_thrust", P("sacral", "thrust")),
    ("si_fortin_finger", P("~^fortin('s)?$")),
    ("si_tenderness", P(TENDER, "{0,6}", SI, "~^(joints?|sulcus|region|area)$")),
    ("si_tenderness", P(SI, "~^(joints?)?$", "~^tender(ness)?$")),
    ("si_tenderness", P(TENDER, "{0,4}", "sacral", "sulcus")),
    ("si_tenderness", P(TENDER, "{0,3}", "~^sacroiliac$")),
    # myofascial / joints
    ("trigger_points", P("trigger", "~^points?$")),
    ("trigger_points", P("~^(twitch|twitches)$")),  # r11proc: "local twitch", "w/ twitch", "twitch response"
    ("trigger_points", P("taut", "~^bands?$")),  # r11proc: "palpable taut bands R upper trap"
    ("mechanical_symptoms", P("~^(locking|catching)$")),
    ("mechanical_symptoms", P("~^giv(ing|es)$", "way")),
    ("mechanical_symptoms", P("mechanical", "~^(symptoms?|sx)$")),
    # "still catches and locks", "knee locks", "locked twice"
    ("mechanical_symptoms", P("~^(catches|locks|locked|clicks|buckles|buckling)$")),
    ("instability", P("~^instability$")),
    ("instability", P("~^laxity$")),
    # (r11dme) a positive drawer or talar tilt test is the ligament laxity it tests for ("anterior drawer + vs L")
    ("instability", P("~^(anterior|posterior)$", "drawer")),
    ("instability", P("talar", "tilt")),
    ("red_flags", P("red", "~^flags?$")),
    ("red_flags", P("cauda", "equina")),
    ("red_flags", P("~^(bowel|bladder)$", "{0,2}", "~^(incontinence|dysfunction|retention|change|changes|symptoms|complaints|problems)$")),
    ("red_flags", P("saddle", "~^an(a)?esthesia$")),
    # (goldread) "bowel/bladder sx", "saddle numbness", "fever", "weight loss", "hx of cancer", myelopathy
    ("red_flags", P("~^(bowel/bladder|b/b)$", "~^(change|changes|sx|symptoms|dysfunction|incontinence|problems|complaints)?$")),
    ("red_flags", P("saddle", "~^(numbness|paresthesias?)$")),
    ("red_flags", P("~^(fever|fevers)$")),
    ("red_flags", P("~^(weight|wt)$", "loss")),
    ("red_flags", P("~^(hx|history)$", "of", "cancer")),
    ("red_flags", P("~^myelopath(y|ic)$")),
    # one rule for every form: two rules matching the same span would leave which one names it to the matcher
    ("progressive_neurologic_deficit", P("progressive", "{0,2}", "~^(clumsiness|myelopathy|numbness|weakness|deficits?)$")),
    ("home_exercise_program", P("~^(exercises?|routine|stretch(es|ing)?|program|regimen|bands?|sets|raises|pendulums|strengthening)$", "at", "home")),
    ("adverse_effects", P("~^(groggy|grogginess|dizziness|dizzy|lightheaded|lightheadedness|pruritus|itching|foggy|fogginess)$")),
    ("adverse_effects", P("dry", "mouth")),
    ("adverse_effects", P("~^(weight)$", "gain")),
    # read9: a drug's effects as PR-2s name them - "upsets her stomach", "No GI upset", "no GI sx", "causing dyspepsia",
    # "makes him drowsy", "no skin irritation", "gained 8 lbs"
    # (stomach complaints are gi_symptoms, read as a drug's effect too in extract/facts.py)
    ("adverse_effects", P("skin", "~^(irritation|rash)$")),
    # (r9drug) a topical's local reaction: "a rash under the patch", "redness at the application site"
    ("adverse_effects", P("~^(rash|rashes|redness|irritation|itching|blistering)$", "~^(under|from|at|where)$", "{0,2}",
                          "~^(patch|patches|cream|gel|application|site)$")),
    ("adverse_effects", P("gained", "{0,1}", "~^(lbs?|pounds|kg)$")),
    # opioid monitoring
    ("uds_consistent", P("~^(urine|urinary)$", "~^drug$", "~^(screens?|screening|tests?|testing|toxicology)$")),
    ("uds_consistent", P("~^urine$", "~^(toxicology|tox)$", "~^(screens?|screening)?$")),
    ("uds_consistent", P("~^udss?$")),
    ("uds_consistent", P("drug", "~^(screens?|screening)$")),
    ("cures_reviewed", P("=CURES")),
    ("cures_reviewed", P("~^pdmp$")),
    ("cures_reviewed", P("prescription", "drug", "monitoring")),
    ("opioid_agreement", P(["opioid", "opiate", "narcotic", "pain", "medication", "controlled-substance"], "~^(treatment)?$", ["agreement", "contract", "agreements", "contracts"])),
    # (goldread) "Opioid tx agreement", "treatment agreement re-signed today"
    ("opioid_agreement", P(["opioid", "opiate", "narcotic"], "~^(tx|therapy)$", ["agreement", "contract"])),
    ("opioid_agreement", P(["treatment", "tx"], ["agreement", "contract"])),
    # (drugs9) the agreement named bare in a PR-2's monitoring line: "Agreement on file", "agreement signed 2017",
    # "Agreement updated 1/2016", "signed agreement" ("in agreement with" is not one)
    ("opioid_agreement", P("~^(agreements?|contracts?)$", "~^(on|signed|updated|re-?signed|renewed|current|reviewed)$")),
    ("opioid_agreement", P("~^(signed|current|updated)$", "~^(agreements?|contracts?)$")),
    ("aberrant_behavior", P("~^aberran(t|ce)$", "{0,3}", "~^behaviou?rs?$")),
    ("aberrant_behavior", P("~^aberrant$")),
    ("aberrant_behavior", P("drug", "-", "seeking")),
    ("aberrant_behavior", P("~^drug-seeking$")),
    ("aberrant_behavior", P("drug", "seeking")),  # gf4read: written without the hyphen
    ("aberrant_behavior", P("early", "~^refills?$")),
    ("aberrant_behavior", P("~^(lost|stolen)$", "~^(prescriptions?|medications?)$")),
    ("aberrant_behavior", P("~^(diversion|misuse)$")),
    ("adverse_effects", P("~^(side|adverse)$", "~^effects?$")),
    ("adverse_effects", P("side", "-", "~^effects?$")),
    # (read9: "drowsy", "sleepy", "sedated", "constipated" in the same rule: one more rule starting on a word test costs every
    # such start)
    ("adverse_effects", P("~^(constipation|sedation|drowsiness|somnolence|nausea|drowsy|sleepy|sedated|somnolent|constipated)$")),
    # PR-2 shorthand of the four A's (goldread): "No SE", "No ADRBs", "ran out early", the state monitoring database
    ("adverse_effects", P("=SE")),
    ("adverse_effects", P("=SEs")),
    ("adverse_effects", P("=AE")),
    ("adverse_effects", P("=AEs")),
    ("aberrant_behavior", P("~^adrbs?$")),
    ("aberrant_behavior", P("~^aberranc(e|y|ies)$")),
    ("aberrant_behavior", P("~^(ran|runs|running)$", "out", "~^(early|prematurely)$")),
    # (issue #11, other9) "ran out 8 days early", "Rx lost", "took extra"
    ("aberrant_behavior", P("~^(ran|runs|running)$", "out", "{1,3}", "~^(early|prematurely)$")),
    ("aberrant_behavior", P("~^(rx|prescriptions?|script|meds|medications?|pills)$", "~^(was|were|reportedly|reported)?$", "~^(lost|stolen)$")),
    ("aberrant_behavior", P("~^(took|takes|taking)$", "extra")),
    # (r9drug) aberrance as written: "unsanctioned benzodiazepine use", "a violation of the opioid agreement", "scripts
    # from two outside prescribers", "doctor shopping"
    ("aberrant_behavior", P("~^(unsanctioned|non-?sanctioned)$")),
    ("aberrant_behavior", P("~^(violation|violated|violates|breach|breached)$", "{0,3}", "~^(agreement|contract)$")),
    # (gf4read: also "two other prescribers", "another prescriber"; "no other prescribers" is its denial)
    ("aberrant_behavior", P("~^(outside|multiple|other|another|several|two|three|four|2|3|4)$", "~^(other|outside)?$", "~^prescribers?$")),
    ("aberrant_behavior", P("doctor", "~^shopping$")),
    ("cures_reviewed", P("prescription", "~^(monitoring|database)$")),
    # function / work
    ("functional_improvement", P("~^functional$", "~^(improvements?|gains?|benefit)$")),
    ("functional_improvement", P("~^(improved|increased|better)$", "~^(function|functioning|functional)$")),
    ("functional_improvement", P("~^(improved|increased|better)$", "~^(walking|sitting|standing|lifting|activity|exercise|work)$", "~^(tolerance|endurance|capacity)$")),
    ("functional_improvement", P("~^improvements?$", "in", "{0,2}", "~^(function|functioning|adls|activities|tolerance|endurance)$")),
    ("functional_improvement", P("~^(allow(s|ed|ing)?|enabl(es|ed|ing))$", "{0,3}", "to", "~^(walk|sleep|work|sit|stand|perform|do|complete|exercise|drive)$")),
    ("functional_improvement", P("~^(able)$", "to", "~^(walk|work|perform|do|complete|exercise|drive)$", "{0,3}", "~^(longer|more|farther|further)$")),
    ("return_to_work", P("~^return(ed|ing)?$", "to", "~^(full|modified|regular|usual|light)?$", "~^(work|duty|job)$")),
    ("return_to_work", P("back", "to", "~^(work|duty)$")),
    ("return_to_work", P("~^(currently|is)$", "working")),
    ("return_to_work", P("~^working$", "~^(full|modified|regular|light)$", "duty")),
    ("return_to_work", P("able", "to", "attend", "{0,2}", "work")),
    # (r11drug) work by its hours or as part/full time: "Working 30 h/wk as receptionist", "works part-time"
    ("return_to_work", P("~^(working|works)$", "~^\\d{1,2}$", "~^(h|hr|hrs|hours)(/wk|/week)?$")),
    ("return_to_work", P("~^(working|works)$", "~^(part|full)$", "-?", "time")),
    # GI
    ("gi_risk_factors", P("~^(gi|gastrointestinal)$", "~^risk$", "~^factors?$")),
    ("gi_risk_factors", P("~^(gi|gastrointestinal|peptic)$", "~^(bleeds?|bleeding|ulcers?|hemorrhage)$")),
    ("gi_risk_factors", P("~^(peptic|gastric|duodenal|stomach)$", "~^ulcers?$")),
    ("gi_risk_factors", P("~^(anticoagula(nt|nts|tion)|warfarin|coumadin|clopidogrel|plavix)$")),
    ("gi_risk_factors", P("~^(ulcers?|hematemesis|melena)$")),
    ("gi_symptoms", P("~^(dyspepsia|gerd|reflux|heartburn|gastritis|epigastric)$")),
    ("gi_symptoms", P("~^(gi|gastrointestinal|stomach|gastric)$", "~^(upset|symptoms?|sx|complaints?|distress|irritation|issues?|discomfort)$")),
    ("gi_symptoms", P("upsets", "~^(his|her|the|my)?$", "stomach")),  # read9: "ibuprofen upsets her stomach"
    ("gi_symptoms", P("~^(abdominal)$", "~^(pain|complaints?|discomfort|symptoms?)$")),
    ("insomnia", P("~^insomnia$")),
    ("insomnia", P("~^sleep$", "~^(disturbances?|difficult(y|ies)|problems?|disorder|issues?|disruption)$")),
    ("insomnia", P("~^(difficulty|trouble|problems?)$", "~^(sleeping|sleep)$")),
    ("insomnia", P("~^(poor|disturbed|disrupted|interrupted)$", "sleep")),
    ("insomnia", P("~^(unable|difficult)$", "to", "sleep")),
    ("insomnia", P("~^(difficulty|trouble|problems?)$", "~^(falling|staying|getting|going)$", "~^(asleep|to)$")),
    ("radicular_pain", P("~^(dermatomal|radicular)$", "~^(distribution|pattern)$")),
    ("radicular_pain", P("~^(in|into|along)$", "~^(an?|the)?$", "~^([clst]\\d)$", "distribution")),
    ("functional_improvement", P("able", "to", "~^(sit|stand|walk|lift|drive|work|exercise|carry)$", "{0,4}", "~^(previously|compared|versus|vs|up|improved|increased|longer|farther|further)$")),
    ("functional_improvement", P("~^(can|could)$", "~^(now)?$", "~^(sit|stand|walk|lift|drive|work|exercise|carry)$", "{0,4}", "~^(previously|compared|versus|vs|up|longer|farther|further)$")),
    ("insomnia", P("~^(wakes|waking|awakens|awakening|wake)$", "~^(him|her|them|up)?$", "~^(from|at|during)$", "~^(sleep|night)$")),
    # (r12drug) sleep as notes measure and describe it: short nights ("Sleep: 3-4 hrs/night", "sleeps only 4 hours",
    # "sleeping 5 h"), sleep written before its quality ("Sleep poor", "sleep is broken"), and waking from a symptom
    # or several times a night ("wakes w/ pain", "woken by spasms", "up 3x/night", "wakes 4 times a night")
    ("insomnia", P("~^(sleep|sleeps|sleeping|slept)$", "~^(:)?$", "~^(only|about|approx|approximately|~|averages|averaging)?$",
                   "~^[1-5]$", "~^(-|to)?$", "~^([1-6])?$", "~^(h|hr|hrs|hours?)$")),
    ("insomnia", P("~^[1-5]$", "~^(-|to)?$", "~^([1-6])?$", "~^(h|hr|hrs|hours?)$", "of", "~^(sleep|sleeping)$")),
    ("insomnia", P("~^sleep$", "~^(:|is|remains|still)?$", "~^(poor|disturbed|disrupted|interrupted|fragmented|broken|restless|"
                   "impaired|non-restorative|nonrestorative|unrefreshing)$")),
    ("insomnia", P("~^(wakes|waking|awakens|awakened|awakening|wake|woken|awoken|wakened|woke)$", "~^(him|her|them|up)?$",
                   "~^(w/|with|from|by|due|2/2)$", "~^(to|the|his|her)?$", "~^(low|back|neck|leg|knee|shoulder|arm|hip)?$",
                   "~^(pain|spasms?|numbness|tingling|burning|discomfort|cramping)$")),
    ("insomnia", P("~^(up|wakes|waking|awakens|awakening|wake|wakening)$", "~^(up)?$", "~^([1-9]x?|[1-9]-[1-9]x?)$",
                   "~^(-|to)?$", "~^([1-9]x?)?$", "~^(x|times)?$", "~^(/|a|per|each|every|at)?$", "~^(night|nightly|nite)$")),
    ("anxiety", P("~^(anxiety|anxious)$")),
    ("depression", P("~^(depression|depressed|depressive)$")),
    ("neuropathic_pain", P("~^neuropathic$", "~^(pain|symptoms?|component)$")),
    ("neuropathic_pain", P("~^(neuralgia)$")),
    ("neuropathic_pain", P("burning", "~^(pain|sensation)$")),
    # neuropathic quality as PR-2 notes write it: "L leg burning", "Burning R arm", "burning/shooting pain"
    ("neuropathic_pain", P("~^(leg|arm|foot|feet|hand|hands|thigh|calf|groin|buttock)$", "burning")),
    ("neuropathic_pain", P("burning", "~^(r|l|right|left|bilateral|bilat)?$", "~^(leg|arm|foot|feet|hand|hands|thigh|calf|groin)$")),
    ("neuropathic_pain", P("burning", "/", "shooting")),
    ("edema_swelling", P("~^(swelling|edema|effusion|swollen)$")),
    ("limited_range_of_motion", P("~^(decreased|limited|restricted|reduced|diminished|painful|loss)$", "~^(of)?$", "~^(lumbar|cervical|thoracic|spinal|shoulder|knee|hip|wrist|elbow|ankle|neck|trunk)?$", "~^(range|rom)$", "~^(of)?$", "~^(motion)?$")),
    ("limited_range_of_motion", P("~^(range|rom)$", "~^(of)?$", "~^(motion)?$", "{0,4}!", "~^(limited|decreased|restricted|reduced|diminished)$")),
    ("limited_range_of_motion", P("~^(limited|decreased|restricted|reduced|painful)$", "~^(lumbar|cervical|thoracic|trunk|spinal|shoulder|hip|knee)?$", "~^(flexion|extension|rotation|abduction|motion)$")),
    ("limited_range_of_motion", P("~^(flexion|extension|rotation|abduction)$", "~^(is|was|remains|remained|still)?$", "~^(limited|restricted|decreased|reduced)$")),
    ("tenderness", P("~^(tenderness|tender)$")),
    # "TTP lat malleolus", "TTP L4-S1 paraspinals": tender to palpation, as PR-2s abbreviate it (issue #11, other9)
    ("tenderness", P("=TTP")),
    ("home_exercise_program", P("home", "~^exercises?$", "~^(program|programs|regimen)?$")),
    # read9: "home stretching program", "home stretches daily", "OT home program", "home pendulums"
    ("home_exercise_program", P("home", "~^(stretch(es|ing)?|program|pendulums|strengthening)$", "~^(program|routine)?$")),
    ("home_exercise_program", P("=HEP")),
    ("failed_conservative_treatment", P("~^(failed|fail|failure)$", "~^(of|to|with)?$", "~^(all)?$", "conservative", "~^(treatments?|care|therapy|therapies|measures|management)?$")),
    ("failed_conservative_treatment", P("~^(conservative)$", "~^(treatment|care|therapy|measures|management)$", "{0,3}", "~^(failed|unsuccessful|ineffective)$")),
    ("failed_conservative_treatment", P("~^(refractory|unresponsive)$", "to", "{0,2}", "~^(conservative|treatment|therapy|care)$")),
    ("positive_provocative_test", P("~^provocative$", "~^(tests?|testing|maneuvers?|signs?)$")),
    ("positive_provocative_test", P("~^spurling('s)?$")),
    ("positive_provocative_test", P("~^(mcmurray|lachman|apprehension|drawer|yergason|finkelstein|o'brien|obrien)('s)?$")),
    ("positive_provocative_test", P("drop", "arm", "~^(test|sign)?$")),
    ("positive_provocative_test", P("empty", "can", "~^(test|sign)?$")),
    ("positive_provocative_test", P("~^(speed|speed's)$", "test")),
    ("impingement_signs", P("~^impingement$", "~^(signs?|tests?|testing|maneuvers?)$")),
    ("impingement_signs", P("~^(neer|hawkins)('s)?$")),
    ("tinel_phalen", P("~^(tinel|phalen|tinels|phalens)('s)?$")),
    # r14surg: the other provocative tests of median compression at the wrist (ACOEM ch. 11 lists the examination
    # findings of CTS; the carpal compression test is Durkan's): "+ Durkan", "Durkan's test positive", "positive carpal
    # compression test", "reverse Phalen +"
    ("tinel_phalen", P("~^(durkan|durkans)('s)?$")),
    ("tinel_phalen", P("carpal", "~^(compression)$")),
    # radicular pain written as where it goes (issue #11, goldread): "burning pain down the right arm", "pain
    # shoots down the left leg", "pain travels into the R calf" (a limb, not the buttock or the shoulder)
    # read10: a longer way there and two words of place ("pain shooting from the neck over the lateral arm into the
    # thumb", "shooting pain down the right posterior thigh")
    ("radicular_pain", P("~^(pain|burning|shooting|aching)$", "{0,4}", "~^(down|into|over|along)$", "~^(the|his|her|both)?$",
                         "~^(r|l|rt|lt|right|left|bilateral|bilat|lower|upper|posterior|lateral|anterior|medial|radial|ulnar)?$",
                         "~^(posterior|lateral|anterior|medial|radial|ulnar|dorsal|volar)?$",
                         "~^(legs?|arms?|thighs?|calf|calves|feet|foot|hands?|fingers?|thumbs?|toes?|heels?|shins?|forearms?|extremit(y|ies))$")),
    # read9: the limb's pain written with where it ends ("arm pain now 7/10 to R thumb", "leg pain to the soles")
    *[("radicular_pain", P(limb, "~^(pain|tingling|numbness|paresthesias?|burning)$", "{0,3}", "~^(to|into)$",
                           "~^(the|his|her|r|l|rt|lt|right|left|both)?$", "~^(big|great|little|small|ring|middle|long|lateral|medial)?$",
                           "~^(thumbs?|index|fingers?|hands?|soles?|toes?|digits?|feet|foot|calf|calves|ankles?)$"))
      for limb in ("arm", "leg")],  # (one pattern per first word: the matcher then tries it only from that word)
]

# Examination tests: the words "test" / "sign" after the name belong to the finding ("FABER test
# negative." must put "negative" right after the target).
_TESTS = {
    "si_faber", "si_gaenslen", "si_thigh_thrust", "si_compression", "si_distraction", "si_sacral_thrust",
    "si_fortin_finger", "positive_provocative_test", "tinel_phalen", "straight_leg_raise", "facet_loading",
}  # fmt: skip
FINDING_RULES = [
    (name, pat + [_SPACE, {"LOWER": {"IN": ["test", "tests", "sign", "signs", "maneuver", "testing"]}, "OP": "?", "IS_SENT_START": False}])
    if name in _TESTS and isinstance(pat, list) and pat[-1].get("LOWER") not in ("test", "tests")
    else (name, pat)
    for name, pat in FINDING_RULES
]

# Stated as normal / absent -> the finding is documented absent.
ABSENT_RULES: list[tuple[str, Pattern]] = [
    ("motor_weakness", P("~^(strength|motor)$", "{0,6}", "~^5/5$")),
    ("motor_weakness", P("~^(normal|intact|full)$", "~^(motor|muscle)?$", "~^(strength|reflexes|sensation)$", "~^(,)?$", "~^(and)?$", "~^(reflexes|sensation|strength)$", "~^(,)?$", "~^(and)?$", "~^(reflexes|sensation|strength)?$")),
    ("motor_weakness", P("~^5/5$", "{0,2}", "~^(strength|motor)$")),
    ("motor_weakness", P("~^(strength|motor)$", "{0,6}", "5", "out", "of", "5")),
    ("motor_weakness", P("strength", "{0,3}", "~^(intact|normal|full|symmetric)$")),
    ("motor_weakness", P("motor", "~^(strength|exam|examination|function|testing)$", "{0,3}", "~^(intact|normal|full|symmetric)$")),
    ("motor_weakness", P("~^(full|normal)$", "~^(motor|muscle)?$", "strength")),
    # gf3read: a muscle or a movement graded full ("Quadriceps 5/5", "EHL/PF 5/5", "Plantar flexion 5/5", "APB 5/5")
    ("motor_weakness", P("~^(quads?|quadriceps|hamstrings?|ehl|apb|fdi|deltoids?|biceps|triceps|iliopsoas|gastrocs?|gastrocnemius|"
                         "tibialis|interossei|supraspinatus|infraspinatus|grip|flexion|extension|abduction|adduction|"
                         "dorsiflexion|plantarflexion|eversion|inversion|pf|df|hip|knee|ankle|wrist|elbow|shoulder)$",
                         "{0,2}", "~^5/5$")),
    ("dermatomal_sensory_loss", P("~^(sensation)$", "{0,4}", "~^(intact|normal|symmetric|unremarkable)$")),
    ("dermatomal_sensory_loss", P("sensory", "~^(exam|examination|testing)$", "{0,3}", "~^(intact|normal|symmetric|unremarkable)$")),
    ("dermatomal_sensory_loss", P("~^(intact|normal)$", "{0,3}", "~^(sensation|sensory)$")),
    ("reflex_change", P("~^(intact|normal|symmetric)$", "{0,3}", "~^(reflex(es)?|dtrs?)$")),
    ("reflex_change", P("~^(reflex(es)?|dtrs?|jerks?)$", "{0,5}", "~^(normal|symmetric|intact|2\\+|physiologic)$")),
    *[("reflex_change", P(name, "{0,1}", "2", "+"))  # read9: "Biceps 2+", "reflexes 2+"
      for name in ("patellar", "achilles", "biceps", "triceps", "brachioradialis", "reflexes", "dtrs")],
    ("reflex_change", P("~^(reflex(es)?|jerks?)$", "{0,5}", "2", "out", "of", "4", "~^(and|,)?$", "~^(symmetric(al)?)$")),
    # graded reflexes called symmetric at the end: "DTRs 2+ knees, 1+ ankles sym" (issue #11, other9)
    ("reflex_change", P("~^(reflex(es)?|dtrs?|jerks?)$", "{0,8}", "~^(sym|symm|symmetric(al)?)$")),
    # a straight leg raise negative on a side (issue #11, other9): "SLR neg bilat" (an absent-finding rule rather than a
    # ConText modifier: a modifier rule with these words sent the windowed matching to spaCy's Matcher, see decisions.md)
    ("straight_leg_raise", P("=SLR", "~^(neg|negative)$", "~^(bil|bilat|bilateral|bilaterally|b/l|both|right|left|r|l|rt|lt)$")),
    ("limited_range_of_motion", P("~^(full|normal)$", "~^(range|rom)$", "~^(of)?$", "~^(motion)?$")),
    ("limited_range_of_motion", P("~^(range|rom)$", "~^(of)?$", "~^(motion)?$", "{0,3}", "~^(full|normal|intact)$")),
    ("aberrant_behavior", P("~^(compliant|adherent)$", "with", "{0,3}", "~^(medications?|regimen|agreement|contract)$")),
    # (goldread) "SE: none", "side effects: denied", "tolerating meds well", "takes her medications as prescribed"
    ("adverse_effects", P("~^(se|ses)$", "~^(:|-)$", "~^(none|denied|denies|nil|no)$")),
    ("adverse_effects", P("side", "~^effects?$", "~^(:|-)$", "~^(none|denied|denies|nil|no)$")),
    ("adverse_effects", P("~^(tolerat(es|ing|ed))$", "~^(the|his|her|current)?$", "~^(medications?|meds|regimen|it|them)?$", "well")),
    ("aberrant_behavior", P("~^(takes|taking|uses|using)$", "~^(his|her|the|all)?$", "~^(medications?|meds|opioids?)$", "as", "~^(prescribed|directed)$")),
    # radicular symptoms denied (goldread): "no leg pain", "no arm symptoms", "no leg sx", "pain does not go below the knee"
    # (r9drug) the 4 A's as headed lines: "Aberrant behavior -- none", "Adverse effects -- denies constipation"
    ("aberrant_behavior", P("~^aberran(t|ce|cy)$", "~^(behaviou?rs?|drug)?$", "~^(behaviou?rs?)?$", "~^(:|-+|\u2013|\u2014)$", "~^(none|denied|denies|nil|no)$")),
    ("adverse_effects", P("~^(side|adverse)$", "~^effects?$", "~^(-{2,}|\u2013|\u2014)$", "~^(none|denied|denies|nil|no)$")),
    ("adverse_effects", P("adverse", "~^effects?$", "~^(:|-)$", "~^(none|denied|denies|nil|no)$")),
    ("radicular_pain", P("~^(no|denies|without)$", "~^(radiating|radicular|leg|legs|arm|arms|le|ue|extremity)$", "~^(pain|symptoms?|sx|complaints?)$")),
    ("radicular_pain", P("~^(does|did)$", "~^(not|n't)$", "~^(go|radiate|travel|extend)$", "~^(below|past|into|down)$")),
    ("radicular_pain", P("~^(non-?radiating|nonradiating)$")),
    # read10: a limb's pain gone ("Leg pain resolved" after a discectomy) and pain that stops above the knee or elbow
    # ("ache, not below knee": a referred pain pattern, not a root's)
    ("radicular_pain", P("~^(leg|legs|arm|arms|radicular|radiating|sciatic)$", "~^(pain|symptoms?|sx)$", "~^(has|have|is|are)?$",
                         "~^(now)?$", "~^(resolved|gone)$")),
    ("radicular_pain", P("~^(not|no|never)$", "~^(radiating|going|extending|radiation|pain)?$", "below", "~^(the|his|her|both)?$",
                         "~^(knees?|elbows?)$")),
]

TREATMENT_RULES: list[tuple[str, str | Pattern]] = [
    ("physical therapy", P("~^physical$", "~^(therapy|therapies|therapist)$")),
    ("physical therapy", P("~^physiotherapy$")),
    ("physical therapy", P("~^occupational$", "~^(therapy|therapist)$")),
    ("physical therapy", P("=PT")),
    ("physical therapy", P("=OT")),  # occupational therapy, as PT is written
    ("chiropractic", P("~^chiropractic$", "~^(treatment|treatments|therapy|care|manipulation|sessions?|visits?)?$")),
    ("chiropractic", P("~^chiropractors?$")),
    ("chiropractic", P("~^chiro$", "~^(visits?|sessions?|treatments?|care|tx|x)$")),  # "24 chiro visits", "chiro x 12"
    ("chiropractic", P("~^(spinal)?$", "~^manipulation$")),
    ("acupuncture", P("~^acupuncture$", "~^(therapy|treatment|treatments|sessions?|visits?)?$")),
    ("massage", P("~^massage$", "~^(therapy)?$")),
    ("aquatic therapy", P("~^(aquatic|pool|aqua|water)$", "~^(therapy|exercise|exercises)$")),
    ("home exercise program", P("home", "~^exercises?$", "~^(program|programs|regimen)?$")),
    ("home exercise program", P("=HEP")),
    ("psychotherapy", P("~^(psychotherapy|counseling|counselling)$")),
    ("psychotherapy", P("~^(psychological|psychiatric|psych)$", "~^(treatment|therapy|care|counseling|sessions?)$")),
    ("cognitive behavioral therapy", P("cognitive", "~^behaviou?ral$", "~^(therapy|treatment)$")),
    ("cognitive behavioral therapy", P("=CBT")),
    ("biofeedback", P("~^biofeedback$")),
    ("work conditioning", P("work", "~^(conditioning|hardening)$")),
    ("functional restoration program", P("functional", "restoration", "~^(program|programs)?$")),
    ("functional restoration program", P("=FRP")),
    ("epidural steroid injection", P("~^epidural$", "~^steroid$", "~^injections?$")),
    ("epidural steroid injection", P("~^(caudal|transforaminal|interlaminar|lumbar|cervical)$", "~^epidurals?$", "~^(steroid)?$", "~^(injections?|blocks?)?$")),
    ("epidural steroid injection", P("~^epidurals?$", "~^(injections?|blocks?)?$")),
    ("epidural steroid injection", P("~^esis?$")),
    # issue 11 (prior): the approach written into the abbreviation ("s/p L5-S1 TFESI", "C6-7 ILESI", "TF ESI")
    ("epidural steroid injection", P("~^(tfesis?|ilesis?|cesis?|lesis?|tfes)$")),
    ("epidural steroid injection", P("~^(tf|il)$", "~^esis?$")),
    ("facet injection", P("~^facet$", "~^(joint)?$", "~^(injections?|blocks?)$")),
    ("medial branch block", P("medial", "branch", "~^(blocks?|nerve)$", "~^(blocks?)?$")),
    ("medial branch block", P("~^mbbs?$")),
    ("radiofrequency ablation", P("~^(radiofrequency|rf)$", "~^(ablations?|neurotomy|neurotomies|rhizotomy|lesioning)$")),
    ("radiofrequency ablation", P("~^(facet)?$", "~^(neurotomy|neurotomies|rhizotomy|rhizotomies)$")),
    # "RFA" is also the Request for Authorization form: the ablation only beside a side or level, or after a word of
    # a procedure done ("RFA R C4, C5, C6 medial branches", "After RFA 4/2016", "repeat RFA")
    ("radiofrequency ablation", P("=RFA", "~^(r|l|rt|lt|right|left|bilat\\w*|[clt]\\d.*|at)$")),
    ("radiofrequency ablation", P("~^(after|s/p|post|prior|previous|repeat|successful|cervical|lumbar|facet|last|bilat\\w*|[clt]\\d.*)$", "=RFA")),
    # read9: "RFA" followed by the month it was done in brackets ("L4-5 RFA (10/2014)") is the ablation, not the request
    # form (a pattern that begins with the word itself: one starting on every level token slowed the matcher)
    ("radiofrequency ablation", P("=RFA", "(", "~^\\d{1,2}/\\d{2,4}$", ")")),
    ("sacroiliac joint injection", P(SI, "~^(joint)?$", "~^(injections?|blocks?)$")),
    ("trigger point injection", P("trigger", "point", "~^injections?$")),
    ("trigger point injection", P("~^tpis?$")),
    ("botox", P("~^botox$", "~^(injections?)?$")),
    ("botox", P("~^botulinum$", "~^toxin$", "~^(injections?)?$")),
    ("injection", P("~^(cortisone|steroid|corticosteroid|joint|knee|shoulder|subacromial|intra-articular)$", "~^injections?$")),
    ("injection", P("~^injections?$")),
    # issue 11 (prior): "last cortisone shot in the L knee", "steroid shots x2", "CSI L knee 8/2024"
    ("injection", P("~^(cortisone|steroid|corticosteroid|kenalog|depo-medrol|knee|shoulder|joint)$", "~^shots?$")),
    ("injection", P("=CSI")),
    # a viscosupplement named by its product ("Synvisc x3 2015", "s/p Euflexxa series"; issue #11, inj9)
    ("injection", P("~^(synvisc|orthovisc|supartz|euflexxa|hyalgan|monovisc|gelsyn|durolane|gel-one|viscosupplementation)$")),
    # "cortisone inj L knee", "steroid inj x2"
    ("injection", P("~^(cortisone|steroid|corticosteroid|kenalog|depo-medrol)$", "~^(inj|injs|injx)$")),
    # r12other: an injectable steroid written with its dose is an injection given ("Kenalog 40 mg R knee 6/2015",
    # "Depo-Medrol 80mg L shoulder", "triamcinolone 40 mg IA"): these products are charted that way after a shot
    ("injection", P("~^(kenalog|depo-medrol|depomedrol|celestone|triamcinolone|betamethasone)$", "~^\\d{1,3}(mg)?$", "~^(mg)?$")),
    ("injection", P("~^depo$", "~^-$", "~^medrol$", "~^\\d{1,3}(mg)?$", "~^(mg)?$")),  # the tokenizer splits "Depo-Medrol"
    ("surgery", P("~^(surgery|surgeries|laminectomy|laminotomy|fusion|discectomy|microdiscectomy|arthroscopy|decompression|arthroplasty|foraminotomy|hemilaminectomy)$")),
    ("surgery", P("~^surgical$", "~^(intervention|treatment|repair|decompression)$")),
    # a fracture fixed in the operating room, as written (issue #11, inj9): "ORIF L distal radius", "s/p CRPP"
    ("surgery", P("~^(orif|crpp)$")),
    ("surgery", P("open", "reduction", "~^(and|&|/)?$", "internal", "fixation")),
    ("surgery", P("~^(cuff|meniscus|meniscal|labral|labrum|acl|tendon|ligament|hernia|carpal)$", "~^(repair|reconstruction|release)$")),
    ("surgery", P("~^(total)$", "~^(knee|hip|shoulder)$", "~^(replacement|arthroplasty)$")),
    # a joint replacement by its abbreviation, as surgeons chart it (r9other): "s/p L TKA 2/9/2016", "R THA", "rTSA"
    ("surgery", P("~^(tka|tkr|tha|thr|tsa|rtsa|uka)$")),
    # r10other: the repair or fusion by the abbreviation surgeons chart it with: "s/p R shoulder arthroscopic RCR 8/20/14",
    # "s/p C5-6 ACDF", "L4-5 TLIF"
    ("surgery", P("~^(rcr|acdf|tlif|plif|alif)$")),
    ("surgery", P("~^(carpal|cubital|tarsal|trigger|de)$", "~^(tunnel|finger|thumb|quervain's|quervain)$", "~^(release|decompression)$")),
    ("surgery", P("~^(tunnel|finger|thumb|tendon|nerve)$", "~^(release|transposition|decompression)$")),
    ("surgery", P("~^(meniscectomy|acromioplasty|chondroplasty|synovectomy|tenodesis|capsulorrhaphy|kyphoplasty|vertebroplasty)$")),
    ("tens", P("=TENS", "~^(unit)?$")),
    ("tens", P("transcutaneous", "electrical", "nerve", "~^stimulat(ion|or)$")),
    ("bracing", P("~^(brace|bracing|braces)$")),
    ("bracing", P("~^(lumbar|back)$", "support")),
    ("medications", P("~^medications?$")),
    ("nsaids", P("~^nsaids?('s)?$")),
    ("nsaids", P("~^(non-steroidal|nonsteroidal)$", "~^anti-?inflammator(y|ies)$", "~^(drugs?|medications?)?$")),
    ("nsaids", P("~^anti-inflammator(y|ies)$", "~^(drugs?|medications?)$")),
    ("spinal cord stimulator", P("spinal", "cord", "~^stimulat(or|ion|ors)$")),
    ("spinal cord stimulator", P("=SCS")),
]

MODALITY_RULES: list[tuple[str, Pattern]] = [
    ("MRI", P("~^(mri|mris|mr)$")),
    ("MRI", P("magnetic", "resonance", "~^(imaging|scan)$")),
    ("CT", P("=CT", "~^(scan|myelogram)?$")),
    ("CT", P("computed", "tomography")),
    ("x-ray", P("~^(x-rays?|xrays?|xr|radiographs?|radiographic)$")),
    ("x-ray", P("plain", "~^(films?|radiographs?)$")),
    ("x-ray", P("x", "-", "~^rays?$")),
    # gf4read: a radiograph report headed by its count of views ("LUMBAR SPINE, 3 VIEWS", "R knee 4 views"): only plain
    # films are counted in views
    ("x-ray", P("~^[1-9]$", "~^views?$")),
    ("EMG/NCV", P("~^(emg|ncv|ncs|emg/ncv|emg/ncs|ncv/emg)$")),
    ("EMG/NCV", P("~^(electromyography|electromyogram|electrodiagnostic|electrodiagnostics)$", "~^(studies|study|testing|tests?)?$")),
    ("EMG/NCV", P("nerve", "conduction", "~^(velocity|velocities|studies|study|tests?)$", "~^(studies|study)?$")),
]

STUDY_FINDING_RULES: list[tuple[str, Pattern]] = [
    ("disc protrusion", P("~^(disc|disk)?$", "~^protrusions?$")),
    ("disc herniation", P("~^(disc|disk)?$", "~^(herniations?|herniated|extrusions?|extruded)$", "~^(disc|disk|nucleus)?$")),
    ("disc herniation", P("~^hnp$")),
    ("disc bulge", P("~^(disc|disk)$", "~^bulg(e|es|ing)$")),
    ("disc bulge", P("~^bulg(e|es|ing)$", "~^(disc|disk)?$")),
    ("stenosis", P("~^(stenosis|stenoses)$")),
    ("stenosis", P("~^(canal|foraminal|neuroforaminal)$", "~^narrowing$")),
    ("stenosis", P("~^(foraminal|neuroforaminal|canal)$", "~^(compromise)$")),
    ("tear", P("~^(tear|tears|torn)$")),
    ("radiculopathy", P("~^radiculopath(y|ies)$")),
    ("nerve root compression", P("~^(nerve)$", "~^roots?$", "~^(compression|impingement|abutment|displacement|contact|encroachment)$")),
    ("nerve root compression", P("~^(impinges?|impinging|compress(es|ing)?|abut(s|ting)?|contact(s|ing)?|displac(es|ing))$", "{0,6}", "~^(nerve|roots?)$")),
    ("degenerative disc disease", P("~^(degenerative)$", "~^(disc|disk)$", "~^(disease|changes?)$")),
    ("degenerative changes", P("~^(degenerative)$", "~^(changes?)$")),
    ("fracture", P("~^fractures?$")),
    ("fracture", P("~^fxs?$")),  # read10: as radiology lines abbreviate it ("XR: nondisplaced distal radius fx")
    # a joint's arthritis on a radiograph (issue #11, dxread: its severity is the indication of a joint replacement
    # or a hyaluronic acid injection)
    ("osteoarthritis", P("~^(osteoarthritis|osteoarthritic|oa|djd)$")),
    ("joint space narrowing", P("joint", "space", "~^(narrowing|loss)$")),
    ("joint space narrowing", P("bone", "-", "on", "-", "bone")),
    ("joint space narrowing", P("bone", "on", "bone")),  # unhyphenated, as dictated (issue #11, other9)
    ("neuropathy", P("~^(neuropathy|polyneuropathy)$")),
    # the lesion of shoulder impingement on an MRI (issue #11, rehab: the imaging that supports a subacromial
    # decompression after failed conservative care is an impinging acromion, bursitis or cuff tendinosis, not a tear)
    ("tendinosis", P("~^(tendinosis|tendinopathy|tendinitis|tendonitis|tendonosis)$")),
    ("bursitis", P("~^bursitis$")),
    ("subacromial impingement", P("~^(subacromial|outlet|external)$", "~^impingement$")),
    ("subacromial impingement", P("~^(hooked|downsloping|down-sloping|curved)$", "acromion")),
    ("subacromial impingement", P("~^(acromial|acromion)$", "~^(spurs?|osteophytes?|enthesophytes?)$")),
    ("carpal tunnel syndrome", P("carpal", "tunnel", "~^(syndrome)?$")),
    # the impression as electromyographers write it (issue #11, rehab): "median neuropathy at the wrist" (not the
    # bare "CTS": a note's assessment beside its plan for a study would read as the study's result)
    ("carpal tunnel syndrome", P("median", "~^(neuropathy|mononeuropathy|entrapment|compression)$", "~^(at|across)$", "~^(the)?$", "wrist")),
    # a study's impression naming it: "consistent with moderate right CTS" (issue #11, other9; the bare "CTS" stays unread)
    ("carpal tunnel syndrome", P("consistent", "with", "{0,3}", "=CTS")),
    ("normal", P("~^(normal|unremarkable)$", "~^(study|studies|examination|exam|emg|mri|findings)$")),
    ("normal", P("~^(within)$", "normal", "limits")),
    ("normal", P("~^(read|interpreted|reported)$", "as", "~^(normal|unremarkable)$")),
    ("normal", P("no", "~^(acute|significant)?$", "~^(abnormalit(y|ies)|pathology)$")),
]

WORK_RULES: list[tuple[str, Pattern]] = [
    ("full duty", P("~^(full|regular|usual)$", "~^(duty|duties|work)$")),
    ("modified duty", P("~^(modified|light|restricted|limited)$", "~^(duty|duties|work)$")),
    ("modified duty", P("work", "~^restrictions?$")),
    ("temporarily partially disabled", P("~^temporar(il)?y$", "~^partial(ly)?$", "~^(disabled|disability)$")),
    ("temporarily partially disabled", P("=TPD")),
    ("temporarily totally disabled", P("~^temporar(il)?y$", "~^total(ly)?$", "~^(disabled|disability)$")),
    ("temporarily totally disabled", P("=TTD")),
    ("permanent and stationary", P("permanent", "and", "stationary")),
    ("permanent and stationary", P("=P&S")),
    ("permanent and stationary", P("maximum", "medical", "improvement")),
    ("not working", P("~^(not|unable)$", "~^(to)?$", "~^(working|work)$")),
    ("not working", P("~^(off)$", "work")),
    ("modified duty", P("~^(working|works|work)$", "with", "~^(restrictions?|modifications?|accommodations?)$")),
    ("retired", P("~^retired$")),
]

FUNCTION_RULES: list[tuple[str, Pattern]] = [
    ("activities of daily living", P("activities", "of", "daily", "living")),
    ("activities of daily living", P("~^adls?$")),
    ("improved", P("~^(improved|increased|better)$", "~^(function|functioning|functional|activity|tolerance)$")),
    ("improved", P("~^functional$", "~^(improvement|gains?)$")),
    ("limited", P("~^(difficulty|unable|limited|limitations?|inability)$", "{0,2}", "~^(walking|sitting|standing|lifting|bending|sleeping|driving|walk|sit|stand|lift|bend|carry|carrying|dressing|bathing|housework|chores)$")),
    ("tolerance", P("~^(sit|sitting|stand|standing|walk|walking)$", "~^(tolerance)$")),
    ("tolerance", P("~^(able)$", "to", "~^(walk|sit|stand|lift)$", "{0,2}", "~^(for|up)$", "{0,1}", "~^\\d+$", "~^(minutes?|hours?|blocks?|miles?|pounds?|lbs?)$")),
    # what the worker can or cannot do, and self-care (goldread): "able to dress herself and cook", "independent with ADLs"
    # (read8) "able to do light housework"
    ("activities", P("able", "to", "~^(dress|bathe|shower|cook|clean|shop|drive|vacuum|garden|groom|work|perform|care|do)$")),
    # "unable to work" is a work status (the "not working" rule), not an activity: one rule per span
    ("activities", P("unable", "to", "~^(dress|bathe|shower|cook|clean|shop|drive|vacuum|garden|groom|perform|care)$")),
    ("activities", P("~^(independent|dependent)$", "~^(with|in|for)$", "~^(all|his|her|basic)?$", "~^(adls?|self-care|dressing|bathing|grooming)$")),
]

# ConText modifiers added to (and some removed from) medspaCy's defaults.
# dropped defaults: "return" (return to work), ": no" (takes "L5-S1: No herniation" backwards)
CONTEXT_DROP = {"return", "come back for", "as needed", "history", "presentation", ": no"}
CONTEXT_RULES: list[tuple[str, str, str, Pattern | None]] = [
    # literal, category, direction, pattern
    ("negative", "NEGATED_EXISTENCE", "FORWARD", None),
    # "SLR negative." / "FABER negative," : a trailing "negative" reaches back one word
    # (a modifier overlapping its target is ignored by ConText, so "test negative" is not a rule here)
    ("negative (after the finding)", "NEGATED_EXISTENCE", "BACKWARD", [{"LOWER": {"IN": ["negative", "neg"]}}, {"IS_PUNCT": True}]),
    ("negative (after the finding) ", "NEGATED_EXISTENCE", "BACKWARD", [{"LOWER": {"IN": ["negative", "neg"]}}, {"LOWER": {"IN": ["on", "at", "in", "today", "throughout"]}}]),
    ("do not document", "NEGATED_EXISTENCE", "FORWARD", None),
    ("does not document", "NEGATED_EXISTENCE", "FORWARD", None),
    ("did not document", "NEGATED_EXISTENCE", "FORWARD", None),
    ("negative for", "NEGATED_EXISTENCE", "FORWARD", None),
    ("was negative", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("were negative", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("is negative", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("are negative", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("negative bilaterally", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("was absent", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("were absent", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("not present", "NEGATED_EXISTENCE", "BACKWARD", None),
    # care named before the statement that it was never given: "Acupuncture has not been tried", "ESI was
    # never done", "injections not yet tried"
    ("has not been tried", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("have not been tried", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("was not tried", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("were not tried", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("not yet tried", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("has never been tried", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("has not been done", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("was never done", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("has not been attempted", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("not attempted", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("no indications of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("no indication of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("no documentation of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("no evidence of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("no reported", "NEGATED_EXISTENCE", "FORWARD", None),
    ("no signs of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("has not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("have not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("had not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("did not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("does not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("do not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("is not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("not", "NEGATED_EXISTENCE", "FORWARD", None),
    ("never", "NEGATED_EXISTENCE", "FORWARD", None),
    ("nor", "NEGATED_EXISTENCE", "FORWARD", None),
    ("free of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("absence of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("lack of", "NEGATED_EXISTENCE", "FORWARD", None),
    ("resolved", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("were not", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("was not", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("not noted", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("not documented", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("not reported", "NEGATED_EXISTENCE", "BACKWARD", None),
    ("denies", "NEGATED_EXISTENCE", "FORWARD", None),
    ("denied", "NEGATED_EXISTENCE", "FORWARD", None),
    ("if", "HYPOTHETICAL", "FORWARD", None),
    ("should", "HYPOTHETICAL", "FORWARD", None),
    ("would consider", "HYPOTHETICAL", "FORWARD", None),
    ("will consider", "HYPOTHETICAL", "FORWARD", None),
    ("may consider", "HYPOTHETICAL", "FORWARD", None),
    ("consider", "HYPOTHETICAL", "FORWARD", None),
    ("in case of", "HYPOTHETICAL", "FORWARD", None),
    ("in the event", "HYPOTHETICAL", "FORWARD", None),
    ("unless", "HYPOTHETICAL", "FORWARD", None),
    ("goal", "HYPOTHETICAL", "FORWARD", None),
    ("is anticipated", "HYPOTHETICAL", "BACKWARD", None),
    ("is expected", "HYPOTHETICAL", "BACKWARD", None),
    ("is planned", "HYPOTHETICAL", "BACKWARD", None),
    ("anticipated", "HYPOTHETICAL", "FORWARD", None),
    ("recommend", "HYPOTHETICAL", "FORWARD", None),
    ("recommended", "HYPOTHETICAL", "BACKWARD", None),
    ("is recommended", "HYPOTHETICAL", "BACKWARD", None),
    ("motivated to", "HYPOTHETICAL", "FORWARD", None),
    ("wants to", "HYPOTHETICAL", "FORWARD", None),
    ("wishes to", "HYPOTHETICAL", "FORWARD", None),
    ("hopes to", "HYPOTHETICAL", "FORWARD", None),
    ("would like to", "HYPOTHETICAL", "FORWARD", None),
    ("plans to", "HYPOTHETICAL", "FORWARD", None),
    ("goals", "HYPOTHETICAL", "FORWARD", None),
    ("to monitor for", "HYPOTHETICAL", "FORWARD", None),
    ("monitor for", "HYPOTHETICAL", "FORWARD", None),
    ("risk of", "HYPOTHETICAL", "FORWARD", None),
    # issue 11 (devdec): what a study is ordered to look for is not its result ("MRI to evaluate for a meniscal tear")
    ("to evaluate for", "HYPOTHETICAL", "FORWARD", None),
    ("evaluate for", "HYPOTHETICAL", "FORWARD", None),
    ("to assess for", "HYPOTHETICAL", "FORWARD", None),
    ("to look for", "HYPOTHETICAL", "FORWARD", None),
    # what a test is ordered to tell apart (issue #11, other9): "EMG/NCV to differentiate CTS vs cervical radiculopathy"
    ("to differentiate", "HYPOTHETICAL", "FORWARD", None),
    ("to distinguish", "HYPOTHETICAL", "FORWARD", None),
    ("history of", "HISTORICAL", "FORWARD", None),
    ("past history of", "HISTORICAL", "FORWARD", None),
    ("prior history of", "HISTORICAL", "FORWARD", None),
    ("previously", "HISTORICAL", "BIDIRECTIONAL", None),
    ("in the past", "HISTORICAL", "BACKWARD", None),
    ("years ago", "HISTORICAL", "BACKWARD", None),
    ("at the time of injury", "HISTORICAL", "BIDIRECTIONAL", None),
    ("initially", "HISTORICAL", "FORWARD", None),
    ("had resolved", "HISTORICAL", "BACKWARD", None),
    # the scope of a modifier ends at a contrast or at a new positive statement
    ("but", "TERMINATE", "TERMINATE", None),
    ("however", "TERMINATE", "TERMINATE", None),
    ("although", "TERMINATE", "TERMINATE", None),
    ("though", "TERMINATE", "TERMINATE", None),
    ("positive", "TERMINATE", "TERMINATE", None),
    ("with positive", "TERMINATE", "TERMINATE", None),
    ("otherwise", "TERMINATE", "TERMINATE", None),
    ("normal", "TERMINATE", "TERMINATE", None),
    ("when", "TERMINATE", "TERMINATE", None),
    ("while", "TERMINATE", "TERMINATE", None),
    ("normally", "TERMINATE", "TERMINATE", None),
    ("currently", "TERMINATE", "TERMINATE", None),
    ("today", "TERMINATE", "TERMINATE", None),
    ("presently", "TERMINATE", "TERMINATE", None),
    (";", "TERMINATE", "TERMINATE", None),
    ("then", "TERMINATE", "TERMINATE", None),
    ("he reports", "TERMINATE", "TERMINATE", None),
    ("she reports", "TERMINATE", "TERMINATE", None),
    ("reports", "TERMINATE", "TERMINATE", None),
    # (drugs9) a result stated as fine ends a list's negation: "No aberrant behavior, CURES ok, agreement signed"
    ("ok", "TERMINATE", "TERMINATE", None),
    ("consistent", "TERMINATE", "TERMINATE", None),
    ("c/w", "TERMINATE", "TERMINATE", None),
]

# Section headers (medspaCy Sectionizer): a header at the start of a line, followed by a colon.
SECTION_RULES: list[tuple[str, str]] = [
    ("history of present illness", "hpi"),
    ("subjective", "hpi"),
    ("chief complaint", "hpi"),
    ("past medical history", "past_history"),
    ("past surgical history", "past_history"),
    ("past history", "past_history"),
    ("prior treatment", "past_history"),
    ("prior treatments", "past_history"),
    ("treatment history", "past_history"),
    ("current medications", "medications"),
    ("medications", "medications"),
    ("prior medications", "past_medications"),
    ("past medications", "past_medications"),
    ("discontinued medications", "past_medications"),
    ("physical examination", "exam"),
    ("physical exam", "exam"),
    ("examination", "exam"),
    ("objective", "exam"),
    ("objective findings", "exam"),
    ("diagnoses", "diagnoses"),
    ("diagnosis", "diagnoses"),
    ("assessment", "assessment"),
    ("impression", "impression"),
    ("findings", "findings"),
    ("plan", "plan"),
    ("treatment plan", "plan"),
    ("plan of care", "plan"),
    ("assessment / plan", "plan"),  # tokens: "assessment", "/", "plan"
    ("assessment and plan", "plan"),
    ("assessment & plan", "plan"),
    ("recommendations", "plan"),
    ("recommendation", "plan"),
    ("request", "request"),
    ("item", "request"),
    ("items", "request"),
    ("item requested", "request"),
    ("service requested", "request"),
    ("treatment requested", "request"),
    ("requests", "request"),
    ("requested", "request"),
    ("requested treatment", "request"),
    ("requested services", "request"),
    ("decision", "decision"),
    ("determination", "decision"),
    ("clinical summary", "summary"),
    ("clinical", "summary"),
    ("summary", "summary"),
    ("history", "hpi"),
    ("interval history", "hpi"),
    ("rationale", "rationale"),
    ("justification", "rationale"),
    ("comparison", "findings"),
    ("results", "findings"),
    ("result", "findings"),
    ("nerve conduction studies", "findings"),
    ("needle emg", "findings"),
    ("technique", "findings"),
    ("interpretation", "impression"),
    ("conclusion", "impression"),
    ("conclusions", "impression"),
    ("summary and interpretation", "impression"),
    ("clinical history", "hpi"),
    ("indication", "indication"),
    ("indications", "indication"),
    ("reason for referral", "indication"),
    ("reason for exam", "indication"),
    ("reason for study", "indication"),
    ("work status", "work_status"),
    ("disability status", "work_status"),
    # the SOAP letters of a PR-2 note ("S:", "O:", "A:", "P:") and its short headers: which part of the note
    # speaks - a drug under "P:" is a plan unless continued, "Hx:" is history
    ("s", "hpi"),
    ("o", "exam"),
    ("a", "assessment"),
    ("p", "plan"),
    ("a / p", "plan"),
    ("hx", "hpi"),
    ("pmh", "past_history"),
    ("psh", "past_history"),
    ("exam", "exam"),
    ("dx", "diagnoses"),
    ("imp", "impression"),
    ("a & p", "plan"),
    ("recs", "plan"),
    ("rec", "plan"),
    ("tx plan", "plan"),
    ("meds", "medications"),
    ("current meds", "medications"),
    ("past meds", "past_medications"),
    ("prior meds", "past_medications"),
    ("ddx", "diagnoses"),
    # a family history is not the worker's (issue #11, dxread: "FHx: CAD, DM" is no comorbidity)
    ("family history", "family_history"),
    ("family hx", "family_history"),
    ("fhx", "family_history"),
    ("fh", "family_history"),
]

# The SOAP letters written with a dash at the start of a line ("S - ...", "P - Robaxin 750 bid") (goldread)
SECTION_DASH_RULES: list[tuple[str, str]] = [("s", "hpi"), ("o", "exam"), ("a", "assessment"), ("p", "plan")]


# --- speed: the spaCy Matcher checks every pattern's first token at every token; an exact LOWER/TEXT
# value is checked in C, a REGEX / IN predicate is a Python call. Patterns are therefore expanded so
# that their first token is an exact string wherever the regex is a finite set of words.


def _expand_regex(rx: str, limit: int = 64) -> list[str] | None:
    """All strings a simple anchored regex (literals, (a|b) groups, '?') matches; None if infinite."""
    if not (rx.startswith("^") and rx.endswith("$")):
        return None
    body = rx[1:-1]
    if re.search(r"[*+.\[\]{}]|\\[a-zA-Z]", body.replace("\\+", "").replace("\\.", "")):
        return None

    def alts(s: str) -> list[str] | None:
        # split s at top-level '|'
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            if ch == "|" and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        out: list[str] = []
        for p in parts:
            seq = seq_expand(p)
            if seq is None:
                return None
            out.extend(seq)
        return out

    def seq_expand(s: str) -> list[str] | None:
        results = [""]
        i = 0
        while i < len(s):
            ch = s[i]
            if ch == "(":
                depth, j = 1, i + 1
                while j < len(s) and depth:
                    depth += {"(": 1, ")": -1}.get(s[j], 0)
                    j += 1
                inner = alts(s[i + 1 : j - 1])
                if inner is None:
                    return None
                opts = inner
                i = j
            elif ch == "\\" and i + 1 < len(s):
                opts = [s[i + 1]]
                i += 2
            else:
                opts = [ch]
                i += 1
            if i < len(s) and s[i] == "?":
                opts = opts + [""]
                i += 1
            results = [r + o for r in results for o in opts]
            if len(results) > limit:
                return None
        return results

    return alts(body)


def expand_first_token(pattern: Pattern) -> list[Pattern]:
    """Equivalent patterns whose first token is an exact LOWER/TEXT value (when finite)."""
    if not pattern:
        return [pattern]
    first, rest = pattern[0], pattern[1:]
    if first.get("OP") or set(first) - {"LOWER", "TEXT"}:
        return [pattern]
    value = first.get("LOWER", first.get("TEXT"))
    key = "LOWER" if "LOWER" in first else "TEXT"
    words: list[str] | None = None
    if isinstance(value, str):
        return [pattern]
    if isinstance(value, dict) and "IN" in value:
        words = list(value["IN"])
    elif isinstance(value, dict) and "REGEX" in value and key == "LOWER":
        words = _expand_regex(value["REGEX"])
    if not words:
        return [pattern]
    return [[{key: w}] + rest for w in dict.fromkeys(words) if w]
