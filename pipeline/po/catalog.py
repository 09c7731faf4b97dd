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

__all__ = [
    "WAIVER_PREFIX",
    "Catalog",
    "Entry",
    "declared_charset",
    "header_fields",
    "is_bound_to_text",
    "is_origin_comment",
    "plural_count",
]

_CHARSET = re.compile(r"charset=([^\s;]*)")
_NPLURALS = re.compile(r"nplurals\s*=\s*([0-9]+)")
_ORIGIN_COMMENT = re.compile(r"(?:tm \d{1,3}% |mt )")

#: A waiver names the check it switches off: ``#, ignore-numbers`` or ``# ignore-numbers: why``.
WAIVER_PREFIX = "ignore-"
#: An approval record is a translator comment ``# approved: by=… at=… sha256=…`` (its meaning
#: and validity live in :mod:`pipeline.review`).
APPROVAL_PREFIX = "approved:"
_BOUND_COMMENT = re.compile(rf"\s*(?:{WAIVER_PREFIX}|{APPROVAL_PREFIX})")


def is_bound_to_text(note: str) -> bool:
    """Is this flag or translator comment a waiver or an approval record?

    Both were given for the exact source and translation of their entry: a merge never moves
    them onto a changed sentence (they stay on the obsolete old entry and come back with it),
    while free translator comments may follow the translation.

    >>> [is_bound_to_text(n) for n in ("ignore-numbers", "ignore-dnt: G595 in the figure",
    ...     "approved: by=li at=2026-01-05 sha256=ab12", "checked against the poster")]
    [True, True, True, False]
    """
    return _BOUND_COMMENT.match(note) is not None


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
    of the entry's ``msgid`` keyword in the file it was read from (0 for entries built in
    memory): the line every command reports for the entry, where an editor should jump.
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


def declared_charset(metadata: dict[str, str]) -> str | None:
    """The charset the header's ``Content-Type`` names; None when it names none (or the
    template placeholder ``CHARSET``).

    >>> declared_charset({"Content-Type": "text/plain; charset=ISO-8859-1"})
    'ISO-8859-1'
    """
    match = _CHARSET.search(metadata.get("Content-Type", ""))
    if match is None or match[1] in ("", "CHARSET"):
        return None
    return match[1]


def plural_count(metadata: dict[str, str]) -> int | None:
    """The header's ``nplurals`` (None when the header does not say).

    >>> plural_count({"Plural-Forms": "nplurals=3; plural=(n%10==1 ? 0 : n ? 1 : 2);"})
    3
    """
    found = _NPLURALS.search(metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else None


def header_fields(msgstr: str) -> dict[str, str]:
    """The ``Name: value`` fields of a header msgstr, as gettext reads them.

    A line without a colon is no field, and of a field given twice the first counts; msgfmt
    and Poedit accept both, so the reader does too (and the writer keeps such a header as it
    was written, see ``Catalog.header_msgstr``).

    >>> header_fields("Language: de\\nX-Generator Poedit\\nLanguage: fr")
    {'Language': 'de'}
    """
    fields: dict[str, str] = {}
    for line in msgstr.split("\n"):
        name, colon, value = line.partition(":")
        name = name.strip()
        if colon and name and name not in fields:
            fields[name] = value[1:] if value.startswith(" ") else value
    return fields


@dataclass(kw_only=True)
class Catalog:
    """A PO/POT file: header and entries (obsolete ones included, in file order).

    ``header_comments`` are the translator comment lines above the header entry (without the
    leading ``# ``), ``header_flags`` its flags (a POT header is ``fuzzy``),
    ``header_references`` its ``#:`` lines, ``metadata`` the ``Key: value`` fields of the
    header msgstr, in order. ``header_msgstr`` is the header msgstr as read (``None``: the
    file had no header): while ``metadata`` still says what it says, it is written back as it
    was (fields without a final newline, given twice or without a colon included); once
    ``metadata`` changes, the header is written from ``metadata``. ``header_index`` is the
    number of active entries before the header (0: it comes first, as usual).
    """

    metadata: dict[str, str] = field(default_factory=dict)
    header_comments: tuple[str, ...] = ()
    header_flags: tuple[str, ...] = ()
    header_references: tuple[str, ...] = ()
    header_msgstr: str | None = field(default=None, compare=False)
    header_index: int = 0
    entries: list[Entry] = field(default_factory=list)

    def with_entries(self, entries: list[Entry]) -> Catalog:
        """The same header (metadata copied) with other entries."""
        return dataclasses.replace(self, metadata=dict(self.metadata), entries=entries)

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
