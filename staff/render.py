"""HTML of the staff page, in English and Chinese: sign-in, the queue, one case.

The pages are Jinja2 templates in ``staff/templates/`` rendered with autoescaping on,
so every value that comes from the store or the request is escaped by the template engine,
never by hand. The page's texts are written in English where they are shown: in the
templates (``{{ _("Facts") }}``, ``{% trans %}`` with Jinja's i18n extension) or, for what the
code chooses, in a ``ctx.gettext("…")`` call; their Chinese is the gettext catalog
``staff/templates/zh.po`` (``staff.translations``), the one place for it. Labels that belong
to the case store (statuses, case types, facts) come in both languages from
``casestore.case_types``. Free text (facts, notes) goes through the ``masked`` filter on the
way out, so a passport number typed into a status note is not shown either. Times are shown in
China time, the office's clock. The pages run no script; their only style sheet
(``staff/style.css``) is inlined and allowed by its hash in ``content_security_policy()``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from casestore.case_types import CASE_TYPES, STATUSES, TRANSITIONS, fact_label
from casestore.cases import checklist_key
from casestore.models import Case, ChecklistTick, Person
from casestore.notifications import can_be_pushed
from config.log_masking import mask_identifiers
from knowledge.core import normalise_language
from reminders.schedule import china_clock
from staff.queue import (
    SEARCH_MAX_LENGTH,
    STATES,
    QueueView,
    page_count,
    view_query,
)
from staff.translations import gettext_noop, translations

PAGE_ROOT = "/staff"
NOTE_MAX_LENGTH = 2000
TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLE_SHEET = "style.css"

# Names the code looks up by a stored code, in English; translated where they are shown.
CHANNEL_NAMES: Mapping[str, str] = MappingProxyType({
    "telegram": gettext_noop("Telegram"),
    "socketio": gettext_noop("web chat"),
    "rest": gettext_noop("REST API"),
})
STATE_LABELS: Mapping[str, str] = MappingProxyType({
    "open": gettext_noop("Open (work left)"),
    "finished": gettext_noop("Finished (rejected, done or closed)"),
})


@dataclass(frozen=True)
class PageContext:
    """What every page needs: language, the link to the other one, who is signed in."""

    lang: str
    switch_url: str
    staff_name: str | None = None
    csrf: str | None = None

    @property
    def language(self) -> str:
        """The page's language: "en" or "zh"."""
        return normalise_language(self.lang)

    def gettext(self, message: str, **values: object) -> str:
        """``message`` (English, written where it is used) in the page's language, with
        ``values`` filled in at its ``%(name)s`` (plain text: the templates escape it)."""
        return translations(self.language).gettext(message) % values


@dataclass(frozen=True)
class ChecklistRow:
    """One checklist item as the case page shows it: its key, wording in the page's language,
    article, and the tick (None: still to do)."""

    key: str
    wording: str
    source: str
    tick: ChecklistTick | None


def china_time(ctx: PageContext, moment: datetime) -> str:
    """A stored (naive UTC) timestamp as China time, saying so: "2026-12-07 14:05 (China
    time)"."""
    return ctx.gettext("%(clock)s (China time)", clock=china_clock(moment))


def status_label(ctx: PageContext, status: str | None) -> str:
    """A status in the page's language (the code itself when unknown)."""
    if status is None:
        return "—"
    return STATUSES[status].get(ctx.lang) if status in STATUSES else status


def type_label(ctx: PageContext, case_type: str) -> str:
    """A case type in the page's language (the code itself when unknown)."""
    kind = CASE_TYPES.get(case_type)
    return kind.label.get(ctx.lang) if kind else case_type


def channel_name(ctx: PageContext, channel: str) -> str:
    """A channel's name in the page's language (the code itself when unknown)."""
    return ctx.gettext(CHANNEL_NAMES[channel]) if channel in CHANNEL_NAMES else channel


def person_text(ctx: PageContext, person: Person) -> str:
    """Who opened a case: their name and student or staff number when they gave them, their
    number in the store (what search takes), channel and id."""
    who = " ".join(part for part in (person.full_name,
                                     f"({person.member_number})" if person.member_number
                                     else None) if part)
    store = f"#{person.id} · {channel_name(ctx, person.channel)} {person.channel_user_id}"
    return f"{who} · {store}" if who else store


def checklist_rows(ctx: PageContext, case: Case,
                   ticks: Mapping[str, ChecklistTick]) -> list[ChecklistRow]:
    """The case's checklist in the page's language, each item with its tick if it has one."""
    rows = []
    for index, item in enumerate(case.checklist):
        wording = item.get("zh") if ctx.language == "zh" else item.get("en")
        key = checklist_key(index, item)
        rows.append(ChecklistRow(key=key, wording=str(wording or item.get("en") or ""),
                                 source=str(item.get("source") or ""), tick=ticks.get(key)))
    return rows


# --- templates --------------------------------------------------------------------------------

def _page_context(context: Context) -> PageContext:
    """The ``PageContext`` a template was rendered with."""
    ctx = context["ctx"]
    assert isinstance(ctx, PageContext)
    return ctx


def _bound(helper: Callable[..., str]) -> Callable[..., str]:
    """``helper(ctx, ...)`` as a template function or filter taking only the ``...``."""
    @pass_context
    def call(context: Context, *args: Any, **kwargs: Any) -> str:
        return helper(_page_context(context), *args, **kwargs)
    return call


@functools.cache
def environment(language: str) -> Environment:
    """The templates' environment for pages in ``language`` ("en", "zh"): autoescaped,
    failing loudly on an undefined name, and with ``_``, ``gettext`` and ``{% trans %}``
    translating the English written in the templates (``staff.translations``).

    Templates are read once per process (a deployment restarts the app).
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        root=PAGE_ROOT, note_max_length=NOTE_MAX_LENGTH, search_max_length=SEARCH_MAX_LENGTH,
        person=_bound(person_text), channel_name=_bound(channel_name),
        can_be_pushed=can_be_pushed, view_query=view_query,
        is_chinese=lambda language: normalise_language(language) == "zh",
        fact_label=fact_label,
    )
    env.filters.update(
        status=_bound(status_label), case_type=_bound(type_label),
        china_time=_bound(china_time), masked=lambda value: mask_identifiers(str(value)),
    )
    return env


@functools.cache
def style_sheet() -> str:
    """The pages' CSS, inlined in each page exactly as the policy's hash was taken over it."""
    env = environment("en")
    assert env.loader is not None
    return env.loader.get_source(env, STYLE_SHEET)[0]


@functools.cache
def content_security_policy() -> str:
    """No script, no framing, forms post only here, and no style but ``style_sheet()``."""
    digest = base64.b64encode(hashlib.sha256(style_sheet().encode()).digest()).decode()
    return (f"default-src 'none'; style-src 'sha256-{digest}'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")


def render(ctx: PageContext, template: str, **values: object) -> str:
    """``staff/<template>`` rendered for ``ctx``."""
    page = environment(ctx.language).get_template(template)
    return page.render(ctx=ctx, style=Markup(style_sheet()), **values)


# --- the pages --------------------------------------------------------------------------------

def sign_in_page(
    ctx: PageContext, *, csrf: str, next_path: str, name: str = "", error: str | None = None,
    disabled: bool = False,
) -> str:
    """The sign-in form (or why sign-in is off)."""
    return render(ctx, "sign_in.html", csrf=csrf, next_path=next_path, name=name, error=error,
                  disabled=disabled)


def queue_page(ctx: PageContext, cases: Sequence[Case], total: int, view: QueueView) -> str:
    """The queue: search and filters, one page of cases, links to the other pages."""
    return render(
        ctx, "queue.html", cases=cases, total=total, view=view, pages=page_count(total),
        state_choices=[(s, ctx.gettext(STATE_LABELS[s])) for s in STATES],
        status_choices=[(s, status_label(ctx, s)) for s in STATUSES],
        type_choices=[(t, type_label(ctx, t)) for t in CASE_TYPES],
    )


def case_page(ctx: PageContext, case: Case, *, ticks: Mapping[str, ChecklistTick] | None = None,
              message: str | None = None, error: str | None = None) -> str:
    """One case: summary, facts, checklist (with its ticks), the forms, the history."""
    title = f"{case.reference} · {type_label(ctx, case.type)}" if case.type in CASE_TYPES \
        else case.reference
    rows = checklist_rows(ctx, case, ticks or {})
    allowed = [s for s in STATUSES if s in TRANSITIONS.get(case.status, frozenset())]
    return render(
        ctx, "case.html", title=title, case=case, checklist=rows,
        wording={row.key: row.wording for row in rows}, allowed=bool(allowed),
        status_choices=[(s, status_label(ctx, s)) for s in allowed],
        mine=case.assigned_to is not None and case.assigned_to == ctx.staff_name,
        message=message, error=error,
    )


def message_page(ctx: PageContext, title: str, message: str) -> str:
    """A page that only says something (not found, form expired), both already in the page's
    language."""
    return render(ctx, "message.html", title=title, message=message)
