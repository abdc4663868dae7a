"""Every response an action utters by name is in the domain (Rasa would send nothing)."""

from __future__ import annotations

import re
from typing import Any

from bot.processes import REPO_ROOT

NAMED = re.compile(r"""response=["'](utter_[a-z0-9_]+)["']""")


def test_every_response_named_in_actions_is_in_the_domain(domain: dict[str, Any]) -> None:
    named = {match for path in (REPO_ROOT / "actions").glob("*.py")
             for match in NAMED.findall(path.read_text(encoding="utf-8"))}
    assert len(named) > 10
    assert sorted(named - set(domain["responses"])) == []
