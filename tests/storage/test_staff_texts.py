"""Reading the staff page's gettext catalogs (``staff.translations.read_po``): what of the
PO format is read, and the line named when a catalog says something it does not read."""

from __future__ import annotations

import re

import pytest

from staff.translations import CatalogError, CatalogTranslations, Entry, read_po

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize(("catalog", "entries"), [
    pytest.param(HEADER, [], id="the header is not a message"),
    pytest.param('# a comment\n#: case.html:3\nmsgid "Note"\nmsgstr "备注"\n',
                 [Entry("Note", "备注", 3)], id="comments are skipped"),
    pytest.param('msgid ""\n"Sign-in "\n"is paused"\nmsgstr ""\n"登录"\n"已暂停"\n',
                 [Entry("Sign-in is paused", "登录已暂停", 1)], id="continued over lines"),
    pytest.param('msgid "say \\"hi\\" \\\\ \\n\\t"\nmsgstr "x"\n',
                 [Entry('say "hi" \\ \n\t', "x", 1)], id="C escapes"),
    pytest.param('#, fuzzy, python-format\nmsgid "Tick"\nmsgstr "勾选"\nmsgid "Untick"\n'
                 'msgstr ""\n',
                 [Entry("Tick", "勾选", 2, fuzzy=True), Entry("Untick", "", 4)],
                 id="fuzzy and empty translations are read but not used"),
])
def test_a_po_catalog_is_read_message_by_message(catalog: str, entries: list[Entry]) -> None:
    assert read_po(catalog) == entries
    assert [entry.translated for entry in entries] == [
        bool(entry.msgstr) and not entry.fuzzy for entry in entries]


@pytest.mark.parametrize(("catalog", "reason"), [
    ('msgid "Tick"\nmsgid_plural "Ticks"\nmsgstr[0] "勾选"\n', "line 2: 'msgid_plural'"),
    ('msgctxt "button"\nmsgid "Tick"\nmsgstr "勾选"\n', "line 1: 'msgctxt'"),
    ('msgstr "勾选"\n', "line 1: msgstr where"),
    ('msgid "Tick"\nmsgid "Untick"\nmsgstr "x"\n', "line 2: msgid where"),
    ('msgid "Tick"\n', "line 1: a msgid without its msgstr"),
    ('msgid "Tick"\nmsgstr "勾选"\nmsgid "Tick"\nmsgstr "打勾"\n', "line 3: 'Tick' is in"),
    ('msgid "Tick\\x41"\nmsgstr "勾选"\n', "line 1: unknown escape"),
    ('msgid "Tick\nmsgstr "勾选"\n', "line 1: expected a quoted string"),
    ('"Tick"\nmsgid "Tick"\nmsgstr "勾选"\n', "line 1: '\"Tick\"' is not read here"),
])
def test_a_catalog_the_reader_does_not_understand_is_refused_with_its_line(
    catalog: str, reason: str,
) -> None:
    with pytest.raises(CatalogError, match=re.escape(reason)):
        read_po(catalog)


def test_a_message_the_catalog_does_not_translate_stays_english() -> None:
    chinese = CatalogTranslations({"Tick": "勾选"})
    assert (chinese.gettext("Tick"), chinese.gettext("Untick")) == ("勾选", "Untick")
