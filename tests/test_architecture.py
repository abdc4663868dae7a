"""The folders import each other only as docs/architecture.md says (issue 25).

Every import is read with ``ast``, also those inside functions: an import that runs only
when a function is called still breaks the process that calls it.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("knowledge", "config", "casestore", "reminders", "staff", "actions", "bot",
            "supervisor", "training", "engine")
FIRST_PARTY = frozenset({*PACKAGES, "scripts", "tests"})
STANDARD_LIBRARY = frozenset({*sys.stdlib_module_names, "__future__"})
SCRIPT_NAMES = frozenset(path.stem for path in (ROOT / "scripts").glob("*.py"))

MAY_IMPORT: dict[str, frozenset[str]] = {
    "knowledge": frozenset({"knowledge"}),
    "config": frozenset({"config", "knowledge"}),
    "casestore": frozenset({"casestore", "config", "knowledge"}),
    "reminders": frozenset({"reminders", "casestore", "config", "knowledge"}),
    "staff": frozenset({"staff", "reminders", "casestore", "config", "knowledge"}),
    "actions": frozenset({"actions", "reminders", "casestore", "config", "knowledge"}),
    "bot": frozenset({"bot", "casestore", "config", "knowledge"}),
    "training": frozenset({"training", "supervisor", "config"}),
    "supervisor": frozenset({"supervisor", "training", "casestore", "config", "knowledge"}),
    "engine": frozenset({"engine", "knowledge"}),
}
"""The folders of this repository each package may import (``scripts/``, ``tests/``: any)."""

STANDARD_LIBRARY_ONLY = frozenset({"knowledge"})
RASA_ONLY = frozenset({"rasa"})
"""Installed in ``.venv-rasa`` only: what runs in ``.venv`` must not import it."""
RUNS_IN_VENV = frozenset(PACKAGES) - {"engine"}


@dataclass(frozen=True)
class Exemption:
    """A module a package imports although its folder is out of bounds, and why."""

    importer: str
    module: str
    reason: str
    may_use: frozenset[str] = frozenset()
    """Third-party libraries importing the module may load, besides the standard library:
    ones the importer's environment has too. This keeps the reason true."""


EXEMPTIONS = (
    Exemption(
        "training", "engine.serving.server",
        "training/live_model.py reads TOKEN_VARIABLE, the name of the variable holding Rasa's API "
        "token, from the module that reads it; Rasa and the masking are imported in main()"),
    Exemption(
        "engine", "config.log_masking",
        "the Rasa server masks identifiers in its logs with the rule every other process uses"),
    Exemption(
        "engine", "config.questions",
        "Rasa learns the maintainers' question files through the reader the action server "
        "and make check-data use", frozenset({"yaml"})),
)
EXEMPTED = frozenset((exemption.importer, exemption.module) for exemption in EXEMPTIONS)


@dataclass(frozen=True)
class Import:
    """One module an import statement names, resolved to its full dotted name."""

    file: str
    line: int
    module: str
    at_import_time: bool  # False inside a function: runs only when the function is called

    @property
    def root(self) -> str:
        return self.module.split(".")[0]


def is_module(dotted: str, root: Path = ROOT) -> bool:
    """Whether ``dotted`` names a module or package of this repository."""
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(node: ast.Import | ast.ImportFrom, file: str, root: Path) -> list[str]:
    """The full names an import statement imports (``from casestore import db`` -> casestore.db)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = node.module or ""
    if node.level:
        package = Path(file).parent.parts
        base = package[: len(package) - node.level + 1]
        module = ".".join([*base, *([node.module] if node.module else [])])
    named = [f"{module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(name if is_module(name, root) else module for name in named))


def imports_in(source: str, file: str, root: Path = ROOT) -> list[Import]:
    """Every import in ``source``, the text of ``file`` (a path relative to ``root``)."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for module in imported_modules(node, file, root):
                if module.split(".")[0] in SCRIPT_NAMES:  # tools import each other by name
                    module = f"scripts.{module}"
                found.append(Import(file, node.lineno, module, not in_function))
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(source, filename=file), False)
    return found


def broken_rules(source: str, file: str, root: Path = ROOT) -> list[str]:
    """What in ``source`` breaks the rules of docs/architecture.md: one line per import,
    naming the file, the line and the module."""
    package = Path(file).parts[0]
    if package not in MAY_IMPORT:
        return []
    problems = []
    for found in imports_in(source, file, root):
        where = f"{found.file}:{found.line} imports {found.module}"
        if found.root in FIRST_PARTY:
            if found.root not in MAY_IMPORT[package] and (package, found.module) not in EXEMPTED:
                allowed = ", ".join(sorted(MAY_IMPORT[package]))
                problems.append(f"{where}: {package}/ may import only {allowed} and the "
                                "exceptions in docs/architecture.md")
        elif package in STANDARD_LIBRARY_ONLY and found.root not in STANDARD_LIBRARY:
            problems.append(f"{where}: {package}/ imports only the standard library")
        elif package in RUNS_IN_VENV and found.root in RASA_ONLY:
            problems.append(f"{where}: {package}/ runs in .venv, which has no {found.root}")
    return problems


def python_files(folder: str, root: Path = ROOT) -> list[Path]:
    return sorted(path for path in (root / folder).rglob("*.py")
                  if "__pycache__" not in path.parts and "node_modules" not in path.parts)


def relative(path: Path, root: Path = ROOT) -> str:
    return path.relative_to(root).as_posix()


def module_files(module: str, root: Path = ROOT) -> list[Path]:
    """The files importing ``module`` runs itself: its packages' ``__init__``, then its own."""
    parts = module.split(".")
    inits = [root.joinpath(*parts[:depth], "__init__.py") for depth in range(1, len(parts))]
    path = root.joinpath(*parts)
    own = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return [*inits, own]


def loaded_by_importing(module: str, root: Path = ROOT) -> list[Import]:
    """Every import that runs when ``module`` is imported, following this repository's own."""
    seen: set[Path] = set()
    pending, found = [module], []
    while pending:
        for path in module_files(pending.pop(), root):
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            for imported in imports_in(path.read_text("utf-8"), relative(path, root), root):
                if not imported.at_import_time:
                    continue
                found.append(imported)
                if imported.root in FIRST_PARTY and is_module(imported.module, root):
                    pending.append(imported.module)
    return found


def all_imports() -> list[Import]:
    return [found for package in PACKAGES for path in python_files(package)
            for found in imports_in(path.read_text("utf-8"), relative(path))]


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_the_architecture_allows(package: str) -> None:
    problems = [problem for path in python_files(package)
                for problem in broken_rules(path.read_text("utf-8"), relative(path))]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("exemption", EXEMPTIONS, ids=lambda e: f"{e.importer}-{e.module}")
def test_an_exempted_module_loads_only_what_its_importer_has(exemption: Exemption) -> None:
    allowed = STANDARD_LIBRARY | exemption.may_use | FIRST_PARTY  # first party is followed
    problems = [
        f"{found.file}:{found.line} imports {found.module}, which {exemption.importer}/ cannot "
        f"count on; {exemption.importer}/ may import {exemption.module} only because "
        f"{exemption.reason}"
        for found in loaded_by_importing(exemption.module) if found.root not in allowed
    ]
    assert problems == [], "\n".join(problems)


def test_every_exemption_is_still_needed() -> None:
    """An exemption no import uses any more is a door left open: take it out of the table."""
    used = {(Path(found.file).parts[0], found.module) for found in all_imports()}
    assert EXEMPTED - used == set()


def files_rasa_loads() -> list[Path]:
    """engine/, knowledge/ (engine/questions.py imports knowledge.questions, and the package's
    __init__ imports every module) and what the engine's exemptions load."""
    borrowed = {ROOT / found.file
                for exemption in EXEMPTIONS if exemption.importer == "engine"
                for found in loaded_by_importing(exemption.module)}
    borrowed |= {path for exemption in EXEMPTIONS if exemption.importer == "engine"
                 for path in module_files(exemption.module)}
    return sorted({*python_files("engine"), *python_files("knowledge"), *borrowed})


@pytest.mark.parametrize("path", files_rasa_loads(), ids=relative)
def test_what_rasa_loads_is_python_3_10(path: Path) -> None:
    ast.parse(path.read_text("utf-8"), filename=relative(path), feature_version=(3, 10))


# The checker must be able to fail: made-up files with imports the rules refuse.

@pytest.mark.parametrize(("file", "source", "reported"), [
    ("engine/new_component.py", "from casestore.db import make_engine\n",
     "engine/new_component.py:1 imports casestore.db: "),
    ("engine/new_component.py", "from casestore import db\n",
     "engine/new_component.py:1 imports casestore.db: "),
    ("knowledge/new_rule.py", "import sqlalchemy\n",
     "knowledge/new_rule.py:1 imports sqlalchemy: "),
    ("knowledge/new_rule.py", "from casestore.cases import open_case\n",
     "knowledge/new_rule.py:1 imports casestore.cases: "),
    ("actions/new_action.py", "from bot.outbox import Outgoing\n",
     "actions/new_action.py:1 imports bot.outbox: "),
    ("actions/new_action.py", "from engine.languages import HAN\n",
     "actions/new_action.py:1 imports engine.languages: "),
    ("casestore/new_store.py", "def later():\n    from actions import store\n",
     "casestore/new_store.py:2 imports actions.store: "),
    ("casestore/new_store.py", "import check_data\n",
     "casestore/new_store.py:1 imports scripts.check_data: "),
    ("config/new_setting.py", "from casestore.db import make_engine\n",
     "config/new_setting.py:1 imports casestore.db: "),
    ("bot/new_channel.py", "from staff.api import main\n",
     "bot/new_channel.py:1 imports staff.api: "),
    ("bot/new_channel.py", "from engine.serving.channels import bearer_matches\n",
     "bot/new_channel.py:1 imports engine.serving.channels: "),
    ("bot/new_channel.py", "from rasa.core.agent import Agent\n",
     "bot/new_channel.py:1 imports rasa.core.agent: "),
    ("bot/web/new_page.py", "from ...tests.conftest import free_port\n",
     "bot/web/new_page.py:1 imports tests.conftest: "),
])
def test_a_forbidden_import_is_reported_with_its_file_and_module(
        file: str, source: str, reported: str) -> None:
    problems = broken_rules(source, file)
    assert len(problems) == 1
    assert problems[0].startswith(reported)


@pytest.mark.parametrize(("file", "source"), [
    ("engine/serving/server.py", "from config.log_masking import install_log_masking\n"),
    ("engine/questions.py", "from config import questions\n"),
    ("training/live_model.py", "from engine.serving.server import TOKEN_VARIABLE\n"),
    ("actions/new_action.py", "from . import parsing\nfrom casestore.cases import open_case\n"),
    ("scripts/new_tool.py", "from tests.conftest import free_port\nimport rasa\n"),
])
def test_an_allowed_import_is_not_reported(file: str, source: str) -> None:
    assert broken_rules(source, file) == []


def test_an_exempted_module_that_starts_loading_sqlalchemy_is_reported(tmp_path: Path) -> None:
    for folder in ("config", "casestore"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "config" / "log_masking.py").write_text("import re\nfrom casestore import db\n")
    (tmp_path / "casestore" / "db.py").write_text("import logging\nimport sqlalchemy\n")
    loaded = loaded_by_importing("config.log_masking", tmp_path)
    assert [(found.file, found.line, found.module) for found in loaded
            if found.root not in STANDARD_LIBRARY | FIRST_PARTY] == [
        ("casestore/db.py", 2, "sqlalchemy")]
