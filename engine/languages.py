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
