"""Opening requests and finding them again: references, idempotency, ownership, facts."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casestore.case_types import CASE_TYPES, checklist_for, fact_label, source_of
from casestore.cases import (
    CaseError,
    IdempotencyConflict,
    MissingFacts,
    case_by_reference,
    cases_of,
    checklist_key,
    checklist_ticks,
    find_case,
    find_reference,
    get_or_create_person,
    missing_facts,
    open_case,
    tick_checklist_item,
    untick_checklist_item,
)
from casestore.export import export_rows
from casestore.models import Case, CaseEvent, ChecklistTick, Person
from casestore.privacy import delete_person_data
from knowledge import (
    Citation,
    Decision,
    PermitFacts,
    Text,
    dependent_permit,
    faq_answer,
    lost_passport,
    lost_permit,
    residence_permit_application_deadline,
    residence_permit_validity,
    stay_permit_request_deadline,
    work_study_check,
    zero_entry_travel_deadline,
)
from knowledge.answers import article

LOST = {"document": "passport", "what_happened": "lost", "noticed_on": date(2026, 3, 1)}
TODAY = date(2026, 3, 2)


def _person(session: Session, user: str = "1001", language: str | None = None,
            institution: str | None = None, role: str | None = None) -> Person:
    return get_or_create_person(session, channel="telegram", channel_user_id=user,
                                language=language, institution=institution, role=role)


def _open(session: Session, person: Person, institution: str = "CPU", today: date = TODAY,
          key: str | None = None) -> Case:
    return open_case(session, person=person, case_type="lost_document", institution=institution,
                     facts=LOST, today=today, idempotency_key=key)


def test_the_first_case_of_an_institution_and_year_is_number_one(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        case = _open(session, _person(session))
        assert case.reference == "CPU-2026-000001"
        assert (case.institution, case.year, case.sequence, case.status) == (
            "CPU", 2026, 1, "submitted")


def test_references_count_up_separately_per_institution_and_year(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        person = _person(session)
        references = [
            _open(session, person, "CPU").reference,
            _open(session, person, "cpu").reference,
            _open(session, person, "JSNU").reference,
            _open(session, person, "CPU", date(2027, 1, 1)).reference,
            _open(session, person, "CPU").reference,
        ]
    assert references == [
        "CPU-2026-000001", "CPU-2026-000002", "JSNU-2026-000001", "CPU-2027-000001",
        "CPU-2026-000003",
    ]


def test_a_rolled_back_opening_gives_its_number_back(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        _open(session, _person(session))
    session = factory()
    with session.begin():
        _open(session, _person(session))
        session.rollback()
    session.close()
    with factory.begin() as session:
        assert _open(session, _person(session)).reference == "CPU-2026-000002"


def test_the_same_message_delivered_twice_opens_one_case(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        first = _open(session, _person(session), key="telegram:1001:msg-77")
    with factory.begin() as session:
        again = _open(session, _person(session), key="telegram:1001:msg-77")
        assert again.id == first.id
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 1


def test_someone_elses_idempotency_key_is_refused(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        _open(session, _person(session, "1"), key="k")
    with factory.begin() as session, pytest.raises(IdempotencyConflict):
        _open(session, _person(session, "2"), key="k")


def test_a_person_sees_only_their_own_cases_newest_first(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ann, bob = _person(session, "ann"), _person(session, "bob")
        first, _, third = _open(session, ann), _open(session, bob), _open(session, ann)
    with factory.begin() as session:
        ann = _person(session, "ann")
        assert [c.reference for c in cases_of(session, ann)] == [third.reference, first.reference]


def test_a_person_cannot_reach_someone_elses_case_by_its_reference(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        bobs = _open(session, _person(session, "bob"))
    with factory.begin() as session:
        ann, bob = _person(session, "ann"), _person(session, "bob")
        assert case_by_reference(session, ann, bobs.reference) is None
        found = case_by_reference(session, bob, bobs.reference.lower())
        assert found is not None and found.id == bobs.id
        assert case_by_reference(session, bob, "CPU-2026-999999") is None


def test_the_same_channel_user_is_one_person_whose_profile_follows_the_latest_values(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        first = _person(session, "7", language="en", institution="cpu")
        get_or_create_person(session, channel="telegram", channel_user_id="7",
                             reach={"chat_id": 99})
    with factory.begin() as session:
        again = _person(session, "7", language="zh")
        other_channel = get_or_create_person(session, channel="web", channel_user_id="7")
        assert again.id == first.id and other_channel.id != first.id
        assert (again.language, again.institution, again.reach) == ("zh", "CPU", {"chat_id": 99})
        assert again.role == "student"


def test_an_unknown_role_is_refused(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session, pytest.raises(CaseError):
        _person(session, role="admin")


def test_a_case_without_its_required_facts_is_not_stored(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        person = _person(session)
        with pytest.raises(MissingFacts) as refused:
            open_case(session, person=person, case_type="lost_document", institution="CPU",
                      facts={"document": "passport", "what_happened": "  "}, today=TODAY)
        assert refused.value.missing == ("what_happened", "noticed_on")
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_an_unknown_case_type_is_refused(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session, pytest.raises(CaseError):
        open_case(session, person=_person(session), case_type="visa_lottery", institution="CPU",
                  facts={}, today=TODAY)


def test_only_the_facts_a_case_needs_are_stored_and_identifiers_are_masked(
    factory: sessionmaker[Session],
) -> None:
    facts = {**LOST, "passport_number": "E12345678", "details": "lost E12345678 on bus 12",
             "police_report": True}
    with factory.begin() as session:
        case = open_case(session, person=_person(session), case_type="lost_document",
                         institution="CPU", facts=facts, today=TODAY)
    with factory.begin() as session:
        stored = session.get(Case, case.id)
        assert stored is not None
        assert stored.facts == {
            "document": "passport", "what_happened": "lost", "noticed_on": "2026-03-01",
            "details": "lost [redacted] on bus 12", "police_report": True,
        }


def test_the_checklist_is_the_one_the_institutions_regulation_gives(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        person = _person(session)
        cpu = _open(session, person, "CPU")
        jsnu = _open(session, person, "JSNU")
        westlake = _open(session, person, "WESTLAKE")
    assert {item["source"] for item in cpu.checklist} == {"CPU Art. 13", "CPU Art. 4"}
    [registration] = [item for item in cpu.checklist if "temporary residence" in item["en"]]
    assert registration["source"] == "CPU Art. 4"
    assert any("Kuangshan" in item["en"] for item in jsnu.checklist)
    assert all(item["done"] is False and item["zh"] for item in cpu.checklist + jsnu.checklist)
    assert westlake.checklist == []
    assert checklist_for("lost_document", "WESTLAKE").covered is False


def test_every_case_type_the_issue_names_exists_with_both_languages() -> None:
    named = {
        "lost_document", "residence_permit_extension_letter", "dependent_invitation", "transfer",
        "work_study_annotation", "reentry_certificate", "withdrawal_stay_permit",
        "talk_to_person", "short_term_visitor_invitation", "visiting_scholar",
        "foreign_expert_work_permit", "overseas_business_trip", "student_overseas_academic_trip",
        "international_conference_filing", "partnership_enquiry",
    }
    assert named <= set(CASE_TYPES)
    for case_type in CASE_TYPES.values():
        assert case_type.label.en and case_type.label.zh
        assert case_type.required_fields
        for items in case_type.checklists.values():
            assert all(item.text.en and item.text.zh and item.source for item in items)


# What knowledge says (texts and the citations they rest on), piece by piece.
Said = tuple[tuple[Text, ...], tuple[Citation, ...]]


def _answer(decision: Decision) -> Said:
    return (decision.answer,), decision.citations


def _steps(decision: Decision, first: int = 0, last: int | None = None) -> Said:
    return decision.steps[first:last], decision.citations


def _faq(topic_id: str, code: str) -> Said:
    return _answer(faq_answer(topic_id, code))


DELAYED = PermitFacts("delayed_graduation", needs_courses_or_lab=True, approval_date=TODAY,
                      lease_end=TODAY, insurance_end=TODAY)

# Each checklist and the knowledge answers it must repeat word for word, in order.
SAME_AS_KNOWLEDGE: dict[str, tuple[str, str, tuple[Said, ...]]] = {
    "CPU lost passport": ("lost_document", "CPU", (_steps(lost_passport("CPU")),)),
    "JSNU lost passport, then lost permit": ("lost_document", "JSNU", (
        _steps(lost_passport("JSNU")), _answer(lost_permit("JSNU")))),
    "CPU extension letter": ("residence_permit_extension_letter", "CPU", (
        _steps(residence_permit_application_deadline("CPU", TODAY), 0, 1),
        _faq("extension_application", "CPU"),
        _steps(residence_permit_validity(DELAYED, date(2026, 1, 1))))),
    "JSNU extension letter": ("residence_permit_extension_letter", "JSNU", (
        _steps(residence_permit_application_deadline("JSNU", TODAY), 0, 1),
        _faq("payment_before_visa", "JSNU"), _faq("extension_application", "JSNU"),
        _steps(faq_answer("residence_permit_documents", "JSNU")),
        _faq("exit_entry_fees", "JSNU"))),
    "CPU dependents": ("dependent_invitation", "CPU", (
        _faq("dependents", "CPU"), _steps(dependent_permit("CPU", "phd", True, TODAY)))),
    "JSNU dependents": ("dependent_invitation", "JSNU", (
        _faq("dependents", "JSNU"), _steps(dependent_permit("JSNU", "bachelor", True, TODAY)))),
    "JSNU transfer": ("transfer", "JSNU", (_faq("transfer", "JSNU"),)),
    "JSNU work-study": ("work_study_annotation", "JSNU", (
        _steps(work_study_check("JSNU", False, False, True)),)),
    "JSNU re-entry": ("reentry_certificate", "JSNU", (
        _steps(zero_entry_travel_deadline("JSNU", TODAY)),)),
    "CPU stay permit": ("withdrawal_stay_permit", "CPU", (
        _steps(stay_permit_request_deadline("CPU", TODAY)),)),
    "JSNU stay permit": ("withdrawal_stay_permit", "JSNU", (_faq("stay_permit", "JSNU"),)),
    **{f"{code} {topic_id}": (case_type, code, (_faq(topic_id, code),))
       for case_type, topic_id, codes in (
           ("short_term_visitor_invitation", "invite_short_term_visitor", ("WESTLAKE", "QJNU")),
           ("visiting_scholar", "invite_visiting_scholar", ("WESTLAKE",)),
           ("overseas_business_trip", "overseas_business_trip", ("WESTLAKE", "QJNU")),
           ("student_overseas_academic_trip", "student_overseas_trip", ("WESTLAKE", "QJNU")),
           ("international_conference_filing", "international_conference",
            ("WESTLAKE", "QJNU")),
           ("partnership_enquiry", "international_partnership", ("WESTLAKE", "QJNU")),
       ) for code in codes},
    "WESTLAKE work permit and reminders": ("foreign_expert_work_permit", "WESTLAKE", (
        _faq("foreign_expert_work_permit", "WESTLAKE"),
        _faq("document_expiry_reminder", "WESTLAKE"))),
    "QJNU work permit": ("foreign_expert_work_permit", "QJNU", (
        _faq("foreign_expert_work_permit", "QJNU"),)),
}

# Checklists knowledge has no answer for (Qujing's page names "visiting scholar programs"
# among student mobility only).
OFFICE_ONLY = {("visiting_scholar", "QJNU")}


def test_every_fact_a_case_type_keeps_has_a_label_in_both_languages() -> None:
    for kind in CASE_TYPES.values():
        for name in kind.allowed_fields:
            label = fact_label(kind.id, name)
            assert label.en and label.zh and label.en != name, (kind.id, name)
            assert label.zh != label.en, (kind.id, name)
    assert fact_label("lost_document", "what_happened").get("zh") == "情况"
    assert fact_label("partnership_enquiry", "kind").en == "Kind of partnership"
    assert fact_label("work_study_annotation", "kind").en == "Kind"


@pytest.mark.parametrize(("case_type", "code", "said"), SAME_AS_KNOWLEDGE.values(),
                         ids=SAME_AS_KNOWLEDGE)
def test_a_checklist_says_word_for_word_what_the_assistant_answers_with_its_articles(
    case_type: str, code: str, said: tuple[Said, ...],
) -> None:
    items = checklist_for(case_type, code).items
    assert [Text(item.text.en, item.text.zh) for item in items] == [
        text for texts, _ in said for text in texts]
    cited = {source_of(citation) for _, citations in said for citation in citations}
    cited_zh = {source_of(citation, "zh") for _, citations in said for citation in citations}
    for item in items:
        assert set(item.source.split("; ")) <= cited, item
        assert set(item.source_zh.split("；")) <= cited_zh, item


def test_every_checklist_but_the_office_only_ones_comes_from_knowledge() -> None:
    checklists = {(t.id, code) for t in CASE_TYPES.values() for code in t.checklists}
    compared = {(case_type, code) for case_type, code, _ in SAME_AS_KNOWLEDGE.values()}
    assert checklists == compared | OFFICE_ONLY


@pytest.mark.parametrize(("citation", "source", "source_zh"), [
    (Citation("CPU", "13"), "CPU Art. 13", "中国药科大学 第十三条"),
    (Citation("CPU", "6(3)"), "CPU Art. 6(3)", "中国药科大学 第六条（三）"),
    (article("CPU", "10bis"), "CPU Art. 10 (dependents)", "中国药科大学 第十条（家属陪读）"),
    (Citation("QJNU", "7"), "QJNU responsibility 7", "曲靖师范学院 职责第七项"),
    (Citation("WESTLAKE", "Q: How do I get approval for my international business trip?"),
     "WESTLAKE staff portal", "西湖大学 教职工门户"),
])
def test_a_checklist_names_each_article_the_way_the_office_writes_it_in_both_languages(
    citation: Citation, source: str, source_zh: str,
) -> None:
    assert source_of(citation) == source
    assert source_of(citation, "zh") == source_zh


def test_missing_facts_are_listed_in_asking_order() -> None:
    assert missing_facts("transfer", {}) == ("previous_university", "arrived_on")
    assert missing_facts("transfer", {"previous_university": "NJU", "arrived_on": TODAY}) == ()


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("cancel CPU-2026-000123", "CPU-2026-000123"),
        ("取消 jsnu-2026-000004 谢谢", "JSNU-2026-000004"),
        ("查询CPU-2026-000009的进度", "CPU-2026-000009"),
        ("status of WESTLAKE-2027-000010?", "WESTLAKE-2027-000010"),
        ("cancel my request", None),
        ("CPU-26-000123", None),
    ],
)
def test_a_reference_is_found_in_what_people_type(text: str, reference: str | None) -> None:
    assert find_reference(text) == reference


POLICE = "2-report-the-loss-to-your-local-police-station"
"""The key of CPU's second lost-passport item, "Report the loss to your local police station."."""


def test_a_checklist_item_is_named_by_its_place_and_its_english_words() -> None:
    assert checklist_key(1, {"en": "Report the loss to your local police station."}) == POLICE
    assert checklist_key(0, {"en": "Contact your country's embassy"}) == \
        "1-contact-your-country-s-embassy"
    assert checklist_key(4, {"en": "！", "zh": "护照"}) == "5"
    assert len(checklist_key(8, {"en": "word " * 50})) <= 100


def test_every_checklist_item_has_a_key_of_its_own() -> None:
    for kind in CASE_TYPES.values():
        for code in kind.checklists:
            items = [{"en": item.text.en} for item in checklist_for(kind.id, code).items]
            keys = [checklist_key(index, item) for index, item in enumerate(items)]
            assert len(set(keys)) == len(keys), (kind.id, code)
            assert all(len(key) <= 100 for key in keys), (kind.id, code)


def test_a_ticked_item_is_stored_with_who_and_when_and_goes_into_the_history(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        case = _open(session, _person(session))
        assert checklist_key(1, case.checklist[1]) == POLICE
        event = tick_checklist_item(session, case, POLICE, staff_name=" Ann ")
        assert event is not None
        assert (event.actor, event.field, event.old, event.new) == (
            "staff:Ann", "checklist", None, POLICE)
        assert event.note == "Report the loss to your local police station. (CPU Art. 13)"
        assert tick_checklist_item(session, case, POLICE, staff_name="Bo") is None
    with factory.begin() as session:  # another session, as after a restart
        case = find_case(session, "CPU-2026-000001")
        assert case is not None
        ticks = checklist_ticks(session, case)
        assert list(ticks) == [POLICE]
        assert (ticks[POLICE].ticked_by, ticks[POLICE].ticked_at) == ("Ann", case.events[-1].at)
        assert case.updated_at == case.events[-1].at
        assert [event.field for event in case.events] == ["status", "checklist"]
        assert [item["done"] for item in case.checklist] == [
            index == 1 for index in range(len(case.checklist))]
        [row] = export_rows([case])
        assert (row["checklist_done"], row["checklist_total"]) == (1, len(case.checklist))


def test_an_unticked_item_is_to_do_again_and_the_untick_is_in_the_history(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        case = _open(session, _person(session))
        assert untick_checklist_item(session, case, POLICE, staff_name="Ann") is None
        tick_checklist_item(session, case, POLICE, staff_name="Ann")
        event = untick_checklist_item(session, case, POLICE, staff_name="Bo")
        assert event is not None
        assert (event.actor, event.field, event.old, event.new) == (
            "staff:Bo", "checklist", POLICE, None)
    with factory.begin() as session:
        case = find_case(session, "CPU-2026-000001")
        assert case is not None
        assert checklist_ticks(session, case) == {}
        assert not any(item["done"] for item in case.checklist)
        assert [(e.actor, e.old, e.new) for e in case.events[1:]] == [
            ("staff:Ann", None, POLICE), ("staff:Bo", POLICE, None)]
        assert untick_checklist_item(session, case, POLICE, staff_name="Bo") is None
        assert len(case.events) == 3


def test_an_item_that_is_not_on_the_checklist_cannot_be_ticked(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        case = _open(session, _person(session))
        for key in ("99-report-the-loss-to-your-local-police-station",
                    "1-report-the-loss-to-your-local-police-station", ""):
            with pytest.raises(CaseError):
                tick_checklist_item(session, case, key, staff_name="Ann")
            with pytest.raises(CaseError):
                untick_checklist_item(session, case, key, staff_name="Ann")
        assert checklist_ticks(session, case) == {} and len(case.events) == 1


def test_two_people_ticking_the_same_item_at_once_store_one_tick(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        _open(session, _person(session))
        # Both read the case before either ticks. SQLite's writers take turns from BEGIN
        # IMMEDIATE on, so there the second cannot even read before the first commits.
        both_read = session.get_bind().dialect.name != "sqlite"
    start, errors = threading.Barrier(2), []

    def tick(name: str) -> None:
        try:
            with factory.begin() as session:
                case = find_case(session, "CPU-2026-000001")
                assert case is not None
                if both_read:
                    start.wait(timeout=30)
                tick_checklist_item(session, case, POLICE, staff_name=name)
        except Exception as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=tick, args=(name,)) for name in ("Ann", "Bo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with factory.begin() as session:
        case = find_case(session, "CPU-2026-000001")
        assert case is not None
        assert list(checklist_ticks(session, case)) == [POLICE]
        assert [event.field for event in case.events] == ["status", "checklist"]


def test_a_persons_erased_cases_take_their_ticks_with_them(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        person = _person(session)
        tick_checklist_item(session, _open(session, person), POLICE, staff_name="Ann")
    with factory.begin() as session:
        delete_person_data(session, _person(session))
    with factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(ChecklistTick)) == 0
