"""The web chat in a real browser: Debian's headless Chromium driven by Playwright.

The page, the vendored widget, Rasa's socket.io channel and the action server are all the
real ones `make run` starts. Screenshots land in test-artifacts/ (widget.png, widget-phone.png,
widget-buttons-phone.png).

These tests fail (rather than skip) without Chromium when REQUIRE_BROWSER=1, as in
`make test`; run scripts/chromium.sh to install it.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from supervisor.processes import REPO_ROOT, rasa_environment, rasa_python
from tests.conftest import RunningAssistant

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ARTIFACTS = REPO_ROOT / "test-artifacts"
REFERENCE = re.compile(r"CPU-\d{4}-\d{6}")
HAN = re.compile(r"[\u4e00-\u9fff]")
REPLY_TIMEOUT_MS = 60_000
AA_CONTRAST = 4.5  # WCAG 2.1 AA, normal text (1.4.3)
TOUCH_TARGET_PX = 44  # WCAG 2.5.5, Apple's Human Interface Guidelines

# Runs in the page: for each visible element matching the selector, the contrast ratio of
# its text colour (of its ``pseudo`` element, e.g. "::placeholder", when given) against the
# background it is drawn on (its own, else the first ancestor's that is not transparent,
# semi-transparent layers composed over what lies below), and its height in CSS pixels.
LEGIBILITY_JS = """([selector, pseudo]) => {
  const rgba = (text) => {
    const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number);
    return { r, g, b, a };
  };
  const over = (top, below) => ({ r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a), b: top.b * top.a + below.b * (1 - top.a), a: 1 });
  const background = (element) => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) { layers.push(colour); }
      if (colour.a >= 1) { break; }
    }
    const page = { r: 255, g: 255, b: 255, a: 1 };
    return layers.reduceRight((below, layer) => over(layer, below), page);
  };
  const luminance = ({ r, g, b }) => {
    const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  return Array.from(document.querySelectorAll(selector))
    .filter((element) => element.checkVisibility())
    .map((element) => {
      const behind = background(element);
      const text = over(rgba(getComputedStyle(element, pseudo).color), behind);
      const [light, dark] = [luminance(text), luminance(behind)].sort((x, y) => y - x);
      const classes = element.getAttribute("class") || "";
      return { label: (element.innerText || element.getAttribute("placeholder") || classes)
                 .trim().slice(0, 60),
               classes,
               contrast: Math.round((light + 0.05) / (dark + 0.05) * 100) / 100,
               height: element.getBoundingClientRect().height };
    });
}"""


def test_the_engines_python_socketio_keeps_enter_room_synchronous() -> None:
    """Rasa 3.6 calls ``AsyncServer.enter_room`` without ``await``; python-socketio 5.10 made
    it a coroutine, and with a newer python-socketio the browser never gets a reply
    (RasaHQ/rasa#13027), so the widget tests below would only time out."""
    check = ("import inspect, socketio; "
             "print(inspect.iscoroutinefunction(socketio.AsyncServer.enter_room))")
    result = subprocess.run([str(rasa_python()), "-c", check], capture_output=True, text=True,
                            env=rasa_environment(), check=True)
    assert result.stdout.split()[-1:] == ["False"], (
        "the engine's python-socketio >= 5.10 breaks Rasa 3.6's session_persistence "
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


def stored_session_id(page: Page) -> str | None:
    """The widget's session id (Rasa's conversation id without "web:") in localStorage."""
    session_id: str | None = page.evaluate(
        "() => JSON.parse(localStorage.getItem('chat_session') || '{}').session_id")
    return session_id


def legibility(page: Page, selector: str, pseudo: str | None = None) -> list[dict[str, Any]]:
    """Contrast ratio and height of every visible element matching ``selector``."""
    found: list[dict[str, Any]] = page.evaluate(LEGIBILITY_JS, [selector, pseudo])
    return found


# A request the person said yes to asks which university, then who it is for, and is sent
# with the last answer.
FIRST_REQUEST = {
    "en": ("China Pharmaceutical University",
           (("full name", "Ali Khan"), ("student or staff number", "2023123456"),
            ("reach you", "ali.khan@example.com"))),
    "zh": ("中国药科大学",
           (("您的姓名", "王小明"), ("学号或工号是多少", "2023123456"), ("联系您", "13812345678"))),
}


def click(page: Page, title: str) -> None:
    """Taps the newest answer button with ``title`` once it is shown."""
    button = page.locator(".rw-reply", has_text=title).last
    expect(button).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    button.click()


def answer_first_request(page: Page, lang: str) -> None:
    """Answers a first request's questions in the widget."""
    university, details = FIRST_REQUEST[lang]
    click(page, university)
    for prompt, answer in details:
        expect(page.locator(".rw-response").filter(has_text=prompt).first).to_be_visible(
            timeout=REPLY_TIMEOUT_MS)
        send(page, answer)


def record_timing(name: str, seconds: float) -> None:
    """Adds one measured figure to test-artifacts/widget-timings.json."""
    path = ARTIFACTS / "widget-timings.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[name] = round(seconds, 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True))


def test_the_widget_opens_a_case_and_keeps_the_conversation_across_a_reload(
    browser: Browser, assistant: RunningAssistant
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
    opened = time.monotonic()
    page.goto(f"{assistant.web_url}/?lang=en")
    expect(page.locator(".rw-response").first).to_contain_text("Hello", timeout=REPLY_TIMEOUT_MS)
    record_timing("page_open_to_greeting_s", time.monotonic() - opened)
    expect(page.locator(".rw-title")).to_have_text("International Office")

    send(page, "I lost my passport yesterday")
    # The steps and the request's button: nothing is opened until the person asks.
    expect(page.locator(".rw-reply").filter(has_text="Lost or damaged passport")).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
    assert "Article 13" in responses(page)
    assert not REFERENCE.search(responses(page))
    send(page, "yes")
    answer_first_request(page, "en")
    sent = time.monotonic()
    expect(page.locator(".rw-response").filter(has_text=REFERENCE).first).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
    record_timing("confirm_to_reference_reply_s", time.monotonic() - sent)
    reference = REFERENCE.findall(responses(page))[0]
    page.screenshot(path=str(ARTIFACTS / "widget.png"))

    session_id = stored_session_id(page)
    assert session_id
    page.reload()
    expect(page.locator(".rw-response").filter(has_text=reference).first).to_be_visible()
    expect(page.locator(".rw-client").filter(has_text="I lost my passport yesterday").first
           ).to_be_visible()
    assert stored_session_id(page) == session_id

    tracker = assistant.tracker(session_id, prefix="web:")
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert "I lost my passport yesterday" in said
    page.close()


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

    send(page, "我的护照昨天丢了")
    expect(page.locator(".rw-reply").filter(has_text="护照或居留证件遗失")).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
    assert "派出所" in responses(page)
    send(page, "好的")
    answer_first_request(page, "zh")
    expect(page.locator(".rw-response").filter(has_text=REFERENCE).first).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
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


def test_the_socket_channel_passes_the_widgets_custom_data_to_rasa_as_metadata() -> None:
    """The widget sends the chosen language as ``customData``; Rasa's socket.io channel reads
    it as the message's metadata only when credentials.yml names that key."""
    credentials = yaml.safe_load((REPO_ROOT / "credentials.yml").read_text("utf-8"))
    channel = credentials.get("engine.serving.channels.WebChatInput") or {}
    assert channel.get("metadata_key") == "customData", (
        "credentials.yml: the socketio channel needs `metadata_key: customData` for the "
        "widget's customData to reach Rasa as metadata")


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
    expect(page.locator(".rw-response").last).to_contain_text(HAN, timeout=REPLY_TIMEOUT_MS)
    context.close()


def test_on_a_universitys_page_the_widget_answers_with_that_universitys_rules(
    browser: Browser, assistant: RunningAssistant
) -> None:
    """The page says whose it is (``?university=``, or ``data-university`` in embed.js); the
    widget sends it with every message and the person never has to name the university."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{assistant.web_url}/?lang=en&university=JSNU")
    expect(page.locator(".rw-response").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    send(page, "I lost my passport yesterday")
    expect(page.locator(".rw-response").filter(has_text="Jiangsu Normal University").first
           ).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    assert "China Pharmaceutical University" not in responses(page)
    session_id = stored_session_id(page)
    assert session_id
    tracker = assistant.tracker(session_id, prefix="web:")
    pages = [(event.get("metadata") or {}).get("university") for event in tracker["events"]
             if event["event"] == "user"]
    assert pages and set(pages) == {"JSNU"}
    context.close()


def test_on_a_phone_every_button_is_readable_and_big_enough_to_tap(
    browser: Browser, assistant: RunningAssistant
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="en-GB")
    page = context.new_page()
    page.goto(f"{assistant.web_url}/?lang=en")
    expect(page.locator(".rw-response").first).to_contain_text("Hello", timeout=REPLY_TIMEOUT_MS)
    send(page, "I want to open a request")  # answered with one button per type of request
    expect(page.locator(".rw-reply").filter(has_text="Lost or damaged passport")).to_be_visible(
        timeout=REPLY_TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "widget-buttons-phone.png"))

    buttons = legibility(page, "button, [role='button'], .rw-reply")
    assert sum("rw-reply" in button["classes"] for button in buttons) >= 5
    assert any("rw-send" in button["classes"] for button in buttons)
    assert any(button["label"] == "中文" for button in buttons)
    faint = [button for button in buttons if button["contrast"] < AA_CONTRAST]
    assert not faint, f"buttons below {AA_CONTRAST}:1 contrast: {faint}"
    small = [button for button in buttons if button["height"] < TOUCH_TARGET_PX]
    assert not small, f"buttons less than {TOUCH_TARGET_PX} px tall: {small}"

    texts = legibility(page, ".rw-response, .rw-client, .rw-new-message")
    texts += legibility(page, ".rw-new-message", "::placeholder")
    assert len(texts) >= 5  # greeting, question, the person's message, input, placeholder
    faint = [text for text in texts if text["contrast"] < AA_CONTRAST]
    assert not faint, f"messages or input below {AA_CONTRAST}:1 contrast: {faint}"
    context.close()


def test_switching_to_chinese_mid_conversation_answers_the_next_message_in_chinese(
    browser: Browser, assistant: RunningAssistant
) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{assistant.web_url}/?lang=en")
    expect(page.locator(".rw-response").first).to_contain_text("Hello", timeout=REPLY_TIMEOUT_MS)
    send(page, "hello")
    expect(page.locator(".rw-response").nth(1)).to_contain_text("Hello", timeout=REPLY_TIMEOUT_MS)
    assert not HAN.search(responses(page))
    session_id = stored_session_id(page)
    assert session_id

    page.get_by_role("button", name="中文").click()
    expect(page).to_have_url(re.compile(r"lang=zh"))
    expect(page.locator("#page-title")).to_have_text("国际处智能助手")
    # The reloaded page shows the same conversation before anything new is said.
    expect(page.locator(".rw-client").filter(has_text="hello")).to_be_visible()
    expect(page.locator(".rw-response")).to_have_count(2)
    send(page, "how long can my residence permit be")  # English words, Chinese chosen
    expect(page.locator(".rw-response").nth(2)).to_contain_text(HAN, timeout=REPLY_TIMEOUT_MS)
    assert stored_session_id(page) == session_id

    tracker = assistant.tracker(session_id, prefix="web:")
    said = [(event.get("text"), (event.get("metadata") or {}).get("language"))
            for event in tracker["events"] if event["event"] == "user"]
    assert ("hello", "en") in said
    assert ("how long can my residence permit be", "zh") in said
    context.close()
