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
    ├── MTUnavailable             machine translation asked for but cannot run (exit 2)
    ├── NotReady                  the command worked but content is not ready (exit 1)
    └── Busy                      another command holds the project lock (exit 1)

Every message reads ``path:line: what is wrong; how to fix it`` where a path and line are
known, so an editor can jump to the spot. Third-party exceptions are translated into these at
the boundary with ``raise ... from exc``; a user never sees a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "Busy",
    "CatalogError",
    "ConfigError",
    "GlossaryError",
    "InputError",
    "LexiconError",
    "MTUnavailable",
    "NotReady",
    "PipelineError",
    "SourceError",
    "UsageError",
]


class PipelineError(Exception):
    """Root of every error the pipeline reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(self.location_message())

    def location_message(self) -> str:
        """The message prefixed with ``path:line:`` (or ``path:``) when those are known."""
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


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


class MTUnavailable(PipelineError):
    """Machine translation was asked for but cannot run (no ``mt`` extra, no model)."""


class NotReady(PipelineError):
    """The command worked, but the content is not ready (untranslated, failing checks...)."""

    exit_code = 1


class Busy(PipelineError):
    """Another pipeline command is writing to the project; nothing was changed."""

    exit_code = 1
