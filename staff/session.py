"""Signed-in state of the staff page: an HMAC-signed cookie and the CSRF tokens tied to it.

The cookie holds the staff member's name, when they signed in and a random session id,
signed with a key derived from STAFF_API_TOKEN. Nothing is stored on the server, so:
changing STAFF_API_TOKEN signs everybody out (old cookies no longer verify), and a cookie
stops being accepted ``SESSION_SECONDS`` after sign-in. The CSRF token of a form is an HMAC
of the session id: valid only for that session, never stored, checked in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

SESSION_SECONDS = 8 * 3600
"""A sign-in lasts one working day."""
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class StaffSession:
    """Who signed in, when (Unix seconds), and the random id their CSRF tokens hang on."""

    name: str
    issued_at: int
    session_id: str


def _encode(data: bytes) -> str:
    """URL-safe base64 without padding (cookie-safe)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    """Inverse of ``_encode``; ``ValueError`` on anything that is not such text."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not base64") from None


class SessionSigner:
    """Signs and verifies session cookies and CSRF tokens with a key from the staff token."""

    def __init__(self, staff_token: str) -> None:
        self._key = hmac.new(staff_token.encode(), b"staff.page session v1",
                             hashlib.sha256).digest()

    def _mac(self, purpose: bytes, message: bytes) -> bytes:
        """HMAC-SHA256 of ``message`` for one purpose (sessions and CSRF never mix)."""
        return hmac.new(self._key, purpose + b"\0" + message, hashlib.sha256).digest()

    def new_session(self, name: str, now: int) -> StaffSession:
        """A fresh session for ``name`` signed in at ``now``."""
        return StaffSession(name=name.strip()[:MAX_NAME_LENGTH], issued_at=now,
                            session_id=secrets.token_urlsafe(18))

    def cookie(self, session: StaffSession) -> str:
        """The cookie value: payload and signature, both URL-safe base64."""
        payload = json.dumps({"n": session.name, "t": session.issued_at, "s": session.session_id},
                             separators=(",", ":"), ensure_ascii=True).encode()
        return f"{_encode(payload)}.{_encode(self._mac(b'session', payload))}"

    def read(self, cookie: str | None, now: int) -> StaffSession | None:
        """The session in a cookie, or None when it is missing, forged, malformed or expired."""
        payload_text, _, signature_text = (cookie or "").partition(".")
        try:
            payload, signature = _decode(payload_text), _decode(signature_text)
        except ValueError:
            return None
        if not hmac.compare_digest(signature, self._mac(b"session", payload)):
            return None
        try:
            data = json.loads(payload)
            session = StaffSession(str(data["n"]), int(data["t"]), str(data["s"]))
        except (ValueError, KeyError, TypeError):
            return None
        if not 0 <= now - session.issued_at < SESSION_SECONDS:
            return None
        return session

    def csrf_token(self, session: StaffSession) -> str:
        """The token every form of this session carries."""
        return _encode(self._mac(b"csrf", session.session_id.encode()))

    def csrf_ok(self, session: StaffSession, given: str | None) -> bool:
        """Whether a submitted form carries this session's token."""
        return bool(given) and hmac.compare_digest(str(given).encode(),
                                                   self.csrf_token(session).encode())


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of a typed secret with the configured one."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())
