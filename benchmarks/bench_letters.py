"""Letter reader throughput: the real dev letters against a bare read-and-split, then thousands of
generated letters, parsed, in letters/s.

    .venv/bin/python benchmarks/bench_letters.py [--real-rounds 15] [--letters 5000] [--pdf 50]

Real letters: the 92 dev letters' text (extracted once from their PDFs into text files), parsed from
the files (`parse_letter_file`) and, in the same rounds interleaved, read and split into lines and
words; reported as CPU time and the ratio between the two.

Letters are synthetic Determinations (random but realistic: states, specialties, citations, prose)
rendered as text by the writer, plus the five seed letters as published (page-break artifacts
included). Reported: plain-text parsing in memory (parse_letter_text), from files on disk
(parse_letter_file: read + decode + parse), and PDF (pypdf text extraction + parse) on a smaller set.
One process, one thread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openimr.letters.citations import compose_guideline  # noqa: E402
from openimr.letters.reader import (  # noqa: E402
    clear_caches,
    parse_letter_file,
    parse_letter_text,
    read_letter_text,
)
from openimr.letters.writer import render_pdf, render_text, worker_sentence  # noqa: E402
from openimr.models.letter import (  # noqa: E402
    Citation,
    Determination,
    Guideline,
    InjuredWorker,
    ItemDecision,
    ReviewerCredentials,
)

SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))
REAL = ROOT / "tests" / "data" / "letters" / "real-dev"  # the 92 real dev letters (PDF)
WORDS = """patient reported pain lumbar cervical spine tenderness palpation range motion therapy physical
medication treatment plan progress note physician examination revealed decreased sensation strength
bilateral left right lower upper extremity radiating shoulder knee spasm guidelines records functional
improvement objective findings request trial relief opioid chronic acute epidural injection facet joint
surgery status post fusion long-term follow-up work restrictions home exercise program with without and
the of to for on in was is has not no this continued prior current improved unchanged""".split()  # noqa: SIM905
STATES = ["California", "New York", "North Carolina", "Pennsylvania", "Ohio", "Texas", "Florida", "Oregon"]
SPECIALTIES = ["Family Practice", "Emergency Medicine", "Physical Medicine & Rehabilitation", "Internal Medicine",
               "Orthopaedic Surgery", "Anesthesiology", "Pain Medicine", "Occupational Medicine"]
REQUESTS = ["Soma 350mg #90", "Norco 10/325mg #120", "Lumbar MRI without contrast", "Physical therapy 2x6",
            "Bilateral L4-L5 transforaminal epidural steroid injection", "Left L3-S1 Facet Block",
            "Office Visit with Gastroenterology", "TENS unit (rental)", "Urine drug screen"]
MTUS_SECTIONS = ["Carisoprodol (Soma)", "Muscle relaxants (for pain)", "Opioids, criteria for use", "Benzodiazepines",
                 "Topical Analgesics", "Epidural steroid injections (ESIs)", "Physical Medicine"]
ODG_SECTIONS = ["SI joint injections", "Facet joint diagnostic blocks", "Office visits", "MRIs (magnetic resonance imaging)"]


def _prose(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        ws = rng.choices(WORDS, k=rng.randint(6, 18))
        out.append(ws[0].capitalize() + " " + " ".join(ws[1:]) + ".")
    return " ".join(out)


def _citation(rng: random.Random, mtus: bool) -> Citation:
    if mtus:
        return Citation(source="MTUS", document="Chronic Pain Medical Treatment", edition_or_year="2009",
                        sections=[rng.choice(MTUS_SECTIONS)], pages=rng.choice([None, "29", "63-66"]))
    return Citation(source="ODG", document="Official Disability Guidelines (ODG)", sections=[rng.choice(ODG_SECTIONS)])


def synthetic(rng: random.Random) -> Determination:
    worker = InjuredWorker(age=rng.randint(20, 75), sex=rng.choice(["male", "female"]),
                           date_of_injury=dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 6000)))
    items = []
    for _ in range(rng.randint(1, 5)):
        mtus = rng.random() < 0.7
        items.append(ItemDecision(
            request=rng.choice(REQUESTS), decision="Upheld" if rng.random() < 0.89 else "Overturned",
            claims_administrator_guideline=Guideline(mtus=mtus, citations=[_citation(rng, mtus)],
                                                     text=compose_guideline(mtus, [_citation(rng, mtus)],
                                                                            "The Claims Administrator")),
            imr_guideline=Guideline(mtus=mtus, citations=[c := _citation(rng, mtus)],
                                    text=compose_guideline(mtus, [c])),
            rationale=_prose(rng, rng.randint(3, 9)),
        ))
    specialty = rng.choice(SPECIALTIES)
    return Determination(
        reviewer=ReviewerCredentials(licensure=rng.sample(STATES, rng.randint(1, 3)), specialty=specialty,
                                     board_certified=rng.random() < 0.3),
        injured_worker=worker,
        clinical_case_summary=worker_sentence(worker) + " " + _prose(rng, rng.randint(5, 15)),
        items=items,
    )


def _bare(path: Path) -> int:
    """The baseline: read the file and split it into lines and words, nothing else."""
    text = path.read_text(encoding="utf-8")
    return sum(len(line.split()) for line in text.splitlines())


def real_letters(rounds: int) -> None:
    """Parse the real dev letters (their text, from files) against a bare read-and-split of the same
    files, interleaved in the same process; the minimum CPU time over the rounds of each."""
    pdfs = sorted(REAL.glob("*.pdf"))
    if not pdfs:
        print(f"real letters: none in {REAL}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for p in pdfs:
            t = Path(tmp) / (p.stem + ".txt")
            t.write_text(read_letter_text(p), encoding="utf-8")
            paths.append(t)
        mb = sum(t.stat().st_size for t in paths) / 1e6
        parse_cpu, bare_cpu = [], []
        for _ in range(rounds):
            c0 = time.process_time()
            for t in paths:
                _bare(t)
            bare_cpu.append(time.process_time() - c0)
            clear_caches()  # each round is a fresh batch: no guideline sentence or date parsed before
            c0 = time.process_time()
            for t in paths:
                parse_letter_file(t)
            parse_cpu.append(time.process_time() - c0)
        b, q = min(bare_cpu), min(parse_cpu)
        ratios = sorted(p / b_ for p, b_ in zip(parse_cpu, bare_cpu, strict=True))
        print(f"real letters    : {len(paths)} dev letters as text ({mb:.2f} MB), {rounds} rounds, CPU time: "
              f"parse {q * 1000:.1f} ms ({len(paths) / q:,.0f} letters/s), bare read-and-split {b * 1000:.1f} ms; "
              f"ratio of minima {q / b:.1f}x (per-round ratios {ratios[0]:.1f}-{ratios[-1]:.1f}x, "
              f"median {ratios[len(ratios) // 2]:.1f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=5000, help="number of text letters (default 5000)")
    ap.add_argument("--pdf", type=int, default=50, help="number of PDF letters (default 50; 0 to skip)")
    ap.add_argument("--real-rounds", type=int, default=15, help="rounds over the real dev letters (0 to skip)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.real_rounds:
        real_letters(args.real_rounds)

    if not args.letters:
        return
    rng = random.Random(args.seed)
    seed_texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    texts: list[str] = []
    while len(texts) < args.letters:
        texts.append(seed_texts[len(texts) % len(seed_texts)] if len(texts) % 10 == 0 else render_text(synthetic(rng)))
    mb = sum(len(t) for t in texts) / 1e6

    t0, c0 = time.perf_counter(), time.process_time()
    items = sum(len(parse_letter_text(t).items) for t in texts)
    mem, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"text, in memory : {len(texts)} letters ({mb:.1f} MB, {items} items) in {mem:.2f} s "
          f"= {len(texts) / mem:,.0f} letters/s (CPU time {cpu:.2f} s = {len(texts) / cpu:,.0f} letters/s)")

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, t in enumerate(texts):
            p = Path(tmp) / f"letter_{i:05d}.txt"
            p.write_text(t, encoding="utf-8")
            paths.append(p)
        t0 = time.perf_counter()
        for p in paths:
            parse_letter_file(p)
        disk = time.perf_counter() - t0
        print(f"text, from files: {len(paths)} letters in {disk:.2f} s = {len(paths) / disk:,.0f} letters/s")

        if args.pdf:
            pdfs = []
            for i in range(args.pdf):
                p = Path(tmp) / f"letter_{i:05d}.pdf"
                p.write_bytes(render_pdf(synthetic(rng)))
                pdfs.append(p)
            t0 = time.perf_counter()
            for p in pdfs:
                parse_letter_file(p)
            pdf = time.perf_counter() - t0
            print(f"pdf, from files : {len(pdfs)} letters in {pdf:.2f} s = {len(pdfs) / pdf:,.1f} letters/s")


if __name__ == "__main__":
    main()
