"""Visa types, automatic withdrawal, cancellation, lost documents, work-study, staff matters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from knowledge import (
    Decision,
    automatic_withdrawal,
    lost_passport,
    lost_permit,
    passport,
    permit_after_studies,
    study_visa_type,
    visa_for_stay,
    visiting_scholar_stay,
    who_handles,
    work_study_check,
)

VISAS = {"181 days of study need an X1 visa": (181, "X1"),
         "exactly 180 days is short-term study on an X2 visa": (180, "X2"),
         "a single day is short-term study": (1, "X2"),
         "four years need an X1 visa": (1461, "X1")}


@pytest.mark.parametrize(("days", "visa"), VISAS.values(), ids=VISAS.keys())
def test_study_visa_type(days: int, visa: str) -> None:
    assert study_visa_type(days) == visa
    for code in ("CPU", "JSNU", "WESTLAKE", "QJNU"):
        decision = visa_for_stay(code, days)
        assert visa in decision.answer.en and visa in decision.answer.zh
        assert ("CN", "6") in {(c.institution, c.article) for c in decision.citations}


def test_a_stay_of_no_days_is_rejected() -> None:
    with pytest.raises(ValueError):
        study_visa_type(0)


def test_cpu_warns_long_term_students_not_to_enter_on_another_visa() -> None:
    decision = visa_for_stay("CPU", 365)
    assert "cannot be extended" in decision.render("en")
    assert ("CPU", "2") in {(c.institution, c.article) for c in decision.citations}


@pytest.mark.parametrize("days", [90, 365])
def test_jsnu_tells_an_x2_student_how_to_study_on_whatever_the_length(days: int) -> None:
    english = visa_for_stay("JSNU", days).render("en")
    assert "Already in China on an X2 visa" in english and "Xuzhou" in english


EXPIRY = date(2026, 3, 1)
WITHDRAWAL = {
    "a CPU student who paid is not withdrawn": ("CPU", True, False, date(2026, 3, 2), True,
                                                "does not apply"),
    "a CPU student who applied for withdrawal is not withdrawn automatically":
        ("CPU", False, True, date(2026, 3, 2), True, "does not apply"),
    "a CPU student before expiry is warned of the date": ("CPU", False, False, date(2026, 2, 1),
                                                         True, "by 1 March 2026, the day"),
    "a CPU student unpaid after expiry is withdrawn": ("CPU", False, False, date(2026, 3, 2),
                                                      True, "withdrawn automatically by default"),
    "JSNU may cancel the permit, but sets no automatic withdrawal": (
        "JSNU", False, False, date(2026, 3, 2), False, "may cancel"),
    "Westlake has no automatic withdrawal rule": ("WESTLAKE", False, False, date(2026, 3, 2),
                                                  False, "do not cover"),
}


@pytest.mark.parametrize(("code", "paid", "applied", "today", "covered", "says"),
                         WITHDRAWAL.values(), ids=WITHDRAWAL.keys())
def test_automatic_withdrawal(code: str, paid: bool, applied: bool, today: date, covered: bool,
                              says: str) -> None:
    decision = automatic_withdrawal(code, EXPIRY, paid, applied, today)
    assert decision.covered is covered
    assert says in decision.render("en")


CPU_ARTICLE_7 = {
    "the day before expiry: still time": (date(2026, 2, 28), False, "you will be withdrawn"),
    "the expiry day itself: still time to pay today": (date(2026, 3, 1), False,
                                                       "you can still pay"),
    "the day after expiry: withdrawn": (date(2026, 3, 2), True,
                                        "withdrawn automatically by default"),
}


@pytest.mark.parametrize(("today", "withdrawn", "says"), CPU_ARTICLE_7.values(),
                         ids=CPU_ARTICLE_7.keys())
def test_cpu_article_7_withdraws_only_those_still_unpaid_at_the_end_of_the_expiry_day(
    today: date, withdrawn: bool, says: str
) -> None:
    decision = automatic_withdrawal("CPU", EXPIRY, False, False, today)
    english = decision.render("en")
    assert says in english
    assert ("expired on" in english) is withdrawn
    assert "今天仍可" in decision.render("zh") or today != EXPIRY


def test_jsnu_article_15_is_not_automatic_withdrawal_so_jsnu_is_not_covered() -> None:
    decision = automatic_withdrawal("JSNU", EXPIRY, False, False, date(2026, 3, 2))
    assert not decision.covered
    english, chinese = decision.render("en"), decision.render("zh")
    assert "no automatic withdrawal" not in english
    assert "do not say" in english and "request" in english
    # Art. 15 itself says 自动退学, of a student's own withdrawal.
    assert "未规定自动退学" not in chinese
    assert "主动退学" in chinese
    assert {("JSNU", "4"), ("JSNU", "15")} <= {(c.institution, c.article)
                                               for c in decision.citations}


def test_cpu_article_3_180_days_or_more_includes_180_and_stay_permits_are_humanitarian() -> None:
    from knowledge import faq_answer
    from knowledge.institutions import provisions

    article_3 = next(p for p in provisions("CPU") if p.article == "3")
    for text in (article_3.text, faq_answer("visa_types", "CPU").answer,
                 faq_answer("stay_permit", "CPU").answer):
        assert "more than 180" not in text.en
        assert "180 days or more" in text.en and "180天以上" in text.zh
        assert "humanitarian" in text.en and "人道主义" in text.zh
    cited = {(c.institution, c.article) for c in faq_answer("visa_types", "CPU").citations}
    assert ("CN", "1259") in cited  # Civil Code: 以上 includes the number itself


STUDY_END = {
    "CPU cancels a graduate's permit from the leaving day": ("CPU", "graduation", True,
                                                             "no further extension"),
    "CPU cancels a dismissed student's permit from the leaving day": ("CPU", "dismissal", True,
                                                                      "cancelled from"),
    "JSNU changes a withdrawing student's permit to a stay permit": ("JSNU", "withdrawal", True,
                                                                     "short-term stay permit"),
    "JSNU says nothing specific about graduation": ("JSNU", "graduation", False, "Art. 9"),
    "Qujing has no rule on students' permits": ("QJNU", "suspension", False, "do not cover"),
}


@pytest.mark.parametrize(("code", "event", "covered", "says"), STUDY_END.values(),
                         ids=STUDY_END.keys())
def test_permit_after_studies(code: str, event: str, covered: bool, says: str) -> None:
    decision = permit_after_studies(code, event, date(2026, 7, 1))
    assert decision.covered is covered
    assert says in decision.render("en")


def test_an_unknown_study_end_is_rejected() -> None:
    with pytest.raises(ValueError):
        permit_after_studies("CPU", "holiday")


def test_cpu_lost_passport_steps_start_within_24_hours_and_end_with_a_new_permit() -> None:
    decision = lost_passport("CPU")
    assert decision.covered and len(decision.steps) == 6
    assert "24 hours" in decision.steps[0].en and "国际教育学院" in decision.steps[0].zh
    assert "new residence permit" in decision.steps[-1].en
    assert ("CPU", "13") in {(c.institution, c.article) for c in decision.citations}


def test_jsnu_lost_passport_steps_go_through_kuangshan_road() -> None:
    decision = lost_passport("JSNU")
    assert decision.covered
    assert any("Kuangshan Road" in step.en for step in decision.steps)
    assert "报警记录单" in decision.steps[0].zh


def test_each_lost_passport_step_carries_the_article_that_requires_it() -> None:
    cpu_articles = [step.citation.article for step in passport.CPU_PASSPORT_STEPS]
    jsnu_articles = [step.citation.article for step in passport.JSNU_PASSPORT_STEPS]
    assert cpu_articles == ["13", "13", "13", "13", "4", "13"]  # Art. 4: register the passport
    assert jsnu_articles == ["13", "13", "13", "3", "13", "13"]  # Art. 3: the mini program
    assert lost_passport("CPU").steps == tuple(s.text for s in passport.CPU_PASSPORT_STEPS)
    assert lost_passport("JSNU").steps == tuple(s.text for s in passport.JSNU_PASSPORT_STEPS)


@pytest.mark.parametrize("code", ["WESTLAKE", "QJNU"])
def test_lost_passports_at_staff_portals_are_not_covered_and_name_who_covers_them(
    code: str,
) -> None:
    decision = lost_passport(code)
    assert not decision.covered and not decision.steps
    english = decision.render("en")
    assert "China Pharmaceutical University, Article 13" in english
    assert "Jiangsu Normal University, Article 13" in english


LOST_PERMIT = {"JSNU reissues lost permits": ("JSNU", True), "CPU gives no permit steps":
               ("CPU", False)}


@pytest.mark.parametrize(("code", "covered"), LOST_PERMIT.values(), ids=LOST_PERMIT.keys())
def test_lost_permit(code: str, covered: bool) -> None:
    assert lost_permit(code).covered is covered


WORK = {
    "consent and annotation within limits is allowed": (True, True, True, "you may do"),
    "without consent the student must get it first": (False, False, True, "university's consent"),
    "without the annotation the student must get it first": (True, False, True, "annotation"),
    "working beyond the limits is illegal employment": (True, True, False, "illegal employment"),
    "an annotation shows the university consented": (False, True, True, "you may do this"),
}


@pytest.mark.parametrize(("consent", "annotation", "within", "says"), WORK.values(),
                         ids=WORK.keys())
def test_work_study(consent: bool, annotation: bool, within: bool, says: str) -> None:
    decision = work_study_check("JSNU", consent, annotation, within)
    assert decision.covered
    assert says in decision.render("en")
    if not within:
        assert decision.amount_range == (5_000, 20_000)


def test_work_study_is_not_covered_at_cpu() -> None:
    assert not work_study_check("CPU", True, True, True).covered


ARRIVAL = date(2026, 3, 1)
SCHOLARS = {
    "a 14-day visit is a short-term invitee": (date(2026, 3, 15), "invite_short_term_visitor",
                                               True),
    "exactly 15 days is a visiting scholar": (date(2026, 3, 16), "invite_visiting_scholar", True),
    "exactly one year is a visiting scholar": (date(2027, 3, 1), "invite_visiting_scholar", True),
    "one year and a day is not covered": (date(2027, 3, 2), "invite_visiting_scholar", False),
}


@pytest.mark.parametrize(("departure", "topic", "covered"), SCHOLARS.values(), ids=SCHOLARS.keys())
def test_visiting_scholar_stay(departure: date, topic: str, covered: bool) -> None:
    decision = visiting_scholar_stay("WESTLAKE", ARRIVAL, departure)
    assert decision.topic == topic
    assert decision.covered is covered


def test_a_departure_before_arrival_is_rejected() -> None:
    with pytest.raises(ValueError):
        visiting_scholar_stay("WESTLAKE", ARRIVAL, ARRIVAL)


QJNU_RESPONSIBILITY_3 = {
    "residence permits for international students are not responsibility 3": (
        "Who handles residence permits for international students?", False, "3"),
    "留学生的居留许可 is not responsibility 3 either": ("留学生的居留许可找谁办？", False, "3"),
    "a foreign expert's residence permit is responsibility 3": (
        "Who handles residence permits for foreign experts?", True, "3"),
}


@pytest.mark.parametrize(("question", "covered", "article"), QJNU_RESPONSIBILITY_3.values(),
                         ids=QJNU_RESPONSIBILITY_3.keys())
def test_qjnu_responsibility_3_serves_foreign_experts_not_students(
    question: str, covered: bool, article: str
) -> None:
    decision = who_handles(question, "QJNU")
    assert decision.covered is covered
    assert [c.article for c in decision.citations] == [article]
    if not covered:
        assert "students" in decision.render("en") and "request" in decision.render("en")


WHO = {
    "Hong Kong, Macao and Taiwan exchanges are responsibility 6":
        ("Who handles Hong Kong, Macao and Taiwan exchanges?", "QJNU", "6"),
    "港澳台交流 is responsibility 6 in Chinese": ("谁负责港澳台交流？", "QJNU", "6"),
    "a foreign teacher's work permit is responsibility 3":
        ("Who processes a foreign teacher's work permit?", "QJNU", "3"),
    "an international conference is responsibility 7":
        ("Who organises international conferences?", "QJNU", "7"),
    "staff travel abroad is responsibility 8": ("我要因公出国，找谁审批？", "QJNU", "8"),
    "Westlake conferences go to the conference question":
        ("I want to host a conference", "WESTLAKE",
         "Q: How do I get approval for hosting or organizing an international conference at or "
         "in the name of Westlake University or its affiliated departments?"),
}


@pytest.mark.parametrize(("question", "code", "article"), WHO.values(), ids=WHO.keys())
def test_who_handles(question: str, code: str, article: str) -> None:
    decision = who_handles(question, code)
    assert decision.covered
    assert [c.article for c in decision.citations] == [article]


UNMATCHED: dict[str, Callable[[], Decision]] = {
    "Qujing cannot match gibberish": lambda: who_handles("zxqv", "QJNU"),
    "Westlake cannot match gibberish": lambda: who_handles("zxqv", "WESTLAKE"),
    "CPU's regulations list no office duties": lambda: who_handles("conference", "CPU"),
}


@pytest.mark.parametrize("decide", UNMATCHED.values(), ids=UNMATCHED.keys())
def test_who_handles_says_when_it_cannot_tell(decide: Callable[[], Decision]) -> None:
    assert not decide().covered
