"""The custom NLU components (engine/components.py), run in the engine's own environment.

One process trains the components on a tiny data set into a model storage and says what
they make of a few messages; a second process, where nothing may be fitted, loads them from
that storage and says the same again: a component stored trained answers as it did without
being trained anew.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from supervisor.processes import REPO_ROOT, rasa_environment
from tests.preloaded import run_in_engine

# Imports, the tiny data set, the components' settings and the messages they are asked about,
# shared by both processes. The settings are config.yml's; the classifier weighs its own
# opinion by language: none in English, all of it in Chinese.
SETUP = '''
import json, sys
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer)
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from engine.components import (BilingualTokenizer, BlendedIntentClassifier,
                               ConversationContext, FamiliarityFallbackClassifier,
                               LanguageDetector, StoredCRFEntityExtractor)

TRAINING = """
version: "3.1"
nlu:
- intent: choose_institution
  examples: |
    - I study at [Jiangsu Normal University](institution)
    - my university is [Westlake University](institution)
    - I am a student of [China Pharmaceutical University](institution)
    - I am at [Qujing Normal University](institution) now
    - 我在[江苏师范大学](institution)读书
    - 我是[中国药科大学](institution)的学生
    - 我的学校是[西湖大学](institution)
    - 我在[曲靖师范学院](institution)上学
- intent: lost_passport
  examples: |
    - I lost my passport
    - my passport was stolen
    - I cannot find my passport
    - what should I do after losing my passport
    - 我的护照丢了
    - 护照被偷了
    - 护照找不到了
    - 护照丢失怎么办
"""

ASKED = ["I study at Jiangsu Normal University", "我在江苏师范大学读书",
         "my university is China Pharmaceutical University", "我是西湖大学的学生",
         "I lost my passport", "我的护照丢了"]

storage = LocalModelStorage(Path(sys.argv[1]))


def context(name):
    return ExecutionContext(GraphSchema({}), node_name=name)


def settings(component, **config):
    return {**component.get_default_config(), **config}


TOKENIZER = settings(BilingualTokenizer, dictionary_path="engine/jieba")
WORDS = settings(CountVectorsFeaturizer)
CRF = settings(StoredCRFEntityExtractor)
REGRESSION = settings(BlendedIntentClassifier, solver="liblinear",
                      weights={"en": 0.0, "zh": 1.0})
FALLBACK = settings(FamiliarityFallbackClassifier, threshold=0.25, ambiguity_threshold=0.02,
                    min_familiarity=0.5)


def read(texts, tokenizer, words):
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    words.process(messages)
    return messages


def entities(messages):
    return [[{key: entity[key] for key in ("entity", "value", "start", "end",
                                           "confidence_entity")}
             for entity in message.get(ENTITIES, [])] for message in messages]


def rankings(messages):
    return [message.get(INTENT_RANKING_KEY) for message in messages]


def second_opinion(texts, tokenizer, words, earlier):
    """Messages that an earlier classifier already ranked as ``earlier``."""
    messages = read(texts, tokenizer, words)
    for message in messages:
        message.set(INTENT_RANKING_KEY, [dict(r) for r in earlier])
        message.set(INTENT, dict(earlier[0]))
    return messages


EARLIER = [{"name": "choose_institution", "confidence": 0.9},
           {"name": "lost_passport", "confidence": 0.1}]
SURE = [{"name": "lost_passport", "confidence": 0.95},
        {"name": "choose_institution", "confidence": 0.05}]
UNSURE = [{"name": "lost_passport", "confidence": 0.2},
          {"name": "choose_institution", "confidence": 0.1}]
JUDGED = [("I lost my passport", SURE), ("qwzx plorb fnaglgs imyvn", SURE),
          ("嬂會缮慒惼璫琑", SURE), ("85%", SURE), ("I lost my passport", UNSURE)]


def judged(fallback):
    messages = []
    for text, ranking in JUDGED:
        message = Message(data={TEXT: text})
        message.set(INTENT, dict(ranking[0]))
        message.set(INTENT_RANKING_KEY, [dict(r) for r in ranking])
        messages.append(message)
    fallback.process(messages)
    return [message.get(INTENT)["name"] for message in messages]
'''

TRAIN = SETUP + '''
data = RasaYAMLReader().reads(TRAINING)
tokenizer = BilingualTokenizer.create(TOKENIZER, storage, Resource("tokenizer"),
                                      context("tokenizer"))
tokenizer.train(data)
tokenizer.process_training_data(data)
words = CountVectorsFeaturizer.create(WORDS, storage, Resource("words"), context("words"))
words.train(data)
words.process_training_data(data)

crf = StoredCRFEntityExtractor.create(CRF, storage, Resource("crf"), context("crf"))
crf.train(data)
no_entities = data.filter_training_examples(lambda m: not m.get(ENTITIES))
StoredCRFEntityExtractor.create(CRF, storage, Resource("crf_without_entities"),
                                context("crf_without_entities")).train(no_entities)

regression = BlendedIntentClassifier.create(REGRESSION, storage, Resource("regression"),
                                            context("regression"))
untrained = BlendedIntentClassifier.create(REGRESSION, storage, Resource("untrained"),
                                           context("untrained"))
regression.train(data)
regression.process_training_data(data)
alone = read(ASKED, tokenizer, words)
regression.process(alone)
blended = second_opinion(ASKED, tokenizer, words, EARLIER)
regression.process(blended)
featureless = [Message(data={TEXT: "I lost my passport"})]
regression.process(featureless)
never_trained = read(ASKED[:1], tokenizer, words)
untrained.process(never_trained)
opinions = BlendedIntentClassifier.create({**REGRESSION, "keep_opinions": True}, storage,
                                          Resource("regression"), context("regression"))
opinions.clf = regression.clf
kept = second_opinion(ASKED[:1], tokenizer, words, EARLIER)
opinions.process(kept)

fallback = FamiliarityFallbackClassifier.create(FALLBACK, storage, Resource("fallback"),
                                                context("fallback"))
fallback.train(data)

tokens = {text: [[t.text, t.start, t.end] for t in tokenizer.tokenize(Message(data={TEXT: text}),
                                                                      TEXT)]
          for text in ["I lost my passport, 护照丢了 ", "我的居留许可能办多久"]}
detected = []
for text, metadata in [("I lost my passport", None), ("我的护照丢了", None), ("85%", None),
                       ("hello", {"language": "zh"}), ("护照", {"language": "en"}),
                       ("护照", {"language": "fr"}), ("hello", "zh"), ("", None)]:
    message = Message(data={TEXT: text, "metadata": metadata})
    message.set(ENTITIES, [{"entity": "institution", "value": "CPU", "start": 0, "end": 0}])
    LanguageDetector.create({}, storage, Resource("language"), context("language")).process(
        [message])
    detected.append([(e["entity"], e["value"]) for e in message.get(ENTITIES)])


from rasa.shared.core.events import SlotSet
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker


def in_context(text, intent, found, tracker):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 1.0}})
    message.set(ENTITIES, [{"entity": name, "value": value, "start": 0, "end": 0}
                           for name, value in found])
    ConversationContext.create({}, storage, Resource("context"), context("context")).process(
        [message], tracker)
    return sorted((e["entity"], e["value"]) for e in message.get(ENTITIES))


chose_english = DialogueStateTracker("someone", [TextSlot(name, mappings=[]) for name in
                                                 ("language", "preferred_language")])
chose_english.update(SlotSet("preferred_language", "en"))
contexts = [
    in_context("I study at Westlake", "choose_institution", [("language", "en")], None),
    in_context("我在江苏师范大学读书", "choose_institution",
               [("language", "zh"), ("institution", "江苏师范大学")], None),
    in_context("签证类型", "visa_types", [("language", "zh")], chose_english),
    in_context("请用中文", "choose_language", [("language", "zh")], chose_english),
]

asked = read(ASKED, tokenizer, words)
crf.process(asked)
print(json.dumps({
    "contexts": contexts,
    "stored": {name: sorted(p.name for p in (Path(sys.argv[1]) / name).iterdir())
               for name in ("crf", "fallback")},
    "crf_without_entities_stored": (Path(sys.argv[1]) / "crf_without_entities").exists(),
    "entities": entities(asked),
    "intents_kept": sorted({str(m.get(INTENT)) for m in data.intent_examples}),
    "alone": rankings(alone),
    "own": [[{"name": str(name), "confidence": float(p)} for name, p in
             sorted(zip(regression.clf.classes_, row), key=lambda item: -item[1])]
            for row in regression.clf.predict_proba(regression._create_X(
                read(ASKED, tokenizer, words)))],
    "blended": rankings(blended),
    "featureless": [m.get(INTENT) for m in featureless],
    "never_trained": [m.get(INTENT) for m in never_trained],
    "opinions": kept[0].get("intent_opinions"),
    "judged": judged(fallback),
    "tokens": tokens,
    "languages": detected,
}))
'''

LOAD = SETUP + '''
import sklearn.linear_model
import sklearn_crfsuite


def refuse(*args, **kwargs):
    raise AssertionError("a stored component was fitted again at load")


sklearn_crfsuite.CRF.fit = refuse
sklearn.linear_model.LogisticRegression.fit = refuse
for component in (StoredCRFEntityExtractor, BlendedIntentClassifier,
                  FamiliarityFallbackClassifier, CountVectorsFeaturizer):
    component.train = refuse


def load(component, config, name):
    return component.load(config, storage, Resource(name), context(name))


tokenizer = load(BilingualTokenizer, TOKENIZER, "tokenizer")
words = load(CountVectorsFeaturizer, WORDS, "words")
crf = load(StoredCRFEntityExtractor, CRF, "crf")
asked = read(ASKED, tokenizer, words)
crf.process(asked)
without_entities = load(StoredCRFEntityExtractor, CRF, "crf_without_entities")
untagged = read(ASKED, tokenizer, words)
without_entities.process(untagged)

regression = load(BlendedIntentClassifier, REGRESSION, "regression")
alone = read(ASKED, tokenizer, words)
regression.process(alone)
blended = second_opinion(ASKED, tokenizer, words, EARLIER)
regression.process(blended)

print(json.dumps({
    "entities": entities(asked),
    "without_entities": entities(untagged),
    "alone": rankings(alone),
    "blended": rankings(blended),
    "judged": judged(load(FamiliarityFallbackClassifier, FALLBACK, "fallback")),
    "judged_without_vocabulary": judged(
        load(FamiliarityFallbackClassifier, FALLBACK, "never_trained")),
}))
'''

ASKED = ["I study at Jiangsu Normal University", "我在江苏师范大学读书",
         "my university is China Pharmaceutical University", "我是西湖大学的学生",
         "I lost my passport", "我的护照丢了"]
EARLIER = {"choose_institution": 0.9, "lost_passport": 0.1}


def in_engine(script: str, storage: Path) -> dict[str, Any]:
    """What ``script`` prints last, run in the engine's environment on ``storage``."""
    run = run_in_engine(script, str(storage),
                        env={**rasa_environment(), "PYTHONPATH": str(REPO_ROOT)}, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-storage")


@pytest.fixture(scope="module")
def trained(storage: Path) -> dict[str, Any]:
    """What the components said in the process that trained them."""
    return in_engine(TRAIN, storage)


@pytest.fixture(scope="module")
def loaded(trained: dict[str, Any], storage: Path) -> dict[str, Any]:
    """What the same components said once loaded in a process that may not fit anything."""
    return in_engine(LOAD, storage)


def confidences(ranking: list[dict[str, Any]]) -> dict[str, float]:
    return {str(r["name"]): float(r["confidence"]) for r in ranking}


def test_the_entity_extractor_stores_its_trained_taggers_not_its_training_set(
    trained: dict[str, Any],
) -> None:
    assert trained["stored"]["crf"] == ["crf_order.json", "crf_taggers.pkl"]


def test_the_entity_extractor_finds_the_universities_it_was_taught(
    trained: dict[str, Any],
) -> None:
    found = [[(e["entity"], e["value"]) for e in said] for said in trained["entities"]]
    assert found[0] == [("institution", "Jiangsu Normal University")]
    assert found[1] == [("institution", "江苏师范大学")]
    # universities it was taught, in sentences it never saw
    assert found[2] == [("institution", "China Pharmaceutical University")]
    assert found[3] == [("institution", "西湖大学")]
    assert found[4] == found[5] == []


def test_the_loaded_entity_extractor_finds_the_same_entities_without_training_again(
    trained: dict[str, Any], loaded: dict[str, Any],
) -> None:
    assert loaded["entities"] == trained["entities"]
    assert any(trained["entities"]), "the comparison needs entities to compare"


def test_an_extractor_trained_without_entities_loads_and_finds_none(
    trained: dict[str, Any], loaded: dict[str, Any],
) -> None:
    assert not trained["crf_without_entities_stored"]
    assert loaded["without_entities"] == [[] for _ in ASKED]


def test_the_intent_classifier_alone_ranks_with_its_own_confidences(
    trained: dict[str, Any],
) -> None:
    assert trained["alone"] == trained["own"]
    best = [ranking[0]["name"] for ranking in trained["alone"]]
    assert best == ["choose_institution"] * 4 + ["lost_passport"] * 2


def test_an_earlier_classifiers_ranking_is_blended_with_the_weight_of_the_language(
    trained: dict[str, Any],
) -> None:
    for text, blended, own in zip(ASKED, trained["blended"], trained["own"], strict=True):
        # weights: English 0 (the earlier classifier decides), Chinese 1 (the regression)
        expected = confidences(own) if "\u4e00" <= text[0] <= "\u9fff" else EARLIER
        assert confidences(blended) == pytest.approx({**dict.fromkeys(EARLIER, 0.0),
                                                      **expected}), text
    assert [r[0]["name"] for r in trained["blended"]] == [
        "choose_institution", "choose_institution", "choose_institution",
        "choose_institution", "choose_institution", "lost_passport"]


def test_the_classifier_can_keep_both_opinions_for_the_evaluation_script(
    trained: dict[str, Any],
) -> None:
    opinions = trained["opinions"]
    assert opinions["earlier"] == EARLIER
    assert opinions["regression"] == pytest.approx(confidences(trained["own"][0]))


def test_the_classifier_leaves_alone_what_it_cannot_read_or_was_never_trained_for(
    trained: dict[str, Any],
) -> None:
    assert trained["featureless"] == [None]
    assert trained["never_trained"] == [None]


def test_training_examples_keep_their_own_intents(trained: dict[str, Any]) -> None:
    assert trained["intents_kept"] == ["choose_institution", "lost_passport"]


def test_the_loaded_intent_classifier_ranks_as_the_trained_one(
    trained: dict[str, Any], loaded: dict[str, Any],
) -> None:
    assert loaded["alone"] == trained["alone"]
    assert loaded["blended"] == trained["blended"]


def test_unfamiliar_text_falls_back_however_sure_the_classifier_is(
    trained: dict[str, Any],
) -> None:
    # familiar and sure, keyboard mash, rare characters, no words at all, familiar but unsure
    assert trained["stored"]["fallback"] == ["vocabulary.json"]
    assert trained["judged"] == ["lost_passport", "nlu_fallback", "nlu_fallback",
                                 "lost_passport", "nlu_fallback"]


def test_the_loaded_fallback_remembers_the_training_vocabulary(
    trained: dict[str, Any], loaded: dict[str, Any],
) -> None:
    assert loaded["judged"] == trained["judged"]


def test_a_fallback_without_vocabulary_judges_by_confidence_only(
    loaded: dict[str, Any],
) -> None:
    assert loaded["judged_without_vocabulary"] == [
        "lost_passport", "lost_passport", "lost_passport", "lost_passport", "nlu_fallback"]


def test_the_context_is_read_with_the_conversations_slots(trained: dict[str, Any]) -> None:
    language = [["language", "en"]]
    assert trained["contexts"] == [
        [["institution_code", "WESTLAKE"], *language, ["reply_language", "en"]],
        [["institution", "江苏师范大学"], ["institution_code", "JSNU"], ["language", "zh"],
         ["reply_language", "zh"]],
        # written in Chinese, but the person chose English earlier in the conversation
        [["language", "zh"], ["reply_language", "en"]],
        [["language", "zh"], ["preferred_language", "zh"], ["reply_language", "zh"]],
    ]


def test_the_tokenizer_keeps_no_spaces_and_knows_the_domains_words(
    trained: dict[str, Any],
) -> None:
    for text, tokens in trained["tokens"].items():
        assert all(word.strip() and text[start:end] == word for word, start, end in tokens)
    mixed = [word for word, _, _ in trained["tokens"]["I lost my passport, 护照丢了 "]]
    assert mixed[:5] == ["I", "lost", "my", "passport", ","]
    assert "居留许可" in [word for word, _, _ in trained["tokens"]["我的居留许可能办多久"]]


def test_every_message_gets_its_language_and_a_channels_choice_wins(
    trained: dict[str, Any],
) -> None:
    institution = ["institution", "CPU"]
    assert trained["languages"] == [
        [institution, ["language", "en"]],  # English words
        [institution, ["language", "zh"]],  # Chinese characters
        [institution],  # "85%" says nothing: the conversation keeps its language
        [institution, ["language", "zh"]],  # the person chose Chinese
        [institution, ["language", "en"]],  # ... or English
        [institution, ["language", "zh"]],  # no such choice: the script decides
        [institution, ["language", "en"]],  # metadata that is not an object is ignored
        [institution],  # nothing written
    ]
