"""Staff procedures: Westlake University's portal and Qujing Normal University's office remit.

``visiting_scholar_stay`` applies Westlake's 15-days-to-one-year definition;
``who_handles`` finds which of Qujing's ten responsibilities (or which Westlake portal
answer) covers a question such as "who handles Hong Kong, Macao and Taiwan exchanges?".
The answers without inputs live in ``knowledge.faq``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from knowledge.answers import cite, not_addressed
from knowledge.core import Decision, Text, add_months, chinese_number, date_text
from knowledge.durations import StayLength
from knowledge.institutions import institution, qjnu, westlake

VISITING_SCHOLAR: Final = "invite_visiting_scholar"
SHORT_TERM_VISITOR: Final = "invite_short_term_visitor"
WHO_HANDLES: Final = "office_responsibilities"


def _not_westlake(code: str) -> Decision:
    return not_addressed(VISITING_SCHOLAR, code,
                         Text("inviting visiting scholars", "邀请国际访问学者"),
                         (westlake.cite(westlake.Q_VISITING_SCHOLARS),))


def _too_short(stay: Text, days: int | None = None) -> Decision:
    """A stay below the visiting-scholar minimum: the short-term invitee procedure."""
    return Decision(SHORT_TERM_VISITOR, True, Text(
        f"A stay of {stay.en} is shorter than the visiting-scholar minimum of 15 days: "
        "invite the guest as a short-term international invitee. File the application for "
        "approval in the Online Service Hall; the Office of International Affairs then helps "
        "with a visa that matches the purpose of the visit.",
        f"{stay.zh}的访问短于访问学者最短15天的要求，请按短期来访国际人员邀请：在网上办事大厅提交"
        "审批申请，国际事务办公室随后协助办理与来访目的相符的签证。",
    ), (westlake.cite(westlake.Q_SHORT_TERM_INVITEES),
        westlake.cite(westlake.Q_VISITING_SCHOLARS)), days=days)


def _too_long(stay: Text, days: int | None = None) -> Decision:
    """A stay beyond one year: the portal says nothing of it."""
    return Decision(VISITING_SCHOLAR, False, Text(
        f"{stay.en} is longer than one year; Westlake's visiting-scholar procedure covers 15 "
        "days to one year and the portal does not say what applies beyond that. I can open a "
        "request with the Office of International Affairs.",
        f"{stay.zh}超过一年；西湖大学访问学者程序适用于15天至一年，门户未说明超过一年的情形。"
        "我可以为您向国际事务办公室提交咨询申请。",
    ), (westlake.cite(westlake.Q_VISITING_SCHOLARS),), days=days)


def _fits(stay: Text, valid_until: date | None = None, days: int | None = None) -> Decision:
    return Decision(VISITING_SCHOLAR, True, Text(
        f"A stay of {stay.en} fits the visiting-scholar procedure (15 days to one year). Say "
        "whether the guest is Category A (professor) or Category B (scholar), file the "
        "application for approval in the Online Service Hall, and the Office of International "
        "Affairs helps with the paperwork; the guest needs the right visa before arrival.",
        f"{stay.zh}的访问符合访问学者程序（15天至一年）。请注明A类（教授）或B类（学者），在网上"
        "办事大厅提交审批申请，国际事务办公室随后协助准备材料；访问学者须在来华前办理相应签证。",
    ), (westlake.cite(westlake.Q_VISITING_SCHOLARS),), valid_until=valid_until, days=days)


def visiting_scholar_stay(institution_code: str, arrival: date, departure: date) -> Decision:
    """Whether a stay fits Westlake's visiting-scholar procedure: 15 days to one year.

    The portal's heading says "more than 15 days" but its text says "a minimum of 15 days";
    the text is the definition, so exactly 15 days qualifies. One year ends on the same date
    a year after arrival (Civil Code Art. 202). Shorter stays use the short-term invitee
    procedure; longer ones are not covered.
    """
    code = institution(institution_code).code
    if code != westlake.CODE:
        return _not_westlake(code)
    if departure <= arrival:
        raise ValueError("departure must be after arrival")
    days = (departure - arrival).days
    limit = add_months(arrival, 12 * westlake.VISITING_SCHOLAR_MAX_YEARS)
    if days < westlake.VISITING_SCHOLAR_MIN_DAYS:
        return _too_short(Text(f"{days} days", f"{days}天"), days=days)
    if departure > limit:
        return _too_long(Text(
            f"A stay until {date_text(departure).en} (the limit would be "
            f"{date_text(limit).en})",
            f"访问至{date_text(departure).zh}（上限为{date_text(limit).zh}）"), days=days)
    return _fits(Text(f"{days} days (until {date_text(departure).en})",
                      f"{days}天（至{date_text(departure).zh}）"), valid_until=departure, days=days)


def visiting_scholar_length(institution_code: str, length: StayLength) -> Decision | None:
    """Whether a stay of ``length`` fits Westlake's visiting-scholar procedure whatever day it
    starts (``visiting_scholar_stay``'s rule), or None when that depends on the dates (a
    length of 366 days is one year or more depending on a leap day)."""
    code = institution(institution_code).code
    if code != westlake.CODE:
        return _not_westlake(code)
    stay = Text(length.render("en"), length.render("zh"))
    year = 12 * westlake.VISITING_SCHOLAR_MAX_YEARS
    if length.longest_days() < westlake.VISITING_SCHOLAR_MIN_DAYS:
        return _too_short(stay)
    if length.months > year or (length.months == year and length.days) or (
            length.shortest_days() > StayLength(months=year).longest_days()):
        return _too_long(Text(f"A stay of {stay.en}", f"{stay.zh}的访问"))
    within_a_year = (length.months, length.days) == (year, 0) or (
        length.longest_days() <= StayLength(months=year).shortest_days())
    if length.shortest_days() >= westlake.VISITING_SCHOLAR_MIN_DAYS and within_a_year:
        return _fits(stay)
    return None


# Westlake portal answers, found by the words people use when asking.
_WESTLAKE_KEYWORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (westlake.Q_SHORT_TERM_INVITEES, ("speaker", "invitee", "short-term visit", "short visit",
                                      "lecture", "forum", "邀请", "演讲", "讲座", "短期来访")),
    (westlake.Q_VISITING_SCHOLARS, ("visiting scholar", "访问学者")),
    (westlake.Q_WORK_PERMIT, ("work visa", "work permit", "residence permit", "foreign expert",
                              "post-doc", "postdoc", "expir", "reminder", "工作签证", "工作许可",
                              "居留许可", "外国专家", "博士后", "到期", "提醒")),
    (westlake.Q_BUSINESS_TRIP, ("business trip", "因公出国", "出差", "出国审批")),
    (westlake.Q_STUDENT_TRIP, ("student trip", "academic trip", "students' overseas",
                               "学生出访", "学生境外", "学术出访")),
    (westlake.Q_CONFERENCE, ("conference", "会议")),
    (westlake.Q_PARTNERSHIP, ("partnership", "collaboration", "partner", "合作", "伙伴")),
)


def _score(text: str, keywords: tuple[str, ...]) -> int:
    lowered = text.lower()
    return sum(1 for keyword in keywords if keyword in lowered)


def who_handles(question: str, institution_code: str) -> Decision:
    """Which office duty covers ``question`` (Qujing's ten responsibilities, Westlake's portal)."""
    code = institution(institution_code).code
    if code == qjnu.CODE:
        return _qujing_duty(question)
    if code == westlake.CODE:
        return _westlake_entry(question)
    return not_addressed(WHO_HANDLES, code,
                         Text("which office handles which matter", "各项事务的分工"),
                         cite(qjnu.CODE, "0"))


def _qujing_duty(question: str) -> Decision:
    """The responsibility whose keywords the question uses most (the lowest number on a tie).

    A responsibility that serves someone else than the question names is passed over: "who
    handles residence permits for international students?" is not responsibility 3, which
    handles them for foreign experts only.
    """
    profile = institution(qjnu.CODE)
    scored = [(_score(question, item.keywords), -item.number, item)
              for item in qjnu.RESPONSIBILITIES]
    excluded = [item for score, _, item in scored if score and _score(question, item.not_for)]
    scored = [entry for entry in scored if entry[2] not in excluded]
    best_score, _, best = max(scored, key=lambda entry: (entry[0], entry[1]))
    if best_score == 0 and excluded:
        return _not_for(excluded[0])
    if best_score == 0:
        titles_en = "; ".join(f"{r.number}. {r.title.en}" for r in qjnu.RESPONSIBILITIES)
        titles_zh = "；".join(f"{r.number}. {r.title.zh}" for r in qjnu.RESPONSIBILITIES)
        return Decision(WHO_HANDLES, False, Text(
            f"I could not match your question to one of the {profile.office.en}'s ten areas "
            f"of responsibility ({titles_en}). I can open a request with the office.",
            f"无法将您的问题对应到{profile.office.zh}的十项职责（{titles_zh}）。我可以为您向该处提交"
            "咨询申请。",
        ), cite(qjnu.CODE, "0"))
    return Decision(WHO_HANDLES, True, Text(
        f"At Qujing Normal University this is handled by the International Exchange and "
        f"Cooperation Office under “{best.title.en}”: {best.duties.en}",
        f"在曲靖师范学院，此事由国际交流与合作处负责，属“{best.title.zh}”职责：{best.duties.zh}",
    ), cite(qjnu.CODE, str(best.number)))


def _not_for(duty: qjnu.Responsibility) -> Decision:
    serves = duty.serves or duty.title
    return Decision(WHO_HANDLES, False, Text(
        f"Qujing Normal University's page lists this only among the duties for {serves.en} "
        f"(responsibility {duty.number}, “{duty.title.en}”); it does not say who handles it "
        "for students. I can open a request with the International Exchange and Cooperation "
        "Office.",
        f"曲靖师范学院的页面仅在{serves.zh}相关职责中列出此项（职责第{chinese_number(duty.number)}项，"
        f"“{duty.title.zh}”），未说明学生的此类事务由谁负责。我可以为您向国际交流与合作处提交咨询申请。",
    ), cite(qjnu.CODE, str(duty.number)))


def _westlake_entry(question: str) -> Decision:
    scored = [(_score(question, keywords), entry) for entry, keywords in _WESTLAKE_KEYWORDS]
    best_score, best = max(scored, key=lambda item: item[0])
    if best_score == 0:
        return Decision(WHO_HANDLES, False, Text(
            "The Westlake portal does not answer this. Its Office of International Affairs "
            "handles other international matters on request; I can open one for you.",
            "西湖大学门户未涉及此问题。其他涉外事务可咨询国际事务办公室，我可以为您提交咨询申请。",
        ), (westlake.cite(westlake.PORTAL_INTRO),))
    label = westlake.question_label(best)
    return Decision(WHO_HANDLES, True, Text(
        f"At Westlake University the Office of International Affairs handles this; see "
        f"{label.en}.",
        f"在西湖大学，此事由国际事务办公室负责，见{label.zh}。",
    ), (westlake.cite(best),))
