"""What the bridge itself says (everything else comes from Rasa), in English and Chinese.

The bridge says them with ``Text.chosen``: both languages until the person has chosen one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from knowledge.core import Text

WELCOME = Text(
    "Hello! I am the international office's assistant: visas, residence permits, lost "
    "passports, deadlines and requests to the office. Choose your language and your "
    "university, or just ask your question.",
    "您好！我是国际处的智能助手，可以解答签证、居留许可、护照丢失、各类期限等问题，"
    "并帮您向国际处提交申请。请选择语言和学校，或直接提问。",
)
HELP = Text(
    "Commands: /lang choose English or 中文 · /requests my requests · /reminders my "
    "reminders · /start choose my university. Or just write your question.",
    "命令：/lang 选择语言 · /requests 我的申请 · /reminders 我的提醒 · /start 选择学校。"
    "也可以直接输入问题。",
)
CHOOSE_LANGUAGE = Text("Which language should I use?", "请选择语言：")
TRY_AGAIN = Text(
    "Sorry, I cannot answer right now. Please try again shortly.",
    "抱歉，暂时无法回答，请稍后再试。",
)
SLOW_DOWN = Text(
    "I am still answering your earlier messages; please wait for my reply before sending more.",
    "我还在回复您之前的消息，请等我回复后再发送。",
)
BUTTON_EXPIRED = Text(
    "That button has expired; please ask again.", "该按钮已失效，请重新提问。"
)
TEXT_ONLY = Text(
    "I can only read text messages; please type your question.",
    "我只能阅读文字消息，请输入您的问题。",
)

LANGUAGE_BUTTONS: Mapping[str, str] = MappingProxyType({"en": "English", "zh": "中文"})
