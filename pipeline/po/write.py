"""Write PO/POT files exactly as GNU ``msgcat`` does: a pure generator and a thin writer.

Why not polib or Babel: polib wraps lines differently from gettext (it breaks only at spaces and
knows nothing about double-width CJK characters), drops the ``#~|`` previous msgid of obsolete
entries, silently accepts unterminated strings, invalid escapes and duplicate entries, and gives
no useful line numbers; Babel rewrites the header and re-sorts references. Every PO file in this
project is also touched by GNU tools (``msgmerge``, ``msgcat``, editors that call them), so the
only stable on-disk form is the one gettext itself writes: anything else produces noisy diffs.

``generate_po`` therefore reimplements gettext 0.21's ``write-po.c``: its ``wrap()`` lives in
``pipeline.po.wrap`` (on top of the libunistring port in ``pipeline.po.linebreak``), the comment
and flag printers are here. ``generate_po`` is pure; ``write_po_file`` only adds the atomic,
write-if-changed file write.

Where ``msgcat`` normalises, the writer does the same, so that its output is what ``msgcat``
writes for the file that was read: obsolete entries go last (flags and ``no-wrap`` kept, but not
``range:``) and are dropped when untranslated, duplicate references (same file name as written,
same line number) are removed and then ``./`` is stripped, known flags are written in gettext's
order (``fuzzy`` only on translated entries; ``possible-X-format`` as ``X-format``). The header
stays where the file had it, with its ``#:`` lines, and its msgstr is written back as read
while the metadata is unchanged; the file keeps its charset. Two deliberate differences, both
measured on 2,810 real catalogs (``tests/test_po_corpus.py``): flags gettext does not know
(``ignore-numbers``, approval markers...) are kept, after the known ones, because the pipeline
needs them (``msgcat`` would delete them); and a catalog with a header but no entries keeps its
header (``msgcat`` writes an empty file unless given ``--force-po``).

Not reproduced: gettext does not break lines inside the format directives of entries flagged
``c-format``, ``python-format``..., which changes the wrapping of such entries only when a
directive itself contains a break opportunity (``%(患者)s``, ``% d``); the pipeline never adds
format flags.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import CatalogError, InputError
from pipeline.fsutil import ANYTHING, write_text_file
from pipeline.gctune import rare_collections
from pipeline.po.catalog import Catalog, Entry, declared_charset, header_fields
from pipeline.po.wrap import PAGE_WIDTH, string_lines

__all__ = ["generate_po", "write_po_file"]

_FORMAT_LANGUAGES = (
    *("c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript"),
    *("scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal"),
    *("smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace"),
    *("php", "gcc-internal", "gfc-internal", "ycp"),
)
_FORMAT_INDEX = {name: index for index, name in enumerate(_FORMAT_LANGUAGES)}
_RANGE_FLAG = re.compile(r"range:[ \t]*([0-9]+)\.\.([0-9]+)")
_BAD_FLAG = re.compile(r"[\s,]")
_WHITESPACE = re.compile(r"\s")
# A reference msgcat writes back unchanged: no "./" prefix, no leading zero in the line number,
# no whitespace, no final backslash.
_PLAIN_REFERENCE = re.compile(r"(?!\./)(?!.*:0[0-9]+\Z)\S*[^\s\\]")


def _flag_line(entry: Entry, translated: bool) -> tuple[str, bool]:
    """The ``#,`` line msgcat writes for ``entry`` (plus unknown flags), and whether to wrap.

    Later flags win over earlier ones as in gettext (``wrap`` after ``no-wrap``...).
    """
    fuzzy = False
    formats: dict[int, str] = {}
    range_flag = ""
    wrap = True
    unknown: list[str] = []
    for flag in entry.flags:
        if flag == "fuzzy":
            fuzzy = True
            continue
        if flag == "wrap" or flag == "no-wrap":
            wrap = flag == "wrap"
            continue
        if flag.endswith("-format"):
            language, kind = flag[:-7], "yes"
            for marker in ("no-", "possible-", "impossible-"):
                if language.startswith(marker):
                    language, kind = language[len(marker) :], marker[:-1]
                    break
            if language in _FORMAT_INDEX:
                formats[_FORMAT_INDEX[language]] = kind
                continue
        match = _RANGE_FLAG.fullmatch(flag)
        if match and int(match[1]) <= int(match[2]):
            range_flag = f"range: {int(match[1])}..{int(match[2])}"
            continue
        if (_BAD_FLAG.search(flag) and not flag.startswith("range:")) or flag.endswith("\\"):
            raise CatalogError(
                f"flag {flag!r} of msgid {entry.msgid!r} contains a comma or space or ends with"
                " a backslash; a flag is one word"
            )
        if flag not in unknown:
            unknown.append(flag)
    # Obsolete entries keep their flags, no-wrap included, as msgcat writes them; all but
    # range, which msgcat drops there.
    written: list[str] = []
    if fuzzy and translated:
        written.append("fuzzy")
    for index in sorted(formats):
        kind = formats[index]
        if kind == "no":
            written.append(f"no-{_FORMAT_LANGUAGES[index]}-format")
        elif kind != "impossible":
            written.append(f"{_FORMAT_LANGUAGES[index]}-format")
    if range_flag and not entry.obsolete:
        written.append(range_flag)
    if not wrap:
        written.append("no-wrap")
    written.extend(unknown)
    return ("#, " + ", ".join(written) + "\n" if written else ""), wrap


def _reference_lines(references: tuple[str, ...]) -> str:
    """``#:`` lines: duplicates dropped, ``./`` stripped, filled up to the page width.

    As in gettext, a duplicate is the same file name *as written* and the same line number
    (``a.md:12`` and ``a.md:012`` are one reference; ``./a.md:12`` is another one, which is
    then written ``a.md:12``).
    """
    if len(references) == 1 and _PLAIN_REFERENCE.fullmatch(references[0]):
        return f"#: {references[0]}\n"
    seen: set[tuple[str, int | None]] = set()
    lines: list[str] = []
    line = "#:"
    column = 2
    for reference in references:
        if not reference or _WHITESPACE.search(reference) or reference.endswith("\\"):
            raise CatalogError(
                f"reference {reference!r} is empty, contains whitespace or ends with a backslash;"
                " write it as path:line"
            )
        name, colon, number = reference.rpartition(":")
        if colon and name and number.isdigit() and number.isascii():
            identity: tuple[str, int | None] = (name, int(number))
        else:
            identity = (reference, None)
        if identity in seen:
            continue
        seen.add(identity)
        name = identity[0]
        while name.startswith("./"):
            name = name[2:]
        reference = name if identity[1] is None else f"{name}:{identity[1]}"
        length = (len(reference) if reference.isascii() else len(reference.encode())) + 1
        if column > 2 and column + length > PAGE_WIDTH:
            lines.append(line)
            line = "#:"
            column = 2
        line = f"{line} {reference}"
        column += length
    lines.append(line)
    return "\n".join(lines) + "\n"


def _comment_lines(marker: str, comments: Iterable[str]) -> str:
    """Comment lines, one per line of each comment (gettext splits translator comments too).

    gettext joins a line that ends with a backslash to the next one, even in comments, so a
    comment ending with a backslash gets a trailing space: otherwise the file would swallow the
    line after it.
    """
    out: list[str] = []
    for comment in comments:
        _check_string(comment, "comment")
        for line in comment.split("\n"):
            if line.endswith("\\"):
                line += " "
            out.append(f"{marker} {line}\n" if line else f"{marker}\n")
    return "".join(out)


def _check_string(value: str, what: str) -> None:
    """gettext cannot store NUL, and EOT separates msgctxt from msgid in MO files."""
    if "\0" in value or "\x04" in value:
        raise CatalogError(
            f"{what} {value!r} contains a NUL or EOT (\\x04) character; gettext cannot store"
            " it, remove it"
        )


def _entry_text(entry: Entry) -> str:
    """One entry as msgcat writes it (without the separating blank line)."""
    plural = entry.msgid_plural is not None
    if not plural and entry.msgstr_plural:
        raise CatalogError(
            f"msgid {entry.msgid!r} has msgstr_plural but no msgid_plural; give it a"
            " msgid_plural or a single msgstr"
        )
    translated = bool(entry.msgstr_plural[0] if plural and entry.msgstr_plural else entry.msgstr)
    parts: list[str] = []
    if entry.translator_comments:
        parts.append(_comment_lines("#", entry.translator_comments))
    if entry.extracted_comments:
        parts.append(_comment_lines("#.", entry.extracted_comments))
    if entry.references:
        parts.append(_reference_lines(entry.references))
    wrap = True
    if entry.flags:
        flag_line, wrap = _flag_line(entry, translated)
        parts.append(flag_line)
    previous = "#~| " if entry.obsolete else "#| "
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            parts.append(string_lines(previous, keyword, value, wrap))
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        parts.append(string_lines(prefix, "msgctxt", entry.msgctxt, wrap))
    parts.append(string_lines(prefix, "msgid", entry.msgid, wrap))
    if plural:
        parts.append(string_lines(prefix, "msgid_plural", entry.msgid_plural or "", wrap))
        for index, text in enumerate(entry.msgstr_plural or ("",)):
            parts.append(string_lines(prefix, f"msgstr[{index}]", text, wrap))
    else:
        parts.append(string_lines(prefix, "msgstr", entry.msgstr, wrap))
    return "".join(parts)


def _header_entry(catalog: Catalog) -> Entry | None:
    """The header as the entry gettext stores it (msgid ""), or None when there is none.

    The header msgstr as read is written back unchanged while ``metadata`` still says the
    same (msgcat keeps fields without a final newline, given twice or without a colon).
    """
    raw = catalog.header_msgstr
    if raw is not None and list(header_fields(raw).items()) == list(catalog.metadata.items()):
        msgstr = raw
    elif raw is None and not (
        catalog.metadata or catalog.header_comments or catalog.header_flags
        or catalog.header_references
    ):
        return None
    else:
        fields: list[str] = []
        for name, value in catalog.metadata.items():
            if not name or ":" in name or "\n" in name or "\n" in value:
                raise CatalogError(
                    f"header field {name!r}: {value!r} cannot be written; a field name holds no"
                    " colon or newline, a value no newline"
                )
            fields.append(f"{name}: {value}\n")
        msgstr = "".join(fields)
    return Entry(
        msgid="",
        msgstr=msgstr,
        translator_comments=catalog.header_comments,
        references=catalog.header_references,
        flags=catalog.header_flags,
    )


def generate_po(
    catalog: Catalog, *, msgid_lines: dict[tuple[str | None, str], int] | None = None
) -> str:
    """The PO file text for ``catalog``, byte for byte what ``msgcat`` would write.

    Entries are separated by one blank line; the header comes first (or where the file had
    it), then the active entries in order, then the translated obsolete entries. Given a
    ``msgid_lines`` dict, fills it with the line of each written entry's msgid (the
    ``Entry.lineno`` a reader of the text would give), so a command that writes a catalog can
    report lines without reading it back. Raises CatalogError for catalogs no PO file can
    express (NUL or EOT characters, duplicate msgctxt+msgid, a second header, flags or
    references containing whitespace).
    """
    with rare_collections():  # one string per entry, all acyclic: see pipeline.gctune
        return _generate_po(catalog, msgid_lines)


def _generate_po(
    catalog: Catalog, msgid_lines: dict[tuple[str | None, str], int] | None
) -> str:
    blocks: list[str] = []
    keys: list[tuple[str | None, str] | None] = []
    header = _header_entry(catalog)
    seen: set[tuple[str | None, str]] = set() if header is None else {(None, "")}
    obsolete: list[Entry] = []
    for entry in catalog.entries:
        key = entry.key
        if key in seen or (entry.msgctxt is None and entry.msgid == "" and not entry.obsolete):
            raise CatalogError(
                f"duplicate entry msgctxt={key[0]!r} msgid={key[1]!r}; a catalog holds each"
                " msgctxt and msgid once"
            )
        seen.add(key)
        if entry.obsolete:
            obsolete.append(entry)
        else:
            blocks.append(_entry_text(entry))
            keys.append(key)
    if header is not None:
        # Where the file had it: msgcat does not move a header that is not the first entry.
        position = min(catalog.header_index, len(blocks))
        blocks.insert(position, _entry_text(header))
        keys.insert(position, None)
    for entry in obsolete:
        first = entry.msgstr_plural[0] if entry.msgstr_plural else entry.msgstr
        if first:  # msgcat drops untranslated obsolete entries
            blocks.append(_entry_text(entry))
            keys.append(entry.key)
    if msgid_lines is not None:
        line = 1
        for written, block in zip(keys, blocks, strict=True):
            if written is not None:
                keyword = "#~ msgid " if block.startswith("#~ ") or "\n#~ " in block else "msgid "
                at = 0 if block.startswith(keyword) else block.find("\n" + keyword) + 1
                msgid_lines[written] = line + block.count("\n", 0, at)
            line += block.count("\n") + 1
    return "\n".join(blocks)


def write_po_file(
    path: Path,
    catalog: Catalog,
    *,
    msgid_lines: dict[tuple[str | None, str], int] | None = None,
    expected: bytes | None | object = ANYTHING,
) -> bool:
    """Write ``catalog`` to ``path`` atomically, only if the bytes change; True if written.

    ``msgid_lines`` is filled as :func:`generate_po` fills it. ``expected``, the bytes the
    caller read, makes the write refuse (:class:`~pipeline.errors.NotReady`) rather than
    overwrite a save made since (see :func:`pipeline.fsutil.write_text_file`).

    The file is written in the charset its header declares (UTF-8 when it declares none), as
    msgcat does: a catalog read from an ISO-8859-1 file stays ISO-8859-1.
    """
    try:
        text = generate_po(catalog, msgid_lines=msgid_lines)
    except CatalogError as exc:
        raise CatalogError(exc.message, path=path) from exc
    encoding = po_encoding(catalog)
    if encoding != "utf-8":
        try:
            text.encode(encoding)
        except UnicodeEncodeError as exc:
            raise CatalogError(
                f"{text[exc.start : exc.end]!r} cannot be written in the catalog's charset"
                f" {declared_charset(catalog.metadata)}; convert the file with msgconv"
                " --to-code=UTF-8 first",
                path=path,
                line=text.count("\n", 0, exc.start) + 1,
            ) from None
    try:
        return write_text_file(path, text, encoding=encoding, expected=expected)
    except InputError as exc:
        raise CatalogError(exc.message, path=exc.path) from exc


def po_encoding(catalog: Catalog) -> str:
    """The Python codec for the catalog's declared charset; UTF-8 when none is declared (or
    the template placeholder ``CHARSET``, or a charset Python does not know)."""
    charset = declared_charset(catalog.metadata)
    if charset is None:
        return "utf-8"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return "utf-8"


