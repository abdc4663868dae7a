"""Who a request is for, read from what the person writes: their name, their student or
staff number and a contact the office may use (an e-mail address or a phone number).

One table of phrasings (`CUES`) serves both uses: finding the details inside any message
("I'm Ali Khan, student number 2023123456, ali@example.com") and reading the answer
to the request form's question, where the whole answer may be the detail ("Ali Khan").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An international number (+86 138 0000 0000) or a Chinese mobile number (11 digits from 1):
# a bare run of digits is more likely a student number.
PHONE = re.compile(r"(?<![0-9A-Za-z+])(?:\+\d{1,3}[\s-]?\d[\d\s-]{5,14}\d|1[3-9]\d{9})(?![\d])")
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,31}$")

# Words that introduce a detail inside a sentence, and what follows them.
CUES: Mapping[str, re.Pattern[str]] = MappingProxyType({
    "full_name": re.compile(
        r"(?:my name is|my name's|name\s*[:：]|i am called|i'm called)\s*"
        r"(?P<value>[^\W\d_][^\d,;.!?，。；！？\n]{0,58}[^\W\d_\s])"
        r"|(?:i'm|i am)\s+(?-i:(?P<capitalised>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}))"
        r"|(?:我叫|我的名字是|我的名字叫|姓名\s*[:：]?|名字\s*[:：])\s*"
        r"(?P<zh>[^\W\d_][^\d\s,;.!?，。；！？、]{0,19})",
        re.IGNORECASE),
    "member_number": re.compile(
        r"(?:student|staff|employee|matriculation)\s*(?:number|no\.?|id|#)\s*"
        r"(?:is\s*|[:：]\s*)?(?P<value>[A-Za-z0-9][A-Za-z0-9-]{2,31})"
        r"|(?:学号|工号|学生证号)\s*(?:是|为|[:：])?\s*(?P<zh>[A-Za-z0-9][A-Za-z0-9-]{2,31})",
        re.IGNORECASE),
})
MAX_NAME_WORDS = 6
NOT_IN_NAMES = ("?", "？", "!", "！", "。", ",", "，", ":", "：", ";", "；")

# Words that end a name written after "my name is" ("Ali Khan and my number is ...").
NAME_ENDS = re.compile(r"\s+(?:and|my|student|staff|email|e-mail|phone|tel)\b.*$",
                       re.IGNORECASE)


def details_in(text: str) -> dict[str, str]:
    """The details a message states in so many words (a contact wherever it is)."""
    found: dict[str, str] = {}
    for name, cue in CUES.items():
        match = cue.search(text)
        if match:
            said = {k: v for k, v in match.groupdict().items() if v}
            value = next(iter(said.values()), "").strip()
            value = NAME_ENDS.sub("", value) if name == "full_name" else value
            if value:
                found[name] = value
    contact = contact_in(text)
    if contact:
        found["contact"] = contact
    return found


def contact_in(text: str) -> str | None:
    """The first e-mail address or phone number in ``text``."""
    match = EMAIL.search(text) or PHONE.search(text)
    return match.group(0).strip() if match else None


def answered_detail(name: str, text: str) -> str | None:
    """The detail ``name`` read from an answer to its question, or None when the answer is
    not one (the form then says what it needs)."""
    text = text.strip()
    if name == "contact":
        return contact_in(text)
    stated = details_in(text).get(name)
    if stated:
        return stated
    if name == "member_number":
        return text if NUMBER.match(text) and any(c.isdigit() for c in text) else None
    if name == "full_name":
        return text if looks_like_a_name(text) else None
    return None


def looks_like_a_name(text: str) -> bool:
    """Whether a whole answer can be a name: letters, at most ``MAX_NAME_WORDS`` words, no
    digits and no question or sentence mark ("Can I travel to Yunnan?" is not a name)."""
    return (any(c.isalpha() for c in text) and not any(c.isdigit() for c in text)
            and not any(mark in text for mark in NOT_IN_NAMES)
            and len(text.split()) <= MAX_NAME_WORDS and len(text) <= 100)
