"""Institution profiles, name recognition and the uniform FAQ entry point."""

from __future__ import annotations

import pytest

from knowledge import FAQ_TOPICS, INSTITUTION_CODES, faq_answer, find_institution, institution
from knowledge.institutions import OTHER_UNIVERSITY, all_provisions, recognise_university

NAMES = {
    "the full English name of JSNU": ("I study at Jiangsu Normal University", "JSNU"),
    "the JSNU abbreviation": ("jsnu student here", "JSNU"),
    "江苏师范大学 in Chinese": ("我是江苏师范大学的学生", "JSNU"),
    "the short Chinese name 江苏师大": ("江苏师大", "JSNU"),
    "Westlake": ("Westlake staff portal", "WESTLAKE"),
    "西湖大学": ("西湖大学的访问学者", "WESTLAKE"),
    "药大 for China Pharmaceutical University": ("我是药大的留学生", "CPU"),
    "the CPU abbreviation": ("CPU", "CPU"),
    "the full CPU name in lower case": ("china pharmaceutical university", "CPU"),
    "Qujing": ("Qujing Normal University office", "QJNU"),
    "曲靖师范学院": ("曲靖师范学院国际处", "QJNU"),
    "the first named institution wins": ("I moved from JSNU to Westlake", "JSNU"),
}


@pytest.mark.parametrize(("text", "code"), NAMES.values(), ids=NAMES.keys())
def test_find_institution(text: str, code: str) -> None:
    assert find_institution(text) == code


NO_NAMES = {"no institution at all": "How do I renew my visa?",
            "cpu inside another word is not CPU": "my cpuinfo is broken",
            "an unknown university": "Peking University"}


@pytest.mark.parametrize("text", NO_NAMES.values(), ids=NO_NAMES.keys())
def test_find_institution_finds_nothing(text: str) -> None:
    assert find_institution(text) is None


OTHER_UNIVERSITIES = {
    "沈阳药科大学 is not 药科大学 (CPU)": "我在沈阳药科大学读书",
    "沈阳药大 is not 药大 (CPU)": "沈阳药大的留学生",
    "曲靖医学高等专科学校 is not 曲靖 (QJNU)": "我是曲靖医学高等专科学校的学生",
    "徐州医科大学 is not JSNU, although it is in Xuzhou": "我在徐州医科大学读书",
    "北京师范大学 is not 江苏师范大学": "北京师范大学",
    "Jiangsu University is not Jiangsu Normal University": "I study at Jiangsu University",
    "Nanjing University is not CPU, although it is in Nanjing": "I study at Nanjing University",
    "Peking University": "Peking University",
    "Qujing Medical College is not Qujing Normal University": "Qujing Medical College",
}


@pytest.mark.parametrize("text", OTHER_UNIVERSITIES.values(), ids=OTHER_UNIVERSITIES.keys())
def test_find_institution_never_reads_another_universitys_name_as_one_of_the_four(
    text: str,
) -> None:
    assert recognise_university(text) == OTHER_UNIVERSITY
    assert find_institution(text) is None


OURS_AMONG_OTHERS = {
    "ours wins over another one named first": ("I transferred from Nanjing University to JSNU",
                                               "JSNU"),
    "our full name beside another university's": ("中国药科大学和沈阳药科大学", "CPU"),
    "药科大学 on its own is CPU": ("我在药科大学读书", "CPU"),
    "our college inside our university": ("我在江苏师范大学的国际学院", "JSNU"),
    "a unit named after one of ours is ours": (
        "Do I pay the fee to the JSNU International College or somewhere else?", "JSNU"),
    "its Chinese name run together with its office": ("江苏师范大学国际学院在哪", "JSNU"),
    "江苏师范 without 大学": ("从上海转来江苏师范的", "JSNU"),
    "Uni for University": ("I get to Jiangsu Normal Uni on the 3rd of March", "JSNU"),
    "the name without University": ("bachelor student at Qujing Normal, paid the year", "QJNU"),
}


@pytest.mark.parametrize(("text", "code"), OURS_AMONG_OTHERS.values(),
                         ids=OURS_AMONG_OTHERS.keys())
def test_one_of_the_four_named_in_full_is_still_found_beside_another_university(
    text: str, code: str
) -> None:
    assert recognise_university(text) == code


NOT_A_UNIVERSITY = {
    "our university": "我们学校的规定是什么",
    "a university student": "我是大学生",
    "the International College is an office, not a university": "国际学院在哪里",
    "the School of International Education": "去国际教育学院办理",
    "which university": "Which University rules apply?",
}


@pytest.mark.parametrize("text", NOT_A_UNIVERSITY.values(), ids=NOT_A_UNIVERSITY.keys())
def test_words_for_a_university_that_name_none_point_nowhere(text: str) -> None:
    assert recognise_university(text) is None


CITIES = {
    "CPU Art. 4 (Nanjing police): I study in Nanjing": ("I'm a student in Nanjing", "CPU"),
    "CPU Art. 4 (南京公安): 我在南京读书": ("我在南京读书", "CPU"),
    "JSNU Art. 2 (Xuzhou Public Security Bureau): I study in Xuzhou": ("I study in Xuzhou", "JSNU"),
    "JSNU Art. 2 (徐州市公安局): 我在徐州上学": ("我在徐州上学", "JSNU"),
    "a trip to Nanjing says nothing about where one studies":
        ("my passport was lost during a trip to Nanjing", None),
    "losing a passport in Nanjing says nothing either": ("我在南京丢了护照", None),
    "Hangzhou is named by no source": ("I work in Hangzhou", None),
}


@pytest.mark.parametrize(("text", "code"), CITIES.values(), ids=CITIES.keys())
def test_cpu_art_4_and_jsnu_art_2_cities_point_to_their_university_where_the_person_studies(
    text: str, code: str | None
) -> None:
    assert find_institution(text) == code


def test_profiles_say_only_what_their_sources_say() -> None:
    """A city only where the source names it; no 'in person', no Hangzhou or Yunnan."""
    assert institution("CPU").city is not None and institution("CPU").city.en == "Nanjing"
    assert institution("JSNU").city is not None and institution("JSNU").city.en == "Xuzhou"
    assert institution("WESTLAKE").city is None
    assert institution("QJNU").city is None
    said = " ".join(
        f"{text.en} {text.zh}"
        for code in INSTITUTION_CODES
        for text in (institution(code).contact, institution(code).office,
                     institution(code).authority or institution(code).office)
    ) + " ".join(f"{p.text.en} {p.text.zh}" for p in all_provisions())
    for unsourced in ("in person", "本人前往", "Hangzhou", "杭州", "Yunnan", "云南",
                      "Inspection and Quarantine", "检验检疫"):
        assert unsourced not in said


def test_jsnu_article_11_names_the_xuzhou_entry_exit_quarantine_bureau_as_the_source_does() -> None:
    for topic_id in ("residence_permit_documents", "medical_examination"):
        decision = faq_answer(topic_id, "JSNU")
        english = decision.render("en")
        assert "Xuzhou Entry-Exit Quarantine Bureau" in english
        assert "Inspection" not in english
        assert "检验检疫" not in decision.render("zh")


def test_profiles_are_complete_and_codes_are_case_insensitive() -> None:
    for code in INSTITUTION_CODES:
        profile = institution(code.lower())
        assert profile.code == code
        assert profile.name.en and profile.name.zh and profile.office.zh
        assert find_institution(profile.name.en) == code
        assert find_institution(profile.name.zh) == code
    authority = institution("JSNU").authority
    assert authority is not None and "Kuangshan" in authority.en
    assert institution("CPU").authority is not None


def test_an_unknown_institution_code_is_rejected() -> None:
    with pytest.raises(ValueError):
        institution("MIT")


FAQ = {
    "JSNU lists the residence permit documents": ("residence_permit_documents", "JSNU", True,
                                                  "JW202"),
    "JSNU states no exit-entry fee amount": ("exit_entry_fees", "JSNU", True, "give no amount"),
    "CPU names JSNU for work-study": ("work_study", "CPU", False,
                                      "Jiangsu Normal University, Article 7"),
    "Westlake falls back to national law on overstaying": ("overstay_penalty", "WESTLAKE", True,
                                                           "national law applies"),
    "Qujing answers Hong Kong, Macao and Taiwan": ("hong_kong_macao_taiwan", "QJNU", True,
                                                   "Hong Kong, Macao and Taiwan affairs"),
    "CPU names Westlake and Qujing for conferences": ("international_conference", "CPU", False,
                                                      "Westlake University"),
    "lost passport comes from the rule function": ("lost_passport", "CPU", True, "24 hours"),
    "Qujing lists its ten responsibilities": ("office_responsibilities", "QJNU", True,
                                              "10. Other duties"),
    "every institution has an office to contact": ("contact_office", "WESTLAKE", True,
                                                   "Office of International Affairs"),
    "JSNU Art. 4 and 15 do not settle automatic withdrawal": ("automatic_withdrawal", "JSNU",
                                                              False, "do not say"),
    "JSNU Art. 4: the College helps students living on campus": (
        "residence_permit_validity", "JSNU", True, "living on campus"),
    "Westlake staff are pointed to the work permit, not the X1 rule": (
        "residence_permit_application", "WESTLAKE", True, "work and residence permit"),
    "Qujing staff are pointed to responsibility 3, not the X1 rule": (
        "residence_permit_application", "QJNU", True, "foreign experts"),
    "JSNU work-study names the fine for illegal employment": ("work_study", "JSNU", True,
                                                             "RMB 5,000 to 20,000"),
    "JSNU Art. 2: an X2 student studies on in Xuzhou": (
        "residence_permit_application", "JSNU", True, "apply to the university in advance"),
    "Qujing's responsibilities say when the office was founded": (
        "office_responsibilities", "QJNU", True, "founded July 2006"),
}


@pytest.mark.parametrize(("topic_id", "code", "covered", "says"), FAQ.values(), ids=FAQ.keys())
def test_faq_answer(topic_id: str, code: str, covered: bool, says: str) -> None:
    decision = faq_answer(topic_id, code)
    assert decision.topic == topic_id
    assert decision.covered is covered
    assert says in decision.render("en")


@pytest.mark.parametrize("topic_id", FAQ_TOPICS)
@pytest.mark.parametrize("code", INSTITUTION_CODES)
def test_every_covered_faq_answer_cites_a_source_and_every_uncovered_one_offers_a_request(
    topic_id: str, code: str
) -> None:
    decision = faq_answer(topic_id, code)
    if decision.covered:
        assert decision.citations
    else:
        assert "request" in decision.answer.en and "申请" in decision.answer.zh


def test_an_unknown_topic_is_rejected() -> None:
    with pytest.raises(ValueError):
        faq_answer("weather", "CPU")


def test_topic_ids_are_unique_snake_case() -> None:
    assert len(set(FAQ_TOPICS)) == len(FAQ_TOPICS)
    assert all(t.replace("_", "").isalnum() and t == t.lower() for t in FAQ_TOPICS)
