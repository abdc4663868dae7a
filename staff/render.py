"""HTML of the staff page, in English and Chinese: sign-in, the queue, one case.

The pages are Jinja2 templates in ``staff/templates/`` rendered with autoescaping on,
so every value that comes from the store or the request is escaped by the template engine,
never by hand. The labels in both languages are ``TEXTS`` below; a template asks for one
with ``t("key")``. Free text (facts, notes) goes through the ``masked`` filter on the way
out, so a passport number typed into a status note is not shown either. Times are shown in
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
from knowledge import Text
from knowledge.core import normalise_language
from reminders.schedule import china_clock
from staff.queue import (
    SEARCH_MAX_LENGTH,
    STATES,
    QueueView,
    page_count,
    view_query,
)

PAGE_ROOT = "/staff"
NOTE_MAX_LENGTH = 2000
TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLE_SHEET = "style.css"

TEXTS: Mapping[str, Text] = MappingProxyType({
    "brand": Text("International office · requests", "国际处 · 申请办理"),
    "skip": Text("Skip to the content", "跳到正文"),
    "switch": Text("中文", "English"),
    "signed_in_as": Text("Signed in as {name}", "当前用户：{name}"),
    "sign_out": Text("Sign out", "退出登录"),
    "sign_in_title": Text("Staff sign-in", "工作人员登录"),
    "name_label": Text("Your name (recorded in the history of every change you make)",
                        "您的姓名（记入您所做每项变更的处理记录）"),
    "token_label": Text("Staff token", "工作人员令牌"),
    "sign_in": Text("Sign in", "登录"),
    "disabled": Text("Staff sign-in is switched off: STAFF_API_TOKEN is not set on the server.",
                      "工作人员登录未开启：服务器未设置 STAFF_API_TOKEN。"),
    "wrong_token": Text("Wrong staff token.", "工作人员令牌错误。"),
    "name_needed": Text("Please give your name.", "请填写您的姓名。"),
    "queue_title": Text("Requests", "申请列表"),
    "status": Text("Status", "状态"),
    "type": Text("Type", "类型"),
    "any": Text("Any", "全部"),
    "show": Text("Show", "筛选"),
    "reference": Text("Reference", "编号"),
    "institution": Text("Institution", "学校"),
    "updated": Text("Last update", "最近更新"),
    "opened": Text("Opened", "提交时间"),
    "china_time": Text("{clock} (China time)", "{clock}（北京时间）"),
    "count": Text("{count} request(s), page {page} of {pages}.",
                   "共 {count} 条申请，第 {page} 页，共 {pages} 页。"),
    "search": Text("Search: reference or the person's id", "搜索：编号或申请人编号"),
    "state": Text("Open or finished", "办理中/已结束"),
    "state_open": Text("Open (work left)", "办理中"),
    "state_finished": Text("Finished (rejected, done or closed)",
                            "已结束（未获批准、已办结或已关闭）"),
    "sort": Text("Order", "排序"),
    "sort_oldest": Text("Oldest first", "最早的在前"),
    "sort_newest": Text("Newest first", "最新的在前"),
    "pages": Text("Pages", "分页"),
    "page_of": Text("page {page} of {pages}", "第 {page} 页，共 {pages} 页"),
    "previous": Text("← Previous page", "← 上一页"),
    "next": Text("Next page →", "下一页 →"),
    "export": Text("Export these requests as CSV", "将这些申请导出为 CSV"),
    "empty": Text("No request matches.", "没有符合条件的申请。"),
    "back": Text("← All requests", "← 返回申请列表"),
    "facts": Text("Facts", "申请信息"),
    "no_facts": Text("No facts were given.", "未填写申请信息。"),
    "checklist": Text("Checklist", "材料清单"),
    "no_checklist": Text("The regulations list no documents for this request at this "
                          "institution.", "该校规定未列出此类申请所需的材料。"),
    "to_do": Text("to do", "待办"),
    "ticked_by": Text("✓ {name}, {when}", "✓ {name}，{when}"),
    "tick": Text("Tick", "勾选"),
    "untick": Text("Untick", "取消勾选"),
    "checklist_changed": Text("Checklist updated.", "材料清单已更新。"),
    "not_on_checklist": Text("That item is not on this request's checklist.",
                              "该项不在此申请的材料清单上。"),
    "checklist_ticked": Text("Ticked: {item}", "已勾选：{item}"),
    "checklist_unticked": Text("Unticked: {item}", "已取消勾选：{item}"),
    "change_status": Text("Change status", "变更状态"),
    "new_status": Text("New status", "新状态"),
    "choose": Text("Choose…", "请选择…"),
    "status_note": Text("Note for the person (sent to them with the new status)",
                         "给申请人的留言（随新状态一并发送给本人）"),
    "final": Text("This request is closed: its status cannot change any more.",
                   "该申请已关闭，状态不能再变更。"),
    "add_note": Text("Add an internal note", "添加内部备注"),
    "note_label": Text("Note (kept in the history; the person is not told)",
                        "备注（记入处理记录，不通知申请人）"),
    "note_button": Text("Add note", "添加备注"),
    "history": Text("History", "处理记录"),
    "when": Text("When", "时间"),
    "who": Text("Who", "操作人"),
    "what": Text("What", "内容"),
    "note": Text("Note", "备注"),
    "status_changed": Text("Status changed. The person will be told through their channel.",
                            "状态已变更，系统将通过申请人的渠道通知本人。"),
    "note_added": Text("Note added.", "备注已添加。"),
    "person": Text("Person", "申请人"),
    "reached": Text("Reached by", "联系渠道"),
    "channel_telegram": Text("Telegram", "Telegram"),
    "channel_socketio": Text("web chat", "网页聊天"),
    "channel_rest": Text("REST API", "REST 接口"),
    "pushed": Text("{channel}: messages are sent to them", "{channel}：消息会发送给本人"),
    "unreachable": Text("{channel}: cannot be reached; they will see it when they ask",
                         "{channel}：无法主动联系；本人询问时会看到"),
    "contact": Text("contact they gave", "本人提供的联系方式"),
    "reply": Text("Reply to the person", "回复申请人"),
    "reply_label": Text("Message (sent to the person; the status stays as it is)",
                         "留言（发送给申请人，状态不变）"),
    "reply_button": Text("Send reply", "发送回复"),
    "reply_sent": Text("Reply recorded. It is sent through the person's channel if it can "
                        "reach them.", "回复已记录，如渠道可达将发送给本人。"),
    "empty_reply": Text("A reply needs some text.", "回复不能为空。"),
    "assigned_to": Text("Assigned to", "负责人"),
    "nobody": Text("nobody", "无"),
    "mine": Text("Only requests assigned to me", "只看分配给我的申请"),
    "take": Text("Assign to me", "分配给我"),
    "give_back": Text("Unassign", "取消分配"),
    "assigned": Text("Assignment changed.", "分配已变更。"),
    "not_allowed": Text("That change is not allowed from the current status ({status}). "
                         "Choose one of the statuses offered below.",
                         "当前状态（{status}）不允许该变更，请从下方所列状态中选择。"),
    "empty_note": Text("A note needs some text.", "备注不能为空。"),
    "not_found_title": Text("No such request", "找不到该申请"),
    "not_found": Text("There is no request {reference}.", "没有编号为 {reference} 的申请。"),
    "csrf_title": Text("Form expired", "表单已失效"),
    "csrf": Text("This form has expired or did not come from this page. Go back, reload the "
                  "page and try again.", "表单已失效或并非来自本页面。请返回并刷新页面后重试。"),
})


@dataclass(frozen=True)
class PageContext:
    """What every page needs: language, the link to the other one, who is signed in."""

    lang: str
    switch_url: str
    staff_name: str | None = None
    csrf: str | None = None


@dataclass(frozen=True)
class ChecklistRow:
    """One checklist item as the case page shows it: its key, wording in the page's language,
    article, and the tick (None: still to do)."""

    key: str
    wording: str
    source: str
    tick: ChecklistTick | None


def text(ctx: PageContext, key: str, **values: object) -> str:
    """One of ``TEXTS`` in the page's language with ``values`` filled in (plain text: the
    templates escape it)."""
    return TEXTS[key].get(ctx.lang).format(**values)


def china_time(ctx: PageContext, moment: datetime) -> str:
    """A stored (naive UTC) timestamp as China time, saying so: "2026-12-07 14:05 (China
    time)"."""
    return text(ctx, "china_time", clock=china_clock(moment))


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
    label = TEXTS.get(f"channel_{channel}")
    return label.get(ctx.lang) if label else channel


def person_text(ctx: PageContext, person: Person) -> str:
    """Who opened a case: their name and student or staff number when they gave them, their
    number in the store (what search takes), channel and id."""
    who = " ".join(part for part in (person.full_name,
                                     f"({person.member_number})" if person.member_number
                                     else None) if part)
    store = f"#{person.id} · {channel_name(ctx, person.channel)} {person.channel_user_id}"
    return f"{who} · {store}" if who else store


def reach_text(ctx: PageContext, person: Person) -> str:
    """Whether the office's messages reach the person, and through which channel."""
    key = "pushed" if can_be_pushed(person) else "unreachable"
    reached = text(ctx, key, channel=channel_name(ctx, person.channel))
    return f"{reached} · {text(ctx, 'contact')}: {person.contact}" if person.contact else reached


def checklist_rows(ctx: PageContext, case: Case,
                   ticks: Mapping[str, ChecklistTick]) -> list[ChecklistRow]:
    """The case's checklist in the page's language, each item with its tick if it has one."""
    rows = []
    for index, item in enumerate(case.checklist):
        wording = item.get("zh") if normalise_language(ctx.lang) == "zh" else item.get("en")
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
def environment() -> Environment:
    """The templates' environment: autoescaped, and failing loudly on an undefined name.

    Templates are read once per process (a deployment restarts the app).
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        t=_bound(text), root=PAGE_ROOT, note_max_length=NOTE_MAX_LENGTH,
        search_max_length=SEARCH_MAX_LENGTH, person=_bound(person_text),
        reach=_bound(reach_text), view_query=view_query,
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
    env = environment()
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
    page = environment().get_template(template)
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
        state_choices=[(s, text(ctx, f"state_{s}")) for s in STATES],
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


def message_page(ctx: PageContext, title_key: str, message_key: str,
                 **values: object) -> str:
    """A page that only says something (not found, form expired)."""
    return render(ctx, "message.html", title=text(ctx, title_key),
                  message=text(ctx, message_key, **values))
