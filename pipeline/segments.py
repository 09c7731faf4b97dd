"""Segments: the translatable units a reader finds in a source file, and their stable ids."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# CPython's own SHA-256, as the standard library's ``random`` takes its SHA-512: importing
# hashlib loads OpenSSL's libcrypto, several milliseconds of every segmenting command's
# start-up. Same digest; hashlib where the module is absent (its name changed in 3.12).
try:
    from _sha2 import sha256  # type: ignore[import-not-found]
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment]

__all__ = ["Segment", "segment_id"]


@dataclass(frozen=True, kw_only=True)
class Segment:
    """One sentence (or heading, cell, title…) to translate.

    ``text`` becomes the msgid: inline markup is already replaced by numbered placeholders
    (``<1>…</1>``, ``<2/>``). ``kind`` is shown to translators as a ``#.`` note (``heading 2``,
    ``paragraph``, ``list item``, ``table cell``, ``title``, ``subtitle``, ``transcript``…).
    ``line`` is the 1-based source line where the segment starts; subtitles also keep the
    first and last cue numbers (``cues``) that the sentence spans.
    """

    text: str
    kind: str
    line: int
    cues: tuple[int, int] | None = None

    @property
    def id(self) -> str:
        return segment_id(self.text)

    @property
    def note(self) -> str:
        """The ``#.`` line that tells a translator where the segment sits."""
        if self.cues is None:
            return self.kind
        first, last = self.cues
        span = f"cue {first}" if first == last else f"cues {first}-{last}"
        return f"{self.kind}, {span}"


def segment_id(text: str) -> str:
    """Stable id of a segment: a digest of its normalised text.

    It depends on nothing but the sentence itself, so editing, inserting or moving one sentence
    never changes the id of any other; identical sentences share one entry (gettext merges
    them, with one ``#:`` reference per occurrence).

    >>> segment_id("颅内客观缓解率为90.8%。")
    's-9d3edca740c7'
    """
    normalised = unicodedata.normalize("NFC", " ".join(text.split()))
    digest = sha256(normalised.encode("utf-8")).hexdigest()
    return f"s-{digest[:12]}"
