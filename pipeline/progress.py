"""Progress of a command (all stages): one line on stdout per stage done, with its time.

Quiet enough for a log: a handful of lines per build. Each line is flushed at once, so
that the forked half of the writing (which leaves without flushing) says its part too,
and a log shows how far a build went.
"""

from __future__ import annotations

import time


def clock() -> float:
    """Now, for `say(…, since=…)`."""
    return time.perf_counter()


def say(message: str, since: float | None = None) -> None:
    """Print `message`, with the seconds elapsed `since` a `clock()` reading."""
    timing = "" if since is None else f" ({time.perf_counter() - since:.1f} s)"
    print(f"{message}{timing}", flush=True)


def plural(count: int, word: str) -> str:
    """"1 fichier", "3 fichiers"."""
    return f"{count} {word}{'' if count == 1 else 's'}"
