"""Rasa learns the maintainers' plain questions (``data/questions/``, ``config/questions.py``).

``config.yml`` lists this importer after Rasa's own. For every usable question file it adds
the question's examples as an intent, the intent to the domain, and the one rule that answers
it with ``action_answer_faq``, so that a maintainer's file is all a new question needs.
Files that cannot be used are left out with a warning; ``make check-data`` says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Union

from config import questions
from knowledge.questions import PlainQuestion
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

ANSWER_ACTION = "action_answer_faq"


def questions_folder(training_data_paths: Optional[Union[List[Text], Text]]) -> Path:
    """``questions/`` inside the training data folder Rasa was given (``data`` by default)."""
    paths = [training_data_paths] if isinstance(training_data_paths, str) else (
        training_data_paths or [])
    for path in paths:
        if Path(path).is_dir():
            return Path(path) / questions.FOLDER.name
    return questions.FOLDER


class PlainQuestionsImporter(TrainingDataImporter):
    """Examples, intents and rules of the plain questions, beside Rasa's own files."""

    def __init__(
        self,
        config_file: Optional[Text] = None,
        domain_path: Optional[Text] = None,
        training_data_paths: Optional[Union[List[Text], Text]] = None,
        **kwargs: Any,
    ) -> None:
        self._folder = questions_folder(training_data_paths)
        self._questions: Optional[List[PlainQuestion]] = None

    def _read(self) -> List[PlainQuestion]:
        if self._questions is None:
            self._questions = [question for _, question in questions.read_all(self._folder)]
        return self._questions

    def get_domain(self) -> Domain:
        """The questions' intents."""
        return Domain.from_dict({"intents": [question.id for question in self._read()]})

    def get_stories(self, exclusion_percentage: Optional[int] = None) -> StoryGraph:
        """One rule per question: its intent is answered by ``action_answer_faq``."""
        rules = [{"rule": f"Answer the plain question {question.id}",
                  "steps": [{"intent": question.id}, {"action": ANSWER_ACTION}]}
                 for question in self._read()]
        reader = YAMLStoryReader(source_name=str(self._folder))
        return StoryGraph(reader.read_from_parsed_yaml({"version": "3.1", "rules": rules}))

    def get_conversation_tests(self) -> StoryGraph:
        """No test conversations come from question files."""
        return StoryGraph([])

    def get_config(self) -> Dict:
        """The configuration comes from config.yml, through Rasa's own importer."""
        return {}

    def get_config_file_for_auto_config(self) -> Optional[Text]:
        """Never auto-configured."""
        return None

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        """Every example of every question, under the question's name as its intent."""
        examples = [Message.build(text=example, intent=question.id)
                    for question in self._read()
                    for per_language in question.examples.values()
                    for example in per_language]
        return TrainingData(training_examples=examples)
