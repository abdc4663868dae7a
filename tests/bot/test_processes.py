"""The commands `make run` starts, read by the programs that receive them."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from config.settings import load_settings
from supervisor.processes import REPO_ROOT, assistant_processes, rasa_python

# Rasa's own parser for `rasa run`, in the engine's environment, given the argv that
# engine.serving.server builds from the launcher's arguments and RASA_API_TOKEN.
READ_RASA_ARGUMENTS = """
import json, os, sys
from rasa.__main__ import create_argument_parser
from engine.serving.server import rasa_argv
argv = rasa_argv(sys.argv[1:], os.environ["RASA_API_TOKEN"])[1:]
arguments = create_argument_parser().parse_args(argv)
print(json.dumps({"auth_token": arguments.auth_token, "port": arguments.port,
                  "interface": arguments.interface, "cors": arguments.cors}))
"""


@pytest.mark.parametrize("token", [
    "-BXiQEL5Wx5Mv0b1JYqsQ2k3nDuE7cGz",  # token_urlsafe draws "-" first about one time in 64
    "--enable-api",
    "plain_Token-123",
    "with space & ampersand=",
])
def test_rasa_reads_the_api_token_it_is_given(token: str, tmp_path: Path) -> None:
    settings = replace(load_settings(), rasa_api_token=token)
    rasa = next(spec for spec in assistant_processes(settings, tmp_path / "model.tar.gz")
                if spec.name == "rasa")
    python = rasa_python()
    assert rasa.argv[:3] == (str(python), "-m", "engine.serving.server")
    assert not any(argument.startswith("--auth-token") for argument in rasa.argv)  # `ps` shows it
    read = subprocess.run([str(python), "-c", READ_RASA_ARGUMENTS, *rasa.argv[3:]],
                          capture_output=True, text=True, timeout=120, check=False,
                          cwd=REPO_ROOT, env={**rasa.env, "PATH": os.environ["PATH"]})
    assert read.returncode == 0, read.stderr[-2000:]
    assert json.loads(read.stdout.splitlines()[-1]) == {
        "auth_token": token, "port": settings.rasa_port, "interface": "127.0.0.1",
        "cors": [f"http://localhost:{settings.web_port}", f"http://127.0.0.1:{settings.web_port}"],
    }
    assert rasa.ready_url is not None
    assert parse_qs(urlsplit(rasa.ready_url).query) == {"token": [token]}
