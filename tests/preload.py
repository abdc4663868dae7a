"""Runs scripts and modules without importing the same libraries again for each run
(``tests/preloaded.py``): importing Rasa takes 10-15 s on these machines and the staff command
line 1.5 s, and the suite runs them dozens of times.

Run as ``python -m tests.preload MODULE ...`` with the interpreter the runs need. It imports
the modules once, then for each request (a JSON line on stdin: {"script" or "module", "argv",
"env", "cwd", "stdin", "stdout", "stderr"}) forks a child that runs the script as
``python -c`` would, or the module as ``python -m`` would (``__name__ == "__main__"``,
``sys.argv``), with the request's whole environment and working directory, standard input from
the file named (or nothing) and its output in the two files named. The answer, one JSON line,
is the child's exit status. Each run gets a process of its own: what one changes (gc.freeze,
global state, a model loaded) never reaches the next.
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import sys
import traceback


def _run(request: dict[str, object]) -> None:
    """In the child: run the request; never returns."""
    code: object = 0
    try:
        for fd, name in ((1, "stdout"), (2, "stderr")):
            os.dup2(os.open(str(request[name]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        os.dup2(os.open(str(request.get("stdin") or os.devnull), os.O_RDONLY), 0)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own
        env = request["env"]
        argv = [str(arg) for arg in request["argv"]]  # type: ignore[attr-defined]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(str(request["cwd"]))
        if "module" in request:
            sys.argv = [str(request["module"]), *argv]
            runpy.run_module(str(request["module"]), run_name="__main__", alter_sys=True)
        else:
            sys.argv = ["-c", *argv]
            exec(compile(str(request["script"]), "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as stop:
        code = stop.code
    except BaseException:  # as python would: the traceback on stderr, status 1
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    if not isinstance(code, int):
        if code is not None:
            print(code, file=sys.stderr, flush=True)  # SystemExit("message"), as python does
        code = 0 if code is None else 1
    os._exit(code)


def main() -> None:
    for name in sys.argv[1:]:
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
