"""The staff page's signed session cookie, CSRF tokens and sign-in limits (no server needed)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from staff.session import SESSION_SECONDS, SessionSigner, same_secret
from staff.sign_in_limits import (
    MAX_FAILURES,
    WINDOW_SECONDS,
    Attempt,
    Refusal,
    SignInLimiter,
    address_key,
    name_key,
)

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


# --- how many wrong tokens the sign-in form checks (staff.sign_in_limits) -----------------

ANN_AT_WORK, HOME, CAFE = "10.1.2.3", "198.51.100.7", "203.0.113.9"


def _fail(limiter: SignInLimiter, address: str, name: str, now: float) -> None:
    """One wrong token: let through and left counted."""
    assert isinstance(limiter.attempt(address, name, now), Attempt)


def test_the_sixth_wrong_token_from_an_address_waits_until_the_first_leaves_the_window() -> None:
    limiter = SignInLimiter()
    for second in range(MAX_FAILURES):
        _fail(limiter, HOME, f"guess {second}", second)
    assert limiter.attempt(HOME, "guess 9", 10) == Refusal(WINDOW_SECONDS - 10)
    assert limiter.attempt(HOME, "guess 9", WINDOW_SECONDS - 0.5) == Refusal(1)
    assert isinstance(limiter.attempt(HOME, "guess 9", WINDOW_SECONDS), Attempt)
    assert limiter.attempt(HOME, "guess 10", WINDOW_SECONDS) == Refusal(1)


def test_a_name_is_limited_whatever_address_it_is_typed_from() -> None:
    limiter = SignInLimiter()
    for n in range(MAX_FAILURES):
        _fail(limiter, f"192.0.2.{n}", "Li Wei", n)
    assert isinstance(limiter.attempt(CAFE, "  li   WEI ", 10), Refusal)
    assert isinstance(limiter.attempt(CAFE, "Li Na", 10), Attempt)


def test_a_right_token_does_not_count_against_the_address_or_the_name() -> None:
    limiter = SignInLimiter()
    for second in range(3 * MAX_FAILURES):
        attempt = limiter.attempt(ANN_AT_WORK, "Ann", second)
        assert isinstance(attempt, Attempt)
        limiter.succeeded(attempt)
    for second in range(MAX_FAILURES):
        _fail(limiter, ANN_AT_WORK, "Ann", 100 + second)
    assert isinstance(limiter.attempt(ANN_AT_WORK, "Ann", 200), Refusal)


def test_a_refused_attempt_is_not_counted() -> None:
    limiter = SignInLimiter(max_failures=1)
    _fail(limiter, HOME, "Eve", 0)
    for second in range(1, 100):
        assert isinstance(limiter.attempt(CAFE, "Eve", second), Refusal)
    assert isinstance(limiter.attempt(CAFE, "Bo", 100), Attempt)  # the cafe had no failure


def test_parallel_attempts_from_threads_let_at_most_the_limit_through() -> None:
    limiter = SignInLimiter()
    start = threading.Barrier(40)

    def guess(n: int) -> Attempt | Refusal:
        start.wait()
        return limiter.attempt(HOME, f"guess {n}", 1.0)

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(guess, range(40)))
    assert sum(isinstance(outcome, Attempt) for outcome in outcomes) == MAX_FAILURES


@pytest.mark.parametrize(("one", "other"), [
    ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"),  # one /64: usually one machine
    ("::ffff:198.51.100.7", "198.51.100.7"),
    ("198.51.100.7", "198.51.100.7"),
])
def test_addresses_of_one_client_share_a_key(one: str, other: str) -> None:
    assert address_key(one) == address_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("2001:db8:1:2::1", "2001:db8:1:3::1"),
    ("198.51.100.7", "198.51.100.8"),
    (None, "198.51.100.7"),
])
def test_addresses_of_other_clients_have_keys_of_their_own(one: str | None, other: str) -> None:
    assert address_key(one) != address_key(other)


def test_a_name_key_ignores_spaces_and_letter_case_but_not_the_name() -> None:
    assert name_key(" Li  Wei ") == name_key("li wei") != name_key("Li Na")
    assert name_key("李伟") != name_key("李娜")
    assert len(name_key("x" * 70_000)) < 200


def test_names_whose_failures_left_the_window_are_forgotten() -> None:
    limiter = SignInLimiter()
    for n in range(10_000):
        limiter.attempt(f"192.0.2.{n % 250}", f"name {n}", n * 1.0)
    assert limiter.keys_kept() < 3 * WINDOW_SECONDS
