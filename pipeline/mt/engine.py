"""The one interface every machine-translation engine offers, and a fake for tests.

The pipeline calls ``translate_batch`` once per locale pair with every pending segment of every
catalog, so an engine can batch, sort and parallelise as it likes. ``name`` and ``version``
are written into each draft's origin comment; ``settings`` (the decoding settings that change
the output) join them in the MT cache key, so changing the beam size re-translates.

>>> engine = FakeTranslator()
>>> engine.translate_batch(["颅内客观缓解率为90.8%。"])
['[en] 颅内客观缓解率为90.8%。']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["FakeTranslator", "PivotTranslator", "Progress", "Translator"]

Progress = Callable[[int], None]
"""Called with the number of sentences finished since the last call."""


@runtime_checkable
class Translator(Protocol):
    """A machine-translation engine for one locale pair."""

    @property
    def name(self) -> str:
        """Shown in each draft's origin comment: ``mt <name> <version>``."""
        ...

    @property
    def version(self) -> str: ...

    @property
    def settings(self) -> Mapping[str, object]:
        """Decoding settings that change the output (beam size, compute type...)."""
        ...

    def translate_batch(
        self, sentences: Sequence[str], *, progress: Progress | None = None
    ) -> list[str]:
        """Translate every sentence, in order; one output per input."""
        ...


@dataclass(kw_only=True)
class FakeTranslator:
    """A deterministic engine for unit tests: no model, records every call.

    ``translate`` maps one sentence to its translation (default: prefix with ``[en] ``, which
    keeps numbers, Latin terms and markup placeholders, as a good engine would).
    """

    name: str = "fake"
    version: str = "1"
    translate: Callable[[str], str] | None = None
    settings: dict[str, object] = field(default_factory=dict)
    calls: list[list[str]] = field(default_factory=list)

    def translate_batch(
        self, sentences: Sequence[str], *, progress: Progress | None = None
    ) -> list[str]:
        self.calls.append(list(sentences))
        convert = self.translate or (lambda text: f"[en] {text}")
        outputs = [convert(sentence) for sentence in sentences]
        if progress is not None and outputs:
            progress(len(outputs))
        return outputs


@dataclass(kw_only=True)
class PivotTranslator:
    """Two engines chained through an intermediate language (zh->en->ko), as argostranslate does.

    Progress counts half a sentence per stage, so a bar still ends at the number of sentences.
    """

    first: Translator
    second: Translator

    @property
    def name(self) -> str:
        return f"{self.first.name} + {self.second.name}"

    @property
    def version(self) -> str:
        return f"{self.first.version}+{self.second.version}"

    @property
    def settings(self) -> Mapping[str, object]:
        return {"first": dict(self.first.settings), "second": dict(self.second.settings)}

    def translate_batch(
        self, sentences: Sequence[str], *, progress: Progress | None = None
    ) -> list[str]:
        halves = _HalfProgress(progress) if progress is not None else None
        intermediate = self.first.translate_batch(
            sentences, progress=halves.first if halves else None
        )
        return self.second.translate_batch(
            intermediate, progress=halves.second if halves else None
        )


class _HalfProgress:
    """Counts each sentence twice (once per stage) and reports whole sentences."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._stages_done = 0

    def first(self, count: int) -> None:
        self._advance(count)

    def second(self, count: int) -> None:
        self._advance(count)

    def _advance(self, count: int) -> None:
        before = self._stages_done // 2
        self._stages_done += count
        if self._stages_done // 2 > before:
            self._progress(self._stages_done // 2 - before)
