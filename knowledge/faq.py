"""Answers that need no inputs, per topic and institution, and the uniform entry point to them.

``faq_answer(topic_id, institution)`` returns the institution's answer; where its documents do
not address the topic it falls back to national law when a national rule exists, and
otherwise returns ``covered=False`` naming the institutions whose documents do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from knowledge import dependents
from knowledge.answers import cite, not_addressed
from knowledge.core import Citation, Decision, Text, step_texts
from knowledge.institutions import institution, jsnu, qjnu, westlake
from knowledge.national import (
    CARRY_PASSPORT,
    CIVIL_CODE,
    ENTRY_EXIT_REGULATIONS,
    EXIT_ENTRY_LAW,
    ILLEGAL_EMPLOYMENT,
    ILLEGAL_EMPLOYMENT_DEFINITION,
    ILLEGAL_EMPLOYMENT_FINE,
    INCLUSIVE_LIMITS,
    OVERSTAY,
    REGISTRATION,
    STUDY_VISA_TYPES,
    X1_RESIDENCE_PERMIT,
)
from knowledge.passport import lost_passport, lost_permit
from knowledge.topics import ANYONE, STAFF, STUDENT, FaqEntry, Topic
from knowledge.visas import JSNU_NO_AUTOMATIC_WITHDRAWAL

CPU: Final = "CPU"
JSNU: Final = "JSNU"
WESTLAKE: Final = "WESTLAKE"
QJNU: Final = "QJNU"


def _entry(code: str, en: str, zh: str, citations: tuple[Citation, ...],
           steps: tuple[Text, ...] = ()) -> FaqEntry:
    return FaqEntry(code, Text(en, zh), citations, steps)


def _decided(code: str, decision: Decision) -> FaqEntry:
    """An entry that is a rule's own answer (it needs no inputs), covered or not."""
    return FaqEntry(code, decision.answer, decision.citations, decision.steps, decision.covered)


def _national(en: str, zh: str, citations: tuple[Citation, ...]) -> FaqEntry:
    """A national rule, used for institutions whose documents do not restate it."""
    return FaqEntry("CN", Text(en, zh), citations)


def _wl(*questions: str) -> tuple[Citation, ...]:
    return tuple(westlake.cite(question) for question in questions)


# ---------------------------------------------------------------- student topics

VISA_TYPES = Topic("visa_types", Text("Which visa: X1 or X2", "签证类型：X1还是X2"), STUDENT, (
    _entry(CPU,
           "Apply at the Chinese embassy for an X1 visa (long-term study, valid 30 days after "
           "entry) or an X2 visa (short-term study). If you will study longer than 180 days you "
           "must enter with X1; another visa cannot be extended or changed and you would have to "
           "leave. In China the School of International Education then supports a residence "
           "permit (180 days or more, multiple entry) or, once during your studies and on "
           "humanitarian grounds, a stay permit of at most one month with no entry.",
           "请向中国使领馆申请X1签证（长期学习，入境后30天有效）或X2签证（短期学习）。学习时间长于180"
           "天的必须持X1签证入境；持其他签证入境的不得延期或变更，须限期回国。在华期间，国际教育学院"
           "办理居留许可（180天以上，多次出入境）或人道主义性质的停留证件（在学期间最多一次，最长一个月，"
           "0次入境）。",
           (*cite(CPU, "2", "3"), STUDY_VISA_TYPES.citation, INCLUSIVE_LIMITS.citation)),
    _entry(JSNU,
           "After admission, apply at the Chinese embassy or consulate. An X1 visa gives 30 days "
           "of stay after entry, and you must apply for a residence permit before it expires. For "
           "an X2 visa the embassy sets validity, stay and entries; to continue studying after "
           "the original period, apply to the university in advance for further study and, "
           "before the visa expires, for a residence permit at the Exit and Entry Administration "
           "Branch of Xuzhou Public Security Bureau.",
           "被录取后向中国驻所在国使领馆申请签证。X1签证入境后停留30天，须在签证到期前申请居留许可；"
           "X2签证的有效期、停留期限和入境次数由使领馆确定，如需在原定期限后继续学习，应提前向学校申请"
           "续读，并在签证到期前向徐州市公安局出入境管理支队申请居留许可。",
           (*cite(JSNU, "1", "2"), STUDY_VISA_TYPES.citation)),
    _national(
        "National law: the X1 visa is for study in China longer than 180 days, the X2 visa for "
        "180 days or less.",
        "国家规定：X1签证适用于在华学习超过180日，X2签证适用于不超过180日。",
        (STUDY_VISA_TYPES.citation,)),
), computed_by="visa_for_stay")

RESIDENCE_PERMIT_VALIDITY = Topic(
    "residence_permit_validity",
    Text("How long my residence permit lasts", "居留许可的期限"), STUDENT, (
        _entry(CPU,
               "It depends on your category, payment and attendance, and nothing is issued "
               "before at least a semester is paid. “Next year” below is the year after the "
               "one in which the academic year you paid for begins (the rules assume an autumn "
               "start). New students who paid a year: degree students until September 10 of the "
               "next year, language and preparatory students until July 15. New students who "
               "paid a semester: 180 days, with a written commitment to pay the next semester "
               "(degree: before March 5; language: before January 5). No payment within 30 days "
               "of entry: no support. Returning students: a year paid and attendance over 80% "
               "until September 10 of the next year (final year: July 15); at least a semester "
               "paid and attendance 70–80%: 180 days; attendance below 70%: no extension. "
               "Delayed graduation with courses or lab: until the earliest of the approved date, "
               "lease end and insurance end, in principle at most 180 days; without courses: no "
               "extension.",
               "视学生类别、缴费和出勤情况而定，未缴清至少一学期费用的不予办理。下文的“下一年”指所缴学年"
               "开始之年的下一年（规定以秋季入学为准）。缴清一学年费用的新生：学历生至下一年9月10日，语言生"
               "和预科生至下一年7月15日。缴清一学期费用的新生：180天，并书面承诺下学期缴费（学历生3月5日"
               "前，语言生1月5日前）。入境30天内未缴费的：不予签证延期。老生：缴清一学年且出勤率高于80%"
               "的至下一年9月10日（毕业班7月15日）；缴满一学期及以上且出勤率70%-80%的：180天；出勤率"
               "低于70%的：不予延期。需上课或实验的延期毕业生：至批复日期、租赁期满和保险到期中最早者，"
               "原则上不超过180天；无课程的：不予延期。",
               cite(CPU, "6", "6(1)(1)", "6(1)(2)", "6(1)(3)", "6(2)(1)", "6(2)(2)", "6(2)(3)",
                    "6(3)", "5")),
        _entry(JSNU,
               "Jiangsu Normal University's regulations set no durations: once tuition, "
               "accommodation and insurance for the school year are paid, your college lists you "
               "and the International College helps students living on campus with the "
               "residence permit. The regulations do not say who helps students living off "
               "campus.",
               "江苏师范大学的规定未写明居留许可期限：缴清学年学费、住宿费、保险费后，由所在学院报送名单，"
               "国际学院协助住在校内的学生办理居留许可；住在校外的学生由谁协助，规定未作说明。",
               cite(JSNU, "4")),
    ), computed_by="residence_permit_validity")

RESIDENCE_PERMIT_APPLICATION = Topic(
    "residence_permit_application",
    Text("Applying for a residence permit after entry", "入境后申请居留许可"), STUDENT, (
        _entry(CPU,
               "An X1 visa is valid for 30 days after entry: apply for your residence permit "
               "within them, after paying and registering, with the School of International "
               "Education's letter.",
               "X1签证入境后30天有效：请在此期间先缴费注册，再凭国际教育学院的介绍信申请居留许可。",
               (*cite(CPU, "2", "5"), X1_RESIDENCE_PERMIT.citation)),
        _entry(JSNU,
               "With an X1 visa you have 30 days of stay after entry and must apply for a "
               "residence permit before the visa expires, at the Exit and Entry Administration "
               "Branch of Xuzhou Public Security Bureau. X2 holders who want to study on after "
               "their original study period apply to the university in advance for further "
               "study, then at the same branch for a residence permit before the visa expires.",
               "持X1签证入境后停留30天，须在签证到期前向徐州市公安局出入境管理支队申请居留许可。持X2签证"
               "在原定学习期限结束后需继续学习的，应提前向学校申请续读，并在签证到期前向该支队申请居留许可。",
               (*cite(JSNU, "1", "2"), X1_RESIDENCE_PERMIT.citation)),
        _entry(WESTLAKE,
               "Full-time foreign employees get a work visa and, after arrival, a work and "
               "residence permit (or a permanent residence ID card if eligible); the Office of "
               "International Affairs helps you and your family. National law: if your visa says "
               "a residence permit is needed after entry, apply for it within 30 days of entry.",
               "全职外籍员工须办理工作签证，入境后办理工作许可和居留许可（符合条件的可申请永久居留身份证），"
               "国际事务办公室为本人及家属提供协助。国家规定：签证注明入境后需办理居留证件的，应自入境之日起"
               "三十日内申请。",
               (*_wl(westlake.Q_WORK_PERMIT), X1_RESIDENCE_PERMIT.citation)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office processes work and residence "
               "permits for foreign experts; its page says nothing about students' permits. "
               "National law: if your visa says a residence permit is needed after entry, apply "
               "for it within 30 days of entry.",
               "国际交流与合作处负责为外国专家办理工作许可和居留许可；其页面未涉及学生的居留许可。国家规定："
               "签证注明入境后需办理居留证件的，应自入境之日起三十日内申请。",
               (*cite(QJNU, "3"), X1_RESIDENCE_PERMIT.citation)),
        _national(
            "National law: if your visa says a residence permit is needed after entry (as an X1 "
            "visa does), apply for it within 30 days of entry.",
            "国家规定：签证注明入境后需办理居留证件的（如X1签证），应自入境之日起三十日内申请。",
            (X1_RESIDENCE_PERMIT.citation,)),
    ), computed_by="residence_permit_application_deadline")

TEMPORARY_REGISTRATION = Topic(
    "temporary_registration",
    Text("Temporary residence registration (24 hours)", "临时住宿登记（24小时）"), STUDENT, (
        _entry(CPU,
               "Register your temporary residence with the Nanjing police within 24 hours of "
               "each entry into China, of receiving a new passport and of changing your address. "
               "If it fails, tell the School of International Education at once.",
               "每次入境、更换护照或变更在华住址后24小时内，须向南京公安申报临时住宿登记；申报失败的，"
               "及时联系国际教育学院。",
               (*cite(CPU, "4"), REGISTRATION.citation)),
        _entry(JSNU,
               "Register your personal data in the WeChat mini program “International Student "
               "Service Assistant” before any visa or permit application and update it after a "
               "new passport or permit. If you live off campus and move, register your new "
               "accommodation there within 24 hours. Without it you cannot get the documents "
               "for an extension.",
               "办理签证或居留许可前，须在微信小程序“留学生服务小助手”完成信息注册，更换护照或居留许可后"
               "及时更新。住在校外的学生变更住址的，须在24小时内在小程序中重新申报住宿登记，否则无法领取"
               "延期材料。",
               (*cite(JSNU, "3"), REGISTRATION.citation)),
        _national(
            "National law: hotels register their foreign guests; if you live anywhere else, "
            "register with the local police within 24 hours of moving in.",
            "国家规定：住宿旅馆的由旅馆办理登记；在其他住所居住的，须在入住后二十四小时内向当地公安机关"
            "办理登记。",
            (REGISTRATION.citation,)),
    ), computed_by="registration_deadline")

PAYMENT_BEFORE_VISA = Topic(
    "payment_before_visa", Text("Paying fees before visa procedures", "先缴费后办签证"), STUDENT, (
        _entry(CPU,
               "Pay and register first: the School of International Education registers students "
               "and handles visas only after all fees for a semester or a year are paid. New "
               "students who cannot pay at least a semester within 30 days of entry into China "
               "get no visa extension.",
               "先缴费注册后办理签证：国际教育学院只为缴清一学期或一学年全部费用的学生办理注册和签证手续。"
               "入境30天内无法缴满一学期及以上费用的新生，不给予签证延期。",
               cite(CPU, "5", "6(1)(3)")),
        _entry(JSNU,
               "Pay tuition, accommodation and insurance for the school year first; then your "
               "college puts you on the list for the residence permit, and the International "
               "College helps students living on campus with it. If you do not pay on time the "
               "International College may cancel your visa or residence permit.",
               "请先按学年缴清学费、住宿费和保险费，再由所在学院将您列入办理居留许可的名单，国际学院协助住在"
               "校内的学生办理。未按期缴费的，国际学院有权注销其签证或居留许可。",
               cite(JSNU, "4")),
    ), computed_by="new_student_payment_deadline")

AUTOMATIC_WITHDRAWAL = Topic(
    "automatic_withdrawal",
    Text("Unpaid fees and automatic withdrawal", "未缴费与自动退学"), STUDENT, (
        _entry(CPU,
               "If on the day your visa or residence permit expires you still have neither paid "
               "nor applied for withdrawal, you are withdrawn automatically: on that day itself "
               "you can still pay or apply.",
               "签证/居留许可到期当天仍未缴清费用、也未提交退学申请的，默认作自动退学处理；到期当天仍可缴费或"
               "提交申请。",
               cite(CPU, "7")),
        _decided(JSNU, JSNU_NO_AUTOMATIC_WITHDRAWAL),
    ), computed_by="automatic_withdrawal")

STAY_PERMIT = Topic(
    "stay_permit", Text("Stay permit versus residence permit", "停留证件与居留许可"), STUDENT, (
        _entry(CPU,
               "A residence permit is for 180 days or more with multiple entries. A stay permit "
               "is humanitarian: at most one month, without entry, and granted only once during "
               "your studies. If you cannot pay next year's fees, apply in writing for suspension "
               "or withdrawal, in principle with your flight details, at least one month before "
               "the fee deadline.",
               "居留许可为180天以上、多次出入境；停留证件属人道主义性质，最长一个月、0次入境，在学期间最多"
               "申请一次。如无法缴纳下学年费用，须在缴费截止日期前至少一个月书面提交休学或退学申请，原则上"
               "提供机票信息。",
               (*cite(CPU, "3", "8"), INCLUSIVE_LIMITS.citation)),
        _entry(JSNU,
               "Students who withdraw, suspend their studies or are dismissed change their "
               "residence permit to a short-term stay permit and leave China within the time "
               "limit.",
               "退学、休学或被开除的学生须将居留许可换发为短期停留证件，并限期离境。",
               cite(JSNU, "15")),
    ), computed_by="stay_permit_request_deadline")

EXTENSION_APPLICATION = Topic(
    "extension_application",
    Text("When to apply for an extension", "何时申请延期"), STUDENT, (
        _entry(CPU,
               "Apply to the School of International Education one month before your permit "
               "expires and keep an eye on your passport's and visa's expiry dates.",
               "须提前一个月向国际教育学院申请居留许可延期或变更，并密切关注护照、签证有效期。",
               cite(CPU, "9")),
        _entry(JSNU,
               "Apply to the International College at least one month before your permit "
               "expires, and finish visa, permit and re-entry procedures before the semester's "
               "holidays: they are generally not handled during holidays.",
               "须至少提前一个月向国际学院申请延期；学期结束时，签证、居留许可及再入境手续须在假期前办理"
               "完毕，假期一般不予办理。",
               cite(JSNU, "9")),
    ), computed_by="extension_application_deadline")

PERMIT_CANCELLATION = Topic(
    "permit_cancellation",
    Text("Permits after graduation, withdrawal or dismissal", "毕业、退学或开除后的证件"),
    STUDENT, (
        _entry(CPU,
               "After graduation or completion there is no further extension. On graduation, "
               "withdrawal, suspension or dismissal your visa or residence permit is cancelled "
               "from the day you leave the university.",
               "正常毕业/结业后不再给予签证延期。毕业/结业、退学、休学、被开除的，离校日期以后的签证/居留"
               "许可将注销。",
               cite(CPU, "10")),
        _entry(JSNU,
               "After withdrawal, suspension or dismissal, change your residence permit to a "
               "short-term stay permit and leave within the time limit; otherwise the "
               "International College cancels it.",
               "退学、休学或被劝退、开除的，须将居留许可换发为短期停留证件并限期离境，否则国际学院将取消其"
               "签证或居留许可。",
               cite(JSNU, "15")),
    ), computed_by="permit_after_studies")

DEPENDENTS = Topic("dependents", Text("Bringing family members", "家属陪读"), STUDENT, (
    _entry(CPU,
           "Only the university's master's and doctoral students may bring dependents, and "
           "their stay may not exceed your residence permit. (The regulation's English version "
           "adds “full-time”; its Chinese text, followed here, does not.)",
           "家属陪读仅限我校硕士和博士留学生，家属停留期限不得超过您的居留许可有效期。（该条英文版本另有"
           "“全日制”字样，本回答依据的中文原文没有。）",
           cite(CPU, "10bis"), step_texts(dependents.CPU_STEPS)),
    _entry(JSNU,
           "Your family's stay may not exceed your residence permit.",
           "家属在华停留期限不得超过您的居留许可有效期。",
           cite(JSNU, "5"), step_texts(dependents.JSNU_STEPS)),
    _entry(WESTLAKE,
           "For foreign employees, the Office of International Affairs helps you and your family "
           "with the paperwork for work and residence permits.",
           "对外籍员工，国际事务办公室为本人及家属办理工作和居留许可材料提供协助。",
           _wl(westlake.Q_WORK_PERMIT)),
), computed_by="dependent_permit")

OVERSTAY_PENALTY = Topic(
    "overstay_penalty", Text("Overstaying: the penalty", "非法居留的处罚"), STUDENT, (
        _entry(CPU,
               "Illegal stay after your visa or permit expires: a warning; if serious, RMB 500 "
               "per day, at most RMB 10,000 in total, or 5 to 15 days' detention. You bear the "
               "responsibility yourself.",
               "签证到期后非法居留的：给予警告；情节严重的，处每日500元、总额不超过一万元的罚款，或者五日"
               "以上十五日以下拘留，责任由学生本人承担。",
               (*cite(CPU, "12", "9"), OVERSTAY.citation)),
        _entry(JSNU,
               "Illegal stay after your visa or permit expires: a warning; if serious, RMB 500 "
               "per day, at most RMB 10,000 in total, or 5 to 15 days' detention.",
               "签证、居留许可到期后非法停留、居留的：给予警告；情节严重的，处每日500元、总额不超过一万元"
               "的罚款，或者五日以上十五日以下拘留。",
               (*cite(JSNU, "9"), OVERSTAY.citation)),
        _national(
            "National law: illegal stay is punished by a warning; if serious, RMB 500 per day, at "
            "most RMB 10,000 in total, or 5 to 15 days' detention.",
            "国家规定：非法居留的给予警告；情节严重的，处每日500元、总额不超过一万元的罚款或者五日以上"
            "十五日以下拘留。",
            (OVERSTAY.citation,)),
    ), computed_by="overstay_penalty")

ILLEGAL_EMPLOYMENT_PENALTY = Topic(
    "illegal_employment_penalty",
    Text("Working illegally: the penalty", "非法就业的处罚"), STUDENT, (
        _entry(CPU,
               "Illegal employment: a fine of RMB 5,000 to 20,000; if serious, 5 to 15 days' "
               "detention and also a fine of RMB 5,000 to 20,000.",
               "非法就业的，处5000元以上20000元以下罚款；情节严重的，处五日以上十五日以下拘留，并处5000元"
               "以上20000元以下罚款。",
               (*cite(CPU, "12"), ILLEGAL_EMPLOYMENT.citation)),
        _entry(JSNU,
               "Working beyond the approved work-study job or hours, or beyond the internship "
               "area or period, is illegal employment: a fine of RMB 5,000 to 20,000; if serious, "
               "5 to 15 days' detention and the same fine.",
               "超出勤工助学岗位范围或时限、超出实习区域或期限的，认定为非法就业：处5000元以上20000元以下"
               "罚款；情节严重的，处五日以上十五日以下拘留并处同样罚款。",
               (*cite(JSNU, "7"), ILLEGAL_EMPLOYMENT.citation,
                ILLEGAL_EMPLOYMENT_DEFINITION.citation)),
        _national(
            "National law: illegal employment is fined RMB 5,000 to 20,000; if serious, 5 to 15 "
            "days' detention and the same fine.",
            "国家规定：非法就业的，处5000元以上20000元以下罚款；情节严重的，处五日以上十五日以下拘留并处"
            "同样罚款。",
            (ILLEGAL_EMPLOYMENT.citation, ILLEGAL_EMPLOYMENT_DEFINITION.citation)),
    ), computed_by="illegal_employment_penalty")

LOST_PASSPORT = Topic(
    "lost_passport", Text("Lost or damaged passport", "护照遗失或损毁"), STUDENT, (
        _decided(CPU, lost_passport(CPU)),
        _decided(JSNU, lost_passport(JSNU)),
    ), computed_by="lost_passport")

LOST_PERMIT = Topic(
    "lost_permit", Text("Lost visa or residence permit", "签证或居留许可遗失"), STUDENT, (
        _decided(JSNU, lost_permit(JSNU)),
    ), computed_by="lost_permit")

TRANSFER = Topic("transfer", Text("Transferring from another university", "从其他学校转入"),
                 STUDENT, (
    _entry(JSNU,
           "If you transfer from another school, change your residence permit at the Exit and "
           "Entry Administration Branch of Xuzhou Public Security Bureau within 10 days of "
           "arriving at Jiangsu Normal University.",
           "由他校转入的，须在到达我校十日内到徐州市公安局出入境管理支队办理居留许可变更手续。",
           cite(JSNU, "6")),
), computed_by="transfer_deadline")

_FINE: Final = ILLEGAL_EMPLOYMENT_FINE

WORK_STUDY = Topic("work_study", Text("Work-study and internships", "勤工助学与实习"), STUDENT, (
    _entry(JSNU,
           "With a study residence permit you may work-study or intern off campus only with the "
           "university's consent and a work-study or internship annotation from the Exit and "
           "Entry Administration Branch of Xuzhou Public Security Bureau (bring your passport, "
           "residence permit and documents). Working beyond the approved job, hours, area or "
           "period, or without them, is illegal employment: a fine of RMB "
           f"{_FINE[0]:,} to {_FINE[1]:,}, and if serious also 5 to 15 days' detention.",
           "居留事由为“学习”的，校外勤工助学或实习须经学校同意，并持护照、居留证件和相关材料到徐州市"
           "公安局出入境管理支队申请加注。未经同意和加注，或超出规定岗位、时限、区域或期限的，属于非法就业："
           f"处{_FINE[0]}元以上{_FINE[1]}元以下罚款，情节严重的，并处五日以上十五日以下拘留。",
           (*cite(JSNU, "7"), ILLEGAL_EMPLOYMENT.citation, ILLEGAL_EMPLOYMENT_DEFINITION.citation)),
), computed_by="work_study_check")

ZERO_ENTRY_TRAVEL = Topic(
    "zero_entry_travel",
    Text("Leaving China on a zero-entry X visa", "持X字零次签证出境"), STUDENT, (
        _entry(JSNU,
               "If you hold a zero-entry X visa and must go home, to Hong Kong, Macao or another "
               "country, apply to your college one month before leaving. With the university's "
               "approval and the International College's certificate, get a return visa at the "
               "Exit and Entry Administration Branch and come back within its validity.",
               "持X字零次签证因病、因事回国或前往港澳地区及其他国家的，须于出境前一个月向所在学院申请；经"
               "学校同意后凭国际学院证明到出入境管理支队办理往返签证，并在有效期内返校。",
               cite(JSNU, "8")),
    ), computed_by="zero_entry_travel_deadline")

HOLIDAYS = Topic("holidays", Text("Visa procedures and holidays", "假期与签证手续"), STUDENT, (
    _entry(JSNU,
           "At the end of each semester, finish visa, residence permit and re-entry procedures "
           "before the holidays begin; they are generally not handled during holidays.",
           "每学期结束时，签证、居留许可及再入境手续须在假期前办理完毕，假期一般不予办理。",
           cite(JSNU, "9")),
), computed_by="extension_application_deadline")

EXIT_ENTRY_FEES = Topic(
    "exit_entry_fees", Text("Fees for the residence permit", "居留许可办理费用"), STUDENT, (
        _entry(JSNU,
               "When you apply for or extend a residence permit you pay the fee to the Exit and "
               "Entry Administration Branch of Xuzhou Public Security Bureau as regulated. The "
               "regulations give no amount, so I cannot tell you one: ask the Branch or the "
               "International College.",
               "申请或延长居留许可时，须按有关规定向徐州市公安局出入境管理支队交纳费用。规定未写明金额，"
               "本助手无法告知具体数额，请向出入境管理支队或国际学院咨询。",
               cite(JSNU, "10")),
    ))

RESIDENCE_PERMIT_DOCUMENTS = Topic(
    "residence_permit_documents",
    Text("Documents for a residence permit", "申请居留许可所需材料"), STUDENT, (
        _entry(JSNU,
               "Bring these documents (Article 11, from the English text; the Chinese list is "
               "missing in the source):",
               "请准备以下材料（第十一条，依据英文文本；原文中文清单缺失）：",
               cite(JSNU, "11"), jsnu.RESIDENCE_PERMIT_DOCUMENTS),
    ))

MEDICAL_EXAMINATION = Topic(
    "medical_examination", Text("Yearly medical examination", "每学年体检"), STUDENT, (
        _entry(JSNU,
               "Every academic year, have a medical examination before applying for your "
               "residence permit; the health certificate comes from the "
               f"{jsnu.HEALTH_CERTIFICATE_ISSUER.en}.",
               "每学年申请居留许可前须进行体检，健康证明由"
               f"{jsnu.HEALTH_CERTIFICATE_ISSUER.zh}出具。",
               cite(JSNU, "11")),
    ), computed_by="medical_examination_deadline")

CLOSED_AREA_TRAVEL = Topic(
    "closed_area_travel", Text("Travel to areas closed to foreigners", "前往未开放地区旅行"),
    STUDENT, (
        _entry(JSNU,
               "Except on tours organised by the university, tell your college where you are "
               "going before travelling to an area closed to foreigners; with the university's "
               "approval, get the travel formalities yourself at the Exit and Entry "
               "Administration Branch of Xuzhou Public Security Bureau. You handle and pay for "
               "all travel procedures and must obey Chinese regulations.",
               "除学校统一组织的旅行外，个人前往不对外开放地区的，须向所在学院说明去向，经学校同意后本人到"
               "徐州市公安局出入境管理支队办理旅行手续；手续和费用自理，并遵守中国有关规定。",
               cite(JSNU, "12")),
    ))

CARRY_PASSPORT_TOPIC = Topic(
    "carry_passport", Text("Carrying your passport", "随身携带护照"), STUDENT, (
        _entry(JSNU,
               "Carry your passport whenever you go out. While it is held for processing, the "
               "acceptance receipt lets you stay in China legally: keep it with you.",
               "外出须随身携带护照以备查验。护照因办理证件被收存期间，可凭受理回执在中国境内合法停留，请随身"
               "携带回执。",
               (*cite(JSNU, "14"), CARRY_PASSPORT.citation)),
        _national(
            "National law: from the age of 16, carry your passport (or stay or residence permit) "
            "and show it when the police ask.",
            "国家规定：年满十六周岁的外国人须随身携带护照或停留居留证件，接受公安机关查验。",
            (CARRY_PASSPORT.citation,)),
    ))

ABOUT_REGULATIONS = Topic(
    "about_regulations", Text("About these regulations", "关于本规定"), STUDENT, (
        _entry(CPU,
               "China Pharmaceutical University's regulations (CPU School of International "
               "Education (2018) No. 3) apply to all its international students from 4 December "
               "2018 and replace the 2015 rules. The School of International Education "
               "interprets them; matters they do not cover are decided by the university under "
               "national and university rules.",
               "《中国药科大学外国留学生签证及居留相关规定》（药大国教院函〔2018〕3号）适用于全体外国留学生，"
               "自2018年12月4日起实施，原2015年规定作废，由国际教育学院负责解释；未尽事宜由学校根据国家及"
               "学校相关规定研究处理。",
               cite(CPU, "1", "14", "15")),
        _entry(JSNU,
               "Jiangsu Normal University's regulations apply from their promulgation; the "
               "International College interprets them.",
               "江苏师范大学的规定自发布之日起执行，解释权归国际学院。",
               cite(JSNU, "16", "17")),
    ))

# ---------------------------------------------------------------- staff topics

INVITE_SHORT_TERM_VISITOR = Topic(
    "invite_short_term_visitor",
    Text("Inviting short-term international visitors", "邀请短期来访的国际人员"), STAFF, (
        _entry(WESTLAKE,
               "Partners, experts or speakers invited for forums, lectures, exchanges, interviews "
               "or training need a Chinese visa that matches the purpose of the visit. File an "
               "application for approval in the Online Service Hall; the Office of International "
               "Affairs then helps with the visa. Check the current national and local entry "
               "policies first.",
               "受邀参加论坛、讲座、学术交流、面试或培训的合作伙伴、专家或演讲者，须办理与来访目的相符的中国"
               "签证。请先在网上办事大厅提交审批申请，国际事务办公室随后协助办理签证；请先了解国家和地方最新"
               "入境政策。",
               _wl(westlake.Q_SHORT_TERM_INVITEES)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office issues visa invitations for "
               "short-term foreign visitors.",
               "国际交流与合作处负责为短期来访外国人员出具签证邀请函。",
               cite(QJNU, "7")),
    ))

INVITE_VISITING_SCHOLAR = Topic(
    "invite_visiting_scholar",
    Text("Inviting international visiting scholars", "邀请国际访问学者"), STAFF, (
        _entry(WESTLAKE,
               "Visiting scholars stay for work for 15 days to one year, as Category A "
               "(professors) or Category B (scholars), and need the right visa before arrival. "
               "File an application for approval in the Online Service Hall; the Office of "
               "International Affairs then helps with the paperwork.",
               "国际访问学者来校工作15天至一年，分为A类（教授）和B类（学者），须在来华前办理相应签证。请先在"
               "网上办事大厅提交审批申请，国际事务办公室随后协助准备材料。",
               _wl(westlake.Q_VISITING_SCHOLARS)),
    ), computed_by="visiting_scholar_stay")

FOREIGN_EXPERT_WORK_PERMIT = Topic(
    "foreign_expert_work_permit",
    Text("Work visa, work permit and residence permit", "工作签证、工作许可和居留许可"), STAFF, (
        _entry(WESTLAKE,
               "If you are employed full-time with a foreign passport, get a work visa and, after "
               "arrival, a work and residence permit, or a permanent residence ID card if "
               "eligible. Foreign experts are Type A (high-end talent) or Type B (professional "
               "talent, including international post-docs); procedures differ case by case, and "
               "the Office of International Affairs helps you and your family.",
               "持外国护照全职受聘的，须办理工作签证并在入境后办理工作许可和居留许可，符合条件的也可申请永久"
               "居留身份证。外国专家分为A类（高端外国人才）和B类（外国专业人才，含国际博士后），办理程序因人"
               "而异，国际事务办公室为本人及家属提供协助。",
               _wl(westlake.Q_WORK_PERMIT)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office recruits and serves foreign "
               "experts, including their entry procedures, accommodation, work permits and "
               "residence permits.",
               "国际交流与合作处负责外国专家的招聘和服务，包括入境手续、住宿以及工作许可和居留许可的办理。",
               cite(QJNU, "3")),
    ))

DOCUMENT_EXPIRY_REMINDER = Topic(
    "document_expiry_reminder",
    Text("Document expiry records and reminders", "证件到期登记与提醒"), STAFF, (
        _entry(WESTLAKE,
               "The Office of International Affairs' online system records your documents' "
               "expiry dates and e-mails you reminders early. Log in to the Online Service Hall "
               "and fill in the registration form for document service; an administrator you "
               "authorise may fill it in, and you can edit it after submission.",
               "国际事务办公室的在线登记提醒系统会记录证件到期日并提前发送提醒邮件。请登录网上办事大厅填写"
               "证件服务登记表，可授权管理员代填，提交后可修改。",
               _wl(westlake.Q_WORK_PERMIT)),
    ))

OVERSEAS_BUSINESS_TRIP = Topic(
    "overseas_business_trip",
    Text("Approval of overseas business trips", "因公出国（境）审批"), STAFF, (
        _entry(WESTLAKE,
               "Faculty and staff overseas business trips must be approved before departure, "
               "through the Online Service Hall.",
               "教职工因公出国（境）须在出发前通过网上办事大厅获得审批。",
               _wl(westlake.Q_BUSINESS_TRIP)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office reviews and approves faculty "
               "and staff official travel abroad (including Hong Kong, Macao and Taiwan) and "
               "gives pre-departure training.",
               "国际交流与合作处负责教职工因公出国（境）（含赴港澳台）的审核审批，并提供行前培训。",
               cite(QJNU, "8")),
    ))

STUDENT_OVERSEAS_TRIP = Topic(
    "student_overseas_trip",
    Text("Students' overseas academic trips", "学生境外学术出访"), STAFF, (
        _entry(WESTLAKE,
               "A student going on an overseas academic trip must get approval before departure "
               "and submit a report after the trip.",
               "学生境外学术出访须在出发前获得审批，并在回国后提交出访报告。",
               _wl(westlake.Q_STUDENT_TRIP)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office runs student study-abroad and "
               "exchange programmes, including travel approval, following students abroad and "
               "evaluation after their return.",
               "国际交流与合作处负责学生出国（境）学习和交流项目，包括出行审批、境外跟踪和回国后评估。",
               cite(QJNU, "4")),
    ))

INTERNATIONAL_CONFERENCE = Topic(
    "international_conference",
    Text("Hosting an international conference", "举办国际会议"), STAFF, (
        _entry(WESTLAKE,
               "Contact the Office of International Affairs at least two to three months before "
               "the conference is publicly announced; depending on scope and size it helps file "
               "the documents with the authorities.",
               "须至少在会议公开发布前两到三个月联系国际事务办公室，办公室根据会议规模和范围协助向相关主管"
               "部门报备。",
               _wl(westlake.Q_CONFERENCE)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office organises international "
               "conferences.",
               "国际交流与合作处负责组织国际会议。",
               cite(QJNU, "7")),
    ), computed_by="conference_contact_deadline")

INTERNATIONAL_PARTNERSHIP = Topic(
    "international_partnership",
    Text("International collaborations and partnerships", "国际合作与伙伴关系"), STAFF, (
        _entry(WESTLAKE,
               "The university, its schools, centres, platforms and labs can partner with "
               "overseas institutions for exchanges, joint research or joint programmes. For a "
               "partnership in the university's name, contact the Office of International "
               "Affairs.",
               "西湖大学及其学院、中心、平台和实验室可与境外机构开展交流、联合研究或联合培养合作。以学校名义"
               "建立合作的，请联系国际事务办公室。",
               _wl(westlake.Q_PARTNERSHIP)),
        _entry(QJNU,
               "The International Exchange and Cooperation Office runs strategic partnership "
               "programmes, expands international collaboration and reviews foreign-affairs "
               "activities; it also coordinates major projects such as Sino-foreign joint "
               "education programmes.",
               "国际交流与合作处负责战略合作项目、拓展国际合作并审核外事活动，并统筹中外合作办学等重大项目。",
               cite(QJNU, "2", "5")),
    ))

HONG_KONG_MACAO_TAIWAN = Topic(
    "hong_kong_macao_taiwan",
    Text("Hong Kong, Macao and Taiwan", "港澳台事务"), STAFF, (
        _entry(QJNU,
               "The International Exchange and Cooperation Office handles Hong Kong, Macao and "
               "Taiwan affairs: collaboration with universities there, academic exchanges and "
               "visits, and key exchange projects. It also approves staff official travel to "
               "Hong Kong, Macao and Taiwan.",
               "国际交流与合作处负责港澳台事务：与港澳台高校的合作、学术交流与互访及重点交流项目，并审批教职"
               "工因公赴港澳台。",
               cite(QJNU, "6", "8")),
        _entry(JSNU,
               "Students on a zero-entry X visa who need to go to Hong Kong or Macao apply to "
               "their college one month before leaving and get a return visa.",
               "持X字零次签证需前往港澳地区的学生，须于出境前一个月向所在学院申请并办理往返签证。",
               cite(JSNU, "8")),
    ))

CONTACT_OFFICE = Topic(
    "contact_office", Text("Which office to contact", "联系哪个部门"), ANYONE, (
        _entry(CPU,
               "The School of International Education of China Pharmaceutical University handles "
               "international students' registration, visa letters and residence permits.",
               "中国药科大学国际教育学院负责国际学生的注册、签证介绍信和居留许可事宜。",
               cite(CPU, "15", "5")),
        _entry(JSNU,
               "Start with your college; the International College of Jiangsu Normal University "
               "handles residence-permit letters, and the Exit and Entry Administration Branch of "
               "Xuzhou Public Security Bureau (No. 33, Kuangshan Road) issues the permits.",
               "请先联系所在学院；江苏师范大学国际学院负责居留许可证明材料，居留证件由徐州市公安局出入境管理"
               "支队（矿山路33号）签发。",
               cite(JSNU, "16", "4", "13")),
        _entry(WESTLAKE,
               "Contact Westlake University's Office of International Affairs; most procedures "
               "start with an application in the Online Service Hall.",
               "请联系西湖大学国际事务办公室；多数事项需先在网上办事大厅提交申请。",
               _wl(westlake.PORTAL_INTRO)),
        _entry(QJNU,
               "Qujing Normal University's International Exchange and Cooperation Office (founded "
               "July 2006) handles international collaboration, foreign affairs and Hong Kong, "
               "Macao and Taiwan matters.",
               "曲靖师范学院国际交流与合作处（2006年7月成立）负责国际合作、外事及港澳台事务。",
               cite(QJNU, "0")),
    ))

OFFICE_RESPONSIBILITIES = Topic(
    "office_responsibilities",
    Text("Who does what in the international office", "国际处的职责分工"), STAFF, (
        _entry(QJNU,
               "The International Exchange and Cooperation Office (founded July 2006) has ten "
               "areas of responsibility:",
               "国际交流与合作处（2006年7月成立）共有十项职责：",
               cite(QJNU, "0", *(str(item.number) for item in qjnu.RESPONSIBILITIES)),
               tuple(Text(f"{item.title.en}: {item.duties.en}",
                          f"{item.title.zh}：{item.duties.zh}")
                     for item in qjnu.RESPONSIBILITIES)),
    ), computed_by="who_handles")

TOPICS: Final[tuple[Topic, ...]] = (
    VISA_TYPES,
    RESIDENCE_PERMIT_VALIDITY,
    RESIDENCE_PERMIT_APPLICATION,
    TEMPORARY_REGISTRATION,
    PAYMENT_BEFORE_VISA,
    AUTOMATIC_WITHDRAWAL,
    STAY_PERMIT,
    EXTENSION_APPLICATION,
    PERMIT_CANCELLATION,
    DEPENDENTS,
    OVERSTAY_PENALTY,
    ILLEGAL_EMPLOYMENT_PENALTY,
    LOST_PASSPORT,
    LOST_PERMIT,
    TRANSFER,
    WORK_STUDY,
    ZERO_ENTRY_TRAVEL,
    HOLIDAYS,
    EXIT_ENTRY_FEES,
    RESIDENCE_PERMIT_DOCUMENTS,
    MEDICAL_EXAMINATION,
    CLOSED_AREA_TRAVEL,
    CARRY_PASSPORT_TOPIC,
    ABOUT_REGULATIONS,
    INVITE_SHORT_TERM_VISITOR,
    INVITE_VISITING_SCHOLAR,
    FOREIGN_EXPERT_WORK_PERMIT,
    DOCUMENT_EXPIRY_REMINDER,
    OVERSEAS_BUSINESS_TRIP,
    STUDENT_OVERSEAS_TRIP,
    INTERNATIONAL_CONFERENCE,
    INTERNATIONAL_PARTNERSHIP,
    HONG_KONG_MACAO_TAIWAN,
    CONTACT_OFFICE,
    OFFICE_RESPONSIBILITIES,
)

_BY_ID: Final[Mapping[str, Topic]] = MappingProxyType({t.id: t for t in TOPICS})

FAQ_TOPICS: Final[tuple[str, ...]] = tuple(t.id for t in TOPICS)

# Topics whose answer is built by a function that needs only the institution.
_NO_INPUT_FUNCTIONS: Final[Mapping[str, Callable[[str], Decision]]] = MappingProxyType(
    {LOST_PASSPORT.id: lost_passport, LOST_PERMIT.id: lost_permit}
)

# National documents the registry cites, so the coverage table can list them.
NATIONAL_DOCUMENTS_CITED: Final = (EXIT_ENTRY_LAW, ENTRY_EXIT_REGULATIONS, CIVIL_CODE)


def topic(topic_id: str) -> Topic:
    """The topic with this id; ValueError if there is none."""
    found = _BY_ID.get(topic_id)
    if found is None:
        raise ValueError(f"unknown topic {topic_id!r}")
    return found


def faq_answer(topic_id: str, institution_code: str) -> Decision:
    """The answer to ``topic_id`` that needs no inputs, for one institution.

    Falls back to national law when the institution's documents do not restate a national
    rule; otherwise ``covered=False``, naming the institutions whose documents do cover it.
    """
    if topic_id in _NO_INPUT_FUNCTIONS:
        return _NO_INPUT_FUNCTIONS[topic_id](institution(institution_code).code)
    return topic_answer(topic(topic_id), institution_code)


def topic_answer(found: Topic, institution_code: str) -> Decision:
    """A topic's fixed answer for one institution (a registry topic, or a maintainer's plain
    question, ``knowledge.questions``): its own entry, else national law, else
    ``covered=False`` naming the institutions whose documents answer it."""
    code = institution(institution_code).code
    entry = found.entry(code)
    if entry is not None:
        return Decision(found.id, entry.covered, entry.answer, entry.citations, entry.steps)
    fallback = found.entry("CN")
    if fallback is not None:
        profile = institution(code)
        note = Text(
            f"{profile.name.en}'s documents here do not restate this, but national law applies "
            "to everyone in China.",
            f"本助手收录的{profile.name.zh}文件未重申此项，但国家法律适用于在华所有人员。",
        )
        return Decision(found.id, True, note.join(fallback.answer, zh_sep=""),
                        fallback.citations)
    covered_by = tuple(
        citation for entry in found.entries if entry.institution != "CN"
        for citation in entry.citations[:1]
    )
    subject = Text(f"“{found.title.en}”", f"“{found.title.zh}”")
    return not_addressed(found.id, code, subject, covered_by)


