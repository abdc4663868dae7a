"""Every response an action utters by name is in the domain, in English and in Chinese (Rasa
would send nothing, or nothing in one language), and both languages take the same values."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from typing import Any

from actions.request_fields import FIELD_OVERRIDES, FIELDS
from supervisor.processes import REPO_ROOT

NAMED = re.compile(r"""response=["'](utter_[a-z0-9_]+)["']""")
# Any quoted name: also those an action picks through a helper (`register_own_document`
# returns "utter_reminder_already") and then utters with `response=answer`.
QUOTED = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")
# Rasa's key for the response a bot message came from, which actions read from events.
NOT_RESPONSES = frozenset({"utter_action"})
# A placeholder as Rasa's interpolator finds it (rasa/core/nlg/interpolator.py).
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")
# What `CollectingDispatcher.utter_message` puts in every message besides the values.
SDK_KEYS = frozenset({"text", "image", "json_message", "template", "response", "attachment",
                      "buttons", "elements", "custom"})
# Modules whose fixed sentences are responses (issue 25).
SPEAKING_THROUGH_RESPONSES = ("reminders", "privacy", "store", "requests", "followup")
# What they may still utter as plain text, as written in the call: texts made elsewhere and
# passed on (the regulations' answer from knowledge/).
PASSED_ON: Mapping[str, frozenset[str]] = {
    "requests": frozenset({"lost_passport(institution(tracker)).render(lang)"}),
}


def names_in_actions(pattern: re.Pattern[str]) -> set[str]:
    """Every response name ``pattern`` finds in actions/*.py."""
    return {match for path in (REPO_ROOT / "actions").glob("*.py")
            for match in pattern.findall(path.read_text(encoding="utf-8"))} - NOT_RESPONSES


def variations(domain: dict[str, Any], name: str) -> dict[str, list[str]]:
    """The texts of response ``name`` by language: "en" without a condition, "zh" with
    ``language = zh``."""
    texts: dict[str, list[str]] = {"en": [], "zh": []}
    for variation in domain["responses"].get(name) or []:
        conditions = variation.get("condition") or []
        chinese = any(c.get("type") == "slot" and c.get("name") == "language"
                      and c.get("value") == "zh" for c in conditions)
        if chinese or not conditions:
            texts["zh" if chinese else "en"].append(str(variation.get("text") or ""))
    return texts


def placeholders(domain: dict[str, Any], name: str) -> set[str]:
    """The {values} any variation of response ``name`` is filled with."""
    return {key for texts in variations(domain, name).values() for text in texts
            for key in PLACEHOLDER.findall(text)}


def uttered(messages: Iterable[dict[str, Any]], domain: dict[str, Any]
            ) -> list[tuple[str, dict[str, Any]]]:
    """What an action said, as (response name, values) per message.

    Fails when a message is plain text instead of a response, or leaves a placeholder of
    its response without a value (Rasa would then send the sentence with "{lines}" in it).
    """
    said = []
    for message in messages:
        name = message.get("response")
        assert name, f"plain text instead of a response: {message.get('text')!r}"
        values = {key: value for key, value in message.items() if key not in SDK_KEYS}
        assert sorted(placeholders(domain, name) - set(values)) == [], name
        said.append((str(name), values))
    return said


def rendered(domain: dict[str, Any], name: str, values: Mapping[str, Any],
             language: str = "en") -> str:
    """The text Rasa sends for response ``name`` in ``language`` filled with ``values``, as
    its interpolator fills it (rasa/core/nlg/interpolator.py): unfilled when a value holds
    "0[" (Rasa's sign that a placeholder was left)."""
    [text] = variations(domain, name)[language]
    filled = PLACEHOLDER.sub(r"{0[\1]}", text).format(values)
    return text if "0[" in filled else filled


def plain_texts(code: str) -> set[str]:
    """The texts the module's `utter_message` calls send as they are (``text=`` or the first
    argument), as written in the call."""
    return {ast.get_source_segment(code, argument) or "?"
            for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "utter_message"
            for argument in [*node.args[:1],
                             *(k.value for k in node.keywords if k.arg == "text")]}


def test_every_response_named_in_actions_is_in_the_domain(domain: dict[str, Any]) -> None:
    named = names_in_actions(NAMED)
    assert len(named) > 10
    assert sorted(names_in_actions(QUOTED) - set(domain["responses"])) == []


def test_the_questions_of_request_fields_are_among_the_responses_checked_here() -> None:
    """A request field names its question in actions/request_fields.py, and the action utters
    it through ``Field.question``: the name must be written out there to be checked above."""
    questions = {field.question for field in (*FIELDS.values(), *FIELD_OVERRIDES.values())}
    assert len(questions) == len(FIELDS) + len(FIELD_OVERRIDES)
    assert sorted(questions - names_in_actions(QUOTED)) == []


def test_every_response_named_in_actions_is_written_in_english_and_in_chinese(
    domain: dict[str, Any]
) -> None:
    missing = [f"{name} ({language})" for name in sorted(names_in_actions(QUOTED))
               for language, texts in variations(domain, name).items() if not texts]
    assert missing == []


def test_both_languages_of_a_response_take_the_same_values(domain: dict[str, Any]) -> None:
    differing = {}
    for name in domain["responses"]:
        found = {language: {frozenset(PLACEHOLDER.findall(text)) for text in texts}
                 for language, texts in variations(domain, name).items()}
        if len(found["en"] | found["zh"]) > 1:
            differing[name] = found
    assert differing == {}


def test_reminders_personal_data_the_store_and_requests_speak_only_through_responses() -> None:
    """No bilingual table of sentences of their own (issue 25): they name responses."""
    for module in SPEAKING_THROUGH_RESPONSES:
        code = (REPO_ROOT / "actions" / f"{module}.py").read_text(encoding="utf-8")
        assert "TEXTS" not in code, module
        assert "def say(" not in code, module
        assert plain_texts(code) == PASSED_ON.get(module, set()), module
