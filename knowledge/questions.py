"""Plain questions that office staff add themselves, one file each in ``data/questions/``.

A plain question has a fixed answer with a source and no calculation (where to collect a
permit, which office handles what). Its file holds everything about it, so that a maintainer
never edits code, the domain or a rule::

    question: permit_collection            # its name: lower case, digits and _
    title:
      en: Collecting the residence permit
      zh: 领取居留许可
    examples:                              # at least 10 in each language
      en:
        - where do I pick up my residence permit
      zh:
        - 居留许可在哪里领
    answers:                               # one per university whose documents answer it
      - university: CPU                    # CPU, JSNU, WESTLAKE or QJNU
        article: "9"                       # an article of that university's document
        en: The School of International Education collects it ...
        zh: 国际教育学院统一领取 ...

This module turns a file's parsed content into a ``Topic`` (answered like every registry
topic, ``knowledge.faq.topic_answer``) or a ``QuestionError`` that names every problem in plain
words. Reading the files is ``config/questions.py``'s work: the domain core touches no file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from knowledge.core import Citation, Text
from knowledge.institutions import INSTITUTION_CODES, provisions
from knowledge.topics import ANYONE, FaqEntry, Topic

LANGUAGES: Final = ("en", "zh")
_LANGUAGE_NAMES: Final = {"en": "English", "zh": "Chinese"}
_NAME: Final = re.compile(r"[a-z][a-z0-9_]*")
_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class PlainQuestion:
    """One maintainer's question: its file's name, examples per language, and its topic."""

    file: str
    topic: Topic
    examples: Mapping[str, tuple[str, ...]]

    @property
    def id(self) -> str:
        """The question's name, which is also its intent."""
        return self.topic.id


class QuestionError(ValueError):
    """A question file that cannot be used, with everything wrong in it, in plain words."""

    def __init__(self, file: str, problems: Sequence[str]) -> None:
        super().__init__(f"{file}: " + "; ".join(problems))
        self.file = file
        self.problems = tuple(problems)


def _bilingual(value: Any, what: str, problems: list[str]) -> Text | None:
    """``{en: ..., zh: ...}`` as a Text, or None with a problem per missing language."""
    if not isinstance(value, Mapping):
        problems.append(f"{what} needs an `en:` and a `zh:` line")
        return None
    texts = {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}
    for lang, text in texts.items():
        if not text:
            problems.append(f"{what} has no {_LANGUAGE_NAMES[lang]} text (`{lang}:`)")
    if texts["zh"] and not _HAN.search(texts["zh"]):
        problems.append(f"{what}: the `zh:` text has no Chinese characters")
    return Text(texts["en"], texts["zh"]) if all(texts.values()) else None


def _examples(value: Any, problems: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {lang: () for lang in LANGUAGES}
    if not isinstance(value, Mapping):
        problems.append("`examples:` needs an `en:` list and a `zh:` list of sentences")
        return found
    for lang in LANGUAGES:
        listed = value.get(lang) or []
        if not isinstance(listed, list):
            problems.append(f"`examples: {lang}:` must be a list, one `- sentence` a line")
            continue
        found[lang] = tuple(str(item).strip() for item in listed if str(item).strip())
        if lang == "zh":
            for example in found[lang]:
                if not _HAN.search(example):
                    problems.append(f"Chinese example “{example}” has no Chinese characters")
    return found


def _source(code: str, article: str) -> Citation | None:
    """The citation of this article of the university's document, None if there is none."""
    for provision in provisions(code):
        if provision.article == article:
            return provision.citation()
    return None


def _answer(number: int, value: Any, problems: list[str]) -> FaqEntry | None:
    what = f"answer {number}"
    if not isinstance(value, Mapping):
        problems.append(f"{what} needs `university:`, `article:`, `en:` and `zh:`")
        return None
    code = str(value.get("university") or "").strip().upper()
    article = str(value.get("article") or "").strip()
    text = _bilingual(value, what, problems)
    if code not in INSTITUTION_CODES:
        problems.append(f"{what} names the university “{code}”; write one of "
                        + ", ".join(INSTITUTION_CODES))
        return None
    if not article:
        problems.append(f"{what} has no source: write the `article:` of {code}'s document "
                        "it comes from")
        return None
    citation = _source(code, article)
    if citation is None:
        known = ", ".join(f"“{p.article}”" for p in provisions(code))
        problems.append(f"{what}: {code}'s document has no article “{article}”; its articles "
                        f"are {known}")
        return None
    return FaqEntry(code, text, (citation,)) if text else None


def parse(file: str, content: Any) -> PlainQuestion:
    """The question a file's parsed YAML content describes (``file``: its name, for the
    messages); QuestionError naming every problem."""
    problems: list[str] = []
    if not isinstance(content, Mapping):
        raise QuestionError(file, ["the file must start with `question:`, `title:`, "
                                   "`examples:` and `answers:`"])
    name = str(content.get("question") or "").strip()
    if not _NAME.fullmatch(name):
        problems.append(f"`question:` “{name}” must be a name of lower-case letters, digits "
                        "and _, starting with a letter (e.g. permit_collection)")
    title = _bilingual(content.get("title"), "`title:`", problems)
    examples = _examples(content.get("examples"), problems)
    listed = content.get("answers")
    if not isinstance(listed, list) or not listed:
        problems.append("`answers:` needs at least one answer with its university and article")
        listed = []
    entries = [_answer(number, value, problems) for number, value in enumerate(listed, 1)]
    universities = [entry.institution for entry in entries if entry]
    for code in sorted({c for c in universities if universities.count(c) > 1}):
        problems.append(f"two answers are for {code}: keep one answer per university")
    if problems or title is None:
        raise QuestionError(file, problems)
    topic = Topic(name, title, ANYONE, tuple(entry for entry in entries if entry))
    return PlainQuestion(file, topic, examples)
