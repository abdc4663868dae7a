"""Which of the two languages a text is written in, by its script.

No Rasa import here: the action server's tests and the evaluation script use it as it is.
"""

from __future__ import annotations

import re

# The CJK unified ideographs and their extension A: every character of the Chinese examples.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def message_language(text: str) -> str:
    """ "zh" for a text with Chinese characters, else "en"."""
    return "zh" if HAN.search(text) else "en"


_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# Words that carry a sentence's grammar rather than its topic: the language they belong to is
# the one the person writes in, whatever names or terms of the other language the sentence
# quotes ("My university is 江苏师范大学", "CPU的international office在哪").
_ENGLISH_GRAMMAR = frozenset({
    "i", "i'm", "im", "my", "me", "is", "are", "am", "was", "were", "the", "a", "an", "to",
    "for", "of", "in", "on", "at", "and", "or", "but", "if", "so", "how", "what", "when",
    "where", "which", "who", "why", "do", "does", "did", "can", "could", "should", "will",
    "would", "need", "have", "has", "it", "this", "that", "with", "from", "about", "please",
    "you", "your", "we", "our", "be", "not", "no",
})
_CHINESE_GRAMMAR = re.compile(
    r"怎么|什么|可以|多久|多少|哪里|为什么|[的了吗呢吧是我你您在有要能还就和也不没想请问会去到给把被这那哪]")


def written_in(text: str) -> str | None:
    """The language a message is written in: "zh", "en", or None when it has no words (a
    date, "85%", an emoji) and so says nothing about it.

    The language of the grammar words decides; without any, the script with more (Chinese
    characters against Latin words), Chinese on a tie.
    """
    latin = [word.lower() for word in _LATIN_WORD.findall(text) if len(word) > 1 or
             word in ("I", "a")]
    han = len(HAN.findall(text))
    if not latin and not han:
        return None
    english = sum(word in _ENGLISH_GRAMMAR for word in latin)
    chinese = len(_CHINESE_GRAMMAR.findall(text))
    if english != chinese:
        return "en" if english > chinese else "zh"
    return "zh" if han >= len(latin) else "en"
