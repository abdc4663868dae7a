"""The two shapes institution data takes: a profile and the provisions of its source document."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.core import Citation, Text

# Which language version of a bilingual source a provision follows.
FOLLOWS_BOTH = "both"  # the versions agree (or only one exists)
FOLLOWS_EN = "en"
FOLLOWS_ZH = "zh"
FOLLOWS_MIXED = "zh and en"  # parts follow each version; the note says which and why


@dataclass(frozen=True)
class Institution:
    """Who an institution is and where it sends people.

    ``contact`` only says what the source says (office and channel); the sources give no
    telephone numbers or e-mail addresses and none is invented here. ``city`` is set only
    where the source names the city (CPU's regulations send students to the Nanjing police,
    JSNU's to Xuzhou's); ``find_institution`` reads "I study in <city>" from it.
    """

    code: str
    name: Text
    aliases: tuple[str, ...]  # how people write the name, matched by ``find_institution``
    city: Text | None
    office: Text  # the international office the source is from
    authority: Text | None  # the exit-entry authority the source sends students to
    contact: Text
    source: str  # file name of the source under shared/seeds
    source_language: Text  # which languages the source exists in


@dataclass(frozen=True)
class Provision:
    """One article (or portal question, or listed responsibility) of a source, as data.

    ``text`` states the rule in both languages. ``follows`` records which language version of
    the source it follows where they differ, and ``note`` says how they differ and why.
    """

    institution: str
    article: str
    title: Text
    text: Text
    follows: str = FOLLOWS_BOTH
    note: str = ""
    label: Text | None = None  # citation label when the article number alone is ambiguous
    short_label: Text | None = None  # the same in a citation's short form (``Citation.short``)

    def citation(self) -> Citation:
        """The citation that points at this provision."""
        return Citation(self.institution, self.article, label=self.label,
                        short_label=self.short_label)
