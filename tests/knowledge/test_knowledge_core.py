"""Bilingual texts, citations, rendering and Chinese legal day counting."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import Citation, Decision, Text, all_provisions
from knowledge.answers import article
from knowledge.core import (
    Period,
    add_days,
    add_months,
    chinese_number,
    month_day_text,
    months_before,
    months_text,
)

DAY_COUNTING = {
    "30 days after 1 September end on 1 October (the event day is not counted)":
        (add_days, date(2025, 9, 1), 30, date(2025, 10, 1)),
    "10 days after arrival on 25 December end on 4 January":
        (add_days, date(2025, 12, 25), 10, date(2026, 1, 4)),
    "one month from 15 March ends on 15 April": (add_months, date(2025, 3, 15), 1,
                                                 date(2025, 4, 15)),
    "one month from 31 January ends on the last day of February":
        (add_months, date(2025, 1, 31), 1, date(2025, 2, 28)),
    "one month from 31 January in a leap year ends on 29 February":
        (add_months, date(2024, 1, 31), 1, date(2024, 2, 29)),
    "twelve months from 29 February end on 28 February":
        (add_months, date(2024, 2, 29), 12, date(2025, 2, 28)),
    "one month from 15 December crosses into January":
        (add_months, date(2025, 12, 15), 1, date(2026, 1, 15)),
    "one month before 10 September is 10 August":
        (months_before, date(2025, 9, 10), 1, date(2025, 8, 10)),
    "one month before 31 March is the last day of February":
        (months_before, date(2025, 3, 31), 1, date(2025, 2, 28)),
    "one month before 31 March in a leap year is 29 February":
        (months_before, date(2024, 3, 31), 1, date(2024, 2, 29)),
    "one month before 10 January is 10 December of the year before":
        (months_before, date(2026, 1, 10), 1, date(2025, 12, 10)),
    "three months before 31 May is 28 February":
        (months_before, date(2025, 5, 31), 3, date(2025, 2, 28)),
    "one month before 28 February is 31 January (one month from 31 January ends on 28 February)":
        (months_before, date(2025, 2, 28), 1, date(2025, 1, 31)),
    "one month before 28 February in a leap year is 28 January (29 February exists)":
        (months_before, date(2024, 2, 28), 1, date(2024, 1, 28)),
    "one month before 30 April is 31 March": (months_before, date(2025, 4, 30), 1,
                                              date(2025, 3, 31)),
}


@pytest.mark.parametrize(("function", "start", "amount", "expected"), DAY_COUNTING.values(),
                         ids=DAY_COUNTING.keys())
def test_day_counting(function: object, start: date, amount: int, expected: date) -> None:
    assert function(start, amount) == expected  # type: ignore[operator]


def test_months_cannot_be_counted_backwards_with_add_months() -> None:
    with pytest.raises(ValueError):
        add_months(date(2025, 1, 1), -1)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(day=dates, months=st.integers(min_value=0, max_value=36))
def test_a_month_deadline_never_falls_after_the_date_it_protects(day: date, months: int) -> None:
    before = months_before(day, months)
    assert before <= day
    assert add_months(before, months) <= day


CIVIL_CODE_202_BACKWARDS = {
    "28 February 2025 (a month's last day)": (date(2025, 2, 28), date(2025, 1, 31)),
    "28 February 2024 (not the last day of a leap February)": (date(2024, 2, 28),
                                                               date(2024, 1, 28)),
    "30 April (a month's last day)": (date(2025, 4, 30), date(2025, 3, 31)),
    "30 March (February has no 30th)": (date(2025, 3, 30), date(2025, 2, 28)),
    "15 June (an ordinary day)": (date(2025, 6, 15), date(2025, 5, 15)),
}


@pytest.mark.parametrize(("protected", "latest"), CIVIL_CODE_202_BACKWARDS.values(),
                         ids=CIVIL_CODE_202_BACKWARDS.keys())
def test_civil_code_article_202_one_month_before_is_the_latest_day_that_counts_forward_to_it(
    protected: date, latest: date
) -> None:
    assert months_before(protected, 1) == latest
    # Both directions: a month from that day ends by the date, a month from the next does not.
    assert add_months(latest, 1) <= protected < add_months(latest + timedelta(days=1), 1)


@given(day=dates, months=st.integers(min_value=1, max_value=36))
def test_civil_code_article_202_months_before_and_add_months_agree_in_both_directions(
    day: date, months: int
) -> None:
    before = months_before(day, months)
    assert add_months(before, months) <= day < add_months(before + timedelta(days=1), months)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 31))
    assert date(2026, 1, 31) in Period(date(2026, 1, 31), date(2026, 1, 31))


@given(day=dates, months=st.integers(min_value=0, max_value=36))
def test_a_period_in_months_ends_on_the_same_day_or_the_months_last_day(
    day: date, months: int
) -> None:
    end = add_months(day, months)
    assert end >= day
    last_day_of_month = (end + timedelta(days=1)).month != end.month
    assert end.day == day.day or (end.day < day.day and last_day_of_month)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == months


NUMERALS = {"one": (1, "一"), "ten": (10, "十"), "eleven": (11, "十一"), "thirteen": (13, "十三"),
            "twenty": (20, "二十"), "ninety-nine": (99, "九十九"), "one hundred": (100, "一百"),
            "one hundred and thirteen": (113, "一百一十三"),
            "two hundred and one": (201, "二百零一"),
            "one thousand two hundred and fifty-nine": (1259, "一千二百五十九"),
            "one thousand and nine": (1009, "一千零九")}


@pytest.mark.parametrize(("number", "written"), NUMERALS.values(), ids=NUMERALS.keys())
def test_article_numbers_are_written_the_chinese_way(number: int, written: str) -> None:
    assert chinese_number(number) == written


LANGUAGES = {"English gives English": ("en", "hello"), "Chinese gives Chinese": ("zh", "你好"),
             "a regional Chinese tag gives Chinese": ("zh-CN", "你好"),
             "an unknown language falls back to English": ("fr", "hello")}


@pytest.mark.parametrize(("lang", "expected"), LANGUAGES.values(), ids=LANGUAGES.keys())
def test_text_in_a_language(lang: str, expected: str) -> None:
    assert Text("hello", "你好").get(lang) == expected


CITATIONS = {
    "a CPU article in English": (Citation("CPU", "6"), "en",
                                 "China Pharmaceutical University, Article 6"),
    "a CPU article in Chinese": (Citation("CPU", "6"), "zh", "中国药科大学 第六条"),
    "a CPU sub-clause in Chinese": (Citation("CPU", "6(2)(1)"), "zh",
                                    "中国药科大学 第六条（二）（一）"),
    "a JSNU article": (Citation("JSNU", "13"), "en", "Jiangsu Normal University, Article 13"),
    "national law in Chinese": (Citation("CN", "78", document="exit_entry_law"), "zh",
                                "《中华人民共和国出境入境管理法》第七十八条"),
    "national law in English": (Citation("CN", "201", document="civil_code"), "en",
                                "Civil Code of the People's Republic of China, Article 201"),
    "a Qujing responsibility": (Citation("QJNU", "6"), "en",
                                "Qujing Normal University, responsibility 6"),
    "a Westlake question without a label": (
        Citation("WESTLAKE", "Q: How do I?"), "en",
        "Westlake University, Faculty/Staff Portal, “How do I?”"),
    "a label overrides the article": (
        Citation("CPU", "10bis", label=Text("second 10", "第二个第十条")), "zh",
        "中国药科大学 第二个第十条"),
}


@pytest.mark.parametrize(("citation", "lang", "expected"), CITATIONS.values(),
                         ids=CITATIONS.keys())
def test_citation_rendering(citation: Citation, lang: str, expected: str) -> None:
    assert citation.render(lang) == expected


SHORT_CITATIONS = {
    "a CPU article": (Citation("CPU", "13"), "CPU Art. 13", "中国药科大学 第十三条"),
    "a CPU sub-clause": (Citation("CPU", "6(3)"), "CPU Art. 6(3)", "中国药科大学 第六条（三）"),
    "CPU's second Article 10, as knowledge cites it": (
        article("CPU", "10bis"), "CPU Art. 10 (dependents)", "中国药科大学 第十条（家属陪读）"),
    "a JSNU article": (Citation("JSNU", "9"), "JSNU Art. 9", "江苏师范大学 第九条"),
    "a Qujing responsibility": (Citation("QJNU", "7"), "QJNU responsibility 7",
                                "曲靖师范学院 职责第七项"),
    "Qujing's overview, as knowledge cites it": (article("QJNU", "0"), "QJNU overview",
                                                 "曲靖师范学院 概述"),
    "a Westlake portal question": (
        Citation("WESTLAKE", "Q: How do I get approval for my international business trip?"),
        "WESTLAKE staff portal", "西湖大学 教职工门户"),
    "national law has no short title and is cited in full": (
        Citation("CN", "30", document="exit_entry_law"),
        "Exit and Entry Administration Law of the People's Republic of China, Article 30",
        "《中华人民共和国出境入境管理法》第三十条"),
}


@pytest.mark.parametrize(("citation", "english", "chinese"), SHORT_CITATIONS.values(),
                         ids=SHORT_CITATIONS.keys())
def test_a_short_citation_names_the_article_in_english_and_in_chinese(
    citation: Citation, english: str, chinese: str,
) -> None:
    assert citation.short("en") == english
    assert citation.short("zh") == chinese
    assert citation.short("zh-CN") == chinese


def test_every_provision_has_a_short_citation_in_both_languages_without_english_in_chinese(
) -> None:
    for provision in all_provisions():
        citation = article(provision.institution, provision.article)
        english, chinese = citation.short("en"), citation.short("zh")
        assert english.startswith(provision.institution + " "), english
        assert len(english) <= 40 and len(chinese) <= 24, (english, chinese)
        assert not re.search(r"[A-Za-z]", chinese), chinese


NUMBERS_AS_WRITTEN = {
    "one month": (months_text(1), Text("one month", "一个月")),
    "two months": (months_text(2), Text("2 months", "两个月")),
    "three months": (months_text(3), Text("3 months", "三个月")),
    "September 10": (month_day_text((9, 10)), Text("September 10", "9月10日")),
    "January 5": (month_day_text((1, 5)), Text("January 5", "1月5日")),
}


@pytest.mark.parametrize(("written", "expected"), NUMBERS_AS_WRITTEN.values(),
                         ids=NUMBERS_AS_WRITTEN.keys())
def test_numbers_are_written_the_way_the_regulations_write_them(written: Text,
                                                                 expected: Text) -> None:
    assert written == expected


def test_a_decision_renders_answer_numbered_steps_and_sources() -> None:
    decision = Decision("t", True, Text("Answer.", "回答。"),
                        (Citation("CPU", "13"), Citation("CPU", "4")),
                        (Text("First.", "第一步。"), Text("Second.", "第二步。")))
    assert decision.render("en") == (
        "At China Pharmaceutical University, answer.\n1. First.\n2. Second.\nSource: China "
        "Pharmaceutical University, Article 13; China Pharmaceutical University, Article 4"
    )
    assert decision.render("zh") == (
        "根据中国药科大学的规定，回答。\n1. 第一步。\n2. 第二步。\n依据：中国药科大学 第十三条；"
        "中国药科大学 第四条"
    )


LAW_30 = Citation("CN", "30", document="exit_entry_law")
NAMED = {
    "a CPU rule is given under CPU's name": (
        Decision("t", True, Text("You get a permit.", "您可获得居留许可。"),
                 (Citation("CPU", "6"),)),
        "At China Pharmaceutical University, you get a permit.",
        "根据中国药科大学的规定，您可获得居留许可。"),
    "a JSNU rule cited after national law is given under JSNU's name": (
        Decision("t", True, Text("Apply in time.", "及时申请。"), (LAW_30, Citation("JSNU", "2"))),
        "At Jiangsu Normal University, apply in time.", "根据江苏师范大学的规定，及时申请。"),
    "an answer that starts with a visa type keeps its capital": (
        Decision("t", True, Text("X1 visas last 30 days.", "X1签证30天有效。"),
                 (Citation("CPU", "2"),)),
        "At China Pharmaceutical University, X1 visas last 30 days.",
        "根据中国药科大学的规定，X1签证30天有效。"),
    "an answer that already names the university is not named twice": (
        Decision("t", True, Text("Westlake University's portal says so.", "西湖大学门户如此规定。"),
                 (Citation("WESTLAKE", "Q: x"),)),
        "Westlake University's portal says so.", "西湖大学门户如此规定。"),
    "national law alone names no university": (
        Decision("t", True, Text("National law applies.", "适用国家法律。"), (LAW_30,)),
        "National law applies.", "适用国家法律。"),
}


@pytest.mark.parametrize(("decision", "english", "chinese"), NAMED.values(), ids=NAMED.keys())
def test_cpu_jsnu_westlake_and_qjnu_articles_are_applied_under_the_universitys_own_name(
    decision: Decision, english: str, chinese: str
) -> None:
    assert decision.render("en").splitlines()[0] == english
    assert decision.render("zh").splitlines()[0] == chinese
