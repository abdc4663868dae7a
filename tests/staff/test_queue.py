"""The staff queue: search, open/finished, order and pages, on the real database."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from casestore.case_types import FINISHED_STATUSES, STATUSES
from casestore.cases import (
    QueueFilter,
    change_status,
    count_cases,
    find_case,
    get_or_create_person,
    list_cases,
    open_case,
)

TODAY = date(2026, 5, 4)


def _seed(factory: sessionmaker[Session]) -> dict[str, int]:
    """Three questions at CPU (two from one Telegram user) and one at JSNU from the web."""
    people = {}
    with factory.begin() as session:
        for channel, user_id, institution in [("telegram", "5123", "CPU"),
                                              ("telegram", "5123", "CPU"),
                                              ("web", "w-77", "CPU"),
                                              ("rest", "r-1", "JSNU")]:
            person = get_or_create_person(session, channel=channel, channel_user_id=user_id)
            open_case(session, person=person, case_type="talk_to_person",
                      institution=institution, facts={"question": "hello"}, today=TODAY)
            people[f"{channel}:{user_id}"] = person.id
    return people


def _references(factory: sessionmaker[Session], where: QueueFilter, **page: int) -> list[str]:
    with factory.begin() as session:
        return [case.reference for case in list_cases(session, where, **page)]


def test_search_finds_a_case_by_its_reference_whole_or_in_part(
    factory: sessionmaker[Session],
) -> None:
    _seed(factory)
    assert _references(factory, QueueFilter(search="cpu-2026-000002")) == ["CPU-2026-000002"]
    assert _references(factory, QueueFilter(search="see CPU-2026-2 please")) == []
    assert _references(factory, QueueFilter(search="000003")) == ["CPU-2026-000003"]
    assert _references(factory, QueueFilter(search="jsnu")) == ["JSNU-2026-000001"]
    assert _references(factory, QueueFilter(search="%")) == []  # a wildcard is only a "%"


def test_search_finds_every_case_of_a_person_by_their_id(factory: sessionmaker[Session]) -> None:
    people = _seed(factory)
    mine = ["CPU-2026-000001", "CPU-2026-000002"]
    assert _references(factory, QueueFilter(search="5123")) == mine
    assert _references(factory, QueueFilter(search="telegram:5123")) == mine
    assert _references(factory, QueueFilter(search="web:5123")) == []
    assert _references(factory, QueueFilter(search=f"#{people['web:w-77']}")) == [
        "CPU-2026-000003"]
    assert _references(factory, QueueFilter(search="99999999999999")) == []


def test_the_queue_comes_oldest_or_newest_first_a_page_at_a_time(
    factory: sessionmaker[Session],
) -> None:
    _seed(factory)
    oldest = ["CPU-2026-000001", "CPU-2026-000002", "CPU-2026-000003", "JSNU-2026-000001"]
    assert _references(factory, QueueFilter()) == oldest
    assert _references(factory, QueueFilter(newest_first=True)) == oldest[::-1]
    assert _references(factory, QueueFilter(newest_first=True), limit=2, offset=2) == [
        "CPU-2026-000002", "CPU-2026-000001"]
    with factory.begin() as session:
        assert count_cases(session, QueueFilter(newest_first=True, search="cpu")) == 3


def test_open_and_finished_split_the_queue_without_overlap(
    factory: sessionmaker[Session],
) -> None:
    _seed(factory)
    with factory.begin() as session:
        for reference, status in [("CPU-2026-000001", "rejected"),
                                  ("CPU-2026-000002", "in_review")]:
            case = find_case(session, reference)
            assert case is not None
            change_status(session, case, status, "staff:ann", notify=False)
    assert _references(factory, QueueFilter(state="finished")) == ["CPU-2026-000001"]
    assert _references(factory, QueueFilter(state="open")) == [
        "CPU-2026-000002", "CPU-2026-000003", "JSNU-2026-000001"]
    assert _references(factory, QueueFilter(state="open", status="rejected")) == []
    assert {"rejected", "done", "closed"} == FINISHED_STATUSES
    assert "approved" in set(STATUSES) - FINISHED_STATUSES  # the letter is still to be made
