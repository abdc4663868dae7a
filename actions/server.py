"""The custom action server: Rasa SDK's app, one process, answering only the Rasa server.

``python -m rasa_sdk`` listens on every address, obeys any caller (one forged call once
cancelled another person's case) and leaves worker processes holding the port when its
main process is killed. This entry point builds the same app with
``rasa_sdk.endpoint.create_app`` and adds what the SDK leaves out:

* every call but ``/health`` must carry ``Authorization: Bearer <ACTION_SERVER_TOKEN>``,
  compared in constant time (Rasa sends it: ``headers`` in endpoints.yml);
* one process (no worker manager, nothing left behind), bound to ``--host`` (loopback by
  default).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from config.settings import load_settings

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
OPEN_PATHS = frozenset({"/health"})


def authorised(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries ``token`` (constant-time comparison)."""
    return header is not None and hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


def make_app(token: str, package: str = "actions") -> Sanic[Any, Any]:
    """The action server's app: the SDK's routes behind the token check."""
    executor = ActionExecutor()
    executor.register_package(package)
    app: Sanic[Any, Any] = create_app(executor, cors_origins=[])

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or authorised(request.headers.get("authorization"), token):
            return None
        log.warning("refused a call to %s without the action server's token", request.path)
        return response.json({"error": "this action server answers only its Rasa server"},
                             status=401)

    app.on_request(require_token)
    app.on_request(without_domain_is_fine)
    return app


async def without_domain_is_fine(request: Request) -> None:
    """Lets an action call without the domain through (Rasa sends the domain, its forms and
    slots, only to the actions that need it: ``enable_selective_domain`` in endpoints.yml,
    ``send_domain`` in domain.yml, and every ``validate_*`` form action).

    This SDK answers such a call with 449 unless it carries a domain digest, which Rasa 3.6
    does not send; an empty domain makes it run the action with the domain it last received.
    """
    if request.method == "POST" and request.path == "/webhook":
        body = request.json
        if isinstance(body, dict) and "domain" not in body:
            body["domain"] = {}


def main(argv: list[str] | None = None) -> None:
    """Serves the actions until stopped."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.listen_address)
    parser.add_argument("--port", type=int, default=settings.action_server_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to serve actions to anyone who asks")
    app = make_app(token)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
