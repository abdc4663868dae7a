"""Running the bridge: long polling by default, a webhook when TELEGRAM_WEBHOOK_URL is set.

``python -m bot.telegram`` (started by ``make run`` when TELEGRAM_BOT_TOKEN is set).
In webhook mode a small Starlette app receives Telegram's POSTs on the webhook URL's path
(behind an HTTPS reverse proxy) and refuses any request without the secret token header.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import signal
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, PicklePersistence

from bot.telegram.bridge import Bridge
from bot.telegram.outbox import DEFAULT_POLL_SECONDS
from bot.telegram.queues import DEFAULT_BACKLOG, ChatQueues
from bot.telegram.rasa import REPLY_TIMEOUT_SECONDS, RasaClient
from casestore.db import make_engine, make_session_factory, migrate
from config.log_masking import install_log_masking
from config.settings import REPO_ROOT, Settings, load_settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_STATE_FILE = REPO_ROOT / "var" / "telegram-chats.pickle"
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8443"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass(frozen=True)
class BridgeOptions:
    """How this bridge process runs, beyond the shared settings."""

    rasa_url: str
    state_file: Path = DEFAULT_STATE_FILE
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8443
    outbox_poll_seconds: float = DEFAULT_POLL_SECONDS
    backlog: int = DEFAULT_BACKLOG
    rasa_timeout: float = REPLY_TIMEOUT_SECONDS


def secret_matches(received: str | None, expected: str) -> bool:
    """Whether a webhook request carries the secret token (compared in constant time)."""
    return received is not None and hmac.compare_digest(received.encode(), expected.encode())


def webhook_path(webhook_url: str) -> str:
    """The path Telegram POSTs to, from the public webhook URL ("/" when it has none)."""
    return urlsplit(webhook_url).path or "/"


def build_application(settings: Settings, options: BridgeOptions, bridge: Bridge) -> AnyApplication:
    """The PTB application: Bot API URL from settings, concurrent updates, chat memory."""
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    options.state_file.parent.mkdir(parents=True, exist_ok=True)
    application = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_url)
        .concurrent_updates(True)
        .persistence(PicklePersistence(options.state_file, update_interval=30))
        .post_init(bridge.on_startup)
        .post_shutdown(bridge.on_shutdown)
        .build()
    )
    bridge.install(application)
    return application


def webhook_app(application: AnyApplication, path: str, secret: str) -> Starlette:
    """The HTTP endpoint Telegram delivers updates to."""

    async def receive(request: Request) -> Response:
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            log.warning("webhook request without the right secret token refused")
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except ValueError:
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response()

    async def health(_request: Request) -> Response:
        return Response("ok")

    return Starlette(routes=[
        Route(path, receive, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
    ])


async def run_webhook(
    settings: Settings, options: BridgeOptions, application: AnyApplication, bridge: Bridge
) -> None:
    """Registers the webhook with Telegram and serves it until SIGINT/SIGTERM."""
    url, secret = settings.telegram_webhook_url, settings.telegram_webhook_secret
    if not url or not secret:
        raise ValueError("webhook mode needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET")
    server = uvicorn.Server(uvicorn.Config(
        webhook_app(application, webhook_path(url), secret),
        host=options.webhook_host, port=options.webhook_port, log_level="warning",
    ))
    # uvicorn re-raises the stop signal once it has stopped serving: let the previous handler
    # (this one) swallow it, so that the application still stops in order afterwards.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _log_stop_signal)
    async with application:
        await bridge.on_startup(application)
        await application.bot.set_webhook(url, secret_token=secret,
                                          allowed_updates=Update.ALL_TYPES)
        await application.start()
        log.info("receiving Telegram updates at %s", url)
        try:
            await server.serve()
        finally:
            await application.stop()
            await bridge.on_shutdown(application)


def _log_stop_signal(signum: int, _frame: FrameType | None) -> None:
    log.info("%s received after the webhook server stopped", signal.Signals(signum).name)


def parse_options(argv: list[str] | None, settings: Settings) -> BridgeOptions:
    """Command-line options of ``python -m bot.telegram``."""
    parser = argparse.ArgumentParser(prog="python -m bot.telegram", description=__doc__)
    parser.add_argument("--rasa-url", default=settings.rasa_url, help="Rasa server URL")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE_FILE,
                        help="file remembering each chat's language and university")
    parser.add_argument("--webhook-listen", default=DEFAULT_WEBHOOK_LISTEN,
                        help="HOST:PORT the webhook server listens on (behind the proxy)")
    parser.add_argument("--outbox-poll", type=float, default=DEFAULT_POLL_SECONDS,
                        help="seconds between two looks at the outbox")
    parser.add_argument("--backlog", type=int, default=DEFAULT_BACKLOG,
                        help="messages of one chat that may wait for their turn")
    parser.add_argument("--rasa-timeout", type=float, default=REPLY_TIMEOUT_SECONDS,
                        help="seconds to wait for Rasa before saying \"try again shortly\"")
    args = parser.parse_args(argv)
    host, _, port = str(args.webhook_listen).rpartition(":")
    return BridgeOptions(
        rasa_url=args.rasa_url, state_file=args.state, webhook_host=host or "127.0.0.1",
        webhook_port=int(port), outbox_poll_seconds=args.outbox_poll, backlog=args.backlog,
        rasa_timeout=args.rasa_timeout,
    )


def main(argv: list[str] | None = None) -> int:
    """Runs the bridge until interrupted; returns the exit code."""
    install_log_masking()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Bot API call otherwise
    settings = load_settings()
    options = parse_options(argv, settings)
    if not settings.telegram_bot_token:
        log.error("TELEGRAM_BOT_TOKEN is not set: see docs/channels.md")
        return 2
    migrate(settings.database_url)
    sessions = make_session_factory(make_engine(settings.database_url))
    rasa = RasaClient(options.rasa_url, options.rasa_timeout, channel_token=settings.channel_token)
    bridge = Bridge(rasa, sessions, ChatQueues(options.backlog), options.outbox_poll_seconds)
    application = build_application(settings, options, bridge)
    if settings.telegram_webhook_url:
        asyncio.run(run_webhook(settings, options, application, bridge))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
