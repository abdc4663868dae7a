"""The maintainers' plain question files (``data/questions/*.yml``): read, checked, kept fresh.

``knowledge/questions.py`` says what a question file holds and what is wrong with one; this
module reads the files. Three places use it: the Rasa engine's importer
(``engine/questions.py``) learns the examples; the action server answers from
``plain_topics()``, which rereads the folder whenever a file in it changes, so an edited answer
is live at once; ``make check-data`` reports ``problems()``.

Python 3.10-compatible, PyYAML and the standard library only: the engine's environment imports
it too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import yaml

from knowledge.questions import PlainQuestion, QuestionError, parse
from knowledge.topics import Topic

log = logging.getLogger(__name__)

FOLDER: Final = Path(__file__).resolve().parent.parent / "data" / "questions"


def files(folder: Path = FOLDER) -> list[Path]:
    """The question files, in name order."""
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def read(file: Path) -> PlainQuestion:
    """The question in this file; QuestionError if it cannot be used."""
    try:
        content = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise QuestionError(file.name, [f"cannot be read as YAML ({error})"]) from error
    return parse(file.name, content)


def problems(folder: Path = FOLDER) -> list[tuple[Path, QuestionError]]:
    """Every question file that cannot be used, and two files using one name."""
    found: list[tuple[Path, QuestionError]] = []
    names: dict[str, Path] = {}
    for file in files(folder):
        try:
            question = read(file)
        except QuestionError as error:
            found.append((file, error))
            continue
        earlier = names.setdefault(question.id, file)
        if earlier != file:
            found.append((file, QuestionError(file.name, [
                f"`question: {question.id}` is already the name of {earlier.name}: choose "
                "another name"])))
    return found


def read_all(folder: Path = FOLDER) -> tuple[tuple[Path, PlainQuestion], ...]:
    """Every usable question and its file, skipping (and logging) files that cannot be used."""
    questions: dict[str, tuple[Path, PlainQuestion]] = {}
    for file in files(folder):
        try:
            question = read(file)
        except QuestionError as error:
            log.warning("plain question skipped: %s", error)
            continue
        questions.setdefault(question.id, (file, question))
    return tuple(questions.values())


_Signature = tuple[tuple[str, int, int], ...]
_cache: dict[Path, tuple[_Signature, Mapping[str, Topic]]] = {}


def _stamp(file: Path) -> tuple[str, int, int]:
    try:
        stat = file.stat()
    except OSError:  # removed since the folder was listed
        return (file.name, 0, 0)
    return (file.name, stat.st_mtime_ns, stat.st_size)


def plain_topics(folder: Path = FOLDER) -> Mapping[str, Topic]:
    """The questions' topics by id, reread whenever a file in the folder changes, so an
    edited answer is live without restarting anything."""
    signature = tuple(_stamp(file) for file in files(folder))
    cached = _cache.get(folder)
    if cached is None or cached[0] != signature:
        cached = (signature, {question.id: question.topic for _, question in read_all(folder)})
        _cache[folder] = cached
    return cached[1]
