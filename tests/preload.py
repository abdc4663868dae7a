"""Runs scripts in the Rasa engine's environment without importing Rasa again for each
(``tests/engine_runner.py``): importing Rasa takes 10-15 s on these machines, and a dozen
checks in the suite each needed a fresh ``python -c`` of their own.

Run with the engine's Python. It imports Rasa's heavy modules once, then for each request
(a JSON line on stdin: {"script", "argv", "env", "cwd", "stdout", "stderr"}) forks a child
that runs the script as ``python -c`` would (``__name__ == "__main__"``, ``sys.argv``), with
the request's whole environment and working directory, its output in the two files named. The
answer, one JSON line, is the child's exit status. Each script gets a process of its own: what
one changes (gc.freeze, global state, a model loaded) never reaches the next.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback

# What the checks import: loaded here once, shared by every child copy-on-write.
PRELOADED = ("rasa.core.agent", "rasa.core.actions.action", "rasa.shared.core.domain",
             "rasa.shared.importers.importer", "rasa.core.nlg.response", "keras",
             "engine.components")


def _run(request: dict[str, object]) -> None:
    """In the child: run the request's script; never returns."""
    code: object = 0
    try:
        for fd, name in ((1, "stdout"), (2, "stderr")):
            os.dup2(os.open(str(request[name]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        env = request["env"]
        argv = request["argv"]
        assert isinstance(env, dict) and isinstance(argv, list)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(str(request["cwd"]))
        sys.argv = ["-c", *map(str, argv)]
        exec(compile(str(request["script"]), "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as stop:
        code = stop.code
    except BaseException:  # as python -c would: the traceback on stderr, status 1
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


def main() -> None:
    for name in PRELOADED:
        importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run(request)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
