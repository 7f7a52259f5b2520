"""The reviewer's workbench in a real Chromium (Debian's), against the app under uvicorn on 127.0.0.1."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader
from ui_helpers import case_body, record_pdf


def test_intake_creates_and_assigns_reviewer_signs_and_downloads(fresh_live, tab_factory, tmp_path):
    live = fresh_live
    _, intake_token = live.user("Ivy Intake", "intake")
    _, ana_token = live.reviewer("Dr. Ana Reyes")
    live.reviewer("Dr. Ben Okafor", specialty="Orthopedic Surgery", hours=10)  # too few hours in practice

    # --- intake: a case from a PDF record, eligibility, assignment with the reasons
    intake = tab_factory(live)
    p = intake.page
    intake.sign_in(intake_token)
    p.get_by_role("link", name="New case").click()
    pdf = tmp_path / "progress-report.pdf"
    pdf.write_bytes(record_pdf())
    p.get_by_label("Files").set_input_files(str(pdf))
    p.get_by_label("Case number").fill("CM26-0000201")
    p.get_by_label("Received").fill("2026-02-27")
    p.get_by_label("UR decision date").fill("2026-02-20")
    p.get_by_label("The application is signed").check()
    p.get_by_label("The UR decision is attached").check()
    p.get_by_label("The medical records are complete").check()
    p.get_by_label("Injured worker").fill("Jane Roe")
    p.get_by_label("Claims administrator").fill("Golden State Claims Services")
    p.get_by_role("button", name="Create the case and check eligibility").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Case CM26-0000201")
    expect(p.get_by_role("heading", name="Eligibility: eligible")).to_be_visible()
    expect(p.get_by_role("row", name=re.compile("Soma 350mg #90"))).to_contain_text("eligible")
    case_url = p.url
    case_id = case_url.rstrip("/").split("/")[-1]
    expect(p.get_by_label("Assign to")).to_have_value("")  # the best match
    p.get_by_role("button", name="Assign").click()
    expect(p.get_by_text("Assigned to Dr. Ana Reyes")).to_be_visible()
    expect(p.get_by_role("heading", name="Why this reviewer")).to_be_visible()
    expect(p.locator("ul.considered")).to_contain_text(re.compile(r"Dr\. Ben Okafor:\s+passed over: 10 hours a week"))

    # --- the assigned reviewer: open, draft, follow a criterion to its evidence
    rev = tab_factory(live)
    p = rev.page
    rev.sign_in(ana_token)
    p.get_by_role("link", name="CM26-0000201").click()
    p.get_by_role("link", name="Open the review").click()
    p.get_by_role("button", name="Draft this case").click()
    expect(p.get_by_role("heading", name="1. Soma 350mg #90")).to_be_visible()
    soma = p.locator("section.item").nth(0)
    link = soma.locator("a.evlink").first
    quote = link.inner_text().split("”")[0].strip("“")
    link.click()
    target = link.get_attribute("data-ev")
    assert p.evaluate("location.hash") == f"#{target}"
    current = p.locator("mark.ev.current")
    expect(current.first).to_be_in_viewport()
    assert quote in "".join(current.all_inner_texts())
    assert p.locator(f"#{target}").evaluate("el => el === document.activeElement")

    # --- change one decision: the drafted rationale is cleared and a new one is required
    drafted = soma.get_by_label("Upheld").is_checked()
    new = "Overturned" if drafted else "Upheld"
    soma.get_by_label(new).check()
    rationale = soma.get_by_label("Rationale")
    expect(rationale).to_have_value("")
    p.get_by_label(re.compile("I, Dr. Ana Reyes, the assigned reviewer")).check()
    p.get_by_role("button", name="Sign and issue").click()
    expect(p.locator("#err-0")).to_contain_text("write the rationale")  # empty rationale refused
    soma = p.locator("section.item").nth(0)
    soma.get_by_label("Rationale").fill(f"The records document an exceptional rationale: the reviewer decides {new}.")
    p.get_by_label(re.compile("I, Dr. Ana Reyes, the assigned reviewer")).check()
    p.get_by_role("button", name="Sign and issue").click()
    expect(p.get_by_role("status")).to_contain_text("Final Determination version 1 signed and issued")
    expect(p.get_by_text("Status")).to_be_visible()
    expect(p.locator("dl.facts")).to_contain_text("Closed")

    # --- download the PDF letter
    with p.expect_download() as dl:
        p.get_by_role("link", name="Download PDF of version 1").click()
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Soma 350mg #90" in text and new in text
    # the API sees the same decision: the interface signed through the workflow
    letter = live.api.get(f"/api/v1/cases/{case_id}/letter", headers={"Authorization": f"Bearer {ana_token}"})
    assert letter.status_code == 200 and f"decides {new}" in " ".join(letter.text.split())


def test_reviewer_cannot_open_a_case_assigned_to_another(live, tab_factory):
    _, intake_token = live.user("Intake Two", "intake")
    a_id, a_token = live.reviewer("Dr. Cara Lin")
    _, b_token = live.reviewer("Dr. Dev Patel")
    case_id = live.case_via_api(intake_token, case_body("CM26-0000301"))
    live.assign(intake_token, case_id, a_id)

    t = tab_factory()
    t.allow_http_errors = True
    p = t.page
    t.sign_in(b_token)
    expect(p.get_by_role("link", name="CM26-0000301")).to_have_count(0)
    for path in (f"/ui/cases/{case_id}", f"/ui/cases/{case_id}/review", f"/ui/cases/{case_id}/letter.pdf"):
        resp = p.goto(path)
        assert resp.status == 404, path
        expect(p.get_by_role("heading", level=1)).to_have_text("Not found")
    # the assigned reviewer does see it
    t2 = tab_factory()
    t2.sign_in(a_token)
    expect(t2.page.get_by_role("link", name="CM26-0000301")).to_be_visible()


def test_form_posted_without_csrf_token_is_refused(live, tab_factory):
    _, intake_token = live.user("Intake Three", "intake")
    a_id, a_token = live.reviewer("Dr. Eve Moreau")
    case_id = live.case_via_api(intake_token, case_body("CM26-0000401"))
    live.assign(intake_token, case_id, a_id)

    t = tab_factory()
    t.allow_http_errors = True
    p = t.page
    t.sign_in(a_token, f"/ui/cases/{case_id}/review")
    p.locator("form[action$='/draft'] input[name=csrf_token]").evaluate("el => el.remove()")
    p.get_by_role("button", name="Draft this case").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Form refused")
    # a forged token is refused too, and nothing was drafted
    p.goto(f"/ui/cases/{case_id}/review")
    p.locator("form[action$='/draft'] input[name=csrf_token]").evaluate("el => el.value = 'forged'")
    p.get_by_role("button", name="Draft this case").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Form refused")
    p.goto(f"/ui/cases/{case_id}/review")
    expect(p.get_by_role("button", name="Draft this case")).to_be_visible()
    # a POST from outside the page (no token) with the session cookie is refused as well
    r = p.request.post(f"/ui/cases/{case_id}/draft", form={"x": "1"})
    assert r.status == 403


def test_accessibility_keyboard_and_zoom(live, tab_factory):
    from axe_playwright_python.sync_playwright import Axe

    _, intake_token = live.user("Intake Four", "intake")
    a_id, a_token = live.reviewer("Dr. Fay Ito")
    case_id = live.case_via_api(intake_token, case_body("CM26-0000501"))
    live.assign(intake_token, case_id, a_id)
    live.draft(a_token, case_id)
    axe = Axe()

    def serious(page) -> list[str]:
        res = axe.run(page)
        return [f"{v['id']} ({v['impact']}): {v['help']}" for v in res.response["violations"]
                if v.get("impact") in {"serious", "critical"}]

    t = tab_factory()
    p = t.page
    t.sign_in(a_token)
    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    p.keyboard.press("Enter")
    assert p.evaluate("document.activeElement.id") == "main"
    found = {"queue": serious(p)}
    p.goto(f"/ui/cases/{case_id}")
    found["case"] = serious(p)
    p.goto(f"/ui/cases/{case_id}/review")
    found["review"] = serious(p)
    # a criterion's evidence is reachable by keyboard: focus the link, Enter, the span is highlighted
    link = p.locator("a.evlink").first
    link.focus()
    p.keyboard.press("Enter")
    expect(p.locator("mark.ev.current").first).to_be_in_viewport()
    # the intake user's pages too (the case page shows the assignment form)
    t2 = tab_factory()
    t2.sign_in(intake_token)
    t2.page.goto(f"/ui/cases/{case_id}")
    found["case (intake)"] = serious(t2.page)
    t2.page.goto("/ui/cases/new")
    found["new case"] = serious(t2.page)
    assert not any(found.values()), found

    # 200% zoom of a 1280 px window is a 640 px layout: nothing may need horizontal scrolling
    z = tab_factory(viewport={"width": 640, "height": 720})
    z.sign_in(a_token)
    for path in ("/ui/queue", f"/ui/cases/{case_id}", f"/ui/cases/{case_id}/review"):
        z.page.goto(path)
        overflow = z.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)

    # sign-out ends the session: the next page asks to sign in again
    z.page.get_by_role("button", name="Sign out").click()
    expect(z.page.get_by_role("status")).to_have_text("You are signed out.")
    z.page.goto("/ui/queue")
    expect(z.page.get_by_role("heading", level=1)).to_have_text("Sign in")
