"""Benchmark: extract_facts on a ~10,000-word case record (median of several runs, one core).

    .venv/bin/python benchmarks/bench_extract.py
"""

from __future__ import annotations

import os
import statistics
import time

from openimr.extract import extract_facts
from openimr.extract.pipeline import get_nlp
from openimr.models.case import CaseFile, DisputedItem, Document

NOTE = """PRIMARY TREATING PHYSICIAN'S PROGRESS REPORT
Date of injury: 03/14/2012. The patient is a 52 year old male warehouse worker.
SUBJECTIVE: He reports low back pain radiating to the left leg with numbness in the left foot. Pain is rated
7/10 without medications and 4/10 with medications. He denies bowel or bladder dysfunction. He has completed
12 sessions of physical therapy and 6 visits of acupuncture with 30% relief for 2 weeks.
CURRENT MEDICATIONS: Norco 10/325 mg one tablet every 6 hours as needed, Soma 350 mg twice daily (since at least
01/2014), omeprazole 20 mg daily. No side effects reported. Urine drug screen on 02/02/2015 was consistent.
CURES report reviewed. An opioid agreement is on file.
PHYSICAL EXAMINATION: Tenderness to palpation of the lumbar paraspinal muscles with spasm. Decreased range of
motion. Straight leg raise is positive on the left at 45 degrees. Strength is 5/5. Sensation is decreased in the
left L5 dermatome. Reflexes are 2+ and symmetric. FABER test was negative bilaterally.
MRI of the lumbar spine dated 05/06/2013 showed a 4 mm disc protrusion at L4-L5 with moderate foraminal stenosis.
ASSESSMENT: 1. Lumbar radiculopathy M54.16. 2. Lumbar disc protrusion.
PLAN: Request authorization for left L4-5 transforaminal epidural steroid injection. If symptoms persist, would
consider surgical consultation. Continue home exercise program. Work status: modified duty.
"""


def record(words: int = 10_000) -> str:
    n = len(NOTE.split())
    return "\n\n".join(NOTE for _ in range(max(1, words // n)))


def main() -> None:
    # the in-process facts cache would turn every run after the first into a look-up
    os.environ.setdefault("OPENIMR_FACTS_CACHE", "0")
    text = record()
    case = CaseFile(disputed_items=[DisputedItem(request="Soma 350mg #60")], documents=[Document(id="r", text=text)])
    t0 = time.perf_counter()
    get_nlp()
    load = time.perf_counter() - t0
    extract_facts(case)  # warm-up
    runs, cpu = [], []
    for _ in range(7):
        t, c = time.perf_counter(), time.process_time()
        facts = extract_facts(case)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"pipeline load: {load:.2f} s")
    print(f"record: {len(text.split())} words, {len(text)} chars")
    print(f"extract_facts median: {statistics.median(runs):.3f} s wall (min {min(runs):.3f}, max {max(runs):.3f}, n={len(runs)})")
    print(f"extract_facts median: {statistics.median(cpu):.3f} s CPU (one core; min {min(cpu):.3f})")
    # the spaCy/medspaCy pipeline alone (tokenizer, matchers, sectionizer, ConText), as extract_facts runs it
    from openimr.extract.facts import _chunks

    nlp = get_nlp()
    pieces = [p for _, p in _chunks(text)]
    pipe = []
    for _ in range(7):
        c = time.process_time()
        for _doc in nlp.pipe(pieces):
            pass
        pipe.append(time.process_time() - c)
    print(f"pipeline alone median: {statistics.median(pipe):.3f} s CPU (min {min(pipe):.3f}); the rest of extract_facts is openimr.extract.facts")
    print(f"facts: {len(facts.findings)} findings, {len(facts.medications)} medications, {len(facts.pain)} pain scores")


if __name__ == "__main__":
    main()
