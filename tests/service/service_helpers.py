"""Helpers shared by the case-service tests (users, reviewers, the example case body)."""

from __future__ import annotations


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_user(client, admin, name: str, role: str, organization: str | None = None) -> tuple[str, dict[str, str]]:
    r = client.post("/api/v1/users", json={"name": name, "role": role, "organization": organization}, headers=admin)
    assert r.status_code == 201, r.text
    return r.json()["id"], auth(r.json()["token"])


def make_reviewer(client, admin, name="Reviewer A", specialty="Physical Medicine & Rehabilitation",
                  licensure=("North Carolina",), years=12, hours=30, affiliations=()):
    uid, headers = make_user(client, admin, name, "reviewer")
    r = client.post("/api/v1/reviewers", headers=admin, json={
        "name": name, "user": uid, "licensure": list(licensure), "specialty": specialty,
        "board_certified": True, "years_active": years, "hours_per_week": hours, "affiliations": list(affiliations)})
    assert r.status_code == 201, r.text
    return r.json()["id"], headers


PROGRESS_NOTE = (
    "Progress note 07/30/2015. Jane Roe, DOB 01/02/1957, claim number WC-88231-A. The injured worker reports "
    "continued low back and neck pain rated 7/10. Current medications include Soma 350mg three times daily "
    "since at least 02/17/2015, Flexeril and Menthoderm gel. Examination: tenderness to palpation over the "
    "lumbar paraspinal muscles, no documented muscle spasm. Treatment to date has included physical therapy, "
    "chiropractic treatment and epidural injections. Plan: continue Soma 350mg #90. Dr. Alan Treat, Acme Spine Clinic."
)

CASE = {
    "case_number": "CM15-0000001",
    "injured_worker": {"age": 58, "sex": "female", "date_of_injury": "2009-04-25"},
    "request_for_authorization": {"date": "2015-08-13", "treating_physician": "Alan Treat, MD"},
    "utilization_review": {"date": "2026-02-20", "organization": "Example UR Services"},
    "disputed_items": [
        {"request": "Soma 350mg #90", "ur_decision": "non-certified"},
        {"request": "Urine drug screen", "ur_decision": "conditionally non-certified"},
    ],
    "documents": [
        {"id": "note-1", "type": "progress_note", "date": "2015-07-30", "text": PROGRESS_NOTE},
        {"id": "ur-1", "type": "ur_decision", "date": "2026-02-20", "text": "UR decision: Soma 350mg #90 non-certified."},
    ],
    "parties": {
        "worker_name": "Jane Roe",
        "employer": "Big Box Warehouse Inc",
        "claims_administrator": "Golden State Claims Services",
        "treating_physician": "Alan Treat, MD",
        "providers": ["Acme Spine Clinic"],
        "claim_number": "WC-88231-A",
    },
    "application": {"received_date": "2026-02-27", "ur_decision_date": "2026-02-20", "signed": True,
                    "ur_decision_attached": True, "priority": "standard"},
}


