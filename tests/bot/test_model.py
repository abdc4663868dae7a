"""The model is retrained exactly when what it is trained from changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from supervisor.processes import REPO_ROOT
from training.model import TRAINING_INPUTS, fingerprint, model_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the training inputs, free to change."""
    for name in TRAINING_INPUTS:
        source = REPO_ROOT / name
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return tmp_path


def test_unchanged_inputs_name_the_same_model(project: Path) -> None:
    assert fingerprint(project) == fingerprint(project) == fingerprint(REPO_ROOT)
    assert model_path(project).name == f"{fingerprint(project)}.tar.gz"


@pytest.mark.parametrize("changed", [
    "config.yml", "domain.yml", "data/nlu/basics.yml", "engine/components.py",
    "engine/blending.py", "engine/familiarity.py", "engine/jieba/userdict.txt",
])
def test_a_changed_training_file_names_a_new_model(project: Path, changed: str) -> None:
    before = fingerprint(project)
    with (project / changed).open("a", encoding="utf-8") as file:
        file.write("\n# changed\n")
    assert fingerprint(project) != before


def test_a_new_data_file_names_a_new_model(project: Path) -> None:
    before = fingerprint(project)
    (project / "data" / "nlu" / "extra.yml").write_text('version: "3.1"\n', "utf-8")
    assert fingerprint(project) != before


def test_bytecode_caches_do_not_name_a_new_model(project: Path) -> None:
    before = fingerprint(project)
    cache = project / "engine" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "blending.cpython-310.pyc").write_bytes(b"\x00compiled")
    assert fingerprint(project) == before


@pytest.mark.parametrize("cache", ["engine/.ruff_cache/0.1/123", "engine/.mypy_cache/x.json",
                                   "data/.pytest_cache/v/cache"])
def test_tool_caches_that_git_ignores_do_not_name_a_new_model(project: Path, cache: str) -> None:
    before = fingerprint(project)
    (project / cache).parent.mkdir(parents=True, exist_ok=True)
    (project / cache).write_text("cached", encoding="utf-8")
    assert fingerprint(project) == before


def test_the_servers_run_time_modules_do_not_name_a_new_model(project: Path) -> None:
    before = fingerprint(project)
    with (project / "engine" / "serving" / "channels.py").open("a", encoding="utf-8") as file:
        file.write("\n# a channel changed\n")
    assert fingerprint(project) == before
