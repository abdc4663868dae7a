"""Staff command line: work the queue of requests (``python -m staff.cli --help``).

    python -m staff.cli list --status submitted --type lost_document
    python -m staff.cli show CPU-2026-000123
    python -m staff.cli set-status CPU-2026-000123 needs_information --note "Bring the lease"
    python -m staff.cli note CPU-2026-000123 "Called the student"
    python -m staff.cli reply CPU-2026-000123 "Your letter is ready at room 101"
    python -m staff.cli export cases.csv --status approved

The staff credential is the staff API's token: STAFF_API_TOKEN must be set in the
environment (as for the staff API; unset, every command is refused) and you give the same
token, typed at a hidden prompt or, for scripts, on the first line of standard input with
--token-stdin:

    python -m staff.cli list                        # asks "Staff token:"
    python -m staff.cli --token-stdin export all.csv < /etc/office/staff-token

A wrong or missing token exits with status 3 before the database is opened. Every change is
recorded under --actor (default: the login name) and the person is told about status
changes through their channel.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import hmac
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from casestore.case_types import CASE_TYPES, STATUSES, TRANSITIONS, fact_label
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
from casestore.export import EXPORT_COLUMNS, export_rows
from casestore.models import Case
from config.log_masking import install_log_masking
from config.settings import load_settings
from reminders.schedule import china_clock

CHINA = "(China time)"
"""Said after every time the CLI prints: the store keeps UTC, the office reads China time."""
PROGRESS_FROM_ROWS = 500
"""Exports with at least this many cases show a progress bar (on stderr)."""


def _filter(args: argparse.Namespace) -> QueueFilter:
    """The queue filter the --search/--status/--state/--type/--institution/--newest options
    name."""
    return QueueFilter(status=args.status, case_type=args.type, institution=args.institution,
                       state=args.state, search=args.search, newest_first=args.newest)


def _queue(session: Session, args: argparse.Namespace, limit: int | None = None) -> list[Case]:
    """The cases matching the filter options, oldest first unless --newest."""
    return list_cases(session, _filter(args), limit=limit)


def cmd_list(session: Session, args: argparse.Namespace, out: TextIO) -> int:
    """Print the queue as a table."""
    cases = _queue(session, args, args.limit)
    out.write(f"{'REFERENCE':<18} {'STATUS':<18} {'TYPE':<34} UPDATED\n")
    for case in cases:
        out.write(f"{case.reference:<18} {case.status:<18} {case.type:<34} "
                  f"{china_clock(case.updated_at)} {CHINA}\n")
    out.write(f"{len(cases)} case(s)\n")
    return 0


def cmd_show(session: Session, args: argparse.Namespace, out: TextIO) -> int:
    """Print one case with its facts, checklist and history."""
    case = find_case(session, args.reference)
    if case is None:
        return _not_found(args.reference)
    label = CASE_TYPES[case.type].label.en if case.type in CASE_TYPES else case.type
    out.write(f"{case.reference}  {label}\nstatus: {case.status}  "
              f"opened: {china_clock(case.created_at)} {CHINA}  institution: {case.institution}\n")
    out.write("facts:\n")
    for name, value in case.facts.items():
        out.write(f"  {fact_label(case.type, name).en}: {value}\n")
    out.write("checklist:\n")
    for item in case.checklist:
        out.write(f"  [{'x' if item.get('done') else ' '}] {item['en']} ({item['source']})\n")
    out.write("history:\n")
    for event in case.events:
        change = f"{event.old} -> {event.new}" if event.field == "status" else event.field
        out.write(f"  {china_clock(event.at)} {CHINA} {event.actor}: {change}"
                  f"{' - ' + event.note if event.note else ''}\n")
    return 0


def cmd_set_status(session: Session, args: argparse.Namespace, out: TextIO) -> int:
    """Change a case's status with a note; the person is notified."""
    case = find_case(session, args.reference)
    if case is None:
        return _not_found(args.reference)
    old = case.status
    change_status(session, case, args.status, f"staff:{args.actor}", args.note)
    out.write(f"{case.reference}: {old} -> {case.status}\n")
    return 0


def cmd_reply(session: Session, args: argparse.Namespace, out: TextIO) -> int:
    """Send the person a message about their case; the status stays."""
    case = find_case(session, args.reference)
    if case is None:
        return _not_found(args.reference)
    reply_to_person(session, case, actor=f"staff:{args.actor}", text=args.text)
    out.write(f"{case.reference}: reply queued for the person\n")
    return 0


def cmd_note(session: Session, args: argparse.Namespace, out: TextIO) -> int:
    """Add a staff note to a case."""
    case = find_case(session, args.reference)
    if case is None:
        return _not_found(args.reference)
    add_note(session, case, actor=f"staff:{args.actor}", text=args.text)
    out.write(f"{case.reference}: note added\n")
    return 0


def cmd_export(session: Session, args: argparse.Namespace, out: TextIO) -> int:
    """Write the filtered cases to a CSV file, with a progress bar on long exports."""
    total = count_cases(session, _filter(args))
    show_bar = args.progress if args.progress is not None else total >= PROGRESS_FROM_ROWS
    cases = _queue(session, args)
    with Path(args.file).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        bar = tqdm(export_rows(iter(cases)), total=total, unit="case", desc="export",
                   disable=not show_bar, file=sys.stderr)
        for row in bar:
            writer.writerow(row)
    out.write(f"exported {total} case(s) to {args.file}\n")
    return 0


def cmd_statuses(_session: Session, _args: argparse.Namespace, out: TextIO) -> int:
    """Print the statuses and where each may go next."""
    for status, label in STATUSES.items():
        targets = ", ".join(sorted(TRANSITIONS[status])) or "-"
        out.write(f"{status:<18} {label.en} / {label.zh}  -> {targets}\n")
    return 0


def cmd_types(_session: Session, _args: argparse.Namespace, out: TextIO) -> int:
    """Print the case types with the facts each needs."""
    for case_type in CASE_TYPES.values():
        out.write(f"{case_type.id:<34} {case_type.audience:<8} {case_type.label.en} / "
                  f"{case_type.label.zh}  needs: {', '.join(case_type.required_fields)}\n")
    return 0


CREDENTIAL_REFUSED = 3
"""Exit status when the staff token is not configured, not given or wrong."""


def credential_problem(
    configured: str | None, args: argparse.Namespace, stdin: TextIO,
    prompt: Callable[[str], str] = getpass.getpass,
) -> str | None:
    """Why the caller may not run a command (None when the token they give is right).

    The token comes from the first line of ``stdin`` with --token-stdin, else from a hidden
    prompt when ``stdin`` is a terminal; it is compared in constant time.
    """
    if configured is None:
        return ("STAFF_API_TOKEN is not set: the staff CLI, like the staff API, refuses to work "
                "without a staff credential")
    if args.token_stdin:
        given = stdin.readline().strip()
    elif stdin.isatty():
        given = prompt("Staff token: ").strip()
    else:
        return ("no staff token given: run on a terminal to be asked for it, or pass "
                "--token-stdin and write it on standard input")
    if not given or not hmac.compare_digest(given.encode(), configured.encode()):
        return "wrong staff token (it must equal STAFF_API_TOKEN)"
    return None


def _not_found(reference: str) -> int:
    """Report an unknown reference; exit status 2."""
    sys.stderr.write(f"no case with reference {reference}\n")
    return 2


Command = Callable[[Session, argparse.Namespace, TextIO], int]


def _add_filters(parser: argparse.ArgumentParser) -> None:
    """The filter options shared by list and export."""
    parser.add_argument("--search", help="a reference (or part of one) or the person's id "
                                         "(42, telegram:5123)")
    parser.add_argument("--state", choices=("open", "finished"),
                        help="open: work left; finished: rejected, done or closed")
    parser.add_argument("--newest", action="store_true", help="newest first")
    parser.add_argument("--status", choices=sorted(STATUSES))
    parser.add_argument("--type", choices=sorted(CASE_TYPES))
    parser.add_argument("--institution", help="institution code, e.g. CPU")


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m staff.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: DATABASE_URL")
    parser.add_argument("--actor", default=getpass.getuser(), help="name recorded in the history")
    parser.add_argument("--token-stdin", action="store_true",
                        help="read the staff token (STAFF_API_TOKEN's value) from the first "
                             "line of standard input instead of asking for it")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list cases")
    _add_filters(listing)
    listing.add_argument("--limit", type=int)
    listing.set_defaults(run=cmd_list)
    show = commands.add_parser("show", help="show one case with its history")
    show.add_argument("reference")
    show.set_defaults(run=cmd_show)
    status = commands.add_parser("set-status", help="change a case's status")
    status.add_argument("reference")
    status.add_argument("status", choices=sorted(STATUSES))
    status.add_argument("--note", help="told to the person with the new status")
    status.set_defaults(run=cmd_set_status)
    reply = commands.add_parser("reply", help="send the person a message (status unchanged)")
    reply.add_argument("reference")
    reply.add_argument("text")
    reply.set_defaults(run=cmd_reply)
    note = commands.add_parser("note", help="add an internal note to a case")
    note.add_argument("reference")
    note.add_argument("text")
    note.set_defaults(run=cmd_note)
    export = commands.add_parser("export", help="export cases to CSV")
    export.add_argument("file")
    _add_filters(export)
    export.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help=f"progress bar (default: from {PROGRESS_FROM_ROWS} cases)")
    export.set_defaults(run=cmd_export)
    commands.add_parser("statuses", help="list statuses").set_defaults(run=cmd_statuses)
    commands.add_parser("types", help="list case types").set_defaults(run=cmd_types)
    return parser


def run(args: argparse.Namespace, factory: sessionmaker[Session], out: TextIO) -> int:
    """Run one command in one transaction (rolled back when it fails)."""
    command: Command = args.run
    try:
        with factory.begin() as session:
            return command(session, args, out)
    except CaseError as error:
        sys.stderr.write(f"refused: {error}\n")
        return 1


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Entry point of ``python -m staff.cli``."""
    install_log_masking()
    args = build_parser().parse_args(argv)
    settings = load_settings()
    problem = credential_problem(settings.staff_api_token, args, sys.stdin)
    if problem is not None:
        sys.stderr.write(f"refused: {problem}\n")
        return CREDENTIAL_REFUSED
    url = args.database_url or settings.database_url
    migrate(url)
    engine: Engine = make_engine(url)
    try:
        return run(args, make_session_factory(engine), out)
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
