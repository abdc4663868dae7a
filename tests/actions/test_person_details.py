"""Reading who a request is for from what people write (actions/person_details.py)."""

from __future__ import annotations

import pytest

from actions.person_details import answered_detail, details_in


@pytest.mark.parametrize(("text", "expected"), [
    ("my name is Ali Khan, student number 2023123456, email ali.khan@example.com",
     {"full_name": "Ali Khan", "member_number": "2023123456",
      "contact": "ali.khan@example.com"}),
    ("yes, I'm Ali Khan and my staff ID is T-0042",
     {"full_name": "Ali Khan", "member_number": "T-0042"}),
    ("Hi, my name is Maria Lopez and my student ID is S-20231",
     {"full_name": "Maria Lopez", "member_number": "S-20231"}),
    ("我叫王小明，学号2023001234，电话13812345678",
     {"full_name": "王小明", "member_number": "2023001234", "contact": "13812345678"}),
    ("姓名：李雷，工号：880123", {"full_name": "李雷", "member_number": "880123"}),
    ("call me on +86 138 1234 5678", {"contact": "+86 138 1234 5678"}),
    # Not details: a student's status, a passport number, a bare number, a date.
    ("I am a student at CPU", {}),
    ("I am lost, my passport E12345678 is gone", {}),
    ("my permit expires on 2027-05-01", {}),
    ("2023123456", {}),
])
def test_details_are_read_only_where_the_message_states_them(
    text: str, expected: dict[str, str]
) -> None:
    assert details_in(text) == expected


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("full_name", "Ali Khan", "Ali Khan"),
    ("full_name", "My name is Ali Khan", "Ali Khan"),
    ("full_name", "王小明", "王小明"),
    ("full_name", "12345", None),
    ("full_name", "Can I travel to Yunnan during the winter holidays?", None),
    ("full_name", "我想问一下签证的事情。", None),
    ("full_name", "María José García López", "María José García López"),
    ("member_number", "2023123456", "2023123456"),
    ("member_number", "my student number is S-20231", "S-20231"),
    ("member_number", "I don't know", None),
    ("member_number", "none", None),
    ("contact", "ali@example.com", "ali@example.com"),
    ("contact", "you can text me at 13812345678", "13812345678"),
    ("contact", "2023123456", None),
    ("contact", "on campus", None),
])
def test_an_answer_to_the_forms_question_is_the_detail_or_none(
    name: str, text: str, expected: str | None
) -> None:
    assert answered_detail(name, text) == expected
