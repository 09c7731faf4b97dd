"""The one text-file reader and the one file writer of the pipeline.

Reading: :func:`read_text_file` turns a path into text (UTF-8, an initial BOM dropped) or into
one ``path:line: message`` error: not UTF-8 (with the line of the first bad byte), a folder
where a file belongs, a permission problem. Config, glossary, sources and catalogs all read
through it, so they say the same thing about the same problem.

Writing: :func:`write_text_file` writes atomically and only when the bytes change. Given the
bytes a command read, it never removes a file whose content it did not read: on Linux the new
file is swapped in with ``renameat2(RENAME_EXCHANGE)``, what was swapped out is compared with
what was read, and an editor's save made in between is swapped back.

Containment: :func:`is_inside` says whether a path, links followed, stays inside a folder; the
configuration and every reader use it so nothing is read or written through a link that leaves
the project.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, NotReady, PipelineError

__all__ = [
    "ANYTHING",
    "MAX_TEXT_BYTES",
    "decode_text",
    "is_inside",
    "read_bytes_file",
    "read_text_file",
    "write_text_file",
]

#: ``expected`` default of :func:`write_text_file`: replace whatever is there.
ANYTHING: object = object()
_ANY = ANYTHING


#: Largest text file the pipeline reads (a source, a catalog, a glossary): many times the
#: largest real one, small enough that reading it cannot exhaust memory.
MAX_TEXT_BYTES = 64 * 1024 * 1024


def decode_text(
    data: bytes, *, path: str | Path | None, error: type[PipelineError] = InputError
) -> str:
    """UTF-8 ``data`` as text, an initial BOM dropped; else ``error`` with the bad byte's line.

    A NUL byte is refused too: no text file holds one (a file that does is binary, or UTF-16),
    and every format the pipeline writes would have to drop it.

    >>> decode_text("\\ufeff第一行\\n".encode(), path="a.txt")
    '第一行\\n'
    >>> try:
    ...     decode_text(b"ok\\n\\xff", path="a.txt")
    ... except InputError as exc:
    ...     print(exc.location_message()[:51])
    a.txt:2: not valid UTF-8 (byte 0xff); save the file
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8 (in most "
            "editors: Save As, encoding UTF-8)",
            path=path,
            line=line,
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise error(
            "contains a NUL byte (\\0), which no text file holds; delete it (if the file is "
            "binary or UTF-16, save it as UTF-8 text)",
            path=path,
            line=text.count("\n", 0, nul) + 1,
        )
    return text.removeprefix("\ufeff")


def read_bytes_file(
    path: Path,
    *,
    shown: str | Path | None = None,
    error: type[PipelineError] = InputError,
    max_bytes: int = MAX_TEXT_BYTES,
) -> bytes:
    """The bytes of ``path``; a folder, a missing or unreadable file, or one over
    ``max_bytes`` is ``error`` (one line), found before anything large is read."""
    shown = path if shown is None else shown
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size <= max_bytes:
                data = stream.read(max_bytes + 1)  # a file growing meanwhile stays bounded
            if size > max_bytes or len(data) > max_bytes:
                raise error(
                    f"the file is {_size(max(size, max_bytes + 1))}, over the {_size(max_bytes)} "
                    "the pipeline reads; split it into smaller files",
                    path=shown,
                )
            return data
    except IsADirectoryError:
        raise error(
            "is a folder, not a file; remove or rename the folder", path=shown
        ) from None
    except FileNotFoundError:
        raise error("file not found; check the path", path=shown) from None
    except OSError as exc:
        raise error(
            f"cannot read the file ({exc.strerror}); check its permissions", path=shown
        ) from None


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MiB" if count >= 1024 * 1024 else f"{count} bytes"


def read_text_file(
    path: Path,
    *,
    shown: str | Path | None = None,
    error: type[PipelineError] = InputError,
    max_bytes: int = MAX_TEXT_BYTES,
) -> str:
    """The text of a UTF-8 file (BOM dropped), or ``error`` naming ``shown`` (default ``path``)
    and the line: the one way the pipeline reads a text file."""
    shown = path if shown is None else shown
    data = read_bytes_file(path, shown=shown, error=error, max_bytes=max_bytes)
    return decode_text(data, path=shown, error=error)


def is_inside(path: Path, root: Path) -> bool:
    """Does ``path``, every symbolic link followed, stay inside ``root`` (itself resolved)?"""
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return False
    return True


def write_text_file(
    path: Path, text: str, *, expected: bytes | None | object = _ANY, encoding: str = "utf-8"
) -> bool:
    """Write ``text`` to ``path`` atomically, only if the bytes change; True if written.

    UTF-8 unless ``encoding`` says otherwise (a PO file keeps the charset it declares).

    The new content goes to a temporary file in the same directory, is fsynced and renamed over
    the old file, so a crash leaves either the old or the new file, never half of one. Skipping
    identical content keeps mtimes (and make-style rebuilds) quiet. Parent directories are
    created; an existing file keeps its permissions.

    ``expected`` is what the caller read (``None``: the file did not exist). The file is then
    replaced only if it still holds exactly that; if someone (a translator's editor, which takes
    no lock) saved it meanwhile, their file stays and :class:`~pipeline.errors.NotReady` is
    raised. On Linux the check and the replacement are one atomic exchange, so no save made at
    any moment is lost.
    """
    path = Path(path)
    data = text.encode(encoding)
    checked = expected is not _ANY
    _remove_leftovers(path.parent)
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=path) from exc
    if checked and current != expected:
        raise _changed(path)
    if current == data:
        return False
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
            if checked:
                _swap_in(Path(temporary), path, data=data, expected=expected)  # type: ignore[arg-type]
            else:
                os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_directory(path.parent)
    except OSError as exc:
        raise InputError(f"cannot write the file ({exc.strerror})", path=path) from exc
    return True


#: The temporary files :func:`write_text_file` makes (``tempfile.mkstemp``'s 8 characters).
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
_CLEANED: set[Path] = set()


def _remove_leftovers(directory: Path) -> None:
    """Delete temporary files a killed run left in ``directory`` (once per process).

    SIGKILL (a CI job cancelled, the OOM killer) cannot be caught, so a run killed between
    creating its temporary file and renaming it leaves one behind; the file it was replacing
    is intact. Writers hold the project lock, so a temporary file found now is nobody's.
    """
    if directory in _CLEANED:
        return
    _CLEANED.add(directory)
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if _TEMPORARY.fullmatch(name):
            with contextlib.suppress(OSError):
                os.unlink(directory / name)


def _changed(path: Path) -> NotReady:
    return NotReady(
        "the file changed while the command was working on it (saved in an editor?); the "
        "saved file was kept and not overwritten: run the command again",
        path=path,
    )


# -- the atomic check-and-replace --------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


@functools.cache
def _libc_renameat2() -> Any:
    """libc's ``renameat2`` (glibc 2.28+), looked up on first use; None where it is missing."""
    import ctypes  # only commands that merge catalogs pay for it

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """``renameat2(2)``; False where the system or the file system does not offer it."""
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags
    )
    if result == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def _swap_in(temporary: Path, path: Path, *, data: bytes, expected: bytes | None) -> None:
    """Put ``temporary`` at ``path`` only if ``path`` holds ``expected``; never lose a save.

    Linux: the new file and the old one are exchanged in one step, then what came out is
    compared with what was read. If an editor saved in between, the exchange is undone, so
    their file is back in place; nothing that was not read is ever deleted. Elsewhere: compare,
    then rename (a window of microseconds instead of the whole command).
    """
    if expected is None:
        try:
            if _renameat2(temporary, path, _RENAME_NOREPLACE):
                return
        except FileExistsError:
            raise _changed(path) from None
        if path.exists():
            raise _changed(path)
        os.replace(temporary, path)
        return
    try:
        exchanged = _renameat2(temporary, path, _RENAME_EXCHANGE)
    except FileNotFoundError:  # the file was deleted meanwhile: do not bring it back
        raise _changed(path) from None
    if not exchanged:
        if path.read_bytes() != expected:
            raise _changed(path)
        os.replace(temporary, path)
        return
    if temporary.read_bytes() == expected:
        os.unlink(temporary)
        return
    # An editor saved between our read and the exchange: their file is now at ``temporary``.
    _renameat2(temporary, path, _RENAME_EXCHANGE)
    if temporary.read_bytes() != data:
        # They saved once more while we swapped: the newest save came out; put it back (the
        # older save it replaced is what their editor itself had just overwritten).
        _renameat2(temporary, path, _RENAME_EXCHANGE)
    os.unlink(temporary)
    raise _changed(path)


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
