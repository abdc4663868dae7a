"""A form asked for inside another form takes its place; once it is answered, the other resumes.

Rasa runs one form at a time: a deadline question asked while the residence-permit questions
are running starts the deadline form in their place. The action that answers the inner form
hands the conversation back with an `ActiveLoop` event, so the person is asked the outer
form's next question instead of having to start it again.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.types import DomainDict


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
