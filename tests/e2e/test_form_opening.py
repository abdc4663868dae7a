"""The question that starts each form is never met with an error (issue 19), in both
languages, through the real Rasa server and action server."""

from __future__ import annotations

import pytest

from tests.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

SCOLDING = ("did not get that", "could not read", "could not work out", "没有理解", "没能识别")

STARTING_QUESTIONS = [
    "How long will my residence permit be?",                      # permit_duration_form
    "by when must I apply to extend my residence permit?",         # deadline_form
    "Can my wife come with me to China?",                          # calculator_form
    "Which visa do I need to study in China?",                     # calculator_form
    "I want to open a request",                                    # request_form
    "add a note to my request",                                    # note_form
    "remind me before my passport expires",                        # reminder_form
    "我的居留许可能办多久？",
    "居留许可延期应该什么时候申请？",
    "我想提交一个申请",
    "护照到期前提醒我",
]


@pytest.mark.parametrize("question", STARTING_QUESTIONS)
def test_the_question_that_starts_a_form_gets_the_forms_question_not_an_error(
    assistant: RunningAssistant, sender: str, question: str
) -> None:
    reply = assistant.text(sender, question)
    assert reply.strip(), "the form asks something"
    assert not [phrase for phrase in SCOLDING if phrase in reply], reply
