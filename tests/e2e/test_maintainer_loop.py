"""The maintainers' loop on a running assistant (`make run` on a scratch copy of the checkout):
a new plain question is checked, trained and swapped in without a restart; a change the
check refuses never goes live."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plain_question import question, write

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import maintainer_loop

pytestmark = pytest.mark.e2e

TIMEOUT = 1200.0  # a bound for a stuck loop, not the goal: the benchmark prints the time


Scratch = maintainer_loop.ScratchAssistant


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    root = maintainer_loop.scratch_copy(tmp_path_factory.mktemp("checkout"))
    with maintainer_loop.running(root) as running:
        yield running


def test_a_new_plain_question_is_answered_by_the_running_assistant(
    assistant: Scratch,
) -> None:
    started_with = assistant.served_model()
    sender = "maintainer-before"
    assistant.say(sender, "I study at Jiangsu Normal University")
    before = assistant.say(sender, "which exit-entry branch handles the permit in Xuzhou")
    assert "Jiangsu Normal University, Article 2" not in before

    change = next(c for c in maintainer_loop.CHANGES if c.name == "a new plain question")
    live, answered = maintainer_loop.measure(assistant, change, TIMEOUT)
    print(f"new plain question: model live after {live:.0f} s, answered after {answered:.0f} s")
    assert assistant.served_model() != started_with
    assert "now answers with" in assistant.log_text()
    # The same Rasa process answered before and after: swapped, not restarted.
    assert assistant.log_text().count("starting rasa") == 1


def test_a_change_the_check_refuses_never_goes_live(
    assistant: Scratch,
) -> None:
    served = assistant.served_model()
    write(assistant.root / "data" / "questions",
          question("closed_area_rule", answers=[{"university": "JSNU", "article": "99",
                                                 "en": "An answer.", "zh": "一个回答。"}]))
    maintainer_loop.until(lambda: "refuses the change" in assistant.log_text(), TIMEOUT,
                          lambda: assistant.log_text()[-3000:])
    assert "JSNU's document has no article “99”" in assistant.log_text()
    time.sleep(5)
    assert assistant.served_model() == served
    # The assistant goes on answering from the model it had.
    assistant.say("maintainer-after", "I study at Jiangsu Normal University")
    assert "Jiangsu Normal University, Article 13" in assistant.say(
        "maintainer-after", "I lost my passport, what should I do?")
