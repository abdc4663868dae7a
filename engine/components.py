"""Custom NLU components for the Rasa engine (Python 3.10, Rasa 3.6.21).

This module runs inside the Rasa server, not the action server, so it may
import Rasa. Config refers to the classes as `engine.components.<Name>`;
Rasa puts the working directory on `sys.path`, so run Rasa from the repo root.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# CJK Unified Ideographs (and extension A): enough to tell Chinese from Latin text.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LANGUAGES = ("en", "zh")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class BilingualTokenizer(JiebaTokenizer):
    """Jieba for Chinese, words for English: Jieba without its whitespace tokens.

    Jieba already splits Latin text at spaces and punctuation but keeps the
    spaces as tokens, which would put " " into every English example's features
    and break entity spans. Dropping them gives one tokenizer for both languages.
    """

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Any language: messages mix English and Chinese."""
        return None

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenizes with Jieba and drops whitespace-only tokens."""
        tokens = super().tokenize(message, attribute)
        return [token for token in tokens if token.text.strip()]


def detect_language(text: str) -> Optional[str]:
    """Returns "zh" for text with Chinese characters, "en" for Latin words, else None.

    None (a bare number, "85%", an emoji) means the message says nothing about
    the language, so the conversation keeps the language it had.
    """
    if _HAN.search(text):
        return "zh"
    if _LATIN_WORD.search(text):
        return "en"
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Adds a `language` entity ("en" or "zh") to every message.

    A channel may state the user's explicit choice in the message metadata
    (`{"language": "zh"}`: the widget's language toggle, Telegram's /lang);
    that wins over the script of the text. The `language` slot maps from this
    entity, so the reply language follows the user without any extra action.
    """

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        """Creates the component; it has nothing to train or load."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the language entity to each message that reveals its language."""
        for message in messages:
            language = self._language_of(message)
            if language is None:
                continue
            entity = {
                "entity": "language",
                "value": language,
                "start": 0,
                "end": 0,
                "confidence_entity": 1.0,
            }
            entities = message.get(ENTITIES, []) + self.add_extractor_name([entity])
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data keeps its annotated entities unchanged."""
        return training_data

    @staticmethod
    def _language_of(message: Message) -> Optional[str]:
        metadata = message.get("metadata") or {}
        chosen = metadata.get("language") if isinstance(metadata, dict) else None
        if chosen in LANGUAGES:
            return str(chosen)
        return detect_language(message.get("text") or "")
