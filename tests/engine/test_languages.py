"""The language a message is written in (engine/languages.py): the grammar decides, not the
names and terms it quotes from the other language."""

from __future__ import annotations

import pytest

from engine.languages import written_in


@pytest.mark.parametrize(("text", "language"), [
    ("I lost my passport", "en"),
    ("我的护照丢了", "zh"),
    # English sentences quoting Chinese: the university, a programme, a date
    ("My university is 江苏师范大学", "en"),
    ("hi im a 预科 student, paid only one semestr. how long is my residence permit", "en"),
    ("I land in Nanjing on 2027年9月1号 around 10pm", "en"),
    # Chinese sentences quoting English terms
    ("我的visa快到期了", "zh"),
    ("CPU的international student office在哪", "zh"),
    ("PhD学生 visa extension怎么办", "zh"),
    # no grammar words: the script with more
    ("visa types", "en"), ("签证类型", "zh"), ("Hello 你好", "zh"), ("JSNU", "en"),
    # nothing to tell
    ("85%", None), ("2027-03-01", None), ("👍", None), ("", None),
])
def test_a_message_is_written_in_the_language_of_its_grammar(
        text: str, language: str | None) -> None:
    assert written_in(text) == language
