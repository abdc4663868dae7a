"""How much of a message the training data has shown the model (engine/familiarity.py)."""

from __future__ import annotations

import pytest

from engine.familiarity import familiarity, pieces, vocabulary

TRAINING = vocabulary([
    "how long is my residence permit?", "I lost my passport", "yes", "thank you",
    "我的居留许可能办多久？", "护照丢了怎么办", "好的",
])


def test_a_message_is_cut_into_chinese_characters_and_padded_letter_trigrams() -> None:
    assert pieces("Yes 好的") == ["好", "的", " ye", "yes", "es "]


@pytest.mark.parametrize("text", [
    "how long is my permit", "I lost my pasport", "residense permit", "护照丢了", "居留许可多久",
])
def test_known_words_and_typos_of_them_are_familiar(text: str) -> None:
    share = familiarity(text, TRAINING)
    assert share is not None and share >= 0.5


@pytest.mark.parametrize("text", ["fnaglgs imyvn", "qwzx plorb", "镀弋", "嬂會缮慒惼璫琑"])
def test_keyboard_mash_and_rare_characters_are_unfamiliar(text: str) -> None:
    share = familiarity(text, TRAINING)
    assert share is not None and share < 0.5


@pytest.mark.parametrize("text", ["2027-07-15", "85%", "  ", "👍"])
def test_a_message_without_words_says_nothing_either_way(text: str) -> None:
    assert familiarity(text, TRAINING) is None
