"""The staff page's translations, the standard gettext way: the English is written where it
is shown (in the templates, or in a ``gettext`` call in the code), and each other language
is a gettext catalog beside the templates, ``staff/templates/<language>.po`` (msgid: the
English, msgstr: the translation).

The catalog is read here, as it is written: no compile step to a ``.mo`` file to forget,
and no Babel. Only what the page needs of the PO format is read (comments, the ``fuzzy``
flag, msgid and msgstr over several quoted lines, C escapes); anything else (plural forms,
contexts) is refused with its line number rather than half understood. A translation that
is empty or marked fuzzy is not used, as ``msgfmt`` would not use it: the English shows.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CATALOGS = Path(__file__).resolve().parent / "templates"
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t"}
KEYWORDS = ("msgid", "msgstr")


class CatalogError(ValueError):
    """A PO catalog this reader does not understand, with the line that says why."""


@dataclass(frozen=True)
class Entry:
    """One message of a catalog: the English, its translation, and where it was written."""

    msgid: str
    msgstr: str
    line: int
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        """Whether gettext would use the translation (not empty, not marked fuzzy)."""
        return bool(self.msgstr) and not self.fuzzy


def _unquote(text: str, line: int) -> str:
    """The value of one quoted PO string (``"..."``, C escapes) on line ``line``."""
    quoted = QUOTED.fullmatch(text.strip())
    if quoted is None:
        raise CatalogError(f"line {line}: expected a quoted string, got {text.strip()!r}")

    def unescape(escape: re.Match[str]) -> str:
        if escape.group(1) not in ESCAPES:
            raise CatalogError(f"line {line}: unknown escape \\{escape.group(1)}")
        return ESCAPES[escape.group(1)]

    return re.sub(r"\\(.)", unescape, quoted.group(1))


def _fields(text: str) -> list[tuple[int, str, str]]:
    """The catalog's fields in order as (line, keyword, value): "msgid" or "msgstr" with its
    value (joined when it goes on over several quoted lines), or "fuzzy" for that flag."""
    fields: list[tuple[int, str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
            fields.append((number, "fuzzy", ""))
        elif line.startswith('"') and fields and fields[-1][1] in KEYWORDS:
            at, keyword, value = fields[-1]
            fields[-1] = (at, keyword, value + _unquote(line, number))
        elif line.startswith(tuple(f"{keyword} " for keyword in KEYWORDS)):
            keyword, _, value = line.partition(" ")
            fields.append((number, keyword, _unquote(value, number)))
        elif line and not line.startswith("#"):
            raise CatalogError(f"line {number}: {line.split()[0]!r} is not read here")
    return fields


def read_po(text: str) -> list[Entry]:
    """The messages of a PO catalog, in order, without its header (the empty msgid)."""
    entries: dict[str, Entry] = {}
    msgid: tuple[int, str] | None = None
    fuzzy = False
    for number, keyword, value in _fields(text):
        if keyword == "fuzzy":
            fuzzy = True
        elif keyword == "msgid" and msgid is None:
            msgid = (number, value)
        elif keyword == "msgstr" and msgid is not None:
            line, english = msgid
            if english in entries:
                raise CatalogError(f"line {line}: {english!r} is in the catalog twice")
            if english:
                entries[english] = Entry(english, value, line, fuzzy)
            msgid, fuzzy = None, False
        else:
            raise CatalogError(f"line {number}: {keyword} where a message needs the other")
    if msgid is not None:
        raise CatalogError(f"line {msgid[0]}: a msgid without its msgstr")
    return list(entries.values())


class CatalogTranslations(gettext.NullTranslations):
    """gettext over the translated messages of a catalog; any other message stays English."""

    def __init__(self, messages: Mapping[str, str]) -> None:
        super().__init__()
        self.messages = dict(messages)

    def gettext(self, message: str) -> str:
        """``message``'s translation, or ``message`` itself when the catalog has none."""
        return self.messages.get(message, message)


def catalog_path(language: str) -> Path:
    """Where the catalog of ``language`` ("zh") is kept."""
    return CATALOGS / f"{language}.po"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The page's translations into ``language`` ("en", "zh"): its catalog, read once per
    process; English, the language the texts are written in, has none."""
    path = catalog_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    entries = read_po(path.read_text(encoding="utf-8"))
    return CatalogTranslations({e.msgid: e.msgstr for e in entries if e.translated})


def gettext_noop(message: str) -> str:
    """``message`` unchanged: marks an English text kept in a table for the catalog; it is
    translated where it is shown."""
    return message
