"""Custom NLU components for the Rasa engine (Python 3.10, Rasa 3.6.21).

This module runs inside the Rasa server, not the action server, so it may
import Rasa. Config refers to the classes as `engine.components.<Name>`;
Rasa puts the working directory on `sys.path`, so run Rasa from the repo root.
"""

from __future__ import annotations

import json
import logging
import pickle
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from engine import context
from engine.blending import DEFAULT_WEIGHT, OPINIONS, blend, second_opinion_weight
from engine.familiarity import familiarity, vocabulary
from engine.languages import written_in

logger = logging.getLogger(__name__)


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


class _NothingToTrain(GraphComponent, EntityExtractorMixin):
    """An entity extractor that reads each message as it comes, with nothing to train or load."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_NothingToTrain":
        """Creates the component."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data keeps its annotated entities unchanged."""
        return training_data


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class LanguageDetector(_NothingToTrain):
    """Adds a `language` entity ("en" or "zh") to every message.

    A channel may state the user's explicit choice in the message metadata
    (`{"language": "zh"}`: the widget's language toggle, Telegram's /lang);
    that wins over the script of the text. The `language` slot maps from this
    entity, so the reply language follows the user without any extra action.
    """

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

    @staticmethod
    def _language_of(message: Message) -> Optional[str]:
        metadata = message.get("metadata") or {}
        chosen = metadata.get("language") if isinstance(metadata, dict) else None
        if chosen in context.LANGUAGES:
            return str(chosen)
        return written_in(message.get("text") or "")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class ConversationContext(_NothingToTrain):
    """Reads who is talking, in which language and at which university (``engine/context.py``)
    and hands it on as the entities ``reply_language``, ``preferred_language`` and
    ``institution_code``, which the slots ``language``, ``preferred_language`` and
    ``institution`` map from.

    Last in the pipeline: it needs the intent (a request to change language), the
    ``language`` entity of ``LanguageDetector`` and the ``institution`` entities. Rasa hands
    a component whose ``process`` takes a ``tracker`` the conversation so far (none when a
    message is parsed on its own), so the slots it reads need no call to the action server.
    The three entities do not influence the dialogue (``domain.yml``).
    """

    ENTITIES = ("reply_language", "preferred_language", "institution_code")

    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        """Adds the context entities to each message."""
        slots = tracker.current_slot_values() if tracker is not None else None
        for message in messages:
            found = context.read_context(self._read(message, slots))
            values = zip(self.ENTITIES,
                         (found.language, found.preferred_language, found.institution),
                         strict=True)
            added = [{"entity": name, "value": value, "start": 0, "end": 0,
                      "confidence_entity": 1.0} for name, value in values if value]
            kept = [e for e in message.get(ENTITIES, []) if e.get("entity") not in self.ENTITIES]
            message.set(ENTITIES, kept + self.add_extractor_name(added), add_to_output=True)
        return messages

    @staticmethod
    def _read(message: Message, slots: Optional[Dict[Text, Any]]) -> context.Message:
        entities = message.get(ENTITIES, [])
        metadata = message.get("metadata")
        return context.Message(
            text=message.get(TEXT) or "",
            intent=(message.get(INTENT) or {}).get("name"),
            detected_languages=[str(e.get("value")) for e in entities
                                if e.get("entity") == "language"],
            named_institutions=[str(e.get("value")) for e in entities
                                if e.get("entity") == "institution"],
            metadata=metadata if isinstance(metadata, dict) else None,
            slots=slots,
        )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class StoredCRFEntityExtractor(CRFEntityExtractor):
    """Rasa's CRFEntityExtractor, stored trained.

    Rasa 3.6 stores the CRF's training set instead of the trained CRF and trains it again on
    every load: 19 of the 59 s it took to load the model here, paid at every start of a Rasa
    server, of each replica, and at every model swap. This one stores the trained taggers
    (sklearn-crfsuite pickles its model file) and only reads them back.
    """

    _TAGGERS = "crf_taggers.pkl"
    _ORDER = "crf_order.json"

    def persist(self, dataset: List[List[CRFToken]]) -> None:
        """Stores the trained taggers and their order (not the training set)."""
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / self._TAGGERS).write_bytes(pickle.dumps(self.entity_taggers))
            (model_dir / self._ORDER).write_text(json.dumps(self.crf_order), encoding="utf-8")

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "StoredCRFEntityExtractor":
        """Reads the trained taggers back; an untrained extractor when there are none (no
        training example had an entity)."""
        try:
            with model_storage.read_from(resource) as model_dir:
                taggers = pickle.loads((model_dir / cls._TAGGERS).read_bytes())
                order = json.loads((model_dir / cls._ORDER).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = order
        return extractor


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class BlendedIntentClassifier(LogisticRegressionClassifier):
    """A logistic regression over the sentence features. When an intent classifier comes
    before it in the pipeline (DIET did until December 2026), its confidences are averaged
    with that classifier's, with a weight per language (``weights``: the logistic
    regression's share, engine/blending.py); otherwise it decides alone, as it does now
    (config.yml, docs/nlu/pipeline_choice.md).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The logistic regression's settings and its weight per language."""
        return {**LogisticRegressionClassifier.get_default_config(),
                "weights": {lang: DEFAULT_WEIGHT for lang in context.LANGUAGES},
                # scripts/nlu_eval.py turns this on for its fold models, to replay other
                # weights: each message then also carries the two rankings blended.
                "keep_opinions": False}

    def process(self, messages: List[Message]) -> List[Message]:
        """Replaces each message's intent and ranking with the blended ones."""
        if not hasattr(self.clf, "classes_"):
            return messages  # trained on no examples: the earlier classifier decides alone
        readable = [m for m in messages if self._has_sentence_features(m)]
        if not readable:
            return messages
        probabilities = self.clf.predict_proba(self._create_X(readable))
        for message, row in zip(readable, probabilities, strict=True):
            own = {str(name): float(p) for name, p in zip(self.clf.classes_, row, strict=True)}
            earlier = {str(r["name"]): float(r["confidence"])
                       for r in message.get(INTENT_RANKING_KEY) or []}
            weight = (second_opinion_weight(str(message.get(TEXT) or ""), self.config["weights"])
                      if earlier else 1.0)
            ranking = [{"name": name, "confidence": confidence}
                       for name, confidence in blend(earlier, own, weight)]
            if self.config["ranking_length"] > 0:
                ranking = ranking[: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if self.config["keep_opinions"]:
                message.set(OPINIONS, {"earlier": earlier, "regression": own},
                            add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep their own intents (Rasa's class would overwrite them)."""
        return training_data

    @staticmethod
    def _has_sentence_features(message: Message) -> bool:
        _, sentence = message.get_sparse_features(attribute=TEXT)
        return sentence is not None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class FamiliarityFallbackClassifier(FallbackClassifier):
    """Rasa's FallbackClassifier that also falls back on messages the training data never
    showed the model (engine/familiarity.py): keyboard mash or rare characters, which the
    intent classifier may otherwise call "yes" with high confidence.

    Training keeps the pieces (Chinese characters, letter trigrams) of the training texts;
    a message with fewer than ``min_familiarity`` of its pieces among them falls back.
    """

    VOCABULARY_FILE = "vocabulary.json"

    @classmethod
    def required_components(cls) -> List[Type]:
        """None for Rasa's graph check: its training step reads only the training data (the
        schema check would look for a classifier among that step's inputs and find none).
        At run time config.yml puts it after the intent classifier, as FallbackClassifier."""
        return []

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """FallbackClassifier's thresholds and the least familiarity a message needs."""
        return {**FallbackClassifier.get_default_config(), "min_familiarity": 0.5}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        known: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self._known = known

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FamiliarityFallbackClassifier":
        """A classifier that knows no words yet."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Keeps the pieces of every training text."""
        self._known = vocabulary(
            str(example.get(TEXT)) for example in training_data.training_examples
            if example.get(TEXT)
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.VOCABULARY_FILE).write_text(
                json.dumps(sorted(self._known), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "FamiliarityFallbackClassifier":
        """The classifier with the pieces kept at training."""
        try:
            with model_storage.read_from(resource) as directory:
                known = json.loads((directory / cls.VOCABULARY_FILE).read_text("utf-8"))
        except (ValueError, OSError):
            # A model trained without data for this component: judge by confidence only.
            logger.warning("No vocabulary for %s: familiarity is not checked.", cls.__name__)
            return cls(config, model_storage, resource, frozenset())
        return cls(config, model_storage, resource, frozenset(known))

    def _should_fallback(self, message: Message) -> bool:
        if super()._should_fallback(message):
            return True
        if not self._known:
            return False
        share = familiarity(str(message.get(TEXT) or ""), self._known)
        if share is not None and share < self.component_config["min_familiarity"]:
            logger.debug("Only %.0f%% of the message is familiar: fallback.", share * 100)
            return True
        return False
