"""The named facts that tie the three stages together.

- The fact extractor emits `Finding`s whose `name` is one of `FINDINGS`, and `Treatment`s whose
  `kind` is one of `TREATMENT_KINDS`.
- Guideline criteria (YAML) test facts by the names in `FACTS` (and the patterns in `FACT_PATTERNS`).
- The engine derives each named fact for one disputed item from the case facts and the classified
  request; a fact the record does not document is None (and a criterion on it is "undocumented").

Add names here (with a meaning) before using them anywhere; the knowledge-base loader rejects a
criterion that names a fact not listed here.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

FactType = Literal["bool", "int", "float", "str"]


class FactSpec(NamedTuple):
    type: FactType
    meaning: str


# Clinical findings the extractor names, each emitted with present=True/False.
FINDINGS: dict[str, str] = {
    "straight_leg_raise": "straight leg raise test positive",
    "muscle_spasm": "muscle spasm on examination or reported",
    "acute_exacerbation": "an acute flare-up / exacerbation of pain is documented",
    "facet_loading": "facet loading / facet provocation positive",
    "facet_tenderness": "tenderness over the facet joints",
    "radicular_pain": "radiating (radicular) limb pain",
    "dermatomal_sensory_loss": "sensory loss/dysesthesia in a dermatomal distribution",
    "motor_weakness": "motor weakness on examination",
    "reflex_change": "diminished/absent/asymmetric reflexes",
    "si_faber": "sacroiliac provocation: FABER/Patrick test positive",
    "si_gaenslen": "sacroiliac provocation: Gaenslen test positive",
    "si_thigh_thrust": "sacroiliac provocation: thigh thrust / posterior shear positive",
    "si_compression": "sacroiliac provocation: compression test positive",
    "si_distraction": "sacroiliac provocation: distraction test positive",
    "si_sacral_thrust": "sacroiliac provocation: sacral thrust positive",
    "si_fortin_finger": "sacroiliac: Fortin finger sign positive",
    "si_tenderness": "tenderness over the sacroiliac joint / sulcus",
    "trigger_points": "myofascial trigger points with twitch response / referred pain",
    "mechanical_symptoms": "mechanical symptoms: locking, catching, giving way",
    "instability": "joint instability on examination",
    "red_flags": "red flags (cauda equina, progressive deficit, fracture, tumor, infection)",
    "progressive_neurologic_deficit": "progressive neurologic deficit",
    "uds_consistent": "urine drug screen consistent with prescribed medications",
    "cures_reviewed": "CURES (prescription drug monitoring) report reviewed",
    "opioid_agreement": "opioid agreement / pain contract on file",
    "aberrant_behavior": "aberrant drug-related behavior",
    "adverse_effects": "adverse medication effects (side effects)",
    "functional_improvement": "objective functional improvement documented",
    "return_to_work": "returned to work",
    "gi_risk_factors": "gastrointestinal risk factors (age > 65, GI bleed/ulcer history, anticoagulant/steroid/ASA, high-dose NSAID)",
    "gi_symptoms": "gastrointestinal symptoms (dyspepsia, reflux, abdominal pain)",
    "insomnia": "sleep disturbance / insomnia",
    "anxiety": "anxiety",
    "depression": "depression",
    "neuropathic_pain": "neuropathic pain",
    "edema_swelling": "swelling / effusion",
    "limited_range_of_motion": "decreased range of motion",
    "tenderness": "tenderness to palpation",
    "home_exercise_program": "home exercise program in place",
    "failed_conservative_treatment": "conservative treatment tried and failed",
    "positive_provocative_test": "a provocative test positive (region-specific)",
    "impingement_signs": "shoulder impingement signs positive",
    "tinel_phalen": "Tinel and/or Phalen sign positive",
}

# Kinds of treatment the extractor normalizes to.
TREATMENT_KINDS: tuple[str, ...] = (
    "physical therapy",
    "chiropractic",
    "acupuncture",
    "massage",
    "aquatic therapy",
    "home exercise program",
    "psychotherapy",
    "cognitive behavioral therapy",
    "biofeedback",
    "work conditioning",
    "functional restoration program",
    "injection",
    "epidural steroid injection",
    "facet injection",
    "medial branch block",
    "radiofrequency ablation",
    "sacroiliac joint injection",
    "trigger point injection",
    "botox",
    "surgery",
    "tens",
    "bracing",
    "medications",
    "nsaids",
    "spinal cord stimulator",
)

# Facts the engine derives for one disputed item. Criteria may test only these (and FACT_PATTERNS).
FACTS: dict[str, FactSpec] = {
    # the request itself (from the classifier and the disputed item)
    "request.specified": FactSpec("bool", "the request names a dose/strength and a quantity or frequency (drugs), or a count (visits)"),
    "request.quantity": FactSpec("int", "units requested (#90 -> 90)"),
    "request.sessions": FactSpec("int", "visits/sessions requested (2x6 -> 12)"),
    "request.levels_count": FactSpec("int", "number of spinal levels (or joints) requested"),
    "request.bilateral": FactSpec("bool", "the request is bilateral"),
    "request.purpose_stated": FactSpec("bool", "the record states the purpose of the requested procedure (diagnostic or therapeutic)"),
    "request.is_repeat": FactSpec("bool", "the same treatment was given before (repeat injection, more sessions)"),
    # the requested drug, as taken per the record
    "medication.current": FactSpec("bool", "the requested drug is already being taken"),
    "medication.duration_days": FactSpec("int", "days the requested drug has been taken at the request date"),
    "medication.concurrent_opioid": FactSpec("bool", "an opioid is taken at the same time"),
    "medication.other_opioid_before": FactSpec("bool", "another opioid is or was taken before this request (r10drug)"),
    "medication.concurrent_benzodiazepine": FactSpec("bool", "a benzodiazepine is taken at the same time"),
    "medication.first_line_tried": FactSpec("bool", "first-line alternatives for the indication were tried (e.g. NSAIDs, acetaminophen, antidepressants/antiepileptics for neuropathic pain)"),
    "medication.laxative_first_line_failed": FactSpec("bool", "a first-line laxative (senna, docusate, polyethylene glycol ...) was taken and the constipation is not said to be controlled with it"),
    "request.second_line_laxative": FactSpec("bool", "the request is a prescription agent for opioid-induced constipation (lubiprostone, methylnaltrexone, naloxegol ...)"),
    "medication.neuropathic_first_line_tried": FactSpec("bool", "an antidepressant (tricyclic or SNRI) or an anticonvulsant (gabapentin, pregabalin ...) was tried: the first-line oral agents for neuropathic pain"),
    "medication.nsaid_current": FactSpec("bool", "an NSAID is currently taken"),
    "medication.indication_documented": FactSpec("bool", "the record gives the reason the drug is prescribed"),
    "medication.daily_med": FactSpec("float", "morphine equivalent dose per day of all opioids, when computable"),
    # pain and the 4 A's of opioid monitoring
    "pain.documented": FactSpec("bool", "pain is scored in the record"),
    "pain.relief_with_medication": FactSpec("bool", "pain with medication is documented lower than without, or percent relief is documented"),
    "pain.latest_score": FactSpec("float", "most recent pain score (0-10)"),
    "opioid.four_as_documented": FactSpec("bool", "analgesia, activities of daily living, adverse effects and aberrant behavior are each documented"),
    "opioid.monitoring_documented": FactSpec("bool", "urine drug screening and/or CURES review and an opioid agreement are documented"),
    # prior treatment
    "treatment.conservative_tried": FactSpec("bool", "conservative care (therapy, medications, home exercise) was tried"),
    "treatment.conservative_failed": FactSpec("bool", "conservative care was tried without adequate relief"),
    "treatment.prior_same.relief_percent": FactSpec("int", "percent relief from the same treatment given before"),
    "treatment.prior_same.relief_weeks": FactSpec("float", "weeks the relief from the same treatment lasted"),
    "treatment.prior_same.functional_improvement": FactSpec("bool", "the same treatment given before improved function or reduced medication"),
    "treatment.prior_same.sessions": FactSpec("int", "sessions of the same therapy already completed"),
    "treatment.surgery.days_since": FactSpec("int", "days from the most recent surgery on the region to the request"),
    "treatment.prior_surgery_region": FactSpec("bool", "prior surgery on the requested body region"),
    # plans and diagnoses
    "plan.neurotomy": FactSpec("bool", "a facet neurotomy (radiofrequency ablation) is planned"),
    "plan.surgery": FactSpec("bool", "surgery is planned or being considered"),
    "plan.active_therapy": FactSpec("bool", "the plan includes an active program (exercise / therapy / return to work) alongside the request"),
    "diagnosis.indication_severe": FactSpec("bool", "the diagnosis the guideline names as the indication is documented as severe (severe, advanced, end-stage, bone-on-bone, grade IV): True; as mild, moderate or early: False"),
    "diagnosis.radiculopathy": FactSpec("bool", "radiculopathy is diagnosed"),
    "diagnosis.region_matches": FactSpec("bool", "a diagnosis in the requested body region is documented"),
    "diagnosis.specific_indication": FactSpec("bool", "a diagnosis the guideline names as an indication for the requested treatment is documented"),
    "radiculopathy.corroborated": FactSpec("bool", "radiculopathy on exam corroborated by imaging or electrodiagnostic testing"),
    "imaging.nerve_root_involvement": FactSpec("bool", "imaging shows nerve root compromise"),
    "imaging.prior_same_region": FactSpec("bool", "imaging of the same region was already done"),
    "imaging.prior_same_study": FactSpec("bool", "a study of the requested modality (MRI, x-ray) of the same region was already done: the request repeats it"),
    "imaging.pathology_documented": FactSpec("bool", "imaging documents the structural lesion the request treats"),
    "electrodiagnostics.radiculopathy": FactSpec("bool", "EMG/NCV shows radiculopathy"),
    "pain.localized": FactSpec("bool", "pain is localized to the structure treated (not diffuse/multifocal)"),
    "pain.duration_weeks": FactSpec("int", "weeks the pain (or the injury) has lasted at the request date"),
    "function.documented": FactSpec("bool", "functional status (ADLs, work) is documented"),
    "function.goals_documented": FactSpec("bool", "specific functional goals are documented"),
    "work.return_to_work_goal": FactSpec("bool", "return to work is a documented goal"),
    "psych.evaluation_done": FactSpec("bool", "a psychological evaluation was done"),
    "request.refills": FactSpec("int", "refills the drug request asks for beyond the first supply (0 when it names none)"),
    "request.evaluation": FactSpec("bool", "the request is one evaluation (a psychological evaluation, an assessment), not a course of treatment"),
    "patient.motivated": FactSpec("bool", "the record documents motivation to change / willingness to forgo secondary gains"),
    "patient.age": FactSpec("int", "age in years"),
    "homebound": FactSpec("bool", "the worker is homebound"),
    "injury.acute_carpal_tunnel": FactSpec("bool", "acute carpal tunnel syndrome: a wrist fracture under 6 weeks old with numbness in the median nerve's distribution"),
    "exam.findings_documented": FactSpec("bool", "a physical examination of the requested region is documented"),
    "symptoms.region_documented": FactSpec("bool", "complaints/symptoms in the requested organ system or region are documented"),
    # added for the procedure / non-drug topics (KB author P)
    "request.therapeutic": FactSpec("bool", "the record states the requested injection is therapeutic (True) or diagnostic (False)"),
    "request.reason_stated": FactSpec("bool", "the record states the clinical reason or question for the requested service (why this visit, consultation, test, evaluation or equipment is needed)"),
    "medication.antispasticity_indication": FactSpec("bool", "the requested drug is an antispasticity agent (baclofen, tizanidine, dantrolene) and a diagnosis names spasticity of central origin (spinal cord injury, multiple sclerosis, myelopathy)"),
    "radiculopathy.imaging_corroborated": FactSpec("bool", "radiculopathy on examination with imaging of the region showing nerve root involvement (an electrodiagnostic study does not count)"),
    "request.post_operative": FactSpec("bool", "a drug requested for the pain of a surgery: the request says post-operative and the surgery is disputed with it or documented before it"),
    "request.viscosupplementation": FactSpec("bool", "the requested joint injection (knee, shoulder) is hyaluronic acid / viscosupplementation (Synvisc, Orthovisc, Supartz, Euflexxa, Hyalgan, Gel-One, Monovisc)"),
    "request.trial": FactSpec("bool", "the request is for a trial (SCS trial, one-month TENS / H-wave / IF trial or rental): True; implant or purchase: False"),
    "request.duration_days": FactSpec("int", "days of use or rental requested for a device (\"7-day rental\" -> 7)"),
    "request.total_sessions": FactSpec("int", "sessions of the same therapy already completed plus those requested (treatment.prior_same.sessions + request.sessions; request.sessions alone when none were completed)"),
    "request.body_region": FactSpec("str", "body region of the request, one of: lumbar, thoracic, cervical, shoulder, elbow, wrist/hand, hip, knee, ankle/foot, upper extremity, lower extremity"),
    "request.skilled_care": FactSpec("bool", "requested home services include medical care (skilled nursing, therapy, wound care), not only homemaker or personal care"),
    "request.hours_per_week": FactSpec("float", "hours per week of home services requested"),
    "request.intermittent_visits": FactSpec("bool", "the home services requested are visits of a nurse or therapist, counted by visit or day, not hours of attendance"),
    "home_health.post_acute": FactSpec("bool", "the worker is in the weeks after a major surgery or a hospital stay (post-operative visits, a healing incision, discharge from hospital)"),
    "treatment.surgery.type": FactSpec("str", "the most recent surgery on the region, one of: discectomy, laminectomy, lumbar fusion, cervical fusion, meniscectomy, knee arthroscopy, acl reconstruction, knee arthroplasty, rotator cuff repair, subacromial decompression, shoulder arthroscopy, carpal tunnel release, other"),
    "diagnostic_block.positive": FactSpec("bool", "a diagnostic medial branch block at the requested levels gave a documented positive response (about 70% or more pain relief for the anesthetic's duration)"),
    "electrodiagnostics.radiculopathy_in_region": FactSpec("bool", "an EMG/NCV shows radiculopathy of the requested spine region (its region, level or root names it): True; studies documented without it: False"),
    "electrodiagnostics.carpal_tunnel": FactSpec("bool", "nerve conduction studies show median neuropathy at the wrist (carpal tunnel syndrome)"),
    "symptoms.significant_change": FactSpec("bool", "a significant change in symptoms or findings since the last study of the region is documented"),
    "opioid.current": FactSpec("bool", "the worker is currently prescribed an opioid (any)"),
    "uds.count_past_year": FactSpec("int", "urine drug screens documented in the 12 months before the request"),
    "patient.bmi": FactSpec("float", "the body-mass index a clinical note states"),
    "hardware.symptomatic": FactSpec("bool", "fixation hardware is painful, prominent or broken in its own right"),
    "hardware.other_causes_excluded": FactSpec("bool", "the fracture the hardware fixed is documented healed"),
    "treatment.mood_or_sleep_improved": FactSpec("bool", "a clinical note documents mood or sleep better (an antidepressant's effect)"),
    "diagnosis.infection": FactSpec("bool", "a clinical note documents a bacterial infection (cellulitis, an infected wound, an abscess, osteomyelitis, a septic joint)"),
    "work.mmi": FactSpec("bool", "the worker is documented at or near maximal medical improvement (permanent and stationary)"),
    # added (issue 10): facts for the imaging, DME and service topics of the real disputes
    "imaging.radiographs_done": FactSpec("bool", "plain radiographs (x-rays) of the requested region are documented"),
    "function.mobility_limited": FactSpec("bool", "the record documents the worker cannot walk safely (non-ambulatory, non-weight-bearing, bed- or wheelchair-bound)"),
    "function.cannot_self_transport": FactSpec("bool", "the record documents the worker cannot drive or use public transport and has no other way to reach appointments"),
    "opioid.risk_level": FactSpec("str", "the documented risk of opioid misuse (risk tool or the physician's stratification): low, moderate or high"),
    "request.approach": FactSpec("str", "the approach of a requested epidural injection: transforaminal, interlaminar or caudal"),
    "hearing.loss_documented": FactSpec("bool", "hearing loss is documented by audiometry (audiogram) or an examination finding"),
    # issue 11 (devdec): services that exist only for a procedure disputed in the same case
    "procedure.associated_necessary": FactSpec("bool", "the surgery disputed in the same case, drafted first: True if one is drafted medically necessary, False if every one is drafted not necessary, None if none is disputed or decided"),
    "procedure.single_level_anterior_cervical_fusion": FactSpec("bool", "the surgery disputed with this item is an anterior cervical fusion (ACDF) of one level (True) or of more (False)"),
    # issue 11 (r11dme): a fracture seen
    "finding.fracture": FactSpec("bool", "a clinical note states a fracture as present (a diagnosis, or a film read as showing one), not ruled out, suspected or healed: True; otherwise unknown"),
    # issue 11 (r11dme): a fracture suspected after normal radiographs
    "finding.suspected_fracture": FactSpec("bool", "a clinical note suspects a fracture not yet seen (rule out an occult or scaphoid fracture, anatomic snuffbox tenderness): True; otherwise unknown"),
    # issue 11 (r11dme): an assistant surgeon for an operation where one is customary
    "procedure.assistant_customary": FactSpec("bool", "the operation an assistant surgeon would serve (disputed in the same case, or planned in a note) is a joint replacement or a spinal fusion, for which an assistant is customary: True; otherwise unknown"),
    "procedure.associated_kind": FactSpec("str", "the kind of the operation drafted necessary that the item accompanies, as ODG groups them for length of stay: fusion, arthroplasty, decompression, arthroscopy"),
    "procedure.associated_request": FactSpec("str", "the request(s) of the surgery disputed in the same case, as written"),
    "electrodiagnostics.prior_same_limb": FactSpec("bool", "an electrodiagnostic study of the limb to be tested is documented (its result, or a finding it ruled out in that limb)"),
    "request.perioperative": FactSpec("bool", "the request itself names surgery as its purpose (pre-op, post-op, associated surgical service, after surgery)"),
    # issue 11 (dxread): walking limited short of not walking at all
    # issue 11 (drugs9): a condition the topic names as a contraindication (CKD, anticoagulation for an NSAID)
    "diagnosis.contraindication": FactSpec("bool", "a condition the guideline names as a contraindication for the requested treatment is documented among the diagnoses or the comorbidities: True; none documented: False"),
    # issue 11 (drugs9): a sedating antidepressant requested for sleep
    "medication.tricyclic": FactSpec("bool", "the requested drug is a tricyclic antidepressant by its class in the drug lexicon (amitriptyline, nortriptyline ...): True; any other drug: False"),
    "medication.sedating_antidepressant": FactSpec("bool", "the requested drug is an antidepressant by its class in the drug lexicon (trazodone, doxepin, amitriptyline ...): True; any other drug: False"),
    "function.gait_impaired": FactSpec("bool", "the record documents walking that is unsafe or limited (antalgic or unsteady gait, walks with a cane or walker, falls or near-falls, a short walking distance, protected weight bearing, a leg that gives way, transfers needing help or called difficult, or cannot walk safely): True; a normal gait or walking independently: False"),
    # issue 11 (other9): referrals and evaluations
    "request.tests_per_year": FactSpec("int", "how many tests a request for a series (\"monthly x12\", \"quarterly\") asks for within a year"),
    "request.pain_referral": FactSpec("bool", "the request is a referral to a pain-medicine or addiction-medicine specialist"),
    "request.psych_referral": FactSpec("bool", "the request is a referral to psychiatry or psychology (a psychiatric or psychological consultation)"),
    "request.surgical_referral": FactSpec("bool", "the request is a referral to a surgeon (orthopedic, hand, spine or neurosurgical consultation)"),
    "request.nerve_conduction_only": FactSpec("bool", "the request names nerve conduction studies (NCV/NCS) and not electromyography (EMG)"),
    "diagnosis.peripheral_nerve": FactSpec("bool", "a peripheral neuropathy or nerve entrapment (or diabetes) is diagnosed or suspected: True; the record denies neuropathy and diabetes or names no such problem: False"),
    "diagnosis.crps": FactSpec("bool", "complex regional pain syndrome (CRPS, reflex sympathetic dystrophy, causalgia) is diagnosed: True; no diagnosis names it: False"),
    "request.confirmatory_testing": FactSpec("bool", "the requested drug test is confirmatory (chromatography or mass spectrometry, LC/MS or GC/MS, quantitative confirmation)"),
    "plan.implant": FactSpec("bool", "a spinal cord stimulator or an implanted drug delivery system (intrathecal pump) is requested or planned in the case"),
}

# Families of facts: `finding.<name>` for every name in FINDINGS (bool: present / documented absent / None)
# and counts of positive sacroiliac provocation tests.
FACT_PATTERNS: dict[str, FactSpec] = {
    r"finding\.(" + "|".join(FINDINGS) + r")": FactSpec("bool", "a named finding: True present, False documented absent, None not mentioned"),
    r"finding\.si_positive_count": FactSpec("int", "number of positive sacroiliac provocation tests"),
    r"treatment\.(" + "|".join(k.replace(" ", "_") for k in TREATMENT_KINDS) + r")\.(tried|sessions)": FactSpec(
        "int", "tried (bool) / sessions completed (int) of a treatment kind"
    ),
}

_PATTERNS = [(re.compile(p + r"$"), spec) for p, spec in FACT_PATTERNS.items()]


def fact_spec(name: str) -> FactSpec | None:
    """The spec for a fact name, or None if the name is not in the vocabulary."""
    if name in FACTS:
        return FACTS[name]
    for rx, spec in _PATTERNS:
        if rx.match(name):
            if name.endswith(".tried"):
                return FactSpec("bool", spec.meaning)
            return spec
    return None
