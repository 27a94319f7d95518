"""Run tasks in a child process with a hard wall-clock limit.

:class:`IsolatedRunner` keeps one persistent child Python process (started
once, so imports are paid once) and sends it one task at a time as a line
of JSON.  The child calls a function named ``"module:function"`` on the
task and answers with a line of JSON.  If no answer comes within the hard
limit, the runner kills the child's whole process group (SIGKILL: the
solver, and any process the solver started) and reports the task as
``UNKNOWN``; the next task starts a fresh child.  A child that dies
(segmentation fault, out of memory) is reported as ``ERROR`` with the tail
of its standard error.

This is how a sweep enforces its per-task time limit: at the process level,
whatever the solver does (CaDiCaL cannot be interrupted from Python).  It
works inside daemonic processes too (Dask workers), because the child is a
plain :mod:`subprocess`, not a :mod:`multiprocessing` child.

The child is killed when the thread that started it dies (Linux
``PR_SET_PDEATHSIG``), so killing a sweep leaves no orphan solvers behind.

Examples
--------
>>> with IsolatedRunner("json:loads") as runner:
...     runner.run('{"status": "SAT"}', hard_limit=30)["status"]
'SAT'
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

__all__ = ["IsolatedRunner", "WorkerStartError", "STATUS_KILLED_REASON"]

STATUS_KILLED_REASON = "killed at the hard limit of {limit:g} s"
_REPO = str(Path(__file__).resolve().parents[1])


def _resolve(target: str) -> Callable[[Any], Any]:
    module, _, name = target.partition(":")
    if not module or not name:
        raise ValueError(f"target must be 'module:function', got {target!r}")
    return getattr(importlib.import_module(module), name)


class IsolatedRunner:
    """A persistent child process that runs ``target(task)`` with a hard limit per call.

    Parameters
    ----------
    target : str
        ``"module:function"``; the function takes the decoded JSON task and
        returns something JSON-serialisable (a dict for sweeps).
    threads : int or None
        Sets ``OMP_NUM_THREADS`` and friends in the child (one per worker
        by default, so that workers do not fight over cores).
    preload : sequence of str
        Modules the child imports before it reports ready (torch takes
        seconds), so that import time never counts against a task's limit.
    start_timeout : float
        Seconds the child may take to start and import.
    """

    def __init__(self, target: str, *, threads: int | None = 1, preload: Sequence[str] = (),
                 start_timeout: float = 300.0) -> None:
        self.target = target
        self.threads = threads
        self.preload = tuple(preload)
        self.start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self._buffer = b""
        self.started = 0  # children started so far (1 + kills + crashes)

    # -- lifecycle -----------------------------------------------------------

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env["PYTHONPATH"] = _REPO + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        if self.threads is not None:
            for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
                env[name] = str(self.threads)
        self._log = tempfile.TemporaryFile()
        self._buffer = b""
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "solvers.experiments.isolation", self.target, *self.preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, env=env,
            start_new_session=True,  # its own process group: killpg reaches the solver's children
        )
        self.started += 1
        ready = self._read_line(self._proc, time.monotonic() + self.start_timeout)
        if ready is _TIMEOUT or ready is None:
            code = self._proc.poll()
            tail = self._stderr_tail()
            self.close()
            raise WorkerStartError(f"the worker process did not start (exit code {code}): {tail or 'no output'}")
        return self._proc

    def close(self) -> None:
        """Stop the child (kill its process group) and reap it."""
        proc, self._proc = self._proc, None
        if proc is not None:
            self._kill(proc)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "IsolatedRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        proc.wait()

    def _stderr_tail(self, limit: int = 400) -> str:
        if self._log is None:
            return ""
        self._log.seek(0, os.SEEK_END)
        size = self._log.tell()
        self._log.seek(max(0, size - limit))
        lines = self._log.read().decode(errors="replace").strip().splitlines()
        return " | ".join(lines[-3:])

    # -- one task ------------------------------------------------------------

    def run(self, task: Any, *, hard_limit: float | None) -> Any:
        """Run ``target(task)`` in the child; at most ``hard_limit`` seconds of wall time.

        Returns the target's answer; or ``{"status": "UNKNOWN", "reason":
        "killed at the hard limit ..."}`` when the limit passed (the child
        is killed); or ``{"status": "ERROR", "reason": ...}`` when the child
        died or the target raised.
        """
        try:
            proc = self._proc if self._proc is not None and self._proc.poll() is None else self._start()
        except WorkerStartError as error:
            return {"status": "ERROR", "reason": str(error)}
        line = json.dumps(task).encode() + b"\n"
        start = time.monotonic()
        try:
            assert proc.stdin is not None
            proc.stdin.write(line)
            proc.stdin.flush()
            answer = self._read_line(proc, None if hard_limit is None else start + hard_limit)
        except (BrokenPipeError, EOFError):
            answer = None
        if answer is _TIMEOUT:
            self.close()
            return {"status": "UNKNOWN", "reason": STATUS_KILLED_REASON.format(limit=hard_limit),
                    "wall_s": time.monotonic() - start}
        if answer is None:  # the child died
            code = proc.wait()
            tail = self._stderr_tail()
            self.close()
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            return {"status": "ERROR", "reason": f"worker process died ({how})" + (f": {tail}" if tail else "")}
        message = json.loads(answer)
        if message.get("error") is not None:
            return {"status": "ERROR", "reason": message["error"]}
        return message["result"]

    def _read_line(self, proc: subprocess.Popen[bytes], deadline: float | None) -> Any:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                return _TIMEOUT
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                return _TIMEOUT
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line


_TIMEOUT = object()


class WorkerStartError(RuntimeError):
    """The child process died or hung before it was ready."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to SIGKILL this process when the thread that started it exits."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _child(target: str, preload: Sequence[str] = ()) -> int:  # pragma: no cover - runs in the child
    """The child's loop: ``{"ready"}``, then a JSON task per line in, ``{"result"|"error"}`` per line out."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        return 1
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # a stray print() from a library goes to the log, not into the protocol
    function = _resolve(target)
    for module in preload:
        importlib.import_module(module)
    protocol.write(json.dumps({"ready": True}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        try:
            reply = {"result": function(json.loads(line))}
        except Exception as error:  # the coordinator records it; the child lives on
            reply = {"error": f"{type(error).__name__}: {error}"}
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover - the child's entry point
    sys.exit(_child(sys.argv[1], sys.argv[2:]))
