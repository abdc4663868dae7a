"""China Pharmaceutical University: profile and its visa and residence-permit regulations.

Source: shared/seeds/002 — 药大国教院函〔2018〕3号, School of International Education,
dated 4 December 2018, Articles 1–15 in Chinese and English.

Two quirks of the source are kept visible rather than silently repaired:

* The Chinese text lost the month in several dates ("下一年的910日", "下一年35日前",
  "2018124"). The rules follow the English text for the month and day (September 10,
  July 15, March 5, January 5) and the Chinese text for the year ("下一年", next year),
  which the English leaves out.
* Both versions print "Article 10" twice (cancellation, then dependents) and have no
  Article 11. The dependents article is cited as "10bis" and rendered as "the second
  Article 10" so that a reader can find it in the document.

Where the two versions say different things, the Chinese text is followed: it is the
university's own (the English is its translation). Each provision's ``follows`` and ``note``
say which version it follows and why; ``docs/coverage.md`` lists them.
"""

from __future__ import annotations

from typing import Final

from knowledge.core import SOURCE_NAMES, Text, month_day_text, months_text
from knowledge.institutions.base import (
    FOLLOWS_EN,
    FOLLOWS_MIXED,
    FOLLOWS_ZH,
    Institution,
    Provision,
)

CODE: Final = "CPU"

PROFILE: Final = Institution(
    code=CODE,
    name=SOURCE_NAMES[CODE],
    aliases=(
        "China Pharmaceutical University",
        "China Pharmaceutical Univ",
        "China Pharmaceutical Uni",
        "China Pharmaceutical",
        "CPU",
        "中国药科大学",
        "中国药大",
        "药科大学",
        "药大",
    ),
    city=Text("Nanjing", "南京"),  # Art. 4 and 13 send students to the Nanjing police
    office=Text("School of International Education", "国际教育学院"),
    # As Art. 4 and 13 name them: the Nanjing police for registration, Nanjing Exit and Entry.
    authority=Text(
        "Nanjing Exit and Entry (Art. 13); the Nanjing police for temporary residence "
        "registration (Art. 4)",
        "南京市出入境（第十三条）；临时住宿登记向南京公安申报（第四条）",
    ),
    contact=Text(
        "School of International Education, China Pharmaceutical University",
        "中国药科大学国际教育学院",
    ),
    source="002_e5c8fcaee270b7af.txt",
    source_language=Text("Chinese and English", "中英文"),
)

# ---------------------------------------------------------------- the numbers, as data
# The provisions below state them from here, and the rules compute with them, so a number
# lives in one place. Article 6 (the residence-permit table): months and days follow the
# English text (the Chinese lost the months); "next year" follows the Chinese "下一年".
DEGREE_YEAR_PERMIT_END: Final = (9, 10)  # Art. 6(1)(1): degree students, (month, day) next year
LANGUAGE_YEAR_PERMIT_END: Final = (7, 15)  # Art. 6(1)(1): language and preparatory students
RETURNING_YEAR_PERMIT_END: Final = (9, 10)  # Art. 6(2)(1)
FINAL_YEAR_PERMIT_END: Final = (7, 15)  # Art. 6(2)(1): last-year students
DEGREE_COMMITMENT_DATE: Final = (3, 5)  # Art. 6(1)(2): pay next semester before this day
LANGUAGE_COMMITMENT_DATE: Final = (1, 5)  # Art. 6(1)(2): the same for language students
SEMESTER_PERMIT_DAYS: Final = 180  # Art. 6(1)(2), 6(2)(2)
NEW_STUDENT_PAYMENT_DAYS: Final = 30  # Art. 6(1)(3): pay a semester within these days of entry
# Art. 6(2)(1) "高于80%" / "over 80%" is strict, so exactly 80% falls in Art. 6(2)(2),
# "70%-80%" / "between 70% and 80%", which therefore includes both ends.
ATTENDANCE_FULL_YEAR_ABOVE: Final = 80.0
# Art. 6(2)(3) "低于70%" / "below 70%" is strict, so exactly 70% is still in Art. 6(2)(2).
ATTENDANCE_NO_SUPPORT_BELOW: Final = 70.0
DELAYED_GRADUATION_MAX_DAYS: Final = 180  # Art. 6(3): "原则上不超过…天", in principle only

# The academic year Art. 6 assumes (an autumn intake). Its permits for a paid year end on
# "next September 10" (下一年的9月10日), or "next July 15" for language and final-year
# students, whose teaching year therefore ends on 15 July. "Next year" is read as the year
# after the one in which the paid academic year begins, never as the year after the day of
# the question: a year paid from 15 July onwards is the one beginning that September, a year
# paid before 15 July is the one that began the September before. New students are covered
# only when they start in that autumn window: the article gives no dates for a spring start.
TEACHING_YEAR_END: Final = FINAL_YEAR_PERMIT_END

# Other numbers the regulations set.
REGISTRATION_HOURS: Final = 24  # Art. 4
EXTENSION_MONTHS_BEFORE: Final = 1  # Art. 9
STAY_PERMIT_REQUEST_MONTHS_BEFORE: Final = 1  # Art. 8
STAY_PERMIT_MAX_MONTHS: Final = 1  # Art. 3, Art. 8
LOST_PASSPORT_REPORT_HOURS: Final = 24  # Art. 13
X1_REQUIRED_ABOVE_DAYS: Final = 180  # Art. 2

DEPENDENTS_LABEL: Final = Text(
    "Article 10 (the second Article 10, on dependents)", "第十条（第二个第十条，家属陪读）"
)
DEPENDENTS_SHORT_LABEL: Final = Text("Art. 10 (dependents)", "第十条（家属陪读）")

# How the provisions write some of those numbers.
_OVER: Final = f"{ATTENDANCE_FULL_YEAR_ABOVE:g}%"
_BELOW: Final = f"{ATTENDANCE_NO_SUPPORT_BELOW:g}%"
_STAY_MAX: Final = months_text(STAY_PERMIT_MAX_MONTHS)

PROVISIONS: Final[tuple[Provision, ...]] = (
    Provision(
        CODE, "1",
        Text("Scope", "适用范围"),
        Text(
            "These regulations apply to all international students studying at China "
            "Pharmaceutical University.",
            "本规定适用于在中国药科大学学习的各类外国留学生。",
        ),
    ),
    Provision(
        CODE, "2",
        Text("Visa types for entry: X1 and X2", "入境签证种类：X1与X2"),
        Text(
            "Students apply abroad for an X1 visa (long-term study, valid for 30 days after "
            "entry) or an X2 visa (short-term study). Students whose study period is longer "
            f"than {X1_REQUIRED_ABOVE_DAYS} days must enter with an X1 visa; those who enter on "
            "another visa cannot extend it or change it to another type and must leave China "
            "within the time limit.",
            "留学生在境外向中国使领馆申请X1签证（长期学习，入境后30天有效）或X2签证（短期学习）。"
            f"学习时间长于{X1_REQUIRED_ABOVE_DAYS}天的留学生必须持X1签证入境；持其他签证入境的，"
            "不得延期或变更为其他类型，须限期回国。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English adds '<180 days' to X2 and says other visas 'cannot be extended'; the "
            "Chinese only requires X1 for study 'longer than 180 days' (长于180天). The rule "
            "follows the Chinese, which agrees with national law (X2 for up to 180 days), so "
            "exactly 180 days does not require X1."
        ),
    ),
    Provision(
        CODE, "3",
        Text("Permits issued during study: residence permit and stay permit",
             "在校期间的证件：居留许可与停留证件"),
        Text(
            "During study the School issues letters for a residence permit (180 days or "
            "more, multiple entry) or a stay permit (humanitarian, at most once during the "
            f"whole study period, at most {_STAY_MAX.en}, no entry).",
            "在校期间国际教育学院开具的证件种类为：居留许可（180天以上，多次出入境）和停留证件"
            f"（人道主义性质，在学期间最多申请一次，最长{_STAY_MAX.zh}，0次出入境）。",
        ),
        follows=FOLLOWS_MIXED,
        note=(
            "Chinese followed for the limits: 180天以上 includes 180 days (Civil Code Art. "
            "1259), so the English '>180 days' is not followed and CPU's own 180-day permits "
            "are residence permits; 最长一个月 (at most one month) rather than the English 'less "
            "than 1 month'. English followed for 'humanitarian', which only it says of the stay "
            "permit (the Chinese adds nothing that contradicts it)."
        ),
    ),
    Provision(
        CODE, "4",
        Text(f"Temporary residence registration within {REGISTRATION_HOURS} hours",
             f"{REGISTRATION_HOURS}小时内临时住宿登记"),
        Text(
            "Every student registers temporary residence with the Nanjing police within "
            f"{REGISTRATION_HOURS} hours of each entry into China, of receiving a new passport "
            "and of changing address in China. If registration fails, report to the School of "
            "International Education in time.",
            f"所有留学生须在每次入境{REGISTRATION_HOURS}小时内、更换护照{REGISTRATION_HOURS}小时内、"
            f"或变更在华住址{REGISTRATION_HOURS}小时内，向南京公安"
            "申报临时住宿登记。如申报失败，须及时联系国际教育学院办理。",
        ),
    ),
    Provision(
        CODE, "5",
        Text("Payment before registration and visa", "先缴费注册后办理签证"),
        Text(
            "Visa procedures follow payment and registration: the School registers students "
            "and handles visas only for those who have paid all fees for a semester or a "
            "year. Students who have not paid are not registered and get no visa extension.",
            "国际教育学院严格执行先缴费注册后办理签证手续制度，为按期缴清一学期或一学年所有费用的"
            "留学生办理注册和签证手续；对未交清费用的留学生，不为其办理注册及签证延期手续。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English says students who fail to pay 'will not get registered or get any "
            "immigration paper'; the Chinese says no registration and no visa extension "
            "(注册及签证延期手续). The Chinese is followed. It applies to every student, new, "
            "returning or of delayed graduation."
        ),
    ),
    Provision(
        CODE, "6",
        Text("Residence permit duration table", "居留许可时限表"),
        Text(
            "The School issues the residence-permit letter according to student category, "
            "attendance and payment, with the durations of parts 1 (new students), 2 "
            "(returning students) and 3 (delayed graduation).",
            "国际教育学院根据学生类别、出勤和缴费情况开具居留许可介绍信，时限见第一部分（新生）、"
            "第二部分（老生）和第三部分（延期毕业生）。",
        ),
        follows=FOLLOWS_MIXED,
        note=(
            "The Chinese lost the months of every date in this article (下一年的910日, "
            "下一年35日前, 下一年15日前, 715日). Month and day follow the English; 'next "
            "year' (下一年) follows the Chinese, read as the year after the one in which the "
            "paid academic year begins (TEACHING_YEAR_END)."
        ),
    ),
    Provision(
        CODE, "6(1)(1)",
        Text("New students who paid a full year", "缴清一学年费用的新生"),
        Text(
            "New degree students who registered and paid for one academic year get a "
            f"residence permit until {month_day_text(DEGREE_YEAR_PERMIT_END).en} of the next "
            "year; new Chinese-language and preparatory students until "
            f"{month_day_text(LANGUAGE_YEAR_PERMIT_END).en} of the next year.",
            "缴清一学年费用且完成注册的学历新生，居留许可延期至下一年的"
            f"{month_day_text(DEGREE_YEAR_PERMIT_END).zh}；语言进修生及预科生延期至下一年的"
            f"{month_day_text(LANGUAGE_YEAR_PERMIT_END).zh}。",
        ),
        follows=FOLLOWS_MIXED,
        note=(
            "Chinese reads 下一年的910日 and 715日: months restored from the English; 下一年 "
            "(next year) from the Chinese, counted from the academic year's start. The article "
            "assumes an autumn intake: a new student starting before 15 July is not covered."
        ),
    ),
    Provision(
        CODE, "6(1)(2)",
        Text("New students who paid one semester", "缴清一学期费用的新生"),
        Text(
            "New students who registered and paid for one semester get a "
            f"{SEMESTER_PERMIT_DAYS}-day residence permit after committing in writing to pay "
            f"the next semester: degree students before {month_day_text(DEGREE_COMMITMENT_DATE).en}"
            " of the next year, language and preparatory students before "
            f"{month_day_text(LANGUAGE_COMMITMENT_DATE).en} of the next year.",
            "缴清一学期费用且完成注册的新生，须书面承诺下学期费用的交清日期（学历生在下一年"
            f"{month_day_text(DEGREE_COMMITMENT_DATE).zh}前，语言进修生及预科生在下一年"
            f"{month_day_text(LANGUAGE_COMMITMENT_DATE).zh}前），国际教育学院给予"
            f"{SEMESTER_PERMIT_DAYS}天居留许可。",
        ),
        follows=FOLLOWS_MIXED,
        note=(
            "Chinese reads 下一年35日前 and 下一年15日前: months restored from the English; "
            "下一年 (next year), which the English leaves out, from the Chinese. The dates are "
            "set for an autumn start; for a spring start the School sets the date."
        ),
    ),
    Provision(
        CODE, "6(1)(3)",
        Text(f"New students who do not pay within {NEW_STUDENT_PAYMENT_DAYS} days",
             f"入境{NEW_STUDENT_PAYMENT_DAYS}天内未缴费的新生"),
        Text(
            "New students who cannot pay at least one semester within "
            f"{NEW_STUDENT_PAYMENT_DAYS} days of arrival get no visa extension.",
            f"无法在入境{NEW_STUDENT_PAYMENT_DAYS}天内缴满一学期及以上费用的新生，国际教育学院不给予"
            "签证延期。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English counts from 'arrival', the Chinese from 入境 (entry into China); the "
            "30 days are counted from the day of entry."
        ),
    ),
    Provision(
        CODE, "6(2)(1)",
        Text(f"Returning students: a year paid, attendance over {_OVER}",
             f"老生：缴清一学年费用且出勤率高于{_OVER}"),
        Text(
            f"Returning students who paid for one academic year with attendance over {_OVER} "
            f"get a residence permit until {month_day_text(RETURNING_YEAR_PERMIT_END).en} of "
            f"the next year; final-year students until {month_day_text(FINAL_YEAR_PERMIT_END).en}"
            " of the next year.",
            f"缴清一学年费用且出勤率高于{_OVER}的老生，居留许可延期至下一年的"
            f"{month_day_text(RETURNING_YEAR_PERMIT_END).zh}（毕业班学生延期至下一年的"
            f"{month_day_text(FINAL_YEAR_PERMIT_END).zh}）。",
        ),
        follows=FOLLOWS_MIXED,
        note=(
            "Chinese reads 下一年的910日 and 715日: months restored from the English; 下一年 "
            "from the Chinese, counted from the academic year's start."
        ),
    ),
    Provision(
        CODE, "6(2)(2)",
        Text(f"Returning students: attendance {ATTENDANCE_NO_SUPPORT_BELOW:g}–{_OVER}",
             f"老生：出勤率{_BELOW}-{_OVER}"),
        Text(
            "Returning students who paid for at least one semester with attendance between "
            f"{_BELOW} and {_OVER} (both included) get a {SEMESTER_PERMIT_DAYS}-day residence "
            "permit.",
            f"缴满一学期及以上费用且出勤率在{_BELOW}-{_OVER}（含两端）的老生，国际教育学院给予"
            f"{SEMESTER_PERMIT_DAYS}天居留许可。",
        ),
    ),
    Provision(
        CODE, "6(2)(3)",
        Text(f"Returning students: attendance below {_BELOW}", f"老生：出勤率低于{_BELOW}"),
        Text(
            f"Returning students with attendance below {_BELOW} get no visa extension and must "
            "leave China within the time limit.",
            f"出勤率低于{_BELOW}的老生，国际教育学院不给予签证延期，限期离境。",
        ),
        follows=FOLLOWS_ZH,
        note="Only the Chinese says 限期离境 (must leave within the time limit).",
    ),
    Provision(
        CODE, "6(3)",
        Text("Students of delayed graduation", "延期毕业留学生"),
        Text(
            "Delayed-graduation students who must take courses or work in a lab get, after "
            "their documents are approved and they submit a valid lease and insurance policy, "
            "a residence permit until the date set from the academic approval, the lease and "
            f"the insurance, in principle no more than {DELAYED_GRADUATION_MAX_DAYS} days. Those "
            "without courses or lab work get no extension and must leave.",
            "延期毕业生如需在校上课或实验，在延期材料审核通过并提供有效房屋租赁合同及保险单后，"
            f"给予居留许可至核定日期（原则上不超过{DELAYED_GRADUATION_MAX_DAYS}天，根据教学管理部门"
            "批复日期、房屋租赁期限及"
            "保险单有效期核定）；如无在校课程或实验需求，不给予签证延期，限期离境。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The section numeral 三 is missing in the Chinese ('.延期毕业'); it is part 3. The "
            "180 days are a limit in principle (原则上, 'in principle' in both versions): the "
            "answer says so rather than presenting them as absolute. Only the Chinese says "
            "限期离境 (leave within the time limit) for students without courses."
        ),
    ),
    Provision(
        CODE, "7",
        Text("Automatic withdrawal", "自动退学"),
        Text(
            "A student who, on the day the visa or residence permit expires, has neither paid "
            "the fees nor applied for withdrawal is withdrawn automatically.",
            "在签证/居留许可到期当天仍未能缴清费用、未提交退学申请者，默认以自动退学处理。",
        ),
        note=(
            "Both versions withdraw those still unpaid on the last day (到期当天仍未能缴清, "
            "'on the last day'): on the expiry day itself the student can still pay or apply, "
            "and the answers say so; withdrawal is announced only from the next day."
        ),
    ),
    Provision(
        CODE, "8",
        Text("Stay permit before suspension or withdrawal", "休学或退学前的停留证件"),
        Text(
            "A student who expects not to pay the next year's fees submits a written "
            "application for suspension or withdrawal, in principle with flight details, at "
            f"least {months_text(STAY_PERMIT_REQUEST_MONTHS_BEFORE).en} before the payment "
            f"deadline; if approved, the School issues a stay permit of at most {_STAY_MAX.en} "
            "to leave the university and go home.",
            "如预计无法缴纳下学年费用，学生需在缴费截止日期前至少"
            f"{months_text(STAY_PERMIT_REQUEST_MONTHS_BEFORE).zh}向国际教育学院提交书面休学或"
            f"退学申请，原则上提供机票信息；经审核同意后签发最长不超过{_STAY_MAX.zh}的停留签证，以便"
            "办理离校手续并回国。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "English says '<30 days'; the Chinese 最长不超过一个月 (at most one month) is "
            "followed, and so are its 下学年 (next academic year) and 原则上 (flight details "
            "'in principle'), which the English leaves out."
        ),
    ),
    Provision(
        CODE, "9",
        Text(f"Apply for extension {months_text(EXTENSION_MONTHS_BEFORE).en} ahead",
             f"提前{months_text(EXTENSION_MONTHS_BEFORE).zh}申请延期"),
        Text(
            "Apply to the School of International Education for a residence permit extension "
            f"or change {months_text(EXTENSION_MONTHS_BEFORE).en} in advance and watch the "
            "expiry dates of passport and visa. "
            "Illegal stay after the visa expires is punished by the police; the student bears "
            "all responsibility.",
            f"学生需提前{months_text(EXTENSION_MONTHS_BEFORE).zh}向国际教育学院提出居留许可延期或变更"
            "申请，密切关注护照、签证有效期。"
            "签证到期后非法居留的，由公安机关依规处罚，责任由学生本人承担。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English speaks of a 'visa extension' only and of 'legal responsibilities'; the "
            "Chinese adds a change (变更) of the permit and that the police punish illegal stay. "
            "The Chinese is followed."
        ),
    ),
    Provision(
        CODE, "10",
        Text("Cancellation of visa and residence permit", "签证、居留许可的注销"),
        Text(
            "After normal graduation or completion no further extension is given. On "
            "graduation or completion, withdrawal, suspension or dismissal the visa or "
            "residence permit is cancelled from the day the student leaves the university.",
            "学生正常毕业/结业，国际教育学院不再给予签证延期。学生毕业/结业、退学、休学、被开除等"
            "情况下，离校日期以后的签证/居留许可将注销。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "After graduation the English says no 'Letter of Immigration' is provided, the "
            "Chinese that no visa extension is given (不再给予签证延期); the Chinese is followed."
        ),
    ),
    Provision(
        CODE, "10bis",
        Text("Dependents", "家属陪读"),
        Text(
            "Only the university's master's and doctoral students may apply to bring dependents. "
            "They apply to the School in advance with the required documents; only after "
            "approval may dependents come, and the School then handles their residence "
            "permits. Dependents brought without approval get no permit and must leave. A "
            "dependent's stay may not exceed the student's residence permit.",
            "家属陪读申请仅限我校硕士和博士留学生。须提前向国际教育学院提出申请并提交材料，审核"
            "同意后家属方可来华，由国际教育学院为其办理居留许可；未经同意擅自携带家属的，不予办理，"
            "限期回国。陪读家属在华停留期限不得超过留学生居留许可的有效期限。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "Printed as a second Article 10 in both versions; there is no Article 11. Only the "
            "English says 'full-time' master and Ph.D candidate; the Chinese 仅限我校硕士和博士"
            "留学生 has no full-time condition. The Chinese, the university's own text, is "
            "followed: a part-time master's or doctoral student is not refused, and is told that "
            "the English version asks for full-time study."
        ),
        label=DEPENDENTS_LABEL,
        short_label=DEPENDENTS_SHORT_LABEL,
    ),
    Provision(
        CODE, "12",
        Text("Penalties: illegal stay and illegal employment", "违规处罚：非法居留与非法就业"),
        Text(
            "Illegal stay: a warning; if serious, a fine of RMB 500 per day of illegal stay "
            "up to RMB 10,000 in total, or detention of 5 to 15 days. Illegal employment: a "
            "fine of RMB 5,000 to 20,000; if serious, detention of 5 to 15 days and also a "
            "fine of RMB 5,000 to 20,000.",
            "外国人非法居留的，给予警告；情节严重的，处每非法居留一日五百元、总额不超过一万元的罚款"
            "或者五日以上十五日以下拘留。外国人非法就业的，处五千元以上二万元以下罚款；情节严重的，"
            "处五日以上十五日以下拘留，并处五千元以上二万元以下罚款。",
        ),
        note="Repeats national law (Exit and Entry Administration Law Art. 78 and Art. 80).",
    ),
    Provision(
        CODE, "13",
        Text("Lost or damaged passport", "护照遗失或损毁"),
        Text(
            "Keep passport and visa safe and unaltered. Within "
            f"{LOST_PASSPORT_REPORT_HOURS} hours of discovering a loss or damage in China, get a "
            "loss/damage statement from the School of International Education, report to the "
            "local police station, file with Nanjing Exit and Entry and contact your embassy "
            "for a new passport. With the new passport, apply for a new residence permit using "
            "the School's letter.",
            "护照、签证应妥善保管，不得涂改、损坏。在境内发现护照遗失/损毁的，须在"
            f"{LOST_PASSPORT_REPORT_HOURS}小时内到国际教育学院开具遗失/损毁声明，到驻地派出所报案，"
            "并到南京市出入境备案，同时自行联系本国大使馆领取新护照。补发新护照后，及时凭国际教育学院"
            "出具的签证介绍信到出入境管理部门申请新的居留许可。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The Chinese limits the 24 hours to a loss found in China (在境内) and counts them "
            "from discovering it (发现…24小时内); the English says only 'within 24 hours of "
            "loss/damage'. The Chinese is followed."
        ),
    ),
    Provision(
        CODE, "14",
        Text("Matters not covered", "未尽事宜"),
        Text(
            "Matters these regulations do not cover are decided by the university under "
            "national and university rules.",
            "本规定未尽事宜，由学校根据国家及学校相关规定研究处理。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English mentions only 'provisions of China government'; the Chinese adds "
            "the university's own rules."
        ),
    ),
    Provision(
        CODE, "15",
        Text("Entry into force and interpretation", "施行与解释"),
        Text(
            "The regulations take effect on publication (4 December 2018); the School of "
            "International Education interprets them; the 2015 regulations (No. 4) expire.",
            "本规定自发文之日（2018年12月4日）起实施，由国际教育学院负责解释；原2015年4号文件"
            "自动作废。",
        ),
        follows=FOLLOWS_EN,
        note="The Chinese date reads 2018124; the English 'December 4, 2018' is followed.",
    ),
)
