"""Questions whose answer needs no facts: one intent per topic, answered from `knowledge`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import institution, known_institution, language, today
from actions.facts import Fact, cued_dates
from actions.parsing import find_dates
from casestore.case_types import CASE_TYPES
from config.questions import plain_topics
from knowledge import (
    FAQ_TOPICS,
    INSTITUTION_CODES,
    Decision,
    Text,
    faq_answer,
    permit_after_studies,
    topic,
    who_handles,
)
from knowledge import institution as institution_profile
from knowledge.faq import topic_answer
from knowledge.institutions import westlake
from knowledge.visas import DISMISSAL, GRADUATION, SUSPENSION, WITHDRAWAL

# Intents whose name is not the topic id. Every other topic id is its own intent.
INTENT_TOPICS: Final[Mapping[str, str]] = MappingProxyType({
    **{topic_id: topic_id for topic_id in FAQ_TOPICS},
    "ask_permit_duration": "residence_permit_validity",
})

# Topics whose procedure the office runs as a request (casestore.case_types): after the
# answer, "how do I invite a visiting scholar?" is one button away from opening that request.
TOPIC_CASE_TYPES: Final[Mapping[str, str]] = MappingProxyType({
    "lost_passport": "lost_document",
    "lost_permit": "lost_document",
    "extension_application": "residence_permit_extension_letter",
    "dependents": "dependent_invitation",
    "transfer": "transfer",
    "work_study": "work_study_annotation",
    "zero_entry_travel": "reentry_certificate",
    "stay_permit": "withdrawal_stay_permit",
    "invite_short_term_visitor": "short_term_visitor_invitation",
    "invite_visiting_scholar": "visiting_scholar",
    "foreign_expert_work_permit": "foreign_expert_work_permit",
    "overseas_business_trip": "overseas_business_trip",
    "student_overseas_trip": "student_overseas_academic_trip",
    "international_conference": "international_conference_filing",
    "international_partnership": "partnership_enquiry",
})

# Topics answered from the words of the question, not only the institution.
_FROM_QUESTION: Final = frozenset({"office_responsibilities"})
# What `who_handles` cites when it could not match the question to any duty.
_OVERVIEWS: Final = frozenset({"0", westlake.PORTAL_INTRO})


def topic_of(intent: str) -> str | None:
    """The topic an intent asks about: a rule-code topic, or a plain question a maintainer
    added in data/questions (read afresh when its file changes); None for other intents."""
    return INTENT_TOPICS.get(intent) or (intent if intent in plain_topics() else None)


def topic_title(intent: str) -> Text | None:
    """The bilingual title of the topic an intent asks about, None for other intents."""
    topic_id = topic_of(intent)
    if topic_id is None:
        return None
    plain = plain_topics().get(topic_id)
    return plain.title if plain is not None else topic(topic_id).title


def general_answer(topic_id: str, institution_code: str) -> Decision | None:
    """The topic's answer without the person's facts, None when there is none to give."""
    if topic_id not in FAQ_TOPICS:
        return None
    decision = faq_answer(topic_id, institution_code)
    return decision if decision.covered else None


def cites(decision: Decision, institution_code: str) -> bool:
    """Whether the decision quotes the institution's own documents."""
    return any(c.institution == institution_code for c in decision.citations)


def with_institution_answer(decision: Decision, topic_id: str, institution_code: str) -> Decision:
    """A calculator's decision, or what the institution's documents say about the topic.

    When a rule is not set by the institution (a new-student payment deadline at Jiangsu
    Normal University) but its documents answer the topic in general terms ("pay first"),
    that answer is worth more than "not covered here".
    """
    if decision.covered or cites(decision, institution_code):
        return decision
    general = general_answer(topic_id, institution_code)
    return general if general is not None and cites(general, institution_code) else decision


# The button that opens a request of one type: its payload, and the reader of it.
_REQUEST_PAYLOAD: Final = ('/open_request{"case_type":"', '"}')


def request_payload(case_type: str) -> str:
    """The payload of the button that opens a request of ``case_type``."""
    return case_type.join(_REQUEST_PAYLOAD)


def offered_request(payload: str) -> str | None:
    """The request type a button's payload opens, None for any other payload."""
    start, end = _REQUEST_PAYLOAD
    if payload.startswith(start) and payload.endswith(end):
        return payload[len(start):-len(end)] or None
    return None


def tell(
    dispatcher: CollectingDispatcher, decision: Decision, lang: str, topic_id: str | None = None
) -> None:
    """Says a decision with its sources, then one offer: when the office runs the topic's
    procedure as a request, a button that opens it (saying first, when the rules do not settle
    the case, that the assistant will not guess); otherwise, when the rules do not settle it,
    the way to a person."""
    dispatcher.utter_message(text=decision.render(lang))
    case_type = TOPIC_CASE_TYPES.get(topic_id or "")
    if case_type is None:
        if not decision.covered:
            dispatcher.utter_message(response="utter_offer_request")
        return
    offer_case(dispatcher, case_type, lang, covered=decision.covered)


def offer_case(
    dispatcher: CollectingDispatcher, case_type: str, lang: str, covered: bool = True
) -> None:
    """Offers to open a request of ``case_type``: one button; "yes" opens it too."""
    dispatcher.utter_message(
        response="utter_offer_case" if covered else "utter_uncovered_offer_case",
        buttons=[{"title": CASE_TYPES[case_type].label.get(lang),
                  "payload": request_payload(case_type)}])


# When studies end, the day a question says the person leaves ("I move out of the dorm on 25
# June", "我7月1号离校") is the day the permit is cancelled (CPU Art. 10); its words name how
# studies end.
_LEAVING: Final = Fact("leaving", cues=("leave", "leaving", "move out", "moving out",
                                        "check out"),
                       cues_after=("离校", "搬出", "离开学校", "退宿"))
_YEAR: Final = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_STUDY_ENDS: Final = ((WITHDRAWAL, ("withdraw", "drop out", "退学")),
                      (SUSPENSION, ("suspend", "休学")), (DISMISSAL, ("dismiss", "expel", "开除")))


def _leaving_day(question: str) -> date | None:
    """The day the question says the person leaves the university, in the year of the other
    dates it gives ("valid till 15 July 2028 ... move out on 25 June")."""
    years = [date(int(year), 7, 1) for year in _YEAR.findall(question)]  # "June 2028", "2028年"
    near = max([mention.day for mention in find_dates(question, today(), "en")] + years,
               default=None)
    found = cued_dates((_LEAVING,), question, today(), "en", near=near).get(_LEAVING.name)
    return found if isinstance(found, date) else None


def _permit_on_leaving(question: str, institution_code: str) -> Decision | None:
    """The cancellation dated by the leaving day the question gives; None without one, or
    where the university's rule sets no date."""
    day = _leaving_day(question)
    if day is None:
        return None
    lowered = question.lower()
    event = next((event for event, words in _STUDY_ENDS if any(w in lowered for w in words)),
                 GRADUATION)
    decision = permit_after_studies(institution_code, event, day)
    return decision if decision.covered and decision.valid_until == day else None


def answer_for(intent: str, question: str, institution_code: str) -> Decision | None:
    """The answer `knowledge` gives to a topic intent, None when the intent is no topic."""
    topic_id = topic_of(intent)
    if topic_id is None:
        return None
    if topic_id in _FROM_QUESTION:
        duty = who_handles(question, institution_code)
        # A duty that matched, even one serving others ("residence permits" at Qujing are
        # handled for foreign experts only), answers better than the list of all duties.
        if duty.covered or any(c.article not in _OVERVIEWS for c in duty.citations):
            return duty
    if topic_id == "permit_cancellation":
        dated = _permit_on_leaving(question, institution_code)
        if dated is not None:
            return dated
    plain = plain_topics().get(topic_id) if topic_id not in FAQ_TOPICS else None
    return topic_answer(plain, institution_code) if plain else faq_answer(topic_id,
                                                                          institution_code)


class ActionAnswerFaq(Action):
    """Answers the topic the latest intent names, for the person's institution and language."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        question = tracker.latest_message.get("text") or ""
        decision = answer_for(intent, question, institution(tracker))
        if decision is None:
            dispatcher.utter_message(response="utter_default")
            return []
        if university_decides(tracker, intent, question, decision):
            ask_university(dispatcher, language(tracker))
            return []
        tell(dispatcher, decision, language(tracker), topic_of(intent))
        return []


def university_decides(tracker: Tracker, intent: str, question: str, decision: Decision) -> bool:
    """Whether to ask the person's university before answering: they never named one, the
    deployment's default university's documents do not cover the topic, and another's do."""
    code = institution(tracker)
    if known_institution(tracker) is not None or decision.covered \
            or cites(decision, code):
        return False
    others = (answer_for(intent, question, other) for other in INSTITUTION_CODES
              if other != code)
    return any(other is not None and other.covered for other in others)


def ask_university(dispatcher: CollectingDispatcher, lang: str) -> None:
    """Which university, one button per university (the answer then follows)."""
    buttons = [{"title": institution_profile(code).name.get(lang),
                "payload": f'/choose_institution{{"institution":"{code}"}}'}
               for code in INSTITUTION_CODES]
    dispatcher.utter_message(response="utter_ask_institution_for_answer", buttons=buttons)
