"""Rasa sends the domain only to the actions that read it (endpoints.yml
``enable_selective_domain``): every action whose ``run`` reads its ``domain`` argument is a
``validate_*`` form action or is marked ``send_domain: true`` in domain.yml."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def actions_reading_the_domain() -> dict[str, str]:
    """Action name -> module, for each action class whose ``run`` uses ``domain``."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "actions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            methods = {m.name: m for m in node.body
                       if isinstance(m, ast.AsyncFunctionDef | ast.FunctionDef)}
            name, run = methods.get("name"), methods.get("run")
            if name is None or run is None:
                continue
            returned = [n.value.value for n in ast.walk(name)
                        if isinstance(n, ast.Return) and isinstance(n.value, ast.Constant)]
            uses = any(isinstance(n, ast.Name) and n.id == "domain" for n in ast.walk(run)
                       if n not in run.args.args)
            if returned and uses:
                found[str(returned[0])] = path.name
    return found


def test_every_action_that_reads_the_domain_is_sent_it() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    sent = {next(iter(a)) for a in domain["actions"]
            if isinstance(a, dict) and next(iter(a.values())).get("send_domain")}
    readers = actions_reading_the_domain()
    assert {"action_answer_deadline", "action_permit_duration"} <= set(readers)  # it finds them
    missing = {name: module for name, module in readers.items()
               if not name.startswith("validate_") and name not in sent}
    assert missing == {}, f"mark these `send_domain: true` in domain.yml: {missing}"


def test_both_endpoint_files_send_the_domain_selectively() -> None:
    for name in ("endpoints.yml", "endpoints.cluster.yml"):
        endpoints = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
        assert endpoints["action_endpoint"]["enable_selective_domain"] is True, name
