"""What Rasa sends the action server with each call: only what the actions read.

Rasa 3.6's ``RemoteAction._action_call_format`` sends the whole session, every user message
with its full NLU result, and (to the actions that need it) the whole domain. Measured in the
20-user pass of ``scripts/bench_stock.py`` a call carried 17–111 kB of JSON; the domain was
68 kB of it, 58 kB of that the responses, which only the Rasa server renders. Parsing those
bodies was most of the action server's busy time (docs/performance.md).

This sends instead:

* of the domain, the parts read on the other side: ``forms`` (the SDK's form validation and
  ``actions/loops.py``) and ``slots`` (the SDK's custom slot mappings);
* of each past message's NLU result, everything but the ranking of the other intents and
  response selectors' results, which no action reads of a past message (the latest message,
  sent apart as ``latest_message``, is sent whole).

Rasa's own objects are not changed: the tracker and the domain hand out references to their
dictionaries, so the slimmer ones are new dictionaries.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Text

DOMAIN_READ = ("forms", "slots")
NOT_READ_OF_PAST_MESSAGES = frozenset({"intent_ranking", "response_selector"})

CallFormat = Callable[[Any, Any, Any], Dict[Text, Any]]


def slimmed(call: Dict[Text, Any]) -> Dict[Text, Any]:
    """``call`` (a request body Rasa built) with only what the actions read."""
    slim = dict(call)
    if isinstance(call.get("domain"), dict):
        slim["domain"] = {key: call["domain"][key] for key in DOMAIN_READ if key in call["domain"]}
    tracker = call.get("tracker")
    if isinstance(tracker, dict) and isinstance(tracker.get("events"), list):
        slim["tracker"] = {**tracker, "events": [slim_event(event)
                                                 for event in tracker["events"]]}
    return slim


def slim_event(event: Dict[Text, Any]) -> Dict[Text, Any]:
    """``event`` without the parts of its NLU result that no action reads."""
    parse_data = event.get("parse_data")
    if not isinstance(parse_data, dict) or NOT_READ_OF_PAST_MESSAGES.isdisjoint(parse_data):
        return event
    kept = {key: value for key, value in parse_data.items()
            if key not in NOT_READ_OF_PAST_MESSAGES}
    return {**event, "parse_data": kept}


def slimming(original: CallFormat) -> CallFormat:
    """``original`` (Rasa's call format), returning the slimmer body."""
    def call_format(action: Any, tracker: Any, domain: Any) -> Dict[Text, Any]:
        return slimmed(original(action, tracker, domain))
    call_format.__wrapped__ = original  # type: ignore[attr-defined]
    return call_format


def install() -> None:
    """Makes every ``RemoteAction`` send the slimmer body (once, however often called)."""
    from rasa.core.actions.action import RemoteAction

    current = RemoteAction._action_call_format
    if not hasattr(current, "__wrapped__"):
        RemoteAction._action_call_format = slimming(current)
