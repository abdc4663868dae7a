"""Penalties for illegal stay and illegal employment, computed for the user's numbers.

National law (Exit and Entry Administration Law Art. 78, 80, 43), repeated by CPU Art. 12 and
JSNU Art. 7 and 9. The police decide whether a case is "serious"; the assistant states the
range and never predicts the police's choice.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from knowledge.answers import cite
from knowledge.core import Citation, Decision, Text, date_text
from knowledge.institutions import cpu, institution, jsnu
from knowledge.national import (
    DETENTION_DAYS,
    ILLEGAL_EMPLOYMENT,
    ILLEGAL_EMPLOYMENT_DEFINITION,
    ILLEGAL_EMPLOYMENT_FINE,
    OVERSTAY,
    OVERSTAY_FINE_CAP,
    OVERSTAY_FINE_PER_DAY,
)

OVERSTAY_TOPIC: Final = "overstay_penalty"
ILLEGAL_EMPLOYMENT_TOPIC: Final = "illegal_employment_penalty"


def overstay_days(permit_expiry: date, today: date) -> int:
    """Days of illegal stay so far: the expiry day is still legal, the next day is day 1."""
    return max(0, (today - permit_expiry).days)


def overstay_fine(days: int) -> int:
    """The fine for a serious overstay of ``days`` days: RMB 500 a day, at most RMB 10,000."""
    if days < 0:
        raise ValueError("days must not be negative")
    return min(days * OVERSTAY_FINE_PER_DAY, OVERSTAY_FINE_CAP)


def _institution_articles(code: str, cpu_articles: tuple[str, ...],
                          jsnu_articles: tuple[str, ...]) -> tuple[Citation, ...]:
    if code == cpu.CODE:
        return cite(code, *cpu_articles)
    if code == jsnu.CODE:
        return cite(code, *jsnu_articles)
    return ()


def overstay_penalty(institution_code: str, days: int) -> Decision:
    """What an illegal stay of ``days`` days can cost (Exit and Entry Administration Law Art. 78).

    ``amount_range`` is (0, the most the fine can be): the lowest outcome is a warning.
    """
    code = institution(institution_code).code
    citations = (*_institution_articles(code, ("12", "9"), ("9",)), OVERSTAY.citation)
    if days <= 0:
        return Decision(OVERSTAY_TOPIC, True, Text(
            "You are not staying illegally: no penalty applies. Leave China or extend your "
            "permit before it expires.",
            "您目前不属于非法居留，不会受到处罚。请在证件到期前离境或办理延期。",
        ), citations, amount_range=(0, 0))
    fine = overstay_fine(days)
    capped = days * OVERSTAY_FINE_PER_DAY > OVERSTAY_FINE_CAP
    per_day, cap = OVERSTAY_FINE_PER_DAY, OVERSTAY_FINE_CAP
    cap_en = f" (the RMB {cap:,} cap)" if capped else \
        f" ({days} × RMB {per_day}; the fine is at most RMB {cap:,} in all)"
    cap_zh = f"（已达{cap}元上限）" if capped else \
        f"（{days}天×{per_day}元；罚款总额不超过{cap}元）"
    low, high = DETENTION_DAYS
    return Decision(OVERSTAY_TOPIC, True, Text(
        f"For {days} day(s) of illegal stay the police give a warning; if they find it serious, "
        f"a fine of RMB {fine:,}{cap_en} or detention of {low} to {high} days.",
        f"非法居留{days}天的，公安机关给予警告；情节严重的，处{fine}元罚款{cap_zh}或者{low}日以上"
        f"{high}日以下拘留。",
    ), citations, (
        Text("Contact your university's international office now; I can open a request for "
             "you.", "请立即联系学校国际学生管理部门，我可以为您提交申请。"),
    ), days=days, amount_range=(0, fine))


def overstay_penalty_since(institution_code: str, permit_expiry: date, today: date) -> Decision:
    """``overstay_penalty`` for someone whose permit expired on ``permit_expiry``."""
    decision = overstay_penalty(institution_code, overstay_days(permit_expiry, today))
    expired = date_text(permit_expiry)
    prefix = Text(f"Your permit expired on {expired.en}.", f"您的证件已于{expired.zh}到期。")
    if today <= permit_expiry:
        prefix = Text(f"Your permit is valid until {expired.en}.",
                      f"您的证件有效期至{expired.zh}。")
    return Decision(decision.topic, decision.covered, prefix.join(decision.answer, zh_sep=""),
                    decision.citations, decision.steps, days=decision.days,
                    amount_range=decision.amount_range)


def illegal_employment_penalty(institution_code: str, serious: bool | None = None) -> Decision:
    """The penalty for illegal employment (Exit and Entry Administration Law Art. 80).

    ``serious`` is the police's finding when known; None states both outcomes.
    """
    code = institution(institution_code).code
    citations = (
        *_institution_articles(code, ("12",), ("7",)),
        ILLEGAL_EMPLOYMENT.citation,
        ILLEGAL_EMPLOYMENT_DEFINITION.citation,
    )
    low, high = ILLEGAL_EMPLOYMENT_FINE
    d_low, d_high = DETENTION_DAYS
    base = Text(f"Illegal employment is fined RMB {low:,} to {high:,}.",
                f"非法就业的，处{low}元以上{high}元以下罚款。")
    serious_text = Text(
        f"If the case is serious: detention of {d_low} to {d_high} days and also a fine of "
        f"RMB {low:,} to {high:,}.",
        f"情节严重的，处{d_low}日以上{d_high}日以下拘留，并处{low}元以上{high}元以下罚款。",
    )
    if serious is True:
        answer = serious_text
    elif serious is False:
        answer = base
    else:
        answer = base.join(serious_text, zh_sep="")
    steps: tuple[Text, ...] = ()
    if code == jsnu.CODE:
        steps = (Text(
            "Students count as illegally employed when they work beyond the job scope or hours "
            "of the work-study programme, or beyond the internship area or period (Art. 7).",
            "超出勤工助学规定岗位范围或时限工作、超出校外实习区域或实习期限的，均被认定为非法就业"
            "（第七条）。"),)
    return Decision(ILLEGAL_EMPLOYMENT_TOPIC, True, answer, citations, steps,
                    amount_range=(low, high))
