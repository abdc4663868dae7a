"""National rules, written once and shared by every institution.

Only rules that the university regulations repeat are kept here (24-hour registration,
X1 visa and the 30-day residence-permit application, the 180-day line between X1 and X2,
carrying the passport, overstay and illegal-employment penalties) plus the Civil Code's
day counting and its reading of "以上" (Art. 1259). An institution's own article overrides
or narrows them (see the topic modules); where an institution's documents say nothing, the
national rule still applies to anyone in China and is cited on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from knowledge.core import Citation, Text

EXIT_ENTRY_LAW: Final = "exit_entry_law"
ENTRY_EXIT_REGULATIONS: Final = "entry_exit_regulations"
CIVIL_CODE: Final = "civil_code"


@dataclass(frozen=True)
class NationalRule:
    """One rule of national law, with its article and its text in both languages."""

    key: str
    citation: Citation
    text: Text


def _law(article: str) -> Citation:
    return Citation("CN", article, document=EXIT_ENTRY_LAW)


X1_RESIDENCE_PERMIT_DAYS: Final = 30
REGISTRATION_HOURS: Final = 24
LONG_TERM_STUDY_ABOVE_DAYS: Final = 180
OVERSTAY_FINE_PER_DAY: Final = 500
OVERSTAY_FINE_CAP: Final = 10_000
DETENTION_DAYS: Final = (5, 15)
ILLEGAL_EMPLOYMENT_FINE: Final = (5_000, 20_000)
CARRY_DOCUMENTS_FROM_AGE: Final = 16

X1_RESIDENCE_PERMIT: Final = NationalRule(
    "x1_residence_permit",
    _law("30"),
    Text(
        "A foreigner whose visa says a residence permit is needed after entry (such as an X1 "
        "visa) applies for it within 30 days of entry to the exit-entry authority of the "
        "place of residence.",
        "外国人所持签证注明入境后需要办理居留证件的（如X1签证），应当自入境之日起三十日内，向拟居留"
        "地公安机关出入境管理机构申请办理外国人居留证件。",
    ),
)

REGISTRATION: Final = NationalRule(
    "registration",
    _law("39"),
    Text(
        "Hotels register foreign guests themselves; a foreigner living anywhere else registers "
        "with the local police within 24 hours of moving in.",
        "外国人在旅馆住宿的，由旅馆办理住宿登记；在旅馆以外的其他住所居住或者住宿的，应当在入住后"
        "二十四小时内向居住地公安机关办理登记。",
    ),
)

STUDY_VISA_TYPES: Final = NationalRule(
    "study_visa_types",
    Citation("CN", "6", document=ENTRY_EXIT_REGULATIONS),
    Text(
        "The X1 visa is for long-term study in China (more than 180 days), the X2 visa for "
        "short-term study (180 days or less).",
        "X1字签证发给申请在中国境内长期（超过180日）学习的人员，X2字签证发给申请短期（不超过180日）"
        "学习的人员。",
    ),
)

CARRY_PASSPORT: Final = NationalRule(
    "carry_passport",
    _law("38"),
    Text(
        "Foreigners aged 16 or over carry their passport (or stay or residence permit) and "
        "show it when the police ask.",
        "年满十六周岁的外国人在中国境内停留居留，应当随身携带本人护照或者外国人停留居留证件，接受"
        "公安机关的查验。",
    ),
)

ILLEGAL_EMPLOYMENT_DEFINITION: Final = NationalRule(
    "illegal_employment_definition",
    _law("43"),
    Text(
        "Working without a work permit and work-type residence permit, beyond the permit's "
        "limits, or, for students, beyond the job scope or hours of the work-study rules is "
        "illegal employment.",
        "未取得工作许可和工作类居留证件工作、超出工作许可限定范围工作，或外国留学生超出勤工助学规定的"
        "岗位范围或时限工作的，属于非法就业。",
    ),
)

OVERSTAY: Final = NationalRule(
    "overstay",
    _law("78"),
    Text(
        "Illegal stay: a warning; if serious, a fine of RMB 500 per day of illegal stay, at "
        "most RMB 10,000 in total, or detention of 5 to 15 days.",
        "外国人非法居留的，给予警告；情节严重的，处每非法居留一日五百元，总额不超过一万元的罚款或者处"
        "五日以上十五日以下拘留。",
    ),
)

ILLEGAL_EMPLOYMENT: Final = NationalRule(
    "illegal_employment",
    _law("80"),
    Text(
        "Illegal employment: a fine of RMB 5,000 to 20,000; if serious, detention of 5 to 15 "
        "days and also a fine of RMB 5,000 to 20,000.",
        "外国人非法就业的，处五千元以上二万元以下罚款；情节严重的，处五日以上十五日以下拘留，并处"
        "五千元以上二万元以下罚款。",
    ),
)

DAY_COUNTING: Final = NationalRule(
    "day_counting",
    Citation("CN", "201", document=CIVIL_CODE),
    Text(
        "A period counted in days, months or years starts the day after the event; the day of "
        "the event is not counted.",
        "按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。",
    ),
)

MONTH_COUNTING: Final = NationalRule(
    "month_counting",
    Citation("CN", "202", document=CIVIL_CODE),
    Text(
        "A period in months or years ends on the corresponding date of the last month, or on "
        "that month's last day when there is no such date.",
        "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，为月末日。",
    ),
)

REST_DAY_EXTENSION: Final = NationalRule(
    "rest_day_extension",
    Citation("CN", "203", document=CIVIL_CODE),
    Text(
        "When the last day of a period is a statutory rest day, the period ends on the day after "
        "the rest days end.",
        "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。",
    ),
)

INCLUSIVE_LIMITS: Final = NationalRule(
    "inclusive_limits",
    Citation("CN", "1259", document=CIVIL_CODE),
    Text(
        "“以上” (or more), “以下” (or less), “以内” (within) and “届满” (expiry) include the "
        "number itself; “不满” (under), “超过” (over) and “以外” (beyond) do not.",
        "民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；所称的“不满”、“超过”、“以外”，不包括本数。",
    ),
)

NATIONAL_RULES: Final[tuple[NationalRule, ...]] = (
    X1_RESIDENCE_PERMIT,
    REGISTRATION,
    STUDY_VISA_TYPES,
    CARRY_PASSPORT,
    ILLEGAL_EMPLOYMENT_DEFINITION,
    OVERSTAY,
    ILLEGAL_EMPLOYMENT,
    DAY_COUNTING,
    MONTH_COUNTING,
    REST_DAY_EXTENSION,
    INCLUSIVE_LIMITS,
)
