"""Every article or question of every source has an entry, and the coverage table is current."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from knowledge import INSTITUTION_CODES, institution
from knowledge.core import NATIONAL_DOCUMENTS, chinese_number
from knowledge.coverage import citation_key, coverage_markdown, uncovered_provisions
from knowledge.faq import TOPICS
from knowledge.institutions import all_provisions, jsnu, provisions, westlake
from knowledge.national import NATIONAL_RULES

from .test_knowledge_translations import DECISIONS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


def seed(code: str) -> str:
    """The text of an institution's source document; without it the test is skipped, or
    fails when REQUIRE_SEEDS=1 (CI, whose clone always has ../shared/seeds beside it)."""
    path = SEEDS / institution(code).source
    if not path.exists():
        reason = f"source document {path.name} not found under {SEEDS}"
        if os.environ.get("REQUIRE_SEEDS") == "1":
            pytest.fail(reason + "; REQUIRE_SEEDS=1 forbids skipping")
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")


def top_level_articles(code: str) -> list[str]:
    return [p.article for p in provisions(code) if re.fullmatch(r"\d+(bis)?", p.article)]


def numbered_with_repeats_marked(numbers: list[int]) -> list[str]:
    """The article numbers of a source, a repeated number marked "bis" (CPU prints 10 twice)."""
    seen: set[int] = set()
    marked = []
    for number in numbers:
        marked.append(f"{number}bis" if number in seen else str(number))
        seen.add(number)
    return marked


@pytest.mark.parametrize("code", ["CPU", "JSNU"])
def test_every_english_article_of_a_regulation_has_a_provision(code: str) -> None:
    numbers = [int(n) for n in re.findall(r"^\s*Article\s*(\d+)", seed(code), re.MULTILINE)]
    assert numbers
    assert numbered_with_repeats_marked(numbers) == top_level_articles(code)


@pytest.mark.parametrize("code", ["CPU", "JSNU"])
def test_every_chinese_article_of_a_regulation_has_a_provision(code: str) -> None:
    numerals = re.findall(r"^\s*第(\S+?)条", seed(code), re.MULTILINE)
    by_numeral = {chinese_number(n): n for n in range(1, 100)}
    numbers = [by_numeral[numeral] for numeral in numerals]
    assert numbered_with_repeats_marked(numbers) == top_level_articles(code)


def test_every_row_of_cpu_article_6_has_a_provision() -> None:
    text = seed("CPU")
    article_6 = text[text.index("第六条"):text.index("第七条")]
    rows = re.findall(r"^[（(]([一二三])[)）]", article_6, re.MULTILINE)
    assert rows == ["一", "二", "三", "一", "二", "三"]
    expected = ["6(1)(1)", "6(1)(2)", "6(1)(3)", "6(2)(1)", "6(2)(2)", "6(2)(3)", "6(3)"]
    assert [p.article for p in provisions("CPU") if p.article.startswith("6(")] == expected


def test_every_document_of_jsnu_article_11_is_listed() -> None:
    items = re.findall(r"^(\d)\.\s", seed("JSNU"), re.MULTILINE)
    assert items == [str(n) for n in range(1, len(jsnu.RESIDENCE_PERMIT_DOCUMENTS) + 1)]


def test_every_westlake_portal_question_has_a_provision() -> None:
    questions = [line.strip() for line in seed("WESTLAKE").splitlines()
                 if line.strip().startswith("How ") and line.strip().endswith("?")]
    assert len(questions) == 7
    articles = [p.article for p in provisions("WESTLAKE")]
    assert articles == [westlake.PORTAL_INTRO, *(f"Q: {q}" for q in questions)]


def test_every_qujing_responsibility_has_a_provision() -> None:
    listed = re.findall(r"^\s*(\d+)\.\s+([^:]+):", seed("QJNU"), re.MULTILINE)
    assert [int(n) for n, _ in listed] == list(range(1, 11))
    by_article = {p.article: p for p in provisions("QJNU")}
    for number, title in listed:
        assert by_article[number].title.en.split()[0] == title.split()[0]


def test_every_provision_is_answered_by_at_least_one_topic() -> None:
    missing = [f"{p.institution} {p.article}" for p in uncovered_provisions()]
    assert missing == []


def known_articles() -> set[tuple[str, str, str]]:
    institutions = {(p.institution, "", p.article) for p in all_provisions()}
    national = {citation_key(rule.citation) for rule in NATIONAL_RULES}
    return institutions | national


def test_every_topic_cites_only_articles_that_exist() -> None:
    known = known_articles()
    for topic in TOPICS:
        for citation in topic.articles:
            assert citation_key(citation) in known, (topic.id, citation)


def test_every_decision_cites_only_articles_that_exist_and_belongs_to_a_topic() -> None:
    known = known_articles()
    topic_ids = {topic.id for topic in TOPICS}
    for decision in DECISIONS:
        assert decision.topic in topic_ids
        for citation in decision.citations:
            assert citation_key(citation) in known, citation
            if citation.institution == "CN":
                assert citation.document in NATIONAL_DOCUMENTS


def test_the_committed_coverage_table_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert committed == coverage_markdown() + "\n", "run scripts/coverage_table.py"


def test_the_coverage_table_has_a_row_for_every_provision() -> None:
    table = coverage_markdown()
    for code in INSTITUTION_CODES:
        assert f"`{code}`" in table
    for item in all_provisions():
        assert item.title.en in table
    assert "**none**" not in table
