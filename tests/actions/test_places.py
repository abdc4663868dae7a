"""Places named in a message (actions/places.py): a trip's destination, a visitor's country."""

from __future__ import annotations

import pytest

from actions.places import DESTINATION_CUES, ORIGIN_CUES, place_in

PLACES = {
    "flying to bangkok on 15 january": ("Bangkok", "Bangkok"),
    "I'm from Pakistan, going to Tokyo next month": ("Tokyo", "Pakistan"),
    "three candidates from the US for interviews": ("USA", "USA"),
    "a German professor will visit": ("Germany", "Germany"),
    "邀请一位印度学者来参加研讨会": ("印度", "印度"),
    "我下个月去日本开会": ("日本", "日本"),
    "我要去香港参加会议": ("香港", "香港"),
    "a symposium in Hong Kong": ("Hong Kong", "Hong Kong"),
    "conference in Turkey in May": ("Turkey", "Turkey"),
}


@pytest.mark.parametrize("text", PLACES)
def test_the_place_a_message_names_is_read_in_both_languages(text: str) -> None:
    destination, origin = PLACES[text]
    assert place_in(text, DESTINATION_CUES) == destination
    assert place_in(text, ORIGIN_CUES) == origin


@pytest.mark.parametrize("text", ["I study in China at CPU", "michael jordan said so",
                                  "can we continue in English?",
                                  "the unknown region of my mind", "no place here", "我在南京读书"])
def test_china_common_words_and_names_are_no_destination(text: str) -> None:
    assert place_in(text, DESTINATION_CUES) is None
