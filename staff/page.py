"""The staff web page, mounted at ``/staff/`` in the staff API's app (``staff.api``).

    GET  /staff/sign-in                    the sign-in form (name and staff token)
    POST /staff/sign-in                    token right: signed session cookie, back to the page
    POST /staff/sign-out
    GET  /staff/?q=&status=&type=&state=&mine=&sort=&page=   the queue, 25 a page
    GET  /staff/export.csv?<the queue's query>  every case it selects, as CSV
    GET  /staff/cases/{reference}          one case: facts, checklist, history, forms
    POST /staff/cases/{reference}/status   status + note: the person is told (outbox)
    POST /staff/cases/{reference}/notes    an internal note
    POST /staff/cases/{reference}/reply    a message to the person, status unchanged (outbox)
    POST /staff/cases/{reference}/assign   to=me: assign to the signed-in name; to=nobody
    POST /staff/cases/{reference}/checklist  item=<key>&done=1 ticks an item, done=0 unticks

The staff token is STAFF_API_TOKEN (compared in constant time); without it the page only says
that sign-in is off. The signed-in state is a signed cookie (``staff.session``):
HttpOnly, SameSite=Strict, Secure when the page is served over HTTPS, valid for one working
day. Every POST carries a CSRF token tied to the session (the sign-in form: a random value
that must match a cookie set with the form). Wrong tokens are limited per client address and
per name (``staff.sign_in_limits``): past the limit the form answers 429 without checking
the token. Status changes and notes go through ``casestore.cases`` exactly as the API and the
CLI do. ``?lang=zh`` or ``?lang=en`` on any page switches the language (remembered in a
cookie); otherwise the browser's language decides.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar
from urllib.parse import parse_qsl, quote

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from casestore.case_types import STATUSES
from casestore.cases import (
    CaseError,
    add_note,
    assign_case,
    change_status,
    checklist_ticks,
    count_cases,
    find_case,
    list_cases,
    reply_to_person,
    tick_checklist_item,
    untick_checklist_item,
)
from casestore.export import csv_text
from casestore.models import Case
from knowledge.core import normalise_language
from staff.queue import PAGE_SIZE, page_count, read_view
from staff.render import (
    NOTE_MAX_LENGTH,
    PAGE_ROOT,
    PageContext,
    case_page,
    content_security_policy,
    message_page,
    queue_page,
    sign_in_page,
)
from staff.session import SessionSigner, StaffSession, same_secret
from staff.sign_in_limits import WINDOW_SECONDS, Attempt, SignInLimiter

SESSION_COOKIE = "staff_session"
SIGN_IN_COOKIE = "staff_sign_in"
LANGUAGE_COOKIE = "staff_lang"
MAX_FORM_BYTES = 64 * 1024

T = TypeVar("T")
Endpoint = Callable[[Request], Awaitable[Response]]
PageHandler = Callable[[Request, StaffSession], Awaitable[Response]]
FormHandler = Callable[[Request, StaffSession, dict[str, str]], Awaitable[Response]]


MAX_FORM_FIELDS = 20


class FormTooLarge(Exception):
    """A POST body over ``MAX_FORM_BYTES`` or with more than ``MAX_FORM_FIELDS`` fields."""


def page_language(request: Request) -> str:
    """``?lang=``, else the remembered choice, else the browser's first language."""
    for choice in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if choice in ("en", "zh"):
            return choice
    accepted = request.headers.get("accept-language", "")
    return normalise_language(accepted.split(",")[0].strip())


def local_path(candidate: str | None) -> str:
    """``candidate`` if it is a path of this page (no open redirect), else the queue."""
    if candidate and candidate.startswith(f"{PAGE_ROOT}/") and "//" not in candidate \
            and "\\" not in candidate:
        return candidate
    return f"{PAGE_ROOT}/"


async def read_form(request: Request) -> dict[str, str]:
    """A URL-encoded form body as ``{name: first value}`` (no multipart, at most 64 KiB).

    Parsed here with the standard library: Starlette's ``request.form()`` would need the
    python-multipart package for what the page's plain forms send.
    """
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge
    try:
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True,
                          max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise FormTooLarge from None
    form: dict[str, str] = {}
    for name, value in pairs:
        form.setdefault(name, value)
    return form


@dataclass(frozen=True)
class Outcome:
    """What became of a change: the case's reference (None: no such case), and, when the
    store refused the change, the case's status at that moment."""

    reference: str | None
    refused_at: str | None = None


class StaffPage:
    """The page's handlers over one session factory and the configured staff token."""

    def __init__(self, session_factory: sessionmaker[Session], token: str | None,
                 limiter: SignInLimiter | None = None) -> None:
        self.session_factory = session_factory
        self.token = token
        self.signer = SessionSigner(token) if token is not None else None
        self.sign_in_limiter = limiter or SignInLimiter()

    def routes(self) -> list[BaseRoute]:
        """The routes, relative to ``PAGE_ROOT`` (where ``staff.api`` mounts them)."""
        return [
            Route("/", self.signed_in(self.queue), methods=["GET"]),
            Route("/sign-in", self.show_sign_in, methods=["GET"]),
            Route("/sign-in", self.sign_in, methods=["POST"]),
            Route("/sign-out", self.posted(self.sign_out), methods=["POST"]),
            Route("/export.csv", self.signed_in(self.export), methods=["GET"]),
            Route("/cases/{reference}", self.signed_in(self.show_case), methods=["GET"]),
            Route("/cases/{reference}/status", self.posted(self.change_case_status),
                  methods=["POST"]),
            Route("/cases/{reference}/notes", self.posted(self.add_case_note), methods=["POST"]),
            Route("/cases/{reference}/reply", self.posted(self.reply), methods=["POST"]),
            Route("/cases/{reference}/assign", self.posted(self.assign), methods=["POST"]),
            Route("/cases/{reference}/checklist", self.posted(self.tick), methods=["POST"]),
        ]

    # --- plumbing ---------------------------------------------------------------------------

    def in_transaction(self, work: Callable[[Session], T]) -> Awaitable[T]:
        """Run ``work`` in one transaction on a worker thread."""
        def run() -> T:
            with self.session_factory.begin() as session:
                return work(session)
        return run_in_threadpool(run)

    def context(self, request: Request, staff: StaffSession | None = None) -> PageContext:
        """Language, language-switch link and (when signed in) the sign-out form's token."""
        lang = page_language(request)
        other = "en" if normalise_language(lang) == "zh" else "zh"
        switch = request.url.include_query_params(lang=other)
        csrf = self.signer.csrf_token(staff) if staff is not None and self.signer else None
        return PageContext(lang=lang, switch_url=f"{switch.path}?{switch.query}",
                           staff_name=staff.name if staff else None, csrf=csrf)

    @staticmethod
    def page(request: Request, content: str, status: int = 200) -> HTMLResponse:
        """An HTML response with the page's security headers (and the language remembered)."""
        response = HTMLResponse(content, status)
        response.headers.update({
            "Content-Security-Policy": content_security_policy(),
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
        })
        lang = request.query_params.get("lang")
        if lang in ("en", "zh"):
            response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, path=PAGE_ROOT,
                                httponly=True, samesite="lax")
        return response

    @staticmethod
    def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
        """A page cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, path /staff."""
        response.set_cookie(name, value, path=PAGE_ROOT, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")

    @staticmethod
    def forget_cookie(request: Request, response: Response, name: str) -> None:
        """Expire a page cookie (same attributes as when it was set)."""
        response.delete_cookie(name, path=PAGE_ROOT, httponly=True, samesite="strict",
                               secure=request.url.scheme == "https")

    def staff(self, request: Request) -> StaffSession | None:
        """The signed-in staff member, or None."""
        if self.signer is None:
            return None
        return self.signer.read(request.cookies.get(SESSION_COOKIE), int(time.time()))

    @staticmethod
    def to_sign_in(request: Request) -> Response:
        """Send someone who is not signed in to the sign-in form, then back to this page."""
        back = request.url.path if request.method == "GET" else f"{PAGE_ROOT}/"
        if request.method == "GET" and request.url.query:
            back += f"?{request.url.query}"
        return RedirectResponse(f"{PAGE_ROOT}/sign-in?next={quote(local_path(back))}", 303)

    def signed_in(self, handler: PageHandler) -> Endpoint:
        """A GET handler for signed-in staff only."""
        async def guarded(request: Request) -> Response:
            staff = self.staff(request)
            if staff is None:
                return self.to_sign_in(request)
            return await handler(request, staff)
        return guarded

    def posted(self, handler: FormHandler) -> Endpoint:
        """A POST handler for signed-in staff whose form carries their session's CSRF token."""
        async def guarded(request: Request) -> Response:
            staff = self.staff(request)
            if staff is None or self.signer is None:
                return self.to_sign_in(request)
            try:
                form = await read_form(request)
            except FormTooLarge:
                return Response("form too large", 413)
            if not self.signer.csrf_ok(staff, form.get("csrf")):
                return self.refused_form(request, staff)
            return await handler(request, staff, form)
        return guarded

    def refused_form(self, request: Request, staff: StaffSession | None) -> Response:
        """403: the form's anti-forgery token is missing or wrong."""
        ctx = self.context(request, staff)
        content = message_page(ctx, ctx.gettext("Form expired"), ctx.gettext(
            "This form has expired or did not come from this page. Go back, reload the page "
            "and try again."))
        return self.page(request, content, 403)

    # --- sign-in and sign-out ---------------------------------------------------------------

    def sign_in_form(self, request: Request, *, status: int = 200, name: str = "",
                     error: str | None = None, next_path: str | None = None) -> Response:
        """The sign-in form with a fresh anti-forgery value (also set as a cookie)."""
        nonce = secrets.token_urlsafe(18)
        content = sign_in_page(
            self.context(request), csrf=nonce, name=name, error=error,
            next_path=local_path(next_path or request.query_params.get("next")),
            disabled=self.token is None,
        )
        response = self.page(request, content, 503 if self.token is None else status)
        self.set_cookie(request, response, SIGN_IN_COOKIE, nonce)
        return response

    async def show_sign_in(self, request: Request) -> Response:
        """GET the sign-in form (straight on when already signed in)."""
        if self.staff(request) is not None:
            return RedirectResponse(local_path(request.query_params.get("next")), 303)
        return self.sign_in_form(request)

    async def sign_in(self, request: Request) -> Response:
        """POST the sign-in form: check where the form came from, the token and the name."""
        if self.token is None or self.signer is None:
            return self.sign_in_form(request)
        try:
            form = await read_form(request)
        except FormTooLarge:
            return Response("form too large", 413)
        if not same_secret(form.get("csrf", ""), request.cookies.get(SIGN_IN_COOKIE) or ""):
            return self.refused_form(request, None)
        name, next_path, ctx = form.get("name", "").strip(), form.get("next"), \
            self.context(request)
        refused = self.check_token(request, form.get("token", ""), self.token, name=name,
                                   next_path=next_path)
        if refused is not None:
            return refused
        if not name:
            return self.sign_in_form(request, status=400, next_path=next_path,
                                     error=ctx.gettext("Please give your name."))
        session = self.signer.new_session(name, int(time.time()))
        response = RedirectResponse(local_path(next_path), 303)
        self.set_cookie(request, response, SESSION_COOKIE, self.signer.cookie(session))
        self.forget_cookie(request, response, SIGN_IN_COOKIE)
        return response

    def check_token(self, request: Request, given: str, expected: str, *, name: str,
                    next_path: str | None) -> Response | None:
        """None when the ``given`` token is the ``expected`` one; else the form again with
        401 (wrong), or with 429, the token unchecked, once this address or name has had too
        many wrong ones (``staff.sign_in_limits``)."""
        attempt = self.sign_in_limiter.attempt(
            request.client.host if request.client else None, name, time.monotonic())
        if not isinstance(attempt, Attempt):
            return self.too_many_wrong_tokens(request, name, next_path, attempt.retry_after)
        if not same_secret(given.strip(), expected):
            return self.sign_in_form(request, status=401, name=name, next_path=next_path,
                                     error=self.context(request).gettext("Wrong staff token."))
        self.sign_in_limiter.succeeded(attempt)
        return None

    def too_many_wrong_tokens(self, request: Request, name: str, next_path: str | None,
                              retry_after: int) -> Response:
        """429: the sign-in form again, saying how long to wait (also as Retry-After)."""
        message = self.context(request).gettext(
            "Sign-in is paused: too many wrong staff tokens were typed from this address or "
            "with this name in the last %(window)s minutes. Try again in %(minutes)s "
            "minute(s).", window=WINDOW_SECONDS // 60, minutes=math.ceil(retry_after / 60))
        response = self.sign_in_form(request, status=429, name=name, next_path=next_path,
                                     error=message)
        response.headers["Retry-After"] = str(retry_after)
        return response

    async def sign_out(self, request: Request, _staff: StaffSession,
                       _form: dict[str, str]) -> Response:
        """POST: forget the session cookie."""
        response = RedirectResponse(f"{PAGE_ROOT}/sign-in", 303)
        self.forget_cookie(request, response, SESSION_COOKIE)
        return response

    # --- the queue and one case -------------------------------------------------------------

    async def queue(self, request: Request, staff: StaffSession) -> Response:
        """GET one page of the queue as the query string asks (``staff.queue``)."""
        view = read_view(request.query_params, staff.name)
        ctx = self.context(request, staff)

        def render(session: Session) -> str:
            total = count_cases(session, view.where)
            shown = replace(view, page=min(view.page, page_count(total)))
            cases = list_cases(session, shown.where, limit=PAGE_SIZE, offset=shown.offset)
            return queue_page(ctx, cases, total, shown)

        return self.page(request, await self.in_transaction(render))

    async def export(self, request: Request, staff: StaffSession) -> Response:
        """GET every case the queue's current search and filters select, as a CSV file."""
        where = read_view(request.query_params, staff.name).where
        content = await self.in_transaction(lambda session: csv_text(list_cases(session, where)))
        return Response(content, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="requests.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        })

    async def show_case(self, request: Request, staff: StaffSession) -> Response:
        """GET one case; ``?done=status|note|…`` (after a change) says that it worked."""
        ctx = self.context(request, staff)
        done = request.query_params.get("done")
        message = {
            "status": ctx.gettext(
                "Status changed. The person will be told through their channel."),
            "note": ctx.gettext("Note added."),
            "reply": ctx.gettext("Reply recorded. It is sent through the person's channel if "
                                 "it can reach them."),
            "assign": ctx.gettext("Assignment changed."),
            "checklist": ctx.gettext("Checklist updated."),
        }.get(done or "")
        return await self.render_case(request, ctx, message=message)

    async def render_case(self, request: Request, ctx: PageContext, *, status: int = 200,
                          message: str | None = None, error: str | None = None) -> Response:
        """The case page, or 404 when there is no such case."""
        reference = request.path_params["reference"]

        def render(session: Session) -> str | None:
            case = find_case(session, reference)
            if case is None:
                return None
            return case_page(ctx, case, ticks=checklist_ticks(session, case), message=message,
                             error=error)

        content = await self.in_transaction(render)
        if content is None:
            return self.page(request, message_page(
                ctx, ctx.gettext("No such request"),
                ctx.gettext("There is no request %(reference)s.", reference=reference)), 404)
        return self.page(request, content, status)

    async def change_case_status(self, request: Request, staff: StaffSession,
                                 form: dict[str, str]) -> Response:
        """POST a new status with a note: the same ``change_status`` as the API and the CLI,
        so the person is told through the outbox."""
        new_status = form.get("status", "")
        note = form.get("note", "").strip()[:NOTE_MAX_LENGTH] or None

        outcome = await self.apply_change(request, lambda session, case: change_status(
            session, case, new_status, f"staff:{staff.name}", note))
        if outcome.refused_at is not None:
            ctx = self.context(request, staff)
            reason = ctx.gettext(
                "That change is not allowed from the current status (%(status)s). Choose one "
                "of the statuses offered below.", status=STATUSES[outcome.refused_at].get(ctx.lang))
            return await self.render_case(request, ctx, status=409, error=reason)
        return await self.after_change(request, staff, outcome, "status")

    async def add_case_note(self, request: Request, staff: StaffSession,
                            form: dict[str, str]) -> Response:
        """POST an internal note (identifiers in it are masked by the store)."""
        note = form.get("text", "")[:NOTE_MAX_LENGTH]

        outcome = await self.apply_change(request, lambda session, case: add_note(
            session, case, actor=f"staff:{staff.name}", text=note))
        if outcome.refused_at is not None:
            ctx = self.context(request, staff)
            return await self.render_case(request, ctx, status=400,
                                          error=ctx.gettext("A note needs some text."))
        return await self.after_change(request, staff, outcome, "note")

    async def reply(self, request: Request, staff: StaffSession,
                    form: dict[str, str]) -> Response:
        """POST a message to the person; the status stays (``reply_to_person``)."""
        message = form.get("text", "")[:NOTE_MAX_LENGTH]

        outcome = await self.apply_change(request, lambda session, case: reply_to_person(
            session, case, actor=f"staff:{staff.name}", text=message))
        if outcome.refused_at is not None:
            ctx = self.context(request, staff)
            return await self.render_case(request, ctx, status=400,
                                          error=ctx.gettext("A reply needs some text."))
        return await self.after_change(request, staff, outcome, "reply")

    async def assign(self, request: Request, staff: StaffSession,
                     form: dict[str, str]) -> Response:
        """POST ``to=me`` (take the case) or ``to=nobody`` (give it back)."""
        assignee = staff.name if form.get("to") == "me" else None
        outcome = await self.apply_change(request, lambda session, case: assign_case(
            session, case, assignee=assignee, actor=f"staff:{staff.name}"))
        return await self.after_change(request, staff, outcome, "assign")

    async def tick(self, request: Request, staff: StaffSession,
                   form: dict[str, str]) -> Response:
        """POST ``item=<key>`` with ``done=1`` (tick it) or ``done=0`` (untick it)."""
        item, mark = form.get("item", ""), form.get("done") != "0"
        change = tick_checklist_item if mark else untick_checklist_item
        outcome = await self.apply_change(request, lambda session, case: change(
            session, case, item, staff_name=staff.name))
        if outcome.refused_at is not None:
            ctx = self.context(request, staff)
            return await self.render_case(
                request, ctx, status=400,
                error=ctx.gettext("That item is not on this request's checklist."))
        return await self.after_change(request, staff, outcome, "checklist", anchor="checklist")

    async def apply_change(self, request: Request,
                           change: Callable[[Session, Case], object]) -> Outcome:
        """Run one store change on the case the URL names, in one transaction."""

        def work(session: Session) -> Outcome:
            case = find_case(session, request.path_params["reference"])
            if case is None:
                return Outcome(None)
            try:
                change(session, case)
            except CaseError:
                return Outcome(case.reference, refused_at=case.status)
            return Outcome(case.reference)

        return await self.in_transaction(work)

    async def after_change(self, request: Request, staff: StaffSession, outcome: Outcome,
                           what: str, anchor: str | None = None) -> Response:
        """Back to the case page saying what was done (POST, redirect, GET), or 404;
        ``anchor`` names the part of the page to show (where the change was made)."""
        if outcome.reference is None:
            return await self.render_case(request, self.context(request, staff))
        fragment = f"#{anchor}" if anchor else ""
        return RedirectResponse(
            f"{PAGE_ROOT}/cases/{quote(outcome.reference)}?done={what}{fragment}", 303)


def page_routes(session_factory: sessionmaker[Session], token: str | None,
                limiter: SignInLimiter | None = None) -> list[BaseRoute]:
    """The page's routes over ``session_factory``, to be mounted at ``PAGE_ROOT``; wrong
    tokens count in ``limiter`` (shared with the API's bearer check)."""
    return StaffPage(session_factory, token, limiter).routes()
