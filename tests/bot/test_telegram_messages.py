"""The pure part of the Telegram bridge: splitting, keyboards, payloads, metadata."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram import texts
from bot.telegram.messages import (
    KEY_PREFIX,
    MAX_CALLBACK_BYTES,
    MAX_MESSAGE_UNITS,
    PAYLOAD_PREFIX,
    Button,
    callback_data,
    choose_institution_payload,
    choose_language_payload,
    keyboard_rows,
    long_payloads,
    payload_key,
    rasa_metadata,
    split_text,
    to_telegram,
    utf16_units,
)
from knowledge import INSTITUTION_CODES
from knowledge.core import Text

HAN = re.compile(r"[\u4e00-\u9fff]")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_short_text_is_one_message() -> None:
    assert split_text("I lost my passport") == ["I lost my passport"]


def test_a_long_text_is_cut_at_the_last_line_break_that_fits() -> None:
    lines = [f"line {i:03d} " + "x" * 40 for i in range(200)]
    chunks = split_text("\n".join(lines), limit=1000)
    assert all(utf16_units(chunk) <= 1000 for chunk in chunks)
    assert "\n".join(chunks) == "\n".join(lines)  # every cut fell on a line break
    assert len(chunks) == 10  # 20 lines of 48 characters (plus breaks) per message


def test_a_line_longer_than_the_limit_is_cut_between_words() -> None:
    text = " ".join(["word"] * 30)  # 149 characters, no line break
    chunks = split_text(text, limit=50)
    assert all(len(chunk) <= 50 for chunk in chunks)
    assert all(not chunk.startswith(" ") and not chunk.endswith(" ") for chunk in chunks)
    assert " ".join(chunks) == text


def test_text_without_any_space_is_cut_hard() -> None:
    assert split_text("护照" * 5, limit=4) == ["护照护照", "护照护照", "护照"]


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    assert utf16_units("😀") == 2
    chunks = split_text("😀" * 5, limit=4)
    assert chunks == ["😀😀", "😀😀", "😀"]


def test_blank_parts_are_not_sent() -> None:
    assert split_text("a" + "\n" * 30 + "b", limit=10) == ["a", "b"]
    assert split_text("   ") == []


def test_telegrams_own_limit_is_the_default() -> None:
    text = "\n".join("第十三条 护照丢失后应立即向派出所报案。" for _ in range(400))
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(utf16_units(chunk) <= MAX_MESSAGE_UNITS for chunk in chunks)


@given(st.text(alphabet=st.sampled_from("ab 护😀\n\t"), max_size=400),
       st.integers(min_value=2, max_value=60))
def test_splitting_never_exceeds_the_limit_nor_loses_text(text: str, limit: int) -> None:
    chunks = split_text(text, limit)
    assert all(0 < utf16_units(chunk) <= limit for chunk in chunks)
    assert all(chunk.strip() for chunk in chunks)
    assert _squeeze("".join(chunks)) == _squeeze(text)


@given(st.lists(st.text(alphabet="abc 护", min_size=1, max_size=30), min_size=1, max_size=40))
def test_lines_that_fit_are_never_broken(lines: list[str]) -> None:
    chunks = split_text("\n".join(lines), limit=40)
    kept = {line.strip() for chunk in chunks for line in chunk.split("\n")}
    assert all(line.strip() in kept for line in lines if line.strip())


def test_a_short_payload_travels_in_the_button() -> None:
    payload = '/inform{"student_status":"delayed_graduation"}'
    assert callback_data(payload) == PAYLOAD_PREFIX + payload


def test_a_payload_too_long_for_telegram_travels_as_a_key() -> None:
    payload = '/inform{"student_status":"returning","programme":"degree","payment":"year"}'
    data = callback_data(payload)
    assert data == KEY_PREFIX + payload_key(payload)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert long_payloads([{"text": "?", "buttons": [{"title": "t", "payload": payload}]}]) == {
        payload_key(payload): payload
    }


def test_a_payload_of_exactly_the_limit_still_travels_inline() -> None:
    payload = "/" + "x" * (MAX_CALLBACK_BYTES - len(PAYLOAD_PREFIX) - 1)
    assert callback_data(payload) == PAYLOAD_PREFIX + payload
    assert callback_data(payload + "x").startswith(KEY_PREFIX)


def test_language_and_university_buttons_fit_in_callback_data() -> None:
    for payload in [choose_language_payload("zh"),
                    *(choose_institution_payload(code) for code in INSTITUTION_CODES)]:
        assert callback_data(payload).startswith(PAYLOAD_PREFIX)
    assert choose_institution_payload("JSNU") == '/choose_institution{"institution":"JSNU"}'


def test_short_titles_sit_two_to_a_row_and_long_ones_alone() -> None:
    short = [Button("Yes", "p:/affirm"), Button("No", "p:/deny"), Button("Stop", "p:/stop")]
    assert keyboard_rows(short) == ((short[0], short[1]), (short[2],))
    long = [Button("Language or preparatory", "p:1"), Button("No", "p:2")]
    assert keyboard_rows(long) == ((long[0],), (long[1],))
    assert keyboard_rows([]) == ()


def test_buttons_go_under_the_last_part_of_a_long_reply() -> None:
    replies = [{"text": "\n".join(["x" * 100] * 100),
                "buttons": [{"title": "New student", "payload": "/inform"}]}]
    messages = to_telegram(replies)
    assert len(messages) == 3
    assert [m.keyboard for m in messages[:-1]] == [(), ()]
    assert messages[-1].keyboard == ((Button("New student", "p:/inform"),),)


def test_every_rasa_reply_becomes_its_own_message() -> None:
    replies = [
        {"recipient_id": "1", "text": "First"},
        {"recipient_id": "1", "image": "https://example.edu/map.png"},
        {"recipient_id": "1", "custom": {"kind": "ignored"}},
        {"recipient_id": "1", "buttons": [{"title": "Yes", "payload": "/affirm"},
                                          {"title": "broken"}]},
    ]
    messages = to_telegram(replies)
    assert [m.text for m in messages] == ["First", "https://example.edu/map.png", "·"]
    assert messages[2].keyboard == ((Button("Yes", "p:/affirm"),),)


def test_metadata_names_the_update_and_the_chat() -> None:
    assert rasa_metadata(42, 1001, None) == {
        "message_id": "1001", "chat_id": 42,
    }


def test_metadata_carries_the_language_only_when_the_person_chose_one() -> None:
    assert rasa_metadata(42, 1001, "zh")["language"] == "zh"
    assert "language" not in rasa_metadata(42, 1001, None)


@pytest.mark.parametrize(("language", "expected"),
                         [("en", "Hello"), ("zh", "您好"), ("zh-CN", "您好")])
def test_a_chosen_language_gets_only_its_own_text(language: str, expected: str) -> None:
    assert Text("Hello", "您好").chosen(language) == expected


@pytest.mark.parametrize("language", [None, "fr"])
def test_without_a_known_choice_the_bridge_speaks_both_languages(language: str | None) -> None:
    assert Text("Hello", "您好").chosen(language) == "Hello\n\n您好"


BRIDGE_TEXTS = {name: value for name, value in vars(texts).items() if isinstance(value, Text)}


@pytest.mark.parametrize("said", BRIDGE_TEXTS.values(), ids=BRIDGE_TEXTS.keys())
def test_every_text_of_the_bridge_is_written_in_both_languages(said: Text) -> None:
    assert re.search(r"[A-Za-z]{3,}", said.en), said.en
    assert HAN.search(said.zh), said.zh
    assert said.en != said.zh
