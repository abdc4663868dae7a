"""When the assistant does not understand: offer the likely topics, then a person.

`action_default_ask_affirmation` replaces Rasa's English-only "Did you mean 'intent'?" of the
two-stage fallback with the likely topics as buttons in the user's language.
`action_talk_to_person` opens a handoff request with a short summary of the conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import language
from actions.faq import topic_title
from actions.requests import handoff_facts, open_request
from knowledge import Text

# Buttons for intents that are no knowledge topic but worth offering.
_OTHER_TITLES: Final[Mapping[str, Text]] = MappingProxyType({
    "ask_case_status": Text("Status of my requests", "我的申请进度"),
    "talk_to_person": Text("Talk to a person", "转人工"),
    "choose_institution": Text("Choose my university", "选择我的学校"),
    "help": Text("What can you do?", "你能做什么？"),
})
MAX_SUGGESTIONS: Final = 3


def suggestion_title(intent: str) -> Text | None:
    """The button title offering an intent, None for intents not worth offering."""
    return topic_title(intent) or _OTHER_TITLES.get(intent)


def suggestions(ranking: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """Buttons for the most likely topics of a misunderstood message, best first."""
    buttons: list[dict[str, str]] = []
    for candidate in ranking:
        intent = str(candidate.get("name") or "")
        title = suggestion_title(intent)
        if title is not None and len(buttons) < MAX_SUGGESTIONS:
            buttons.append({"title": title.get(lang), "payload": f"/{intent}"})
    return buttons


class ActionAskAffirmation(Action):
    """First stage of the fallback: "Did you mean one of these?" with topic buttons."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = suggestions(ranking, lang)
        # The two-stage fallback reads "out_of_scope" as "no, none of these".
        buttons.append({"title": Text("None of these", "都不是").get(lang),
                        "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionTalkToPerson(Action):
    """Opens a handoff request for the office with what the person said, and gives its reference.

    Asking for a person ends any form in progress: its pending question is not asked again.
    """

    def name(self) -> str:
        return "action_talk_to_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await open_request(tracker, dispatcher, "talk_to_person", handoff_facts(tracker))
        if tracker.active_loop_name is None:
            return []
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
