"""HTML of the staff page, in English and Chinese: sign-in, the queue, one case.

Plain server-rendered HTML with a little CSS (no JavaScript). Every value that comes from the
store or the request goes through ``html.escape``; free text (facts, notes) is masked again
with ``mask_identifiers`` on the way out, so a passport number typed into a status note is
not shown either. Times are shown in China time, the office's clock.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from office.case_types import CASE_TYPES, STATUSES, TRANSITIONS, Label, fact_label, is_chinese
from office.log_masking import mask_identifiers
from office.models import Case, CaseEvent, Person
from office.notifications import can_be_pushed
from office.reminders import china_clock
from office.staff_queue import (
    SEARCH_MAX_LENGTH,
    STATES,
    QueueView,
    page_count,
    view_query,
)

PAGE_ROOT = "/staff"
NOTE_MAX_LENGTH = 2000

TEXTS: Mapping[str, Label] = MappingProxyType({
    "brand": Label("International office · requests", "国际处 · 申请办理"),
    "skip": Label("Skip to the content", "跳到正文"),
    "switch": Label("中文", "English"),
    "signed_in_as": Label("Signed in as {name}", "当前用户：{name}"),
    "sign_out": Label("Sign out", "退出登录"),
    "sign_in_title": Label("Staff sign-in", "工作人员登录"),
    "name_label": Label("Your name (recorded in the history of every change you make)",
                        "您的姓名（记入您所做每项变更的处理记录）"),
    "token_label": Label("Staff token", "工作人员令牌"),
    "sign_in": Label("Sign in", "登录"),
    "disabled": Label("Staff sign-in is switched off: STAFF_API_TOKEN is not set on the server.",
                      "工作人员登录未开启：服务器未设置 STAFF_API_TOKEN。"),
    "wrong_token": Label("Wrong staff token.", "工作人员令牌错误。"),
    "name_needed": Label("Please give your name.", "请填写您的姓名。"),
    "queue_title": Label("Requests", "申请列表"),
    "status": Label("Status", "状态"),
    "type": Label("Type", "类型"),
    "any": Label("Any", "全部"),
    "show": Label("Show", "筛选"),
    "reference": Label("Reference", "编号"),
    "institution": Label("Institution", "学校"),
    "updated": Label("Last update", "最近更新"),
    "opened": Label("Opened", "提交时间"),
    "china_time": Label("{clock} (China time)", "{clock}（北京时间）"),
    "count": Label("{count} request(s), page {page} of {pages}.",
                   "共 {count} 条申请，第 {page} 页，共 {pages} 页。"),
    "search": Label("Search: reference or the person's id", "搜索：编号或申请人编号"),
    "state": Label("Open or finished", "办理中/已结束"),
    "state_open": Label("Open (work left)", "办理中"),
    "state_finished": Label("Finished (rejected, done or closed)",
                            "已结束（未获批准、已办结或已关闭）"),
    "sort": Label("Order", "排序"),
    "sort_oldest": Label("Oldest first", "最早的在前"),
    "sort_newest": Label("Newest first", "最新的在前"),
    "pages": Label("Pages", "分页"),
    "page_of": Label("page {page} of {pages}", "第 {page} 页，共 {pages} 页"),
    "previous": Label("← Previous page", "← 上一页"),
    "next": Label("Next page →", "下一页 →"),
    "export": Label("Export these requests as CSV", "将这些申请导出为 CSV"),
    "empty": Label("No request matches.", "没有符合条件的申请。"),
    "back": Label("← All requests", "← 返回申请列表"),
    "facts": Label("Facts", "申请信息"),
    "no_facts": Label("No facts were given.", "未填写申请信息。"),
    "checklist": Label("Checklist", "材料清单"),
    "no_checklist": Label("The regulations list no documents for this request at this "
                          "institution.", "该校规定未列出此类申请所需的材料。"),
    "done": Label("done", "已完成"),
    "to_do": Label("to do", "待办"),
    "change_status": Label("Change status", "变更状态"),
    "new_status": Label("New status", "新状态"),
    "choose": Label("Choose…", "请选择…"),
    "status_note": Label("Note for the person (sent to them with the new status)",
                         "给申请人的留言（随新状态一并发送给本人）"),
    "final": Label("This request is closed: its status cannot change any more.",
                   "该申请已关闭，状态不能再变更。"),
    "add_note": Label("Add an internal note", "添加内部备注"),
    "note_label": Label("Note (kept in the history; the person is not told)",
                        "备注（记入处理记录，不通知申请人）"),
    "note_button": Label("Add note", "添加备注"),
    "history": Label("History", "处理记录"),
    "when": Label("When", "时间"),
    "who": Label("Who", "操作人"),
    "what": Label("What", "内容"),
    "note": Label("Note", "备注"),
    "status_changed": Label("Status changed. The person will be told through their channel.",
                            "状态已变更，系统将通过申请人的渠道通知本人。"),
    "note_added": Label("Note added.", "备注已添加。"),
    "person": Label("Person", "申请人"),
    "reached": Label("Reached by", "联系渠道"),
    "channel_telegram": Label("Telegram", "Telegram"),
    "channel_socketio": Label("web chat", "网页聊天"),
    "channel_rest": Label("REST API", "REST 接口"),
    "pushed": Label("{channel}: messages are sent to them", "{channel}：消息会发送给本人"),
    "unreachable": Label("{channel}: cannot be reached; they will see it when they ask",
                         "{channel}：无法主动联系；本人询问时会看到"),
    "reply": Label("Reply to the person", "回复申请人"),
    "reply_label": Label("Message (sent to the person; the status stays as it is)",
                         "留言（发送给申请人，状态不变）"),
    "reply_button": Label("Send reply", "发送回复"),
    "reply_sent": Label("Reply recorded. It is sent through the person's channel if it can "
                        "reach them.", "回复已记录，如渠道可达将发送给本人。"),
    "empty_reply": Label("A reply needs some text.", "回复不能为空。"),
    "assigned_to": Label("Assigned to", "负责人"),
    "nobody": Label("nobody", "无"),
    "mine": Label("Only requests assigned to me", "只看分配给我的申请"),
    "take": Label("Assign to me", "分配给我"),
    "give_back": Label("Unassign", "取消分配"),
    "assigned": Label("Assignment changed.", "分配已变更。"),
    "not_allowed": Label("That change is not allowed from the current status ({status}). "
                         "Choose one of the statuses offered below.",
                         "当前状态（{status}）不允许该变更，请从下方所列状态中选择。"),
    "empty_note": Label("A note needs some text.", "备注不能为空。"),
    "not_found_title": Label("No such request", "找不到该申请"),
    "not_found": Label("There is no request {reference}.", "没有编号为 {reference} 的申请。"),
    "csrf_title": Label("Form expired", "表单已失效"),
    "csrf": Label("This form has expired or did not come from this page. Go back, reload the "
                  "page and try again.", "表单已失效或并非来自本页面。请返回并刷新页面后重试。"),
})

CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",
"Microsoft YaHei",sans-serif;color:#1b1f24;background:#f6f7f9}
a{color:#0b5cad}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem}
header{background:#123a63;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;
gap:.5rem 1rem;align-items:center;justify-content:space-between}
header a{color:#fff}header form,form.inline{display:inline}
.brand{font-weight:600;text-decoration:none}
nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}section>h2:first-child{margin-top:0}
section,.card{background:#fff;border:1px solid #d5d9e0;border-radius:.5rem;padding:1rem;
margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,textarea,button{font:inherit;max-width:100%}
input[type=text],input[type=password],select,textarea{width:100%;padding:.5rem;
border:1px solid #8a94a3;border-radius:.25rem;background:#fff}
textarea{min-height:5rem}
button{min-height:2.75rem;padding:.5rem 1rem;margin-top:.75rem;border:0;border-radius:.25rem;
background:#0b5cad;color:#fff;cursor:pointer}
header button{margin:0;min-height:2.25rem;background:#fff;color:#123a63}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
.filters>div{flex:1 1 12rem}
.pages{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #d5d9e0;vertical-align:top;
overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.notice{padding:.75rem 1rem;border-radius:.25rem;margin:0 0 1rem;background:#e3f1e5;
border:1px solid #7bb386}
.error{background:#fbe7e7;border-color:#d27b7b}
.status{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e8eef6;
white-space:nowrap}
ul.checklist{padding-left:1.25rem}
.source{color:#4f5967}
@media (max-width:40rem){
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid #d5d9e0;border-radius:.5rem;margin:0 0 .75rem;padding:.25rem}
 table.stack td{border:0;padding:.25rem .5rem}
 table.stack td::before{content:attr(data-label);display:block;font-size:.85rem;color:#4f5967}
 dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}
}
"""
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class PageContext:
    """What every page needs: language, the link to the other one, who is signed in."""

    lang: str
    switch_url: str
    staff_name: str | None = None
    csrf: str | None = None


def esc(value: object) -> str:
    """``value`` as HTML text (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


def text(ctx: PageContext, key: str, **values: object) -> str:
    """One of ``TEXTS`` in the page's language, escaped, with escaped ``values`` filled in."""
    return esc(TEXTS[key].get(ctx.lang)).format(**{k: esc(v) for k, v in values.items()})


def china_time(ctx: PageContext, moment: datetime) -> str:
    """A stored (naive UTC) timestamp as China time, saying so: "2026-12-07 14:05 (China
    time)"."""
    return text(ctx, "china_time", clock=china_clock(moment))


def status_label(ctx: PageContext, status: str | None) -> str:
    """A status in the page's language (the code itself when unknown)."""
    if status is None:
        return "—"
    return esc(STATUSES[status].get(ctx.lang)) if status in STATUSES else esc(status)


def type_label(ctx: PageContext, case_type: str) -> str:
    """A case type in the page's language (the code itself when unknown)."""
    kind = CASE_TYPES.get(case_type)
    return esc(kind.label.get(ctx.lang)) if kind else esc(case_type)


def channel_name(ctx: PageContext, channel: str) -> str:
    """A channel's name in the page's language, plain text (the code itself when unknown)."""
    label = TEXTS.get(f"channel_{channel}")
    return label.get(ctx.lang) if label else channel


def person_text(ctx: PageContext, person: Person) -> str:
    """Who opened a case: their number in the store (what search takes), channel and id."""
    return f"#{person.id} · {esc(channel_name(ctx, person.channel))} {esc(person.channel_user_id)}"


def reach_text(ctx: PageContext, person: Person) -> str:
    """Whether the office's messages reach the person, and through which channel."""
    key = "pushed" if can_be_pushed(person) else "unreachable"
    return text(ctx, key, channel=channel_name(ctx, person.channel))


def hidden_csrf(token: str) -> str:
    """The hidden field every POST form carries."""
    return f'<input type="hidden" name="csrf" value="{esc(token)}">'


def layout(ctx: PageContext, title: str, body: str) -> str:
    """The whole document around ``body``; ``title`` is plain text (escaped here)."""
    html_lang = "zh-CN" if is_chinese(ctx.lang) else "en"
    other = "en" if is_chinese(ctx.lang) else "zh-CN"
    nav = [f'<a href="{esc(ctx.switch_url)}" lang="{other}" hreflang="{other}">'
           f'{text(ctx, "switch")}</a>']
    if ctx.staff_name is not None and ctx.csrf is not None:
        nav.append(f'<span>{text(ctx, "signed_in_as", name=ctx.staff_name)}</span>')
        nav.append(f'<form method="post" action="{PAGE_ROOT}/sign-out">{hidden_csrf(ctx.csrf)}'
                   f'<button type="submit">{text(ctx, "sign_out")}</button></form>')
    return (
        f'<!doctype html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)} · {text(ctx, "brand")}</title><style>{CSS}</style></head><body>'
        f'<a class="skip" href="#main">{text(ctx, "skip")}</a>'
        f'<header><a class="brand" href="{PAGE_ROOT}/">{text(ctx, "brand")}</a>'
        f'<nav>{"".join(nav)}</nav></header>'
        f'<main id="main">{body}</main></body></html>'
    )


def notice(message: str | None, *, error: bool = False) -> str:
    """A status line (``role=status``) or error (``role=alert``); message already escaped."""
    if not message:
        return ""
    role, kind = ("alert", "notice error") if error else ("status", "notice")
    return f'<p class="{kind}" role="{role}">{message}</p>'


def sign_in_page(
    ctx: PageContext, *, csrf: str, next_path: str, name: str = "", error: str | None = None,
    disabled: bool = False,
) -> str:
    """The sign-in form (or why sign-in is off)."""
    title = TEXTS["sign_in_title"].get(ctx.lang)
    if disabled:
        refusal = notice(text(ctx, "disabled"), error=True)
        return layout(ctx, title, f"<h1>{esc(title)}</h1>{refusal}")
    body = (
        f"<h1>{esc(title)}</h1>{notice(error, error=True)}"
        f'<form class="card" method="post" action="{PAGE_ROOT}/sign-in">{hidden_csrf(csrf)}'
        f'<input type="hidden" name="next" value="{esc(next_path)}">'
        f'<label for="name">{text(ctx, "name_label")}</label>'
        f'<input type="text" id="name" name="name" value="{esc(name)}" required maxlength="100" '
        'autocomplete="name">'
        f'<label for="token">{text(ctx, "token_label")}</label>'
        '<input type="password" id="token" name="token" required autocomplete="current-password">'
        f'<button type="submit">{text(ctx, "sign_in")}</button></form>'
    )
    return layout(ctx, title, body)


def _options(ctx: PageContext, choices: Iterable[tuple[str, str]], chosen: str | None,
             empty_label: str) -> str:
    """``<option>`` elements: an empty first one, then ``(value, escaped label)`` pairs."""
    options = [f'<option value="">{empty_label}</option>']
    for value, label in choices:
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{esc(value)}"{selected}>{label}</option>')
    return "".join(options)


def queue_page(ctx: PageContext, cases: Sequence[Case], total: int, view: QueueView) -> str:
    """The queue: search and filters, one page of cases, links to the other pages."""
    title = TEXTS["queue_title"].get(ctx.lang)
    pages = page_count(total)
    count = text(ctx, "count", count=total, page=view.page, pages=pages)
    export = (f'<p><a href="{PAGE_ROOT}/export.csv?{esc(view_query(view, page=1))}" download>'
              f'{text(ctx, "export")}</a></p>')
    body = (f'<h1>{esc(title)}</h1>{_queue_filters(ctx, view)}<p role="status">{count}</p>'
            f"{_page_links(ctx, view, pages)}")
    body += _queue_table(ctx, cases) if cases else f"<p>{text(ctx, 'empty')}</p>"
    return layout(ctx, title, body + _page_links(ctx, view, pages) + export)


def _queue_filters(ctx: PageContext, view: QueueView) -> str:
    """The search box and the filters, a plain GET form (works without JavaScript)."""
    where = view.where
    statuses = _options(ctx, ((s, status_label(ctx, s)) for s in STATUSES), where.status,
                        text(ctx, "any"))
    types = _options(ctx, ((t, type_label(ctx, t)) for t in CASE_TYPES), where.case_type,
                     text(ctx, "any"))
    states = _options(ctx, ((s, text(ctx, f"state_{s}")) for s in STATES), where.state,
                      text(ctx, "any"))
    orders = _options(ctx, [("newest", text(ctx, "sort_newest"))],
                      "newest" if where.newest_first else None, text(ctx, "sort_oldest"))

    def choice(name: str, key: str, options: str) -> str:
        return (f'<div><label for="{name}">{text(ctx, key)}</label>'
                f'<select id="{name}" name="{name}">{options}</select></div>')

    return (
        f'<form class="card filters" method="get" action="{PAGE_ROOT}/">'
        f'<div><label for="q">{text(ctx, "search")}</label>'
        f'<input type="text" id="q" name="q" value="{esc(where.search or "")}" '
        f'maxlength="{SEARCH_MAX_LENGTH}"></div>'
        f'{choice("state", "state", states)}{choice("status", "status", statuses)}'
        f'{choice("type", "type", types)}{choice("sort", "sort", orders)}'
        f'<div><label><input type="checkbox" name="mine" value="1"'
        f'{" checked" if where.assigned_to is not None else ""}> {text(ctx, "mine")}</label></div>'
        f'<div><button type="submit">{text(ctx, "show")}</button></div></form>'
    )


def _page_links(ctx: PageContext, view: QueueView, pages: int) -> str:
    """"Previous" and "next" links around "page 2 of 9" (nothing when one page holds all)."""
    if pages == 1:
        return ""
    links = []
    if view.page > 1:
        links.append(f'<a href="{PAGE_ROOT}/?{esc(view_query(view, page=view.page - 1))}" '
                     f'rel="prev">{text(ctx, "previous")}</a>')
    links.append(f"<span>{text(ctx, 'page_of', page=view.page, pages=pages)}</span>")
    if view.page < pages:
        links.append(f'<a href="{PAGE_ROOT}/?{esc(view_query(view, page=view.page + 1))}" '
                     f'rel="next">{text(ctx, "next")}</a>')
    return f'<nav class="pages" aria-label="{text(ctx, "pages")}">{"".join(links)}</nav>'


def _queue_table(ctx: PageContext, cases: Sequence[Case]) -> str:
    """The queue as a table (stacked into cards on a phone)."""
    columns = ("reference", "type", "status", "person", "assigned_to", "institution", "updated")
    head = "".join(f'<th scope="col">{text(ctx, c)}</th>' for c in columns)
    rows = []
    for case in cases:
        cells = (
            f'<a href="{PAGE_ROOT}/cases/{esc(case.reference)}">{esc(case.reference)}</a>',
            type_label(ctx, case.type),
            f'<span class="status">{status_label(ctx, case.status)}</span>',
            person_text(ctx, case.person),
            esc(case.assigned_to) if case.assigned_to else text(ctx, "nobody"),
            esc(case.institution),
            china_time(ctx, case.updated_at),
        )
        rows.append("<tr>" + "".join(
            f'<td data-label="{text(ctx, c)}">{cell}</td>' for c, cell in zip(columns, cells,
                                                                             strict=True)
        ) + "</tr>")
    return (f'<table class="stack"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def case_page(ctx: PageContext, case: Case, *, message: str | None = None,
              error: str | None = None) -> str:
    """One case: summary, facts, checklist, the two forms, the history."""
    title = f"{case.reference} · {CASE_TYPES[case.type].label.get(ctx.lang)}" \
        if case.type in CASE_TYPES else case.reference
    summary = (
        f'<section><dl><dt>{text(ctx, "status")}</dt><dd><span class="status">'
        f'{status_label(ctx, case.status)}</span></dd>'
        f'<dt>{text(ctx, "type")}</dt><dd>{type_label(ctx, case.type)}</dd>'
        f'<dt>{text(ctx, "person")}</dt><dd>{person_text(ctx, case.person)}</dd>'
        f'<dt>{text(ctx, "reached")}</dt><dd>{reach_text(ctx, case.person)}</dd>'
        f'<dt>{text(ctx, "assigned_to")}</dt><dd>{_assignment(ctx, case)}</dd>'
        f'<dt>{text(ctx, "institution")}</dt><dd>{esc(case.institution)}</dd>'
        f'<dt>{text(ctx, "opened")}</dt><dd>{china_time(ctx, case.created_at)}</dd>'
        f'<dt>{text(ctx, "updated")}</dt><dd>{china_time(ctx, case.updated_at)}</dd></dl></section>'
    )
    body = (
        f'<p><a href="{PAGE_ROOT}/">{text(ctx, "back")}</a></p><h1>{esc(title)}</h1>'
        f"{notice(message)}{notice(error, error=True)}{summary}{_facts(ctx, case)}"
        f"{_checklist(ctx, case)}{_status_form(ctx, case)}{_reply_form(ctx, case)}"
        f"{_note_form(ctx, case)}"
        f"{_history(ctx, case.events)}"
    )
    return layout(ctx, title, body)


def _facts(ctx: PageContext, case: Case) -> str:
    """The facts the person gave, masked."""
    if not case.facts:
        return f'<section><h2>{text(ctx, "facts")}</h2><p>{text(ctx, "no_facts")}</p></section>'
    rows = "".join(f"<dt>{esc(fact_label(case.type, name).get(ctx.lang))}</dt>"
                   f"<dd>{esc(mask_identifiers(str(value)))}</dd>"
                   for name, value in case.facts.items())
    return f'<section><h2>{text(ctx, "facts")}</h2><dl>{rows}</dl></section>'


def _checklist(ctx: PageContext, case: Case) -> str:
    """The checklist with each item's article."""
    if not case.checklist:
        items = f'<p>{text(ctx, "no_checklist")}</p>'
    else:
        lines = []
        for item in case.checklist:
            state = text(ctx, "done" if item.get("done") else "to_do")
            wording = item.get("zh") if is_chinese(ctx.lang) else item.get("en")
            lines.append(f"<li>{esc(wording or '')} <span class=\"source\">"
                         f"({esc(item.get('source') or '')})</span> — {state}</li>")
        items = f'<ul class="checklist">{"".join(lines)}</ul>'
    return f'<section><h2>{text(ctx, "checklist")}</h2>{items}</section>'


def _status_form(ctx: PageContext, case: Case) -> str:
    """The status form, offering only the moves ``TRANSITIONS`` allows from here."""
    allowed = [s for s in STATUSES if s in TRANSITIONS.get(case.status, frozenset())]
    heading = f'<h2 id="change-status">{text(ctx, "change_status")}</h2>'
    if not allowed:
        return f"<section>{heading}<p>{text(ctx, 'final')}</p></section>"
    options = _options(ctx, ((s, status_label(ctx, s)) for s in allowed), None,
                       text(ctx, "choose"))
    return (
        f'<section aria-labelledby="change-status">{heading}'
        f'<form method="post" action="{PAGE_ROOT}/cases/{esc(case.reference)}/status">'
        f"{hidden_csrf(ctx.csrf or '')}"
        f'<label for="new-status">{text(ctx, "new_status")}</label>'
        f'<select id="new-status" name="status" required>{options}</select>'
        f'<label for="status-note">{text(ctx, "status_note")}</label>'
        f'<textarea id="status-note" name="note" maxlength="{NOTE_MAX_LENGTH}"></textarea>'
        f'<button type="submit">{text(ctx, "change_status")}</button></form></section>'
    )


def _assignment(ctx: PageContext, case: Case) -> str:
    """Who has the case, with a button to take it (or to give it back when it is yours)."""
    mine = case.assigned_to is not None and case.assigned_to == ctx.staff_name
    to, label = ("nobody", "give_back") if mine else ("me", "take")
    who = esc(case.assigned_to) if case.assigned_to else text(ctx, "nobody")
    return (f'{who} <form class="inline" method="post" '
            f'action="{PAGE_ROOT}/cases/{esc(case.reference)}/assign">'
            f"{hidden_csrf(ctx.csrf or '')}<input type=\"hidden\" name=\"to\" value=\"{to}\">"
            f'<button type="submit">{text(ctx, label)}</button></form>')


def _reply_form(ctx: PageContext, case: Case) -> str:
    """The form sending the person a message without changing the status."""
    return (
        f'<section aria-labelledby="reply"><h2 id="reply">{text(ctx, "reply")}</h2>'
        f'<p>{reach_text(ctx, case.person)}</p>'
        f'<form method="post" action="{PAGE_ROOT}/cases/{esc(case.reference)}/reply">'
        f"{hidden_csrf(ctx.csrf or '')}"
        f'<label for="reply-text">{text(ctx, "reply_label")}</label>'
        f'<textarea id="reply-text" name="text" required maxlength="{NOTE_MAX_LENGTH}">'
        f'</textarea><button type="submit">{text(ctx, "reply_button")}</button></form>'
        "</section>"
    )


def _note_form(ctx: PageContext, case: Case) -> str:
    """The form adding an internal note."""
    return (
        f'<section aria-labelledby="add-note"><h2 id="add-note">{text(ctx, "add_note")}</h2>'
        f'<form method="post" action="{PAGE_ROOT}/cases/{esc(case.reference)}/notes">'
        f"{hidden_csrf(ctx.csrf or '')}"
        f'<label for="note-text">{text(ctx, "note_label")}</label>'
        f'<textarea id="note-text" name="text" required maxlength="{NOTE_MAX_LENGTH}">'
        f'</textarea><button type="submit">{text(ctx, "note_button")}</button></form></section>'
    )


def _history(ctx: PageContext, events: Sequence[CaseEvent]) -> str:
    """The audit trail, oldest first, notes masked."""
    columns = ("when", "who", "what", "note")
    head = "".join(f'<th scope="col">{text(ctx, c)}</th>' for c in columns)
    rows = []
    for event in events:
        if event.field == "status":
            what = f"{status_label(ctx, event.old)} → {status_label(ctx, event.new)}"
        elif event.field == "assigned_to":
            what = f"{text(ctx, 'assigned_to')}: {esc(event.new or '—')}"
        else:
            what = text(ctx, event.field) if event.field in ("note", "reply") \
                else esc(event.field)
        cells = (china_time(ctx, event.at), esc(event.actor), what,
                 esc(mask_identifiers(event.note or "")))
        rows.append("<tr>" + "".join(
            f'<td data-label="{text(ctx, c)}">{cell}</td>'
            for c, cell in zip(columns, cells, strict=True)) + "</tr>")
    return (f'<section aria-labelledby="history"><h2 id="history">{text(ctx, "history")}</h2>'
            f'<table class="stack"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def message_page(ctx: PageContext, title_key: str, message_key: str,
                 **values: object) -> str:
    """A page that only says something (not found, form expired)."""
    title = TEXTS[title_key].get(ctx.lang)
    body = (f"<h1>{esc(title)}</h1>{notice(text(ctx, message_key, **values), error=True)}"
            f'<p><a href="{PAGE_ROOT}/">{text(ctx, "back")}</a></p>')
    return layout(ctx, title, body)
