"""A maintainer's plain question (data/questions, docs/maintaining.md), as the tests write it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ENGLISH = [
    "which exit-entry branch handles the permit in Xuzhou",
    "in Xuzhou which police exit-entry branch do I go to",
    "name of the exit and entry branch for Xuzhou students",
    "Xuzhou exit-entry administration branch, is that where I go",
    "the Xuzhou exit-entry branch for my residence permit?",
    "which Xuzhou branch processes student permits",
    "do I go to the Xuzhou exit entry branch myself",
    "what is the Xuzhou public security exit-entry branch",
    "exit-entry branch in Xuzhou for international students",
    "where in Xuzhou is the permit handled, which branch",
]
CHINESE = [
    "徐州哪个出入境管理支队办居留许可",
    "徐州的出入境支队是哪个",
    "在徐州要去哪个出入境管理支队",
    "徐州市公安局出入境管理支队管学生的居留许可吗",
    "徐州办居留许可去哪个支队",
    "徐州出入境支队叫什么",
    "徐州的居留许可由哪个支队办理",
    "我在徐州，去哪个出入境支队",
    "徐州出入境管理支队负责什么",
    "留学生在徐州找哪个出入境支队",
]
ANSWER_EN = ("At Jiangsu Normal University residence permits are handled by the Exit and "
             "Entry Administration Branch of Xuzhou Public Security Bureau.")
ANSWER_ZH = "江苏师范大学学生的居留许可由徐州市公安局出入境管理支队办理。"


def question(name: str = "xuzhou_exit_entry_branch", **changes: Any) -> dict[str, Any]:
    """The file's content: ``changes`` replace top-level keys (None removes one)."""
    content: dict[str, Any] = {
        "question": name,
        "title": {"en": "The exit-entry branch in Xuzhou", "zh": "徐州的出入境管理支队"},
        "examples": {"en": list(ENGLISH), "zh": list(CHINESE)},
        "answers": [{"university": "JSNU", "article": "2", "en": ANSWER_EN, "zh": ANSWER_ZH}],
    }
    content.update(changes)
    return {key: value for key, value in content.items() if value is not None}


def write(folder: Path, content: dict[str, Any], file_name: str | None = None) -> Path:
    """Writes a question file into ``folder`` (data/questions of a project)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (file_name or f"{content.get('question') or 'question'}.yml")
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), "utf-8")
    return path
