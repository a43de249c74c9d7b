"""Two cores, one layout: run two halves of the writing at once, sharing laid-out pages.

`in_parallel` forks: the child inherits the documents already laid out (WeasyPrint pages
cannot be pickled, but a fork needs no pickling), runs its half and sends back only its
small, picklable result. An editor's error in the child comes back as the same
`PipelineError`; anything else is re-raised here as an internal error.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from pipeline.errors import PipelineError

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
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, reported through the pipe
        os.close(read)
        _serve(child, write)
    os.close(write)
    try:
        mine = here()
    finally:
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    return _result(payload), mine


def _serve(task: Callable[[], object], write: int) -> None:  # pragma: no cover
    try:
        payload = pickle.dumps(("ok", task()))
    except PipelineError as exc:
        payload = pickle.dumps(("findings", exc.findings))
    except BaseException as exc:  # the parent reports it: never leave the child silent
        payload = pickle.dumps(("crash", f"{type(exc).__name__} : {exc}"))
    with os.fdopen(write, "wb") as pipe:
        pipe.write(payload)
    os._exit(0)


def _result(payload: bytes) -> Any:
    if not payload:
        raise ChildFailed("le processus de mise en page parallèle s'est arrêté sans réponse")
    status, value = pickle.loads(payload)
    if status == "findings":
        raise PipelineError(value)
    if status == "crash":
        raise ChildFailed(value)
    return value
