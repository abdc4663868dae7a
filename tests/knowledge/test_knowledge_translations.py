"""Every user-facing text exists in English and in Chinese; a missing translation fails here."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest

import knowledge as kb
from knowledge import Decision, Text
from knowledge.core import Period
from knowledge.institutions import all_provisions, jsnu, qjnu
from knowledge.national import NATIONAL_RULES

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def texts_in(value: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text reachable from ``value`` through dataclass fields, tuples and dicts."""
    if isinstance(value, Text):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from texts_in(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from texts_in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, f"{path}[{key!r}]")


D = date(2026, 3, 31)
HOLIDAYS = (Period(date(2026, 1, 20), date(2026, 2, 25)),)


def sample_decisions() -> Iterator[Decision]:
    """A battery of decisions covering every rule function and every institution."""
    facts = [
        kb.PermitFacts("new", "degree", "year"), kb.PermitFacts("new", "language", "semester"),
        kb.PermitFacts("new", None, "none", arrival_date=date(2026, 3, 1)),
        kb.PermitFacts("new", None, "none", arrival_date=date(2026, 1, 1)),
        kb.PermitFacts("returning", None, "year", 90, True),
        kb.PermitFacts("returning", None, "semester", 75), kb.PermitFacts("returning", None,
                                                                          "semester", 50),
        kb.PermitFacts("returning", None, "semester", 90), kb.PermitFacts("returning", None,
                                                                          "none", None),
        kb.PermitFacts("delayed_graduation", needs_courses_or_lab=False),
        kb.PermitFacts("delayed_graduation", needs_courses_or_lab=True, approval_date=D,
                       lease_end=D, insurance_end=date(2025, 1, 1)),
        kb.PermitFacts("delayed_graduation", needs_courses_or_lab=True, approval_date=D,
                       lease_end=D, insurance_end=D),
        kb.PermitFacts("delayed_graduation", "degree", "none", needs_courses_or_lab=True),
        kb.PermitFacts("delayed_graduation", "degree", "semester", needs_courses_or_lab=True,
                       approval_date=D, lease_end=D, insurance_end=D),
    ]
    for today in (date(2026, 3, 1), date(2026, 9, 1)):
        yield from (kb.residence_permit_validity(f, today) for f in facts)
    for code in kb.INSTITUTION_CODES:
        yield kb.residence_permit_validity(kb.PermitFacts("new", "degree", "year",
                                                          institution=code), D)
        yield kb.lost_passport(code)
        yield kb.lost_permit(code)
        yield kb.residence_permit_application_deadline(code, D)
        for event in ("entry", "new_passport", "address_change"):
            yield kb.registration_deadline(code, event, datetime(2026, 3, 1, 10, 0))
            yield kb.registration_deadline(code, event, D)
        for today in (None, date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 31)):
            yield kb.residence_permit_application_deadline(code, D, today)
            yield kb.extension_application_deadline(code, D, today, HOLIDAYS)
            yield kb.extension_application_deadline(code, date(2026, 2, 10), today, HOLIDAYS)
            yield kb.extension_application_deadline(code, D, today)
            yield kb.stay_permit_request_deadline(code, D, today)
            yield kb.transfer_deadline(code, D, today)
            yield kb.zero_entry_travel_deadline(code, D, today, HOLIDAYS)
            yield kb.zero_entry_travel_deadline(code, date(2026, 2, 10), today, HOLIDAYS)
            yield kb.conference_contact_deadline(code, D, today)
            yield kb.medical_examination_deadline(code, D, today)
            yield kb.new_student_payment_deadline(code, D, today)
            yield kb.registration_deadline(code, "address_change", D, today)
        yield kb.visa_for_stay(code, 90)
        yield kb.visa_for_stay(code, 400)
        for paid, applied, today in ((False, False, date(2026, 1, 1)), (False, False, D),
                                     (True, False, D), (False, True, date(2026, 4, 1)),
                                     (False, False, date(2026, 4, 1))):
            yield kb.automatic_withdrawal(code, D, paid, applied, today)
        for event in ("graduation", "withdrawal", "suspension", "dismissal"):
            yield kb.permit_after_studies(code, event, D)
            yield kb.permit_after_studies(code, event)
        yield kb.overstay_penalty(code, 0)
        yield kb.overstay_penalty(code, 5)
        yield kb.overstay_penalty(code, 50)
        yield kb.overstay_penalty_since(code, D, date(2026, 4, 2))
        for serious in (None, True, False):
            yield kb.illegal_employment_penalty(code, serious)
        for level in ("bachelor", "phd"):
            for full_time in (True, False, None):
                yield kb.dependent_permit(code, level, full_time, D, date(2026, 1, 1))
        for consent, annotation, within in ((True, True, True), (False, False, True),
                                            (True, True, False)):
            yield kb.work_study_check(code, consent, annotation, within)
        for departure in (date(2026, 4, 5), date(2026, 6, 1), date(2028, 1, 1)):
            yield kb.visiting_scholar_stay(code, D, departure)
        for question in ("Hong Kong exchange", "conference", "zzz",
                         "who handles residence permits for international students?"):
            yield kb.who_handles(question, code)
        for topic_id in kb.FAQ_TOPICS:
            yield kb.faq_answer(topic_id, code)


DECISIONS: tuple[Decision, ...] = tuple(sample_decisions())

DATA: dict[str, tuple[object, ...]] = {
    "topics": kb.TOPICS,
    "provisions": all_provisions(),
    "profiles": tuple(kb.institution(code) for code in kb.INSTITUTION_CODES),
    "national rules": NATIONAL_RULES,
    "Qujing responsibilities": qjnu.RESPONSIBILITIES,
    "JSNU documents": jsnu.RESIDENCE_PERMIT_DOCUMENTS,
    "decisions": DECISIONS,
}


@pytest.mark.parametrize("name", DATA.keys())
def test_every_text_has_an_english_and_a_chinese_version(name: str) -> None:
    found = list(texts_in(DATA[name], name))
    assert found
    for path, text in found:
        assert text.en.strip() and LATIN.search(text.en), f"{path}: English missing: {text!r}"
        assert text.zh.strip() and CJK.search(text.zh), f"{path}: Chinese missing: {text!r}"


def test_every_decision_renders_in_both_languages_with_its_sources() -> None:
    for decision in DECISIONS:
        english, chinese = decision.render("en"), decision.render("zh")
        assert english != chinese and CJK.search(chinese)
        if decision.citations:
            assert "Source: " in english and "依据：" in chinese
        if decision.covered:
            assert decision.citations, decision.answer.en


def test_no_answer_leaves_a_placeholder_unfilled() -> None:
    for decision in DECISIONS:
        for lang in ("en", "zh"):
            assert "{" not in decision.render(lang), decision.render(lang)
