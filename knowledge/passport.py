"""Lost, damaged or stolen documents, step by step for each university (CPU and JSNU Art. 13)."""

from __future__ import annotations

from typing import Final

from knowledge.answers import article, cite, not_addressed
from knowledge.core import Decision, Step, Text, step_texts
from knowledge.institutions import cpu, institution, jsnu

LOST_PASSPORT: Final = "lost_passport"
LOST_PERMIT: Final = "lost_permit"

_CPU_13: Final = article(cpu.CODE, "13")
_JSNU_13: Final = article(jsnu.CODE, "13")

CPU_PASSPORT_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Within 24 hours of discovering the loss or damage, get a Letter of Passport "
              "Loss/Damage from the School of International Education.",
              "发现护照遗失/损毁后24小时内，到国际教育学院开具遗失/损毁声明。"), _CPU_13),
    Step(Text("Report the loss to your local police station.", "到驻地派出所报案。"), _CPU_13),
    Step(Text("File the loss with Nanjing Exit and Entry Administration.",
              "到南京市出入境管理部门备案。"), _CPU_13),
    Step(Text("Contact your country's embassy yourself to get a new passport.",
              "自行联系本国大使馆办理新护照。"), _CPU_13),
    Step(Text("Within 24 hours of receiving the new passport, register your temporary "
              "residence with the Nanjing police.",
              "领取新护照后24小时内，向南京公安申报临时住宿登记。"), article(cpu.CODE, "4")),
    Step(Text("Apply promptly for a new residence permit at the exit-entry authority with the "
              "visa letter from the School of International Education.",
              "及时凭国际教育学院出具的签证介绍信到出入境管理部门申请新的居留许可。"), _CPU_13),
)
"""CPU Art. 13, and Art. 4 for registering the new passport."""

JSNU_PASSPORT_STEPS: Final[tuple[Step, ...]] = (
    Step(Text("Report the loss promptly to the police station of the place where you lost it "
              "and get the loss record (报警记录单).",
              "及时向遗失地所辖派出所报失，领取报警记录单。"), _JSNU_13),
    Step(Text("Take the loss record to the Exit and Entry Administration Branch of Xuzhou "
              "Public Security Bureau (No. 33, Kuangshan Road) for a passport loss certificate.",
              "携带报警记录单到徐州市公安局出入境管理支队（矿山路33号）办理护照丢失证明。"),
         _JSNU_13),
    Step(Text("Apply to your country's embassy in China for a new passport.",
              "向本国驻华使馆申请补发护照。"), _JSNU_13),
    Step(Text("Update your passport details in the WeChat mini program “International Student "
              "Service Assistant”.",
              "在微信小程序“留学生服务小助手”内及时更新护照信息。"), article(jsnu.CODE, "3")),
    Step(Text("With the new passport, register your accommodation again.",
              "补发新护照后重新申报住宿登记。"), _JSNU_13),
    Step(Text("Apply promptly to the Exit and Entry Administration Branch of Xuzhou Public "
              "Security Bureau for a new residence permit.",
              "及时向徐州市公安局出入境管理支队申请新的居留许可。"), _JSNU_13),
)
"""JSNU Art. 13, and Art. 3 for updating the mini program."""


def lost_passport(institution_code: str) -> Decision:
    """What to do after losing a passport in China: CPU Art. 13 (with Art. 4), JSNU Art. 13.

    Westlake's and Qujing's documents do not address it: the decision is not covered.
    """
    code = institution(institution_code).code
    if code == cpu.CODE:
        return Decision(LOST_PASSPORT, True, Text(
            "If your passport is lost or damaged in China, act within 24 hours: these are the "
            "steps China Pharmaceutical University requires.",
            "在中国境内护照遗失或损毁的，须在24小时内按中国药科大学规定的以下步骤办理。",
        ), cite(cpu.CODE, "13", "4"), step_texts(CPU_PASSPORT_STEPS))
    if code == jsnu.CODE:
        return Decision(LOST_PASSPORT, True, Text(
            "If your passport is lost, report it promptly and follow Jiangsu Normal "
            "University's steps.",
            "护照遗失的，请及时报失并按江苏师范大学规定的以下步骤办理。",
        ), cite(jsnu.CODE, "13", "3"), step_texts(JSNU_PASSPORT_STEPS))
    return not_addressed(LOST_PASSPORT, code, Text("lost or damaged passports", "护照遗失或损毁"),
                         cite(cpu.CODE, "13") + cite(jsnu.CODE, "13"))


def lost_permit(institution_code: str) -> Decision:
    """A lost, damaged or stolen visa or residence permit (JSNU Art. 13).

    CPU Art. 13 asks students to keep the visa safe but gives steps only for the passport.
    """
    code = institution(institution_code).code
    if code == jsnu.CODE:
        return Decision(LOST_PERMIT, True, Text(
            "If your visa or residence permit is lost, damaged, stolen or robbed in China, "
            "apply in time to the Exit and Entry Administration Branch of Xuzhou Public "
            "Security Bureau for a replacement.",
            "在中国境内签证或居留许可遗失、损毁、被盗抢的，应及时向徐州市公安局出入境管理支队申请补发。",
        ), cite(jsnu.CODE, "13"))
    return not_addressed(
        LOST_PERMIT, code,
        Text("a lost visa or residence permit on its own", "单独遗失签证或居留许可的办理"),
        cite(jsnu.CODE, "13"),
    )
