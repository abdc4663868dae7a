"""Data protection: no identifiers in logs, a person's data can be exported and erased."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import (
    add_note,
    change_status,
    get_or_create_person,
    open_case,
    set_person_details,
)
from casestore.models import (
    Case,
    CaseEvent,
    Notification,
    Person,
    ReferenceCounter,
    Reminder,
    TrackedDocument,
)
from casestore.privacy import (
    IdentifierMaskingFilter,
    delete_person_data,
    export_person_data,
    install_log_masking,
    mask_identifiers,
)
from reminders.schedule import register_document, send_due_reminders

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("passport E12345678 lost", "passport [redacted] lost"),
        ("护照号G1234567丢了", "护照号[redacted]丢了"),
        ("US passport 123456789", "US passport [redacted]"),
        ("ID 11010519491231002X", "ID [redacted]"),
        ("call 13812345678", "call [redacted]"),
        ("mail li.ming+visa@example.edu.cn", "mail [redacted]"),
        ("chat 5123456789 wrote", "chat [redacted] wrote"),
        ("case CPU-2026-000123 moved", "case CPU-2026-000123 moved"),
        ("expires 2026-09-10, X1 visa, JW202 form", "expires 2026-09-10, X1 visa, JW202 form"),
        ("room 1203, 30 days, 500 yuan", "room 1203, 30 days, 500 yuan"),
        ("call 13812345678.", "call [redacted]."),
        ("event at 1796012345.0428715 saved", "event at 1796012345.0428715 saved"),
    ],
    ids=[
        "letters and digits passport", "passport inside Chinese text", "nine-digit passport",
        "ID card number", "phone number", "e-mail address", "telegram chat id",
        "references stay readable", "dates visa types and form names stay",
        "small numbers stay", "phone number before a full stop", "log timestamps stay",
    ],
)
def test_identifiers_are_masked_and_ordinary_text_is_not(text: str, masked: str) -> None:
    assert mask_identifiers(text) == masked


@pytest.fixture
def masked_logging() -> Iterator[None]:
    """Install the process-wide masking, and take it away again after the test."""
    original = logging.getLogRecordFactory()
    install_log_masking()
    install_log_masking()  # twice must not mask twice or nest
    yield
    logging.setLogRecordFactory(original)


def test_no_passport_number_reaches_any_log_handler(
    masked_logging: None, caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("office.test.anything")
    with caplog.at_level(logging.INFO):
        log.info("student %s lost passport %s", "ann", "E12345678")
        try:
            raise ValueError("bad passport P7654321")
        except ValueError:
            log.exception("lookup failed for %s", "P7654321")
    text = caplog.text
    assert "E12345678" not in text and "P7654321" not in text
    assert "student ann lost passport [redacted]" in text
    assert "ValueError: bad passport [redacted]" in text


def test_the_log_filter_masks_what_passes_through_a_handler() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(IdentifierMaskingFilter())
    log = logging.getLogger("office.test.filter")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("renewal for %s, phone %s", "G12345678", "13812345678")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    assert stream.getvalue() == "renewal for [redacted], phone [redacted]\n"


def test_opening_and_working_cases_logs_no_identifier(
    factory: sessionmaker[Session], masked_logging: None, caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG), factory.begin() as session:
        person = get_or_create_person(session, channel="telegram", channel_user_id="5123456789",
                                      reach={"chat_id": 5123456789})
        case = open_case(session, person=person, case_type="talk_to_person", institution="CPU",
                         facts={"question": "my passport E12345678 expires"}, today=TODAY)
        change_status(session, case, "in_review", "staff:ann")
    assert caplog.records
    assert "5123456789" not in caplog.text and "E12345678" not in caplog.text


def _person_with_everything(factory: sessionmaker[Session], user: str) -> None:
    with factory.begin() as session:
        person = get_or_create_person(session, channel="telegram", channel_user_id=user,
                                      language="en", institution="CPU", reach={"chat_id": 7})
        case = open_case(session, person=person, case_type="lost_document", institution="CPU",
                         facts={"document": "passport", "what_happened": "stolen",
                                "noticed_on": date(2026, 4, 30)}, today=TODAY)
        change_status(session, case, "in_review", "staff:ann", "we will call you")
        add_note(session, case, actor="person:x", text="found the police report")
        register_document(session, person, "residence_permit", date(2026, 7, 1), TODAY)
        send_due_reminders(session, datetime(2026, 5, 2, 9))


def test_a_person_gets_everything_stored_about_them_as_json(
    factory: sessionmaker[Session],
) -> None:
    _person_with_everything(factory, "ann")
    _person_with_everything(factory, "bob")
    with factory.begin() as session:
        ann = get_or_create_person(session, channel="telegram", channel_user_id="ann")
        set_person_details(ann, {"full_name": "Ann Lee", "member_number": "2023000007",
                                 "contact": "ann@example.com"})
        data = export_person_data(session, ann)
    json.dumps(data)  # serialisable as it is
    assert data["person"] == {
        "channel": "telegram", "channel_user_id": "ann", "role": "student", "language": "en",
        "institution": "CPU", "reach": {"chat_id": 7}, "created_at": data["person"]["created_at"],
        "full_name": "Ann Lee", "member_number": "2023000007", "contact": "ann@example.com",
    }
    [case] = data["cases"]
    assert case["reference"] == "CPU-2026-000001" and case["status"] == "in_review"
    assert case["facts"]["what_happened"] == "stolen"
    assert [h["field"] for h in case["history"]] == ["status", "status", "note"]
    [document] = data["documents"]
    assert document["kind"] == "residence_permit" and document["expires_on"] == "2026-07-01"
    assert len(document["reminders"]) == 4
    assert [m["kind"] for m in data["messages"]] == ["status_change", "reminder"]


def _count(session: Session, model: type[object], person_id: int | None = None) -> int:
    query = select(func.count()).select_from(model)
    if person_id is not None:
        query = query.where(model.person_id == person_id)  # type: ignore[attr-defined]
    return int(session.scalar(query) or 0)


def test_deleting_a_person_erases_all_their_data_and_nobody_elses(
    factory: sessionmaker[Session],
) -> None:
    _person_with_everything(factory, "ann")
    _person_with_everything(factory, "bob")
    with factory.begin() as session:
        delete_person_data(session, get_or_create_person(
            session, channel="telegram", channel_user_id="ann"))
    with factory.begin() as session:
        people = session.scalars(select(Person.channel_user_id)).all()
        assert people == ["bob"]
        bob_id = session.scalars(select(Person.id)).one()
        for model in (Case, TrackedDocument, Reminder, Notification):
            assert _count(session, model) == _count(session, model, bob_id) > 0
        assert _count(session, CaseEvent) == 3
        assert session.scalars(select(Case.reference)).all() == ["CPU-2026-000002"]
        assert session.get(ReferenceCounter, ("CPU", 2026)) is not None


def test_a_deleted_case_number_is_never_handed_out_again(factory: sessionmaker[Session]) -> None:
    _person_with_everything(factory, "ann")
    with factory.begin() as session:
        delete_person_data(session, get_or_create_person(
            session, channel="telegram", channel_user_id="ann"))
    with factory.begin() as session:
        person = get_or_create_person(session, channel="telegram", channel_user_id="ann")
        case = open_case(session, person=person, case_type="talk_to_person", institution="CPU",
                         facts={"question": "hello again"}, today=TODAY)
        assert case.reference == "CPU-2026-000002"


def test_log_arguments_without_identifiers_keep_their_types_for_formatters() -> None:
    install_log_masking()
    record = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/staff/", "1.1", 200), None)
    assert record.args == ("127.0.0.1:5000", "GET", "/staff/", "1.1", 200)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /staff/ HTTP/1.1" 200'


def test_an_identifier_in_a_log_argument_is_masked_even_in_a_number() -> None:
    install_log_masking()
    logger = logging.getLogger("office.test")
    as_text = logger.makeRecord("office.test", logging.INFO, __file__, 1,
                                "passport %s of %s", ("E12345678", "a@b.cn"), None)
    as_number = logger.makeRecord("office.test", logging.INFO, __file__, 1,
                                  "id %d, status %d", (320102199001011234, 200), None)
    assert "E12345678" not in as_text.getMessage() and "a@b.cn" not in as_text.getMessage()
    assert "320102199001011234" not in as_number.getMessage()
    assert as_number.getMessage().endswith("status 200")
