"""Loading a new model into the running Rasa server while it goes on answering.

Rasa's own ``PUT /model`` loads the model inside the server's event loop: for as long as the
load takes, no message is answered. This route, registered like a channel in
credentials.yml, loads the model in a worker thread while the event loop keeps answering with
the model it has, then swaps the new one in between two messages:

    POST /webhooks/model/load   Authorization: Bearer $RASA_API_TOKEN
    {"model_file": "/path/to/model.tar.gz"}

204 once the new model answers; 400 for a file that is not there; 401 without the API token.
The conversations, the lock store and the action server stay as they were. The maintainers'
model watcher (training/live_model.py) calls it after each training.

Once a model is loaded (at start, and after each swap) the objects alive then are frozen out
of the garbage collector's sight (``gc.freeze``): the loaded model is half a million objects
that live as long as it does, and each full collection walked all of them, 0.4 s of the event
loop's time every 8 to 10 seconds under load (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from engine.serving.channels import bearer_matches

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "RASA_API_TOKEN"


def loaded_beside(current: Agent, model_file: Path) -> Agent:
    """A new agent for ``model_file`` that shares ``current``'s conversations, locks and
    action server (run in a worker thread: this is the slow part)."""
    agent = Agent(tracker_store=current.tracker_store, lock_store=current.lock_store,
                  action_endpoint=current.action_endpoint,
                  http_interpreter=current.http_interpreter)
    agent.load_model(model_file)
    return agent


def settle_memory() -> int:
    """Freezes every object alive now, after collecting what is garbage; the objects frozen
    before (an older model's) are first thawed so that they can be collected. Returns how
    many objects are frozen."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class ModelSwapInput(InputChannel):
    """Not a chat channel: the route that swaps the model (module docstring)."""

    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token or os.environ.get(TOKEN_VARIABLE) or None
        self._swapping = asyncio.Lock()

    @classmethod
    def name(cls) -> Text:
        return "model"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls((credentials or {}).get("token"))

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        swap = Blueprint("model_swap", __name__)
        # Without a token nobody may swap the model: an unguessable one stands in.
        token = self.token or os.urandom(32).hex()

        @swap.listener("after_server_start")
        async def freeze_loaded_model(_app: Any, _loop: Any) -> None:
            # Rasa loads the model before the server starts (``before_server_start``).
            logger.info("model loaded: %d objects frozen", settle_memory())

        @swap.route("/load", methods=["POST"])
        async def load(request: Request) -> HTTPResponse:
            if not bearer_matches(request.headers.get("authorization"), token):
                return response.json({"error": "this route needs the API token"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            model_file = Path(str(body.get("model_file") or ""))
            if not model_file.is_file():
                return response.json({"error": f"no model file at {model_file}"}, status=400)
            async with self._swapping:  # one load at a time
                current = request.app.ctx.agent
                loop = asyncio.get_running_loop()
                try:
                    agent = await loop.run_in_executor(None, loaded_beside, current, model_file)
                except Exception as failure:  # the old model goes on answering
                    logger.exception("could not load %s", model_file)
                    return response.json({"error": f"could not load the model: {failure}"},
                                         status=500)
                request.app.ctx.agent = agent
                del current
                frozen = settle_memory()
            logger.info("now answering with %s (%d objects frozen)", model_file.name, frozen)
            return response.empty(status=204)

        return swap
