"""The maintainers' data check: each check fires on a broken project and the real data passes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import check_data

from tests import plain_question

REPO_ROOT = Path(__file__).resolve().parents[1]


def _examples(prefix: str, count: int, chinese: str = "") -> list[str]:
    english = [f"{prefix} question number {n}" for n in range(count)]
    return english + [f"{chinese}问题{n}" for n in range(count)] if chinese else english


def _block(intent: str, examples: list[str]) -> dict[str, str]:
    return {"intent": intent, "examples": "".join(f"- {e}\n" for e in examples)}


def _bilingual(en: str, zh: str) -> list[dict[str, object]]:
    return [{"text": en},
            {"condition": [{"type": "slot", "name": "language", "value": "zh"}], "text": zh}]


def write_project(root: Path) -> None:
    """A small project with nothing wrong: two intents, two rules, one story, one action."""
    domain = {
        "version": "3.1",
        "intents": ["greet", "visa_types"],
        "forms": {"date_form": {"required_slots": ["event_date"]}},
        "responses": {
            "utter_greet": _bilingual("Hello", "你好"),
            "utter_ask_event_date": _bilingual("Which date?", "哪天？"),
            "utter_sent_by_action": _bilingual("Done", "好了"),
        },
    }
    (root / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), "utf-8")
    for folder in ("data/nlu", "data/rules", "data/stories", "actions"):
        (root / folder).mkdir(parents=True)
    nlu = {"version": "3.1", "nlu": [_block("greet", _examples("hello", 10, "你好")),
                                     _block("visa_types", _examples("visa", 10, "签证"))]}
    (root / "data/nlu/basics.yml").write_text(yaml.safe_dump(nlu, allow_unicode=True), "utf-8")
    rules = {"version": "3.1", "rules": [
        {"rule": "Greet", "steps": [{"intent": "greet"}, {"action": "utter_greet"}]},
        {"rule": "Visa", "steps": [{"intent": "visa_types"}, {"action": "action_answer_faq"}]},
    ]}
    (root / "data/rules/basics.yml").write_text(yaml.safe_dump(rules), "utf-8")
    stories = {"version": "3.1", "stories": [
        {"story": "Greet then visa", "steps": [
            {"intent": "greet"}, {"action": "utter_greet"},
            {"intent": "visa_types"}, {"action": "action_answer_faq"}]},
    ]}
    (root / "data/stories/basics.yml").write_text(yaml.safe_dump(stories), "utf-8")
    (root / "actions/done.py").write_text(
        'dispatcher.utter_message(response="utter_sent_by_action")\n', "utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_project(tmp_path)
    return tmp_path


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def messages(root: Path) -> list[str]:
    return [str(problem) for problem in check_data.check(root)]


def test_a_correct_project_passes(project: Path) -> None:
    assert messages(project) == []


def test_the_real_training_data_passes() -> None:
    assert messages(REPO_ROOT) == []


def test_a_response_without_chinese_is_named(project: Path) -> None:
    _edit(project / "domain.yml",
          lambda d: d["responses"].update(utter_greet=[{"text": "Hello"}]))
    assert messages(project) == [
        "domain.yml, response utter_greet: has no Chinese variation "
        "(add one with condition language = zh)"]


def test_a_response_without_english_is_named(project: Path) -> None:
    _edit(project / "domain.yml",
          lambda d: d["responses"].update(utter_greet=_bilingual("x", "你好")[1:]))
    assert messages(project) == [
        "domain.yml, response utter_greet: has no English variation (one without a condition)"]


def test_a_response_nothing_uses_is_named(project: Path) -> None:
    _edit(project / "domain.yml",
          lambda d: d["responses"].update(utter_forgotten=_bilingual("Hm", "嗯")))
    [problem] = messages(project)
    assert problem.startswith("domain.yml, response utter_forgotten: is not used")


def test_too_few_chinese_examples_are_counted(project: Path) -> None:
    def drop_chinese(data: dict[str, list[dict[str, str]]]) -> None:
        lines = data["nlu"][0]["examples"].splitlines()
        data["nlu"][0]["examples"] = "\n".join(lines[:-3]) + "\n"
    _edit(project / "data/nlu/basics.yml", drop_chinese)
    assert messages(project) == [
        "data/nlu/basics.yml, intent greet: has 7 Chinese examples; at least 10 are needed"]


def test_an_example_under_two_intents_is_named(project: Path) -> None:
    def duplicate(data: dict[str, list[dict[str, str]]]) -> None:
        data["nlu"][1]["examples"] += "- Hello, question number 3!\n"
    _edit(project / "data/nlu/basics.yml", duplicate)
    [problem] = messages(project)
    assert problem.startswith("data/nlu/basics.yml, intent visa_types: example “Hello, "
                              "question number 3!” is also an example of intent greet")


def _write_test_sentences(root: Path, examples: list[str]) -> None:
    (root / "tests/nlu").mkdir(parents=True)
    held_out = {"version": "3.1", "nlu": [_block("visa_types", examples)]}
    (root / "tests/nlu/paraphrases.yml").write_text(
        yaml.safe_dump(held_out, allow_unicode=True), "utf-8")


def test_a_training_example_that_copies_a_test_sentence_is_named(project: Path) -> None:
    _write_test_sentences(project, ["签证问题4。", "完全不同的一句话"])
    [problem] = messages(project)
    assert problem == (
        "data/nlu/basics.yml, intent visa_types: example “签证问题4” copies a held-out test "
        "sentence of tests/nlu/paraphrases.yml: write it in other words or remove it")


def test_a_near_copy_of_a_test_sentence_counts_but_other_wording_does_not(project: Path) -> None:
    _write_test_sentences(project, ["签证问题7号", "which visa fits a two-year master"])
    assert [p.split(":")[0] for p in messages(project)] == [
        "data/nlu/basics.yml, intent visa_types"]  # 签证问题7 ≈ 签证问题7号; the English is new


def _write_conversations(root: Path, *turns: object) -> None:
    (root / "tests/conversations").mkdir(parents=True)
    conversations = {"conversations": [
        {"id": "en-test-01", "language": "en", "turns": list(turns), "said": [], "facts": {},
         "expect": {}},
    ]}
    (root / "tests/conversations/en.yml").write_text(
        yaml.safe_dump(conversations, allow_unicode=True), "utf-8")


def test_a_training_example_that_copies_a_conversation_turn_is_named(project: Path) -> None:
    _write_conversations(project, "你好问题3！",
                         {"say": "签证问题5", "expect": {"request": True}})
    assert messages(project) == [
        "data/nlu/basics.yml, intent greet: example “你好问题3” copies a held-out test sentence "
        "of tests/conversations/en.yml: write it in other words or remove it",
        "data/nlu/basics.yml, intent visa_types: example “签证问题5” copies a held-out test "
        "sentence of tests/conversations/en.yml: write it in other words or remove it"]


def test_a_near_copy_of_a_conversation_turn_counts_but_a_longer_turn_does_not(
        project: Path) -> None:
    _write_conversations(project, "签证问题8吗",
                         "hello question number 1, and then a long story about my visa and "
                         "the documents I need for the residence permit")
    assert [p.split(":")[0] for p in messages(project)] == [
        "data/nlu/basics.yml, intent visa_types"]  # 签证问题8 ≈ 签证问题8吗


def test_entity_marks_do_not_hide_a_duplicate() -> None:
    assert check_data.normalised("I paid the [whole year](payment)") == \
        check_data.normalised("i paid the whole year.")


def test_entity_spans_are_found_in_the_plain_text() -> None:
    assert check_data.entity_spans(
        'I am a [new](student_status) student, [2 years]{"entity": "length"} here') == (
        "I am a new student, 2 years here", [(7, 10), (20, 27)])


def _add_examples(root: Path, *examples: str) -> None:
    def add(data: dict[str, list[dict[str, str]]]) -> None:
        data["nlu"][1]["examples"] += "".join(f"- {e}\n" for e in examples)
    _edit(root / "data/nlu/basics.yml", add)


def test_an_entity_mark_inside_a_chinese_word_is_named(project: Path) -> None:
    _add_examples(project, "我是[留学]{\"entity\": \"student_status\"}生的签证")
    assert messages(project) == [
        "data/nlu/basics.yml, intent visa_types: example “我是[留学]{\"entity\": "
        "\"student_status\"}生的签证” marks “留学”, but the model reads the words 留学生 there: "
        "mark whole words, or add the marked words to a word list in a folder config.yml's "
        "tokenizer names as dictionary_path if they are one word"]


def test_an_entity_mark_inside_an_english_word_is_named(project: Path) -> None:
    _add_examples(project, "visa for [new](student_status)er students")
    [problem] = messages(project)
    assert "marks “new”, but the model reads the words newer there" in problem


def test_entity_marks_on_whole_words_pass(project: Path) -> None:
    _add_examples(project, "我是[留学生]{\"entity\": \"student_status\"}的签证",
                  "visa for [new](student_status) students", "签证[一学年](payment)有效吗")
    assert messages(project) == []


def test_the_project_dictionary_decides_what_a_word_is(project: Path) -> None:
    _add_examples(project, "签证一[学年](payment)有效吗")
    assert messages(project) == []  # Jieba's own dictionary: 一 / 学年
    (project / "engine/jieba").mkdir(parents=True)
    (project / "engine/jieba/userdict.txt").write_text("一学年 2000 n\n", "utf-8")
    assert messages(project) == []  # a dictionary the tokenizer does not load counts for nothing
    (project / "config.yml").write_text(yaml.safe_dump({"pipeline": [
        {"name": "engine.components.BilingualTokenizer", "dictionary_path": "engine/jieba"}]}))
    [problem] = messages(project)
    assert "marks “学年”, but the model reads the words 一学年 there" in problem


def test_the_boundary_message_names_the_dictionary_folder_config_yml_names(
        project: Path) -> None:
    _add_examples(project, "我是[留学]{\"entity\": \"student_status\"}生的签证")
    (project / "words").mkdir()
    (project / "config.yml").write_text(yaml.safe_dump({"pipeline": [
        {"name": "engine.components.BilingualTokenizer", "dictionary_path": "words"}]}))
    [problem] = messages(project)
    assert problem.endswith("add the marked words to a word list in words/ if they are one word")


def test_a_story_that_contradicts_a_rule_is_named(project: Path) -> None:
    def contradict(data: dict[str, list[dict[str, list[dict[str, str]]]]]) -> None:
        data["stories"][0]["steps"][3] = {"action": "utter_greet"}
    _edit(project / "data/stories/basics.yml", contradict)
    assert messages(project) == [
        "data/stories/basics.yml, story “Greet then visa”: answers intent visa_types with "
        "utter_greet, but data/rules/basics.yml, rule “Visa” answers it with action_answer_faq: "
        "change the story or the rule so they agree"]


def test_the_command_exits_with_1_and_prints_the_problems(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(project / "domain.yml",
          lambda d: d["responses"].update(utter_greet=[{"text": "Hello"}]))
    assert check_data.main(["--root", str(project)]) == 1
    assert "utter_greet: has no Chinese variation" in capsys.readouterr().out


# ------------------------------------------------------------------------- plain questions


def test_a_maintainers_plain_question_passes(project: Path) -> None:
    plain_question.write(project / "data/questions", plain_question.question())
    assert messages(project) == []


def test_a_plain_question_without_a_source_is_named_with_its_file(project: Path) -> None:
    plain_question.write(project / "data/questions", plain_question.question(answers=[
        {"university": "JSNU", "en": "An answer.", "zh": "一个回答。"}]))
    assert messages(project) == [
        "data/questions/xuzhou_exit_entry_branch.yml: answer 1 has no source: write the "
        "`article:` of JSNU's document it comes from"]


def test_a_plain_question_named_like_an_intent_is_named(project: Path) -> None:
    plain_question.write(project / "data/questions", plain_question.question("visa_types"))
    assert messages(project) == [
        "data/questions/visa_types.yml: `question: visa_types` is already the name of an "
        "intent in domain.yml or data/nlu: choose another name"]


def test_a_plain_questions_examples_are_checked_like_every_intents(project: Path) -> None:
    content = plain_question.question()
    content["examples"]["zh"] = content["examples"]["zh"][:4]
    content["examples"]["en"][0] = "visa question number 3"  # an example of visa_types
    plain_question.write(project / "data/questions", content)
    assert messages(project) == [
        "data/questions/xuzhou_exit_entry_branch.yml, intent xuzhou_exit_entry_branch: example "
        "“visa question number 3” is also an example of intent visa_types (“visa question "
        "number 3” in data/nlu/basics.yml): keep it under one intent only",
        "data/questions/xuzhou_exit_entry_branch.yml, intent xuzhou_exit_entry_branch: has 4 "
        "Chinese examples; at least 10 are needed"]
