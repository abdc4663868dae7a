"""Qujing Normal University: profile and the ten responsibilities of its international office.

Source: shared/seeds/001 — International Exchange and Cooperation Office, "About" page,
English only (posted 18 January 2025). The Chinese texts are this project's translations.
Each responsibility carries keywords so "who handles X?" can be answered (see
``knowledge.staff.who_handles``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from knowledge.core import SOURCE_NAMES, Text
from knowledge.institutions.base import FOLLOWS_EN, Institution, Provision

CODE: Final = "QJNU"

PROFILE: Final = Institution(
    code=CODE,
    name=SOURCE_NAMES[CODE],
    aliases=(
        "Qujing Normal University",
        "Qujing Normal Univ",
        "Qujing Normal Uni",
        "Qujing Normal",
        "Qujing",
        "QJNU",
        "曲靖师范学院",
        "曲靖师院",
        "曲师院",
        "曲靖",
    ),
    city=None,  # the page names no city (the university's name alone is kept as an alias)
    office=Text("International Exchange and Cooperation Office", "国际交流与合作处"),
    authority=None,  # the page names no exit-entry authority
    contact=Text(
        "International Exchange and Cooperation Office, Qujing Normal University",
        "曲靖师范学院国际交流与合作处",
    ),
    source="001_1449acdedaf01e3a.txt",
    source_language=Text("English only (Chinese is our translation)", "仅英文（中文为本项目译文）"),
)


@dataclass(frozen=True)
class Responsibility:
    """One numbered responsibility of the office, with words people use when asking about it."""

    number: int
    title: Text
    duties: Text
    keywords: tuple[str, ...]  # lower-case English or Chinese fragments
    # A question that also says one of these is about someone the duty does not serve:
    # responsibility 3 handles residence permits for foreign experts, not for students.
    not_for: tuple[str, ...] = ()
    serves: Text | None = None  # whom the duty serves, said when ``not_for`` excludes a question


RESPONSIBILITIES: Final[tuple[Responsibility, ...]] = (
    Responsibility(
        1,
        Text("Policy implementation and planning", "政策落实与规划"),
        Text(
            "Implements the Party's and the state's foreign-affairs guidelines, policies and "
            "regulations, plans the university's international engagement and promotes "
            "internationalisation at university and department level.",
            "贯彻落实党和国家外事工作方针、政策和法规，制定学校国际化发展规划，推进学校和院系两级国际化。",
        ),
        ("policy", "planning", "strategy", "internationali", "政策", "规划", "国际化"),
    ),
    Responsibility(
        2,
        Text("International cooperation and exchange", "国际合作与交流"),
        Text(
            "Runs the university's strategic partnership programmes, organises and coordinates "
            "major international events, expands and maintains collaboration, and reviews and "
            "approves foreign-affairs activities.",
            "推进学校战略合作项目，组织协调重大国际活动，拓展和维护国际合作，审核审批外事活动。",
        ),
        ("partnership", "partner", "cooperation", "collaboration", "foreign affairs activit",
         "合作", "伙伴", "外事活动"),
    ),
    Responsibility(
        3,
        Text("Foreign expert recruitment and management", "外国专家聘请与管理"),
        Text(
            "Recruits, onboards and serves foreign experts: management policies and workflows, "
            "expert programmes, entry procedures, accommodation and finances, work permits, "
            "residence permits and cultural events for foreign experts.",
            "负责外国专家的招聘、入职和服务：制定管理制度和流程，设计评估外专项目，办理入境、住宿和"
            "经费事宜，办理工作许可、居留许可并组织外专文化活动。",
        ),
        ("foreign expert", "foreign teacher", "expert", "work permit", "residence permit",
         "recruit", "外国专家", "外专", "外籍教师", "外教", "工作许可", "居留许可", "聘请"),
        not_for=("student", "学生", "留学生"),
        serves=Text("foreign experts", "外国专家"),
    ),
    Responsibility(
        4,
        Text("Student mobility programmes", "学生出国（境）交流项目"),
        Text(
            "Runs study-abroad programmes: national scholarship programmes, overseas exchange "
            "funding, inter-university exchanges, visiting scholar programmes, joint degrees and "
            "short-term study abroad, with travel approval, monitoring abroad and evaluation "
            "after return.",
            "负责学生出国（境）学习项目：国家留学基金项目的申报与实施、出国交流资助项目、校际交流、"
            "访问学者、联合学位和短期留学项目，以及出行审批、境外跟踪和回国后评估。",
        ),
        ("study abroad", "study-abroad", "exchange student", "student exchange", "scholarship",
         "joint degree", "visiting scholar", "student mobility",
         # "留学" alone would match 留学生 (international students in China): study abroad only.
         "出国留学", "出境留学", "海外留学", "短期留学", "留学项目", "交换生", "奖学金",
         "联合学位", "访问学者", "学生交流"),
    ),
    Responsibility(
        5,
        Text("Major international projects", "重大国际项目"),
        Text(
            "Coordinates key projects such as discipline innovation projects with international "
            "partners and Sino-foreign joint education programmes, liaising with the authorities "
            "on applications, assessments and evaluations.",
            "统筹管理学科创新引智项目、中外合作办学项目等重大项目，负责与主管部门联络项目申报、评估和"
            "评价。",
        ),
        ("joint education", "sino-foreign", "discipline innovation", "project",
         "中外合作办学", "引智", "项目"),
    ),
    Responsibility(
        6,
        Text("Hong Kong, Macao and Taiwan affairs", "港澳台事务"),
        Text(
            "Promotes collaboration with universities in Hong Kong, Macao and Taiwan, "
            "facilitates academic exchanges and visits and manages key exchange projects "
            "(applications, implementation and reporting).",
            "推进与港澳台高校的合作，促进学术交流与互访，管理重点教育交流项目的申报、实施和总结。",
        ),
        ("hong kong", "macao", "macau", "taiwan", "港澳台", "香港", "澳门", "台湾", "港澳"),
    ),
    Responsibility(
        7,
        Text("International events and visitors", "国际会议与来访"),
        Text(
            "Organises international conferences, issues visa invitations for short-term "
            "foreign visitors and coordinates cultural and academic exchange programmes between "
            "China and other countries.",
            "组织国际会议，为短期来访外国人员出具签证邀请函，协调中外人文和学术交流项目。",
        ),
        ("conference", "visitor", "invitation", "invite", "visa letter", "cultural exchange",
         "会议", "来访", "邀请", "邀请函", "人文交流"),
    ),
    Responsibility(
        8,
        Text("Faculty and staff international travel", "教职工出国（境）"),
        Text(
            "Reviews and approves faculty and staff official travel abroad (including Hong Kong, "
            "Macao and Taiwan) and gives pre-departure training and guidance for official and "
            "personal travel.",
            "负责教职工因公出国（境）（含赴港澳台）的审核审批和管理，并为因公、因私出国（境）人员提供"
            "行前培训和指导。",
        ),
        ("business trip", "official travel", "staff travel", "faculty travel", "travel abroad",
         "pre-departure", "出国", "出境", "因公", "行前"),
    ),
    Responsibility(
        9,
        Text("Administrative support", "行政支持"),
        Text(
            "Runs the day-to-day work of the Party Committee's Office for Foreign Affairs.",
            "负责校党委外事工作领导小组办公室的日常工作。",
        ),
        ("party committee", "foreign affairs office", "外事办", "外事工作领导小组", "党委"),
    ),
    Responsibility(
        10,
        Text("Other duties", "其他工作"),
        Text(
            "Undertakes other tasks assigned by the university leadership and the authorities.",
            "完成学校和上级部门交办的其他工作。",
        ),
        (),
    ),
)

OVERVIEW: Final = Provision(
    CODE, "0",
    Text("The office and its remit", "处室职能概述"),
    Text(
        "Founded in July 2006, the office oversees international collaboration, foreign affairs "
        "and matters related to Hong Kong, Macao and Taiwan; it organises, coordinates and "
        "manages international cooperation and exchange.",
        "国际交流与合作处成立于2006年7月，是学校负责国际合作、外事及港澳台事务的职能部门，负责组织、"
        "协调和管理国际合作与交流工作。",
    ),
    follows=FOLLOWS_EN,
    note="English-only source; the Chinese is this project's translation.",
    label=Text("overview", "概述"),
)

PROVISIONS: Final[tuple[Provision, ...]] = (
    OVERVIEW,
    *(
        Provision(
            CODE,
            str(item.number),
            item.title,
            item.duties,
            follows=FOLLOWS_EN,
            note="English-only source; the Chinese is this project's translation.",
        )
        for item in RESPONSIBILITIES
    ),
)
