"""Which visa or permit: X1 or X2, and what happens to a permit when studies end or stall.

CPU Art. 2, 7, 10; JSNU Art. 1, 4, 15; national: Entry and Exit Regulations Art. 6.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from knowledge.answers import cite, not_addressed
from knowledge.core import Citation, Decision, Text, date_text
from knowledge.institutions import cpu, institution, jsnu
from knowledge.national import LONG_TERM_STUDY_ABOVE_DAYS, STUDY_VISA_TYPES

VISA_TYPES: Final = "visa_types"
AUTOMATIC_WITHDRAWAL: Final = "automatic_withdrawal"
PERMIT_CANCELLATION: Final = "permit_cancellation"

X1: Final = "X1"
X2: Final = "X2"

GRADUATION: Final = "graduation"  # graduation or completion of the programme
WITHDRAWAL: Final = "withdrawal"
SUSPENSION: Final = "suspension"
DISMISSAL: Final = "dismissal"
STUDY_END_EVENTS: Final = (GRADUATION, WITHDRAWAL, SUSPENSION, DISMISSAL)


def study_visa_type(planned_days: int) -> str:
    """ "X1" for study longer than 180 days, otherwise "X2".

    Exactly 180 days is short-term: national law sets X2 for "not more than 180 days" and
    CPU Art. 2 (Chinese text, followed) requires X1 only for study "longer than 180 days".
    """
    if planned_days < 1:
        raise ValueError("planned_days must be at least 1")
    return X1 if planned_days > LONG_TERM_STUDY_ABOVE_DAYS else X2


def visa_for_stay(institution_code: str, planned_days: int) -> Decision:
    """The study visa to apply for, given the planned length of study in China."""
    code = institution(institution_code).code
    visa = study_visa_type(planned_days)
    if visa == X1:
        answer = Text(
            f"For {planned_days} days of study (more than 180), enter with an X1 visa. It is "
            "valid for 30 days after entry, during which you apply for a residence permit.",
            f"学习{planned_days}天（超过180天）须持X1签证入境。X1签证入境后30天有效，须在此期间申请"
            "居留许可。",
        )
    else:
        answer = Text(
            f"For {planned_days} days of study (180 or fewer), apply for an X2 visa; the "
            "embassy or consulate sets its validity, length of stay and number of entries.",
            f"学习{planned_days}天（不超过180天）申请X2签证；其入境有效期、停留期限和入境次数由中国"
            "驻外使领馆确定。",
        )
    citations: tuple[Citation, ...] = (STUDY_VISA_TYPES.citation,)
    steps: tuple[Text, ...] = ()
    if code == cpu.CODE:
        citations = cite(code, "2") + citations
        if visa == X1:
            steps = (Text(
                "Do not enter on another visa: it cannot be extended or changed and you would "
                "have to leave China.",
                "不要持其他签证入境：其他签证不得延期或变更，须限期回国。"),)
    elif code == jsnu.CODE:
        citations = cite(code, "1", "2") + citations
        # Art. 2 also answers a student already in China on an X2 visa who now stays longer:
        # not a new X1, but further study and a residence permit.
        steps = (Text(
            "Already in China on an X2 visa: to continue after the original study period, "
            "apply to the university in advance for further study and, before the X2 visa "
            "expires, for a residence permit at the Exit and Entry Administration Branch of "
            "Xuzhou Public Security Bureau.",
            "已持X2签证在华的：如原定学习期限结束后需继续学习，应提前向学校申请续读，并在X2签证到期前"
            "向徐州市公安局出入境管理支队申请居留许可。"),)
    return Decision(VISA_TYPES, True, answer, citations, steps)


def automatic_withdrawal(
    institution_code: str, permit_expiry: date, paid: bool, withdrawal_applied: bool,
    today: date,
) -> Decision:
    """Whether a student who has not paid is withdrawn automatically (CPU Art. 7).

    CPU: a student who, on the day the visa or permit expires, has still neither paid nor
    applied for withdrawal is withdrawn by default, so on that day itself the student can
    still pay; withdrawal follows from the next day. JSNU's regulations are silent on
    automatic withdrawal (Art. 15's 自动退学 is a student's own withdrawal): not covered,
    with what Art. 4 does say (the International College may cancel the permit of students
    who do not pay on time).
    """
    code = institution(institution_code).code
    expiry = date_text(permit_expiry)
    if code == jsnu.CODE:
        return JSNU_NO_AUTOMATIC_WITHDRAWAL
    if code != cpu.CODE:
        return not_addressed(AUTOMATIC_WITHDRAWAL, code,
                             Text("automatic withdrawal for unpaid fees", "未缴费自动退学"),
                             cite(cpu.CODE, "7") + cite(jsnu.CODE, "4"))
    if paid or withdrawal_applied:
        done = Text("paid", "已缴费") if paid else Text("applied for withdrawal", "已提交退学申请")
        return Decision(AUTOMATIC_WITHDRAWAL, True, Text(
            f"You have {done.en}, so Article 7's automatic withdrawal does not apply to you.",
            f"您{done.zh}，不适用第七条的自动退学。",
        ), cite(code, "7"))
    if today == permit_expiry:
        return Decision(AUTOMATIC_WITHDRAWAL, True, Text(
            f"Today, {expiry.en}, is the day your visa or residence permit expires: you can "
            "still pay or apply for withdrawal today. If by the end of today you have done "
            "neither, you will be withdrawn automatically.",
            f"今天（{expiry.zh}）是您的签证/居留许可到期日：今天仍可缴清费用或提交退学申请。如到今天结束"
            "时两者均未办理，将默认作自动退学处理。",
        ), cite(code, "7"), (
            Text("Pay the fees today, or", "今天缴清费用，或"),
            Text("apply in writing for suspension or withdrawal today.",
                 "今天书面提交休学或退学申请。"),
        ), valid_until=permit_expiry)
    if today < permit_expiry:
        return Decision(AUTOMATIC_WITHDRAWAL, True, Text(
            f"If by {expiry.en}, the day your visa or residence permit expires, you have "
            "neither paid nor applied for withdrawal, you will be withdrawn automatically.",
            f"如到{expiry.zh}（签证/居留许可到期当天）仍未缴清费用、也未提交退学申请，将默认作自动退学"
            "处理。",
        ), cite(code, "7", "8"), (
            Text("Pay the fees before that day, or", "在该日前缴清费用，或"),
            Text("apply in writing for suspension or withdrawal, at least one month before the "
                 "fee deadline if you need a stay permit (Art. 8).",
                 "书面提交休学或退学申请；如需停留证件，须在缴费截止日前至少一个月提出（第八条）。"),
        ), valid_until=permit_expiry)
    return Decision(AUTOMATIC_WITHDRAWAL, True, Text(
        f"Your visa or residence permit expired on {expiry.en} without payment or a "
        "withdrawal application, so you are withdrawn automatically by default.",
        f"您的签证/居留许可已于{expiry.zh}到期，到期当天仍未缴费也未提交退学申请，默认作自动退学处理。",
    ), cite(code, "7"), valid_until=permit_expiry)


JSNU_NO_AUTOMATIC_WITHDRAWAL: Final = Decision(AUTOMATIC_WITHDRAWAL, False, Text(
    "Jiangsu Normal University's regulations do not say that a student who has not paid is "
    "withdrawn automatically (Article 15 speaks only of students who withdraw of their own "
    "accord), so I cannot tell you what happens on the day your permit expires. Article 4 "
    "says that the International College may cancel the visa or residence permit of students "
    "who do not pay tuition, accommodation and insurance on time, and that the student bears "
    "the consequences. Please ask the International College; I can open a request for you.",
    "江苏师范大学的规定没有未缴费即作自动退学处理的规定（第十五条所说的“自动退学”指学生主动退学），"
    "因此无法告诉您居留许可到期当天会如何处理。第四条规定：不能按期缴清学费、住宿费、保险费的，国际"
    "学院有权注销其签证或居留许可，后果由学生本人承担。请咨询国际学院，我可以为您提交咨询申请。",
), cite(jsnu.CODE, "4", "15"))


def permit_after_studies(institution_code: str, event: str,
                         leaving_date: date | None = None) -> Decision:
    """What happens to the visa or permit on graduation, withdrawal, suspension or dismissal.

    CPU Art. 10: no extension after graduation; cancelled from the day the student leaves.
    JSNU Art. 15: withdrawal, suspension or dismissal: change to a short-term stay permit and
    leave; JSNU says nothing specific about graduation (Art. 9: leave before expiry).
    """
    if event not in STUDY_END_EVENTS:
        raise ValueError(f"event must be one of {STUDY_END_EVENTS}")
    code = institution(institution_code).code
    if code == cpu.CODE:
        return _cpu_cancellation(event, leaving_date)
    if code == jsnu.CODE:
        return _jsnu_study_end(event)
    return not_addressed(PERMIT_CANCELLATION, code,
                         Text("what happens to a student's permit when studies end",
                              "学业结束后学生证件的处理"),
                         cite(cpu.CODE, "10") + cite(jsnu.CODE, "15"))


_EVENT_NAMES: Final = {
    GRADUATION: Text("graduation or completion", "毕业/结业"),
    WITHDRAWAL: Text("withdrawal", "退学"),
    SUSPENSION: Text("suspension of studies", "休学"),
    DISMISSAL: Text("dismissal", "开除"),
}


def _cpu_cancellation(event: str, leaving_date: date | None) -> Decision:
    name = _EVENT_NAMES[event]
    when = (Text(f"from {date_text(leaving_date).en}", f"自{date_text(leaving_date).zh}起")
            if leaving_date else Text("from the day you leave the university", "自离校日期起"))
    answer = Text(
        f"On {name.en}, your visa or residence permit is cancelled {when.en}.",
        f"{name.zh}的，签证/居留许可{when.zh}注销。",
    )
    if event == GRADUATION:
        answer = answer.join(Text(
            "The School of International Education gives no further extension after you "
            "graduate.", "正常毕业/结业后，国际教育学院不再给予签证延期。"), zh_sep="")
    return Decision(PERMIT_CANCELLATION, True, answer, cite(cpu.CODE, "10"),
                    valid_until=leaving_date)


def _jsnu_study_end(event: str) -> Decision:
    if event == GRADUATION:
        return Decision(PERMIT_CANCELLATION, False, Text(
            "Jiangsu Normal University's regulations say nothing specific about the permit after "
            "graduation; Art. 9 only says you must leave China before your residence permit "
            "expires. I can open a request with the International College.",
            "江苏师范大学的规定未专门说明毕业后的居留许可处理；第九条仅规定须在居留许可到期前离境。"
            "我可以为您向国际学院提交咨询申请。",
        ), cite(jsnu.CODE, "9"))
    name = _EVENT_NAMES[event]
    return Decision(PERMIT_CANCELLATION, True, Text(
        f"After {name.en}, change your residence permit to a short-term stay permit and leave "
        "China within the time limit; otherwise the International College cancels your visa "
        "or residence permit and you bear the consequences.",
        f"{name.zh}的，须将居留许可换发为短期停留证件并限期离境；不予配合的，国际学院将取消其签证或"
        "居留许可，后果自负。",
    ), cite(jsnu.CODE, "15"))
