"""Two cores, one layout: run two halves of the writing at once, sharing laid-out pages.

`in_parallel` forks: the child inherits the documents already laid out (WeasyPrint pages
cannot be pickled, but a fork needs no pickling), runs its half and sends back only its
small, picklable result. An editor's error in the child comes back as the same
`PipelineError`, an error of the machine (full disk…) as the same `OSError`; anything
else is re-raised here as an internal error. The child never outlives the call: it dies
with its parent (even a killed one), and is killed and reaped when this side fails or is
interrupted, before anything it wrote is removed.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from pipeline.errors import PipelineError
from pipeline.system import STOPPING, die_with_parent, held_signals

A = TypeVar("A")
B = TypeVar("B")


class ChildFailed(RuntimeError):
    """The forked half failed for a reason that is not the content's."""


def in_parallel(child: Callable[[], A], here: Callable[[], B]) -> tuple[A, B]:
    """(child(), here()), the first computed in a forked process when the system allows."""
    if not hasattr(os, "fork"):
        return child(), here()
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, reported through the pipe
        os.close(read)
        _serve(child, write, parent)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        try:
            mine = here()
            payload = pipe.read()
        except BaseException:
            _reap(pid, kill=True)
            raise
    return _result(payload, _reap(pid)), mine


def _serve(task: Callable[[], object], write: int, parent: int) -> None:  # pragma: no cover
    try:
        for sig in STOPPING:  # Ctrl-C and SIGTERM simply end the child: the parent reports
            signal.signal(sig, signal.SIG_DFL)
        die_with_parent(parent)
        outcome = _outcome(task)
        try:
            payload = pickle.dumps(outcome)
        except Exception as exc:
            payload = pickle.dumps(("crash", f"résultat intransmissible : {exc}"))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # never run the parent's code on return


def _outcome(task: Callable[[], object]) -> tuple[str, object]:  # pragma: no cover
    try:
        return "ok", task()
    except PipelineError as exc:
        return "findings", exc.findings
    except OSError as exc:
        if exc.errno is not None:
            return "oserror", (exc.errno, exc.strerror, exc.filename)
        return "crash", f"{type(exc).__name__} : {exc}"
    except BaseException as exc:  # the parent reports it: never leave the child silent
        return "crash", f"{type(exc).__name__} : {exc}"


def _reap(pid: int, kill: bool = False) -> int:
    """Wait for the child (killed first if `kill`), never cut short: its wait status."""
    with held_signals():
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return os.waitpid(pid, 0)[1]


def _result(payload: bytes, status: int) -> Any:
    if not payload and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
        # Ctrl-C reached the whole process group and ended the child first: this side's
        # own KeyboardInterrupt may not have been raised yet; it is the same interruption
        raise KeyboardInterrupt
    if not payload:
        how = (f"tué par le signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"code de sortie {os.waitstatus_to_exitcode(status)}")
        raise ChildFailed(f"le processus de mise en page parallèle s'est arrêté sans réponse "
                          f"({how})")
    kind, value = pickle.loads(payload)
    if kind == "findings":
        raise PipelineError(value)
    if kind == "oserror":
        raise OSError(*value)
    if kind == "crash":
        raise ChildFailed(value)
    return value
