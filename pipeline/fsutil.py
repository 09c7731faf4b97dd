"""Atomic, write-only-if-changed file output: the one way the pipeline writes a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pipeline.errors import InputError

__all__ = ["write_text_file"]


def write_text_file(path: Path, text: str, *, encoding: str = "utf-8") -> bool:
    """Write ``text`` to ``path`` atomically, only if the bytes change; True if written.

    UTF-8 unless ``encoding`` says otherwise (a PO file keeps the charset it declares).

    The new content goes to a temporary file in the same directory, is fsynced and renamed over
    the old file, so a crash leaves either the old or the new file, never half of one. Skipping
    identical content keeps mtimes (and make-style rebuilds) quiet. Parent directories are
    created; an existing file keeps its permissions.
    """
    path = Path(path)
    data = text.encode(encoding)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from exc
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_directory(path.parent)
    except OSError as exc:
        raise InputError(f"cannot write file: {exc.strerror}", path=path) from exc
    return True


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
