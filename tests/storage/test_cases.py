"""Opening requests and finding them again: references, idempotency, ownership, facts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from office.case_types import CASE_TYPES, checklist_for
from office.cases import (
    CaseError,
    IdempotencyConflict,
    MissingFacts,
    case_by_reference,
    cases_of,
    find_reference,
    get_or_create_person,
    missing_facts,
    open_case,
)
from office.models import Case, CaseEvent, Person

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
