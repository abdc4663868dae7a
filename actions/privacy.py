"""Data protection in chat: "what data do you have about me?" and "delete my data".

The summary comes from `casestore.privacy.export_person_data`; erasure from
`casestore.privacy.delete_person_data`, and only right after the person said yes to
`utter_confirm_delete_data`. The conversation itself lives in Rasa's tracker store: once
Rasa has finished this turn (it holds the conversation's lock while the action runs), the
action server replaces the conversation's events with none through Rasa's HTTP API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.conversation import language, speaker
from actions.store import StoreUnavailable, in_store, say_unreachable, the_person
from casestore.case_types import STATUSES
from casestore.cases import PERSON_DETAILS
from casestore.privacy import delete_person_data, export_person_data
from config.settings import load_settings
from knowledge import Text
from reminders.schedule import DOCUMENT_KINDS

log = logging.getLogger(__name__)

CONFIRMATION = "utter_confirm_delete_data"
FORGOTTEN_SLOTS = (
    "case_type", "request_value", "request_facts", "request_confirmed", "note_reference",
    "note_text", "reminder_document", "reminder_expires_on",
)

# The word for nothing inside `utter_data_summary`'s values (no requests, no identity given):
# part of a sentence, not a message of its own, so it is not a response.
NONE = Text("none", "无")


def _listing(items: list[str], lang: str) -> str:
    """"2 (A, B)" or "none"."""
    return f"{len(items)} ({', '.join(items)})" if items else NONE.get(lang)


def _label(labels: Mapping[str, Text], key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` (the key itself when it has no label)."""
    return labels[key].get(lang) if key in labels else key


def data_summary(export: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The values of `utter_data_summary` (the person's stored data) from
    `export_person_data`."""
    person = export["person"]
    cases = [f"{c['reference']} {_label(STATUSES, c['status'], lang)}" for c in export["cases"]]
    documents = [f"{_label(DOCUMENT_KINDS, d['kind'], lang)} {d['expires_on']}"
                 for d in export["documents"]]
    return {
        "channel": person["channel"],
        "stored_language": person["language"] or "—",
        "stored_institution": person["institution"] or "—",
        "role": person["role"],
        "created": str(person["created_at"] or "—")[:10],
        "who": ", ".join(str(person[k]) for k in PERSON_DETAILS if person.get(k))
        or NONE.get(lang),
        "cases": _listing(cases, lang),
        "documents": _listing(documents, lang),
        "messages": len(export["messages"]),
    }


def asked_to_confirm(tracker: Tracker) -> bool:
    """Whether the bot's last action before this message asked to confirm the deletion."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name == "action_listen":
                continue
            return bool(name == CONFIRMATION)
    return False


def own_data_summary(session: Session, tracker: Tracker, lang: str) -> dict[str, Any]:
    """What is stored about the person of ``tracker``, as `data_summary` gives it."""
    return data_summary(export_person_data(session, the_person(session, tracker)), lang)


def delete_own_data(session: Session, tracker: Tracker) -> None:
    """Erases what the case store holds about the person of ``tracker``."""
    delete_person_data(session, the_person(session, tracker))


class ActionExportMyData(Action):
    """Tells the person what is stored about them."""

    def name(self) -> str:
        return "action_export_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            summary = await in_store(own_data_summary, tracker, language(tracker))
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return []
        dispatcher.utter_message(response="utter_data_summary", **summary)
        return []


class ActionDeleteMyData(Action):
    """Erases the person's data, once they have confirmed it."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        who = speaker(tracker)
        if not asked_to_confirm(tracker):
            dispatcher.utter_message(response="utter_data_delete_not_asked")
            return []
        try:
            await in_store(delete_own_data, tracker)
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return []
        log.info("deleted the data of a %s user on request", who.channel)
        _erase_later(tracker.sender_id)
        dispatcher.utter_message(response="utter_data_deleted")
        return [SlotSet(slot, None) for slot in FORGOTTEN_SLOTS]


ERASE_ATTEMPTS = 5
_pending_erasures: set[asyncio.Task[bool]] = set()


async def erase_conversation(sender_id: str, rasa_url: str, token: str) -> bool:
    """Replace the conversation's events in Rasa's tracker store by none; True when done.

    Rasa serves the request once it releases the conversation's lock, that is after the
    turn that asked for the erasure has been saved, so nothing of it survives. The ":" of
    the channels' sender ids ("rest:…", "web:…") stays as it is: Rasa's router does not
    unquote path parameters, so "rest%3A…" would name (and erase) another, empty one.
    """
    url = f"{rasa_url.rstrip('/')}/conversations/{quote(sender_id, safe=':')}/tracker/events"
    async with httpx.AsyncClient(timeout=60.0) as client:
        for attempt in range(1, ERASE_ATTEMPTS + 1):
            try:
                response = await client.put(url, params={"token": token}, json=[])
                if response.status_code == 200:
                    return True
                log.warning("erasing a conversation: Rasa answered %d", response.status_code)
            except httpx.HTTPError as error:
                log.warning("erasing a conversation: %s", type(error).__name__)
            await asyncio.sleep(attempt)
    log.error("could not erase a conversation after %d attempts", ERASE_ATTEMPTS)
    return False


def _erase_later(sender_id: str) -> None:
    """Erase the conversation after this turn (see `erase_conversation`), if Rasa allows."""
    settings = load_settings()
    token = (settings.rasa_api_token or "").strip()
    if not token:
        log.warning("RASA_API_TOKEN is not set: the conversation stays in Rasa's tracker store")
        return
    rasa_url = settings.rasa_url
    task = asyncio.get_running_loop().create_task(erase_conversation(sender_id, rasa_url, token))
    _pending_erasures.add(task)
    task.add_done_callback(_pending_erasures.discard)
