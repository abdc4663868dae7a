"""Rasa fills a response's {placeholders} in one pass, whatever the values hold.

Rasa 3.6's ``interpolate_text`` rewrites ``{name}`` to ``{0[name]}``, formats, and then takes
any ``0[`` left in the result for a placeholder it could not fill: it then sends the response
with none of its placeholders filled. A value the person wrote can hold ``0[`` ("room
10[B]"), so a request summary or an office note came back as "{lines}". Here each
placeholder is replaced by its value directly; ``{{`` and ``}}`` still stand for a literal
brace, and a placeholder with no value still leaves the response unfilled, as Rasa does.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, Match, Text

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^\n{}]+?)\}")


def interpolate_text(response: Text, values: Dict[Text, Any]) -> Text:
    """``response`` with each ``{name}`` replaced by ``values[name]`` (see the module)."""

    def fill(match: Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]  # "{{" -> "{", "}}" -> "}"
        return str(values[name])

    try:
        return PLACEHOLDER.sub(fill, response)
    except KeyError as missing:
        log.error("response placeholder %s has no value: the response is sent unfilled",
                  missing)
        return response


def install() -> None:
    """Makes Rasa's response generator fill placeholders with ``interpolate_text``."""
    from rasa.core.nlg import interpolator

    interpolator.interpolate_text = interpolate_text
