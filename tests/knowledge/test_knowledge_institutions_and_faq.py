"""Institution profiles, name recognition and the uniform FAQ entry point."""

from __future__ import annotations

import pytest

from knowledge import FAQ_TOPICS, INSTITUTION_CODES, faq_answer, find_institution, institution

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


def test_profiles_are_complete_and_codes_are_case_insensitive() -> None:
    for code in INSTITUTION_CODES:
        profile = institution(code.lower())
        assert profile.code == code
        assert profile.name.en and profile.name.zh and profile.city.en and profile.office.zh
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
