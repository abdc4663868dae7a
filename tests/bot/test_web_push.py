"""The office's messages reach a web-chat student, in a real browser.

A student opens a request in the widget; a member of staff changes its status on the staff
page (another browser); the note appears in the open widget. With the chat closed, staff
reply again; when the student opens the chat again, the reply is there. Everything is the
real thing `make run` starts: page, widget, Rasa's socket.io channel, action server, staff
page and the web process's outbox pusher (bot/web/outbox.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.bot.test_web_widget import (
    REFERENCE,
    REPLY_TIMEOUT_MS,
    answer_first_request,
    click,
    send,
)
from tests.conftest import RunningAssistant

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PUSH_TIMEOUT_MS = 30_000


def open_lost_passport_request(page: Page) -> str:
    """Asks about a lost passport, takes the offered request, and returns its reference."""
    send(page, "I lost my passport yesterday")
    click(page, "Lost or damaged passport")
    answer_first_request(page, "en")
    reply = page.locator(".rw-response").filter(has_text=REFERENCE)
    expect(reply.first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    found = REFERENCE.search(reply.first.inner_text())
    assert found is not None
    return found.group(0)


def staff_case_page(context: BrowserContext, assistant: RunningAssistant, reference: str
                    ) -> Page:
    """The case's staff page, signed in."""
    page = context.new_page()
    page.goto(assistant.staff_url)
    page.get_by_label("Your name").fill("Mei")
    page.get_by_label("Staff token").fill(str(assistant.settings.staff_api_token))
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{assistant.staff_url}cases/{reference}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    return page


def test_a_status_note_reaches_the_open_widget_and_a_reply_waits_for_the_next_visit(
    browser: Browser, assistant: RunningAssistant
) -> None:
    student = browser.new_context(locale="en-GB")
    chat = student.new_page()
    chat.goto(f"{assistant.web_url}/?lang=en")
    expect(chat.locator(".rw-response").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    reference = open_lost_passport_request(chat)

    office = browser.new_context(locale="en-GB")
    staff = staff_case_page(office, assistant, reference)
    expect(staff.get_by_text("web chat: messages are sent to them").first).to_be_visible()
    staff.get_by_label("New status", exact=True).select_option("needs_information")
    staff.get_by_label("Note for the person").fill("Please bring the police record to room 101")
    staff.get_by_role("button", name="Change status").click()
    expect(staff.get_by_role("status")).to_contain_text("Status changed")

    pushed = chat.locator(".rw-response").filter(has_text="police record to room 101")
    expect(pushed.first).to_be_visible(timeout=PUSH_TIMEOUT_MS)
    expect(pushed.first).to_contain_text(reference)
    chat.close()  # the student leaves; the widget keeps its session in localStorage

    staff.get_by_label(re.compile(r"^Message \(sent to the person")).fill(
        "The loss letter is ready: come any afternoon")
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_role("status")).to_contain_text("Reply recorded")

    back = student.new_page()
    back.goto(f"{assistant.web_url}/?lang=en")
    expect(back.locator(".rw-response").filter(has_text="loss letter is ready").first
           ).to_be_visible(timeout=PUSH_TIMEOUT_MS)
    # The conversation is the same one: the earlier note is still on the page.
    expect(back.locator(".rw-response").filter(has_text="police record").first).to_be_visible()
    office.close()
    student.close()
