"""The staff page's signed session cookie and CSRF tokens (no server needed)."""

from __future__ import annotations

import pytest

from office.staff_session import SESSION_SECONDS, SessionSigner, same_secret

NOW = 1_800_000_000


def test_a_signed_cookie_reads_back_as_the_same_session() -> None:
    signer = SessionSigner("token-1")
    session = signer.new_session("  Li Wei  ", NOW)
    assert signer.read(signer.cookie(session), NOW + 60) == session
    assert session.name == "Li Wei"


@pytest.mark.parametrize("cookie", [None, "", "abc", "abc.def", "...", "x.y.z", "%%%.%%%"])
def test_malformed_cookies_are_no_session(cookie: str | None) -> None:
    assert SessionSigner("token-1").read(cookie, NOW) is None


def test_a_cookie_with_a_changed_name_no_longer_verifies() -> None:
    signer = SessionSigner("token-1")
    payload, signature = signer.cookie(signer.new_session("Ann", NOW)).split(".")
    forged = signer.cookie(signer.new_session("Boss", NOW)).split(".")[0]
    assert signer.read(f"{forged}.{signature}", NOW) is None
    assert signer.read(f"{payload}.{signature}", NOW) is not None


def test_changing_the_staff_token_signs_everybody_out() -> None:
    cookie = SessionSigner("old-token").cookie(SessionSigner("old-token").new_session("Ann", NOW))
    assert SessionSigner("new-token").read(cookie, NOW) is None


def test_a_session_lasts_one_working_day() -> None:
    signer = SessionSigner("token-1")
    cookie = signer.cookie(signer.new_session("Ann", NOW))
    assert signer.read(cookie, NOW + SESSION_SECONDS - 1) is not None
    assert signer.read(cookie, NOW + SESSION_SECONDS) is None
    assert signer.read(cookie, NOW - 1) is None  # issued in the future: not ours


def test_csrf_tokens_belong_to_one_session() -> None:
    signer = SessionSigner("token-1")
    mine, theirs = signer.new_session("Ann", NOW), signer.new_session("Bo", NOW)
    assert signer.csrf_ok(mine, signer.csrf_token(mine))
    assert not signer.csrf_ok(mine, signer.csrf_token(theirs))
    assert not signer.csrf_ok(mine, None) and not signer.csrf_ok(mine, "")
    assert signer.csrf_token(mine) != signer.cookie(mine).split(".")[1]


def test_an_empty_secret_never_matches() -> None:
    assert not same_secret("", "")
    assert same_secret("s3cret", "s3cret") and not same_secret("s3cre", "s3cret")
