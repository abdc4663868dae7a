"""The message that opens a form is read for its facts but never scolded (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.calculators import ValidateCalculatorForm
from actions.loops import opens_the_form
from actions.requests import ValidateRequestForm


def tracker(text: str, requested: str | None, loop: str, intent: str = "inform",
            slots: dict[str, Any] | None = None) -> Tracker:
    """A tracker whose latest message is ``text``, with ``requested`` pending in ``loop``."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "intent_ranking": [], "entities": [], "message_id": "m-1", "metadata": {}}
    all_slots = {"language": "en", "requested_slot": requested, **(slots or {})}
    extracted = [{"event": "slot", "name": name, "value": value}  # what Rasa read from it
                 for name, value in (slots or {}).items()]
    return Tracker(sender_id="rest:opening", slots=all_slots, latest_message=latest,
                   events=[{"event": "user", "text": text, "parse_data": latest,
                            "input_channel": "rest"}, *extracted],
                   paused=False, followup_action=None, active_loop={"name": loop},
                   latest_action_name="action_listen")


@pytest.mark.parametrize(("requested", "opening"), [
    (None, True),                       # nothing asked yet
    ("attendance_percent", True),       # another form's question was pending
    ("case_type", False),               # this form's own question was pending
])
def test_a_message_opens_the_form_unless_the_form_had_asked_something(
    domain: dict[str, Any], requested: str | None, opening: bool
) -> None:
    assert opens_the_form(tracker("hello", requested, "request_form"), domain,
                          "request_form") is opening


async def test_the_request_form_opened_with_words_it_cannot_map_asks_without_scolding(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    opening = tracker("I want to open a request", None, "request_form", intent="open_request",
                      slots={"case_type": "I want to open a request"})
    await ValidateRequestForm().run(dispatcher, opening, domain)
    assert dispatcher.messages == []


async def test_the_same_words_answering_the_forms_question_are_said_to_be_unclear(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    answer = tracker("I want to open a request", "case_type", "request_form",
                     slots={"case_type": "I want to open a request"})
    await ValidateRequestForm().run(dispatcher, answer, domain)
    assert dispatcher.messages, "an answer the form cannot use is met with a reason"


async def test_the_calculator_opened_by_a_question_keeps_quiet(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    opening = tracker("Can my husband come with me?", None, "calculator_form",
                      intent="dependents",
                      slots={"calculator_answer": "Can my husband come with me?",
                             "calculator_facts": {"topic": "dependents", "facts": {}}})
    await ValidateCalculatorForm().run(dispatcher, opening, domain)
    assert dispatcher.messages == []
