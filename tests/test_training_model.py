"""The model's name is the fingerprint of the files it was trained from: a file saved while
a training reads them must not leave a model named after files it never saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from training import model


def test_a_model_whose_files_changed_during_its_training_is_trained_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "config.yml").write_text("pipeline: []\n", encoding="utf-8")
    (tmp_path / "domain.yml").write_text("version: '3.1'\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    examples = tmp_path / "data" / "nlu.yml"
    examples.write_text("- first version\n", encoding="utf-8")
    trainings: list[str] = []

    def train(root: Path, path: Path, validate: bool = True) -> None:
        # Rasa's training, reduced to what matters here: the model holds what it read.
        trainings.append(path.name)
        path.write_text(examples.read_text(encoding="utf-8"), encoding="utf-8")
        if len(trainings) == 1:  # a maintainer saves a change meanwhile
            examples.write_text("- second version\n", encoding="utf-8")

    monkeypatch.setattr(model, "_train", train)
    path = model.ensure_model(tmp_path)
    assert path == model.model_path(tmp_path)
    assert path.read_text(encoding="utf-8") == "- second version\n"
    assert len(trainings) == 2
    assert not (tmp_path / "models" / trainings[0]).exists()
    # unchanged files: the model is reused, not trained again
    assert model.ensure_model(tmp_path) == path and len(trainings) == 2
