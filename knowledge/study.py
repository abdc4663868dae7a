"""Life during study: work-study and internships (JSNU Art. 7).

The other study topics (travel to closed areas, carrying the passport, documents, holidays,
fees to the exit-entry authority) need no inputs and are answered from ``knowledge.faq``.
"""

from __future__ import annotations

from typing import Final

from knowledge.answers import article, cite, not_addressed
from knowledge.core import Decision, Step, Text, step_texts
from knowledge.institutions import institution, jsnu
from knowledge.national import ILLEGAL_EMPLOYMENT, ILLEGAL_EMPLOYMENT_DEFINITION
from knowledge.penalties import illegal_employment_penalty

WORK_STUDY: Final = "work_study"

_MISSING: Final = {
    "consent": Text("the university's consent", "学校同意"),
    "annotation": Text(
        "a work-study or internship annotation on your residence permit from the Exit and "
        "Entry Administration Branch of Xuzhou Public Security Bureau",
        "徐州市公安局出入境管理支队在居留许可上作出的勤工助学或实习加注",
    ),
}

_JSNU_7: Final = article(jsnu.CODE, "7")

JSNU_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Get the university's consent.", "取得学校同意。"), _JSNU_7),
    Step(Text("Apply with your valid passport, residence permit and the relevant documents to "
              "the Exit and Entry Administration Branch of Xuzhou Public Security Bureau for the "
              "annotation.",
              "持有效护照、居留证件和相关材料到徐州市公安局出入境管理支队申请加注。"), _JSNU_7),
)


def work_study_check(
    institution_code: str, university_consent: bool, annotation: bool, within_limits: bool,
) -> Decision:
    """Whether off-campus work-study or an internship is allowed (JSNU Art. 7).

    ``within_limits``: the work stays within the approved job scope and hours, or the
    internship within its area and period. Outside them it is illegal employment. An
    annotation means the university consented: Art. 7 has the student apply for it with the
    university's consent.
    """
    university_consent = university_consent or annotation
    code = institution(institution_code).code
    if code != jsnu.CODE:
        return not_addressed(WORK_STUDY, code,
                             Text("work-study and internships", "勤工助学与实习"),
                             cite(jsnu.CODE, "7"))
    citations = cite(code, "7")
    if not within_limits:
        penalty = illegal_employment_penalty(code)
        return Decision(WORK_STUDY, True, Text(
            "Working beyond the approved job scope or hours, or beyond the internship area or "
            "period, is illegal employment. ",
            "超出勤工助学规定岗位范围或时限、超出实习区域或期限工作的，属于非法就业。",
        ).join(penalty.answer, en_sep="", zh_sep=""),
            (*citations, ILLEGAL_EMPLOYMENT.citation, ILLEGAL_EMPLOYMENT_DEFINITION.citation),
            amount_range=penalty.amount_range)
    missing = [text for key, text in _MISSING.items()
               if not {"consent": university_consent, "annotation": annotation}[key]]
    if missing:
        return Decision(WORK_STUDY, True, Text(
            "Before you start you still need: " + "; then ".join(t.en for t in missing) + ".",
            "开始之前您还需要：" + "，然后取得".join(t.zh for t in missing) + "。",
        ), citations, step_texts(JSNU_STEPS))
    return Decision(WORK_STUDY, True, Text(
        "With the university's consent and the annotation, you may do this work-study or "
        "internship, as long as you stay within its job scope and hours, or its area and "
        "period: beyond them it is illegal employment.",
        "已取得学校同意和加注的，可在规定的岗位范围和时限（或实习区域和期限）内勤工助学或实习；"
        "超出的属于非法就业。",
    ), citations)
