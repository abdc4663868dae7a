"""Issue 22's rule fixes as people meet them: through the real Rasa and action servers.

Item 2 (CPU Art. 7 on the expiry day itself), item 5 (JSNU Art. 9 with the office's holidays,
set for these processes in tests/conftest.py), item 6 (a deadline already past) and item 11
(every rule answer names its university; "I study in Xuzhou" is Jiangsu Normal University).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from actions.conversation import today
from knowledge import format_date
from tests.conftest import TEST_HOLIDAYS, RunningAssistant

pytestmark = pytest.mark.e2e


def test_cpu_article_7_on_the_expiry_day_the_student_can_still_pay(
    assistant: RunningAssistant, sender: str
) -> None:
    replies = assistant.text(sender, "if I don't pay my fees will I be withdrawn automatically?")
    for _ in range(4):  # answer the questions the rule still needs, as a person would
        if "can still pay" in replies or "?" not in replies.splitlines()[-1]:
            break
        asked = replies.splitlines()[-1].lower()
        replies = assistant.text(sender, today().isoformat() if "expire" in asked else "no")
    assert "can still pay" in replies, replies
    assert "China Pharmaceutical University" in replies and "Article 7" in replies


def test_jsnu_article_9_an_expiry_in_the_holidays_is_dealt_with_before_they_start(
    assistant: RunningAssistant, sender: str
) -> None:
    first = TEST_HOLIDAYS[0]
    assistant.text(sender, "I study at Jiangsu Normal University")
    assistant.text(sender, "by when must I apply to extend my residence permit?")
    answer = assistant.text(sender, (first + timedelta(days=10)).isoformat())
    assert "finish the procedures before the holidays start" in answer, answer
    assert format_date(first, "en") in answer, answer
    assert "Jiangsu Normal University, Article 9" in answer


def test_a_deadline_already_past_is_said_to_have_passed_with_a_way_to_the_office(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "by when must I apply to extend my residence permit?")
    replies = assistant.say(sender, (today() + timedelta(days=5)).isoformat())
    answer = "\n".join(reply.get("text", "") for reply in replies)
    assert "passed" in answer, answer
    buttons = [button for reply in replies for button in reply.get("buttons", [])]
    assert buttons, "the answer offers the request (or a person) with a button"


@pytest.mark.parametrize(("question", "university"), [
    ("Which visa do I need to study in China?", "China Pharmaceutical University"),
    ("I study in Xuzhou. Which visa do I need to study in China?",
     "Jiangsu Normal University"),
    ("我在西湖大学工作，如何邀请国际访问学者？", "西湖大学"),
])
def test_every_rule_answer_names_the_university_whose_rules_it_applies(
    assistant: RunningAssistant, sender: str, question: str, university: str
) -> None:
    answer = assistant.text(sender, question)
    first_line = answer.splitlines()[0] if answer else ""
    assert university in first_line, answer
