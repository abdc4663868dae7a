"""A university that is not one of the four is never answered with another's rules."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.deadlines import ActionAnswerDeadline
from actions.faq import ActionAnswerFaq
from actions.institution import ActionChooseInstitution


def named(text: str, slot: str | None) -> Tracker:
    """A tracker whose latest message names a university; ``slot``: the one known before."""
    latest = {"text": text, "intent": {"name": "choose_institution", "confidence": 0.9},
              "intent_ranking": [], "entities": [], "message_id": "m-1", "metadata": {}}
    return Tracker(sender_id="rest:uni", slots={"language": "zh", "institution": slot},
                   latest_message=latest, events=[{"event": "user", "text": text,
                                                    "parse_data": latest,
                                                    "input_channel": "rest"}],
                   paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


@pytest.mark.parametrize("text", ["我在沈阳药科大学读书", "I study at Peking University",
                                  "我在曲靖医学高等专科学校"])
async def test_another_university_is_said_to_be_unknown_and_the_earlier_one_dropped(
    text: str, database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionChooseInstitution().run(dispatcher, named(text, "CPU"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_institution_not_known"]
    assert events == [{"event": "slot", "timestamp": None, "name": "institution", "value": None}]


async def test_one_of_the_four_is_confirmed(database: str, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionChooseInstitution().run(dispatcher, named("我在中国药科大学读书", "CPU"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_institution_chosen"]


def faq_question(text: str, intent: str, events: list[dict[str, Any]] | None = None,
                 institution_slot: str | None = None, page: str | None = None) -> Tracker:
    """The tracker after a question answered by action_answer_faq; ``page``: the university
    whose page the widget is on (the message's metadata)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "intent_ranking": [], "entities": [], "message_id": "m-2",
              "metadata": {"university": page} if page else {}}
    return Tracker(sender_id="rest:uni", slots={"language": "en",
                                                "institution": institution_slot},
                   latest_message=latest,
                   events=[*(events or []), {"event": "user", "text": text,
                                             "parse_data": latest, "input_channel": "rest"}],
                   paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


async def test_a_topic_only_another_university_covers_asks_the_university_then_answers(
    database: str, domain: dict[str, Any]
) -> None:
    """Holidays are JSNU Art. 9 alone: a person who never named a university is asked which
    one, and the answer follows the choice."""
    dispatcher = CollectingDispatcher()
    question = "can I renew my permit during the winter holidays?"
    await ActionAnswerFaq().run(dispatcher, faq_question(question, "holidays"), domain)
    [asked] = dispatcher.messages
    assert asked["response"] == "utter_ask_institution_for_answer"
    assert len(asked["buttons"]) == 4
    choice = faq_question('/choose_institution{"institution":"JSNU"}', "choose_institution",
                          events=[{"event": "user", "text": question,
                                   "parse_data": {"intent": {"name": "holidays"}}},
                                  {"event": "bot", "text": "Which university?", "data": {},
                                   "metadata": {"utter_action":
                                                "utter_ask_institution_for_answer"}}],
                          institution_slot="JSNU")
    answered = CollectingDispatcher()
    await ActionChooseInstitution().run(answered, choice, domain)
    assert answered.messages[0]["response"] == "utter_institution_chosen"
    assert "Jiangsu Normal University, Article 9" in answered.messages[1]["text"]


async def test_a_person_who_named_their_university_gets_its_answer_without_being_asked(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(
        dispatcher, faq_question("can I renew my permit during the holidays?", "holidays",
                                 institution_slot="CPU"), domain)
    assert "do not cover" in dispatcher.messages[0]["text"]


async def test_a_deadline_only_another_university_sets_asks_the_university_first(
    database: str, domain: dict[str, Any]
) -> None:
    """The zero-entry X visa's travel deadline is JSNU Art. 8 alone."""
    tracker = faq_question("I have a zero-entry X visa, can I travel home and come back?",
                           "zero_entry_travel")
    tracker.slots["deadline_topic"] = "zero_entry_travel"
    dispatcher = CollectingDispatcher()
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_institution_for_answer"]


@pytest.mark.parametrize(("page", "slot", "cited"), [
    ("JSNU", None, "Jiangsu Normal University, Article 9"),   # the page's university
    ("Jiangsu Normal University", None, "Jiangsu Normal University, Article 9"),
    ("JSNU", "CPU", "do not cover"),                          # named wins over the page
    ("Peking University", None, "utter_ask_institution_for_answer"),  # not one of ours: ask
])
async def test_on_a_universitys_page_its_rules_answer_unless_the_person_named_another(
    page: str, slot: str | None, cited: str, database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(
        dispatcher, faq_question("can I renew my permit during the holidays?", "holidays",
                                 institution_slot=slot, page=page), domain)
    said = dispatcher.messages[0]
    assert cited in (said.get("text") or said.get("response") or "")
