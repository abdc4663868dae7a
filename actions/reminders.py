"""Document-expiry reminders in chat: register a document, list and delete reminders.

"Remind me before my passport expires on 2027-03-01" registers the document with
`reminders.schedule.register_document`, which schedules the reminders (the office's
``REMINDER_DAYS_BEFORE``: 60, 30 and 7 days before by default; plus the last day to apply
for an extension where the institution's regulation sets one); the answer lists those dates
with the article behind the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.conversation import institution, language, message_key, speaker, today
from actions.loops import ListeningFormValidation
from actions.parsing import parse_choice, parse_date
from actions.store import StoreUnavailable, in_store, say_unreachable, the_person
from casestore.cases import get_or_create_person
from casestore.models import Reminder, TrackedDocument
from config.settings import load_settings
from knowledge import Text, format_date
from reminders.schedule import (
    DOCUMENT_KINDS,
    EXTENSION_DEADLINE,
    DocumentError,
    delete_document,
    documents_of,
    extension_source,
    register_document,
)

REMINDER_SLOTS = ("reminder_document", "reminder_expires_on")

DOCUMENT_KEYWORDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "passport": ("passport", "护照"),
    "visa": ("visa", "签证"),
    "residence_permit": ("residence permit", "residence", "居留许可", "居留证", "居留"),
    "work_permit": ("work permit", "工作许可", "工作证"),
})

_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
# Date expressions inside a longer sentence, tried in this order.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}"),
    re.compile(r"(?:\d{4}\s*年|明年|今年|后年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"),
    re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\s*,?\s*\d{{4}}", re.I),
    re.compile(rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}}", re.I),
)

# Parts of the reminder lines that `utter_reminder_scheduled`, `utter_reminder_list` and
# `utter_reminder_which` carry in {lines}: pieces of one message, so not responses.
DAYS_BEFORE = Text("{days} days before", "到期前{days}天")
LAST_DAY_TO_EXTEND = Text("last day to apply for an extension ({source})",
                           "申请延期的最后一天（依据：{source}）")
DOCUMENT_LINE = Text("• {document}, expires {expires}: {dates}",
                      "• {document}，{expires}到期：{dates}")
NO_REMINDER_LEFT = Text("no reminder left", "没有待发送的提醒")


def document_in(text: str) -> str | None:
    """The document kind a text names (None when it names none, or two)."""
    lowered = text.strip().lower()
    for kind, label in DOCUMENT_KINDS.items():
        if lowered in (kind, label.en, label.zh):
            return kind
    return parse_choice(text, DOCUMENT_KEYWORDS)


def date_in(text: str, today: date, lang: str) -> date | None:
    """The first date written in a sentence ("... expires on 2027-03-01, remind me")."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parsed = parse_date(match.group().strip(), today, lang)
            if parsed is not None:
                return parsed
    return parse_date(text, today, lang) if len(text) <= 40 else None


def reminder_line(reminder: Reminder, document: TrackedDocument, lang: str) -> str:
    """One scheduled reminder: its date and why it is then."""
    when = format_date(reminder.due_on, lang)
    if reminder.kind == EXTENSION_DEADLINE:
        source = extension_source(document.institution, lang)
        return f"• {when}: " + LAST_DAY_TO_EXTEND.get(lang).format(source=source)
    return f"• {when}: " + DAYS_BEFORE.get(lang).format(days=reminder.days_before)


def document_name(kind: str, lang: str) -> str:
    """"passport" / "护照"."""
    return DOCUMENT_KINDS[kind].get(lang) if kind in DOCUMENT_KINDS else kind


class ActionNewReminder(Action):
    """Reads the document and its expiry date from the message; the form asks for the rest."""

    def name(self) -> str:
        return "action_new_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        expires = date_in(text, today(), language(tracker))
        return [
            SlotSet("reminder_document", document_in(text)),
            SlotSet("reminder_expires_on", expires.isoformat() if expires else None),
        ]


class ValidateReminderForm(ListeningFormValidation):
    """Reads the document kind and the expiry date from free-text answers."""

    def name(self) -> str:
        return "validate_reminder_form"

    def validate_reminder_document(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kind = value if value in DOCUMENT_KINDS else document_in(str(value or ""))
        if kind is None:
            dispatcher.utter_message(response="utter_reminder_invalid_document")
        return {"reminder_document": kind}

    def validate_reminder_expires_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        parsed = date_in(str(value or ""), today(), language(tracker))
        if parsed is None:
            dispatcher.utter_message(response="utter_reminder_invalid_date")
            return {"reminder_expires_on": None}
        return {"reminder_expires_on": parsed.isoformat()}


def register_own_document(
    session: Session, tracker: Tracker, kind: str, expires_on: date, lang: str
) -> tuple[str, list[str]]:
    """Tracks the person's document; the response to answer with and the reminder lines.

    A message the channel delivers twice gets the first answer again (the store finds
    the document by the message's key); another message naming the same document is told
    it is already tracked.
    """
    who, key = speaker(tracker), message_key(tracker)
    person = get_or_create_person(
        session, channel=who.channel, channel_user_id=who.channel_user_id,
        language=lang, institution=institution(tracker),
    )
    if any(d.kind == kind and d.expires_on == expires_on
           and (key is None or d.idempotency_key != key)
           for d in documents_of(session, person)):
        return "utter_reminder_already", []
    try:
        document = register_document(session, person, kind, expires_on, today(),
                                     days_before=load_settings().reminder_days_before,
                                     institution=institution(tracker), idempotency_key=key)
    except DocumentError:
        return "utter_reminder_date_passed", []
    reminders = sorted(document.reminders, key=lambda r: (r.due_on, r.kind))
    lines = [reminder_line(r, document, lang) for r in reminders]
    return ("utter_reminder_scheduled" if lines else "utter_reminder_nothing_ahead"), lines


class ActionRegisterReminder(Action):
    """Tracks the document and answers with the reminder dates the store scheduled."""

    def name(self) -> str:
        return "action_register_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        kind = tracker.get_slot("reminder_document")
        try:
            expires_on = date.fromisoformat(str(tracker.get_slot("reminder_expires_on")))
        except ValueError:
            expires_on = None
        if kind not in DOCUMENT_KINDS or expires_on is None:
            dispatcher.utter_message(response="utter_reminder_invalid_document")
            return [SlotSet(slot, None) for slot in REMINDER_SLOTS]
        lang = language(tracker)
        try:
            answer, lines = await in_store(register_own_document, tracker, kind, expires_on, lang)
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return [SlotSet(slot, None) for slot in REMINDER_SLOTS]
        dispatcher.utter_message(response=answer, lines="\n".join(lines),
                                 document=document_name(kind, lang),
                                 expires=format_date(expires_on, lang))
        return [SlotSet(slot, None) for slot in REMINDER_SLOTS]


def document_lines(documents: list[TrackedDocument], lang: str) -> list[str]:
    """One line per tracked document with the dates of its unsent reminders."""
    lines = []
    for document in documents:
        pending = sorted(r.due_on for r in document.reminders if r.sent_at is None)
        dates = ", ".join(format_date(d, lang) for d in pending) or NO_REMINDER_LEFT.get(lang)
        lines.append(DOCUMENT_LINE.get(lang).format(
            document=document_name(document.kind, lang),
            expires=format_date(document.expires_on, lang), dates=dates,
        ))
    return lines


def own_document_lines(session: Session, tracker: Tracker, lang: str) -> list[str]:
    """`document_lines` for the person's tracked documents."""
    return document_lines(documents_of(session, the_person(session, tracker)), lang)


class ActionListReminders(Action):
    """Lists the person's tracked documents and their coming reminders."""

    def name(self) -> str:
        return "action_list_reminders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            lines = await in_store(own_document_lines, tracker, language(tracker))
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return []
        if lines:
            dispatcher.utter_message(response="utter_reminder_list", lines="\n".join(lines))
        else:
            dispatcher.utter_message(response="utter_reminder_none")
        return []


def delete_own_reminders(
    session: Session, tracker: Tracker, kind: str | None, lang: str
) -> tuple[str, dict[str, str]]:
    """Stops the reminders of the person's ``kind`` of document (of their only kind when
    None); the response to answer with and its values."""
    person = the_person(session, tracker)
    chosen = [d for d in documents_of(session, person) if kind is None or d.kind == kind]
    if not chosen:
        return "utter_reminder_none", {}
    document = document_name(chosen[0].kind, lang)
    if kind is None and len({d.kind for d in chosen}) > 1:
        return "utter_reminder_which", {"document": document,
                                        "lines": "\n".join(document_lines(chosen, lang))}
    for tracked in chosen:
        delete_document(session, person, tracked.id)
    return "utter_reminder_deleted", {"document": document}


class ActionDeleteReminder(Action):
    """Stops the reminders of the document the message names (or of the only one)."""

    def name(self) -> str:
        return "action_delete_reminder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        kind = document_in(str((tracker.latest_message or {}).get("text") or ""))
        try:
            answer, values = await in_store(delete_own_reminders, tracker, kind,
                                            language(tracker))
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return []
        dispatcher.utter_message(response=answer, **values)
        return []
