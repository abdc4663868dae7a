"""The staff command line, run as a real process against a real database."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import change_status, find_case, get_or_create_person, open_case
from casestore.notifications import pending_notifications
from staff.cli import CREDENTIAL_REFUSED, credential_problem
from tests.preloaded import run_module

TODAY = date(2026, 3, 9)
TOKEN = "cli-staff-token-93a1"


def _staff(env: dict[str, str], *args: str, token: str | None = TOKEN,
           configured: str | None = TOKEN) -> subprocess.CompletedProcess[str]:
    """Run the CLI as staff do in scripts: the token on standard input (--token-stdin)."""
    env = {**env, "STAFF_API_TOKEN": configured} if configured is not None else env
    given = ["--token-stdin"] if token is not None else []
    return run_module("staff.cli", "--actor", "ann", *given, *args, env=env,
                      input=f"{token}\n" if token is not None else None)


def _seed(factory: sessionmaker[Session]) -> None:
    """Three cases: two lost documents at CPU (one in review), one partnership at Westlake."""
    with factory.begin() as session:
        student = get_or_create_person(session, channel="telegram", channel_user_id="s1",
                                       language="en")
        lecturer = get_or_create_person(session, channel="web", channel_user_id="t1",
                                        role="staff")
        lost = {"document": "passport", "what_happened": "lost", "noticed_on": TODAY}
        first = open_case(session, person=student, case_type="lost_document",
                          institution="CPU", facts=lost, today=TODAY)
        open_case(session, person=student, case_type="lost_document", institution="CPU",
                  facts={**lost, "what_happened": "damaged"}, today=TODAY)
        open_case(session, person=lecturer, case_type="partnership_enquiry",
                  institution="WESTLAKE", facts={"partner": "ETH", "kind": "exchange"},
                  today=TODAY)
        change_status(session, first, "in_review", "staff:bo", notify=False)


def test_listing_filters_the_queue_by_status_and_type(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    everything = _staff(subprocess_env, "list")
    assert everything.returncode == 0, everything.stderr
    assert "3 case(s)" in everything.stdout
    in_review = _staff(subprocess_env, "list", "--status", "in_review")
    assert "CPU-2026-000001" in in_review.stdout and "CPU-2026-000002" not in in_review.stdout
    partnerships = _staff(subprocess_env, "list", "--type", "partnership_enquiry")
    assert "WESTLAKE-2026-000001" in partnerships.stdout and "1 case(s)" in partnerships.stdout
    searched = _staff(subprocess_env, "list", "--search", "telegram:s1", "--newest")
    assert searched.stdout.index("CPU-2026-000002") < searched.stdout.index("CPU-2026-000001")
    assert "WESTLAKE" not in searched.stdout and "2 case(s)" in searched.stdout


def test_show_prints_facts_checklist_with_articles_and_history(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    shown = _staff(subprocess_env, "show", "cpu-2026-000001")
    assert shown.returncode == 0, shown.stderr
    assert "Lost or damaged passport or permit" in shown.stdout
    assert "What happened: lost" in shown.stdout
    assert "(CPU Art. 13)" in shown.stdout
    assert "staff:bo: submitted -> in_review" in shown.stdout


def test_changing_a_status_records_the_staff_member_and_tells_the_person(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    changed = _staff(subprocess_env, "set-status", "CPU-2026-000001", "needs_information",
                     "--note", "Please bring the police record")
    assert changed.returncode == 0, changed.stderr
    assert "CPU-2026-000001: in_review -> needs_information" in changed.stdout
    with factory.begin() as session:
        case = find_case(session, "CPU-2026-000001")
        assert case is not None and case.status == "needs_information"
        last = case.events[-1]
        assert (last.actor, last.note) == ("staff:ann", "Please bring the police record")
        [message] = pending_notifications(session, "telegram")
        assert "needs information" in message.text and "police record" in message.text


def test_a_move_the_workflow_forbids_is_refused_and_changes_nothing(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    refused = _staff(subprocess_env, "set-status", "CPU-2026-000002", "done")
    assert refused.returncode == 1
    assert "not allowed" in refused.stderr
    missing = _staff(subprocess_env, "show", "CPU-2026-000099")
    assert missing.returncode == 2 and "no case with reference" in missing.stderr
    with factory.begin() as session:
        case = find_case(session, "CPU-2026-000002")
        assert case is not None and case.status == "submitted" and len(case.events) == 1


def test_a_staff_note_goes_into_the_history(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    noted = _staff(subprocess_env, "note", "WESTLAKE-2026-000001", "Met the partner")
    assert noted.returncode == 0, noted.stderr
    with factory.begin() as session:
        case = find_case(session, "WESTLAKE-2026-000001")
        assert case is not None
        assert [(e.actor, e.field, e.note) for e in case.events][-1] == (
            "staff:ann", "note", "Met the partner")


def test_export_writes_the_filtered_cases_to_csv_with_a_progress_bar(
    factory: sessionmaker[Session], subprocess_env: dict[str, str], tmp_path: Path,
) -> None:
    _seed(factory)
    target = tmp_path / "lost.csv"
    exported = _staff(subprocess_env, "export", str(target), "--type", "lost_document",
                      "--progress")
    assert exported.returncode == 0, exported.stderr
    assert "exported 2 case(s)" in exported.stdout
    assert "2/2" in exported.stderr  # tqdm's bar on stderr
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["reference"] for r in rows] == ["CPU-2026-000001", "CPU-2026-000002"]
    assert json.loads(rows[1]["facts"])["what_happened"] == "damaged"
    assert rows[0]["checklist_total"] == "6" and rows[0]["checklist_done"] == "0"


def test_a_short_export_shows_no_progress_bar(
    factory: sessionmaker[Session], subprocess_env: dict[str, str], tmp_path: Path,
) -> None:
    _seed(factory)
    exported = _staff(subprocess_env, "export", str(tmp_path / "all.csv"))
    assert exported.returncode == 0, exported.stderr
    assert "3/3" not in exported.stderr


@pytest.mark.parametrize(
    ("token", "configured", "reason"),
    [
        (TOKEN, None, "STAFF_API_TOKEN is not set"),
        ("not-the-token", TOKEN, "wrong staff token"),
        ("", TOKEN, "wrong staff token"),
        (None, TOKEN, "no staff token given"),
    ],
    ids=["no token configured", "wrong token", "empty token",
         "no token given and no terminal to ask on"],
)
def test_without_the_staff_token_every_command_is_refused_and_changes_nothing(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
    token: str | None, configured: str | None, reason: str,
) -> None:
    _seed(factory)
    for command in (["list"], ["set-status", "CPU-2026-000002", "in_review"]):
        refused = _staff(subprocess_env, *command, token=token, configured=configured)
        assert refused.returncode == CREDENTIAL_REFUSED, refused.stderr
        assert reason in refused.stderr and refused.stdout == ""
    with factory.begin() as session:
        case = find_case(session, "CPU-2026-000002")
        assert case is not None and case.status == "submitted"


def test_the_help_explains_the_credential_and_needs_none(project_env: dict[str, str]) -> None:
    shown = subprocess.run([sys.executable, "-m", "staff.cli", "--help"], env=project_env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    assert "STAFF_API_TOKEN" in shown.stdout and "--token-stdin" in shown.stdout


class _Terminal(io.StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_token_is_asked_for_at_a_hidden_prompt() -> None:
    args = argparse.Namespace(token_stdin=False)
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return TOKEN

    assert credential_problem(TOKEN, args, _Terminal(), prompt) is None
    assert asked == ["Staff token: "]
    assert credential_problem(TOKEN, args, _Terminal(), lambda _: "guess") is not None


def test_show_and_list_print_china_time_and_say_so(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _seed(factory)
    with factory.begin() as session:
        case = find_case(session, "CPU-2026-000002")
        assert case is not None
        case.created_at = case.updated_at = datetime(2026, 12, 7, 6, 5)  # UTC
    shown = _staff(subprocess_env, "show", "CPU-2026-000002")
    assert "opened: 2026-12-07 14:05 (China time)" in shown.stdout
    listed = _staff(subprocess_env, "list", "--search", "CPU-2026-000002")
    assert "2026-12-07 14:05 (China time)" in listed.stdout
