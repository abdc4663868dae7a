"""A process that imports the staff app once and forks a fresh server process for each start
(``tests/staff/servers.py``): the staff tests start about sixty servers, and each
``python -m staff.api`` spent most of its start-up importing the same modules again.

Each child is a real, separate server process: it runs ``staff.api.main`` with the arguments
and the whole environment of its request, in a session of its own, its output in the file
the request names. Requests are JSON lines on stdin ({"argv", "env", "output"}); the answer is
the child's pid. The children are reaped by the kernel (SIGCHLD ignored), so a stopped one
vanishes: ``os.kill(pid, 0)`` then raises ProcessLookupError.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback

import staff.api


def _serve(request: dict[str, object]) -> int:
    """In the child: become the server the request describes; never returns."""
    code = 1
    try:
        os.setsid()
        output = os.open(str(request["output"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        argv = request["argv"]
        assert isinstance(argv, list)
        code = staff.api.main([str(arg) for arg in argv])
    except BaseException:  # whatever it is, the output file must show it
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _serve(request)
        print(json.dumps({"pid": pid}), flush=True)


if __name__ == "__main__":
    main()
