"""How forms behave toward the person, whichever form it is.

* A form asked for inside another form takes its place; once it is answered, the other
  resumes. Rasa runs one form at a time: a deadline question asked while the
  residence-permit questions are running starts the deadline form in their place. The action
  that answers the inner form hands the conversation back with an `ActiveLoop` event, so the
  person is asked the outer form's next question instead of having to start it again.
* The message that opens a form is read for every fact it carries, but it answered no
  question: whatever it does not carry is asked for, never met with "Sorry, I did not get
  that" (`ListeningFormValidation`).
"""

from __future__ import annotations

from abc import abstractmethod

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

REQUESTED_SLOT = "requested_slot"


def opens_the_form(tracker: Tracker, domain: DomainDict, form: str) -> bool:
    """Whether the latest message started ``form``: no question of ``form`` was pending."""
    asked = tracker.get_slot(REQUESTED_SLOT)
    spec = (domain.get("forms") or {}).get(form) or {}
    return asked not in (spec.get("required_slots") or [])


class ListeningFormValidation(FormValidationAction):
    """A form validation that reads the opening message quietly (see the module docstring).

    On the opening message the validation runs as usual (every fact it carries is kept),
    but what it would say about what it could not read is left unsaid: the form asks its
    question next.
    """

    @abstractmethod
    def name(self) -> str:
        """``validate_<form>``: each form's own class names itself (abstract here, so that the
        action server registers only those)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not opens_the_form(tracker, domain, self.form_name()):
            events: list[EventType] = await super().run(dispatcher, tracker, domain)
            return events
        quiet = CollectingDispatcher()
        events = await super().run(quiet, tracker, domain)
        return events


def interrupted_form(tracker: Tracker, domain: DomainDict, form: str) -> str | None:
    """The form ``form`` replaced when it started, if ``form`` has just been completed.

    None when ``form`` started with no other form running (or after it had finished), and
    when ``form`` did not just finish (an answer corrected later resumes nothing).
    """
    loops = [event.get("name") for event in tracker.events if event.get("event") == "active_loop"]
    if len(loops) < 3 or loops[-1] is not None or loops[-2] != form:
        return None
    replaced = loops[-3]
    forms = domain.get("forms") or {}
    return str(replaced) if replaced in forms and replaced != form else None


def resume_interrupted_form(tracker: Tracker, domain: DomainDict, form: str) -> list[EventType]:
    """The event that resumes the form ``form`` interrupted, or nothing."""
    replaced = interrupted_form(tracker, domain, form)
    return [ActiveLoop(replaced)] if replaced else []
