"""Shared by the web-interface tests, the screenshot script and the benchmark: a live server (uvicorn on
127.0.0.1, a free port, a temporary SQLite database), users through the API, and a PDF record."""

from __future__ import annotations

import datetime as dt
import io
import socket
import textwrap
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn

from openimr.api.app import create_app
from openimr.workflow import db
from openimr.workflow.migrate import upgrade
from openimr.workflow.service import CaseService

TODAY = dt.date(2026, 3, 2)
BOOT = "boot-" + uuid.uuid4().hex

# A two-page progress report that names its own request (read by openimr.extract.caseio).
RECORD_PAGES = [
    "PRIMARY TREATING PHYSICIAN'S PROGRESS REPORT\n"
    "Date of service: 07/30/2015\n\n"
    "Subjective: The injured worker reports continued low back pain radiating to the left leg, rated 7/10 "
    "without medication and 5/10 with medication. Sleep is poor. She is not working.\n\n"
    "Current medications: Soma 350mg three times daily since at least 02/17/2015, Naproxen 550mg twice "
    "daily, and Menthoderm gel applied to the low back.\n\n"
    "Treatment to date has included physical therapy, chiropractic treatment and epidural injections.",
    "Objective: Tenderness to palpation over the lumbar paraspinal muscles. No documented muscle spasm. "
    "Straight leg raise is positive on the left. Sensation is decreased in the left L5 dermatome.\n\n"
    "Assessment: Lumbar radiculopathy. Chronic low back pain.\n\n"
    "Plan: Continue the home exercise program. Request for authorization dated 08/13/2015 requested "
    "Soma 350mg #90 and Menthoderm gel 120gm. Utilization review dated 02/20/2026 non-certified the "
    "request for Soma 350mg #90 and Menthoderm gel 120gm. Follow up in four weeks.",
]


def record_pdf(pages: list[str] = RECORD_PAGES) -> bytes:
    """A PDF with a real text layer, one page per string (reportlab)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    for text in pages:
        y = 740
        for para in text.split("\n"):
            for line in textwrap.wrap(para, 90) or [""]:
                c.drawString(54, y, line)
                y -= 15
        c.showPage()
    c.save()
    return buf.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The real app under uvicorn in a thread, over a fresh SQLite database."""

    def __init__(self, folder: Path, today: dt.date = TODAY):
        engine = db.make_engine(f"sqlite:///{folder / 'ui.db'}")
        upgrade(engine)
        self.today = today  # settable: the service's "today" (California date)
        self.service = CaseService(engine, today=lambda: self.today)
        self.app = create_app(service=self.service, bootstrap_token=BOOT)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-ui-tests", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.api = httpx.Client(base_url=self.url, timeout=120)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.api.close()
        self.service.close()

    def user(self, name: str, role: str) -> tuple[str, str]:
        r = self.api.post("/api/v1/users", json={"name": name, "role": role}, headers=_auth(BOOT))
        r.raise_for_status()
        return r.json()["id"], r.json()["token"]

    def reviewer(self, name: str, specialty: str = "Physical Medicine & Rehabilitation", hours: float = 30) -> tuple[str, str]:
        uid, token = self.user(name, "reviewer")
        r = self.api.post("/api/v1/reviewers", headers=_auth(BOOT), json={
            "name": name, "user": uid, "licensure": ["California"], "specialty": specialty,
            "board_certified": True, "years_active": 12, "hours_per_week": hours, "affiliations": []})
        r.raise_for_status()
        return r.json()["id"], token

    def case_via_api(self, token: str, body: dict) -> str:
        r = self.api.post("/api/v1/cases", json=body, headers=_auth(token))
        r.raise_for_status()
        return r.json()["id"]

    def assign(self, token: str, case_id: str, reviewer_id: str) -> None:
        self.api.post(f"/api/v1/cases/{case_id}/assignment", json={"reviewer": reviewer_id},
                      headers=_auth(token)).raise_for_status()

    def draft(self, token: str, case_id: str) -> None:
        self.api.post(f"/api/v1/cases/{case_id}/draft", headers=_auth(token)).raise_for_status()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def case_body(number: str, text: str | None = None) -> dict:
    """A case for the API: the record above as one text document, eligible and records complete."""
    return {
        "case_number": number,
        "injured_worker": {"age": 58, "sex": "female", "date_of_injury": "2009-04-25"},
        "request_for_authorization": {"date": "2015-08-13"},
        "utilization_review": {"date": "2026-02-20"},
        "disputed_items": [{"request": "Soma 350mg #90"}, {"request": "Menthoderm gel 120gm"}],
        "documents": [{"id": "progress-report", "type": "progress_note", "date": "2015-07-30",
                       "text": text or "\n\n".join(RECORD_PAGES)}],
        "parties": {"worker_name": "Jane Roe", "claims_administrator": "Golden State Claims Services",
                    "claim_number": "WC-" + number},
        "application": {"received_date": "2026-02-27", "ur_decision_date": "2026-02-20", "signed": True,
                        "ur_decision_attached": True},
        "records_complete": True,
    }
