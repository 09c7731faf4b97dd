"""The project's write lock: two commands (say, two scheduled builds) never interleave writes.

On POSIX the lock is ``flock(2)`` on ``<state>/pipeline.lock``, taken directly: the same
primitive, on the same file, as :class:`filelock.FileLock` (so a script holding a
``FileLock`` there keeps every command out, and the other way round), without the 10-20 ms
that importing filelock adds to every command that writes. Elsewhere (Windows) filelock
itself is used.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import Busy

__all__ = ["project_lock"]

LOCK_TIMEOUT_S = 600

#: Seconds between two attempts while another process holds the lock (filelock's default).
_POLL_S = 0.05
#: flock's answers while another process holds the lock (some file systems say EACCES).
_CONTENTION = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})
#: flock's answers on file systems that do not offer it.
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP})

#: Locks this process holds: lock file path -> (descriptor, depth). A command that already
#: holds the lock (``build`` calling segmentation, pre-translation…) re-enters instead of
#: waiting on itself.
_HELD: dict[str, tuple[int, int]] = {}


@contextmanager
def project_lock(config: Config, *, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold ``<state>/pipeline.lock`` while writing into the project.

    Waits up to ``timeout_s`` seconds for another process to release it, then raises
    :class:`~pipeline.errors.Busy`. Re-entrant within one process.
    """
    config.state_dir.mkdir(parents=True, exist_ok=True)
    path = config.state_dir / "pipeline.lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with _filelock(config, path, timeout_s):
            yield
        return
    key = os.path.abspath(path)
    held = _HELD.get(key)
    if held is None:
        fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in _CONTENTION:
                    os.close(fd)
                    if exc.errno not in _UNSUPPORTED:
                        raise
                    # A file system without flock: filelock falls back to a marker file.
                    with _filelock(config, path, timeout_s):
                        yield
                    return
            if time.monotonic() >= deadline:
                os.close(fd)
                raise _busy(config, path, timeout_s)
            time.sleep(_POLL_S)
        held = (fd, 0)
    fd, depth = held
    _HELD[key] = (fd, depth + 1)
    try:
        yield
    finally:
        if depth:
            _HELD[key] = (fd, depth)
        else:
            del _HELD[key]
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


def _busy(config: Config, path: Path, timeout_s: float) -> Busy:
    return Busy(
        f"another pipeline command has been writing to this project for over "
        f"{timeout_s:g} s; wait for it to finish, or delete the lock if it crashed",
        path=config.relative(path),
    )


@contextmanager
def _filelock(config: Config, path: Path, timeout_s: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    # The wait is given to acquire(), not to the singleton: callers in one process may wait
    # for different times (a build's lock_timeout, --wait), and filelock refuses a singleton
    # created again with other arguments.
    lock = FileLock(str(path), is_singleton=True)
    try:
        lock.acquire(timeout=timeout_s)
    except Timeout as exc:
        raise _busy(config, path, timeout_s) from exc
    try:
        yield
    finally:
        lock.release()
