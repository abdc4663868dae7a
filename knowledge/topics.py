"""The registry of topics: what the assistant can answer, per institution, and from which articles.

Each topic has a snake_case id (a Rasa intent or FAQ key), a bilingual title, the fixed answer
each institution's documents give (``FaqEntry``), and, where the answer depends on the user's
facts, the name of the function in ``knowledge`` that applies the rule. The coverage table
(``scripts/coverage_table.py``) is generated from the citations of these entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from knowledge.core import Citation, Text

STUDENT: Final = "student"
STAFF: Final = "staff"
ANYONE: Final = "anyone"


@dataclass(frozen=True)
class FaqEntry:
    """The answer one institution's documents (or national law, institution "CN") give.

    ``covered`` is False when the answer says what the documents do say but that they do not
    settle the question (JSNU on automatic withdrawal): the assistant then offers a request.
    """

    institution: str
    answer: Text
    citations: tuple[Citation, ...]
    steps: tuple[Text, ...] = ()
    covered: bool = True


@dataclass(frozen=True)
class Topic:
    """A question people ask, with its answers per institution."""

    id: str
    title: Text
    audience: str  # "student", "staff" or "anyone"
    entries: tuple[FaqEntry, ...]
    computed_by: str = ""  # function of ``knowledge`` applying the rule to the user's facts

    @property
    def articles(self) -> tuple[Citation, ...]:
        """Every article the topic's answers cite, in order, without repeats."""
        seen: dict[tuple[str, str, str], Citation] = {}
        for entry in self.entries:
            for citation in entry.citations:
                seen.setdefault((citation.institution, citation.document, citation.article),
                                citation)
        return tuple(seen.values())

    def entry(self, institution: str) -> FaqEntry | None:
        """The answer of ``institution``'s documents, if they address the topic."""
        return next((e for e in self.entries if e.institution == institution), None)

    def institutions(self) -> tuple[str, ...]:
        """Institutions (not national law) whose documents address the topic."""
        return tuple(e.institution for e in self.entries if e.institution != "CN")
