"""How much of a message the training data has ever shown the model.

A classifier gives every message to some intent, and keyboard mash ("fnaglgs imyvn") or a
string of rare Chinese characters can come out as "yes" with high confidence: the model has
never seen anything like it, so it knows nothing about it. The familiarity of a message is the
share of its pieces that appear somewhere in the training examples: every Chinese character,
and the letter trigrams of every English word (padded with spaces, as the character n-gram
features are, so "yo" counts as " yo" and "yo "). Trigrams forgive typos: "resdence" shares
most of its trigrams with "residence"; mash shares almost none with anything.

No Rasa import here: the action server's tests and the evaluation script use it as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.languages import HAN

_LATIN_WORD = re.compile(r"[a-z]+")


def pieces(text: str) -> list[str]:
    """The Chinese characters and the padded letter trigrams of the English words."""
    found = HAN.findall(text)
    for word in _LATIN_WORD.findall(text.lower()):
        padded = f" {word} "
        found += [padded[i:i + 3] for i in range(len(padded) - 2)]
    return found


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every piece of the training texts."""
    return frozenset(piece for text in texts for piece in pieces(text))


def familiarity(text: str, known: frozenset[str]) -> float | None:
    """The share of the message's pieces the training texts contain; None when it has none
    (a date, a number, "85%", an emoji), which says nothing either way."""
    found = pieces(text)
    if not found:
        return None
    return sum(piece in known for piece in found) / len(found)
