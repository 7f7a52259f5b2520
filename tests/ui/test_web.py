"""The web interface without a browser (FastAPI's test client): sessions, CSRF, scope, forms."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from ui_helpers import BOOT, TODAY, case_body, record_pdf

from openimr.api.app import create_app
from openimr.ui.records import Records
from openimr.workflow import db
from openimr.workflow.migrate import upgrade
from openimr.workflow.service import CaseService
from openimr.workflow.sessions import WebSession


@pytest.fixture
def app(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    upgrade(engine)
    svc = CaseService(engine, today=lambda: TODAY)
    yield create_app(service=svc, bootstrap_token=BOOT)
    svc.close()


def api(app) -> TestClient:
    return TestClient(app)


def user(app, name: str, role: str) -> tuple[str, str]:
    r = api(app).post("/api/v1/users", json={"name": name, "role": role}, headers={"Authorization": f"Bearer {BOOT}"})
    return r.json()["id"], r.json()["token"]


def reviewer(app, name: str) -> tuple[str, str]:
    uid, token = user(app, name, "reviewer")
    r = api(app).post("/api/v1/reviewers", headers={"Authorization": f"Bearer {BOOT}"}, json={
        "name": name, "user": uid, "licensure": ["CA"], "specialty": "Physical Medicine & Rehabilitation",
        "years_active": 10, "hours_per_week": 30})
    return r.json()["id"], token


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(app, token: str, base_url: str = "http://testserver") -> TestClient:
    c = TestClient(app, base_url=base_url)
    r = c.post("/ui/sign-in", data={"csrf_token": csrf(c.get("/ui/sign-in").text), "token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def test_session_cookie_flags_and_secure_over_tls(app):
    _, token = user(app, "Ivy", "intake")
    c = TestClient(app)
    r = c.post("/ui/sign-in", data={"csrf_token": csrf(c.get("/ui/sign-in").text), "token": token}, follow_redirects=False)
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("openimr_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie and "Secure" not in cookie
    assert token not in cookie  # the bearer token never goes into the cookie
    tls = TestClient(app, base_url="https://testserver")
    r = tls.post("/ui/sign-in", data={"csrf_token": csrf(tls.get("/ui/sign-in").text), "token": token}, follow_redirects=False)
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("openimr_session=")][0]
    assert "Secure" in cookie
    page = tls.get("/ui/queue")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_sign_in_refuses_a_missing_csrf_token_and_a_bad_token(app):
    _, token = user(app, "Ivy", "intake")
    c = TestClient(app)
    r = c.post("/ui/sign-in", data={"token": token}, follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text and "openimr_session" not in r.headers.get("set-cookie", "")
    r = c.post("/ui/sign-in", data={"csrf_token": csrf(c.get("/ui/sign-in").text), "token": "oimr_wrong"},
               follow_redirects=False)
    assert "not valid" in r.text and "openimr_session=" not in r.headers.get("set-cookie", "")
    assert c.get("/ui/queue", follow_redirects=False).headers["location"].startswith("/ui/sign-in")


def test_sign_out_ends_the_session_on_the_server(app):
    _, token = user(app, "Ivy", "intake")
    c = sign_in(app, token)
    old = c.cookies.get("openimr_session")
    page = c.get("/ui/queue")
    assert c.post("/ui/sign-out", data={}, follow_redirects=False).status_code == 403  # CSRF here too
    r = c.post("/ui/sign-out", data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and "ended=signed-out" in r.headers["location"]
    replay = TestClient(app, cookies={"openimr_session": old})
    assert replay.get("/ui/queue", follow_redirects=False).status_code == 303  # the old cookie is dead
    # signing in again over a live session ends the earlier one
    c = sign_in(app, token)
    first = c.cookies.get("openimr_session")
    r = c.post("/ui/sign-in", data={"csrf_token": csrf(c.get("/ui/sign-in").text), "token": token}, follow_redirects=False)
    assert r.status_code == 303 and c.cookies.get("openimr_session") != first
    assert TestClient(app, cookies={"openimr_session": first}).get("/ui/queue", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("how", ["expired", "idle", "deactivated"])
def test_session_expiry_idle_and_deactivation(app, how):
    uid, token = user(app, "Ivy", "intake")
    c = sign_in(app, token)
    assert c.get("/ui/queue", follow_redirects=False).status_code == 200
    svc = app.state.service
    past = db.utcnow() - dt.timedelta(hours=24)
    with svc.Session.begin() as s:
        if how == "expired":
            s.execute(update(WebSession).values(expires_at=past))
        elif how == "idle":
            s.execute(update(WebSession).values(last_seen_at=past))
    if how == "deactivated":
        api(app).post(f"/api/v1/users/{uid}/deactivate", headers={"Authorization": f"Bearer {BOOT}"})
    r = c.get("/ui/queue", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/sign-in?next=/ui/queue"


def test_a_plain_form_over_1_mb_is_refused_before_it_is_read(app):
    c = TestClient(app)
    r = c.post("/ui/sign-in", content=b"token=" + b"x" * (1024 * 1024 + 1),
               headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_sign_in_never_redirects_off_site(app):
    _, token = user(app, "Ivy", "intake")
    c = TestClient(app)
    for nxt in ("https://evil.example/", "//evil.example/", "/api/v1/users"):
        r = c.post("/ui/sign-in", data={"csrf_token": csrf(c.get("/ui/sign-in").text), "token": token, "next": nxt},
                   follow_redirects=False)
        assert r.headers["location"] == "/ui/queue"


def test_the_interface_adds_no_permission(app):
    _, intake_token = user(app, "Ivy", "intake")
    rid, rev_token = reviewer(app, "Dr. Reyes")
    case_id = api(app).post("/api/v1/cases", json=case_body("CM26-0000901"),
                            headers={"Authorization": f"Bearer {intake_token}"}).json()["id"]
    rev = sign_in(app, rev_token)
    token = csrf(rev.get("/ui/queue").text)
    assert rev.get("/ui/cases/new").status_code == 403
    r = rev.post("/ui/cases", data={"csrf_token": token, "disputed_items": "Soma 350mg #90"},
                 files={"files": ("note.txt", b"Progress note. Soma 350mg daily.", "text/plain")})
    assert r.status_code == 403  # the workflow refuses a reviewer creating a case
    assert rev.get(f"/ui/cases/{case_id}").status_code == 404  # not assigned to them
    intake = sign_in(app, intake_token)
    token = csrf(intake.get("/ui/queue").text)
    assert intake.get(f"/ui/cases/{case_id}/review").status_code == 403  # drafts are the reviewer's
    r = intake.post(f"/ui/cases/{case_id}/draft", data={"csrf_token": token})
    assert r.status_code == 403
    assert "/ui" not in json.dumps(api(app).get("/openapi.json").json()["paths"])


def test_a_changed_decision_needs_a_rationale_of_its_own(app):
    _, intake_token = user(app, "Ivy", "intake")
    rid, rev_token = reviewer(app, "Dr. Reyes")
    h = {"Authorization": f"Bearer {intake_token}"}
    case_id = api(app).post("/api/v1/cases", json=case_body("CM26-0000902"), headers=h).json()["id"]
    api(app).post(f"/api/v1/cases/{case_id}/assignment", json={"reviewer": rid}, headers=h)
    rev = sign_in(app, rev_token)
    token = csrf(rev.get(f"/ui/cases/{case_id}/review").text)
    rev.post(f"/ui/cases/{case_id}/draft", data={"csrf_token": token})
    page = rev.get(f"/ui/cases/{case_id}/review").text
    items = re.findall(r'name="decision-(\d)" value="(\w+)" checked', page)
    assert items, "the drafted decisions are preselected"
    form = {"csrf_token": token, "action": "save"}
    for n, decision in items:
        rationale = re.search(rf'name="rationale-{n}"[^>]*>([^<]*)</textarea>', page).group(1)
        form[f"decision-{n}"] = decision
        form[f"rationale-{n}"] = rationale.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    n0, d0 = items[0]
    form[f"decision-{n0}"] = "Overturned" if d0 == "Upheld" else "Upheld"
    r = rev.post(f"/ui/cases/{case_id}/determination", data=form)
    assert "You changed the decision" in r.text and 'aria-invalid="true"' in r.text
    assert "Your edits are saved" not in rev.get(f"/ui/cases/{case_id}/review").text
    form[f"rationale-{n0}"] = "The reviewer's own reasons for the other outcome."
    r = rev.post(f"/ui/cases/{case_id}/determination", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?saved=1")
    assert "The reviewer&#39;s own reasons" in rev.get(f"/ui/cases/{case_id}/review").text
    # signing asks for the explicit confirmation
    r = rev.post(f"/ui/cases/{case_id}/determination", data={**form, "action": "sign"})
    assert "Tick the confirmation" in r.text
    r = rev.post(f"/ui/cases/{case_id}/determination", data={**form, "action": "sign", "confirm": "1"},
                 follow_redirects=False)
    assert r.status_code == 303 and "signed=1" in r.headers["location"]


def test_intake_form_errors_are_one_line_and_create_nothing(app):
    _, intake_token = user(app, "Ivy", "intake")
    c = sign_in(app, intake_token)
    token = csrf(c.get("/ui/cases/new").text)
    r = c.post("/ui/cases", data={"csrf_token": token}, files={"files": ("scan.pdf", b"%PDF-1.4 garbage", "application/pdf")})
    assert re.search(r'role="alert" id="form-error">scan\.pdf: [^<\n]+<', r.text), r.text[:500]
    r = c.post("/ui/cases", data={"csrf_token": token, "received_date": "27/02/2026"},
               files={"files": ("r.pdf", record_pdf(), "application/pdf")})
    assert "received date: &#39;27/02/2026&#39; is not a date" in r.text
    assert "No cases" in c.get("/ui/queue").text
    # a JSON case file works as the API's body does
    body = case_body("CM26-0000903")
    body.pop("records_complete")
    r = c.post("/ui/cases", data={"csrf_token": token, "records_complete": "1"},
               files={"files": ("case.json", json.dumps(body).encode(), "application/json")}, follow_redirects=False)
    assert r.status_code == 303
    assert "Clinical Review" in c.get(r.headers["location"]).text


def test_evidence_marks_overlapping_spans_and_skips_stale_offsets():
    text = "Soma 350mg three times daily since 2015."
    rec = Records([{"id": "d", "text": text}])
    a = rec.span({"document": "d", "start": 0, "end": 10, "quote": "Soma 350mg"})
    b = rec.span({"document": "d", "start": 5, "end": 28, "quote": "350mg three times daily"})
    stale = rec.span({"document": "d", "start": 0, "end": 4, "quote": "Norco"})
    other = rec.span({"document": "missing", "start": 0, "end": 4, "quote": "Soma"})
    assert a.ok and b.ok and not stale.ok and not other.ok
    html = str(rec.marked("d"))
    assert f'id="{a.id}"' in html and f'id="{b.id}"' in html and stale.id not in html.replace(a.id, "")
    assert f'<mark class="ev" data-ev="{a.id} {b.id}">350mg</mark>' in html
    assert re.sub(r"<[^>]+>", "", html) == text
    assert rec.span({"document": "d", "start": 0, "end": 10, "quote": "Soma 350mg"}) is a
    esc = Records([{"id": "x", "text": "<b>pain</b> & 7/10"}])
    esc.span({"document": "x", "start": 14, "end": 18, "quote": "7/10"})
    assert "&lt;b&gt;pain&lt;/b&gt; &amp; " in str(esc.marked("x"))


def test_preview_then_sign_then_correct_as_a_new_version(app):
    _, intake_token = user(app, "Ivy", "intake")
    rid, rev_token = reviewer(app, "Dr. Reyes")
    h = {"Authorization": f"Bearer {intake_token}"}
    case_id = api(app).post("/api/v1/cases", json=case_body("CM26-0000904"), headers=h).json()["id"]
    api(app).post(f"/api/v1/cases/{case_id}/assignment", json={"reviewer": rid}, headers=h)
    rev = sign_in(app, rev_token)
    token = csrf(rev.get("/ui/queue").text)
    rev.post(f"/ui/cases/{case_id}/draft", data={"csrf_token": token})
    page = rev.get(f"/ui/cases/{case_id}/review").text
    form = {"csrf_token": token}
    for n, decision in re.findall(r'name="decision-(\d)" value="(\w+)" checked', page):
        form[f"decision-{n}"] = decision
        form[f"rationale-{n}"] = f"Reviewer's rationale {n} for {decision}."
    r = rev.post(f"/ui/cases/{case_id}/determination", data={**form, "action": "preview"}, follow_redirects=False)
    assert r.headers["location"].endswith("/preview")
    assert 'src="/ui/cases/' in rev.get(r.headers["location"]).text
    preview = rev.get(f"/ui/cases/{case_id}/preview.html")
    assert "DRAFT" in preview.text and "Reviewer&#x27;s rationale 0" in preview.text
    assert "script-src" not in preview.headers["content-security-policy"]  # default-src 'none': no script
    r = rev.post(f"/ui/cases/{case_id}/determination", data={**form, "action": "sign", "confirm": "1"},
                 follow_redirects=False)
    assert "signed=1" in r.headers["location"]
    page = rev.get(f"/ui/cases/{case_id}/review").text
    assert "Issued: version 1" in page and "Issue a correction" in page and 'value="save"' not in page
    r = rev.post(f"/ui/cases/{case_id}/determination", data={**form, "action": "sign", "confirm": "1"})
    assert "corrected with a reason" in r.text  # a correction needs its reason
    r = rev.post(f"/ui/cases/{case_id}/determination", follow_redirects=False,
                 data={**form, "action": "sign", "confirm": "1", "correction_reason": "typo in item 1"})
    assert "signed=2" in r.headers["location"]
    case_page = rev.get(f"/ui/cases/{case_id}").text
    assert "version 2" in case_page.lower() and "letter.pdf?version=1" in case_page and "letter.pdf?version=2" in case_page
    assert "Published version (redacted)" in rev.get(f"/ui/cases/{case_id}/published").text
    assert "Jane Roe" not in rev.get(f"/ui/cases/{case_id}/published").text


def test_queue_filters_and_scope(app):
    _, intake_token = user(app, "Ivy", "intake")
    h = {"Authorization": f"Bearer {intake_token}"}
    api(app).post("/api/v1/cases", json=case_body("CM26-0000905"), headers=h)
    late = case_body("CM26-0000906")
    late["application"]["signed"] = False
    api(app).post("/api/v1/cases", json=late, headers=h)
    c = sign_in(app, intake_token)
    page = c.get("/ui/queue").text
    assert "CM26-0000905" in page and "CM26-0000906" in page
    page = c.get("/ui/queue?status=ineligible").text
    assert "CM26-0000905" not in page and "CM26-0000906" in page
    assert "No cases match" in c.get("/ui/queue?flag=overdue").text
    assert "Unknown status" in c.get("/ui/queue?status=nonsense").text
    _, rev_token = reviewer(app, "Dr. Reyes")
    assert "No cases." in sign_in(app, rev_token).get("/ui/queue").text  # nothing assigned to them


def test_review_content_for_an_undecided_item_and_a_correction():
    from openimr.ui import review

    doc = {"id": "n1", "type": "progress_note", "text": "Pain 7/10. Norco 10/325 since 2014."}
    draft = {"clinical_case_summary": "S.", "summary_sentences": [], "items": [
        {"request": "Norco 10/325 #120", "decision": "Upheld", "rationale": "Drafted for Upheld.", "criteria": [
            {"id": "c1", "statement": "s", "met": None, "evidence": [{"document": "n1", "start": 0, "end": 9, "quote": "Pain 7/10"}]}]},
        {"request": "Widget therapy", "decision": None, "unable_to_decide": "no encoded guideline", "criteria": []}]}
    data = {"case": {"documents": [doc]}, "eligible_items": ["Norco 10/325 #120", "Widget therapy"], "draft": draft,
            "working": None, "issued": None}
    built = review.build(data)
    norco, widget = built["items"]
    assert norco["decision"] == "Upheld" and norco["criteria"][0]["state"] == "undocumented"
    assert widget["decision"] is None and widget["base_decision"] is None
    assert 'id="ev-0-0-9"' in str(built["documents"][0]["marked"])
    errors = review.check(built["items"], {"decision-0": "Upheld", "rationale-0": "Drafted for Upheld."})
    assert errors == {1: "Choose a decision: Upheld or Overturned."}
    errors = review.check(built["items"], {"decision-0": "Overturned", "rationale-0": " Drafted for Upheld. ",
                                           "decision-1": "Overturned", "rationale-1": ""})
    assert "write the rationale for Overturned" in errors[0] and errors[1] == "Write a rationale."
    # correcting an issued version: the base is what was issued, not the draft
    data["issued"] = {"version": 1, "items": [{"request": "Norco 10/325 #120", "decision": "Overturned",
                                               "rationale": "Issued for Overturned."},
                                              {"request": "Widget therapy", "decision": "Upheld", "rationale": "R."}],
                      "clinical_case_summary": "Issued summary."}
    built = review.build(data)
    assert built["items"][0]["decision"] == "Overturned" and built["items"][0]["base_rationale"] == "Issued for Overturned."
    assert built["summary"] == "Issued summary."
    assert review.check(built["items"], {"decision-0": "Upheld", "rationale-0": "Issued for Overturned.",
                                         "decision-1": "Upheld", "rationale-1": "R."})[0].startswith("You changed")
