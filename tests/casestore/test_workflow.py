"""Working a case: status transitions, the audit trail, notes, cancelling, telling the person."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casestore.case_types import STATUSES, TRANSITIONS, can_move
from casestore.cases import (
    QueueFilter,
    TransitionNotAllowed,
    add_note,
    cancel_case,
    change_status,
    count_cases,
    get_or_create_person,
    list_cases,
    open_case,
    reply_to_person,
)
from casestore.models import Case, CaseEvent, Notification
from casestore.notifications import mark_delivered, pending_notifications

TODAY = date(2026, 4, 1)
ALL_MOVES = [(old, new) for old in STATUSES for new in STATUSES if old != new]


def _new_case(factory: sessionmaker[Session], language: str = "en", user: str = "42",
              case_type: str = "talk_to_person", institution: str = "CPU") -> int:
    with factory.begin() as session:
        person = get_or_create_person(session, channel="telegram", channel_user_id=user,
                                      language=language, reach={"chat_id": 4242})
        case = open_case(session, person=person, case_type=case_type, institution=institution,
                         facts={"question": "extension?", "partner": "x", "kind": "y"},
                         today=TODAY)
        return case.id


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    assert case is not None
    return case


def _force_status(factory: sessionmaker[Session], case_id: int, status: str) -> None:
    with factory.begin() as session:
        _case(session, case_id).status = status


@pytest.mark.parametrize(("old", "new"), ALL_MOVES, ids=[f"{o}->{n}" for o, n in ALL_MOVES])
def test_staff_can_make_exactly_the_moves_the_transition_table_allows(
    factory: sessionmaker[Session], old: str, new: str,
) -> None:
    case_id = _new_case(factory)
    _force_status(factory, case_id, old)
    with factory.begin() as session:
        case = _case(session, case_id)
        if new in TRANSITIONS[old]:
            change_status(session, case, new, "staff:ann")
            assert case.status == new
        else:
            with pytest.raises(TransitionNotAllowed):
                change_status(session, case, new, "staff:ann")


def test_the_transition_table_lets_every_case_reach_closed_and_closed_is_final() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert TRANSITIONS["closed"] == frozenset()
    for status in STATUSES:
        if status != "closed":
            assert can_move(status, "closed")
    assert not can_move("submitted", "approved")  # a decision needs a review first


def test_an_unknown_status_is_refused(factory: sessionmaker[Session]) -> None:
    case_id = _new_case(factory)
    with factory.begin() as session, pytest.raises(TransitionNotAllowed):
        change_status(session, _case(session, case_id), "lost_in_space", "staff:ann")


def test_every_change_is_in_the_audit_trail_with_who_when_old_new_and_note(
    factory: sessionmaker[Session],
) -> None:
    case_id = _new_case(factory)
    with factory.begin() as session:
        case = _case(session, case_id)
        change_status(session, case, "in_review", "staff:ann", "checking payment")
        add_note(session, case, actor="staff:ann", text="called the student")
        change_status(session, case, "needs_information", "staff:bo", "bring the lease")
    with factory.begin() as session:
        events = _case(session, case_id).events
        rows = [(e.actor, e.field, e.old, e.new, e.note) for e in events]
        assert rows == [
            ("person:1", "status", None, "submitted", "opened"),
            ("staff:ann", "status", "submitted", "in_review", "checking payment"),
            ("staff:ann", "note", None, None, "called the student"),
            ("staff:bo", "status", "in_review", "needs_information", "bring the lease"),
        ]
        times = [e.at for e in events]
        assert times == sorted(times) and all(isinstance(t, datetime) for t in times)
        assert _case(session, case_id).updated_at == times[-1]


def test_a_failed_change_leaves_no_trace(factory: sessionmaker[Session]) -> None:
    case_id = _new_case(factory)
    with factory.begin() as session, pytest.raises(TransitionNotAllowed):
        change_status(session, _case(session, case_id), "done", "staff:ann")
    with factory.begin() as session:
        assert _case(session, case_id).status == "submitted"
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == 1
        assert session.scalar(select(func.count()).select_from(Notification)) == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", 'Your request CPU-2026-000001 (Talk to a person at the office) changed from '
               '"submitted" to "in review".\nNote from the office: we are on it'),
        ("zh", "您的申请 CPU-2026-000001（联系办公室工作人员）状态已由“已提交”变更为“审核中”。"
               "\n办公室留言：we are on it"),
    ],
)
def test_the_person_is_told_of_a_status_change_in_their_language_on_their_channel(
    factory: sessionmaker[Session], language: str, expected: str,
) -> None:
    case_id = _new_case(factory, language=language)
    with factory.begin() as session:
        change_status(session, _case(session, case_id), "in_review", "staff:ann", "we are on it")
    with factory.begin() as session:
        [message] = pending_notifications(session, "telegram")
        assert (message.text, message.recipient, message.kind) == (expected, "4242",
                                                                   "status_change")
        assert pending_notifications(session, "web") == []


def test_a_delivered_message_is_not_handed_out_again(factory: sessionmaker[Session]) -> None:
    case_id = _new_case(factory)
    with factory.begin() as session:
        change_status(session, _case(session, case_id), "in_review", "staff:ann")
    with factory.begin() as session:
        [message] = pending_notifications(session, "telegram")
        assert mark_delivered(session, message.id) is True
    with factory.begin() as session:
        assert pending_notifications(session, "telegram") == []
        assert mark_delivered(session, message.id) is False
        assert mark_delivered(session, 999_999) is False


@pytest.mark.parametrize("status", ["submitted", "in_review", "needs_information"])
def test_a_person_can_cancel_a_request_staff_have_not_decided(
    factory: sessionmaker[Session], status: str,
) -> None:
    case_id = _new_case(factory)
    _force_status(factory, case_id, status)
    with factory.begin() as session:
        case = cancel_case(session, _case(session, case_id), actor="person:1",
                           reason="solved it myself")
        assert case.status == "closed"
        last = case.events[-1]
        assert (last.actor, last.old, last.new) == ("person:1", status, "closed")
        assert last.note == "cancelled by the requester: solved it myself"
        assert pending_notifications(session, "telegram") == []  # they know: they did it


@pytest.mark.parametrize("status", ["approved", "rejected", "done", "closed"])
def test_a_decided_or_closed_request_cannot_be_cancelled(
    factory: sessionmaker[Session], status: str,
) -> None:
    case_id = _new_case(factory)
    _force_status(factory, case_id, status)
    with factory.begin() as session, pytest.raises(TransitionNotAllowed):
        cancel_case(session, _case(session, case_id), actor="person:1")


def test_a_note_from_the_person_keeps_no_passport_number(factory: sessionmaker[Session]) -> None:
    case_id = _new_case(factory)
    with factory.begin() as session:
        event = add_note(session, _case(session, case_id), actor="person:1",
                         text="my new passport is G87654321, arriving Monday")
        assert event.note == "my new passport is [redacted], arriving Monday"
        with pytest.raises(ValueError):
            add_note(session, _case(session, case_id), actor="person:1", text="   ")


def test_a_status_note_from_staff_keeps_no_identifier_stored_or_sent(
    factory: sessionmaker[Session],
) -> None:
    case_id = _new_case(factory)
    note = "passport G87654321 received; call 13912345678 or mail a.b@example.edu"
    with factory.begin() as session:
        event = change_status(session, _case(session, case_id), "in_review", "staff:ann", note)
        assert event.note == "passport [redacted] received; call [redacted] or mail [redacted]"
    with factory.begin() as session:
        [message] = pending_notifications(session, "telegram")
        assert "G87654321" not in message.text and "13912345678" not in message.text
        assert "Note from the office: passport [redacted] received" in message.text


def test_the_staff_queue_filters_by_status_type_and_institution(
    factory: sessionmaker[Session],
) -> None:
    first = _new_case(factory, user="a")
    _new_case(factory, user="b", institution="JSNU")
    third = _new_case(factory, user="c", case_type="partnership_enquiry", institution="WESTLAKE")
    with factory.begin() as session:
        change_status(session, _case(session, first), "in_review", "staff:ann")
    with factory.begin() as session:
        assert [c.id for c in list_cases(session, QueueFilter(status="in_review"))] == [first]
        assert [c.id for c in list_cases(
            session, QueueFilter(case_type="partnership_enquiry"))] == [third]
        assert [c.reference for c in list_cases(session, QueueFilter(institution="jsnu"))] == [
            "JSNU-2026-000001"]
        assert len(list_cases(session, limit=2)) == 2
        assert count_cases(session, QueueFilter(status="submitted")) == 2


def test_a_reply_reaches_the_person_without_moving_the_status(
    factory: sessionmaker[Session],
) -> None:
    case_id = _new_case(factory, language="zh")
    with factory.begin() as session:
        event = reply_to_person(session, _case(session, case_id), actor="staff:ann",
                                text="Bring passport G87654321 to room 101")
        assert (event.field, event.note) == ("reply", "Bring passport [redacted] to room 101")
        assert _case(session, case_id).status == "submitted"
        with pytest.raises(ValueError):
            reply_to_person(session, _case(session, case_id), actor="staff:ann", text=" ")
    with factory.begin() as session:
        [message] = pending_notifications(session, "telegram")
        assert (message.kind, message.case_id, message.recipient) == ("reply", case_id, "4242")
        assert message.text == ("关于您的申请 CPU-2026-000001，办公室留言："
                                "Bring passport [redacted] to room 101")
