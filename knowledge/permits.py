"""How long a residence permit the university supports: CPU Article 6 applied to one student.

Only China Pharmaceutical University's regulations set durations; for the other institutions
the answer says so (Jiangsu Normal University Art. 4 ties the permit to a paid school year
but gives no duration).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from knowledge.answers import article, cite, not_addressed
from knowledge.core import (
    Decision,
    Step,
    Text,
    add_days,
    date_text,
    last_day_text,
    step_texts,
)
from knowledge.institutions import cpu, institution

TOPIC: Final = "residence_permit_validity"

NEW: Final = "new"
RETURNING: Final = "returning"
DELAYED_GRADUATION: Final = "delayed_graduation"
STUDENT_STATUSES: Final = (NEW, RETURNING, DELAYED_GRADUATION)

DEGREE: Final = "degree"
LANGUAGE: Final = "language"  # Chinese-language and preparatory students alike
PROGRAMMES: Final = (DEGREE, LANGUAGE)
_PROGRAMME_SYNONYMS: Final = {"preparatory": LANGUAGE, "preppie": LANGUAGE}

PAID_YEAR: Final = "year"
PAID_SEMESTER: Final = "semester"
PAID_NONE: Final = "none"
PAYMENTS: Final = (PAID_YEAR, PAID_SEMESTER, PAID_NONE)


@dataclass(frozen=True)
class PermitFacts:
    """What CPU Art. 6 needs to know about a student; unknown facts stay None.

    ``arrival_date`` is optional: for a new student who has not paid it dates the 30-day
    payment limit of Art. 6(1)(3). ``paid`` is optional for a delayed graduate: Art. 5 (no
    registration or visa extension without payment) applies to every student, so "none"
    ends the case and an unknown payment is stated as the condition of the permit.
    """

    student_status: str | None = None  # "new" | "returning" | "delayed_graduation"
    programme: str | None = None  # "degree" | "language" (language or preparatory)
    paid: str | None = None  # "year" | "semester" | "none"
    attendance_percent: float | None = None  # 0..100, returning students
    final_year: bool | None = None  # returning students who paid a year
    needs_courses_or_lab: bool | None = None  # delayed graduation
    approval_date: date | None = None  # date approved by the academic department
    lease_end: date | None = None
    insurance_end: date | None = None
    arrival_date: date | None = None
    # The academic year the person says they paid for or registered in, by the year its
    # September falls in (2027 for "2027-2028学年", "registered in September 2027"); None: the
    # academic year ``today`` falls in.
    academic_year: int | None = None
    institution: str = cpu.CODE


def _programme(facts: PermitFacts) -> str | None:
    if facts.programme is None:
        return None
    value = _PROGRAMME_SYNONYMS.get(facts.programme, facts.programme)
    if value not in PROGRAMMES:
        raise ValueError(f"programme must be one of {PROGRAMMES}, got {facts.programme!r}")
    return value


def _check(facts: PermitFacts) -> None:
    """Reject values no rule knows (the dialogue validates slots before calling)."""
    if facts.student_status is not None and facts.student_status not in STUDENT_STATUSES:
        raise ValueError(f"student_status must be one of {STUDENT_STATUSES}")
    if facts.paid is not None and facts.paid not in PAYMENTS:
        raise ValueError(f"paid must be one of {PAYMENTS}")
    if facts.attendance_percent is not None and not 0 <= facts.attendance_percent <= 100:
        raise ValueError("attendance_percent must be between 0 and 100")
    _programme(facts)


def missing_permit_facts(facts: PermitFacts) -> tuple[str, ...]:
    """Names of the ``PermitFacts`` fields still needed to decide this case, in asking order.

    Returns an empty tuple when the case can be decided. Facts that cannot change the
    outcome are not asked for (attendance below 70% ends a returning student's case).
    """
    _check(facts)
    if institution(facts.institution).code != cpu.CODE:
        return ()
    if facts.student_status is None:
        return ("student_status",)
    if facts.student_status == NEW:
        return _missing_new(facts)
    if facts.student_status == RETURNING:
        return _missing_returning(facts)
    return _missing_delayed(facts)


def _missing_new(facts: PermitFacts) -> tuple[str, ...]:
    if facts.paid == PAID_NONE:
        return ()
    needed = [] if facts.programme is not None else ["programme"]
    return tuple(needed + (["paid"] if facts.paid is None else []))


def _missing_returning(facts: PermitFacts) -> tuple[str, ...]:
    attendance = facts.attendance_percent
    if attendance is not None and attendance < cpu.ATTENDANCE_NO_SUPPORT_BELOW:
        return ()
    if facts.paid == PAID_NONE:
        return ()
    needed = [name for name, value in (("paid", facts.paid), ("attendance_percent", attendance))
              if value is None]
    if (facts.paid == PAID_YEAR and attendance is not None
            and attendance > cpu.ATTENDANCE_FULL_YEAR_ABOVE and facts.final_year is None):
        needed.append("final_year")
    return tuple(needed)


def _missing_delayed(facts: PermitFacts) -> tuple[str, ...]:
    # The approved date, the lease end and the insurance end only narrow the answer: a person
    # rarely has all three at hand, so without them the limit is given and they are invited.
    return ("needs_courses_or_lab",) if facts.needs_courses_or_lab is None else ()


def academic_year_start(today: date) -> int:
    """The year whose September begins the academic year a year's payment on ``today`` is for.

    CPU Art. 6 assumes an autumn intake whose teaching year ends on 15 July
    (``cpu.TEACHING_YEAR_END``): from 15 July a payment is for the year beginning that
    September, before it for the year that began the September before.
    """
    return today.year if (today.month, today.day) >= cpu.TEACHING_YEAR_END else today.year - 1


def _year_paid(facts: PermitFacts, today: date) -> int:
    """The year whose September begins the academic year paid for: the one the person
    named, else the one ``today`` falls in."""
    return facts.academic_year if facts.academic_year is not None else academic_year_start(today)


def next_year_date(year_start: int, month: int, day: int) -> date:
    """CPU Art. 6 "下一年的…" (next …): that month and day in the year after the one in which
    the academic year paid for begins (``year_start``), not the year after the question."""
    return date(year_start + 1, month, day)


def _autumn_start(facts: PermitFacts, today: date) -> bool:
    """Whether a new student starts in the autumn Art. 6(1) assumes: one who names the
    academic year they registered for does; otherwise one starting on ``today``."""
    return facts.academic_year is not None or academic_year_start(today) == today.year


def _academic_year(start: int) -> Text:
    return Text(f"the {start}–{start + 1} academic year", f"{start}—{start + 1}学年")


def residence_permit_validity(facts: PermitFacts, today: date) -> Decision:
    """CPU Art. 6: until when the university supports this student's residence permit.

    Also applies Art. 5 (no payment, no visa extension), to delayed graduates too. Raises
    ValueError when facts named by ``missing_permit_facts`` are still unknown or a value is
    out of range.
    """
    missing = missing_permit_facts(facts)
    if missing:
        raise ValueError(f"still needed: {', '.join(missing)}")
    code = institution(facts.institution).code
    if code != cpu.CODE:
        return _other_institution(code)
    if facts.student_status == NEW:
        return _new_student(facts, today)
    if facts.student_status == RETURNING:
        return _returning_student(facts, today)
    return _delayed_graduation(facts, today)


def _other_institution(code: str) -> Decision:
    decision = not_addressed(
        TOPIC, code,
        Text("how long a residence permit lasts", "居留许可的期限"),
        cite(cpu.CODE, "6"),
    )
    if code != "JSNU":
        return decision
    extra = Text(
        " Jiangsu Normal University Art. 4 only says that once tuition, accommodation and "
        "insurance for the school year are paid, the International College helps students "
        "living on campus with the permit; it does not say who helps students living off "
        "campus.",
        "江苏师范大学第四条仅规定：缴清学年学费、住宿费、保险费后，由国际学院协助住在校内的学生办理"
        "居留许可；住在校外的学生由谁协助，该条未作规定。",
    )
    return Decision(TOPIC, False, decision.answer.join(extra, "", ""), cite(code, "4"))


def _until(topic_text: Text, until: date, articles: tuple[str, ...],
           steps: tuple[Text, ...] = (), days: int | None = None) -> Decision:
    when = date_text(until)
    answer = Text(topic_text.en.format(date=when.en), topic_text.zh.format(date=when.zh))
    return Decision(TOPIC, True, answer, cite(cpu.CODE, *articles), steps,
                    valid_until=until, days=days)


def _semester_permit(who: Text, today: date, articles: tuple[str, ...],
                     steps: tuple[Text, ...] = ()) -> Decision:
    until = add_days(today, cpu.SEMESTER_PERMIT_DAYS)
    text = Text(
        who.en + " get a residence permit for 180 days (if it is issued today, until {date}).",
        who.zh + "可获得180天居留许可（如今天签发，有效至{date}）。",
    )
    return _until(text, until, articles, steps, days=cpu.SEMESTER_PERMIT_DAYS)


def _no_support(answer: Text, articles: tuple[str, ...],
                steps: tuple[Text, ...] = ()) -> Decision:
    return Decision(TOPIC, True, answer, cite(cpu.CODE, *articles), steps)


_LEAVE_STEP: Final = Text(
    "Leave China before your current visa or residence permit expires, or ask the School of "
    "International Education about a stay permit (Art. 8).",
    "请在现有签证或居留许可到期前离境，或向国际教育学院咨询停留证件（第八条）。",
)

CPU_DELAYED_GRADUATION_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Submit your delayed-graduation documents for approval, with a valid lease "
              "contract and insurance policy.",
              "提交延期毕业材料审核，并提供有效的房屋租赁合同及保险单。"),
         article(cpu.CODE, "6(3)")),
)


def _new_student(facts: PermitFacts, today: date) -> Decision:
    if facts.paid == PAID_NONE:
        return _new_unpaid(facts, today)
    degree = _programme(facts) == DEGREE
    autumn = _autumn_start(facts, today)
    start = _year_paid(facts, today)
    if facts.paid == PAID_YEAR:
        if not autumn:
            return _spring_start(start)
        month, day = cpu.DEGREE_YEAR_PERMIT_END if degree else cpu.LANGUAGE_YEAR_PERMIT_END
        who = (Text("degree", "学历") if degree
               else Text("Chinese-language or preparatory", "语言进修或预科"))
        year = _academic_year(start)
        return _until(
            Text(f"As a new {who.en} student who has registered and paid for a full academic "
                 f"year ({year.en}), you get a residence permit until {{date}}.",
                 f"您作为已注册并缴清一学年（{year.zh}）费用的{who.zh}新生，居留许可延期至{{date}}。"),
            next_year_date(start, month, day), ("6(1)(1)",),
        )
    month, day = cpu.DEGREE_COMMITMENT_DATE if degree else cpu.LANGUAGE_COMMITMENT_DATE
    if autumn:
        pay_by = date_text(next_year_date(start, month, day))
        commitment = Text(
            f"Write and sign the commitment to pay next semester's fees before {pay_by.en}.",
            f"书面承诺在{pay_by.zh}前交清下学期费用。",
        )
    else:
        commitment = Text(
            "Write and sign the commitment to pay next semester's fees. Article 6(1)(2) sets "
            "its date (before 5 March, or 5 January for language and preparatory students) for "
            "students who start in the autumn; ask the School of International Education which "
            "date applies to a spring start.",
            "书面承诺下学期费用的交清日期。第六条第一部分第（二）项规定的日期（学历生3月5日前，语言生"
            "和预科生1月5日前）适用于秋季入学的学生；春季入学的，请向国际教育学院确认适用的日期。",
        )
    return _semester_permit(
        Text("New students who have registered and paid for one semester",
             "已注册并缴清一学期费用的新生"),
        today, ("6(1)(2)",), (commitment,),
    )


def _spring_start(start: int) -> Decision:
    """A new student paying a year before 15 July: Art. 6(1)(1) assumes an autumn start."""
    this_year = date_text(next_year_date(start, *cpu.DEGREE_YEAR_PERMIT_END))
    return Decision(TOPIC, False, Text(
        "For a new student who paid a full year, Article 6(1)(1) gives a permit until 10 "
        "September (15 July for language and preparatory students) of the next year, counting "
        "from an autumn start. For a student starting before 15 July it does not say which year's "
        f"date applies ({this_year.en} or a year later), so I will not guess: the School of "
        "International Education decides. I can open a request for you.",
        "第六条第一部分第（一）项按秋季入学规定：缴清一学年费用的新生，居留许可延期至下一年的9月10日"
        "（语言生和预科生为7月15日）。对于7月15日之前入学的学生，该条未说明适用哪一年的日期（"
        f"{this_year.zh}或再晚一年），本助手不作推测，由国际教育学院决定。我可以为您提交咨询申请。",
    ), cite(cpu.CODE, "6(1)(1)"))


def _new_unpaid(facts: PermitFacts, today: date) -> Decision:
    articles = ("6(1)(3)", "5")
    if facts.arrival_date is None:
        return _no_support(Text(
            "New students who cannot pay at least one semester within 30 days of arrival get "
            "no visa extension from the School of International Education.",
            "无法在入境30天内缴满一学期及以上费用的新生，国际教育学院不给予签证延期。",
        ), articles, (Text("Pay at least one semester's fees within 30 days of your arrival.",
                           "请在入境后30天内缴满至少一学期的费用。"),))
    deadline = add_days(facts.arrival_date, cpu.NEW_STUDENT_PAYMENT_DAYS)
    when = date_text(deadline)
    if today <= deadline:
        by = last_day_text(deadline)
        return _no_support(Text(
            f"You have not paid yet: pay at least one semester {by.en} (30 days after your "
            "entry into China) or the School of International Education gives no visa "
            "extension.",
            f"您尚未缴费：请{by.zh}缴满至少一学期费用（入境后30天），否则国际教育学院不给予签证延期。",
        ), articles)
    return _no_support(Text(
        f"The 30 days after your entry into China ended on {when.en} without payment, so the "
        "School of International Education gives no visa extension.",
        f"您入境后30天的缴费期限已于{when.zh}届满且未缴费，国际教育学院不给予签证延期。",
    ), articles, (_LEAVE_STEP,))


def _returning_student(facts: PermitFacts, today: date) -> Decision:
    attendance = facts.attendance_percent
    assert attendance is not None or facts.paid == PAID_NONE  # guaranteed by missing_…()
    if attendance is not None and attendance < cpu.ATTENDANCE_NO_SUPPORT_BELOW:
        # "低于70%" / "below 70%": strictly below, so exactly 70% is in the next band.
        return _no_support(Text(
            f"With attendance of {attendance:g}% (below 70%), the School of International "
            "Education gives no visa extension and you must leave China within the time limit.",
            f"出勤率为{attendance:g}%（低于70%），国际教育学院不给予签证延期，须限期离境。",
        ), ("6(2)(3)",), (_LEAVE_STEP,))
    if facts.paid == PAID_NONE:
        return _no_support(_NOT_PAID_ANSWER, ("5",), (_PAY_STEP,))
    assert attendance is not None
    if attendance <= cpu.ATTENDANCE_FULL_YEAR_ABOVE:
        # "70%-80%" with both ends included: 80% is not "高于80%", 70% is not "低于70%".
        return _semester_permit(
            Text(f"Returning students who have paid at least one semester with attendance of "
                 f"{attendance:g}% (70–80%)",
                 f"缴满一学期及以上费用、出勤率为{attendance:g}%（70%-80%）的老生"),
            today, ("6(2)(2)",),
        )
    if facts.paid == PAID_YEAR:
        final = bool(facts.final_year)
        month, day = cpu.FINAL_YEAR_PERMIT_END if final else cpu.RETURNING_YEAR_PERMIT_END
        who = Text("final-year student", "毕业班学生") if final else Text("student", "学生")
        start = _year_paid(facts, today)
        year = _academic_year(start)
        return _until(
            Text(f"As a returning {who.en} who has paid for a full year ({year.en}) with "
                 f"attendance of {attendance:g}% (over 80%), you get a residence permit until "
                 "{date}.",
                 f"您作为缴清一学年（{year.zh}）费用、出勤率为{attendance:g}%（高于80%）的{who.zh}，"
                 "居留许可延期至{date}。"),
            next_year_date(start, month, day), ("6(2)(1)",),
        )
    return Decision(TOPIC, False, Text(
        f"The regulations do not cover a returning student who has paid one semester with "
        f"attendance of {attendance:g}% (over 80%): Article 6(2)(1) needs a full year's "
        "payment and Article 6(2)(2) covers attendance of 70–80% only. I will not guess; the "
        "School of International Education decides. I can open a request for you.",
        f"中国药科大学第六条未规定缴清一学期费用、出勤率为{attendance:g}%（高于80%）的老生：第二部分"
        "第（一）项要求缴清一学年费用，第（二）项只适用于出勤率70%-80%。本助手不作推测，由国际教育"
        "学院决定，我可以为您提交咨询申请。",
    ), cite(cpu.CODE, "6(2)(1)", "6(2)(2)"))


_NOT_PAID_ANSWER: Final = Text(
    "Students who have not paid at least one semester are not registered and get no visa "
    "extension.",
    "未交清至少一学期费用的学生，国际教育学院不为其办理注册及签证延期手续。",
)
_PAY_STEP: Final = Text("Pay at least one semester's fees, then ask for the letter.",
                        "请先缴清至少一学期费用，再申请介绍信。")
_IF_PAID: Final = Text(
    " This holds once you have paid at least one semester's fees and registered: without "
    "payment the School registers no one and extends no visa (Article 5).",
    "前提是您已缴清至少一学期费用并完成注册：未缴费的，国际教育学院不办理注册及签证延期（第五条）。",
)
_IN_PRINCIPLE: Final = Text(
    " The 180 days are a limit “in principle” (原则上): the School of International Education "
    "sets the date.",
    "180天为“原则上”的上限，具体日期由国际教育学院核定。",
)


def _either(texts: list[Text]) -> Text:
    """"a, b or c" / "a、b或c"."""
    if len(texts) == 1:
        return texts[0]
    return Text(", ".join(t.en for t in texts[:-1]) + " or " + texts[-1].en,
                "、".join(t.zh for t in texts[:-1]) + "或" + texts[-1].zh)


def _delayed_graduation_limit(facts: PermitFacts, until: date, reason: Text,
                              unknown: list[Text], articles: tuple[str, ...],
                              steps: tuple[Text, ...]) -> Decision:
    """A delayed graduate's permit while some of its bounds are not known: the latest it can
    run to, and what can end it sooner."""
    sooner = _either(unknown)
    when = date_text(until)
    answer = Text(
        "As a delayed-graduation student who needs courses or lab work, you can get a "
        f"residence permit until {when.en} at the latest ({reason.en}); it ends sooner if "
        f"{sooner.en} comes first, since the permit never outlasts any of them. Tell me those "
        "dates and I will work out yours.",
        f"您作为需在校上课或实验的延期毕业生，居留许可最长核定至{when.zh}（{reason.zh}）；"
        f"如{sooner.zh}更早，则以更早者为准。告诉我这些日期，我可以为您算出具体日期。",
    ).join(_IN_PRINCIPLE, "", "")
    if facts.paid not in (PAID_YEAR, PAID_SEMESTER):
        answer = answer.join(_IF_PAID, "", "")
    return Decision(TOPIC, True, answer, cite(cpu.CODE, *articles), steps)


def _delayed_graduation(facts: PermitFacts, today: date) -> Decision:
    if not facts.needs_courses_or_lab:
        return _no_support(Text(
            "Delayed-graduation students who do not need to take courses or work in a lab get "
            "no visa extension and must leave China within the time limit.",
            "延期毕业生如无在校课程或实验需求，国际教育学院不给予签证延期，须限期离境。",
        ), ("6(3)",), (_LEAVE_STEP,))
    if facts.paid == PAID_NONE:
        # Art. 5 applies to every student, delayed graduates included.
        return _no_support(_NOT_PAID_ANSWER, ("5", "6(3)"), (_PAY_STEP,))
    bounds = (
        (facts.approval_date, Text("the date approved by your academic department",
                                   "教学管理部门批复的日期")),
        (facts.lease_end, Text("the end of your lease", "房屋租赁期满日")),
        (facts.insurance_end, Text("the end of your insurance", "保险单到期日")),
    )
    limits = (*((day, reason) for day, reason in bounds if day is not None),
              (add_days(today, cpu.DELAYED_GRADUATION_MAX_DAYS),
               Text("180 days from today", "自今日起180天")))
    until, reason = min(limits, key=lambda limit: limit[0])
    steps = step_texts(CPU_DELAYED_GRADUATION_STEPS)
    articles = ("6(3)",) if facts.paid in (PAID_YEAR, PAID_SEMESTER) else ("6(3)", "5")
    if until <= today:
        return _no_support(Text(
            f"{reason.en.capitalize()} ({date_text(until).en}) is not after today, so no "
            "residence permit can be set from it: renew that document or approval first.",
            f"{reason.zh}（{date_text(until).zh}）不晚于今天，无法据此核定居留许可，请先续签或更新。",
        ), articles, steps)
    unknown = [reason for day, reason in bounds if day is None]
    if unknown:
        return _delayed_graduation_limit(facts, until, reason, unknown, articles, steps)
    answer = Text(
        "As a delayed-graduation student who needs courses or lab work, you get a residence "
        "permit until {date}: the earliest of the approved date, your lease end, your insurance "
        f"end and 180 days from today (here: {reason.en}).",
        "您作为需在校上课或实验的延期毕业生，居留许可核定至{date}，即教学管理部门批复日期、房屋租赁"
        f"期满日、保险单到期日和自今日起180天中最早者（此处为{reason.zh}）。",
    ).join(_IN_PRINCIPLE, "", "")
    if facts.paid not in (PAID_YEAR, PAID_SEMESTER):
        answer = answer.join(_IF_PAID, "", "")
    return _until(answer, until, articles, steps, days=(until - today).days)
