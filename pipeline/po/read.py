"""Read gettext PO/POT files into a :class:`~pipeline.po.catalog.Catalog`, with precise errors.

Why not polib: it silently accepts unterminated strings, invalid escapes and duplicate
entries, drops the ``#~|`` previous msgid of obsolete entries and gives no useful line numbers.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pipeline.errors import CatalogError
from pipeline.gctune import rare_collections
from pipeline.po.catalog import Catalog, Entry, declared_charset, header_fields, plural_count
from pipeline.po.escapes import C_ESCAPES

__all__ = ["read_po", "read_po_bytes", "read_po_file"]

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[([0-9]+)\])?|domain)(?![\w\[])")
_STRING = re.compile(r'[ \t]*"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.DOTALL)
_FLAG_SPLIT = re.compile(r"[\s,]+")

_PLAIN_KEYWORDS = frozenset(("msgctxt", "msgid", "msgid_plural", "msgstr", "domain"))

# Entry stages while reading.
_AT_NONE, _AT_CTXT, _AT_ID, _AT_PLURAL, _AT_STR = range(5)


# An active entry as gettext writes it, in one match: comment lines, ``#|`` previous msgctxt
# and msgid, msgctxt, msgid and msgstr, their strings without escapes (nor quotes, CR, NUL or
# EOT) over one or more lines; followed by a blank line and the start of another entry, or
# the end of the text. The reader takes such entries whole (``_Reader._fast``) and everything
# else line by line, with the same result: a plural, obsolete or escaped entry, a header,
# text after an entry that could continue it (a string, msgstr...) all go the general way.
_FAST_STRING = r'"[^"\\\n\r]*"\n'
_FAST_ENTRY = re.compile(
    r"(?P<comments>(?:\#(?:[ .:,][^\n\r\\]*)?\n)*)"
    rf"(?:\#\|\ msgctxt\ (?P<previous_msgctxt>{_FAST_STRING}(?:\#\|\ {_FAST_STRING})*))?"
    rf"(?:\#\|\ msgid\ (?P<previous_msgid>{_FAST_STRING}(?:\#\|\ {_FAST_STRING})*))?"
    rf"(?:msgctxt\ (?P<msgctxt>(?:{_FAST_STRING})+))?"
    rf"msgid\ (?P<msgid>(?:{_FAST_STRING})+)"
    rf"msgstr\ (?P<msgstr>(?:{_FAST_STRING})+)"
    r"(?=\Z|\n+(?:\Z|\#[ .:,!|\n]|\#~\|?\ msg(?:id|ctxt)\ |msgctxt\ |msgid\ ))"
)


def _fast_string(lines: str, joint: str) -> str:
    """The value of a ``_FAST_STRING`` run: its lines' bodies joined (``joint`` is a line's
    closing quote up to the next line's opening one)."""
    return lines[1:-2] if lines.count("\n") == 1 else lines[1:-2].replace(joint, "")


class _Problem(Exception):
    """A malformed line; carries the message, turned into CatalogError with path and line."""


def _unescape(body: str) -> str:
    """The value of a string literal's body, with gettext's escapes (and no others)."""
    if "\\" not in body:
        return body
    pieces: list[str | bytes] = []
    has_bytes = False
    position = 0
    for match in _ESCAPE.finditer(body):
        pieces.append(body[position : match.start()])
        position = match.end()
        simple, octal, hexa, other = match.groups()
        if simple is not None:
            pieces.append(C_ESCAPES[simple])
            continue
        if other is not None:
            raise _Problem(
                f'invalid escape sequence "\\{other}"; write "\\\\" for a literal backslash'
            )
        value = int(octal, 8) if octal is not None else int(hexa, 16)
        if value > 0xFF:
            raise _Problem(f'escape sequence "{match[0]}" is out of range; write the character')
        # Octal and hex escapes stand for bytes of the file's encoding (UTF-8).
        pieces.append(bytes((value,)))
        has_bytes = True
    pieces.append(body[position:])
    if not has_bytes:
        return "".join(pieces)  # type: ignore[arg-type]
    data = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in pieces)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Problem(
            "octal or hex escapes do not form valid UTF-8; write the characters themselves"
        ) from exc


def _strings(rest: str) -> list[str]:
    """The quoted strings of one line (after its keyword), unescaped."""
    if rest[:1] == " ":
        rest = rest[1:]
    if (
        len(rest) >= 2
        and rest[0] == '"'
        and rest[-1] == '"'
        and "\\" not in rest
        and '"' not in rest[1:-1]
        and "\0" not in rest
        and "\x04" not in rest
    ):
        return [rest[1:-1]]
    found: list[str] = []
    position = 0
    length = len(rest)
    while True:
        match = _STRING.match(rest, position)
        if match is None:
            tail = rest[position:].strip(" \t")
            if not tail:
                return found
            if tail[0] == '"':
                raise _Problem('unterminated string; close the quote or escape it as \\"')
            if found:
                raise _Problem(
                    'unexpected text after the closing quote; escape quotes inside a string as \\"'
                )
            raise _Problem(f"expected a quoted string, found {_excerpt(tail)}")
        value = _unescape(match[1])
        if "\0" in value or "\x04" in value:
            raise _Problem(
                "string contains a NUL or EOT (\\x04) character; gettext cannot store it, remove it"
            )
        found.append(value)
        position = match.end()
        if position >= length:
            return found


def _excerpt(text: str, limit: int = 40) -> str:
    """``text`` quoted (and shortened) for an error message."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Draft:
    """The entry being read."""

    __slots__ = (
        "start",
        "stage",
        "obsolete",
        "translator",
        "extracted",
        "references",
        "flags",
        "previous",
        "fields",
        "plural",
        "target",
        "previous_target",
        "msgid_line",
        "msgid_at",
    )

    def __init__(self, start: int) -> None:
        self.start = start
        self.stage = _AT_NONE
        self.obsolete: bool | None = None
        self.translator: list[str] = []
        self.extracted: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.fields: dict[str, list[str]] = {}
        self.plural: list[list[str]] = []
        self.target: list[str] | None = None  # where a continuation string goes
        self.previous_target: list[str] | None = None
        self.msgid_line = 0  # line of the last msgctxt/msgid/msgid_plural
        self.msgid_at = 0  # line of the msgid keyword: Entry.lineno

    def empty(self) -> bool:
        return not (
            self.translator or self.extracted or self.references or self.flags or self.previous
        )


def _parse_flags(text: str) -> list[str]:
    """Flags of a ``#,`` line, split like gettext (commas and spaces; ``range: 1..5`` is one)."""
    tokens = [token for token in _FLAG_SPLIT.split(text) if token]
    flags: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "range:" and index + 1 < len(tokens):
            token = f"range: {tokens[index + 1]}"
            index += 1
        flags.append(token)
        index += 1
    return flags


def read_po(text: str, *, path: str | Path = "<string>") -> Catalog:
    """Parse PO/POT text into a Catalog, keeping everything a PO editor may have written.

    Entries (obsolete ones included) keep file order and ``Entry.lineno`` is the line of their
    ``msgid`` keyword; references, flags and comments are kept as written (``generate_po``
    normalises them the way msgcat does). Raises CatalogError (``path:line: what is wrong; how
    to fix it``) for malformed input: unterminated strings, invalid escapes, keywords out of
    order, duplicate msgctxt+msgid, unknown lines, and two things
    gettext accepts but would misread or lose: a comment ending with a backslash (gettext joins
    it with the next line) and trailing comments that belong to no entry.
    """
    reader = _Reader(text)
    try:
        with rare_collections():  # thousands of acyclic entries: see pipeline.gctune
            return reader.read()
    except _Problem as exc:
        raise CatalogError(str(exc), path=path, line=reader.lineno) from None


def read_po_file(path: Path, *, shown: str | Path | None = None) -> Catalog:
    """Read a PO/POT file in the charset its header declares (see :func:`read_po_bytes`),
    through the pipeline's one file reader; errors name ``shown`` (default ``path``)."""
    from pipeline.fsutil import read_bytes_file

    shown = path if shown is None else shown
    return read_po_bytes(read_bytes_file(Path(path), shown=shown, error=CatalogError), path=shown)


def read_po_bytes(data: bytes, *, path: str | Path = "<bytes>") -> Catalog:
    """Parse the bytes of a PO/POT file, decoded like msgfmt does.

    The header's ``charset`` decides (any encoding Python's codecs know; UTF-8 when the header
    names none or the template placeholder ``CHARSET``); an initial UTF-8 BOM is ignored.
    :func:`pipeline.po.write.write_po_file` writes the file back in the same charset.
    """
    from pipeline.fsutil import decode_text

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: find the declared charset with an ASCII-compatible reading, then decode.
        latin = data.decode("latin-1")
        encoding = _encoding(read_po(latin, path=path), latin, path)
        if encoding == "utf-8":
            decode_text(data, path=path, error=CatalogError)  # the one "not UTF-8" message
        return _decoded(data, encoding, path)
    if "\0" in text:
        decode_text(data, path=path, error=CatalogError)  # the one "NUL byte" message
    text = text.removeprefix("\ufeff")
    catalog = read_po(text, path=path)
    encoding = _encoding(catalog, text, path)  # an unknown charset is refused in any file
    if encoding != "utf-8" and not text.isascii():
        return _decoded(data, encoding, path)
    return catalog


def _encoding(catalog: Catalog, text: str, path: str | Path) -> str:
    """The Python codec of the catalog's declared charset ("utf-8" when it declares none)."""
    charset = declared_charset(catalog.metadata)
    if charset is None:
        return "utf-8"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        position = text.find("charset=" + charset)
        line = text.count("\n", 0, position) + 1 if position >= 0 else 0
        raise CatalogError(
            f"charset {charset} is not known; declare a charset such as UTF-8 or convert"
            " the file with msgconv --to-code=UTF-8",
            path=path,
            line=line,
        ) from None


def _decoded(data: bytes, encoding: str, path: str | Path) -> Catalog:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not valid {encoding} as the header declares; fix the charset or the text"
        raise CatalogError(message, path=path, line=line) from None
    return read_po(text, path=path)


class _Reader:
    """A line-based state machine over the PO grammar; ``lineno`` locates any _Problem."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.lineno = 0
        self.catalog = Catalog()
        self.header_found = False
        self.keys: dict[tuple[str | None, str], int] = {}

    def read(self) -> Catalog:
        draft = _Draft(1)
        lines = self.lines
        text = self.text
        fast_entry = _FAST_ENTRY.match
        index = offset = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            number = index
            self.lineno = number
            if not line:
                offset += 1
                continue
            start = offset
            offset += len(line) + 1
            if line[-1] == "\r":
                line = line[:-1]
                if not line:
                    continue
            first = line[0]
            if (first == "m" or first == "#") and (
                draft.stage == _AT_STR or (draft.stage == _AT_NONE and draft.empty())
            ):
                match = fast_entry(text, start)
                if match is not None:
                    # What the general path does first on this line: close the entry before.
                    if draft.stage == _AT_STR:
                        self._finish(draft)
                        draft = _Draft(number)
                        self.lineno = number
                    if self._fast(match, number):
                        index += text.count("\n", match.start(), match.end()) - 1
                        offset = match.end()
                        continue
            if first == " " or first == "\t":
                line = line.lstrip(" \t")
                if not line:
                    continue
                first = line[0]
            if first == "#":
                draft = self._comment(draft, line, number)
            elif first == '"':
                if draft.target is None:
                    raise _Problem(
                        "string without a keyword; put it right after the msgid or msgstr line"
                        " it continues"
                    )
                if draft.obsolete:
                    raise _Problem(
                        "obsolete (#~) and active lines mixed in one entry; prefix every line"
                        " of the entry with #~ or none"
                    )
                draft.target.extend(_strings(line))
            else:
                draft = self._keyword(draft, line, number, obsolete=False)
        self.lineno = len(self.lines)
        if draft.stage in (_AT_CTXT, _AT_ID, _AT_PLURAL):
            self._missing_msgstr(draft)
        if draft.stage == _AT_STR:
            self._finish(draft)
        elif not draft.empty():
            self.lineno = draft.start
            raise _Problem(
                "comment at end of file belongs to no entry; delete it or add an entry after it"
            )
        return self.catalog

    def _missing_msgstr(self, draft: _Draft) -> None:
        self.lineno = draft.msgid_line or draft.start
        if draft.stage == _AT_PLURAL:
            raise _Problem('msgid_plural without msgstr[0]; add msgstr[0] "" after it')
        if draft.stage == _AT_CTXT:
            raise _Problem("msgctxt without msgid; add the msgid line after it")
        raise _Problem('msgid without msgstr; add msgstr "" after it')

    def _new_entry(self, draft: _Draft, number: int) -> _Draft:
        """Called before a comment or msgctxt/msgid line: maybe closes the current entry."""
        if draft.stage == _AT_STR:
            self._finish(draft)
            return _Draft(number)
        if draft.stage == _AT_NONE and draft.empty():
            draft.start = number
        return draft

    def _comment(self, draft: _Draft, line: str, number: int) -> _Draft:
        if line[-1] == "\\":
            raise _Problem(
                "comment ends with a backslash, which gettext joins with the next line; add a"
                " space after it"
            )
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                return self._previous(draft, rest[1:].lstrip(" \t"), number)
            body = rest.lstrip(" \t")
            if not body:
                return draft
            if body[0] == "#":
                if body.startswith("#~"):
                    raise _Problem("#~ repeated on one line; write it once")
                return self._comment(draft, body, number)
            if body[0] == '"':
                if draft.target is None:
                    raise _Problem(
                        "string without a keyword; put it right after the msgid or msgstr line"
                        " it continues"
                    )
                if draft.obsolete is False:
                    raise _Problem(
                        "obsolete (#~) and active lines mixed in one entry; prefix every line"
                        " of the entry with #~ or none"
                    )
                draft.target.extend(_strings(body))
                return draft
            return self._keyword(draft, body, number, obsolete=True)
        if kind == "|":
            return self._previous(draft, line[2:].lstrip(" \t"), number)
        draft = self._new_entry(draft, number)
        if draft.stage != _AT_NONE:
            self._missing_msgstr(draft)
        draft.target = None
        draft.previous_target = None
        rest = line[2:]
        if kind == "," or kind == "!":
            draft.flags.extend(_parse_flags(rest))
        elif kind == ":":
            draft.references.extend(rest.split())
        elif kind == ".":
            draft.extracted.append(rest[1:] if rest.startswith(" ") else rest)
        else:
            rest = line[1:]
            draft.translator.append(rest[1:] if rest.startswith(" ") else rest)
        return draft

    def _previous(self, draft: _Draft, body: str, number: int) -> _Draft:
        if body.startswith('"'):
            if draft.previous_target is None:
                raise _Problem(
                    "#| string without a keyword; put it right after the #| msgid line it continues"
                )
            draft.previous_target.extend(_strings(body))
            return draft
        draft = self._new_entry(draft, number)
        if draft.stage != _AT_NONE:
            self._missing_msgstr(draft)
        match = _KEYWORD.match(body)
        keyword = match[1] if match else ""
        if keyword not in ("msgctxt", "msgid", "msgid_plural"):
            raise _Problem(
                f"unexpected previous (#|) line {_excerpt(body)}; it must hold msgctxt, msgid"
                " or msgid_plural"
            )
        if keyword in draft.previous:
            raise _Problem(f"#| {keyword} appears twice in one entry; keep one")
        assert match is not None
        target = draft.previous[keyword] = _strings(body[match.end() :])
        draft.target = None
        draft.previous_target = target
        return draft

    def _keyword(self, draft: _Draft, line: str, number: int, *, obsolete: bool) -> _Draft:
        head, space, rest = line.partition(" ")
        if space and head in _PLAIN_KEYWORDS:
            keyword, index = head, None
        else:
            match = _KEYWORD.match(line)
            if match is None:
                raise _Problem(
                    f"unexpected text {_excerpt(line)}; a PO line starts with #, msgctxt, msgid,"
                    ' msgstr or "'
                )
            keyword, index, rest = match[1], match[2], line[match.end() :]
        if keyword in ("msgctxt", "msgid"):
            draft = self._new_entry(draft, number)
        stage = draft.stage
        if draft.obsolete is not None and draft.obsolete != obsolete:
            raise _Problem(
                "obsolete (#~) and active lines mixed in one entry; prefix every line of the"
                " entry with #~ or none"
            )
        if keyword == "msgctxt":
            if stage == _AT_CTXT:
                raise _Problem("msgctxt appears twice in one entry; keep one")
            if stage != _AT_NONE:
                raise _Problem("msgctxt after msgid; put msgctxt before msgid")
            draft.stage = _AT_CTXT
            draft.msgid_line = number
        elif keyword == "msgid":
            if stage in (_AT_ID, _AT_PLURAL):
                self._missing_msgstr(draft)
            draft.stage = _AT_ID
            draft.msgid_line = draft.msgid_at = number
        elif keyword == "msgid_plural":
            if stage < _AT_ID:
                raise _Problem("msgid_plural without msgid; add the msgid line before it")
            if stage != _AT_ID:
                raise _Problem("msgid_plural must come right after msgid, before msgstr[0]")
            draft.stage = _AT_PLURAL
            draft.msgid_line = number
        elif keyword == "domain":
            raise _Problem('"domain" lines are not supported; keep one domain per file')
        elif index is None:  # msgstr
            if stage < _AT_ID:
                raise _Problem("msgstr without msgid; add the msgid line before it")
            if stage == _AT_PLURAL:
                raise _Problem("msgstr after msgid_plural; write msgstr[0], msgstr[1], ...")
            if stage == _AT_STR:
                raise _Problem("msgstr appears twice in one entry; keep one")
            draft.stage = _AT_STR
        else:  # msgstr[N]
            if stage < _AT_ID:
                raise _Problem("msgstr without msgid; add the msgid line before it")
            if stage == _AT_ID or (stage == _AT_STR and not draft.plural):
                raise _Problem(f"{keyword} without msgid_plural; use msgstr or add msgid_plural")
            expected = len(draft.plural)
            if int(index) != expected:
                nplurals = plural_count(self.catalog.metadata)
                if nplurals is not None and int(index) >= nplurals:
                    raise _Problem(
                        f"{keyword} is beyond the header's Plural-Forms (nplurals={nplurals}: "
                        f"msgstr[0] to msgstr[{nplurals - 1}]); remove it, or correct "
                        "nplurals in the header if the language has more plural forms"
                    )
                raise _Problem(f"{keyword} out of order; expected msgstr[{expected}]")
            draft.stage = _AT_STR
            target = _strings(rest)
            draft.plural.append(target)
            draft.target = target
            draft.obsolete = obsolete
            return draft
        if keyword in draft.fields:
            raise _Problem(f"{keyword} appears twice in one entry; keep one")
        target = draft.fields[keyword] = _strings(rest)
        draft.target = target
        draft.previous_target = None
        draft.obsolete = obsolete
        return draft

    def _fast(self, match: re.Match[str], number: int) -> bool:
        """Add the entry ``_FAST_ENTRY`` matched at line ``number``, exactly as the general
        path would read it; False (nothing added) for what the general path must handle: the
        header, a duplicate (its error), a NUL or EOT character (its error)."""
        msgctxt, msgid, msgstr = match.group("msgctxt", "msgid", "msgstr")
        msgid = _fast_string(msgid, '"\n"')
        if msgctxt is not None:
            msgctxt = _fast_string(msgctxt, '"\n"')
        elif not msgid and not self.header_found:
            return False
        key = (msgctxt, msgid)
        if key in self.keys or "\0" in match[0] or "\x04" in match[0]:
            return False
        translator: list[str] = []
        extracted: list[str] = []
        references: list[str] = []
        flags: list[str] = []
        comments = match["comments"]
        if comments:
            for line in comments[:-1].split("\n"):
                kind = line[1:2]
                rest = line[2:]
                if kind == ",":
                    flags.extend(_parse_flags(rest))
                elif kind == ":":
                    references.extend(rest.split())
                elif kind == ".":
                    extracted.append(rest[1:] if rest.startswith(" ") else rest)
                else:
                    rest = line[1:]
                    translator.append(rest[1:] if rest.startswith(" ") else rest)
        previous_msgctxt, previous_msgid = match.group("previous_msgctxt", "previous_msgid")
        self.keys[key] = number
        entry = object.__new__(Entry)  # as in _finish
        entry.__dict__.update(
            msgid=msgid,
            msgstr=_fast_string(msgstr, '"\n"'),
            msgctxt=msgctxt,
            msgid_plural=None,
            msgstr_plural=(),
            translator_comments=tuple(translator),
            extracted_comments=tuple(extracted),
            references=tuple(references),
            flags=tuple(flags),
            previous_msgctxt=(
                None if previous_msgctxt is None else _fast_string(previous_msgctxt, '"\n#| "')
            ),
            previous_msgid=(
                None if previous_msgid is None else _fast_string(previous_msgid, '"\n#| "')
            ),
            previous_msgid_plural=None,
            obsolete=False,
            lineno=number + self.text.count("\n", match.start(), match.start("msgid")),
        )
        self.catalog.entries.append(entry)
        return True

    def _finish(self, draft: _Draft) -> None:
        fields = draft.fields
        msgctxt = "".join(fields["msgctxt"]) if "msgctxt" in fields else None
        msgid = "".join(fields["msgid"])
        previous = draft.previous
        plural = "".join(fields["msgid_plural"]) if "msgid_plural" in fields else None
        obsolete = bool(draft.obsolete)
        if msgctxt is None and msgid == "" and not obsolete and not self.header_found:
            self._header(draft, plural)
            return
        key = (msgctxt, msgid)
        first = self.keys.get(key)
        if first is not None:
            self.lineno = draft.start
            context = "" if msgctxt is None else f"msgctxt {_excerpt(msgctxt)} "
            raise _Problem(
                f"duplicate entry for {context}msgid {_excerpt(msgid)} (first defined at line"
                f" {first}); merge or delete one of them"
            )
        self.keys[key] = draft.start
        # Every field is given, so the frozen dataclass's __init__ (one object.__setattr__ per
        # field) is skipped, as Entry.replace does: reading is a third of a merge's time.
        entry = object.__new__(Entry)
        entry.__dict__.update(
            msgid=msgid,
            msgstr="".join(fields["msgstr"]) if "msgstr" in fields else "",
            msgctxt=msgctxt,
            msgid_plural=plural,
            msgstr_plural=tuple(["".join(parts) for parts in draft.plural]) if draft.plural else (),
            translator_comments=tuple(draft.translator),
            extracted_comments=tuple(draft.extracted),
            references=tuple(draft.references),
            flags=tuple(draft.flags),
            previous_msgctxt=("".join(previous["msgctxt"]) if "msgctxt" in previous else None),
            previous_msgid="".join(previous["msgid"]) if "msgid" in previous else None,
            previous_msgid_plural=(
                "".join(previous["msgid_plural"]) if "msgid_plural" in previous else None
            ),
            obsolete=obsolete,
            lineno=draft.msgid_at,
        )
        self.catalog.entries.append(entry)

    def _header(self, draft: _Draft, plural: str | None) -> None:
        self.lineno = draft.start
        if draft.extracted or draft.previous or plural is not None:
            raise _Problem(
                'the header entry (msgid "") cannot have #., #| or msgid_plural lines;'
                " delete them"
            )
        self.header_found = True
        self.keys[(None, "")] = draft.start
        msgstr = "".join(draft.fields["msgstr"])
        catalog = self.catalog
        catalog.metadata = header_fields(msgstr)
        catalog.header_msgstr = msgstr
        catalog.header_comments = tuple(draft.translator)
        catalog.header_flags = tuple(draft.flags)
        catalog.header_references = tuple(draft.references)
        catalog.header_index = sum(1 for entry in catalog.entries if not entry.obsolete)
