"""Stage 5 support — the operating system: calls the standard library lacks, signals, errors.

Used by the publish stage and the two-core writer: `exchange` swaps two folders in one
step (Linux `renameat2` with RENAME_EXCHANGE, through ctypes), `die_with_parent` makes a
forked child end with its parent (`prctl` PR_SET_PDEATHSIG), `held_signals` keeps Ctrl-C
and SIGTERM from cutting a switch or a clean-up in two, `environment_message` says in
French what an `OSError` means for the person who must fix it (rights, full disk…),
`few_collections` keeps Python's cycle collector from scanning a layout again and again,
and `leave` ends a command without tidying its memory.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

AT_FDCWD = -100
RENAME_EXCHANGE = 2
PR_SET_PDEATHSIG = 1
STOPPING = (signal.SIGINT, signal.SIGTERM)


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - a Linux without a C library to open
        return None


LIBC = _libc()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step; False (nothing done) when the system cannot."""
    call = getattr(LIBC, "renameat2", None)
    if call is None:
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    call.restype = ctypes.c_int
    if call(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel, or file system
        return False
    raise OSError(code, os.strerror(code), str(second))


def die_with_parent(parent: int) -> None:
    """In a forked child: be killed when `parent` dies, and leave now if it already has."""
    call = getattr(LIBC, "prctl", None)
    if call is not None:
        call(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0),
             ctypes.c_ulong(0), ctypes.c_ulong(0))
    if os.getppid() != parent:
        os._exit(1)


@contextmanager
def held_signals(deliver_after: bool = True) -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done; then they are delivered, or dropped
    when `deliver_after` is false (the work they would have stopped is finished)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda number, _frame: received.append(number))
                for sig in STOPPING}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received and deliver_after:
            signal.raise_signal(received[0])


# What an OSError means, and what to do about it.
_ADVICE = {
    errno.ENOSPC: "disque plein : libérez de la place, puis relancez",
    errno.EDQUOT: "quota disque dépassé : libérez de la place, puis relancez",
    errno.EROFS: "système de fichiers en lecture seule : choisissez un dossier de sortie "
                 "inscriptible (--out)",
    errno.EACCES: "accès refusé (permission refusée) : vérifiez les droits de ce chemin",
    errno.EPERM: "opération non permise : vérifiez les droits de ce chemin",
    errno.ENOENT: "introuvable : vérifiez que ce chemin existe (a-t-il été déplacé ?)",
    errno.EBUSY: "chemin occupé (point de montage ?) : choisissez un autre dossier de sortie "
                 "(--out)",
    errno.EXDEV: "dossier sur un autre disque que son parent (point de montage ?) : choisissez "
                 "un autre dossier de sortie (--out)",
}


def environment_message(exc: OSError) -> str:
    """What went wrong, in French, for a problem of the machine rather than the content."""
    return _ADVICE.get(exc.errno or 0, f"écriture ou lecture impossible ({exc.strerror or exc}) "
                       ": vérifiez le disque et les droits de ce chemin")


@contextmanager
def few_collections() -> Iterator[None]:
    """Python's cycle collector run seldom while this lasts (a build): a layout makes
    millions of objects that live until it is written, and the collector scanned them again
    and again, a tenth of the layout's time (measured: 6.0 s, then 5.5 s). Set back after."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def leave(code: int) -> None:
    """End the command now with `code`, its output flushed, without Python's tidying of its
    memory at exit (0.6 s after a build, for pages the system frees at once); every file
    it wrote is closed already."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
