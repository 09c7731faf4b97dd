"""The project's write lock: two commands (say, two scheduled builds) never interleave writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.config import Config
from pipeline.errors import Busy

__all__ = ["project_lock"]

LOCK_TIMEOUT_S = 600


@contextmanager
def project_lock(config: Config, *, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``<state>/pipeline.lock`` while writing into the project.

    The lock is a singleton per path, so a command that already holds it (``build`` calling
    segmentation, pre-translation…) re-enters instead of waiting on itself.
    """
    config.state_dir.mkdir(parents=True, exist_ok=True)
    # The wait is given to acquire(), not to the singleton: callers in one process may wait
    # for different times (a build's lock_timeout, --wait), and filelock refuses a singleton
    # created again with other arguments.
    lock = FileLock(str(config.state_dir / "pipeline.lock"), is_singleton=True)
    try:
        lock.acquire(timeout=timeout_s)
    except Timeout as exc:
        raise Busy(
            f"another pipeline command has been writing to this project for over "
            f"{timeout_s:g} s; wait for it to finish, or delete the lock if it crashed",
            path=config.relative(Path(lock.lock_file)),
        ) from exc
    try:
        yield
    finally:
        lock.release()
