"""The conversation benchmark's own logic: the simulated person and the judge, on handmade
replies (the benchmark's conversations are judged only by running it)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import conversation_bench as bench
from conversation_bench import Button, Cite, Expect, Reply


def conversation(said: Sequence[str] = (), facts: Mapping[str, str] | None = None,
                 turns: Sequence[Any] = ("hello",), expect: Mapping[str, Any] | None = None,
                 institution: str = "CPU", language: str = "en") -> bench.Conversation:
    return bench.read_conversation({
        "id": "en-test-01", "language": language, "institution": institution, "topic": "t",
        "style": "plain", "turns": list(turns), "said": list(said), "facts": facts or {},
        "expect": expect or {},
    })


def move(text: str, *buttons: tuple[str, str], said: Sequence[str] = (),
         facts: Mapping[str, str] | None = None, **kwargs: Any) -> bench.Move:
    person = bench.PersonState(conversation(said, facts, **kwargs), wants_request=False)
    person.wants_request = bench.wants_request(person.conversation)
    return bench.next_move(Reply(text, tuple(Button(t, p) for t, p in buttons)), person)


# ----------------------------------------------------------------------------- which fact


@pytest.mark.parametrize(("question", "fact"), [
    ("Are you a new student, a returning student, or a student whose graduation was delayed?",
     "student_status"),
    ("您是新生、老生，还是延期毕业生？", "student_status"),
    ("What is your attendance rate? For example: 85%", "attendance"),
    ("您的出勤率是多少？例如：85%", "attendance"),
    ("On which date does your residence permit expire? For example: 15 July 2027 "
     "(or say \"stop\")", "permit_expiry"),
    ("您的居留许可哪天到期？例如：2027年7月15日（或说“取消”）", "permit_expiry"),
    ("On which date did your visa or residence permit expire?", "visa_expiry"),
    ("您是哪天持X1签证入境的？", "entry_date"),
    ("How long will you study in China? For example: 8 months", "stay_length"),
    ("您打算在中国学习多长时间？", "stay_length"),
    ("I know the regulations of four universities. Which one is yours?", "university"),
    ("我掌握四所学校的规定。请问您是哪所学校的？", "university"),
    ("Please check your request:\n• Student status: Returning student\nShall I send it to the "
     "office?", "confirm"),
    ("请核对您的申请：\n• 出勤率\n确认提交给国际处吗？", "confirm"),
    ("Which country or region is the trip to?", "trip_destination"),
    ("请输入补充说明的内容。", "note"),
])
def test_the_fact_a_question_asks_for_is_read_from_its_words(question: str, fact: str) -> None:
    assert bench.asked_fact(Reply(question)) == fact


def test_only_the_asking_sentence_counts() -> None:
    reply = Reply("With attendance of 65% you get no extension. Are you in your final year?")
    assert bench.asked_fact(reply) == "final_year"


def test_a_quoted_question_asks_nothing() -> None:
    opened = Reply("I have opened request CPU-2026-000001. Ask me “what's the status of my "
                   "request?” any time.")
    assert not bench.asks_something(opened)
    assert bench.next_move(opened, bench.PersonState(conversation(), False)).kind == "done"


def test_an_answer_that_mentions_a_fact_is_no_question() -> None:
    assert move("With attendance of 88% (over 80%), your permit runs until 10 September "
                "2027.").kind == "done"


# ----------------------------------------------------------------------------- answering


def test_a_fact_the_person_gave_is_answered_from_the_facts() -> None:
    answer = move("What is your attendance rate?", facts={"attendance": "about 88%"})
    assert (answer.kind, answer.message, answer.problem) == ("answer", "about 88%", None)


def test_asking_again_for_a_stated_fact_is_a_failure_but_the_person_answers() -> None:
    answer = move("Which one is yours?", said=["university"], institution="JSNU")
    assert answer.problem == "asked again for university"
    assert answer.message == "Jiangsu Normal University"


@pytest.mark.parametrize(("question", "language", "answer"), [
    ("So that the office knows who it is for: what is your full name?", "en", "Sam Taylor"),
    ("为了让国际处知道申请人是谁，请问您的姓名是？", "zh", "李明"),
    ("What is your student or staff number?", "en", "2024100123"),
    ("Which e-mail address or phone number may the office use to reach you?", "en",
     "sam.taylor@example.com"),
    ("Which university is this request for?", "en", "Westlake University"),
    ("这份申请是哪所学校的？", "zh", "西湖大学"),
])
def test_a_person_knows_who_they_are_and_their_university_without_the_file_saying_so(
    question: str, language: str, answer: str
) -> None:
    given = move(question, institution="WESTLAKE", language=language)
    assert (given.kind, given.message, given.problem) == ("answer", answer, None)


def test_a_stated_fact_with_its_words_in_the_facts_is_answered_with_them() -> None:
    answer = move("您缴了多少费用：一学年、一学期，还是尚未缴费？", said=["payment"],
                  facts={"payment": "一学年都交了"})
    assert (answer.message, answer.problem) == ("一学年都交了", "asked again for payment")


def test_a_stand_in_fact_answers_when_the_asked_one_is_missing() -> None:
    answer = move("On which date did you enter China with your X1 visa?",
                  facts={"arrival_date": "6 September 2027"})
    assert (answer.fact, answer.message) == ("entry_date", "6 September 2027")


def test_a_question_without_a_fact_stops_the_conversation() -> None:
    assert move("Has the university agreed to this work-study job or internship?").kind == \
        "unanswerable"
    assert move("Why do you ask?").kind == "unanswerable"


def test_a_clearly_matching_button_is_tapped() -> None:
    buttons = (("是", "/affirm"), ("不是", "/deny"))
    answer = move("您是毕业班学生吗（本学年毕业）？", *buttons, facts={"final_year": "不是，研一"})
    assert (answer.message, answer.tapped) == ("/deny", "不是")
    university = move("Which one is yours?", ("China Pharmaceutical University", "/ci{CPU}"),
                      ("Jiangsu Normal University", "/ci{JSNU}"),
                      facts={"university": "China Pharmaceutical University in Nanjing"})
    assert university.message == "/ci{CPU}"


def test_without_a_clear_button_the_person_types() -> None:
    buttons = (("The whole year", "/year"), ("One semester", "/semester"))
    answer = move("How much have you paid?", *buttons, facts={"payment": "full year 2027-2028"})
    assert (answer.message, answer.tapped) == ("full year 2027-2028", None)


def test_the_confirmation_uses_the_confirm_fact_else_the_expectation() -> None:
    question = "Please check your request:\n• Question: x\nShall I send it to the office?"
    assert move(question, facts={"confirm": "yes please"}).message == "yes please"
    assert move(question, expect={"request": True}).message == "yes"
    assert move(question).message == "no"
    assert move("确认提交给国际处吗？").message == "不用了"


def test_an_offer_to_open_a_request_is_taken_only_when_the_person_wants_one() -> None:
    offer = ("Lost document", '/open_request{"case_type":"lost_document"}')
    text = "If you want the office to handle this, I can open the request for you now:"
    taken = move(text, offer, facts={"confirm": "yes"})
    assert (taken.kind, taken.message) == ("answer", offer[1])
    assert move(text, offer, facts={"confirm": "no thanks"}).kind == "done"
    assert move(text, offer).kind == "done"


def test_greetings_and_fallbacks_are_no_fact_questions() -> None:
    assert move("Hello! What do you need?").kind == "done"
    assert move("您是想问以下哪一项？", ("签证类型", "/visa_types")).kind == "not_understood"


def test_the_note_is_what_the_turn_says_after_its_colon() -> None:
    person = bench.PersonState(conversation(), False, current_turn="add a note: flight moved")
    answer = bench.next_move(Reply("What should the note say?"), person)
    assert (answer.message, answer.problem) == ("flight moved", "asked again for note")


def test_the_reference_asked_for_is_the_last_one_given() -> None:
    person = bench.PersonState(conversation(), False, references=["CPU-2026-000007"])
    assert bench.next_move(Reply("Which request should the note go to?"),
                           person).message == "CPU-2026-000007"


# ----------------------------------------------------------------------------- judging


def test_citations_are_read_in_both_languages_with_sub_clauses() -> None:
    text = ("Source: China Pharmaceutical University, Article 6(2)(1); China Pharmaceutical "
            "University, Article 10 (the second Article 10, on dependents)\n"
            "依据：江苏师范大学 第十三条；曲靖师范学院 职责第六项\n"
            "Source: Westlake University, Faculty/Staff Portal, “How do I invite?”\n"
            "• Passport copy (JSNU Art. 11)")
    assert bench.citations_in(text) == {
        Cite("CPU", 6), Cite("CPU", 10), Cite("JSNU", 13), Cite("QJNU", 6),
        Cite("WESTLAKE", None), Cite("JSNU", 11)}


def test_other_universities_named_by_a_not_covered_answer_are_no_citations() -> None:
    text = ("Westlake University's documents in this assistant do not cover transfers. It is "
            "covered for other universities by: Jiangsu Normal University, Article 6. Please "
            "ask the office.\n本助手收录的西湖大学文件没有涉及转学。"
            "其他学校的相关规定见：江苏师范大学 第六条。请咨询国际事务办公室。")
    assert bench.citations_in(text) == set()


@pytest.mark.parametrize(("written", "number"), [
    ("六", 6), ("十", 10), ("十三", 13), ("二十一", 21), ("一百零五", 105), ("17", 17)])
def test_chinese_article_numbers(written: str, number: int) -> None:
    assert bench.chinese_numeral(written) == number


@pytest.mark.parametrize("text", ["until 10 September 2028.", "延期至2028年9月10日。",
                                  "valid until 2028-09-10"])
def test_a_date_counts_in_english_chinese_or_iso(text: str) -> None:
    assert bench.gives_date(date(2028, 9, 10), text)
    assert not bench.gives_date(date(2028, 9, 1), text)


def test_judging_names_every_missing_part() -> None:
    expect = Expect(cites=(Cite("CPU", 6), Cite("WESTLAKE")), dates=(date(2028, 7, 15),),
                    mentions=(("X1",), ("180", "一百八十")), request=True, not_covered=False)
    replies = [Reply("You need an X1 visa for 180 days.\n"
                     "Source: China Pharmaceutical University, Article 2")]
    assert bench.judge(expect, replies) == [
        "no citation of CPU 6", "no citation of WESTLAKE", "date 2028-07-15 not given",
        "no request reference given"]


def test_a_met_expectation_gives_no_reason() -> None:
    expect = Expect(cites=(Cite("CPU", 6),), dates=(date(2028, 9, 10),), mentions=(("x1",),),
                    request=True, not_covered=False)
    replies = [Reply("An X1 holder... until 2028年9月10日。\n"
                     "依据：中国药科大学 第六条（二）（一）"),
               Reply("已为您向国际处提交申请，编号 CPU-2027-000012。")]
    assert bench.judge(expect, replies) == []


def test_not_covered_needs_the_statement_and_an_offer() -> None:
    uncovered = Expect(not_covered=True)
    statement = Reply("The regulations do not settle your case, so I won't guess.")
    offer = Reply("I can open the request for you now:",
                  (Button("Ask the office", '/open_request{"case_type":"talk_to_person"}'),))
    assert bench.judge(uncovered, [statement, offer]) == []
    assert bench.judge(uncovered, [statement]) == ["did not offer a request with the office"]
    assert bench.judge(uncovered, [Reply("Source: China Pharmaceutical University, Article 6")]) \
        == ["did not say the regulations do not cover it"]
    covered = Expect(not_covered=False)
    assert bench.judge(covered, [Reply("规定没有涵盖您的情况，我不做猜测。")]) == [
        "said the regulations do not cover it"]


def test_request_and_not_covered_judged_at_an_earlier_turn_are_not_judged_again() -> None:
    talk = conversation(turns=[{"say": "a", "expect": {"not_covered": True}},
                               {"say": "b", "expect": {"request": True}}, "status?"],
                        expect={"request": True, "not_covered": True, "mentions": [["x"]]})
    assert bench.judged_earlier(talk) == frozenset({"request", "not_covered"})
    assert bench.judge(talk.expect, [Reply("nothing")], bench.judged_earlier(talk)) == [
        "none of x mentioned"]


# ----------------------------------------------------------------------------- a whole run


def scripted_assistant(answers: Mapping[str, list[dict[str, Any]]]) -> bench.Say:
    """An assistant that answers each message from a table (and "?" to anything else)."""
    def say(sender: str, message: str) -> list[Reply]:
        replies: list[Reply] = bench.read_replies(answers.get(message, [{"text": "Sorry?"}]))
        return replies
    return say


def test_a_conversation_runs_its_follow_ups_and_is_judged_on_the_last_turn() -> None:
    talk = conversation(
        turns=["How long is my permit? I'm a returning CPU student."],
        said=["university", "student_status"],
        facts={"student_status": "returning student", "attendance": "88%", "final_year": "no"},
        expect={"cites": [{"institution": "CPU", "article": "6"}], "dates": ["2028-09-10"]})
    say = scripted_assistant({
        "How long is my permit? I'm a returning CPU student.": [
            {"text": "Are you a new student, a returning student, or a student whose graduation "
                     "was delayed?",
             "buttons": [{"title": "Returning student", "payload": "/returning"}]}],
        "/returning": [{"text": "What is your attendance rate? For example: 85%"}],
        "88%": [{"text": "Are you in your final year?",
                 "buttons": [{"title": "Yes", "payload": "/affirm"},
                             {"title": "No", "payload": "/deny"}]}],
        "/deny": [{"text": "Your permit runs until 10 September 2028.\n"
                           "Source: China Pharmaceutical University, Article 6(2)(1)"}],
    })
    result = bench.run_conversation(talk, say)
    assert result.reasons == ["asked again for student_status"]
    assert [line.text for line in result.transcript if line.speaker == "person"] == [
        "How long is my permit? I'm a returning CPU student.",
        "[taps “Returning student”] /returning", "88%", "[taps “No”] /deny"]
    assert result.met_anywhere


def test_a_form_that_scolds_the_opening_message_and_an_unanswerable_question_fail() -> None:
    talk = conversation(turns=["my visa ran out", "second turn"])
    say = scripted_assistant({"my visa ran out": [
        {"text": "I could not read a date from that."},
        {"text": "Has the university agreed to this work-study job or internship?"}]})
    result = bench.run_conversation(talk, say)
    assert result.reasons == ["form scolded the opening message",
                              "unanswerable question (work_consent)"]
    assert len([line for line in result.transcript if line.speaker == "person"]) == 1


def test_an_answer_the_assistant_does_not_take_ends_the_follow_ups() -> None:
    talk = conversation(turns=["visa?"], facts={"stay_length": "a while"})
    question = [{"text": "How long will you study in China?"}]
    result = bench.run_conversation(talk, scripted_assistant({"visa?": question,
                                                              "a while": question}))
    assert result.reasons == ["did not take the answer for stay_length"]


def test_the_files_format_is_read() -> None:
    talk = bench.read_conversation({
        "id": "zh-x-01", "language": "zh", "institution": "QJNU", "topic": "t",
        "style": ["staff", "plain"], "said": ["university"], "facts": {"confirm": "好"},
        "turns": ["你好", {"say": "问题", "expect": {"cites": [{"institution": "QJNU",
                                                                "article": "6"}]}}],
        "expect": {"dates": ["2027-03-04"], "mentions": [["a", "b"]], "request": False}})
    assert talk.styles == ("staff", "plain")
    assert talk.turns[1] == bench.Turn("问题", Expect(cites=(Cite("QJNU", 6),)))
    assert talk.expect == Expect(dates=(date(2027, 3, 4),), mentions=(("a", "b"),),
                                 request=False)


def test_the_pass_rates_count_a_conversation_in_each_of_its_styles() -> None:
    passed = bench.Result(conversation())
    failed = bench.Result(bench.read_conversation({
        "id": "zh-y", "language": "zh", "institution": "CPU", "topic": "t",
        "style": ["plain", "typos"], "turns": ["x"]}), reasons=["no citation of CPU 6"])
    assert bench.rates([passed, failed], bench.GROUPINGS["style"]) == {
        "plain": (1, 2), "typos": (0, 1)}
    assert bench.common_reasons([failed]) == [("no citation of CPU 6", 1)]


# ----------------------------------------------------------------------------- details


def test_a_cited_portal_question_is_no_question_to_answer() -> None:
    reply = Reply("请登录网上办事大厅填写登记表。\n依据：西湖大学 教职工门户“如何办理工作签证？”"
                  "（原文：How do I get my work visa?）")
    assert not bench.asks_something(reply)


def test_an_example_reference_in_a_question_is_no_request_given() -> None:
    asking = Reply("Which request should the note go to? Please give its reference, for example "
                   "CPU-2026-000123.")
    assert bench.references_in([asking]) == []
    assert bench.judge(Expect(request=True), [asking]) == ["no request reference given"]
    assert bench.references_in([Reply("I have opened request JSNU-2027-000004 with the "
                                      "office.")]) == ["JSNU-2027-000004"]


@pytest.mark.parametrize(("turns", "written"), [
    (["I arrive on 8 Sept 2027.", "wait I meant the 13th of March"], "13th of March"),
    (["我2027年3月5号下午搬了家"], "2027年3月5号"),
    (["my permit expires 2028-05-02, ok?", "thanks"], "2028-05-02"),
    (["no date here"], None),
])
def test_the_date_a_person_wrote_last_is_found(turns: list[str], written: str | None) -> None:
    assert bench.written_date(turns) == written


def test_a_date_asked_again_is_repeated_as_the_date_written() -> None:
    talk = conversation(said=["event_date"],
                        turns=["我2027年3月5号下午从宿舍搬到校外了，要登记吗？"])
    person = bench.PersonState(talk, False, turns_sent=1)
    answer = bench.next_move(Reply("您是哪天入住现在的住所的？例如：2026年9月1日"), person)
    assert (answer.message, answer.problem) == ("2027年3月5号", "asked again for event_date")


def test_a_request_type_typed_in_vain_is_tapped_as_a_question_for_the_office() -> None:
    talk = conversation(facts={"details": "price of a dorm room"})
    reply = Reply("Which kind of request would you like to open?",
                  (Button("Lost document", '/inform{"case_type":"lost_document"}'),
                   Button("Talk to a person", '/inform{"case_type":"talk_to_person"}')))
    person = bench.PersonState(talk, False)
    assert bench.next_move(reply, person).message == "price of a dorm room"
    assert bench.next_move(reply, person, again=True).message == \
        '/inform{"case_type":"talk_to_person"}'


def test_a_turn_that_answers_a_question_left_open_is_no_opening_message() -> None:
    talk = conversation(turns=["visa?", "actually 2 years"], facts={"stay_length": "a while"})
    question = [{"text": "How long will you study in China?"}]
    scolding = [{"text": "I could not work out a length of stay from that."}, *question]
    result = bench.run_conversation(talk, scripted_assistant(
        {"visa?": question, "a while": question, "actually 2 years": scolding}))
    assert "form scolded the opening message" not in result.reasons


def test_a_date_stated_only_in_a_later_turn_is_not_asked_again() -> None:
    talk = conversation(said=["event_date"], facts={"event_date": "12 october 2027"},
                        turns=["I'm moving out of the dorm. What do I do?",
                               "I move on the 12th of October 2027, by when?"])
    person = bench.PersonState(talk, False, turns_sent=1)
    answer = bench.next_move(Reply("On which date did you arrive at your accommodation?"), person)
    assert (answer.message, answer.problem) == ("12 october 2027", None)
    person.turns_sent = 2
    again = bench.next_move(Reply("On which date did you arrive at your accommodation?"), person)
    assert again.problem == "asked again for event_date"


def test_a_month_counts_as_the_date_written_when_no_day_is() -> None:
    assert bench.written_date(["我是2027年9月报到的新生"]) == "2027年9月"
    assert bench.written_date(["registered in September 2027", "on 6 Sept"]) == "6 Sept"
