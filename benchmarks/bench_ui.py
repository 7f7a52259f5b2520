"""Benchmark the review page of the web interface: server time to render /ui/cases/{id}/review.

    .venv/bin/python benchmarks/bench_ui.py [--repeat 40]

The case: the example case grown to 20 pages of records (about 3,000 characters a page) with its 5
disputed items (`bench_engine.typical_case`), eligible, assigned and drafted once by the real engine.
The page is then requested `--repeat` times in-process through the ASGI app (FastAPI's test client:
no network), signed in with a session cookie, as a browser would. Each request does everything the
server does for a reviewer: the session lookup, the scoped read of the case, its documents and latest
draft, the audit events committed to SQLite (synchronous=FULL), and the rendering of every criterion,
evidence link and the marked-up records. Printed: median and 90th percentile of the page, and in
the same run the JSON case read (`GET /api/v1/cases/{id}`) as a baseline, and the split between the
workflow read and the HTML rendering.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from openimr.api.app import create_app
from openimr.ui import review
from openimr.ui.web import Web, templates
from openimr.workflow import db, workbench
from openimr.workflow.migrate import upgrade
from openimr.workflow.security import Role
from openimr.workflow.service import Actor, CaseService

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import typical_case  # noqa: E402

BOOT = "bench-boot-token"


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=40)
    args = ap.parse_args()

    case = typical_case(20)
    app_date = case.application.received_date
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        svc = CaseService(engine, today=lambda: app_date + dt.timedelta(days=2))
        app = create_app(service=svc, bootstrap_token=BOOT)
        admin = Actor(svc.authenticate(BOOT).id, Role.ADMIN)
        intake = svc.create_user(admin, "Bench Intake", Role.INTAKE)
        rev = svc.create_user(admin, "Bench Reviewer", Role.REVIEWER)
        reviewer = svc.create_reviewer(admin, {"name": "Bench Reviewer", "user": rev["id"], "licensure": ["CA"],
                                               "specialty": "Physical Medicine & Rehabilitation", "years_active": 10,
                                               "hours_per_week": 30, "affiliations": []})
        intake_actor, rev_actor = svc.authenticate(intake["token"]), svc.authenticate(rev["token"])
        view, _ = svc.create_case(intake_actor, case, records_complete=True)
        cid = view["id"]
        svc.assign(intake_actor, cid, reviewer["id"])
        t = time.perf_counter()
        svc.draft(rev_actor, cid)
        print(f"draft (engine, once, models loaded): {(time.perf_counter() - t) * 1000:.0f} ms")

        c = TestClient(app)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/ui/sign-in").text).group(1)
        c.post("/ui/sign-in", data={"csrf_token": token, "token": rev["token"]})
        first = c.get(f"/ui/cases/{cid}/review")
        assert first.status_code == 200 and "mark class=\"ev\"" in first.text, first.status_code
        data = workbench.review_view(svc, rev_actor, cid)
        chars = sum(len(d["text"]) for d in data["case"]["documents"])
        n_items = len(data["eligible_items"])
        n_spans = first.text.count('class="ev-anchor"')
        print(f"case: {len(data['case']['documents'])} documents, {chars:,} characters (~{chars / 3000:.0f} pages), "
              f"{n_items} items, {n_spans} evidence spans marked; page {len(first.content) / 1024:.0f} KiB")

        page, api, read, render = [], [], [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = c.get(f"/ui/cases/{cid}/review")
            page.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
            t = time.perf_counter()
            c.get(f"/api/v1/cases/{cid}", headers={"Authorization": f"Bearer {rev['token']}"})
            api.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            d = workbench.review_view(svc, rev_actor, cid)
            read.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            content = review.build(d)
            templates.get_template("review.html").render(
                request=None, web=Web(rev_actor, "bench"), prefix="/ui", data=d, case=d["case"], problem=None, form={}, saved=None, **content)
            render.append((time.perf_counter() - t) * 1000)
        print(f"review page /ui/cases/{{id}}/review: median {statistics.median(page):.1f} ms, p90 {pct(page, 0.9):.1f} ms "
              f"(budget 300 ms)")
        print(f"  baseline in the same run, JSON case read /api/v1/cases/{{id}}: median {statistics.median(api):.1f} ms "
              f"(page/API ratio {statistics.median(page) / statistics.median(api):.1f})")
        print(f"  of which the workflow read (scope, case, draft, audit commit) median {statistics.median(read):.1f} ms; "
              f"building and rendering the HTML median {statistics.median(render):.1f} ms")
        svc.close()


if __name__ == "__main__":
    main()
