"""Plain questions maintainers add in data/questions: read, refused in plain words, answered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config import questions
from knowledge.faq import topic_answer
from knowledge.questions import QuestionError
from tests.plain_question import ANSWER_EN, ANSWER_ZH, question, write


def problems_of(folder: Path) -> list[str]:
    return [problem for _, error in questions.problems(folder) for problem in error.problems]


def test_a_complete_question_is_read_with_its_examples_and_sourced_answer(tmp_path: Path) -> None:
    write(tmp_path, question())
    ((file, read),) = questions.read_all(tmp_path)
    assert file.name == "xuzhou_exit_entry_branch.yml"
    assert read.id == "xuzhou_exit_entry_branch"
    assert len(read.examples["en"]) == 10 and len(read.examples["zh"]) == 10
    entry = read.topic.entry("JSNU")
    assert entry is not None and entry.answer.en == ANSWER_EN
    assert [(c.institution, c.article) for c in entry.citations] == [("JSNU", "2")]
    assert questions.problems(tmp_path) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"answers": [{"university": "JSNU", "article": "2", "en": ANSWER_EN}]},
     "answer 1 has no Chinese text (`zh:`)"),
    ({"answers": [{"university": "JSNU", "article": "2", "zh": ANSWER_ZH}]},
     "answer 1 has no English text (`en:`)"),
    ({"answers": [{"university": "JSNU", "en": ANSWER_EN, "zh": ANSWER_ZH}]},
     "answer 1 has no source: write the `article:` of JSNU's document it comes from"),
    ({"answers": [{"university": "JSNU", "article": "42", "en": ANSWER_EN, "zh": ANSWER_ZH}]},
     "answer 1: JSNU's document has no article “42”"),
    ({"answers": [{"university": "PKU", "article": "2", "en": ANSWER_EN, "zh": ANSWER_ZH}]},
     "answer 1 names the university “PKU”; write one of CPU, JSNU, WESTLAKE, QJNU"),
    ({"answers": None}, "`answers:` needs at least one answer"),
    ({"title": {"en": "Only English"}}, "`title:` has no Chinese text (`zh:`)"),
    ({"question": "Exit Entry!"}, "`question:` “Exit Entry!” must be a name of lower-case"),
    ({"answers": [{"university": "JSNU", "article": "2", "en": ANSWER_EN, "zh": "in English"}]},
     "answer 1: the `zh:` text has no Chinese characters"),
])
def test_what_is_wrong_with_a_question_is_said_in_plain_words(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    write(tmp_path, question(**change), "broken.yml")
    assert any(problem.startswith(expected) for problem in problems_of(tmp_path)), (
        problems_of(tmp_path))
    assert questions.read_all(tmp_path) == ()  # never used while broken


def test_a_file_that_is_not_yaml_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text("question: [unclosed\n", "utf-8")
    ((file, error),) = questions.problems(tmp_path)
    assert file.name == "broken.yml"
    assert error.problems[0].startswith("cannot be read as YAML")
    with pytest.raises(QuestionError):
        questions.read(tmp_path / "broken.yml")


def test_two_files_with_one_name_are_named(tmp_path: Path) -> None:
    write(tmp_path, question(), "first.yml")
    write(tmp_path, question(), "second.yml")
    assert problems_of(tmp_path) == ["`question: xuzhou_exit_entry_branch` is already the name "
                                     "of first.yml: choose another name"]


def test_an_edited_answer_is_read_again_without_a_restart(tmp_path: Path) -> None:
    path = write(tmp_path, question())
    assert questions.plain_topics(tmp_path)["xuzhou_exit_entry_branch"].entries[0].answer.en \
        == ANSWER_EN
    changed = question(answers=[{"university": "JSNU", "article": "2",
                                 "en": "Changed.", "zh": "已修改。"}])
    write(tmp_path, changed)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert questions.plain_topics(tmp_path)["xuzhou_exit_entry_branch"].entries[0].answer.en \
        == "Changed."
    path.unlink()
    assert questions.plain_topics(tmp_path) == {}


def test_a_plain_question_is_answered_like_every_topic(tmp_path: Path) -> None:
    write(tmp_path, question())
    plain = questions.plain_topics(tmp_path)["xuzhou_exit_entry_branch"]
    answered = topic_answer(plain, "JSNU")
    assert answered.covered
    assert ANSWER_EN in answered.render("en")
    assert "Jiangsu Normal University, Article 2" in answered.render("en")
    assert ANSWER_ZH in answered.render("zh")
    # Another university's documents do not answer it: said so, with the one that does.
    elsewhere = topic_answer(plain, "CPU")
    assert not elsewhere.covered
    assert "Jiangsu Normal University" in elsewhere.render("en")
