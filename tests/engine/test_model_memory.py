"""Once a model is loaded, the objects alive are frozen out of the garbage collector's sight,
and an older model's objects are thawed so that they can still be collected (in the engine's
own environment, with the model route's own blueprint)."""

from __future__ import annotations

import json

from tests.preloaded import run_in_engine

CHECK = """
import gc, json, weakref
from engine.serving.model_swap import ModelSwapInput, settle_memory

class Node:
    pass

old_model = Node()
old_model.me = old_model          # a cycle: only the collector frees it
gone = weakref.ref(old_model)
frozen_with_old = settle_memory()
del old_model
gc.collect()
still_there = gone() is not None  # frozen: a collection leaves it alone
frozen_again = settle_memory()    # the next model: the old one is thawed and collected
blueprint = ModelSwapInput("t").blueprint(lambda message: None)
listeners = [(listener.listener.__name__, listener.event)
             for listener in blueprint._future_listeners]
print(json.dumps({"frozen": frozen_with_old, "kept_while_frozen": still_there,
                  "collected_after": gone() is None, "frozen_again": frozen_again,
                  "listeners": listeners}))
"""


def test_a_loaded_model_is_frozen_and_an_older_one_thawed_and_collected() -> None:
    run = run_in_engine(CHECK, timeout=300, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["frozen"] > 10_000  # Rasa and its libraries are imported
    assert result["kept_while_frozen"] is True
    assert result["collected_after"] is True
    assert result["frozen_again"] > 10_000
    assert ["freeze_loaded_model", "after_server_start"] in result["listeners"]
