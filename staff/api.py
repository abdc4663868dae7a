"""Staff HTTP API (``python -m staff.api``): list, read and update cases.

Every ``/cases`` request needs ``Authorization: Bearer <STAFF_API_TOKEN>``. Without that
setting the API refuses everything (503); a wrong or missing token gets 401.

    GET  /health                          liveness, no credential
    GET  /cases?q=&status=&type=&institution=&state=&sort=&limit=&offset=
                                          q: reference or person id; state: open|finished;
                                          sort: oldest (default) or newest; "total" counts all
    GET  /cases/{reference}               with facts, checklist and history
    POST /cases/{reference}/status        {"status": "...", "note": "...", "actor": "..."}
    POST /cases/{reference}/notes         {"text": "...", "actor": "..."}   internal
    POST /cases/{reference}/replies       {"text": "...", "actor": "..."}   to the person
    GET  /meta                            statuses, transitions, case types

The same app serves the staff web page at ``/staff/`` (``staff.page``): sign in with
the same token, work the queue in a browser. ``/`` leads there.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import uvicorn
import uvicorn.config
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from casestore.case_types import CASE_TYPES, STATUSES, TRANSITIONS
from casestore.cases import (
    CaseError,
    QueueFilter,
    add_note,
    change_status,
    count_cases,
    find_case,
    list_cases,
    reply_to_person,
)
from casestore.db import make_engine, make_session_factory, migrate
from casestore.models import Case
from config.log_masking import install_log_masking
from config.settings import load_settings
from staff.page import page_routes
from staff.render import PAGE_ROOT
from staff.sign_in_limits import Attempt, SignInLimiter

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]
MAX_LIMIT = 500


class ApiError(Exception):
    """An error answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def case_json(case: Case, *, full: bool = False) -> dict[str, Any]:
    """A case as JSON; ``full`` adds facts, checklist and history."""
    data: dict[str, Any] = {
        "reference": case.reference,
        "type": case.type,
        "status": case.status,
        "institution": case.institution,
        "created_at": case.created_at.isoformat(timespec="seconds"),
        "updated_at": case.updated_at.isoformat(timespec="seconds"),
        "allowed_next": sorted(TRANSITIONS.get(case.status, frozenset())),
    }
    if full:
        data["facts"] = case.facts
        data["checklist"] = case.checklist
        data["history"] = [
            {"at": e.at.isoformat(timespec="seconds"), "actor": e.actor, "field": e.field,
             "old": e.old, "new": e.new, "note": e.note}
            for e in case.events
        ]
    return data


def is_authorised(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries the bearer ``token`` (constant-time compare)."""
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


API_CALLER = "(staff API)"
"""The name an API call's wrong tokens count under, besides its address: the API has no
sign-in name, so every wrong bearer token from one address counts against that address."""


def _guarded(token: str | None, handler: Handler, limiter: SignInLimiter) -> Handler:
    """Wrap ``handler``: check the credential (wrong ones limited like the page's sign-in,
    ``staff.sign_in_limits``), turn ``ApiError`` into a JSON error."""

    async def guarded(request: Request) -> Response:
        if token is None:
            return JSONResponse({"error": "staff API disabled: STAFF_API_TOKEN is not set"}, 503)
        address = request.client.host if request.client else None
        attempt = limiter.attempt(address, f"{API_CALLER} {address}", time.monotonic())
        if not isinstance(attempt, Attempt):
            return JSONResponse({"error": "too many wrong tokens; try again later"}, 429,
                                headers={"Retry-After": str(attempt.retry_after)})
        if not is_authorised(request.headers.get("authorization"), token):
            return JSONResponse({"error": "missing or wrong bearer token"}, 401,
                                headers={"WWW-Authenticate": "Bearer"})
        limiter.succeeded(attempt)
        try:
            return await handler(request)
        except ApiError as error:
            return JSONResponse({"error": error.message}, error.status)

    return guarded


def _actor(body: dict[str, Any]) -> str:
    """The audit-trail actor for a change made through the API."""
    name = str(body.get("actor") or "api").strip()[:100]
    return f"staff:{name}"


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or 400."""
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "body must be JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "body must be a JSON object")
    return body


def _case(session: Session, reference: str) -> Case:
    """The case with ``reference``, or 404."""
    case = find_case(session, reference)
    if case is None:
        raise ApiError(404, f"no case {reference}")
    return case


def _limit(text: str | None) -> int:
    """The ``limit`` query parameter, 1..MAX_LIMIT (default 100)."""
    try:
        value = int(text) if text else 100
    except ValueError:
        raise ApiError(400, "limit must be a number") from None
    return max(1, min(value, MAX_LIMIT))


def _offset(text: str | None) -> int:
    """The ``offset`` query parameter (default 0)."""
    if not text:
        return 0
    if not text.isdigit():
        raise ApiError(400, "offset must be a whole number")
    return int(text)


def in_transaction(request: Request, work: Callable[[Session], Any]) -> Awaitable[Any]:
    """Runs ``work`` in one transaction of the app's case store, off the event loop."""
    sessions: sessionmaker[Session] = request.app.state.sessions

    def run() -> Any:
        with sessions.begin() as session:
            return work(session)

    return run_in_threadpool(run)


async def health(_request: Request) -> Response:
    """``GET /health``: the process answers."""
    return JSONResponse({"status": "ok"})


async def meta(_request: Request) -> Response:
    """``GET /meta``: statuses, allowed moves and request types, in both languages."""
    return JSONResponse({
        "statuses": {k: {"en": v.en, "zh": v.zh} for k, v in STATUSES.items()},
        "transitions": {k: sorted(v) for k, v in TRANSITIONS.items()},
        "types": {k: {"en": v.label.en, "zh": v.label.zh, "audience": v.audience}
                  for k, v in CASE_TYPES.items()},
    })


def queue_filter(params: Mapping[str, str]) -> QueueFilter:
    """The queue's filter from ``GET /cases``'s query, or 400."""
    if params.get("status") and params["status"] not in STATUSES:
        raise ApiError(400, f"unknown status; use one of {sorted(STATUSES)}")
    if params.get("state") and params["state"] not in ("open", "finished"):
        raise ApiError(400, "state must be open or finished")
    return QueueFilter(
        status=params.get("status") or None, case_type=params.get("type") or None,
        institution=params.get("institution") or None, state=params.get("state") or None,
        search=params.get("q") or None, newest_first=params.get("sort") == "newest")


async def list_handler(request: Request) -> Response:
    """``GET /cases``: one page of the filtered queue, with the total."""
    params = request.query_params
    where = queue_filter(params)
    limit, offset = _limit(params.get("limit")), _offset(params.get("offset"))

    def work(session: Session) -> dict[str, Any]:
        cases = list_cases(session, where, limit=limit, offset=offset)
        return {"cases": [case_json(c) for c in cases], "count": len(cases),
                "total": count_cases(session, where)}

    return JSONResponse(await in_transaction(request, work))


async def show_handler(request: Request) -> Response:
    """``GET /cases/{reference}``: one case with its facts, checklist and history."""
    reference = request.path_params["reference"]
    return JSONResponse(await in_transaction(
        request, lambda s: case_json(_case(s, reference), full=True)))


def case_change(change: Callable[[Session, Case, dict[str, Any]], object], refused: int,
                created: bool = False) -> Handler:
    """A ``POST /cases/{reference}/…`` handler: ``change`` the case with the JSON body;
    a ``CaseError`` is answered with status ``refused``."""

    async def handle(request: Request) -> Response:
        reference, body = request.path_params["reference"], await _json_body(request)

        def work(session: Session) -> dict[str, Any]:
            case = _case(session, reference)
            try:
                change(session, case, body)
            except CaseError as error:
                raise ApiError(refused, str(error)) from None
            return case_json(case, full=True)

        return JSONResponse(await in_transaction(request, work), 201 if created else 200)

    return handle


def _new_status(session: Session, case: Case, body: dict[str, Any]) -> object:
    note = body.get("note")
    return change_status(session, case, str(body.get("status") or ""), _actor(body),
                         str(note) if note else None)


def _new_note(session: Session, case: Case, body: dict[str, Any]) -> object:
    return add_note(session, case, actor=_actor(body), text=str(body.get("text") or ""))


def _new_reply(session: Session, case: Case, body: dict[str, Any]) -> object:
    return reply_to_person(session, case, actor=_actor(body), text=str(body.get("text") or ""))


async def to_page(_request: Request) -> Response:
    """``GET /``: the staff page."""
    return RedirectResponse(f"{PAGE_ROOT}/", 307)


def build_app(session_factory: sessionmaker[Session], token: str | None) -> Starlette:
    """The staff API and page over ``session_factory``, guarded by the staff ``token``."""
    limiter = SignInLimiter()

    def guard(handler: Handler) -> Handler:
        return _guarded(token, handler, limiter)

    routes = [
        Route("/", to_page),
        Mount(PAGE_ROOT, routes=page_routes(session_factory, token, limiter)),
        Route("/health", health),
        Route("/meta", guard(meta)),
        Route("/cases", guard(list_handler)),
        Route("/cases/{reference}", guard(show_handler)),
        Route("/cases/{reference}/status", guard(case_change(_new_status, 409)),
              methods=["POST"]),
        Route("/cases/{reference}/notes", guard(case_change(_new_note, 400, created=True)),
              methods=["POST"]),
        Route("/cases/{reference}/replies", guard(case_change(_new_reply, 400, created=True)),
              methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.sessions = session_factory
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m staff.api``."""
    parser = argparse.ArgumentParser(prog="python -m staff.api", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", help="default: LISTEN_ADDRESS")
    parser.add_argument("--port", type=int, help="default: STAFF_API_PORT")
    args = parser.parse_args(argv)
    install_log_masking()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = load_settings()
    args.host = args.host or settings.listen_address
    if settings.staff_api_token is None:
        log.warning("STAFF_API_TOKEN is not set: the staff API and page will refuse every request")
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    app = build_app(make_session_factory(engine), settings.staff_api_token)
    try:
        uvicorn.run(app, host=args.host, port=args.port or settings.staff_api_port,
                    log_level="info")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
