"""The trained Rasa model: named after a fingerprint of what it was trained from.

`make run` and the tests call `ensure_model()`: when config, domain, training data and
the engine (our NLU components, their word lists and the engine's lock) are unchanged, the
existing archive is reused; otherwise Rasa trains a new one.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import subprocess
from pathlib import Path

from supervisor.processes import (
    REPO_ROOT,
    ProcessTree,
    rasa_environment,
    rasa_executable,
    stop_trees,
)

log = logging.getLogger(__name__)

# engine/ holds every module the pipeline imports (components.py and the modules it uses).
# engine/questions.py reads the maintainers' question files with these two.
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "engine", "knowledge/questions.py",
                   "config/questions.py")
# What the Rasa server loads at run time but training never reads (channels, entry point).
NOT_TRAINED_FROM = (Path("engine") / "serving",)


def _is_training_file(relative: Path) -> bool:
    """Whether a file under TRAINING_INPUTS counts: not a bytecode cache, not a tool's
    cache or other hidden file (``.ruff_cache``, ``.mypy_cache``: git ignores them, so a fresh
    clone has none), not a run-time-only module."""
    if "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
        return False
    return not any(relative.is_relative_to(skipped) for skipped in NOT_TRAINED_FROM)


def training_files(root: Path = REPO_ROOT) -> list[Path]:
    """Every file the model is trained from, in a stable order."""
    files: list[Path] = []
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
        else:
            found = [path] if path.exists() else []
        files.extend(p for p in found if _is_training_file(p.relative_to(root)))
    return files


def fingerprint(root: Path = REPO_ROOT) -> str:
    """A hash of the training files' names and contents."""
    digest = hashlib.sha256()
    for path in training_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = REPO_ROOT) -> Path:
    """Where the model for the current training files lives."""
    return root / "models" / f"{fingerprint(root)}.tar.gz"


def ensure_model(root: Path = REPO_ROOT, validate: bool = True) -> Path:
    """Returns the model for the current training files, training it if missing or stale.

    ``validate=False`` skips Rasa's check of the data before training (about 15 s) for a
    caller that runs `make check-data --rasa` beside the training (the model watcher).

    Callers at the same time (``make run`` beside ``make test``, two test sessions) take
    turns on a lock file: the second one waits and then reuses the model the first trained
    instead of training the same model again beside it.
    """
    while True:
        path = model_path(root)
        if path.exists():
            log.info("reusing the trained model %s", path.name)
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        with (path.parent / ".training.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.exists():
                log.info("reusing the model %s another process just trained", path.name)
                return path
            _train(root, path, validate)
            if model_path(root) == path:
                return path
            # A file changed while Rasa read them: the model may hold either version, so it
            # is named after neither.
            log.warning("the training files changed during the training: training again")
            path.unlink(missing_ok=True)


def _train(root: Path, path: Path, validate: bool = True) -> None:
    """Trains the model for the current training files into ``path``."""
    log.info("training a new model %s (data, domain or config changed)", path.name)
    argv = [
        str(rasa_executable(root)), "train",
        "--fixed-model-name", path.name.removesuffix(".tar.gz"),
        "--out", str(path.parent),
        *([] if validate else ["--skip-validation"]),
    ]
    # A session of its own, stopped with everything it started when the caller is
    # interrupted (Ctrl-C, or the launcher's SIGTERM handler), instead of training on alone.
    training = subprocess.Popen(argv, cwd=root, env=rasa_environment(), start_new_session=True)
    tree = ProcessTree(training)
    try:
        code = training.wait()
    except BaseException:
        log.warning("stopping the training")
        stop_trees([tree])
        raise
    if code != 0:
        raise subprocess.CalledProcessError(code, argv)
