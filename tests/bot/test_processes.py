"""The commands `make run` starts, read by the programs that receive them."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.processes import assistant_processes, rasa_python
from office.settings import load_settings

# Rasa's own parser for `rasa run`, in the engine's environment: prints what it read.
READ_RASA_ARGUMENTS = """
import json, sys
from rasa.__main__ import create_argument_parser
arguments = create_argument_parser().parse_args(sys.argv[1:])
print(json.dumps({"auth_token": arguments.auth_token, "port": arguments.port}))
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
    read = subprocess.run([str(python), "-c", READ_RASA_ARGUMENTS, *rasa.argv[1:]],
                          capture_output=True, text=True, timeout=120, check=False)
    assert read.returncode == 0, read.stderr[-2000:]
    assert json.loads(read.stdout.splitlines()[-1]) == {"auth_token": token,
                                                        "port": settings.rasa_port}
    assert rasa.ready_url is not None
    assert parse_qs(urlsplit(rasa.ready_url).query) == {"token": [token]}
