"""The two-core writer: results come back in order, and failures are not lost."""

from __future__ import annotations

import errno
import os
import signal
import time

import pytest

from pipeline.errors import Finding, PipelineError, SourceLocation
from pipeline.parallel import ChildFailed, in_parallel


def test_both_halves_run_and_come_back_in_order() -> None:
    parent = os.getpid()
    child_pid, here_pid = in_parallel(os.getpid, os.getpid)
    assert here_pid == parent
    assert child_pid != parent  # really another process


def test_an_editors_error_in_the_child_is_the_same_error_here() -> None:
    finding = Finding(SourceLocation.of("content/axes/axe-1.yml", 3), "pilote inconnu")

    def fail() -> None:
        raise PipelineError([finding])

    with pytest.raises(PipelineError) as caught:
        in_parallel(fail, lambda: None)
    assert caught.value.findings == [finding]


def test_a_crash_in_the_child_is_reported_not_swallowed() -> None:
    def crash() -> None:
        raise KeyError("axe-9")

    with pytest.raises(ChildFailed, match="KeyError"):
        in_parallel(crash, lambda: None)


def test_an_error_here_stops_the_child_before_returning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Nothing of the child survives the call: it cannot write into a folder being removed."""
    started, marker = tmp_path / "child-started", tmp_path / "child-done"

    def child() -> None:
        started.write_text(str(os.getpid()))
        time.sleep(1)
        marker.write_text("ok")

    def here() -> None:
        while not started.exists() or not started.read_text():
            time.sleep(0.01)
        raise PipelineError([Finding(SourceLocation.of("content/edition.yml", 1), "x")])

    with pytest.raises(PipelineError):
        in_parallel(child, here)
    with pytest.raises(ChildProcessError):
        os.waitpid(int(started.read_text()), os.WNOHANG)  # already reaped
    time.sleep(1.2)
    assert not marker.exists()


def test_an_error_of_the_machine_in_the_child_is_the_same_error_here(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = str(tmp_path / "schema.pdf")

    def full_disk() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", target)

    with pytest.raises(OSError) as caught:
        in_parallel(full_disk, lambda: None)
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, target)


def test_a_child_ended_by_ctrl_c_is_an_interruption_here() -> None:
    """Ctrl-C reaches the whole process group; when the child dies of it before this side
    raises its own KeyboardInterrupt, the build is still interrupted, not crashed."""
    with pytest.raises(KeyboardInterrupt):
        in_parallel(lambda: os.kill(os.getpid(), signal.SIGINT), lambda: None)


