"""The web chat's static server, without a browser."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.web.server import (
    WebConfig,
    install_widget,
    make_app,
    page_language,
    page_university,
    render_page,
    socket_url,
)
from config.settings import Settings
from supervisor.processes import assistant_processes

RASA = "http://localhost:5005"


def page_settings(html: str) -> dict[str, object]:
    match = re.search(r'<script id="chat-settings" type="application/json">(.*?)</script>', html)
    assert match, html
    loaded: dict[str, object] = json.loads(match.group(1))
    return loaded


def make_client(config: WebConfig) -> httpx.AsyncClient:
    """An HTTP client talking to the app in-process, as a browser on the LAN would."""
    transport = httpx.ASGITransport(app=make_app(config))
    return httpx.AsyncClient(transport=transport, base_url="http://192.168.1.20:8080")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(WebConfig(rasa_url=RASA)) as client:
        yield client


def test_the_browser_reaches_rasa_on_the_host_it_used_for_the_page() -> None:
    assert socket_url(WebConfig(RASA), {}, "http", "192.168.1.20:8080") == "http://192.168.1.20:5005"
    assert socket_url(WebConfig(RASA), {}, "http", "[::1]:8080") == "http://[::1]:5005"
    assert socket_url(WebConfig(RASA), {}, "http", "chat.local") == "http://chat.local:5005"


def test_behind_a_reverse_proxy_the_socket_is_on_the_pages_own_origin() -> None:
    headers = {"x-forwarded-host": "chat.example.edu", "x-forwarded-proto": "https"}
    assert socket_url(WebConfig(RASA), headers, "http", "127.0.0.1:8080") == (
        "https://chat.example.edu"
    )


def test_a_fixed_socket_url_wins() -> None:
    config = WebConfig(RASA, socket_url="wss://rasa.example.edu")
    assert socket_url(config, {"x-forwarded-host": "x"}, "http", "h:1") == "wss://rasa.example.edu"


def test_only_known_languages_are_taken_from_the_query() -> None:
    assert page_language({"lang": "ZH"}) == "zh"
    assert page_language({"lang": "fr"}) is None
    assert page_language({}) is None


def test_only_known_universities_are_taken_from_the_query() -> None:
    assert page_university({"university": "jsnu"}) == "JSNU"
    assert page_university({"university": "Westlake University"}) == "WESTLAKE"
    assert page_university({"university": "Peking University"}) is None
    assert page_university({}) is None


async def test_a_universitys_page_tells_the_widget_whose_it_is(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/?lang=en&university=QJNU")
    assert page_settings(response.text)["university"] == "QJNU"


def test_settings_cannot_break_out_of_the_script_element() -> None:
    page = render_page('<script type="application/json">{{settings}}</script>',
                       {"socketUrl": "</script><script>alert(1)</script>"})
    assert page.count("</script>") == 1
    assert json.loads(page.split(">", 1)[1].rsplit("<", 1)[0])["socketUrl"].startswith("</script>")


async def test_the_page_tells_the_widget_where_rasa_is(client: httpx.AsyncClient) -> None:
    response = await client.get("/?lang=zh")
    assert response.status_code == 200
    assert 'name="viewport"' in response.text
    assert page_settings(response.text) == {"socketUrl": "http://192.168.1.20:5005", "lang": "zh",
                                            "university": None}
    assert '<html lang="zh">' in response.text


async def test_the_page_loads_the_widget_from_this_server_not_a_cdn(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/")).text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources == ["data:,", "/static/chat.css", "/widget/webchat.js", "/static/chat.js"]
    assert (await client.get("/static/chat.js")).status_code == 200
    assert (await client.get("/static/embed.js")).status_code == 200


async def test_the_embed_config_can_be_read_from_the_offices_own_site(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/config.json", headers={"Origin": "https://www.cpu.edu.cn"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.json()["socketUrl"] == "http://192.168.1.20:5005"


async def test_a_missing_widget_is_reported_not_hidden(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "index.html").write_text("{{settings}}", encoding="utf-8")
    async with make_client(WebConfig(rasa_url=RASA, root=tmp_path)) as client:
        assert (await client.get("/widget/webchat.js")).status_code == 503
        assert (await client.get("/health")).json() == {"status": "ok", "widget": False}


async def test_the_installed_widget_is_served_as_javascript(client: httpx.AsyncClient) -> None:
    install_widget()  # npm ci from the registry, unless already installed
    response = await client.get("/widget/webchat.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "WebChat" in response.text[:2000]


def test_make_run_serves_the_web_chat_and_starts_telegram_only_with_a_token() -> None:
    without = {spec.name for spec in assistant_processes(Settings(), Path("m.tar.gz"))}
    with_token = assistant_processes(Settings(telegram_bot_token="1:x", rasa_port=6005),
                                     Path("m.tar.gz"))
    assert "web" in without and "telegram" not in without
    telegram = next(spec for spec in with_token if spec.name == "telegram")
    assert telegram.argv[1:] == ("-m", "bot.telegram", "--rasa-url", "http://localhost:6005")


async def test_the_page_may_only_talk_to_this_server_and_rasas_socket(
    client: httpx.AsyncClient,
) -> None:
    policy = (await client.get("/")).headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["connect-src"] == (
        "'self' http://192.168.1.20:5005 ws://192.168.1.20:5005"
    )
    assert directives["script-src"] == "'self'"
    assert "googleapis" not in policy and "https:" not in directives["style-src"]
