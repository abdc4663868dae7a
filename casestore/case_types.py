"""What kinds of request the office takes, what each needs, and how a request moves along.

Checklists are the documents and steps the sources name, per institution, each with its
article. Their texts and articles come from ``knowledge`` (a procedure's steps or a topic's
answer), so a checklist cannot say something else than the assistant's answer. Where an
institution's document says nothing about a type, its checklist is empty and
``checklist_for`` says so (``covered=False``): the office tells the person what it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from knowledge import (
    Citation,
    FaqEntry,
    Step,
    Text,
    deadlines,
    dependents,
    passport,
    permits,
    study,
    topic,
)
from knowledge.core import normalise_language


@dataclass(frozen=True)
class ChecklistItem:
    """One document or step a source requires, with the article it comes from.

    ``source`` is in English ("CPU Art. 13"), ``source_zh`` the same in Chinese
    ("中国药科大学 第十三条"), both as ``knowledge`` writes citations in short.
    """

    text: Text
    source: str
    source_zh: str

    def source_in(self, language: str | None) -> str:
        """The article(s) the item comes from, in ``language``."""
        return self.source_zh if normalise_language(language) == "zh" else self.source


@dataclass(frozen=True)
class CaseType:
    """A kind of request: who opens it, which facts it needs, which documents the sources list."""

    id: str
    label: Text
    audience: str  # "student" | "staff" | "anyone"
    required_fields: tuple[str, ...]
    optional_fields: tuple[str, ...] = ()
    checklists: Mapping[str, tuple[ChecklistItem, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def allowed_fields(self) -> frozenset[str]:
        """Every fact a case of this type may store (nothing else is kept)."""
        return frozenset(self.required_fields + self.optional_fields)


@dataclass(frozen=True)
class Checklist:
    """One type's checklist at one institution; ``covered`` is False when no source lists it."""

    items: tuple[ChecklistItem, ...]
    covered: bool


def source_of(citation: Citation, language: str | None = "en") -> str:
    """How a checklist names an article: knowledge's short citation ("CPU Art. 13",
    "QJNU responsibility 7"; "中国药科大学 第十三条" in Chinese)."""
    return citation.short(normalise_language(language))


def _item(text: Text, citations: tuple[Citation, ...]) -> ChecklistItem:
    """An item saying ``text``, from the articles ``citations`` name."""
    return ChecklistItem(
        Text(text.en, text.zh),
        "; ".join(source_of(citation, "en") for citation in citations),
        "；".join(source_of(citation, "zh") for citation in citations),
    )


def _steps(steps: tuple[Step, ...]) -> tuple[ChecklistItem, ...]:
    """Items from a procedure's steps in ``knowledge``, each with its own article."""
    return tuple(_item(step.text, (step.citation,)) for step in steps)


def _faq_entry(topic_id: str, code: str) -> FaqEntry:
    entry = topic(topic_id).entry(code)
    if entry is None:
        raise ValueError(f"knowledge has no {code} answer for {topic_id!r}")
    return entry


def _answer(topic_id: str, code: str) -> ChecklistItem:
    """One item: what ``code``'s documents say on a ``knowledge`` topic, with its articles."""
    entry = _faq_entry(topic_id, code)
    return _item(entry.answer, entry.citations)


def _listed(topic_id: str, code: str) -> tuple[ChecklistItem, ...]:
    """Items: the documents or steps a ``knowledge`` topic lists for ``code``."""
    entry = _faq_entry(topic_id, code)
    return tuple(_item(text, entry.citations) for text in entry.steps)


def _frozen(table: dict[str, tuple[ChecklistItem, ...]]) -> Mapping[str, tuple[ChecklistItem, ...]]:
    """A read-only view of a per-institution checklist table."""
    return MappingProxyType(table)


_STUDENT_TYPES: tuple[CaseType, ...] = (
    CaseType(
        id="lost_document",
        label=Text("Lost or damaged passport or permit", "护照或居留证件遗失/损毁"),
        audience="student",
        required_fields=("document", "what_happened", "noticed_on"),
        optional_fields=("police_report", "details"),
        checklists=_frozen({
            "CPU": _steps(passport.CPU_PASSPORT_STEPS),
            "JSNU": (*_steps(passport.JSNU_PASSPORT_STEPS), _answer("lost_permit", "JSNU")),
        }),
    ),
    CaseType(
        id="residence_permit_extension_letter",
        label=Text("Residence permit extension letter", "居留许可延期介绍信"),
        audience="student",
        required_fields=("permit_expires_on", "student_status"),
        optional_fields=("paid", "attendance_percent", "details"),
        checklists=_frozen({
            "CPU": (
                *_steps((deadlines.CPU_PAY_FIRST,)),
                _answer("extension_application", "CPU"),
                *_steps(permits.CPU_DELAYED_GRADUATION_STEPS),
            ),
            "JSNU": (
                *_steps((deadlines.JSNU_REGISTER_DETAILS,)),
                _answer("payment_before_visa", "JSNU"),
                _answer("extension_application", "JSNU"),
                *_listed("residence_permit_documents", "JSNU"),
                _answer("exit_entry_fees", "JSNU"),
            ),
        }),
    ),
    CaseType(
        id="dependent_invitation",
        label=Text("Dependent (family member) invitation", "家属陪读申请"),
        audience="student",
        required_fields=("relationship", "degree_programme"),
        optional_fields=("planned_arrival", "details"),
        checklists=_frozen({
            "CPU": (_answer("dependents", "CPU"), *_steps(dependents.CPU_STEPS)),
            "JSNU": (_answer("dependents", "JSNU"), *_steps(dependents.JSNU_STEPS)),
        }),
    ),
    CaseType(
        id="transfer",
        label=Text("Transfer from another university", "转学"),
        audience="student",
        required_fields=("previous_university", "arrived_on"),
        optional_fields=("details",),
        checklists=_frozen({"JSNU": (_answer("transfer", "JSNU"),)}),
    ),
    CaseType(
        id="work_study_annotation",
        label=Text("Work-study or internship annotation", "勤工助学或实习加注"),
        audience="student",
        required_fields=("kind", "employer", "starts_on", "ends_on"),
        optional_fields=("details",),
        checklists=_frozen({"JSNU": _steps(study.JSNU_STEPS)}),
    ),
    CaseType(
        id="reentry_certificate",
        label=Text("Re-entry certificate (zero-entry X visa)", "X字零次签证往返签证证明"),
        audience="student",
        required_fields=("destination", "leaving_on", "reason"),
        optional_fields=("returning_on", "details"),
        checklists=_frozen({"JSNU": _steps(deadlines.JSNU_ZERO_ENTRY_STEPS)}),
    ),
    CaseType(
        id="withdrawal_stay_permit",
        label=Text("Withdrawal and stay permit", "退学/休学及停留证件"),
        audience="student",
        required_fields=("reason", "leaving_on"),
        optional_fields=("flight", "details"),
        checklists=_frozen({
            "CPU": _steps(deadlines.CPU_STAY_PERMIT_STEPS),
            "JSNU": (_answer("stay_permit", "JSNU"),),
        }),
    ),
)

_SHARED_TYPES: tuple[CaseType, ...] = (
    CaseType(
        id="talk_to_person",
        label=Text("Talk to a person at the office", "联系办公室工作人员"),
        audience="anyone",
        required_fields=("question",),
        optional_fields=("details",),
    ),
)

_STAFF_TYPES: tuple[CaseType, ...] = (
    CaseType(
        id="short_term_visitor_invitation",
        label=Text("Short-term international visitor invitation", "短期来访外宾邀请"),
        audience="staff",
        required_fields=("visitor_country", "purpose", "arrives_on", "leaves_on"),
        optional_fields=("host_department", "details"),
        checklists=_frozen({
            "WESTLAKE": (_answer("invite_short_term_visitor", "WESTLAKE"),),
            "QJNU": (_answer("invite_short_term_visitor", "QJNU"),),
        }),
    ),
    CaseType(
        id="visiting_scholar",
        label=Text("International visiting scholar (15 days to 1 year)",
                    "国际访问学者（15天至1年）"),
        audience="staff",
        required_fields=("category", "arrives_on", "leaves_on"),
        optional_fields=("host_department", "details"),
        checklists=_frozen({
            "WESTLAKE": (_answer("invite_visiting_scholar", "WESTLAKE"),),
            # knowledge has no Qujing answer on inviting visiting scholars (responsibility 4
            # names "visiting scholar programs" among student mobility), so it stays here.
            "QJNU": (
                _item(Text("Visiting scholar programmes are run by the office",
                           "访问学者项目由国际交流合作处管理"), (Citation("QJNU", "4"),)),
            ),
        }),
    ),
    CaseType(
        id="foreign_expert_work_permit",
        label=Text("Foreign expert work visa and permit", "外国专家工作签证及许可"),
        audience="staff",
        required_fields=("expert_type", "starts_on"),
        optional_fields=("family_members", "details"),
        checklists=_frozen({
            "WESTLAKE": (_answer("foreign_expert_work_permit", "WESTLAKE"),
                         _answer("document_expiry_reminder", "WESTLAKE")),
            "QJNU": (_answer("foreign_expert_work_permit", "QJNU"),),
        }),
    ),
    CaseType(
        id="overseas_business_trip",
        label=Text("Overseas business trip approval", "因公出国（境）审批"),
        audience="staff",
        required_fields=("destination", "departs_on", "returns_on", "purpose"),
        optional_fields=("details",),
        checklists=_frozen({
            "WESTLAKE": (_answer("overseas_business_trip", "WESTLAKE"),),
            "QJNU": (_answer("overseas_business_trip", "QJNU"),),
        }),
    ),
    CaseType(
        id="student_overseas_academic_trip",
        label=Text("Student overseas academic trip (with report after it)",
                    "学生出国（境）学术交流（含返回后报告）"),
        audience="staff",
        required_fields=("student", "destination", "departs_on", "returns_on"),
        optional_fields=("purpose", "details"),
        checklists=_frozen({
            "WESTLAKE": (_answer("student_overseas_trip", "WESTLAKE"),),
            "QJNU": (_answer("student_overseas_trip", "QJNU"),),
        }),
    ),
    CaseType(
        id="international_conference_filing",
        label=Text("International conference filing", "国际会议报备"),
        audience="staff",
        required_fields=("title", "announcement_on", "held_on"),
        optional_fields=("expected_participants", "details"),
        checklists=_frozen({
            "WESTLAKE": (_answer("international_conference", "WESTLAKE"),),
            "QJNU": (_answer("international_conference", "QJNU"),),
        }),
    ),
    CaseType(
        id="partnership_enquiry",
        label=Text("International partnership enquiry", "国际合作伙伴关系咨询"),
        audience="staff",
        required_fields=("partner", "kind"),
        optional_fields=("details",),
        checklists=_frozen({
            "WESTLAKE": (_answer("international_partnership", "WESTLAKE"),),
            "QJNU": (_answer("international_partnership", "QJNU"),),
        }),
    ),
)

FACT_LABELS: Mapping[str, Text] = MappingProxyType({
    "announcement_on": Text("Announced on", "公开发布日期"),
    "arrived_on": Text("Arrived on", "到校日期"),
    "arrives_on": Text("Arrives on", "抵达日期"),
    "attendance_percent": Text("Attendance (%)", "出勤率（%）"),
    "category": Text("Category", "类别"),
    "contact": Text("Contact (e-mail or phone)", "联系方式（邮箱或电话）"),
    "degree_programme": Text("Programme", "学习层次"),
    "departs_on": Text("Departs on", "出发日期"),
    "destination": Text("Destination", "目的地"),
    "details": Text("Details", "补充说明"),
    "document": Text("Document", "证件"),
    "employer": Text("Organisation", "单位"),
    "ends_on": Text("Ends on", "结束日期"),
    "expected_participants": Text("Expected participants", "预计参会人数"),
    "expert_type": Text("Kind of expert", "专家类别"),
    "family_members": Text("Family members", "随行家属"),
    "flight": Text("Flight", "航班"),
    "full_name": Text("Name", "姓名"),
    "held_on": Text("Held on", "举办日期"),
    "host_department": Text("Host department", "接待部门"),
    "kind": Text("Kind", "类型"),
    "leaves_on": Text("Leaves on", "离开日期"),
    "leaving_on": Text("Leaving on", "离境日期"),
    "member_number": Text("Student or staff number", "学号或工号"),
    "noticed_on": Text("Noticed on", "发现日期"),
    "paid": Text("Fees paid", "是否已缴费"),
    "partner": Text("Partner", "合作方"),
    "permit_expires_on": Text("Permit expires on", "居留许可到期日"),
    "planned_arrival": Text("Planned arrival", "计划抵达时间"),
    "police_report": Text("Police report", "报警回执"),
    "previous_university": Text("Previous university", "原就读学校"),
    "purpose": Text("Purpose", "目的"),
    "question": Text("Question", "问题"),
    "reason": Text("Reason", "原因"),
    "relationship": Text("Family member", "家属关系"),
    "returning_on": Text("Returning on", "返回日期"),
    "returns_on": Text("Returns on", "返回日期"),
    "starts_on": Text("Starts on", "开始日期"),
    "student": Text("Student", "学生"),
    "student_status": Text("Student status", "学生类别"),
    "title": Text("Title", "会议名称"),
    "university": Text("University", "学校"),
    "visitor_country": Text("Visitor's country", "来访者国籍"),
    "what_happened": Text("What happened", "情况"),
})
"""What each fact is called, for the person (the request form's summary) and for staff."""

FACT_LABEL_OVERRIDES: Mapping[tuple[str, str], Text] = MappingProxyType({
    ("partnership_enquiry", "kind"): Text("Kind of partnership", "合作类型"),
    ("overseas_business_trip", "purpose"): Text("Purpose", "目的"),
    ("foreign_expert_work_permit", "starts_on"): Text("Starts work on", "入职日期"),
})
"""A fact name that means something else in one case type."""


def fact_label(case_type: str, name: str) -> Text:
    """The label of fact ``name`` in a case of ``case_type`` (the name itself when unknown)."""
    return FACT_LABEL_OVERRIDES.get((case_type, name)) or FACT_LABELS.get(name) or Text(name, name)


CASE_TYPES: Mapping[str, CaseType] = MappingProxyType(
    {t.id: t for t in _STUDENT_TYPES + _SHARED_TYPES + _STAFF_TYPES}
)

STATUSES: Mapping[str, Text] = MappingProxyType({
    "submitted": Text("submitted", "已提交"),
    "in_review": Text("in review", "审核中"),
    "needs_information": Text("needs information", "需补充信息"),
    "approved": Text("approved", "已批准"),
    "rejected": Text("rejected", "未获批准"),
    "done": Text("done", "已办结"),
    "closed": Text("closed", "已关闭"),
})

TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType({
    "submitted": frozenset({"in_review", "needs_information", "rejected", "closed"}),
    "in_review": frozenset({"needs_information", "approved", "rejected", "closed"}),
    "needs_information": frozenset({"in_review", "rejected", "closed"}),
    "approved": frozenset({"done", "closed"}),
    "rejected": frozenset({"closed"}),
    "done": frozenset({"closed"}),
    "closed": frozenset(),
})

OPEN_STATUSES: frozenset[str] = frozenset({"submitted", "in_review", "needs_information"})
"""Statuses in which the person may still cancel the request."""

FINISHED_STATUSES: frozenset[str] = frozenset(
    status for status, onward in TRANSITIONS.items() if onward <= {"closed"}
)
"""Statuses with no work left for the office (only closing remains): the queue's "finished"
filter; every other status is "open"."""


def checklist_for(case_type: str, institution: str) -> Checklist:
    """The documents ``institution``'s sources list for ``case_type`` (empty: not covered)."""
    items = CASE_TYPES[case_type].checklists.get(institution.upper(), ())
    return Checklist(items=items, covered=bool(items))


def can_move(old_status: str, new_status: str) -> bool:
    """Whether a case may go from ``old_status`` to ``new_status``."""
    return new_status in TRANSITIONS.get(old_status, frozenset())
