"""Building blocks shared by the topic modules: citing, and saying "not covered here"."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from knowledge.core import Citation, Decision, Text
from knowledge.institutions import all_provisions, institution

# Provisions whose number alone is ambiguous or that are portal questions, by article: their
# citations carry the provision's labels.
_LABELLED: Final[Mapping[tuple[str, str], Citation]] = MappingProxyType({
    (p.institution, p.article): p.citation()
    for p in all_provisions() if p.label is not None or p.short_label is not None
})


def article(code: str, number: str) -> Citation:
    """The citation of one article (or portal question, responsibility) of one institution."""
    return _LABELLED.get((code, number)) or Citation(code, number)


def cite(code: str, *articles: str) -> tuple[Citation, ...]:
    """Citations of articles (or portal questions, responsibilities) of one institution."""
    return tuple(article(code, number) for number in articles)


def national(document: str, *articles: str) -> tuple[Citation, ...]:
    """Citations of articles of a national law (see ``core.NATIONAL_DOCUMENTS``)."""
    return tuple(Citation("CN", article, document=document) for article in articles)


def _names(citations: tuple[Citation, ...], lang: str) -> str:
    rendered = [citation.render(lang) for citation in citations]
    return ("、" if lang == "zh" else "; ").join(rendered)


def not_addressed(topic: str, code: str, subject: Text,
                  covered_by: tuple[Citation, ...]) -> Decision:
    """``code``'s source does not address ``subject``; name the sources that do, if any.

    The answer offers no rule of its own: the assistant follows it with an offer to open a
    request with the institution's office.
    """
    profile = institution(code)
    en = (
        f"{profile.name.en}'s documents in this assistant do not cover {subject.en}, so I "
        f"cannot give you a rule for it."
    )
    zh = f"本助手收录的{profile.name.zh}文件没有涉及{subject.zh}，因此无法给出相应规定。"
    if covered_by:
        en += f" It is covered for other universities by: {_names(covered_by, 'en')}."
        zh += f"其他学校的相关规定见：{_names(covered_by, 'zh')}。"
    en += f" Please ask the {profile.office.en}; I can open a request for you."
    zh += f"请咨询{profile.office.zh}，我可以为您提交咨询申请。"
    return Decision(topic=topic, covered=False, answer=Text(en, zh), citations=())
