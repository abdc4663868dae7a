"""Responses are filled in one pass by Rasa's own response generator, whatever the values
hold (in the engine's own environment)."""

from __future__ import annotations

import json

from tests.preloaded import run_in_engine

RENDER = """
import asyncio, json
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from engine.serving import responses

responses.install()
domain = Domain.load("domain.yml")
generator = TemplatedNaturalLanguageGenerator(domain.responses)

async def render(name, language, **values):
    tracker = DialogueStateTracker("s", domain.slots)
    tracker._set_slot("language", language)
    message = await generator.generate(name, tracker, "rest", **values)
    return message["text"]

async def main():
    out = {
        "summary": await render("utter_request_summary", "en",
                                lines="• Question: can I stay in room 10[B] {x}?"),
        "zh": await render("utter_request_summary", "zh", lines="• 问题：10[B] 房间"),
        "missing": await render("utter_request_summary", "en"),
        "braces": responses.interpolate_text("{{literal}} and {a}", {"a": "0[1]"}),
    }
    print(json.dumps(out, ensure_ascii=False))

asyncio.run(main())
"""


def test_a_value_holding_brackets_or_braces_is_filled_in_both_languages() -> None:
    run = run_in_engine(RENDER, timeout=300, check=True)
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert "• Question: can I stay in room 10[B] {x}?" in out["summary"]
    assert "{lines}" not in out["summary"]
    assert "• 问题：10[B] 房间" in out["zh"] and "{lines}" not in out["zh"]
    assert "{lines}" in out["missing"]  # no value: left unfilled, as Rasa does
    assert out["braces"] == "{literal} and 0[1]"
