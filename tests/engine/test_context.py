"""Who is talking, in which language and at which university (engine/context.py): read by the
Rasa server from every message, with the conversation's slots, without an action call."""

from __future__ import annotations

import pytest

from engine.context import Context, Message, chosen_language, read_context


@pytest.mark.parametrize(
    ("text", "language"),
    [("please answer in English", "en"), ("请用中文", "zh"), ("不要用英文，用中文", "zh"),
     ("can you reply in Chinese?", "zh"), ("英文回答", "en"), ("thanks", None),
     ("not in Chinese please, English", "en")],
)
def test_the_chosen_language_is_read_from_the_request(text: str, language: str | None) -> None:
    assert chosen_language(text) == language


def test_a_chosen_language_sticks_when_the_person_writes_in_the_other() -> None:
    chose = Message("please answer in English", intent="choose_language",
                    detected_languages=["en"], slots={"language": "zh"})
    assert read_context(chose) == Context("en", "en", None)
    later = Message("签证类型", intent="visa_types", detected_languages=["zh"],
                    slots={"language": "en", "preferred_language": "en"})
    assert read_context(later).language == "en"
    assert read_context(later).preferred_language is None  # the standing choice stays


def test_a_request_to_change_language_that_names_none_changes_nothing() -> None:
    message = Message("can I change the language?", intent="choose_language",
                      detected_languages=["en"], slots={"preferred_language": "zh"})
    assert read_context(message) == Context("zh", None, None)


def test_without_a_choice_the_reply_follows_the_message() -> None:
    assert read_context(Message("签证类型", intent="visa_types",
                                detected_languages=["zh"])).language == "zh"
    assert read_context(Message("visa types", intent="visa_types",
                                detected_languages=["en"], slots={"language": "zh"})
                        ).language == "en"


def test_a_message_without_words_leaves_the_language_as_it_was() -> None:
    assert read_context(Message("2027-03-01", slots={"language": "zh"})).language is None


def test_the_channel_language_wins_over_the_script_and_the_earlier_choice() -> None:
    message = Message("hello", intent="greet", metadata={"language": "zh"},
                      detected_languages=["zh"], slots={"preferred_language": "en"})
    assert read_context(message) == Context("zh", None, None)


def test_outside_a_conversation_the_script_decides() -> None:
    assert read_context(Message("护照丢了", detected_languages=["zh"])).language == "zh"


@pytest.mark.parametrize(("message", "code"), [
    (Message("我在江苏师范大学读书", named_institutions=["JSNU"]), "JSNU"),
    (Message("I study at cpu", named_institutions=["China Pharmaceutical University"]), "CPU"),
    (Message("I work at Westlake"), "WESTLAKE"),
    (Message("I lost my passport"), None),
])
def test_a_named_university_is_read_as_its_code(message: Message, code: str | None) -> None:
    assert read_context(message).institution == code
