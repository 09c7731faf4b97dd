"""One exception tree for the whole pipeline.

::

    PipelineError                 root; ``exit_code`` tells the CLI what to return
    ├── UsageError                bad command-line usage (exit 2)
    ├── ConfigError               bad [tool.pipeline] configuration or locale (exit 2)
    ├── InputError                a malformed source, PO, YAML or package file (exit 2)
    │   ├── SourceError           a source article, transcript or subtitle file
    │   ├── CatalogError          a PO/POT file
    │   ├── GlossaryError         glossary.yaml
    │   └── LexiconError          contrast.yaml (the contrast lexicon)
    ├── StateError                a file the pipeline keeps for itself (translation memory,
    │                             MT cache) is damaged or of another version; rebuildable (exit 2)
    ├── MTUnavailable             machine translation asked for but cannot run (exit 2)
    ├── MTError                   the MT engine failed or answered wrongly while running (exit 2)
    ├── NotReady                  the command worked but content is not ready (exit 1)
    └── Busy                      another command holds the project lock (exit 1)

Every message reads ``path:line: what is wrong; how to fix it`` where a path and line are
known, so an editor can jump to the spot. Third-party exceptions are translated into these at
the boundary with ``raise ... from exc``; a user never sees a traceback. An error's location
is set when it is raised and never changed: the CLI only chooses how to show it
(:meth:`PipelineError.location_message` with ``relative_to``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

__all__ = [
    "Busy",
    "CatalogError",
    "ConfigError",
    "GlossaryError",
    "InputError",
    "LexiconError",
    "MTError",
    "MTUnavailable",
    "NotReady",
    "PipelineError",
    "SourceError",
    "StateError",
    "UsageError",
]


class PipelineError(Exception):
    """Root of every error the pipeline reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self._message = message
        self._path = None if path is None else str(path)
        self._line = line
        super().__init__(self.location_message())

    @property
    def message(self) -> str:
        """What is wrong and how to fix it, without the location."""
        return self._message

    @property
    def path(self) -> str | None:
        """The file the error is about, as given when it was raised (read only)."""
        return self._path

    @property
    def line(self) -> int | None:
        """The 1-based line in :attr:`path`, when known (read only)."""
        return self._line

    def location_message(self, *, relative_to: str | Path | None = None) -> str:
        """The message prefixed with ``path:line:`` (or ``path:``) when those are known.

        ``relative_to`` shows a path inside that folder relative to it, as editors and CI logs
        expect; the error itself keeps the path it was raised with.

        >>> error = CatalogError("bad", path="/work/site/locales/en.po", line=3)
        >>> error.location_message(relative_to="/work/site")
        'locales/en.po:3: bad'
        >>> error.path
        '/work/site/locales/en.po'
        """
        path = self._path
        if path is None:
            return self._message
        if relative_to is not None and Path(path).is_absolute():
            with contextlib.suppress(ValueError):  # outside the folder: keep it absolute
                path = Path(path).resolve().relative_to(Path(relative_to).resolve()).as_posix()
        if self._line is None:
            return f"{path}: {self._message}"
        return f"{path}:{self._line}: {self._message}"


class UsageError(PipelineError):
    """The command line asks for something that cannot be done."""


class ConfigError(PipelineError):
    """The project configuration is invalid."""


class InputError(PipelineError):
    """An input file is malformed."""


class SourceError(InputError):
    """A source article, transcript or subtitle file cannot be read or segmented."""


class CatalogError(InputError):
    """A PO or POT file is malformed."""


class GlossaryError(InputError):
    """glossary.yaml is malformed or inconsistent."""


class LexiconError(InputError):
    """contrast.yaml (the contrast lexicon of the meaning checks) is malformed."""


class StateError(PipelineError):
    """A file the pipeline keeps for itself (translation memory, MT cache) cannot be used;
    the message says how to rebuild it."""


class MTUnavailable(PipelineError):
    """Machine translation was asked for but cannot run (no ``mt`` extra, no model)."""


class MTError(PipelineError):
    """The MT engine failed, or answered wrongly, while translating."""


class NotReady(PipelineError):
    """The command worked, but the content is not ready (untranslated, failing checks...)."""

    exit_code = 1


class Busy(PipelineError):
    """Another pipeline command is writing to the project; nothing was changed."""

    exit_code = 1
