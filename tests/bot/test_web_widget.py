"""The web chat in a real browser: Debian's headless Chromium driven by Playwright.

The page, the vendored widget, Rasa's socket.io channel and the action server are all the
real ones `make run` starts. Screenshots land in test-artifacts/ (widget.png, widget-phone.png).

These tests fail (rather than skip) without Chromium when REQUIRE_BROWSER=1, as in
`make test`; run scripts/chromium.sh to install it.
"""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from bot.processes import REPO_ROOT, rasa_environment, rasa_python
from tests.conftest import RunningAssistant

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ARTIFACTS = REPO_ROOT / "test-artifacts"
REFERENCE = re.compile(r"CPU-\d{4}-\d{6}")
REPLY_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def rooms_work() -> bool:
    """Whether Rasa's socket.io channel can deliver replies with session_persistence.

    Rasa 3.6 calls ``AsyncServer.enter_room`` without ``await``; python-socketio 5.10 made
    it a coroutine, so with a newer python-socketio the browser never gets a reply
    (RasaHQ/rasa#13027). The engine environment must pin python-socketio below 5.10.
    """
    check = ("import inspect, socketio; "
             "print(inspect.iscoroutinefunction(socketio.AsyncServer.enter_room))")
    python = rasa_python()
    result = subprocess.run([str(python), "-c", check], capture_output=True, text=True,
                            env=rasa_environment(), check=True)
    return result.stdout.strip() == "False"


@pytest.fixture
def replies_reach_the_browser(rooms_work: bool) -> None:
    """Stops the test as an expected failure while the engine has the socket.io bug (the
    check above is exact, so waiting a minute for a reply that cannot come proves nothing)."""
    if not rooms_work:
        pytest.xfail("the engine's python-socketio >= 5.10 breaks Rasa 3.6's session_persistence "
                     "(enter_room not awaited, RasaHQ/rasa#13027): pin python-socketio<5.10 in "
                     "engine/pyproject.toml")


def send(page: Page, text: str) -> float:
    """Types a message into the widget and sends it; returns when it was sent."""
    box = page.locator(".rw-new-message")
    box.fill(text)
    sent = time.monotonic()
    box.press("Enter")
    return sent


def responses(page: Page) -> str:
    """Everything the bot has said on the page so far."""
    return "\n".join(page.locator(".rw-response").all_inner_texts())


def record_timing(name: str, seconds: float) -> None:
    """Adds one measured figure to test-artifacts/widget-timings.json."""
    path = ARTIFACTS / "widget-timings.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[name] = round(seconds, 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True))


@pytest.mark.usefixtures("replies_reach_the_browser")
def test_the_widget_opens_a_case_and_keeps_the_conversation_across_a_reload(
    browser: Browser, assistant: RunningAssistant
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
    opened = time.monotonic()
    page.goto(f"{assistant.web_url}/?lang=en")
    expect(page.locator(".rw-response").first).to_contain_text("Hello", timeout=REPLY_TIMEOUT_MS)
    record_timing("page_open_to_greeting_s", time.monotonic() - opened)
    expect(page.locator(".rw-title")).to_have_text("International Office")

    sent = send(page, "I lost my passport")
    expect(page.locator(".rw-response").filter(has_text=REFERENCE).first).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
    record_timing("send_to_reference_reply_s", time.monotonic() - sent)
    reference = REFERENCE.findall(responses(page))[0]
    assert "Article 13" in responses(page)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))

    session_id = page.evaluate(
        "() => JSON.parse(localStorage.getItem('chat_session') || '{}').session_id")
    assert session_id
    page.reload()
    expect(page.locator(".rw-response").filter(has_text=reference).first).to_be_visible()
    expect(page.locator(".rw-client").filter(has_text="I lost my passport").first).to_be_visible()
    assert page.evaluate(
        "() => JSON.parse(localStorage.getItem('chat_session')).session_id") == session_id

    tracker = assistant.tracker(session_id, prefix="web:")
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert "I lost my passport" in said
    page.close()


@pytest.mark.usefixtures("replies_reach_the_browser")
def test_on_a_phone_the_chat_fits_the_screen_and_speaks_chinese(
    browser: Browser, assistant: RunningAssistant
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{assistant.web_url}/?lang=zh")
    expect(page.locator(".rw-title")).to_have_text("国际处")
    expect(page.locator(".rw-new-message")).to_have_attribute("placeholder", "请输入您的问题…")
    expect(page.locator(".rw-response").first).to_contain_text("您好", timeout=REPLY_TIMEOUT_MS)

    send(page, "我的护照丢了")
    expect(page.locator(".rw-response").filter(has_text=REFERENCE).first).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
    assert "派出所" in responses(page)
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways on a phone: {width}"
    box = page.locator(".rw-new-message").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # the input is on screen
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    context.close()


def test_the_language_toggle_switches_the_labels_and_is_remembered(
    browser: Browser, assistant: RunningAssistant
) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(assistant.web_url)
    expect(page.locator("#page-title")).to_have_text("International Office Assistant")
    page.get_by_role("button", name="中文").click()
    expect(page).to_have_url(re.compile(r"lang=zh"))
    expect(page.locator("#page-title")).to_have_text("国际处智能助手")
    expect(page.get_by_role("button", name="中文")).to_have_attribute("aria-pressed", "true")

    page.goto(assistant.web_url)  # no ?lang: the choice was remembered
    expect(page.locator(".rw-new-message")).to_have_attribute("placeholder", "请输入您的问题…")
    context.close()


@pytest.fixture
def custom_data_reaches_rasa(request: pytest.FixtureRequest) -> None:
    """Marks the test as an expected failure until credentials.yml forwards customData."""
    credentials = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text("utf-8"))
    channel = credentials.get("engine.serving.channels.WebChatInput") or {}
    if channel.get("metadata_key") != "customData":
        request.node.add_marker(pytest.mark.xfail(
            strict=True, reason="credentials.yml socketio needs `metadata_key: customData` for "
                                "the widget's customData to reach Rasa as metadata"))


@pytest.mark.usefixtures("replies_reach_the_browser", "custom_data_reaches_rasa")
def test_the_chosen_language_reaches_rasa_with_every_message(
    browser: Browser, assistant: RunningAssistant
) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{assistant.web_url}/?lang=zh")
    expect(page.locator(".rw-response").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    count = page.locator(".rw-response").count()
    send(page, "hello")  # English words, Chinese chosen: the choice wins
    page.wait_for_function("n => document.querySelectorAll('.rw-response').length > n",
                           arg=count, timeout=REPLY_TIMEOUT_MS)
    # The widget adds the bubble before it renders the text: wait for the text itself.
    expect(page.locator(".rw-response").last).to_contain_text(
        re.compile(r"[\u4e00-\u9fff]"), timeout=REPLY_TIMEOUT_MS
    )
    context.close()
