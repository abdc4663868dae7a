"""Every response an action utters by name is in the domain, in English and in Chinese (Rasa
would send nothing, or nothing in one language), and both languages take the same values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.processes import REPO_ROOT

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


def test_every_response_named_in_actions_is_in_the_domain(domain: dict[str, Any]) -> None:
    named = names_in_actions(NAMED)
    assert len(named) > 10
    assert sorted(names_in_actions(QUOTED) - set(domain["responses"])) == []


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


def test_reminders_personal_data_and_the_store_speak_only_through_responses() -> None:
    """No bilingual table of sentences of their own (issue 25): they name responses."""
    for module in ("reminders", "privacy", "store"):
        code = (REPO_ROOT / "actions" / f"{module}.py").read_text(encoding="utf-8")
        assert "utter_message(text=" not in code, module
        assert "TEXTS" not in code, module
