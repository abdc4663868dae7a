"""The staff page's texts: the English where it is shown, the Chinese in one catalog.

Every English text of the page, in a template (``_("…")``, ``{% trans %}``) or in the code
(``ctx.gettext("…")``, ``gettext_noop("…")``), has its Chinese in
``staff/templates/zh.po``, and the catalog holds nothing else: a new English sentence
without its translation fails here, as does a translation left behind. Babel reads the
catalog (``staff.translations.read_catalog``).
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from staff.render import environment
from staff.translations import (
    CATALOGS,
    CatalogTranslations,
    catalog_path,
    read_catalog,
    translated,
    translations,
)

STAFF = Path(__file__).resolve().parents[2] / "staff"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MARKUP = re.compile(r'[<>&"]')
CODE_CALLS = {"gettext", "gettext_noop", "_"}
"""Functions and methods whose first argument, written out, is an English text."""


def template_texts() -> dict[str, str]:
    """Each English text of the templates, with the first template and line showing it.

    Read with Jinja's own extractor, which sees ``_("…")``, ``gettext("…")`` and
    ``{% trans %}`` blocks (placeholders written ``%(name)s``); it gives a call with values
    as a tuple, the text first and ``None`` for each value.
    """
    env = environment("en")
    texts: dict[str, str] = {}
    for template in sorted(CATALOGS.glob("*.html")):
        source = template.read_text(encoding="utf-8")
        extracted = env.extract_translations(source)  # type: ignore[attr-defined]
        for line, function, message in extracted:
            where = f"{template.name}:{line}"
            text, *values = message if isinstance(message, tuple) else (message,)
            assert isinstance(text, str), f"{where}: a text that is not written out"
            assert function in ("_", "gettext") and not any(values), f"{where}: {function}"
            texts.setdefault(text, where)
    return texts


def code_texts() -> dict[str, str]:
    """Each English text written out in a ``gettext``-like call of ``staff/*.py``."""
    texts: dict[str, str] = {}
    for module in sorted(STAFF.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else \
                getattr(node.func, "id", None)
            first = node.args[0]
            if called in CODE_CALLS and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                texts.setdefault(first.value, f"{module.name}:{node.lineno}")
    return texts


def page_texts() -> dict[str, str]:
    """Every English text of the page, with where it is first written."""
    return {**code_texts(), **template_texts()}


def chinese_catalog() -> list[Message]:
    """The messages of the Chinese catalog (not its header)."""
    return [message for message in read_catalog(catalog_path("zh")) if message.id]


def test_the_page_has_english_texts_in_its_templates_and_in_its_code() -> None:
    templates, code = template_texts(), code_texts()
    assert "Staff sign-in" in templates and "Signed in as %(name)s" in templates
    assert "Wrong staff token." in code and "web chat" in code


def test_every_english_text_of_the_staff_page_has_its_chinese_in_the_catalog() -> None:
    chinese = translated(read_catalog(catalog_path("zh")))
    missing = {text: where for text, where in page_texts().items() if text not in chinese}
    assert missing == {}


def test_the_catalog_holds_no_text_the_staff_page_no_longer_shows() -> None:
    shown = page_texts()
    unused = [f"zh.po:{entry.lineno}: {entry.id}" for entry in chinese_catalog()
              if entry.id not in shown]
    assert unused == []


def test_a_chinese_text_takes_the_same_values_as_its_english() -> None:
    differing = {}
    for entry in chinese_catalog():
        english, chinese = str(entry.id), str(entry.string)
        for text in (english, chinese):
            assert "%" not in PLACEHOLDER.sub("", text).replace("%%", ""), entry
        if set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(chinese)):
            differing[english] = chinese
    assert differing == {}


def test_no_text_holds_markup_since_templates_insert_translations_as_they_are() -> None:
    """Jinja marks a translated text safe (only the values put in it are escaped)."""
    marked = [entry.id for entry in chinese_catalog()
              if MARKUP.search(str(entry.id)) or MARKUP.search(str(entry.string))]
    assert marked == []


def test_english_is_the_texts_as_written_and_chinese_comes_from_the_catalog() -> None:
    assert translations("en").gettext("Wrong staff token.") == "Wrong staff token."
    assert translations("zh").gettext("Wrong staff token.") == "工作人员令牌错误。"
    assert translations("zh").gettext("Not in the catalog") == "Not in the catalog"


# --- what of a catalog is used ----------------------------------------------------------------


def test_an_empty_or_fuzzy_translation_is_not_used_so_the_english_shows() -> None:
    catalog = read_po(io.BytesIO(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Tick"\nmsgstr "勾选"\n\nmsgid "Untick"\nmsgstr ""\n\n'
        'msgid "Note"\nmsgstr "备注"\n'.encode()))
    assert translated(catalog) == {"Note": "备注"}


def test_a_message_the_catalog_does_not_translate_stays_english() -> None:
    chinese = CatalogTranslations({"Tick": "勾选"})
    assert (chinese.gettext("Tick"), chinese.gettext("Untick")) == ("勾选", "Untick")
