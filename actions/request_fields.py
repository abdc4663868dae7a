"""The facts each kind of request asks for: the response asking each, summary labels,
choices, dates.

Data and pure helpers only; the request form in `actions.requests` walks through them. The
questions themselves are responses in domain.yml (``utter_request_ask_<field>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from actions.parsing import parse_choice
from casestore.case_types import CASE_TYPES, FACT_LABEL_OVERRIDES, FACT_LABELS
from casestore.cases import PERSON_DETAILS
from knowledge import INSTITUTION_CODES, Text, format_date
from knowledge import institution as institution_profile

WHAT_HAPPENED = {
    "stolen": ("stole", "stolen", "robbed", "theft", "偷", "盗", "抢"),
    "damaged": ("damage", "ruin", "torn", "wet", "broken", "损", "坏", "泡水"),
}


@dataclass(frozen=True)
class Option:
    """One answer to a multiple-choice question: stored value, button title, keywords."""

    value: str
    label: Text
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """How to ask for one fact of a request and show it in the summary.

    ``question`` is the response (domain.yml) that asks for it. Fields whose name ends in
    ``_on`` are dates, and their question shows how to write one; fields with options are
    multiple choice; the rest are free text.
    """

    name: Text
    question: str
    options: tuple[Option, ...] = ()

    @property
    def keywords(self) -> dict[str, tuple[str, ...]]:
        """Option value -> keywords, as `parse_choice` takes them."""
        return {option.value: option.keywords for option in self.options}


def _f(name: Text, question: str, *options: Option) -> Field:
    """Shorthand for a field (its name is the label staff see too: ``FACT_LABELS``)."""
    return Field(name, question, options)


def _o(value: str, en: str, zh: str, *keywords: str) -> Option:
    """Shorthand for an option; its titles count as keywords too."""
    return Option(value, Text(en, zh), (en.lower(), zh, *keywords))


UNIVERSITY = "university"
"""Asked before any request when the person never named their university: the default
university is only a default for answers, never for a request."""


def asked_fields(case_type: str) -> tuple[str, ...]:
    """What a request of ``case_type`` needs, in the order the form asks: the university,
    the type's own facts, then who the request is for (asked once per person)."""
    return (UNIVERSITY, *CASE_TYPES[case_type].required_fields, *PERSON_DETAILS)


FIELDS: Mapping[str, Field] = MappingProxyType({
    UNIVERSITY: _f(
        FACT_LABELS[UNIVERSITY], "utter_request_ask_university",
        *(_o(code, institution_profile(code).name.en, institution_profile(code).name.zh)
          for code in INSTITUTION_CODES),
    ),
    "full_name": _f(FACT_LABELS["full_name"], "utter_request_ask_full_name"),
    "member_number": _f(FACT_LABELS["member_number"], "utter_request_ask_member_number"),
    "contact": _f(FACT_LABELS["contact"], "utter_request_ask_contact"),
    "document": _f(
        FACT_LABELS["document"], "utter_request_ask_document",
        _o("passport", "Passport", "护照"),
        _o("residence_permit", "Residence permit", "居留许可", "permit", "居留证"),
        _o("visa", "Visa", "签证"),
    ),
    "what_happened": _f(
        FACT_LABELS["what_happened"], "utter_request_ask_what_happened",
        _o("lost", "Lost", "遗失", "lose", "missing", "can't find", "丢", "找不到"),
        _o("stolen", "Stolen", "被盗", *WHAT_HAPPENED["stolen"]),
        _o("damaged", "Damaged", "损毁", *WHAT_HAPPENED["damaged"]),
    ),
    "noticed_on": _f(FACT_LABELS["noticed_on"], "utter_request_ask_noticed_on"),
    "permit_expires_on": _f(FACT_LABELS["permit_expires_on"],
                            "utter_request_ask_permit_expires_on"),
    "student_status": _f(
        FACT_LABELS["student_status"], "utter_request_ask_student_status",
        _o("new", "New student", "新生", "first year", "刚入学"),
        _o("returning", "Returning student", "老生", "continuing", "在读"),
        _o("delayed_graduation", "Delayed graduation", "延期毕业生", "delay", "延期", "延毕"),
    ),
    "relationship": _f(
        FACT_LABELS["relationship"], "utter_request_ask_relationship",
        _o("spouse", "Spouse", "配偶", "wife", "husband", "partner", "妻子", "老婆", "丈夫",
           "老公", "爱人", "太太"),
        _o("child", "Child", "子女", "son", "daughter", "kid", "children", "孩子", "儿子", "女儿",
           "小孩"),
        _o("parent", "Parent", "父母", "mother", "father", "mom", "dad", "mum", "妈妈", "母亲",
           "爸爸", "父亲"),
    ),
    "degree_programme": _f(
        FACT_LABELS["degree_programme"], "utter_request_ask_degree_programme",
        _o("bachelor", "Bachelor's", "本科", "bachelor", "undergraduate"),
        _o("master", "Master's", "硕士", "master"),
        _o("phd", "PhD", "博士", "doctor"),
        _o("language", "Language or preparatory", "语言生或预科", "language", "preparatory",
        "语言", "预科", "进修"),
    ),
    "previous_university": _f(FACT_LABELS["previous_university"],
                              "utter_request_ask_previous_university"),
    "arrived_on": _f(FACT_LABELS["arrived_on"], "utter_request_ask_arrived_on"),
    "kind": _f(
        FACT_LABELS["kind"], "utter_request_ask_kind",
        _o("work_study", "Work-study", "勤工助学", "work study", "part-time", "兼职"),
        _o("internship", "Internship", "实习", "intern"),
    ),
    "employer": _f(FACT_LABELS["employer"], "utter_request_ask_employer"),
    "starts_on": _f(FACT_LABELS["starts_on"], "utter_request_ask_starts_on"),
    "ends_on": _f(FACT_LABELS["ends_on"], "utter_request_ask_ends_on"),
    "destination": _f(FACT_LABELS["destination"], "utter_request_ask_destination"),
    "leaving_on": _f(FACT_LABELS["leaving_on"], "utter_request_ask_leaving_on"),
    "reason": _f(FACT_LABELS["reason"], "utter_request_ask_reason"),
    "question": _f(FACT_LABELS["question"], "utter_request_ask_question"),
    "visitor_country": _f(FACT_LABELS["visitor_country"], "utter_request_ask_visitor_country"),
    "purpose": _f(FACT_LABELS["purpose"], "utter_request_ask_purpose"),
    "arrives_on": _f(FACT_LABELS["arrives_on"], "utter_request_ask_arrives_on"),
    "leaves_on": _f(FACT_LABELS["leaves_on"], "utter_request_ask_leaves_on"),
    "category": _f(
        FACT_LABELS["category"], "utter_request_ask_category",
        _o("A", "Category A (professor)", "A类（教授）", "category a", "a类", "professor",
        "教授"),
        _o("B", "Category B (scholar)", "B类（学者）", "category b", "b类", "scholar", "学者"),
    ),
    "expert_type": _f(FACT_LABELS["expert_type"], "utter_request_ask_expert_type"),
    "departs_on": _f(FACT_LABELS["departs_on"], "utter_request_ask_departs_on"),
    "returns_on": _f(FACT_LABELS["returns_on"], "utter_request_ask_returns_on"),
    "student": _f(FACT_LABELS["student"], "utter_request_ask_student"),
    "title": _f(FACT_LABELS["title"], "utter_request_ask_title"),
    "announcement_on": _f(FACT_LABELS["announcement_on"], "utter_request_ask_announcement_on"),
    "held_on": _f(FACT_LABELS["held_on"], "utter_request_ask_held_on"),
    "partner": _f(FACT_LABELS["partner"], "utter_request_ask_partner"),
})


# A field name that means something else for one type.
FIELD_OVERRIDES: Mapping[tuple[str, str], Field] = MappingProxyType({
    ("partnership_enquiry", "kind"): _f(
        FACT_LABEL_OVERRIDES["partnership_enquiry", "kind"],
        "utter_request_ask_partnership_enquiry_kind"),
    ("overseas_business_trip", "purpose"): _f(
        FACT_LABEL_OVERRIDES["overseas_business_trip", "purpose"],
        "utter_request_ask_overseas_business_trip_purpose"),
    ("foreign_expert_work_permit", "starts_on"): _f(
        FACT_LABEL_OVERRIDES["foreign_expert_work_permit", "starts_on"],
        "utter_request_ask_foreign_expert_work_permit_starts_on"),
})


# Pairs of date fields where the second cannot come before the first.
DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("arrives_on", "leaves_on"), ("starts_on", "ends_on"), ("departs_on", "returns_on"),
    ("announcement_on", "held_on"),
)


# Words that name a case type in a message, when the NLU did not tag one.
CASE_KEYWORDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "lost_document": ("lost my", "stolen", "damaged", "遗失", "丢了", "被偷", "损坏", "损毁"),
    "residence_permit_extension_letter": ("extension letter", "extend my residence permit",
                                          "extend my permit", "permit extension",
                                          "renew my residence permit", "renew my permit",
                                          "permit renewal", "延期介绍信", "居留许可延期",
                                          "延长居留", "介绍信", "续签"),
    "dependent_invitation": ("dependent", "family member", "spouse", "my wife", "my husband",
                             "my child", "陪读", "家属"),
    "transfer": ("transfer", "转学"),
    "work_study_annotation": ("work-study", "work study", "internship", "part-time",
                              "勤工助学", "实习"),
    "reentry_certificate": ("re-entry", "reentry", "zero-entry", "zero entry", "return visa",
                            "往返签证", "零次"),
    "withdrawal_stay_permit": ("withdraw", "drop out", "suspend my studies", "退学", "休学"),
    "talk_to_person": ("talk to a person", "human", "real person", "member of staff",
                       "转人工", "人工", "真人"),
    "short_term_visitor_invitation": ("visitor", "foreign guest", "外宾", "来访"),
    "visiting_scholar": ("visiting scholar", "访问学者"),
    "foreign_expert_work_permit": ("work permit", "foreign expert", "外国专家", "工作许可"),
    "overseas_business_trip": ("business trip", "因公出国", "出访"),
    "student_overseas_academic_trip": ("academic trip", "student trip", "学生出国",
                                       "学术交流"),
    "international_conference_filing": ("conference", "会议"),
    "partnership_enquiry": ("partnership", "cooperation agreement", "合作伙伴", "合作协议"),
})


def field_for(case_type: str, name: str) -> Field:
    """The question (a response) and summary label of field ``name`` in a request of
    ``case_type``."""
    return FIELD_OVERRIDES.get((case_type, name)) or FIELDS[name]


def known_case_type(value: Any) -> str | None:
    """``value`` if it is a case type id, else None (e.g. unvalidated free text)."""
    return value if isinstance(value, str) and value in CASE_TYPES else None


def case_type_in(text: str, entities: list[dict[str, Any]]) -> str | None:
    """The case type a message names: its `case_type` entity, else a keyword, else None."""
    for entity in entities:
        if entity.get("entity") == "case_type" and known_case_type(entity.get("value")):
            return str(entity["value"])
    lowered = text.strip().lower()
    for type_id, kind in CASE_TYPES.items():
        if lowered in (type_id, kind.label.en.lower(), kind.label.zh):
            return type_id
    return parse_choice(text, CASE_KEYWORDS)


def is_date_field(name: str) -> bool:
    """Whether a field holds a date (by the naming convention of `CASE_TYPES`)."""
    return name.endswith("_on")


def shown_value(case_type: str, name: str, value: str, lang: str) -> str:
    """A stored fact as the person reads it: dates written out, options by their title."""
    if is_date_field(name):
        try:
            return format_date(date.fromisoformat(value), lang)
        except ValueError:
            return value
    for option in field_for(case_type, name).options:
        if option.value == value:
            return option.label.get(lang)
    return value


def request_summary(case_type: str, facts: Mapping[str, str], lang: str) -> str:
    """One line for the type, then one line per answered field."""
    kind, colon = CASE_TYPES[case_type], "：" if lang == "zh" else ": "
    lines = [f"• {kind.label.get(lang)}"]
    lines += [
        f"• {field_for(case_type, name).name.get(lang)}{colon}"
        f"{shown_value(case_type, name, facts[name], lang)}"
        for name in asked_fields(case_type)
        if name in facts
    ]
    return "\n".join(lines)

