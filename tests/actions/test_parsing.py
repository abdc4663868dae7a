"""Facts typed in free text, in English and Chinese, are read exactly or not at all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from actions.parsing import (
    as_typed,
    chinese_integer,
    find_date,
    find_dates,
    parse_choice,
    parse_date,
    parse_percentage,
    parse_stay_length,
    parse_yes_no,
    registration_event,
)
from knowledge.durations import StayLength

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("85%", 85.0), ("85 ％", 85.0), ("85 percent", 85.0), ("0.85", 85.0), ("78", 78.0),
        ("百分之八十五", 85.0), ("八十%", 80.0), ("百分之七十九点五", 79.5), ("一百", 100.0),
        ("出勤率是72%", 72.0), ("quite good", None), ("150%", None), ("", None),
    ],
    ids=lambda value: repr(value),
)
def test_attendance_rates_are_read_in_both_languages(text: str, rate: float | None) -> None:
    assert parse_percentage(text) == rate


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("3 March 2026", "en", date(2026, 3, 3)),
        ("2026-12-20", "en", date(2026, 12, 20)),
        ("next Friday", "en", date(2026, 11, 27)),
        ("tomorrow", "en", date(2026, 11, 24)),
        ("2026年12月20日", "zh", date(2026, 12, 20)),
        ("明年3月5日", "zh", date(2027, 3, 5)),
        ("3月5日", "zh", date(2027, 3, 5)),
        ("12月20号", "zh", date(2026, 12, 20)),
        ("下周五", "zh", date(2026, 12, 4)),
        ("明天", "zh", date(2026, 11, 24)),
        ("whenever", "en", None),
        ("2月30日", "zh", None),
        ("2027年9月5号", "zh", date(2027, 9, 5)),   # a full date with the spoken 号
        ("05/03/2027", "en", date(2027, 3, 5)),     # day/month/year, as written outside the US
        ("05/03/2027", "zh", date(2027, 3, 5)),
        ("30.06.2027", "en", date(2027, 6, 30)),
        ("31/02/2027", "en", None),
    ],
)
def test_dates_are_read_relative_to_today(text: str, language: str, expected: date | None) -> None:
    assert parse_date(text, TODAY, language) == expected


@pytest.mark.parametrize(
    ("text", "answer"),
    [("yes", True), ("yeah sure", True), ("是的", True), ("no", False), ("not really", False),
     ("不是", False), ("没有", False), ("maybe", None)],
)
def test_yes_and_no_are_read_with_no_winning_over_yes(text: str, answer: bool | None) -> None:
    assert parse_yes_no(text) is answer


def test_a_choice_naming_two_options_is_not_guessed() -> None:
    options = {"year": ("year",), "semester": ("semester",)}
    assert parse_choice("one semester", options) == "semester"
    assert parse_choice("a year or a semester", options) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("一百八十", 180), ("两", 2), ("十八", 18), ("二十四", 24), ("三百六十五", 365), ("十", 10),
     ("一千零一", 1001), ("18", 18), ("一二", None), ("", None), ("八十五%", None)],
)
def test_chinese_integers_are_read_to_thousands(text: str, value: int | None) -> None:
    assert chinese_integer(text) == value


@pytest.mark.parametrize(
    ("text", "months", "days"),
    [
        ("8 months", 8, 0), ("two years", 24, 0), ("1.5 years", 18, 0), ("180 days", 0, 180),
        ("6 weeks", 0, 42), ("a year and a half", 18, 0), ("half a year", 6, 0),
        ("two and a half years", 30, 0), ("twenty-four months", 24, 0),
        ("1 year and 3 months", 15, 0), ("I'll study for 8 months, which visa?", 8, 0),
        ("overstayed by 10 days", 0, 10), ("for a week", 0, 7),
        ("半年", 6, 0), ("两年", 24, 0), ("一年半", 18, 0), ("三个月", 3, 0), ("十八个月", 18, 0),
        ("一百八十天", 0, 180), ("365天", 0, 365), ("两周", 0, 14), ("两个星期", 0, 14),
        ("一年零三个月", 15, 0), ("读两年硕士用什么签证", 24, 0), ("我的签证过期三天了", 0, 3),
        ("a fortnight", 0, 14),
        # a correction: the length it says it is not is left out
        ("wait, it's been a fortnight not eight days", 0, 14),
        ("not eight days but two weeks", 0, 14), ("不是八天，是两周", 0, 14),
        ("两个星期，不是三天", 0, 14),
    ],
)
def test_lengths_of_stay_are_read_in_both_languages(text: str, months: int, days: int) -> None:
    assert parse_stay_length(text) == StayLength(months=months, days=days)


@pytest.mark.parametrize(
    "text",
    ["a semester", "一个学期", "a few months", "1.5 months", "一个半月", "半个月",
     "3 days ago", "两年后", "3月3日", "2026年", "一年级", "500 yuan a day",
     "how much is the fine a day", "when must I apply?", "", "not 8 days"],
)
def test_a_length_that_cannot_be_counted_exactly_or_a_date_is_no_length(text: str) -> None:
    assert parse_stay_length(text) is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("昨天", "zh", date(2026, 11, 22)),
        ("前天", "zh", date(2026, 11, 21)),
        ("三天前", "zh", date(2026, 11, 20)),
        ("十天后", "zh", date(2026, 12, 3)),
        ("上周五", "zh", date(2026, 11, 20)),
        ("3 days ago", "en", date(2026, 11, 20)),
    ],
)
def test_past_relative_dates_are_read(text: str, language: str, expected: date) -> None:
    assert parse_date(text, TODAY, language) == expected


@pytest.mark.parametrize(
    ("text", "past", "expected"),
    [
        ("my visa expired on 3 March", True, [date(2026, 3, 3)]),
        ("my visa expires on 3 March", False, [date(2027, 3, 3)]),
        ("我的签证昨天到期了", True, [date(2026, 11, 22)]),
        ("我的签证三天前过期了", True, [date(2026, 11, 20)]),
        ("it ran out 3 days ago", True, [date(2026, 11, 20)]),
        ("from 1 March 2027 to 30 June 2027", False, [date(2027, 3, 1), date(2027, 6, 30)]),
        ("他2027年3月1日到，6月30日走", False, [date(2027, 3, 1), date(2027, 6, 30)]),
        ("when should I apply?", False, []),
        ("I arrived on 2027年3月1号, when must I register?", False, [date(2027, 3, 1)]),
        ("my permit expires 05/03/2027, what now", False, [date(2027, 3, 5)]),
        ("我2027年9月5号入境的", False, [date(2027, 9, 5)]),
        ("the 5th of March 2027", False, [date(2027, 3, 5)]),
        # days from today, forward
        ("i need to fly home in 5 days", False, [date(2026, 11, 28)]),
        ("leaving in two weeks, do I need approval", True, [date(2026, 12, 7)]),
        ("我5天后回国", False, [date(2026, 11, 28)]), ("三天以后出发", False, [date(2026, 11, 26)]),
        ("within 30 days of entry", False, []), ("I stay for 5 days", False, []),
        # a relative day with its date beside it is that date
        ("got my new passport today (3 march 2027), what now", False, [date(2027, 3, 3)]),
        ("我昨天（2027年3月2日）拿到的", True, [date(2027, 3, 2)]),
        ("arrived yesterday and my visa expires 3 March 2027", False,
         [date(2026, 11, 22), date(2027, 3, 3)]),
    ],
)
def test_every_date_in_a_sentence_is_found_in_order(
    text: str, past: bool, expected: list[date]
) -> None:
    assert [m.day for m in find_dates(text, TODAY, "en", in_past=past)] == expected


def test_the_words_before_each_date_are_kept() -> None:
    mentions = find_dates("from 1 March 2027 to 30 June 2027", TODAY)
    assert [m.before for m in mentions] == ["from ", " to "]


@pytest.mark.parametrize("text", ["I don't know", "not sure", "不知道", "不确定"])
def test_not_knowing_is_no_answer_rather_than_no(text: str) -> None:
    assert parse_yes_no(text) is None


@pytest.mark.parametrize(
    ("text", "event"),
    [("my embassy issued me a new passport, does the 24-hour registration apply again",
      "new_passport"),
     ("after renewing my passport, when do I register?", "new_passport"),
     ("我换了护照，什么时候要登记？", "new_passport"),
     ("I moved to a new apartment, do I need to register", "address_change"),
     ("do I need to report my new address", "address_change"),
     ("我搬家了，住宿登记怎么办", "address_change"),
     ("when must I register my address after entering China", "entry"),
     ("住宿登记什么时候办", "entry")],
)
def test_cpu_article_4_the_24_hours_count_from_the_event_the_question_names(
    text: str, event: str
) -> None:
    assert registration_event(text) == event


@pytest.mark.parametrize(("text", "near", "expected"), [
    ("哦不对，我是9月12号才入境的", date(2027, 9, 2), date(2027, 9, 12)),
    ("no wait, it was the 28th of December", date(2028, 1, 3), date(2027, 12, 28)),
    ("actually 3 January", date(2027, 12, 20), date(2028, 1, 3)),
    ("actually 3 January 2026", date(2027, 12, 20), date(2026, 1, 3)),  # a year written wins
    ("actually it was yesterday", date(2027, 9, 2), TODAY - timedelta(days=1)),
])
def test_a_corrected_date_without_a_year_is_read_near_the_date_it_corrects(
        text: str, near: date, expected: date) -> None:
    assert find_date(text, TODAY, "zh" if "月" in text else "en", in_past=True,
                     near=near) == expected


@pytest.mark.parametrize("text", [
    "stolen on metro line 2 this morning", "I lost it tonight", "this afternoon at the bank",
    "我今早发现的", "今晚丢的", "今天上午",
])
def test_a_time_of_today_names_today(text: str) -> None:
    assert [m.day for m in find_dates(text, TODAY, "zh" if "今" in text else "en",
                                      in_past=True)] == [TODAY]


@pytest.mark.parametrize(("typed", "read"), [
    ("i still didnt pay", "i still didn't pay"),
    ("I cant pay and wont", "i can't pay and won't"),
    ("im a returning student, ive paid", "i'm a returning student, i've paid"),
    ("I’ve paid", "i've paid"),
    ("my student ID and I feel ill", "my student id and i feel ill"),  # no "i'd", no "i'll"
    ("the Didnt-Know answer", "the didn't-know answer"),
])
def test_contractions_typed_without_the_apostrophe_are_read_as_written_out(
    typed: str, read: str
) -> None:
    assert as_typed(typed) == read
