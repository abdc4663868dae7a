"""What kinds of request the office takes, what each needs, and how a request moves along.

Checklists are the documents and steps the sources name, per institution, each with its
article. Where an institution's document says nothing about a type, its checklist is empty
and ``checklist_for`` says so (``covered=False``): the office tells the person what it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Label:
    """A text in both languages."""

    en: str
    zh: str

    def get(self, language: str | None) -> str:
        """The text in ``language`` ("zh" for Chinese, anything else English)."""
        return self.zh if is_chinese(language) else self.en


def is_chinese(language: str | None) -> bool:
    """Whether a language code ("zh", "zh-CN", "zh_Hans") means Chinese; otherwise English."""
    return (language or "").lower().startswith("zh")


@dataclass(frozen=True)
class ChecklistItem:
    """One document or step a source requires, with the article it comes from."""

    text: Label
    source: str  # e.g. "CPU Art. 13"


@dataclass(frozen=True)
class CaseType:
    """A kind of request: who opens it, which facts it needs, which documents the sources list."""

    id: str
    label: Label
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


def _item(en: str, zh: str, source: str) -> ChecklistItem:
    """Shorthand for a checklist item."""
    return ChecklistItem(Label(en, zh), source)


def _frozen(table: dict[str, tuple[ChecklistItem, ...]]) -> Mapping[str, tuple[ChecklistItem, ...]]:
    """A read-only view of a per-institution checklist table."""
    return MappingProxyType(table)


WESTLAKE_HALL = _item(
    "File the application for approval in the Online Service Hall",
    "在网上办事大厅提交审批申请",
    "WESTLAKE staff portal",
)

_STUDENT_TYPES: tuple[CaseType, ...] = (
    CaseType(
        id="lost_document",
        label=Label("Lost or damaged passport or permit", "护照或居留证件遗失/损毁"),
        audience="student",
        required_fields=("document", "what_happened", "noticed_on"),
        optional_fields=("police_report", "details"),
        checklists=_frozen({
            "CPU": (
                _item("Within 24 hours: get the Letter of Passport Loss/Damage from the "
                      "School of International Education",
                      "24小时内到国际教育学院开具遗失/损毁声明", "CPU Art. 13"),
                _item("Report to the local police station", "到驻地派出所报案", "CPU Art. 13"),
                _item("Report to Nanjing Exit and Entry", "到南京市出入境备案", "CPU Art. 13"),
                _item("Ask your embassy for a new passport", "联系本国大使馆领取新护照",
                      "CPU Art. 13"),
                _item("With the new passport and the school's letter, apply for a new "
                      "residence permit", "凭国际教育学院出具的签证介绍信申请新的居留许可",
                      "CPU Art. 13"),
                _item("Register temporary residence within 24 hours of receiving the new "
                      "passport", "更换护照24小时内申报临时住宿登记", "CPU Art. 4"),
            ),
            "JSNU": (
                _item("Passport: report the loss to the police station where it was lost "
                      "and get the record of the loss",
                      "护照遗失：向遗失地所辖派出所报失，领取报警记录单", "JSNU Art. 13"),
                _item("Take the record to the Xuzhou Exit and Entry branch (No. 33 Kuangshan "
                      "Road) for the passport loss certificate",
                      "持报警记录单到徐州市公安局出入境管理支队（矿山路33号）办理护照丢失证明",
                      "JSNU Art. 13"),
                _item("Apply to your embassy in China for a replacement passport",
                      "向本国驻华使馆申请补发护照", "JSNU Art. 13"),
                _item("Visa or residence permit lost, damaged or stolen: apply to the Xuzhou "
                      "Exit and Entry branch for reissuance",
                      "签证或居留许可遗失、损毁、被盗抢：向徐州市公安局出入境管理支队申请补发",
                      "JSNU Art. 13"),
                _item("After the new passport: register accommodation again and apply for a "
                      "new residence permit", "补发新护照后重新申报住宿登记并申请新的居留许可",
                      "JSNU Art. 13"),
                _item("Update the passport in the WeChat mini program", "在小程序内更新护照信息",
                      "JSNU Art. 3"),
            ),
        }),
    ),
    CaseType(
        id="residence_permit_extension_letter",
        label=Label("Residence permit extension letter", "居留许可延期介绍信"),
        audience="student",
        required_fields=("permit_expires_on", "student_status"),
        optional_fields=("paid", "attendance_percent", "details"),
        checklists=_frozen({
            "CPU": (
                _item("Pay and register for the semester or year first",
                      "先缴费注册", "CPU Art. 5"),
                _item("Apply to the School of International Education one month before the "
                      "permit expires", "提前一个月向国际教育学院申请", "CPU Art. 9"),
                _item("Delayed graduation: approval of the academic department, valid lease "
                      "contract and insurance certificate",
                      "延期毕业：延期材料审核、有效房屋租赁合同及保险单", "CPU Art. 6"),
            ),
            "JSNU": (
                _item("Register and update your details in the WeChat mini program "
                      "'International Student Service Assistant'",
                      "在微信小程序“留学生服务小助手”完成信息注册并更新", "JSNU Art. 3"),
                _item("Pay tuition, accommodation and insurance for the school year",
                      "缴清学年学费、住宿费、保险费", "JSNU Art. 4"),
                _item("Apply to the International College at least one month ahead",
                      "至少提前一个月向国际学院提出申请", "JSNU Art. 9"),
                _item("Original and copy of valid passport and visa", "有效护照和签证原件及复印件",
                      "JSNU Art. 11"),
                _item("University letter stating the study period", "学校出具的注明学习期限的公函",
                      "JSNU Art. 11"),
                _item("Original JW202 / JW201 form", "JW202/JW201表原件", "JSNU Art. 11"),
                _item("Application form with a two-inch colour photo on white background",
                      "外国人签证证件申请表及二寸白底免冠彩色照片", "JSNU Art. 11"),
                _item("Copy of the admission notice", "录取通知书复印件", "JSNU Art. 11"),
                _item("Health certificate from Xuzhou Entry-Exit Quarantine (every academic "
                      "year)", "徐州出入境检验检疫局出具的健康证明（每学年体检）", "JSNU Art. 11"),
                _item("Pay the fee to the Xuzhou Exit and Entry branch",
                      "向徐州市公安局出入境管理支队交纳办理费用", "JSNU Art. 10"),
            ),
        }),
    ),
    CaseType(
        id="dependent_invitation",
        label=Label("Dependent (family member) invitation", "家属陪读申请"),
        audience="student",
        required_fields=("relationship", "degree_programme"),
        optional_fields=("planned_arrival", "details"),
        checklists=_frozen({
            "CPU": (
                _item("Only full-time master's and PhD students may invite dependents",
                      "家属陪读申请仅限硕士和博士留学生", "CPU Art. 10 (dependents)"),
                _item("Apply and submit the documents to the School of International Education "
                      "before the dependent comes", "家属来华前向国际教育学院提出申请并提交材料",
                      "CPU Art. 10 (dependents)"),
                _item("The dependent's permit cannot outlast yours", "家属居留期限不得超过本人",
                      "CPU Art. 10 (dependents)"),
            ),
            "JSNU": (
                _item("Study certificate from your college", "相关学院出具的在读证明",
                      "JSNU Art. 5"),
                _item("Ask the Chinese embassy or consulate which other documents are needed",
                      "其他材料向中国驻所在国使领馆咨询", "JSNU Art. 5"),
                _item("The dependent's stay cannot outlast your residence permit",
                      "家属在华停留期限不得超过本人居留许可", "JSNU Art. 5"),
            ),
        }),
    ),
    CaseType(
        id="transfer",
        label=Label("Transfer from another university", "转学"),
        audience="student",
        required_fields=("previous_university", "arrived_on"),
        optional_fields=("details",),
        checklists=_frozen({
            "JSNU": (
                _item("Within 10 days of arrival: change the residence permit at the Xuzhou "
                      "Exit and Entry branch",
                      "到校十日内到徐州市公安局出入境管理支队办理居留许可变更",
                      "JSNU Art. 6"),
            ),
        }),
    ),
    CaseType(
        id="work_study_annotation",
        label=Label("Work-study or internship annotation", "勤工助学或实习加注"),
        audience="student",
        required_fields=("kind", "employer", "starts_on", "ends_on"),
        optional_fields=("details",),
        checklists=_frozen({
            "JSNU": (
                _item("The university's consent", "经学校同意", "JSNU Art. 7"),
                _item("Valid passport, residence permit and related documents to the Xuzhou "
                      "Exit and Entry branch",
                      "持有效护照、居留证件和相关材料到徐州市公安局出入境管理支队申请加注",
                      "JSNU Art. 7"),
            ),
        }),
    ),
    CaseType(
        id="reentry_certificate",
        label=Label("Re-entry certificate (zero-entry X visa)", "X字零次签证往返签证证明"),
        audience="student",
        required_fields=("destination", "leaving_on", "reason"),
        optional_fields=("returning_on", "details"),
        checklists=_frozen({
            "JSNU": (
                _item("Apply to your college one month before leaving",
                      "出境前一个月向相关学院申请",
                      "JSNU Art. 8"),
                _item("With the university's approval, take the International College's "
                      "certificate to the Xuzhou Exit and Entry branch for a return visa",
                      "经学校同意后凭国际学院证明到徐州市公安局出入境管理支队办理往返签证",
                      "JSNU Art. 8"),
            ),
        }),
    ),
    CaseType(
        id="withdrawal_stay_permit",
        label=Label("Withdrawal and stay permit", "退学/休学及停留证件"),
        audience="student",
        required_fields=("reason", "leaving_on"),
        optional_fields=("flight", "details"),
        checklists=_frozen({
            "CPU": (
                _item("Written application for suspension or withdrawal at least one month "
                      "before the fee deadline", "缴费截止日期前至少一个月提交书面休学或退学申请",
                      "CPU Art. 8"),
                _item("Flight ticket information", "机票信息", "CPU Art. 8"),
            ),
            "JSNU": (
                _item("Change the residence permit into a short-term stay certificate and "
                      "leave within the time limit", "将居留许可换发为短期停留证件并限期离境",
                      "JSNU Art. 15"),
            ),
        }),
    ),
)

_SHARED_TYPES: tuple[CaseType, ...] = (
    CaseType(
        id="talk_to_person",
        label=Label("Talk to a person at the office", "联系办公室工作人员"),
        audience="anyone",
        required_fields=("question",),
        optional_fields=("details",),
    ),
)

_STAFF_TYPES: tuple[CaseType, ...] = (
    CaseType(
        id="short_term_visitor_invitation",
        label=Label("Short-term international visitor invitation", "短期来访外宾邀请"),
        audience="staff",
        required_fields=("visitor_country", "purpose", "arrives_on", "leaves_on"),
        optional_fields=("host_department", "details"),
        checklists=_frozen({
            "WESTLAKE": (
                WESTLAKE_HALL,
                _item("The visitor's visa type must match the purpose of the visit",
                      "来访者签证类型须与来访目的相符", "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("The office issues visa invitations for short-term foreign visitors",
                      "外事办负责短期外宾来访签证邀请", "QJNU responsibility 7"),
            ),
        }),
    ),
    CaseType(
        id="visiting_scholar",
        label=Label("International visiting scholar (15 days to 1 year)",
                    "国际访问学者（15天至1年）"),
        audience="staff",
        required_fields=("category", "arrives_on", "leaves_on"),
        optional_fields=("host_department", "details"),
        checklists=_frozen({
            "WESTLAKE": (
                WESTLAKE_HALL,
                _item("Stay between 15 days and one year; Category A (professors) or B "
                      "(scholars)", "停留15天至一年；A类（教授）或B类（学者）",
                      "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("Visiting scholar programmes are run by the office",
                      "访问学者项目由国际交流合作处管理", "QJNU responsibility 4"),
            ),
        }),
    ),
    CaseType(
        id="foreign_expert_work_permit",
        label=Label("Foreign expert work visa and permit", "外国专家工作签证及许可"),
        audience="staff",
        required_fields=("expert_type", "starts_on"),
        optional_fields=("family_members", "details"),
        checklists=_frozen({
            "WESTLAKE": (
                _item("Work visa, then work and residence permit after arrival (or a "
                      "permanent residence ID card if eligible)",
                      "工作签证，入境后办理工作许可和居留许可（或符合条件者办理永久居留身份证）",
                      "WESTLAKE staff portal"),
                _item("Register the documents' expiry dates for reminders",
                      "登记证件有效期以便提醒", "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("Work permits and residence permits of foreign experts are processed "
                      "by the office", "外国专家工作许可、居留许可由国际交流合作处办理",
                      "QJNU responsibility 3"),
            ),
        }),
    ),
    CaseType(
        id="overseas_business_trip",
        label=Label("Overseas business trip approval", "因公出国（境）审批"),
        audience="staff",
        required_fields=("destination", "departs_on", "returns_on", "purpose"),
        optional_fields=("details",),
        checklists=_frozen({
            "WESTLAKE": (
                _item("Get approval before departure in the Online Service Hall",
                      "出发前在网上办事大厅获得审批", "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("Review and approval of official overseas travel, and pre-departure "
                      "training", "因公出国（境）审核审批及行前培训", "QJNU responsibility 8"),
            ),
        }),
    ),
    CaseType(
        id="student_overseas_academic_trip",
        label=Label("Student overseas academic trip (with report after it)",
                    "学生出国（境）学术交流（含返回后报告）"),
        audience="staff",
        required_fields=("student", "destination", "departs_on", "returns_on"),
        optional_fields=("purpose", "details"),
        checklists=_frozen({
            "WESTLAKE": (
                _item("The student gets approval before departure", "学生出发前获得审批",
                      "WESTLAKE staff portal"),
                _item("The student submits a report after the trip", "返回后提交报告",
                      "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("Travel approval and post-return evaluation", "出行审批及返回后评估",
                      "QJNU responsibility 4"),
            ),
        }),
    ),
    CaseType(
        id="international_conference_filing",
        label=Label("International conference filing", "国际会议报备"),
        audience="staff",
        required_fields=("title", "announcement_on", "held_on"),
        optional_fields=("expected_participants", "details"),
        checklists=_frozen({
            "WESTLAKE": (
                _item("Contact the office at least two to three months before the public "
                      "announcement", "至少在公开发布前两到三个月联系国际事务办公室",
                      "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("International conferences are organised with the office",
                      "国际会议由国际交流合作处组织", "QJNU responsibility 7"),
            ),
        }),
    ),
    CaseType(
        id="partnership_enquiry",
        label=Label("International partnership enquiry", "国际合作伙伴关系咨询"),
        audience="staff",
        required_fields=("partner", "kind"),
        optional_fields=("details",),
        checklists=_frozen({
            "WESTLAKE": (
                _item("Contact the office to start a partnership in the university's name",
                      "以学校名义建立合作须联系国际事务办公室", "WESTLAKE staff portal"),
            ),
            "QJNU": (
                _item("Strategic partnerships are facilitated by the office",
                      "学校战略合作项目由国际交流合作处推动", "QJNU responsibility 2"),
            ),
        }),
    ),
)

CASE_TYPES: Mapping[str, CaseType] = MappingProxyType(
    {t.id: t for t in _STUDENT_TYPES + _SHARED_TYPES + _STAFF_TYPES}
)

STATUSES: Mapping[str, Label] = MappingProxyType({
    "submitted": Label("submitted", "已提交"),
    "in_review": Label("in review", "审核中"),
    "needs_information": Label("needs information", "需补充信息"),
    "approved": Label("approved", "已批准"),
    "rejected": Label("rejected", "未获批准"),
    "done": Label("done", "已办结"),
    "closed": Label("closed", "已关闭"),
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


def checklist_for(case_type: str, institution: str) -> Checklist:
    """The documents ``institution``'s sources list for ``case_type`` (empty: not covered)."""
    items = CASE_TYPES[case_type].checklists.get(institution.upper(), ())
    return Checklist(items=items, covered=bool(items))


def can_move(old_status: str, new_status: str) -> bool:
    """Whether a case may go from ``old_status`` to ``new_status``."""
    return new_status in TRANSITIONS.get(old_status, frozenset())
