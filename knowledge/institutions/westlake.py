"""Westlake University: profile and its faculty/staff portal questions.

Source: shared/seeds/000 — Office of International Affairs, Faculty/Staff Portal, English
only. The Chinese texts here are this project's translations; citations quote the portal's
English question, the way it appears on the page.
"""

from __future__ import annotations

from typing import Final

from knowledge.core import SOURCE_NAMES, Citation, Text
from knowledge.institutions.base import FOLLOWS_EN, Institution, Provision

CODE: Final = "WESTLAKE"

PROFILE: Final = Institution(
    code=CODE,
    name=SOURCE_NAMES[CODE],
    aliases=("Westlake University", "West Lake University", "Westlake", "西湖大学", "西湖大"),
    city=None,  # the portal names no city
    office=Text("Office of International Affairs", "国际事务办公室"),
    authority=None,  # the portal names no exit-entry authority
    contact=Text(
        "Office of International Affairs, Westlake University, through the Online Service Hall",
        "西湖大学国际事务办公室，通过网上办事大厅办理",
    ),
    source="000_63f61e25231943cb.txt",
    source_language=Text("English only (Chinese is our translation)", "仅英文（中文为本项目译文）"),
)

Q_SHORT_TERM_INVITEES: Final = (
    "Q: How do I invite international partners, experts, or speakers for a short-term visit "
    "to Westlake University?"
)
Q_VISITING_SCHOLARS: Final = (
    "Q: How do I invite international visiting scholars to work at Westlake for more than "
    "15 days?"
)
Q_WORK_PERMIT: Final = "Q: How do I get my work visa, work permit, and residence permit?"
Q_BUSINESS_TRIP: Final = "Q: How do I get approval for my international business trip?"
Q_STUDENT_TRIP: Final = "Q: How do I get approval for an overseas academic trip of my students?"
Q_CONFERENCE: Final = (
    "Q: How do I get approval for hosting or organizing an international conference at or in "
    "the name of Westlake University or its affiliated departments?"
)
Q_PARTNERSHIP: Final = (
    "Q: How can I get support in establishing international collaborations and partnerships?"
)
PORTAL_INTRO: Final = "Q: Faculty/Staff Portal introduction"

VISITING_SCHOLAR_MIN_DAYS: Final = 15
VISITING_SCHOLAR_MAX_YEARS: Final = 1
CONFERENCE_MONTHS_BEFORE_LATEST: Final = 2  # "at least two to three months before"
CONFERENCE_MONTHS_BEFORE_EARLIEST: Final = 3

_QUESTION_ZH: Final[dict[str, str]] = {
    Q_SHORT_TERM_INVITEES: "如何邀请国际合作伙伴、专家或演讲者短期访问西湖大学？",
    Q_VISITING_SCHOLARS: "如何邀请国际访问学者来西湖大学工作15天以上？",
    Q_WORK_PERMIT: "如何办理工作签证、工作许可和居留许可？",
    Q_BUSINESS_TRIP: "如何办理因公出国（境）审批？",
    Q_STUDENT_TRIP: "如何为我的学生办理境外学术出访审批？",
    Q_CONFERENCE: "如何办理在西湖大学或以其名义举办国际会议的审批？",
    Q_PARTNERSHIP: "如何获得建立国际合作与伙伴关系的支持？",
    PORTAL_INTRO: "教职工门户简介",
}


def question_label(question: str) -> Text:
    """Citation label for a portal question: the English original and its Chinese translation."""
    if question == PORTAL_INTRO:
        return Text("Faculty/Staff Portal, introduction", "教职工门户 简介")
    english = question.removeprefix("Q:").strip()
    return Text(
        f"Faculty/Staff Portal, “{english}”",
        f"教职工门户“{_QUESTION_ZH[question]}”（原文：{english}）",
    )


def cite(question: str) -> Citation:
    """The citation of one portal question."""
    return Citation(CODE, question, label=question_label(question))


def _provision(question: str, title: Text, text: Text) -> Provision:
    return Provision(CODE, question, title, text, follows=FOLLOWS_EN,
                     note="English-only source; the Chinese is this project's translation.",
                     label=question_label(question))


PROVISIONS: Final[tuple[Provision, ...]] = (
    _provision(
        PORTAL_INTRO,
        Text("What the portal covers", "门户涵盖的内容"),
        Text(
            "The portal covers visas, international travel, international conferences and "
            "collaborations and other cross-border matters; for anything else contact the "
            "Office of International Affairs.",
            "本门户提供签证、国际出行、国际会议与合作及其他涉外事务的信息和办理入口；其他问题请联系"
            "国际事务办公室。",
        ),
    ),
    _provision(
        Q_SHORT_TERM_INVITEES,
        Text("Inviting short-term international visitors", "邀请短期来访的国际人员"),
        Text(
            "International invitees (partners, experts, speakers for forums, lectures, "
            "exchanges, interviews or training) need a Chinese visa type that matches the "
            "purpose of the visit. File an application for approval in the internal online "
            "system (Online Service Hall); the Office of International Affairs then helps with "
            "the visa. Check the current national and local entry policies first.",
            "邀请国际合作伙伴、专家或演讲者（参加论坛、讲座、学术交流、面试或培训）来访的，受邀人须"
            "办理与访问目的相符的中国签证。先在校内网上办事大厅提交审批申请，国际事务办公室随后协助"
            "办理签证事宜；请先了解国家和地方最新的入境政策。",
        ),
    ),
    _provision(
        Q_VISITING_SCHOLARS,
        Text("Inviting international visiting scholars", "邀请国际访问学者"),
        Text(
            "Visiting scholars stay for work for at least 15 days and at most one year; they "
            "are Category A (professors) or Category B (scholars) and need the right visa "
            "before arrival. File an application for approval in the Online Service Hall; the "
            "Office of International Affairs then helps with the paperwork.",
            "国际访问学者来校工作时间为15天至一年，分为A类（教授）和B类（学者），须在来华前办理相应"
            "签证。先在网上办事大厅提交审批申请，国际事务办公室随后协助准备材料。",
        ),
    ),
    _provision(
        Q_WORK_PERMIT,
        Text("Work visa, work permit and residence permit; document reminders",
             "工作签证、工作许可和居留许可；证件到期提醒"),
        Text(
            "Foreign full-time employees need a work visa and, after arrival, a work and "
            "residence permit, or a permanent residence ID card if eligible. Foreign experts are "
            "Type A (high-end talent) or Type B (professional talent, including international "
            "post-docs); procedures differ case by case and the Office of International Affairs "
            "helps you and your family. Its online system records your documents' expiry dates "
            "and e-mails reminders early: register through the form for document service in "
            "the Online Service Hall (an authorised administrator may fill it in; you can edit "
            "it later).",
            "持外国护照、在西湖大学全职工作的人员须办理工作签证并在入境后办理工作许可和居留许可，"
            "符合条件的也可申请永久居留身份证。外国专家分为A类（高端外国人才）和B类（外国专业人才，"
            "含国际博士后），办理程序因人而异，国际事务办公室为本人及家属提供协助。办公室的在线登记"
            "提醒系统会记录证件到期日并提前发送邮件提醒：请在网上办事大厅填写证件服务登记表（可授权"
            "管理员代填，提交后可修改）。",
        ),
    ),
    _provision(
        Q_BUSINESS_TRIP,
        Text("Approval of overseas business trips", "因公出国（境）审批"),
        Text(
            "Overseas business trips of faculty and staff must be approved before departure, "
            "through the Online Service Hall. Students' academic trips have their own procedure.",
            "教职工因公出国（境）须在出发前获得审批，请通过网上办事大厅办理。学生境外学术出访另有程序。",
        ),
    ),
    _provision(
        Q_STUDENT_TRIP,
        Text("Approval of students' overseas academic trips", "学生境外学术出访审批"),
        Text(
            "A student going on an overseas academic trip must get approval before departure "
            "and submit a report after the trip.",
            "学生境外学术出访须在出发前获得审批，并在回国后提交出访报告。",
        ),
    ),
    _provision(
        Q_CONFERENCE,
        Text("Hosting an international conference", "举办国际会议"),
        Text(
            "By government requirement, contact the Office of International Affairs at least "
            "two to three months before the conference is publicly announced; depending on its "
            "scope and size the Office helps file the documents with the authorities.",
            "根据政府要求，举办国际会议须至少在会议公开发布前两到三个月联系国际事务办公室；办公室根据"
            "会议规模和范围协助向相关主管部门报备材料。",
        ),
    ),
    _provision(
        Q_PARTNERSHIP,
        Text("International collaborations and partnerships", "国际合作与伙伴关系"),
        Text(
            "The university, its schools, centres, platforms and labs can set up relations with "
            "overseas institutions for exchanges, joint research or joint programmes. For a "
            "partnership in the university's name, contact the Office of International Affairs.",
            "西湖大学及其学院、中心、平台和实验室均可与境外机构建立师生交流、联合研究或联合培养等合作"
            "关系。以学校名义建立合作的，请联系国际事务办公室。",
        ),
    ),
)
