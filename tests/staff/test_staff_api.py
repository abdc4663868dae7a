"""The staff HTTP API as a real server process: the credential, listing and updating cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import find_case, get_or_create_person, open_case
from casestore.notifications import pending_notifications
from tests.staff.servers import start_staff_app

TOKEN = "test-staff-token-6f1c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def api(factory: sessionmaker[Session], subprocess_env: dict[str, str]) -> Iterator[str]:
    """A running staff API with a token, over a database holding one student's case."""
    with factory.begin() as session:
        person = get_or_create_person(session, channel="telegram", channel_user_id="s9",
                                      language="zh")
        open_case(session, person=person, case_type="transfer", institution="JSNU",
                  facts={"previous_university": "NJU", "arrived_on": date(2026, 9, 1)},
                  today=date(2026, 9, 2))
    app = start_staff_app({**subprocess_env, "STAFF_API_TOKEN": TOKEN})
    yield app.url
    app.stop()


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
     {"Authorization": f"Basic {TOKEN}"}],
    ids=["no header", "wrong token", "token without scheme", "basic scheme"],
)
def test_requests_without_the_right_bearer_token_are_refused(
    api: str, headers: dict[str, str],
) -> None:
    for method, path in [("GET", "/cases"), ("GET", "/cases/JSNU-2026-000001"),
                         ("POST", "/cases/JSNU-2026-000001/status")]:
        response = httpx.request(method, api + path, headers=headers,
                                 json={"status": "in_review"})
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer"


def test_staff_with_the_token_list_and_read_cases(api: str) -> None:
    listing = httpx.get(f"{api}/cases", headers=AUTH, params={"status": "submitted"})
    assert listing.status_code == 200
    assert [c["reference"] for c in listing.json()["cases"]] == ["JSNU-2026-000001"]
    assert httpx.get(f"{api}/cases", headers=AUTH,
                     params={"type": "lost_document"}).json()["count"] == 0
    detail = httpx.get(f"{api}/cases/jsnu-2026-000001", headers=AUTH).json()
    assert detail["facts"] == {"previous_university": "NJU", "arrived_on": "2026-09-01"}
    assert detail["checklist"][0]["source"] == "JSNU Art. 6"
    assert detail["allowed_next"] == ["closed", "in_review", "needs_information", "rejected"]
    assert httpx.get(f"{api}/cases/JSNU-2026-000404", headers=AUTH).status_code == 404
    assert httpx.get(f"{api}/cases", headers=AUTH, params={"status": "x"}).status_code == 400


def test_staff_change_a_status_through_the_api_and_the_person_is_told(
    api: str, factory: sessionmaker[Session],
) -> None:
    response = httpx.post(f"{api}/cases/JSNU-2026-000001/status", headers=AUTH,
                          json={"status": "in_review", "note": "收到", "actor": "li"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "in_review"
    assert response.json()["history"][-1]["actor"] == "staff:li"
    refused = httpx.post(f"{api}/cases/JSNU-2026-000001/status", headers=AUTH,
                         json={"status": "done"})
    assert refused.status_code == 409
    note = httpx.post(f"{api}/cases/JSNU-2026-000001/notes", headers=AUTH,
                      json={"text": "residence permit changed", "actor": "li"})
    assert note.status_code == 201
    assert httpx.post(f"{api}/cases/JSNU-2026-000001/notes", headers=AUTH,
                      content=b"not json").status_code == 400
    with factory.begin() as session:
        case = find_case(session, "JSNU-2026-000001")
        assert case is not None and case.status == "in_review"
        assert [e.field for e in case.events] == ["status", "status", "note"]
        [message] = pending_notifications(session, "telegram")
        assert "审核中" in message.text and "收到" in message.text


def test_without_a_configured_token_the_api_refuses_everything(
    subprocess_env: dict[str, str],
) -> None:
    app = start_staff_app(subprocess_env)  # STAFF_API_TOKEN is not set
    base = app.url
    try:
        for headers in ({}, {"Authorization": "Bearer x"}, {"Authorization": "Bearer None"}):
            response = httpx.get(f"{base}/cases", headers=headers)
            assert response.status_code == 503
    finally:
        output = app.stop()
    assert "STAFF_API_TOKEN is not set" in output


def test_the_list_is_searched_by_person_and_counted_beyond_its_limit(api: str) -> None:
    found = httpx.get(f"{api}/cases", headers=AUTH,
                      params={"q": "telegram:s9", "state": "open", "limit": "1"}).json()
    assert (found["count"], found["total"]) == (1, 1)
    assert found["cases"][0]["reference"] == "JSNU-2026-000001"
    assert httpx.get(f"{api}/cases", headers=AUTH,
                     params={"q": "web:s9"}).json()["total"] == 0
    refused = httpx.get(f"{api}/cases", headers=AUTH, params={"state": "half"})
    assert refused.status_code == 400


def test_a_reply_through_the_api_is_queued_for_the_person(api: str) -> None:
    sent = httpx.post(f"{api}/cases/JSNU-2026-000001/replies", headers=AUTH,
                      json={"text": "Documents received", "actor": "li"})
    assert sent.status_code == 201
    assert sent.json()["status"] == "submitted"
    assert sent.json()["history"][-1]["field"] == "reply"
    assert httpx.post(f"{api}/cases/JSNU-2026-000001/replies", headers=AUTH,
                      json={"text": ""}).status_code == 400


def test_wrong_bearer_tokens_are_limited_like_the_sign_in_and_a_right_one_waits_too(
    api: str,
) -> None:
    assert httpx.get(f"{api}/cases", headers=AUTH).status_code == 200  # a right one: no count
    wrong = [httpx.get(f"{api}/cases", headers={"Authorization": "Bearer guess"}).status_code
             for _ in range(7)]
    assert wrong == [401] * 5 + [429] * 2
    refused = httpx.get(f"{api}/cases", headers=AUTH)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
