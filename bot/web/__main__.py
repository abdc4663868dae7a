"""``python -m bot.web``: serve the chat page (installing the widget first if needed) and
bring the office's messages to open chat pages (``bot/web/outbox.py``)."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from functools import partial

import uvicorn

from bot.web.outbox import WebPush
from bot.web.server import WebConfig, install_widget, make_app
from casestore.db import make_engine, make_session_factory
from config.settings import load_settings

log = logging.getLogger("bot.web")


def main(argv: list[str] | None = None) -> int:
    """Serves the page until interrupted; returns the exit code."""
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__)
    parser.add_argument("--port", type=int, default=settings.web_port, help="port to listen on")
    parser.add_argument("--host", default=settings.listen_address, help="address to listen on")
    parser.add_argument("--rasa-url", default=settings.rasa_url,
                        help="the Rasa server (its port is where browsers find the socket)")
    parser.add_argument("--socket-url", default=None,
                        help="fixed socket.io URL for the browser (default: worked out per "
                             "request, see docs/channels.md)")
    parser.add_argument("--push-to", action="append", default=None, metavar="URL",
                        help="a Rasa server holding chat pages, for the office's messages "
                             "(repeat for each replica; default: --rasa-url)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        install_widget()
    except (RuntimeError, subprocess.CalledProcessError) as error:
        # Keep serving: the page explains the widget is missing; the log says why.
        log.error("the chat widget is not available: %s", error)
    config = WebConfig(rasa_url=args.rasa_url, socket_url=args.socket_url)
    background = None
    if settings.channel_token:
        sessions = make_session_factory(make_engine(settings.database_url))
        push = WebPush(args.push_to or [args.rasa_url], settings.channel_token)
        background = partial(push.forever, sessions)
    else:
        log.warning("CHANNEL_TOKEN is not set: the office's messages reach no chat page")
    uvicorn.run(make_app(config, background), host=args.host, port=args.port,
                log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
