"""The staff page's translations, the standard gettext way: the English is written where it
is shown (in the templates, or in a ``gettext`` call in the code), and each other language
is a gettext catalog beside the templates, ``staff/templates/<language>.po`` (msgid: the
English, msgstr: the translation).

The catalog is read with Babel as it is written: no compile step to a ``.mo`` file to forget.
A translation that is empty or marked fuzzy is not used, as ``msgfmt`` would not use it: the
English shows.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parent / "templates"


def read_catalog(path: Path) -> Catalog:
    """The catalog at ``path`` (a PO file), as Babel reads it."""
    with path.open("rb") as source:
        return read_po(source)


def translated(catalog: Catalog) -> dict[str, str]:
    """English -> translation, for the messages gettext would use (not empty, not fuzzy)."""
    return {str(message.id): str(message.string) for message in catalog
            if message.id and isinstance(message.id, str) and message.string
            and not message.fuzzy}


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
    return CatalogTranslations(translated(read_catalog(path)))


def gettext_noop(message: str) -> str:
    """``message`` unchanged: marks an English text kept in a table for the catalog; it is
    translated where it is shown."""
    return message
