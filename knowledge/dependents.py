"""Family members who come with a student: who may invite them and how long they may stay.

CPU Art. 10 (the second Article 10): only the university's master's and doctoral students.
The Chinese text (仅限我校硕士和博士留学生) is followed: only the English adds "full-time", so
a part-time master's or doctoral student is not refused but told about the difference.
JSNU Art. 5: no restriction on who invites. Both: a dependent's stay never outlasts the
student's residence permit.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from knowledge.answers import article, cite, not_addressed
from knowledge.core import Decision, Step, Text, date_text, step_texts
from knowledge.institutions import cpu, institution, jsnu, westlake

DEPENDENTS: Final = "dependents"

BACHELOR: Final = "bachelor"
MASTER: Final = "master"
PHD: Final = "phd"
LANGUAGE: Final = "language"
OTHER: Final = "other"
STUDY_LEVELS: Final = (BACHELOR, MASTER, PHD, LANGUAGE, OTHER)

_CPU_10BIS: Final = article(cpu.CODE, "10bis")
_JSNU_5: Final = article(jsnu.CODE, "5")

CPU_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Apply to the School of International Education before your family comes, with "
              "the required documents.", "家属来华前，向国际教育学院提出陪读申请并提交相关材料。"),
         _CPU_10BIS),
    Step(Text("Wait for approval: only then may your family come; the School handles their "
              "residence permits.", "审核同意后家属方可来华，由国际教育学院为其办理居留许可。"),
         _CPU_10BIS),
    Step(Text("Family brought without approval get no permit and must leave China.",
              "未经同意擅自携带家属的，不予办理居留许可，限期回国。"), _CPU_10BIS),
)

JSNU_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Ask your college for a study certificate for your family's visa application.",
              "请所在学院出具在读证明，供家属申请签证。"), _JSNU_5),
    Step(Text("Ask the Chinese embassy or consulate which other documents your family needs.",
              "其他所需材料向中国驻所在国使领馆咨询。"), _JSNU_5),
    Step(Text("Your family extends their permit or visa at the Exit and Entry Administration "
              "Branch of Xuzhou Public Security Bureau.",
              "家属在徐州市公安局出入境管理支队办理居留证件或签证延期。"), _JSNU_5),
)


def dependent_permit_limit(student_permit_until: date, requested_until: date | None) -> date:
    """The last day a dependent may stay: the requested day, never after the student's permit."""
    if requested_until is None:
        return student_permit_until
    return min(requested_until, student_permit_until)


_PART_TIME_NOTE: Final = Text(
    " The regulation's English version says “full-time” master and Ph.D candidates; its "
    "Chinese text, which this answer follows, sets no full-time condition. As a part-time "
    "student, confirm with the School of International Education when you apply.",
    "该条英文版本写明“全日制”硕士和博士研究生；本回答依据的中文原文未设全日制条件。您为非全日制学生，"
    "申请时请向国际教育学院确认。",
)


def dependent_permit(
    institution_code: str,
    study_level: str,
    full_time: bool | None,
    student_permit_until: date,
    requested_until: date | None = None,
) -> Decision:
    """Whether a student may bring dependents, and until when they may stay.

    ``full_time`` is not a condition at CPU (the Chinese text is followed); a part-time
    student (False) is told that the English version asks for full-time study.
    """
    if study_level not in STUDY_LEVELS:
        raise ValueError(f"study_level must be one of {STUDY_LEVELS}")
    code = institution(institution_code).code
    if code == cpu.CODE and study_level not in (MASTER, PHD):
        return Decision(DEPENDENTS, True, Text(
            "At China Pharmaceutical University only master's and doctoral students may bring "
            "dependents, so you cannot apply for them.",
            "中国药科大学家属陪读申请仅限我校硕士和博士留学生，您不符合申请条件。",
        ), cite(code, "10bis"))
    if code not in (cpu.CODE, jsnu.CODE):
        return _not_for_students(code)
    until = dependent_permit_limit(student_permit_until, requested_until)
    own, last = date_text(student_permit_until), date_text(until)
    answer = Text(
        f"Your family may stay until {last.en} at the latest: a dependent's stay may not exceed "
        f"your own residence permit, which ends on {own.en}.",
        f"家属在华停留最迟至{last.zh}：陪读家属停留期限不得超过您本人居留许可的有效期（{own.zh}）。",
    )
    if code == cpu.CODE:
        if full_time is False:
            answer = answer.join(_PART_TIME_NOTE, "", "")
        return Decision(DEPENDENTS, True, answer, cite(code, "10bis"), step_texts(CPU_STEPS),
                        valid_until=until)
    return Decision(DEPENDENTS, True, answer, cite(code, "5"), step_texts(JSNU_STEPS),
                    valid_until=until)


def _not_for_students(code: str) -> Decision:
    if code == westlake.CODE:
        return Decision(DEPENDENTS, False, Text(
            "Westlake University's portal only says that the Office of International Affairs "
            "helps foreign employees and their families with the paperwork for work and "
            "residence permits; it sets no rule for students' dependents. I can open a request "
            "with the office.",
            "西湖大学门户仅说明国际事务办公室为外籍员工及其家属办理工作和居留许可材料提供协助，未规定"
            "学生家属的陪读事宜。我可以为您向该办公室提交咨询申请。",
        ), (westlake.cite(westlake.Q_WORK_PERMIT),))
    return not_addressed(DEPENDENTS, code, Text("students' dependents", "学生家属陪读"),
                         cite(cpu.CODE, "10bis") + cite(jsnu.CODE, "5"))
