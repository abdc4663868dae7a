"""The staff web page, served by the real staff app process.

The first test drives Debian's headless Chromium with Playwright through a whole working
session; it fails (rather than skips) without Chromium when REQUIRE_BROWSER=1, as in
`make test` (scripts/chromium.sh installs it). The others speak HTTP to check what a browser
would never send: forms without their anti-forgery token, forged cookies, refused moves,
wrong staff tokens sent in parallel.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import (
    change_status,
    checklist_ticks,
    find_case,
    get_or_create_person,
    open_case,
    set_person_details,
)
from casestore.notifications import pending_notifications
from staff.translations import catalog_path, read_catalog, translated
from tests.staff.servers import start_staff_app

TOKEN = "page-staff-token-2b7e"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
LOST = "CPU-2026-000001"
POLICE = "2-report-the-loss-to-your-local-police-station"
"""The key of the lost passport's second checklist item (``casestore.cases.checklist_key``)."""
TRANSFER = "JSNU-2026-000001"


def _seed(factory: sessionmaker[Session]) -> None:
    """A lost passport at CPU (English speaker) and a transfer at JSNU already in review."""
    with factory.begin() as session:
        student = get_or_create_person(session, channel="telegram", channel_user_id="s1",
                                       language="en")
        open_case(session, person=student, case_type="lost_document", institution="CPU",
                  facts={"document": "passport E12345678", "what_happened": "<b>stolen</b>",
                         "noticed_on": date(2026, 3, 1)}, today=date(2026, 3, 2))
        other = get_or_create_person(session, channel="web", channel_user_id="s2",
                                     language="zh")
        transfer = open_case(session, person=other, case_type="transfer", institution="JSNU",
                             facts={"previous_university": "NJU", "arrived_on": date(2026, 3, 1)},
                             today=date(2026, 3, 2))
        change_status(session, transfer, "in_review", "staff:bo", notify=False)


@pytest.fixture
def staff_app(factory: sessionmaker[Session], subprocess_env: dict[str, str]) -> Iterator[str]:
    """The running staff app (token set) over a database with two cases; its base URL."""
    _seed(factory)
    app = start_staff_app({**subprocess_env, "STAFF_API_TOKEN": TOKEN})
    yield app.url
    app.stop()


def _sign_in(page: Page, token: str) -> None:
    page.get_by_label("Your name").fill("Ann")
    page.get_by_label("Staff token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


@pytest.mark.browser
def test_staff_sign_in_find_a_case_and_change_its_status_in_a_real_browser(
    browser: Browser, staff_app: str, factory: sessionmaker[Session],
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="en-GB")
    page = context.new_page()
    page.goto(staff_app)
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()

    _sign_in(page, "not-the-token")
    expect(page.get_by_role("alert")).to_have_text("Wrong staff token.")
    assert not [c for c in context.cookies() if c["name"] == "staff_session"]

    _sign_in(page, TOKEN)
    expect(page.get_by_role("heading", name="Requests")).to_be_visible()
    expect(page.get_by_text("Signed in as Ann")).to_be_visible()
    [cookie] = [c for c in context.cookies() if c["name"] == "staff_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    expect(page.get_by_role("link", name=LOST)).to_be_visible()
    expect(page.get_by_role("link", name=TRANSFER)).to_be_visible()
    _fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS / "staff-queue-phone.png"), full_page=True)

    page.get_by_label("Status").select_option("in_review")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name=TRANSFER)).to_be_visible()
    expect(page.get_by_role("link", name=LOST)).to_have_count(0)
    page.get_by_label("Status").select_option("")
    page.get_by_label("Type").select_option("lost_document")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("1 request(s), page 1 of 1.")).to_be_visible()

    page.get_by_role("link", name=LOST).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LOST)
    body = page.locator("main").inner_text()
    assert "<b>stolen</b>" in body  # shown as text, not markup
    assert "What happened" in body and "what_happened" not in body
    assert "E12345678" not in body and "[redacted]" in body
    assert "(CPU Art. 13)" in body
    offered = page.locator("#new-status option").all_inner_texts()
    assert offered == ["Choose…", "in review", "needs information", "rejected", "closed"]
    _fits_the_screen(page)

    checklist = page.locator("section", has=page.get_by_role("heading", name="Checklist"))
    police = checklist.get_by_role("listitem").filter(has_text="Report the loss to your local")
    expect(police).to_contain_text("to do")
    police.get_by_role("button", name="Tick").click()
    expect(page.get_by_role("status")).to_contain_text("Checklist updated.")
    page.reload()
    expect(police).to_contain_text("✓ Ann, ")
    expect(police).to_contain_text("(China time)")
    expect(police.get_by_role("button", name="Untick")).to_be_visible()
    expect(checklist.get_by_role("button", name="Untick")).to_have_count(1)
    trail = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(trail).to_contain_text("Ticked: Report the loss to your local police station.")
    _fits_the_screen(page)

    page.get_by_label("New status", exact=True).select_option("needs_information")
    page.get_by_label("Note for the person").fill("Please bring the police record")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed")
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(history).to_contain_text("staff:Ann")
    expect(history).to_contain_text("submitted → needs information")
    expect(history).to_contain_text("Please bring the police record")
    page.screenshot(path=str(ARTIFACTS / "staff-case-phone.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    page.goto(f"{staff_app}/staff/cases/{LOST}")
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    context.close()

    with factory.begin() as session:
        case = find_case(session, LOST)
        assert case is not None and case.status == "needs_information"
        last = case.events[-1]
        assert (last.actor, last.old, last.new, last.note) == (
            "staff:Ann", "submitted", "needs_information", "Please bring the police record")
        [message] = pending_notifications(session, "telegram")
        assert message.kind == "status_change" and message.case_id == case.id
        assert "needs information" in message.text and "police record" in message.text
        assert [(k, t.ticked_by) for k, t in checklist_ticks(session, case).items()] == [
            (POLICE, "Ann")]


@pytest.mark.browser
def test_the_page_speaks_chinese_when_asked(browser: Browser, staff_app: str) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{staff_app}/staff/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.get_by_label("您的姓名").fill("李老师")
    page.get_by_label("工作人员令牌").fill(TOKEN)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="申请列表")).to_be_visible()
    page.get_by_role("link", name=TRANSFER).click()
    expect(page.locator("main")).to_contain_text("转学")
    expect(page.locator("main")).to_contain_text("审核中")
    expect(page.locator("main")).to_contain_text("原就读学校")  # the fact, labelled
    expect(page.get_by_role("button", name="勾选")).to_have_count(1)
    page.get_by_role("link", name="English").click()
    expect(page.locator("main")).to_contain_text("Transfer from another university")
    context.close()


TAG = re.compile(r"<style>.*?</style>|<[^>]*>", re.DOTALL)
LABELLING = re.compile(r'(?:aria-label|data-label)="([^"]*)"')
PLACEHOLDERS = re.compile(r"%\(\w+\)s")
HAN = re.compile(r"[\u3400-\u9fff]")


def _shown(page: str) -> str:
    """What a page shows or reads out: its text and its labelling attributes."""
    return html.unescape(" ".join([*LABELLING.findall(page), TAG.sub(" ", page)]))


def _words(text: str) -> list[str]:
    """The pieces of a catalog text between its values, as they would show on a page."""
    return [piece.strip(" .,:;()←→✓") for piece in PLACEHOLDERS.split(text)
            if len(piece.strip(" .,:;()←→✓")) > 2]


def test_a_chinese_page_shows_no_english_label_and_an_english_page_no_chinese_one(
    staff_app: str,
) -> None:
    client = _signed_in_client(staff_app)
    catalog = [(english, chinese) for english, chinese
               in translated(read_catalog(catalog_path("zh"))).items() if english != chinese]
    for lang in ("zh", "en"):
        pages = [httpx.get(f"{staff_app}/staff/sign-in?lang={lang}", timeout=30)] + [
            client.get(f"{path}?lang={lang}") for path in (
                "/staff/", f"/staff/cases/{LOST}", f"/staff/cases/{TRANSFER}",
                "/staff/cases/CPU-2026-000404")]
        for response in pages:
            shown = _shown(response.text)
            other = [word for english, chinese in catalog
                     for word in _words(english if lang == "zh" else chinese)
                     if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", shown)]
            assert other == [], (lang, response.url.path)
            if lang == "en":  # and nothing Chinese but the link to the Chinese page
                assert HAN.findall(shown.replace("中文", "")) == [], response.url.path


def _signed_in_client(base: str, name: str = "Bo") -> httpx.Client:
    """An HTTP client that went through the sign-in form like a browser."""
    client = httpx.Client(base_url=base, timeout=30)
    form = client.get("/staff/sign-in")
    match = CSRF_FIELD.search(form.text)
    assert match is not None
    signed_in = client.post("/staff/sign-in", data={"csrf": match.group(1), "name": name,
                                                    "token": TOKEN, "next": "/staff/"})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staff/"
    return client


def _csrf(client: httpx.Client, reference: str = LOST) -> str:
    match = CSRF_FIELD.search(client.get(f"/staff/cases/{reference}").text)
    assert match is not None
    return match.group(1)


def _status_of(factory: sessionmaker[Session], reference: str) -> tuple[str, int]:
    with factory.begin() as session:
        case = find_case(session, reference)
        assert case is not None
        return case.status, len(case.events)


def test_a_status_change_without_the_forms_token_is_refused(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    ann, bo = _signed_in_client(staff_app, "Ann"), _signed_in_client(staff_app, "Bo")
    path = f"/staff/cases/{LOST}/status"
    for client, data in [
        (ann, {"status": "in_review"}),
        (ann, {"status": "in_review", "csrf": ""}),
        (ann, {"status": "in_review", "csrf": "forged"}),
        (ann, {"status": "in_review", "csrf": _csrf(bo)}),  # another session's token
    ]:
        refused = client.post(path, data=data)
        assert refused.status_code == 403
        assert "This form has expired" in refused.text
    assert ann.post(f"/staff/cases/{LOST}/notes", data={"text": "x"}).status_code == 403
    assert ann.post("/staff/sign-out", data={}).status_code == 403
    assert _status_of(factory, LOST) == ("submitted", 1)
    with factory.begin() as session:
        assert pending_notifications(session, "telegram") == []

    accepted = ann.post(path, data={"status": "in_review", "csrf": _csrf(ann)})
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/staff/cases/{LOST}?done=status"
    assert _status_of(factory, LOST) == ("in_review", 2)


def test_a_sign_in_form_not_served_to_this_browser_is_refused(staff_app: str) -> None:
    client = httpx.Client(base_url=staff_app, timeout=30)
    refused = client.post("/staff/sign-in", data={"csrf": "made-up", "name": "Eve",
                                                  "token": TOKEN})
    assert refused.status_code == 403
    assert "staff_session" not in refused.headers.get("set-cookie", "")


def test_without_a_valid_session_every_page_leads_to_the_sign_in_form(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    for cookie in (None, "forged.cookie", "eyJuIjoiRXZlIn0.AAAA"):
        client = httpx.Client(base_url=staff_app, timeout=30)
        if cookie is not None:
            client.cookies.set("staff_session", cookie, path="/staff")
        for method, path in [("GET", "/staff/"), ("GET", f"/staff/cases/{LOST}"),
                             ("POST", f"/staff/cases/{LOST}/status")]:
            response = client.request(method, path, data={"status": "rejected"})
            assert response.status_code == 303, (cookie, method, path)
            assert response.headers["location"].startswith("/staff/sign-in")
    assert _status_of(factory, LOST) == ("submitted", 1)


def test_a_move_the_workflow_forbids_is_refused_with_the_case_shown_again(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    client = _signed_in_client(staff_app)
    refused = client.post(f"/staff/cases/{LOST}/status",
                          data={"status": "done", "csrf": _csrf(client)})
    assert refused.status_code == 409
    assert "not allowed from the current status (submitted)" in refused.text
    empty = client.post(f"/staff/cases/{LOST}/notes", data={"text": " ", "csrf": _csrf(client)})
    assert empty.status_code == 400 and "A note needs some text." in empty.text
    missing = client.get("/staff/cases/CPU-2026-000404")
    assert missing.status_code == 404 and "There is no request CPU-2026-000404." in missing.text
    assert _status_of(factory, LOST) == ("submitted", 1)


def test_a_note_is_added_to_the_history_with_identifiers_masked(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    client = _signed_in_client(staff_app)
    added = client.post(f"/staff/cases/{TRANSFER}/notes",
                        data={"text": "Called about passport G87654321", "csrf":
                              _csrf(client, TRANSFER)})
    assert added.status_code == 303
    page = client.get(added.headers["location"])
    assert "Note added." in page.text and "G87654321" not in page.text
    with factory.begin() as session:
        case = find_case(session, TRANSFER)
        assert case is not None
        assert (case.events[-1].actor, case.events[-1].note) == (
            "staff:Bo", "Called about passport [redacted]")
        assert pending_notifications(session, "web") == []  # an internal note tells nobody


def test_pages_are_not_cached_framed_or_allowed_to_run_scripts(staff_app: str) -> None:
    client = _signed_in_client(staff_app)
    for path in ("/staff/", f"/staff/cases/{LOST}", "/staff/sign-in"):
        headers = client.get(path, follow_redirects=True).headers
        assert headers["cache-control"] == "no-store"
        assert "script-src" not in headers["content-security-policy"]
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert httpx.get(f"{staff_app}/", timeout=30).headers["location"] == "/staff/"
    outside = client.get("/staff/sign-in", params={"next": "//evil.example/"})
    assert outside.status_code == 303 and outside.headers["location"] == "/staff/"


def test_without_a_configured_token_the_page_says_sign_in_is_off(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    app = start_staff_app(subprocess_env)  # STAFF_API_TOKEN is not set
    base = app.url
    try:
        client = httpx.Client(base_url=base, timeout=30)
        form = client.get("/staff/sign-in")
        assert form.status_code == 503 and "STAFF_API_TOKEN is not set" in form.text
        match = CSRF_FIELD.search(form.text)
        assert match is None  # no form to fill
        tried = client.post("/staff/sign-in", data={"name": "Eve", "token": "None"})
        assert tried.status_code == 503 and "staff_session" not in tried.headers.get(
            "set-cookie", "")
        assert client.get("/staff/").status_code == 303
    finally:
        app.stop()


def test_an_oversized_form_is_refused_before_it_is_read_to_the_end(staff_app: str) -> None:
    client = _signed_in_client(staff_app)
    huge = client.post(f"/staff/cases/{LOST}/notes",
                       data={"csrf": _csrf(client), "text": "x" * 70_000})
    assert huge.status_code == 413
    many = client.post(f"/staff/cases/{LOST}/notes",
                       data={f"field{n}": "1" for n in range(30)})
    assert many.status_code == 413


CASE_LINK = re.compile(r'href="/staff/cases/([^"]+)"')
NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')
EXPORT_LINK = re.compile(r'href="(/staff/export\.csv[^"]*)"')


def _thirty_questions(factory: sessionmaker[Session]) -> None:
    """30 questions at CPU from one REST user (CPU-2026-000002 to CPU-2026-000031)."""
    with factory.begin() as session:
        person = get_or_create_person(session, channel="rest", channel_user_id="r9")
        for _ in range(30):
            open_case(session, person=person, case_type="talk_to_person", institution="CPU",
                      facts={"question": "When?"}, today=date(2026, 3, 3))


def test_the_queue_pages_keep_the_search_filters_and_order(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    _thirty_questions(factory)
    client = _signed_in_client(staff_app)
    first = client.get("/staff/", params={"q": "r9", "state": "open", "sort": "newest"})
    assert "30 request(s), page 1 of 2." in first.text
    assert CASE_LINK.findall(first.text)[:2] == ["CPU-2026-000031", "CPU-2026-000030"]
    assert len(CASE_LINK.findall(first.text)) == 25
    assert 'rel="prev"' not in first.text
    next_link = NEXT_LINK.search(first.text)
    assert next_link is not None
    second = client.get(html.unescape(next_link.group(1)))
    assert "page 2 of 2" in second.text and 'rel="next"' not in second.text
    assert CASE_LINK.findall(second.text) == [f"CPU-2026-{n:06d}" for n in range(6, 1, -1)]
    assert 'value="r9"' in second.text and '<option value="newest" selected>' in second.text

    beyond = client.get("/staff/", params={"page": "7"})
    assert "32 request(s), page 2 of 2." in beyond.text
    nothing = client.get("/staff/", params={"q": "r9", "state": "finished"})
    assert "0 request(s), page 1 of 1." in nothing.text and "No request matches." in nothing.text


def test_the_csv_link_exports_every_page_of_the_current_filter(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    _thirty_questions(factory)
    client = _signed_in_client(staff_app)
    queue = client.get("/staff/", params={"q": "r9", "sort": "newest", "page": "2"})
    link = EXPORT_LINK.search(queue.text)
    assert link is not None and "page=" not in link.group(1)
    exported = client.get(html.unescape(link.group(1)))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["reference"] for row in rows] == [f"CPU-2026-{n:06d}" for n in range(31, 1, -1)]
    signed_out = httpx.get(f"{staff_app}{link.group(1)}", timeout=30)
    assert signed_out.status_code == 303


def test_a_reply_goes_to_the_person_and_the_page_says_who_cannot_be_reached(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    client = _signed_in_client(staff_app)
    queue = client.get("/staff/").text
    assert "#1 · Telegram s1" in queue and "#2 · web s2" in queue  # "web": no such channel
    web_case = client.get(f"/staff/cases/{TRANSFER}").text
    assert "web: cannot be reached; they will see it when they ask" in web_case
    lost = client.get(f"/staff/cases/{LOST}").text
    assert "Telegram: messages are sent to them" in lost
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d \(China time\)", lost)

    sent = client.post(f"/staff/cases/{LOST}/reply",
                       data={"text": "Come to room 101", "csrf": _csrf(client)})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/staff/cases/{LOST}?done=reply"
    shown = client.get(sent.headers["location"]).text
    assert "Reply recorded." in shown and "Reply to the person" in shown
    empty = client.post(f"/staff/cases/{LOST}/reply", data={"text": "", "csrf": _csrf(client)})
    assert empty.status_code == 400 and "A reply needs some text." in empty.text
    assert _status_of(factory, LOST) == ("submitted", 2)
    with factory.begin() as session:
        [message] = pending_notifications(session, "telegram")
        assert message.kind == "reply" and message.text.endswith("Come to room 101")


def test_a_request_assigned_to_me_is_shown_and_found_with_mine(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    bo, ann = _signed_in_client(staff_app, "Bo"), _signed_in_client(staff_app, "Ann")
    taken = bo.post(f"/staff/cases/{LOST}/assign", data={"to": "me", "csrf": _csrf(bo)})
    assert taken.headers["location"] == f"/staff/cases/{LOST}?done=assign"
    mine = bo.get("/staff/", params={"mine": "1"}).text
    assert CASE_LINK.findall(mine) == [LOST] and "1 request(s)" in mine
    assert CASE_LINK.findall(ann.get("/staff/", params={"mine": "1"}).text) == []
    everyone = ann.get("/staff/").text
    assert "<td data-label=\"Assigned to\">Bo</td>" in everyone
    assert "Unassign" in bo.get(f"/staff/cases/{LOST}").text
    given_back = bo.post(f"/staff/cases/{LOST}/assign", data={"to": "nobody", "csrf": _csrf(bo)})
    assert given_back.status_code == 303
    with factory.begin() as session:
        case = find_case(session, LOST)
        assert case is not None and case.assigned_to is None
        assert [(e.field, e.old, e.new, e.actor) for e in case.events[1:]] == [
            ("assigned_to", None, "Bo", "staff:Bo"), ("assigned_to", "Bo", None, "staff:Bo")]


ITEM_FIELD = re.compile(r'name="item" value="([^"]+)"')


def _ticks(factory: sessionmaker[Session], reference: str = LOST) -> dict[str, str]:
    with factory.begin() as session:
        case = find_case(session, reference)
        assert case is not None
        return {key: tick.ticked_by for key, tick in checklist_ticks(session, case).items()}


def test_a_checklist_tick_needs_the_forms_token_and_an_item_of_the_checklist(
    staff_app: str, factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    ann, bo = _signed_in_client(staff_app, "Ann"), _signed_in_client(staff_app, "Bo")
    page = ann.get(f"/staff/cases/{LOST}").text
    assert ITEM_FIELD.findall(page)[1] == POLICE
    path = f"/staff/cases/{LOST}/checklist"
    for data in [
        {"item": POLICE, "done": "1"},
        {"item": POLICE, "done": "1", "csrf": ""},
        {"item": POLICE, "done": "1", "csrf": "forged"},
        {"item": POLICE, "done": "1", "csrf": _csrf(bo)},  # another session's token
    ]:
        refused = ann.post(path, data=data)
        assert refused.status_code == 403 and "This form has expired" in refused.text
    signed_out = httpx.post(f"{staff_app}{path}", data={"item": POLICE, "done": "1"}, timeout=30)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/staff/sign-in")
    unknown = ann.post(path, data={"item": "99-made-up", "done": "1", "csrf": _csrf(ann)})
    assert unknown.status_code == 400
    assert "That item is not on this request&#39;s checklist." in unknown.text
    assert _ticks(factory) == {} and _status_of(factory, LOST) == ("submitted", 1)

    ticked = ann.post(path, data={"item": POLICE, "done": "1", "csrf": _csrf(ann)})
    assert ticked.status_code == 303
    assert ticked.headers["location"] == f"/staff/cases/{LOST}?done=checklist#checklist"
    assert _ticks(factory) == {POLICE: "Ann"}
    again = bo.post(path, data={"item": POLICE, "done": "1", "csrf": _csrf(bo)})
    assert again.status_code == 303 and _ticks(factory) == {POLICE: "Ann"}  # still Ann's

    restarted = start_staff_app({**subprocess_env, "STAFF_API_TOKEN": TOKEN})
    try:
        shown = _signed_in_client(restarted.url, "Cy").get(f"/staff/cases/{LOST}").text
    finally:
        restarted.stop()
    police = shown[shown.index("Report the loss to your local police station."):]
    police = police[:police.index("</li>")]
    assert "✓ Ann, " in police and "(China time)" in police and ">Untick</button>" in police

    unticked = bo.post(path, data={"item": POLICE, "done": "0", "csrf": _csrf(bo)})
    assert unticked.status_code == 303 and _ticks(factory) == {}
    with factory.begin() as session:
        case = find_case(session, LOST)
        assert case is not None and case.status == "submitted"
        assert [(e.field, e.actor, e.old, e.new) for e in case.events[1:]] == [
            ("checklist", "staff:Ann", None, POLICE), ("checklist", "staff:Bo", POLICE, None)]
        assert pending_notifications(session, "telegram") == []  # the person is not told
    history = bo.get(f"/staff/cases/{LOST}").text
    assert "Unticked: Report the loss to your local police station." in history


STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def test_every_page_has_one_style_sheet_the_policy_allows_and_no_script(
    staff_app: str,
) -> None:
    client = _signed_in_client(staff_app)
    pages = [httpx.get(f"{staff_app}/staff/sign-in", timeout=30)] + [
        client.get(path) for path in ("/staff/", f"/staff/cases/{LOST}",
                                      "/staff/cases/CPU-2026-000404")]
    for response in pages:
        path = response.url.path
        [style] = STYLE.findall(response.text)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        policy = response.headers["content-security-policy"]
        assert f"style-src 'sha256-{digest}';" in policy, path
        assert "<script" not in response.text and " style=" not in response.text, path


def test_who_a_request_is_for_is_shown_and_found_by_name_or_number(
    staff_app: str, factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        student = get_or_create_person(session, channel="telegram", channel_user_id="s1")
        set_person_details(student, {"full_name": "Ali Khan", "member_number": "2023123456",
                                     "contact": "ali.khan@example.com"})
    client = _signed_in_client(staff_app)
    assert "Ali Khan (2023123456) · #1 · Telegram s1" in client.get("/staff/").text
    case = client.get(f"/staff/cases/{LOST}").text
    assert "contact they gave: ali.khan@example.com" in case
    for search in ("khan", "2023123456"):
        found = client.get("/staff/", params={"q": search}).text
        assert CASE_LINK.findall(found) == [LOST], search
    assert CASE_LINK.findall(client.get("/staff/", params={"q": "Nobody"}).text) == []



def _guess(base: str, *, name: str, token: str = "not-the-token",
           headers: dict[str, str] | None = None,
           start: threading.Barrier | None = None) -> httpx.Response:
    """One sign-in from a browser of its own (its own form value and cookie); with ``start``,
    the form is posted when every thread waiting on it has its form."""
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        match = CSRF_FIELD.search(client.get("/staff/sign-in").text)
        assert match is not None
        if start is not None:
            start.wait(timeout=60)
        return client.post("/staff/sign-in", data={"csrf": match.group(1), "name": name,
                                                   "token": token, "next": "/staff/"})


def _refused_unchecked(response: httpx.Response, paused: str = "Sign-in is paused") -> None:
    """429 with the wait in Retry-After and on the page, and no session."""
    assert response.status_code == 429, response.status_code
    assert 0 < int(response.headers["retry-after"]) <= 15 * 60
    assert paused in html.unescape(response.text)
    assert "staff_session" not in response.headers.get("set-cookie", "")


def test_twenty_wrong_tokens_sent_at_once_are_checked_five_times_then_refused(
    staff_app: str,
) -> None:
    for name in ("Ann", "Bo", "Cy"):  # right tokens do not count
        assert _guess(staff_app, name=name, token=TOKEN).status_code == 303

    start = threading.Barrier(20)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda n: _guess(staff_app, name=f"Eve {n}", start=start),
                                range(20)))
    statuses = sorted(response.status_code for response in answers)
    assert statuses == [401] * 5 + [429] * 15
    for response in answers:
        if response.status_code == 429:
            _refused_unchecked(response)
            assert "Try again in 15 minute(s)." in response.text

    _refused_unchecked(_guess(staff_app, name="Ann", token=TOKEN))  # right, but unchecked
    _refused_unchecked(_guess(staff_app, name="Dan"))  # another name, the same address
    _refused_unchecked(_guess(staff_app, name="李老师", token=TOKEN,
                              headers={"Accept-Language": "zh-CN"}), paused="登录已暂停")


def test_behind_the_proxy_each_client_counts_alone_and_a_name_counts_everywhere(
    staff_app: str,
) -> None:
    # Uvicorn trusts X-Forwarded-For from 127.0.0.1 (FORWARDED_ALLOW_IPS), as from nginx on
    # the same machine: the limiter sees the address nginx appended last.
    def via_proxy(address: str) -> dict[str, str]:
        return {"X-Forwarded-For": f"192.0.2.66, {address}"}

    for n in range(5):
        wrong = _guess(staff_app, name="Eve", headers=via_proxy("198.51.100.7"))
        assert wrong.status_code == 401, n
    _refused_unchecked(_guess(staff_app, name="Mallory", headers=via_proxy("198.51.100.7")))

    cafe = via_proxy("203.0.113.9")
    assert _guess(staff_app, name="Bo", headers=cafe).status_code == 401
    _refused_unchecked(_guess(staff_app, name=" eve ", token=TOKEN, headers=cafe))
    signed_in = _guess(staff_app, name="Ann", token=TOKEN, headers=cafe)
    assert signed_in.status_code == 303 and "staff_session=" in signed_in.headers["set-cookie"]
