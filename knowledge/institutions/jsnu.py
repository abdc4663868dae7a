"""Jiangsu Normal University: profile and its visa and residence-permit regulations.

Source: shared/seeds/003 — International College regulations, Articles 1–17 in Chinese and
English. The Chinese text of Article 11 is empty (its list survives only in English), so
Article 11 follows the English. Elsewhere, where the versions differ, the Chinese (the
university's own text) is followed; each provision's ``follows`` and ``note`` say so.

The semester's holidays are configuration, not source: Article 9 says procedures must be
finished before the holidays, and the office sets their dates (``SEMESTER_HOLIDAYS``, read by
the deadline action and passed to the rules here as an argument).
"""

from __future__ import annotations

from typing import Final

from knowledge.core import SOURCE_NAMES, Text, chinese_number, months_text
from knowledge.institutions.base import FOLLOWS_EN, FOLLOWS_ZH, Institution, Provision

CODE: Final = "JSNU"

PROFILE: Final = Institution(
    code=CODE,
    name=SOURCE_NAMES[CODE],
    aliases=(
        "Jiangsu Normal University",
        "Jiangsu Normal Univ",
        "Jiangsu Normal Uni",
        "Jiangsu Normal",
        "JSNU",
        "江苏师范大学",
        "江苏师范",
        "江苏师大",
        "江师大",
    ),
    city=Text("Xuzhou", "徐州"),
    office=Text("International College", "国际学院"),
    authority=Text(
        "Exit and Entry Administration Branch of Xuzhou Public Security Bureau "
        "(No. 33, Kuangshan Road)",
        "徐州市公安局出入境管理支队（矿山路33号）",
    ),
    contact=Text(
        "Your college, then the International College of Jiangsu Normal University; the "
        "WeChat mini program “International Student Service Assistant” for registration",
        "所在学院，再由江苏师范大学国际学院办理；住宿登记用微信小程序“留学生服务小助手”",
    ),
    source="003_3c6350b0a9f5ea34.txt",
    source_language=Text("Chinese and English", "中英文"),
)

# The numbers the regulations set: the provisions below state them from here, and the rules
# compute with them, so a number lives in one place.
X1_STAY_DAYS: Final = 30  # Art. 1
ADDRESS_REGISTRATION_HOURS: Final = 24  # Art. 3
TRANSFER_DAYS: Final = 10  # Art. 6
ZERO_ENTRY_TRAVEL_MONTHS_BEFORE: Final = 1  # Art. 8
EXTENSION_MONTHS_BEFORE: Final = 1  # Art. 9


# Art. 11(6) names the health certificate's issuer in English only ("Xuzhou Entry-Exit
# Quarantine Bureau"); the Chinese list is empty, so no Chinese name is given for it.
HEALTH_CERTIFICATE_ISSUER: Final = Text(
    "Xuzhou Entry-Exit Quarantine Bureau",
    "Xuzhou Entry-Exit Quarantine Bureau（原文仅有英文名称）",
)

# Art. 11, English only (the Chinese list is empty).
RESIDENCE_PERMIT_DOCUMENTS: Final[tuple[Text, ...]] = (
    Text("The original and a copy of your valid passport and visa",
         "有效护照和签证的原件及复印件"),
    Text("The official letter of Jiangsu Normal University stating your study period",
         "江苏师范大学出具的注明学习期限的公函"),
    Text("The original Visa Application Form for Study in China (JW202 or JW201)",
         "《外国留学人员来华签证申请表》（JW202或JW201表）原件"),
    Text("The Application Form for Foreigner Visa and Residence Permit with one two-inch "
         "full-face colour photo on a white background, without headwear",
         "《外国人签证、居留许可申请表》，附二寸白底免冠正面彩色照片一张"),
    Text("One copy of the admission notice", "录取通知书复印件一份"),
    Text(f"The health certificate issued by {HEALTH_CERTIFICATE_ISSUER.en} (have the "
         "medical examination every academic year before applying)",
         f"{HEALTH_CERTIFICATE_ISSUER.zh}出具的健康证明（每学年申请居留许可前须进行体检）"),
)

PROVISIONS: Final[tuple[Provision, ...]] = (
    Provision(
        CODE, "1",
        Text("Visa after admission: X1 and X2", "录取后申请签证：X1与X2"),
        Text(
            "Admitted full-time students apply for a visa at the Chinese embassy or consulate "
            f"in their country. An X1 visa gives a stay of {X1_STAY_DAYS} days after entry; for "
            "an X2 visa the validity, length of stay and number of entries are set by the "
            "embassy or consulate.",
            "被录取的全日制国际学生应向中国驻所在国使领馆申请签证。持X1签证入境的，入境后停留期限为"
            f"{X1_STAY_DAYS}天；持X2签证的，入境有效期、停留期限、入境次数等由使领馆确定。",
        ),
    ),
    Provision(
        CODE, "2",
        Text("X1 holders apply for a residence permit; X2 holders who continue",
             "X1签证须办居留许可；X2签证续读"),
        Text(
            "X1 holders must apply for a residence permit before the visa expires. X2 holders "
            "who want to continue after the original study period apply to the university in "
            "advance, then to the Exit and Entry Administration Branch of Xuzhou Public "
            "Security Bureau for a residence permit before the visa expires.",
            "持X1签证的须在签证到期前申请办理居留许可。持X2签证的如需在原定学习期限结束后继续学习，"
            "应提前向学校申请续读，并在签证到期前向徐州市公安局出入境管理支队申请办理居留许可。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English has X2 holders apply for further study 'after the end of the original "
            "study period'; the Chinese 应提前向学校申请续读 says to apply in advance. The "
            "Chinese is followed."
        ),
    ),
    Provision(
        CODE, "3",
        Text("Registration in the WeChat mini program", "在微信小程序登记"),
        Text(
            "Before applying for a visa or residence permit, register your personal data in the "
            "WeChat mini program “International Student Service Assistant”, and update it after "
            "a new passport or residence permit. Students living off campus who change address "
            f"re-register their accommodation there within {ADDRESS_REGISTRATION_HOURS} hours. "
            "Extension documents are given only once this is complete.",
            "办理签证或居留许可前，须在微信小程序“留学生服务小助手”内完成个人信息注册；护照或居留许可"
            "更新后及时更新信息。住宿校外的学生变更住址的，应于"
            f"{ADDRESS_REGISTRATION_HOURS}小时内在小程序中重新申报住宿登记。"
            "信息和住宿登记完成后方可领取延长居留许可的材料。",
        ),
        note=(
            "Both versions limit the 24-hour re-registration after a change of address to "
            "students living off campus; for students living on campus the article sets no "
            "time limit, and the answers say so."
        ),
    ),
    Provision(
        CODE, "4",
        Text("Pay the year before the permit", "缴清学年费用后办理居留许可"),
        Text(
            "After paying tuition, accommodation and insurance for the school year, your college "
            "puts you on the list sent to the International College, which helps students "
            "living on campus with the residence permit. The International College may cancel "
            "the visa or residence permit of students who do not pay on time; the student "
            "bears the consequences.",
            "国际学生按学年缴清学费、住宿费、保险费后，由相关学院向国际学院提供名单，国际学院协助"
            "办理校内住宿居留许可。对不能按期缴清费用的，国际学院有权注销其签证或居留许可，后果由"
            "学生本人承担。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English says the College may 'refuse' students who do not pay; the Chinese "
            "says it may cancel (注销) their visa or permit. The Chinese is followed. Both "
            "versions say the College helps students living on campus (校内住宿, 'who live in "
            "campus'); neither says who helps students living off campus, and the answers say "
            "so."
        ),
    ),
    Provision(
        CODE, "5",
        Text("Family members", "陪读家属"),
        Text(
            "For family members applying for a visa, your college issues a study certificate; "
            "ask the Chinese embassy or consulate about the other documents. Family members "
            "extend their permit or visa at the Exit and Entry Administration Branch of Xuzhou "
            "Public Security Bureau. Their stay may not exceed the student's residence permit.",
            "国际学生家属申请签证来华的，相关学院协助出具在读证明，其他材料向中国驻所在国使领馆咨询。"
            "陪读家属可在徐州市公安局出入境管理支队办理居留证件或签证延期，在华停留期限不得超过国际"
            "学生居留许可的有效期限。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English mentions only a 'residence permit extension' for family members; the "
            "Chinese 居留证件或签证延期 (a residence document or a visa extension) is followed."
        ),
    ),
    Provision(
        CODE, "6",
        Text(f"Transfer from another university: {TRANSFER_DAYS} days",
             f"转学：{TRANSFER_DAYS}日内"),
        Text(
            "Students transferring from another school change their residence permit at the "
            "Exit and Entry Administration Branch of Xuzhou Public Security Bureau within "
            f"{TRANSFER_DAYS} days of arriving at Jiangsu Normal University.",
            f"由他校转入的国际学生，须在到达我校{chinese_number(TRANSFER_DAYS)}日内，到徐州市公安局"
            "出入境管理支队办理居留许可变更手续。",
        ),
    ),
    Provision(
        CODE, "7",
        Text("Work-study and internships", "勤工助学与实习"),
        Text(
            "Students whose residence permit is for study need the university's consent to "
            "work-study or intern off campus, then apply with passport, residence permit and "
            "documents to the Exit and Entry Administration Branch of Xuzhou Public Security "
            "Bureau for a work-study or internship annotation. Working beyond the permitted "
            "job, hours, internship area or period is illegal employment: a fine of RMB "
            "5,000–20,000; if serious, 5–15 days' detention and the same fine.",
            "居留事由为“学习”的国际学生需在校外勤工助学或实习的，经学校同意后，持护照、居留证件和"
            "相关材料向徐州市公安局出入境管理支队申请加注。超出规定岗位范围或时限、超出实习区域或"
            "期限的，认定为非法就业，处五千元以上二万元以下罚款；情节严重的，处五日以上十五日以下"
            "拘留，并处五千元以上二万元以下罚款。",
        ),
    ),
    Provision(
        CODE, "8",
        Text("Leaving China on a zero-entry X visa", "持X字零次签证出境"),
        Text(
            "Students on a zero-entry X visa who need to go home, to Hong Kong, Macao or "
            "another country apply to their college "
            f"{months_text(ZERO_ENTRY_TRAVEL_MONTHS_BEFORE).en} before leaving. With the "
            "university's approval they get a return visa at the Exit and Entry Administration "
            "Branch with the International College's certificate and must re-enter within its "
            "validity.",
            "持X字零次签证的国际学生因病、因事回国或前往港澳地区及其他国家，应于出境前"
            f"{months_text(ZERO_ENTRY_TRAVEL_MONTHS_BEFORE).zh}向相关学院申请，经学校同意后凭国际学院"
            "证明到徐州市公安局出入境管理支队办理往返签证，并在签证有效期内入境返校。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "Only the Chinese names where the return visa is issued (徐州市公安局出入境管理支队) "
            "and adds going home (回国); the Chinese is followed."
        ),
    ),
    Provision(
        CODE, "9",
        Text(f"Extension {months_text(EXTENSION_MONTHS_BEFORE).en} ahead, holidays and illegal "
             "stay", f"提前{months_text(EXTENSION_MONTHS_BEFORE).zh}申请延期、假期与非法居留"),
        Text(
            "Leave China before the residence permit expires or extend it in time: apply to the "
            f"International College at least {months_text(EXTENSION_MONTHS_BEFORE).en} ahead. "
            "At the end of each semester, visa, residence permit and re-entry procedures must "
            "be finished before the holidays; they are generally not handled during holidays. "
            "Illegal stay: a warning; if serious, RMB 500 per day up to RMB 10,000 in total, or "
            "5–15 days' detention.",
            "国际学生须在居留许可到期前离境，继续学习者应在到期前办理延期，并至少提前"
            f"{months_text(EXTENSION_MONTHS_BEFORE).zh}向国际学院申请。学期结束时，签证、居留许可"
            "及再入境手续须在假期前办理完毕，假期一般不予办理。非法停留、居留的，给予警告；情节"
            "严重的，处每日五百元、总额不超过一万元的罚款或者五日以上十五日以下拘留。",
        ),
        follows=FOLLOWS_ZH,
        note="Only the Chinese adds that holidays are generally not processed (假期一般不予办理).",
    ),
    Provision(
        CODE, "10",
        Text("Fees to the exit-entry authority", "向出入境管理部门缴费"),
        Text(
            "When applying for or extending a residence permit, pay the fee to the Exit and "
            "Entry Administration Branch of Xuzhou Public Security Bureau as regulated. The "
            "regulations state no amount.",
            "办理居留许可申请或延期时，国际学生须按有关规定向徐州市公安局出入境管理支队交纳费用。"
            "本规定未写明金额。",
        ),
    ),
    Provision(
        CODE, "11",
        Text("Documents for a residence permit", "申请居留许可所需材料"),
        Text(
            "Passport and visa (original and copy); the university's letter stating the study "
            "period; the JW202/JW201 form; the visa and residence permit application form with "
            "one two-inch photo; a copy of the admission notice; a health certificate from the "
            f"{HEALTH_CERTIFICATE_ISSUER.en}, with a medical examination every academic year.",
            "护照和签证原件及复印件；学校出具的注明学习期限的公函；JW202/JW201表原件；外国人签证、"
            f"居留许可申请表及二寸照片一张；录取通知书复印件；{HEALTH_CERTIFICATE_ISSUER.zh}出具的"
            "健康证明（每学年申请前须体检）。",
        ),
        follows=FOLLOWS_EN,
        note=(
            "The Chinese list of Article 11 is empty in the source; the English list is "
            "followed. It names the health certificate's issuer in English only, so the Chinese "
            "answers quote that English name and give no Chinese one."
        ),
    ),
    Provision(
        CODE, "12",
        Text("Travel to closed areas", "前往未开放地区旅行"),
        Text(
            "Apart from tours organised by the university, anyone travelling to an area closed "
            "to foreigners tells their college where they are going and, with the university's "
            "approval, obtains the travel formalities at the Exit and Entry Administration "
            "Branch of Xuzhou Public Security Bureau. Students handle and pay for all travel "
            "procedures themselves and obey Chinese regulations.",
            "除学校统一组织的旅行参观外，个人前往不对外开放地区旅行的，须向所在学院说明去向，经学校"
            "同意后由本人到徐州市公安局出入境管理支队办理旅行手续，遵守中国有关规定，手续和费用自理。",
        ),
    ),
    Provision(
        CODE, "13",
        Text("Lost passport, visa or residence permit", "护照、签证或居留许可遗失"),
        Text(
            "A lost, damaged, stolen or robbed visa or residence permit is reissued by the Exit "
            "and Entry Administration Branch of Xuzhou Public Security Bureau. A lost passport "
            "is reported to the police station where it was lost for a loss record; with it "
            "the Branch (No. 33, Kuangshan Road) issues a passport loss certificate, and your "
            "country's embassy in China issues a new passport. Then register your accommodation "
            "again and apply for a new residence permit.",
            "签证或居留许可遗失、损毁、被盗抢的，及时向徐州市公安局出入境管理支队申请补发。护照遗失的，"
            "向遗失地派出所报失并领取报警记录单，凭此到出入境管理支队（矿山路33号）办理护照丢失证明，"
            "再向本国驻华使馆申请补发；补发后重新申报住宿登记并申请新的居留许可。",
        ),
        follows=FOLLOWS_ZH,
        note=(
            "The English says 'the local embassy in China'; the Chinese 本国驻华使馆 (your "
            "own country's embassy in China) is followed."
        ),
    ),
    Provision(
        CODE, "14",
        Text("Carry your passport", "随身携带护照"),
        Text(
            "Carry your passport whenever you go out. While the passport is held for "
            "processing, the acceptance receipt lets you stay in China legally.",
            "国际学生外出须随时携带本人护照以备查验；护照因办理证件被收存期间，可凭受理回执在中国境内"
            "合法停留。",
        ),
    ),
    Provision(
        CODE, "15",
        Text("Withdrawal, suspension, dismissal", "退学、休学、开除"),
        Text(
            "Students who withdraw, suspend their studies, or are advised to leave or expelled "
            "change their residence permit to a short-term stay permit and leave within the "
            "time limit. Otherwise the International College cancels the visa or permit.",
            "自动退学（即学生主动退学）、休学或被劝退、开除的国际学生，须将居留许可换发为短期停留证件"
            "并限期离境；不予配合的，国际学院将取消其签证或居留许可。",
        ),
        note=(
            "The Chinese 自动退学 here means a student's own withdrawal ('withdraw … "
            "voluntarily' in the English), not the automatic withdrawal for unpaid fees of CPU "
            "Art. 7; the answers write 主动退学. Neither version of JSNU's regulations provides "
            "for automatic withdrawal when fees are unpaid."
        ),
    ),
    Provision(
        CODE, "16",
        Text("Interpretation", "解释权"),
        Text("The International College interprets these regulations.",
             "本规定的解释权归国际学院。"),
    ),
    Provision(
        CODE, "17",
        Text("Entry into force", "施行"),
        Text("The regulations apply from the date of promulgation.", "本规定自发布之日起执行。"),
    ),
)
