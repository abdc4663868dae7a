"""The README is the front door: its commands and configuration table must be true."""

from __future__ import annotations

from pathlib import Path

from config.settings import SETTINGS_TABLE

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    missing = [row.env_var for row in SETTINGS_TABLE if f"| `{row.env_var}` |" not in README]
    assert missing == []


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_makefile_has_the_two_commands() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "\nrun:" in makefile and "\ntest:" in makefile
