"""The in-memory model of a gettext catalog; it never opens a file.

Reading and writing live in ``pipeline.po.read`` and ``pipeline.po.write``.

Entries are frozen records; a catalog is an ordered list of them plus the header. The model
keeps everything a PO editor may have written (translator comments, unknown flags, previous
msgids, obsolete entries, plural forms) so that reading and writing a file loses nothing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

__all__ = ["Catalog", "Entry", "is_origin_comment"]

_ORIGIN_COMMENT = re.compile(r"(?:tm \d{1,3}% |mt )")


def is_origin_comment(comment: str) -> bool:
    """Is this ``#.`` line one pre-translation wrote (``tm 87% …``, ``mt …``, ``mt missing: …``)?

    A merge that refreshes extracted comments from the template carries these over while the
    draft they describe is unchanged; ``pretranslate --overwrite`` relies on them to tell its
    own drafts from a translator's work.

    >>> is_origin_comment("tm 87% ntrk (numbers differ: 89.1 -> 90.8)")
    True
    >>> is_origin_comment("paragraph")
    False
    """
    return _ORIGIN_COMMENT.match(comment) is not None


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One PO entry.

    ``translator_comments`` are the ``# `` lines, ``extracted_comments`` the ``#.`` lines,
    ``references`` the whitespace-separated ``#:`` tokens (``path:line``) and ``flags`` the
    ``#,`` words, each in file order. ``previous_msgctxt``/``previous_msgid`` are the ``#|``
    lines that ``msgmerge --previous`` writes on fuzzy entries. ``lineno`` is the 1-based line
    of the entry's first line in the file it was read from (0 for entries built in memory).
    """

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    extracted_comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    lineno: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str | None, str]:
        """Identity of the entry within a catalog, as gettext sees it."""
        return (self.msgctxt, self.msgid)

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_translated(self) -> bool:
        """Has a non-empty translation (fuzzy or not)."""
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return bool(self.msgstr)

    def replace(self, **changes: object) -> Entry:
        """A copy with some fields changed (like ``dataclasses.replace``, which is several times
        slower; merging a large catalog makes hundreds of thousands of these)."""
        unknown = changes.keys() - _ENTRY_FIELDS
        if unknown:
            raise TypeError(f"Entry has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(Entry)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy

    def with_flag(self, flag: str) -> Entry:
        if flag in self.flags:
            return self
        return self.replace(flags=(*self.flags, flag))

    def without_flag(self, flag: str) -> Entry:
        if flag not in self.flags:
            return self
        return self.replace(flags=tuple(f for f in self.flags if f != flag))


_ENTRY_FIELDS = frozenset(field.name for field in dataclasses.fields(Entry))


@dataclass(kw_only=True)
class Catalog:
    """A PO/POT file: header and entries (obsolete ones included, in file order).

    ``header_comments`` are the translator comment lines above the header entry (without the
    leading ``# ``), ``header_flags`` its flags (a POT header is ``fuzzy``), ``metadata`` the
    ``Key: value`` fields of the header msgstr, in order.
    """

    metadata: dict[str, str] = field(default_factory=dict)
    header_comments: tuple[str, ...] = ()
    header_flags: tuple[str, ...] = ()
    entries: list[Entry] = field(default_factory=list)

    @property
    def active(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.obsolete]

    @property
    def obsolete(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.obsolete]

    def find(self, msgid: str, msgctxt: str | None = None) -> Entry | None:
        for entry in self.entries:
            if not entry.obsolete and entry.key == (msgctxt, msgid):
                return entry
        return None
