"""`rasa run` with its HTTP API token taken from the environment, and masked logs.

Rasa reads the token only from ``--auth-token``, where every user of the machine can see it
in ``ps``. The launcher starts this module instead, with the token in ``RASA_API_TOKEN``;
the option is added to ``sys.argv`` inside this process, which ``ps`` (reading the argv the
process was started with) never shows.
"""

from __future__ import annotations

import os
import sys
from typing import List

TOKEN_VARIABLE = "RASA_API_TOKEN"


def rasa_argv(argv: List[str], token: str) -> List[str]:
    """The argv for Rasa's CLI: ``rasa`` + ``argv`` + the token as one word.

    One word (``--auth-token=<token>``) because a token may begin with "-" (``token_urlsafe``
    draws from A-Z a-z 0-9 - _), which Rasa would otherwise read as an option.
    """
    return ["rasa", *argv, f"--auth-token={token}"]


def main() -> None:
    """Runs Rasa's CLI with the arguments given here plus the token from the environment."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to open Rasa's HTTP API without a token")
    # Rasa logs whole trackers and request bodies when an action fails: mask identifiers in
    # every record, with the rule every other process uses.
    from config.log_masking import install_log_masking
    from rasa.__main__ import main as rasa_main

    from engine.serving import action_calls, action_results, event_types, responses

    install_log_masking()
    action_calls.install()
    action_results.install()
    event_types.install()
    responses.install()
    sys.argv = rasa_argv(sys.argv[1:], token)
    rasa_main()


if __name__ == "__main__":
    main()
