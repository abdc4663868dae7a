"""Which topic covers which article: the data behind docs/coverage.md (pure; no file access).

``scripts/coverage_table.py`` writes the Markdown this module renders; a test fails when an
article of a source has no topic, or when the committed table is out of date.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.core import NATIONAL_DOCUMENTS, Citation
from knowledge.faq import TOPICS
from knowledge.institutions import INSTITUTION_CODES, Provision, institution, provisions
from knowledge.national import CIVIL_CODE, NATIONAL_RULES

CitationKey = tuple[str, str, str]  # (institution, national document or "", article)


def citation_key(citation: Citation) -> CitationKey:
    """What identifies an article regardless of how its label is rendered."""
    return (citation.institution, citation.document, citation.article)


def topics_by_article() -> dict[CitationKey, tuple[str, ...]]:
    """Every cited article with the ids of the topics whose answers cite it."""
    found: dict[CitationKey, list[str]] = {}
    for topic in TOPICS:
        for citation in topic.articles:
            ids = found.setdefault(citation_key(citation), [])
            if topic.id not in ids:
                ids.append(topic.id)
    return {key: tuple(ids) for key, ids in found.items()}


@dataclass(frozen=True)
class CoverageRow:
    """One article of one source and the topics that answer from it."""

    provision: Provision
    topics: tuple[str, ...]


def coverage_rows(code: str) -> tuple[CoverageRow, ...]:
    """The coverage of one institution's source, article by article."""
    index = topics_by_article()
    return tuple(
        CoverageRow(item, index.get((item.institution, "", item.article), ()))
        for item in provisions(code)
    )


def uncovered_provisions() -> tuple[Provision, ...]:
    """Articles no topic cites (the coverage test requires this to be empty)."""
    return tuple(row.provision for code in INSTITUTION_CODES for row in coverage_rows(code)
                 if not row.topics)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _article_name(item: Provision) -> str:
    if item.label is not None:
        return item.label.en
    return item.citation().render("en").split(", ", 1)[1]


def _institution_section(code: str) -> list[str]:
    profile = institution(code)
    lines = [
        f"## {profile.name.en} ({profile.name.zh}, `{code}`)",
        "",
        f"Source `shared/seeds/{profile.source}`, {profile.source_language.en}; "
        f"office: {profile.office.en}.",
        "",
        "| Article | Provision | Version followed | Topics | Note |",
        "|---|---|---|---|---|",
    ]
    for row in coverage_rows(code):
        item = row.provision
        topics = ", ".join(f"`{t}`" for t in row.topics) or "**none**"
        lines.append(
            f"| {_cell(_article_name(item))} | {_cell(item.title.en)} / {_cell(item.title.zh)} "
            f"| {item.follows} | {topics} | {_cell(item.note)} |"
        )
    return [*lines, ""]


def _national_section() -> list[str]:
    index = topics_by_article()
    lines = [
        "## National law (`CN`), shared by every institution",
        "",
        "| Law, article | Rule | Topics |",
        "|---|---|---|",
    ]
    for rule in NATIONAL_RULES:
        citation = rule.citation
        document = NATIONAL_DOCUMENTS[citation.document].en
        topics = ", ".join(f"`{t}`" for t in index.get(citation_key(citation), ()))
        if not topics:
            topics = "every deadline calculation" if citation.document == CIVIL_CODE else "**none**"
        lines.append(f"| {document}, Art. {citation.article} | {_cell(rule.text.en)} | {topics} |")
    return [*lines, ""]


def _topic_section() -> list[str]:
    lines = [
        "## Topics",
        "",
        "| Topic id | Title | Audience | Institutions | Applied to the user's facts by |",
        "|---|---|---|---|---|",
    ]
    for topic in TOPICS:
        answered = ", ".join(topic.institutions())
        if topic.entry("CN") is not None:
            answered += " (+ national law for the others)"
        computed = f"`{topic.computed_by}()`" if topic.computed_by else "(fixed answer)"
        lines.append(
            f"| `{topic.id}` | {_cell(topic.title.en)} / {_cell(topic.title.zh)} "
            f"| {topic.audience} | {answered} | {computed} |"
        )
    return [*lines, ""]


def coverage_markdown() -> str:
    """The whole coverage table as Markdown."""
    lines = [
        "# Coverage of the sources",
        "",
        "Generated from `knowledge/` by `scripts/coverage_table.py`; do not edit by hand.",
        "Every article, portal question and listed responsibility of every source, with the",
        "topics whose answers cite it. \"Version followed\" says which language version a",
        "rule follows where the Chinese and English texts differ (`both`: they agree or only",
        "one exists; `zh and en`: parts follow each, as the note says). Where the versions",
        "differ the Chinese, the universities' own text, is followed, unless it is garbled or",
        "missing (CPU Art. 6's lost months, JSNU Art. 11's empty list); the note says why.",
        "",
    ]
    for code in INSTITUTION_CODES:
        lines.extend(_institution_section(code))
    lines.extend(_national_section())
    lines.extend(_topic_section())
    return "\n".join(lines)
