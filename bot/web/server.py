"""The web chat's static server: the page, the vendored widget, and where Rasa's socket is.

The widget (npm package ``rasa-webchat``, pinned in ``bot/web/package-lock.json``) is
installed from the npm registry with ``npm ci`` into ``bot/web/node_modules`` and served
from here: neither the page nor the tests load anything from a CDN.

The page connects the widget straight to Rasa's socket.io channel. Its URL is decided per
request: an explicit ``--socket-url`` wins; behind a reverse proxy (which sets
``X-Forwarded-Host``) it is the page's own origin, the proxy routing ``/socket.io/`` to
Rasa; otherwise it is the host the browser used, on Rasa's port.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from knowledge import find_institution

log = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parent
STATIC_DIR = WEB_ROOT / "static"
WIDGET_BUNDLE = Path("node_modules") / "rasa-webchat" / "lib" / "index.js"
LANGUAGES = ("en", "zh")
NPM_CI = ("npm", "ci", "--omit=peer", "--ignore-scripts", "--no-audit", "--no-fund")


@dataclass(frozen=True)
class WebConfig:
    """What the page needs to know: where Rasa is, and an optional fixed socket URL."""

    rasa_url: str
    socket_url: str | None = None
    root: Path = WEB_ROOT


def widget_bundle(root: Path = WEB_ROOT) -> Path:
    """Where the installed widget's browser bundle is."""
    return root / WIDGET_BUNDLE


def install_widget(root: Path = WEB_ROOT) -> Path:
    """Installs the pinned widget with ``npm ci`` unless it is there; returns its bundle.

    Raises ``RuntimeError`` when npm is missing or the install fails.
    """
    bundle = widget_bundle(root)
    if bundle.is_file():
        return bundle
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: cannot install the chat widget")
    log.info("installing the chat widget from the npm registry (npm ci in %s)", root)
    subprocess.run([npm, *NPM_CI[1:]], cwd=root, check=True)
    if not bundle.is_file():
        raise RuntimeError(f"npm ci did not produce {bundle}")
    return bundle


def page_language(query: Mapping[str, str]) -> str | None:
    """The language asked for with ``?lang=``, if it is one the page knows."""
    value = query.get("lang", "").lower()
    return value if value in LANGUAGES else None


def page_university(query: Mapping[str, str]) -> str | None:
    """The university whose page this is (``?university=``, a code or a name), if it is one
    of the universities the assistant knows; the widget sends it with every message."""
    value = query.get("university", "").strip()
    return find_institution(value) if value else None


def socket_url(config: WebConfig, headers: Mapping[str, str], scheme: str, host: str) -> str:
    """The socket.io URL the browser connects to (see the module docstring)."""
    if config.socket_url:
        return config.socket_url
    forwarded_host = headers.get("x-forwarded-host")
    if forwarded_host:
        proto = headers.get("x-forwarded-proto", scheme).split(",")[0].strip()
        return f"{proto}://{forwarded_host.split(',')[0].strip()}"
    rasa = urlsplit(config.rasa_url)
    port = rasa.port or (443 if rasa.scheme == "https" else 80)
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return f"{rasa.scheme}://{hostname}:{port}"


def content_security_policy(socket: str) -> str:
    """The page's CSP: only this server and Rasa's socket.

    Besides hardening, it stops the widget's stylesheet from fetching a web font from a
    third-party CDN (unreachable from many networks in China, and a privacy leak).
    """
    parts = urlsplit(socket)
    websocket = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    origins = f"{parts.scheme}://{parts.netloc} {websocket}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {origins}; "
        "base-uri 'none'; form-action 'none'"
    )


def render_page(template: str, settings: Mapping[str, object]) -> str:
    """The page with its settings embedded as JSON (safe inside a ``<script>`` element)."""
    data = json.dumps(settings, ensure_ascii=False).replace("<", "\\u003c")
    return template.replace("{{settings}}", data).replace(
        "{{lang}}", html.escape(str(settings.get("lang") or "en"))
    )


def make_app(config: WebConfig, background: Callable[[], Coroutine[Any, Any, None]] | None = None
             ) -> Starlette:
    """The Starlette app serving the chat page, its assets and a health check; it runs
    ``background`` (the outbox pusher, ``bot/web/outbox.py``) while it serves."""
    template = (config.root / "static" / "index.html").read_text(encoding="utf-8")

    def page_settings(request: Request) -> dict[str, object]:
        host = request.headers.get("host", "localhost")
        return {
            "socketUrl": socket_url(config, request.headers, request.url.scheme, host),
            "lang": page_language(request.query_params),
            "university": page_university(request.query_params),
        }

    async def page(request: Request) -> Response:
        settings = page_settings(request)
        headers = {"Cache-Control": "no-store",
                   "Content-Security-Policy": content_security_policy(str(settings["socketUrl"]))}
        return HTMLResponse(render_page(template, settings), headers=headers)

    async def embed_config(request: Request) -> Response:
        # Read by static/embed.js from the office's own site, hence open to any origin.
        return JSONResponse(page_settings(request),
                            headers={"Access-Control-Allow-Origin": "*",
                                     "Cache-Control": "no-store"})

    async def widget(_request: Request) -> Response:
        bundle = widget_bundle(config.root)
        if not bundle.is_file():
            return Response("chat widget not installed: run `npm ci` in bot/web",
                            status_code=503, media_type="text/plain")
        return FileResponse(bundle, media_type="text/javascript")

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "widget": widget_bundle(config.root).is_file()})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(background()) if background is not None else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return Starlette(lifespan=lifespan, routes=[
        Route("/", page),
        Route("/config.json", embed_config),
        Route("/widget/webchat.js", widget),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=config.root / "static"), name="static"),
    ])
