"""Deadlines as dates, computed from the user's own dates.

Day counting follows the Civil Code (see ``knowledge.core``): the day of the event is not
counted (Art. 201) and a period in months ends on the corresponding date or the month's last
day (Art. 202). Rules that ask for action "one month before" a date are counted backwards
the same way, so a deadline never falls after the date it protects.

Every deadline function takes the day of the question (``today``, optional: without it the
bare rule is given). A deadline already past is said to be past, with what to do now, and is
``covered=False``: the sources do not say what follows a missed deadline, the office does.
Civil Code Art. 203 is stated, never applied: a period's last day on a weekend is named as
such, and the person is told to confirm it (no source gives a holiday calendar).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Final

from knowledge.answers import article, cite, national, not_addressed
from knowledge.core import (
    WEEKDAYS,
    Citation,
    Decision,
    Period,
    Step,
    Text,
    add_days,
    date_text,
    last_day_text,
    months_before,
    months_text,
    step_texts,
)
from knowledge.institutions import cpu, institution, jsnu, qjnu, westlake
from knowledge.national import (
    CIVIL_CODE,
    REGISTRATION,
    REGISTRATION_HOURS,
    REST_DAY_EXTENSION,
    X1_RESIDENCE_PERMIT,
    X1_RESIDENCE_PERMIT_DAYS,
)

RESIDENCE_PERMIT_APPLICATION: Final = "residence_permit_application"
TEMPORARY_REGISTRATION: Final = "temporary_registration"
EXTENSION_APPLICATION: Final = "extension_application"
STAY_PERMIT: Final = "stay_permit"
TRANSFER: Final = "transfer"
ZERO_ENTRY_TRAVEL: Final = "zero_entry_travel"
INTERNATIONAL_CONFERENCE: Final = "international_conference"
MEDICAL_EXAMINATION: Final = "medical_examination"
NEW_STUDENT_PAYMENT: Final = "payment_before_visa"

ENTRY: Final = "entry"
NEW_PASSPORT: Final = "new_passport"
ADDRESS_CHANGE: Final = "address_change"
REGISTRATION_EVENTS: Final = (ENTRY, NEW_PASSPORT, ADDRESS_CHANGE)

_DAY_COUNT: Final = national(CIVIL_CODE, "201")
_MONTH_COUNT: Final = national(CIVIL_CODE, "201", "202")

CPU_PAY_FIRST: Final = Step(
    Text("Pay at least one semester's fees and register first.",
         "先缴清至少一学期费用并完成注册。"),
    article(cpu.CODE, "5"),
)
JSNU_REGISTER_DETAILS: Final = Step(
    Text("Register your details in the WeChat mini program “International Student Service "
         "Assistant” and keep them up to date.",
         "在微信小程序“留学生服务小助手”完成信息注册并及时更新。"),
    article(jsnu.CODE, "3"),
)

_CPU_8: Final = article(cpu.CODE, "8")
CPU_STAY_PERMIT_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Write the application for suspension or withdrawal at least one month before the "
              "fee deadline.", "在缴费截止日期前至少一个月书面提交休学或退学申请。"), _CPU_8),
    Step(Text("Attach your flight information.", "原则上附上机票信息。"), _CPU_8),
    Step(Text("A stay permit can be granted only once during your studies.",
              "在学期间最多只能申请一次停留证件。"), article(cpu.CODE, "3")),
)

_JSNU_8: Final = article(jsnu.CODE, "8")
JSNU_ZERO_ENTRY_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Apply to your college one month before leaving; the university must approve.",
              "出境前一个月向所在学院申请，经学校同意。"), _JSNU_8),
    Step(Text("Get the certificate from the International College.",
              "领取国际学院出具的证明。"), _JSNU_8),
    Step(Text("Apply for a return visa at the Exit and Entry Administration Branch of Xuzhou "
              "Public Security Bureau.", "到徐州市公安局出入境管理支队办理往返签证。"), _JSNU_8),
    Step(Text("Come back within the visa's validity.", "在签证有效期内入境返校。"), _JSNU_8),
)


def _code(institution_code: str) -> str:
    return institution(institution_code).code


# ---------------------------------------------------------------- the day of the question


def _rest_day_note(last: date, forward: bool, office: Text) -> tuple[Text | None, bool]:
    """What to say about the weekday of a deadline, and whether Civil Code Art. 203 is cited.

    A period counted forward (30 days after entry) whose last day is a rest day ends on the
    next working day (Art. 203); a day counted back from a date ("one month before expiry")
    is a latest day to act, which a rest day cannot move later. No source gives the public
    holidays or the weekends China works instead, so the plain date is kept: always safe.
    """
    when = date_text(last)
    weekday = last.weekday()
    weekend = weekday >= 5
    name = WEEKDAYS[weekday]
    if forward and weekend:
        return Text(
            f" {when.en} is a {name.en}. Under Civil Code Art. 203 a period whose last day is a "
            "rest day ends on the next working day, but I have no calendar of public holidays "
            f"or of weekends worked instead: to be safe act by {when.en}, or confirm the date "
            f"with the {office.en}.",
            f"{when.zh}是{name.zh}。根据《民法典》第二百零三条，期间的最后一日是法定休假日的，以休假日"
            f"结束的次日为最后一日；但本助手没有法定节假日和调休安排的日历：稳妥起见请最迟于{when.zh}"
            f"（含当日）办理，或向{office.zh}确认日期。",
        ), True
    if forward:
        return Text(
            f" If {when.en} is a public holiday, Civil Code Art. 203 moves the last day to the "
            f"first working day after it; I have no holiday calendar, so confirm with the "
            f"{office.en}.",
            f"如{when.zh}为法定节假日，根据《民法典》第二百零三条，最后一日顺延至节假日结束的次日；本助手"
            f"没有节假日日历，请向{office.zh}确认。",
        ), True
    if weekend:
        return Text(
            f" {when.en} is a {name.en}: if the {office.en} does not work that day, act on the "
            "last working day before it.",
            f"{when.zh}是{name.zh}：如{office.zh}当天不办公，请在此前的最后一个工作日办理。",
        ), False
    return None, False


def _on(decision: Decision, code: str, today: date | None, forward: bool) -> Decision:
    """The deadline ``decision`` with its weekday, as of ``today``.

    ``forward``: the deadline ends a period counted from an event (Civil Code Art. 203 may
    extend it), rather than a latest day counted back from a date it protects.
    """
    last = decision.valid_until
    assert last is not None, "a deadline decision has a last day"
    note, cites_203 = _rest_day_note(last, forward, institution(code).office)
    if note is not None:
        decision = replace(decision, answer=decision.answer.join(note, "", ""))
    if cites_203:
        decision = replace(decision, citations=(*decision.citations, REST_DAY_EXTENSION.citation))
    return _as_of(decision, code, today)


def _as_of(decision: Decision, code: str, today: date | None) -> Decision:
    """The deadline ``decision`` as of ``today``: said to be today, or past and what to do."""
    last = decision.valid_until
    if today is None or last is None or today < last:
        return decision
    if today == last:
        return replace(decision, answer=decision.answer.join(
            Text(" That is today.", "即今天。"), "", ""))
    office, now = institution(code).office, date_text(today)
    passed = Text(
        f" That day has passed (today is {now.en}). The regulations do not say what follows a "
        f"missed deadline: contact the {office.en} now. I can open a request for you.",
        f"该日期已过（今天是{now.zh}）。规定未说明错过期限后如何处理：请立即联系{office.zh}，我可以为"
        "您提交申请。",
    )
    return replace(decision, covered=False, answer=decision.answer.join(passed, "", ""))


def _before_holidays(deadline: date, protected: date, holidays: Sequence[Period],
                     what: Text) -> tuple[date, Text | None]:
    """JSNU Art. 9: procedures are finished before the semester's holidays, not during them.

    A deadline inside a holiday moves to the day before it starts; a ``protected`` date (an
    expiry, a departure) inside a holiday keeps the deadline and says the procedures must be
    finished before the holiday starts. Returns the deadline and what to add to the answer.
    """
    holiday = next((period for period in holidays if deadline in period), None)
    if holiday is not None:
        first, last = date_text(holiday.first), date_text(holiday.last)
        moved = holiday.first - timedelta(days=1)
        by = last_day_text(moved)
        return moved, Text(
            f" That falls in the holidays ({first.en} to {last.en}), when procedures are "
            f"generally not handled: finish them before the holidays start, {by.en}.",
            f"该日期处于假期（{first.zh}至{last.zh}），假期一般不予办理：须在假期开始前办理完毕，即"
            f"{by.zh}。",
        )
    holiday = next((period for period in holidays if protected in period), None)
    if holiday is not None:
        first, last = date_text(holiday.first), date_text(holiday.last)
        return deadline, Text(
            f" {what.en} falls in the holidays ({first.en} to {last.en}), when procedures are "
            f"generally not handled: finish the procedures before the holidays start on "
            f"{first.en}.",
            f"{what.zh}处于假期（{first.zh}至{last.zh}），假期一般不予办理：须在假期开始（{first.zh}）前"
            "办理完毕相关手续。",
        )
    return deadline, None


_HOLIDAYS_UNKNOWN: Final = Text(
    "At the end of a semester, finish visa, residence permit and re-entry procedures before "
    "the holidays begin: they are generally not handled during the holidays. Check this "
    "semester's holiday dates with the International College.",
    "学期结束时，签证、居留许可及再入境手续须在假期前办理完毕，假期一般不予办理。本学期假期日期请向"
    "国际学院确认。",
)


# ---------------------------------------------------------------- the deadlines


def residence_permit_application_deadline(institution_code: str, entry_date: date,
                                          today: date | None = None) -> Decision:
    """Last day to apply for a residence permit after entering on a visa that requires one.

    National law (Exit and Entry Administration Law Art. 30): within 30 days of entry,
    repeated for X1 students by CPU Art. 2 and JSNU Art. 1–2. The entry day is not counted.
    Westlake's and Qujing's documents are staff pages: their people are not told the student
    X1 rule but the national one, with what their office does.
    """
    code = _code(institution_code)
    deadline = add_days(entry_date, X1_RESIDENCE_PERMIT_DAYS)
    entered, by = date_text(entry_date), last_day_text(deadline)
    if code in (cpu.CODE, jsnu.CODE):
        answer = Text(
            f"You entered on {entered.en} with an X1 visa, which is valid for 30 days after "
            f"entry: apply for your residence permit {by.en} (the day of entry is not counted).",
            f"您于{entered.zh}持X1签证入境，签证入境后30天有效：须{by.zh}申请居留许可（入境当日不计入）。",
        )
    else:
        answer = _staff_office(code).join(Text(
            f"If your visa says a residence permit is needed after entry, national law gives you "
            f"30 days from your entry on {entered.en}: apply {by.en} (the day of entry is not "
            "counted).",
            f"如您的签证注明入境后需办理居留证件，国家规定自入境之日（{entered.zh}）起三十日内申请："
            f"须{by.zh}申请（入境当日不计入）。",
        ), zh_sep="")
    citations: tuple[Citation, ...] = (X1_RESIDENCE_PERMIT.citation, *_DAY_COUNT)
    steps: tuple[Text, ...] = ()
    if code == cpu.CODE:
        citations = cite(code, "2", "5") + citations
        steps = (
            CPU_PAY_FIRST.text,
            Text("Get the Letter of Immigration from the School of International Education and "
                 "apply at the exit-entry authority.",
                 "到国际教育学院开具居留许可介绍信，再到出入境管理部门申请。"),
        )
    elif code == jsnu.CODE:
        citations = cite(code, "1", "2", "3", "11") + citations
        steps = (
            JSNU_REGISTER_DETAILS.text,
            Text("Prepare the documents of Art. 11, including the health certificate.",
                 "准备第十一条所列材料（含健康证明）。"),
            Text("Apply at the Exit and Entry Administration Branch of Xuzhou Public Security "
                 "Bureau before the visa expires.",
                 "在签证到期前向徐州市公安局出入境管理支队申请。"),
        )
    elif code == westlake.CODE:
        citations = (westlake.cite(westlake.Q_WORK_PERMIT), *citations)
    else:
        citations = cite(code, "3") + citations
    decision = Decision(RESIDENCE_PERMIT_APPLICATION, True, answer, citations, steps,
                        valid_until=deadline, days=X1_RESIDENCE_PERMIT_DAYS)
    return _on(decision, code, today, forward=True)


def _staff_office(code: str) -> Text:
    """What Westlake's portal or Qujing's page says about permits after arrival."""
    if code == westlake.CODE:
        return Text(
            "At Westlake University the Office of International Affairs helps full-time foreign "
            "employees and their families with the work and residence permit after arrival.",
            "西湖大学国际事务办公室为全职外籍员工及其家属办理入境后的工作和居留许可提供协助。",
        )
    return Text(
        "At Qujing Normal University the International Exchange and Cooperation Office "
        "processes work and residence permits for foreign experts (responsibility 3); its page "
        "says nothing about students' permits.",
        "曲靖师范学院国际交流与合作处负责为外国专家办理工作许可和居留许可（职责第三项）；其页面未涉及学生"
        "的居留许可。",
    )


def _moment_text(at: datetime | date) -> Text:
    if isinstance(at, datetime):
        return Text(f"{at:%H:%M} on {date_text(at.date()).en}",
                    f"{date_text(at.date()).zh}{at:%H:%M}")
    return date_text(at)


def _registration_by(at: datetime | date) -> tuple[date, Text]:
    """End of the 24 hours after ``at``; with only a date, the same time of day next day."""
    if isinstance(at, datetime):
        end = at + timedelta(hours=REGISTRATION_HOURS)
        return end.date(), _moment_text(end)
    end_day = at + timedelta(days=1)
    day = date_text(end_day)
    return end_day, Text(f"the same time of day on {day.en}", f"{day.zh}的同一时刻")


_EVENT_TEXT: Final = {
    ENTRY: Text("each entry into China", "每次入境"),
    NEW_PASSPORT: Text("receiving a new passport", "更换护照"),
    ADDRESS_CHANGE: Text("changing your address in China", "变更在华住址"),
}
# National law counts from moving in (Art. 39), not from crossing the border.
_MOVING_IN_TEXT: Final = {
    ENTRY: Text("moving into your accommodation after entering China", "入境后入住住所"),
    ADDRESS_CHANGE: Text("moving to your new address", "迁入新住址"),
}


def registration_deadline(institution_code: str, event: str, at: datetime | date,
                          today: date | None = None) -> Decision:
    """When temporary residence registration is due: 24 hours after ``event`` at ``at``.

    CPU Art. 4 (each entry into China, a new passport, a change of address); JSNU Art. 3
    (students living off campus who change address, in the WeChat mini program); national
    law (Exit and Entry Administration Law Art. 39: 24 hours after moving in) for everyone
    else. The 24 hours are counted in hours, so Civil Code Art. 203 does not extend them.
    """
    if event not in REGISTRATION_EVENTS:
        raise ValueError(f"event must be one of {REGISTRATION_EVENTS}")
    code = _code(institution_code)
    if event == NEW_PASSPORT and code != cpu.CODE:
        return _new_passport_registration(code)
    end_day, end_text = _registration_by(at)
    when = _moment_text(at)
    what = _EVENT_TEXT[event] if code == cpu.CODE else _MOVING_IN_TEXT[event]
    answer = Text(
        f"Register your temporary residence within 24 hours of {what.en} ({when.en}): by "
        f"{end_text.en} at the latest.",
        f"须在{what.zh}后24小时内（{when.zh}起）办理临时住宿登记：最迟于{end_text.zh}。",
    )
    citations: tuple[Citation, ...] = (REGISTRATION.citation,)
    steps: tuple[Text, ...] = (
        Text("If you stay in a hotel, the hotel registers you.",
             "住宿旅馆的，由旅馆为您办理登记。"),
    )
    if code == cpu.CODE:
        citations = (*cite(code, "4"), *citations)
        steps = (
            Text("Register with the Nanjing police.", "向南京公安申报临时住宿登记。"),
            Text("If registration fails, tell the School of International Education at once.",
                 "如申报失败，及时联系国际教育学院。"),
        )
    elif code == jsnu.CODE:
        citations = (*cite(code, "3"), *citations)
        if event == ADDRESS_CHANGE:
            answer = answer.join(JSNU_OFF_CAMPUS, zh_sep="")
        steps = (
            Text("Register in the WeChat mini program “International Student Service "
                 "Assistant”.", "在微信小程序“留学生服务小助手”中申报住宿登记。"),
            Text("Without this registration you cannot collect the documents for extending "
                 "your residence permit.", "未完成住宿登记的，无法领取延长居留许可的材料。"),
        )
    return _as_of(Decision(TEMPORARY_REGISTRATION, True, answer, citations, steps,
                           valid_until=end_day), code, today)


JSNU_OFF_CAMPUS: Final = Text(
    "Jiangsu Normal University sets this for students living off campus, who re-register "
    "their accommodation in the WeChat mini program within 24 hours of the change (Art. 3); "
    "for students living on campus its regulations set no time limit.",
    "江苏师范大学对住在校外的学生作此规定：变更住址后24小时内在微信小程序中重新申报住宿登记（第三条）；"
    "住在校内的学生，该校规定未设时限。",
)


def _new_passport_registration(code: str) -> Decision:
    if code != jsnu.CODE:
        return not_addressed(
            TEMPORARY_REGISTRATION, code,
            Text("registering again after getting a new passport", "更换护照后的住宿登记"),
            cite(cpu.CODE, "4"),
        )
    return Decision(TEMPORARY_REGISTRATION, False, Text(
        "Jiangsu Normal University asks you to update your data in the WeChat mini program "
        "“International Student Service Assistant” promptly after a new passport (Art. 3) and "
        "to register your accommodation again (Art. 13), but it sets no hour limit, so I "
        "cannot give you an exact deadline. Do it as soon as possible; I can open a request "
        "with the International College to confirm.",
        "江苏师范大学要求换发护照后及时在微信小程序“留学生服务小助手”更新信息（第三条）并重新申报"
        "住宿登记（第十三条），但未规定具体时限，因此无法给出确切截止时间。请尽快办理；我可以为您"
        "向国际学院提交咨询申请以确认。",
    ), cite(code, "3", "13"))


_EXTENSION_MONTHS: Final[Mapping[str, int]] = MappingProxyType(
    {cpu.CODE: cpu.EXTENSION_MONTHS_BEFORE, jsnu.CODE: jsnu.EXTENSION_MONTHS_BEFORE})
EXTENSION_RULES: Final[Mapping[str, Step]] = MappingProxyType({
    cpu.CODE: Step(Text(f"apply {months_text(cpu.EXTENSION_MONTHS_BEFORE).en} in advance",
                        f"需提前{months_text(cpu.EXTENSION_MONTHS_BEFORE).zh}申请"),
                   article(cpu.CODE, "9")),
    jsnu.CODE: Step(Text(f"apply at least {months_text(jsnu.EXTENSION_MONTHS_BEFORE).en} ahead "
                         "and before the holidays",
                         f"至少提前{months_text(jsnu.EXTENSION_MONTHS_BEFORE).zh}、并在假期前申请"),
                    article(jsnu.CODE, "9")),
})
"""The universities whose regulations date an extension application, each rule in a few
words with its article, for a line that cites it (a reminder of the deadline);
``extension_application_deadline`` applies it and says it in full."""


def extension_application_deadline(
    institution_code: str,
    permit_expiry: date,
    today: date | None = None,
    holidays: Sequence[Period] = (),
) -> Decision:
    """Last day to ask the office for a residence-permit extension: one month before expiry.

    CPU Art. 9; JSNU Art. 9, which also requires procedures to be finished before the
    semester's holidays (nothing is processed during them): ``holidays`` are those the office
    configured (``SEMESTER_HOLIDAYS``). A deadline falling in one moves to the day before
    it starts; a permit expiring in one must be dealt with before it starts.
    """
    code = _code(institution_code)
    rule = EXTENSION_RULES.get(code)
    if rule is None:
        return not_addressed(
            EXTENSION_APPLICATION, code,
            Text("when to apply for a residence-permit extension", "居留许可延期的申请时间"),
            tuple(step.citation for step in EXTENSION_RULES.values()),
        )
    office = institution(code).office
    months = _EXTENSION_MONTHS[code]
    deadline = months_before(permit_expiry, months)
    expiry, by, ahead = date_text(permit_expiry), last_day_text(deadline), months_text(months)
    answer = Text(
        f"Your permit expires on {expiry.en}. Apply to the {office.en} for the extension at "
        f"least {ahead.en} ahead, {by.en}.",
        f"您的居留许可于{expiry.zh}到期，须至少提前{ahead.zh}、{by.zh}向{office.zh}申请延期。",
    )
    steps: tuple[Text, ...] = (
        Text("Watch the expiry dates of your passport, visa and residence permit.",
             "密切关注护照、签证和居留许可的有效期。"),
    )
    if code == jsnu.CODE:
        deadline, holiday_note = _before_holidays(
            deadline, permit_expiry, holidays,
            Text(f"Your permit's expiry on {expiry.en}", f"您的居留许可到期日（{expiry.zh}）"))
        if holiday_note is not None:
            answer = answer.join(holiday_note, "", "")
        elif not holidays:
            steps = (*steps, _HOLIDAYS_UNKNOWN)
    decision = Decision(EXTENSION_APPLICATION, True, answer, (rule.citation, *_MONTH_COUNT),
                        steps, valid_until=deadline)
    return _on(decision, code, today, forward=False)


def stay_permit_request_deadline(institution_code: str, fee_due: date,
                                 today: date | None = None) -> Decision:
    """Last day to apply for suspension or withdrawal (and a stay permit): CPU Art. 8.

    One month before the fee deadline. The stay permit lasts at most one month and may be
    granted once during the whole study period (Art. 3).
    """
    code = _code(institution_code)
    if code == jsnu.CODE:
        return Decision(STAY_PERMIT, False, Text(
            "Jiangsu Normal University Art. 15 says students who withdraw, suspend their "
            "studies or are dismissed change their residence permit to a short-term stay permit "
            "and leave within the time limit, but it sets no date for applying. I can open a "
            "request with the International College.",
            "江苏师范大学第十五条规定，退学、休学或被开除的学生须将居留许可换发为短期停留证件并限期"
            "离境，但未规定申请时间。我可以为您向国际学院提交咨询申请。",
        ), cite(code, "15"))
    if code != cpu.CODE:
        return not_addressed(STAY_PERMIT, code,
                             Text("stay permits before leaving your studies",
                                  "离校前的停留证件"),
                             cite(cpu.CODE, "8") + cite(jsnu.CODE, "15"))
    deadline = months_before(fee_due, cpu.STAY_PERMIT_REQUEST_MONTHS_BEFORE)
    due, by = date_text(fee_due), last_day_text(deadline)
    return _on(Decision(STAY_PERMIT, True, Text(
        f"If you cannot pay the fees due on {due.en}, submit a written application for "
        f"suspension or withdrawal to the School of International Education {by.en} (at "
        "least one month before). If approved, you get a stay permit of at most one month to "
        "leave the university and go home.",
        f"如无法在{due.zh}缴费截止日前缴费，须至少提前一个月、{by.zh}向国际教育学院提交书面休学"
        "或退学申请；经同意后签发最长不超过一个月的停留证件，以便办理离校手续并回国。",
    ), cite(code, "8", "3") + _MONTH_COUNT, step_texts(CPU_STAY_PERMIT_STEPS),
        valid_until=deadline), code, today, forward=False)


def transfer_deadline(institution_code: str, arrival: date,
                      today: date | None = None) -> Decision:
    """Residence-permit change after transferring in: within 10 days of arrival (JSNU Art. 6)."""
    code = _code(institution_code)
    if code != jsnu.CODE:
        return not_addressed(TRANSFER, code,
                             Text("transfers from another university", "从其他学校转入"),
                             cite(jsnu.CODE, "6"))
    deadline = add_days(arrival, jsnu.TRANSFER_DAYS)
    came, by = date_text(arrival), last_day_text(deadline)
    return _on(Decision(TRANSFER, True, Text(
        f"You arrived on {came.en}: change your residence permit at the Exit and Entry "
        f"Administration Branch of Xuzhou Public Security Bureau {by.en} (within 10 days; "
        "the arrival day is not counted).",
        f"您于{came.zh}到校：须在10日内（到校当日不计入），即{by.zh}，到徐州市公安局出入境管理支队"
        "办理居留许可变更手续。",
    ), cite(code, "6") + _DAY_COUNT, valid_until=deadline, days=jsnu.TRANSFER_DAYS),
        code, today, forward=True)


def zero_entry_travel_deadline(institution_code: str, departure: date,
                               today: date | None = None,
                               holidays: Sequence[Period] = ()) -> Decision:
    """Students on a zero-entry X visa leaving China apply one month before (JSNU Art. 8).

    Re-entry procedures, like extensions, are finished before the semester's holidays
    (JSNU Art. 9): ``holidays`` as in ``extension_application_deadline``.
    """
    code = _code(institution_code)
    if code != jsnu.CODE:
        return not_addressed(ZERO_ENTRY_TRAVEL, code,
                             Text("travelling abroad on a zero-entry X visa",
                                  "持X字零次签证出境"),
                             cite(jsnu.CODE, "8"))
    deadline = months_before(departure, jsnu.ZERO_ENTRY_TRAVEL_MONTHS_BEFORE)
    leave, by = date_text(departure), last_day_text(deadline)
    answer = Text(
        f"You plan to leave on {leave.en} on a zero-entry X visa: apply to your college "
        f"{by.en} (one month before leaving).",
        f"您持X字零次签证，计划于{leave.zh}出境：须在出境前一个月，即{by.zh}，向所在学院申请。",
    )
    deadline, holiday_note = _before_holidays(
        deadline, departure, holidays,
        Text(f"Your departure on {leave.en}", f"您的出境日期（{leave.zh}）"))
    citations = cite(code, "8") + _MONTH_COUNT
    if holiday_note is not None:
        answer = answer.join(holiday_note, "", "")
        citations = cite(code, "8", "9") + _MONTH_COUNT
    return _on(Decision(ZERO_ENTRY_TRAVEL, True, answer, citations,
                        step_texts(JSNU_ZERO_ENTRY_STEPS), valid_until=deadline),
               code, today, forward=False)


def conference_contact_deadline(institution_code: str, announcement: date,
                                today: date | None = None) -> Decision:
    """Contact the office 2–3 months before a conference is announced (Westlake portal)."""
    code = _code(institution_code)
    if code == qjnu.CODE:
        return Decision(INTERNATIONAL_CONFERENCE, False, Text(
            "At Qujing Normal University the International Exchange and Cooperation Office "
            "organises international conferences (responsibility 7), but its page gives no lead "
            "time, so I cannot give you a date. I can open a request with the office.",
            "曲靖师范学院国际交流与合作处负责组织国际会议（职责第七项），但其页面未规定提前时间，因此"
            "无法给出日期。我可以为您向该处提交咨询申请。",
        ), cite(code, "7"))
    if code != westlake.CODE:
        return not_addressed(INTERNATIONAL_CONFERENCE, code,
                             Text("hosting international conferences", "举办国际会议"),
                             (westlake.cite(westlake.Q_CONFERENCE),))
    latest = months_before(announcement, westlake.CONFERENCE_MONTHS_BEFORE_LATEST)
    earliest = months_before(announcement, westlake.CONFERENCE_MONTHS_BEFORE_EARLIEST)
    ann, early, late = date_text(announcement), date_text(earliest), last_day_text(latest)
    return _on(Decision(INTERNATIONAL_CONFERENCE, True, Text(
        f"You plan to announce the conference on {ann.en}: contact the Office of International "
        f"Affairs two to three months before, that is by {early.en} if you can and "
        f"{late.en}.",
        f"会议计划于{ann.zh}公开发布：须提前两到三个月联系国际事务办公室，最好在{early.zh}（含当日）"
        f"之前，{late.zh}。",
    ), (westlake.cite(westlake.Q_CONFERENCE), *_MONTH_COUNT), (
        Text("Contact the Office of International Affairs.", "联系国际事务办公室。"),
        Text("The Office files the required documents with the authorities according to the "
             "conference's scope and size.",
             "办公室根据会议规模和范围协助向相关主管部门报备材料。"),
    ), valid_until=latest), code, today, forward=False)


def medical_examination_deadline(institution_code: str, permit_expiry: date,
                                 today: date | None = None) -> Decision:
    """The yearly medical examination comes before the permit application (JSNU Art. 11(6)).

    The application itself is due one month before expiry (Art. 9), so the health
    certificate must be ready by then.
    """
    code = _code(institution_code)
    if code != jsnu.CODE:
        return not_addressed(MEDICAL_EXAMINATION, code,
                             Text("a yearly medical examination", "每学年的体检"),
                             cite(jsnu.CODE, "11"))
    deadline = months_before(permit_expiry, jsnu.EXTENSION_MONTHS_BEFORE)
    expiry, by = date_text(permit_expiry), last_day_text(deadline)
    issuer = jsnu.HEALTH_CERTIFICATE_ISSUER
    return _on(Decision(MEDICAL_EXAMINATION, True, Text(
        f"Your permit expires on {expiry.en}. Have this academic year's medical examination "
        f"and get the health certificate from the {issuer.en} before you apply for the "
        f"extension, which is due {by.en}.",
        f"您的居留许可于{expiry.zh}到期。须在申请延期前完成本学年体检并取得{issuer.zh}出具的健康证明，"
        f"延期申请须{by.zh}提出。",
    ), cite(code, "11", "9") + _MONTH_COUNT, valid_until=deadline), code, today, forward=False)


def new_student_payment_deadline(institution_code: str, arrival: date,
                                 today: date | None = None) -> Decision:
    """New students pay at least a semester within 30 days of entry (CPU Art. 6(1)(3))."""
    code = _code(institution_code)
    if code != cpu.CODE:
        return not_addressed(NEW_STUDENT_PAYMENT, code,
                             Text("a payment deadline for new students", "新生缴费期限"),
                             cite(cpu.CODE, "6(1)(3)"))
    deadline = add_days(arrival, cpu.NEW_STUDENT_PAYMENT_DAYS)
    came, by = date_text(arrival), last_day_text(deadline)
    return _on(Decision(NEW_STUDENT_PAYMENT, True, Text(
        f"You entered China on {came.en}: pay at least one semester's fees {by.en} (30 days "
        "after entry), or the School of International Education gives no visa extension.",
        f"您于{came.zh}入境：须在入境后30天内，即{by.zh}，缴满至少一学期费用，否则国际教育学院"
        "不给予签证延期。",
    ), cite(code, "6(1)(3)", "5") + _DAY_COUNT, valid_until=deadline,
        days=cpu.NEW_STUDENT_PAYMENT_DAYS), code, today, forward=True)
