"""gettext's ``wrap()``: how ``msgcat`` splits a ``keyword "string"`` over lines (write-po.c).

Strings break at UAX #14 opportunities (``pipeline.po.linebreak``) so that each line fits in
the page width, never inside an escape sequence, and after every embedded ``\\n``.
"""

from __future__ import annotations

import functools

from pipeline.errors import CatalogError
from pipeline.po.escapes import ESCAPES, NO_LIMIT, SPECIAL_CHARACTER, escape
from pipeline.po.linebreak import NO_OVERRIDES, fill, prepare, text_width

__all__ = ["PAGE_WIDTH", "string_lines", "wrapped_lines"]

#: gettext's default page width (``msgcat -w``).
PAGE_WIDTH = 79


def string_lines(prefix: str, keyword: str, value: str, wrap: bool = True) -> str:
    """``keyword "value"`` as gettext's wrap() writes it, every line starting with ``prefix``.

    Most strings have nothing to escape and fit on the keyword's line: that case costs one
    regex search and a length check.
    """
    limit = (PAGE_WIDTH - 2 - len(prefix)) if wrap else NO_LIMIT
    if SPECIAL_CHARACTER.search(value) is None:
        # A character takes at most 2 columns; longer strings get measured exactly (and
        # wrapped if need be) by _wrapped_string_lines.
        if len(keyword) + 1 + (1 if value.isascii() else 2) * len(value) <= limit:
            return f'{prefix}{keyword} "{value}"\n'
        return _wrapped_string_lines(prefix, keyword, value, limit)
    if "\0" in value or "\x04" in value:
        raise CatalogError(
            f"{keyword} {value!r} contains a NUL or EOT (\\x04) character; gettext cannot store"
            " it, remove it"
        )
    newline = value.find("\n")
    if newline < 0 or newline == len(value) - 1:
        escaped = value.translate(ESCAPES)
        if len(keyword) + 1 + text_width(escaped) <= limit:
            return f'{prefix}{keyword} "{escaped}"\n'
    return _wrapped_string_lines(prefix, keyword, value, limit)


def _escape_interiors(escaped: str) -> set[int]:
    """Indices where gettext overrides the line breaking of an escaped portion.

    The second character of every escape sequence, and the backslash of a final ``\\n``
    ("don't break immediately before the \\n at the end").
    """
    interiors: set[int] = set()
    index = escaped.find("\\")
    while index >= 0:
        interiors.add(index + 1)
        index = escaped.find("\\", index + 2)
    if escaped.endswith("\\n"):
        interiors.add(len(escaped) - 2)
    return interiors


def _wrapped_string_lines(prefix: str, keyword: str, value: str, limit: int) -> str:
    """The general case of ``string_lines``: several portions or lines.

    The wrapping depends on the prefix only through ``limit``, so ``#| msgid`` and ``#~ msgid``
    (a changed sentence's old text, written on its fuzzy successor and on the obsolete entry)
    share one computation.
    """
    lines = wrapped_lines(keyword, value, limit)
    if not prefix:
        return lines
    return prefix + lines[:-1].replace("\n", "\n" + prefix) + "\n"


@functools.lru_cache(maxsize=1 << 16)
def wrapped_lines(keyword: str, value: str, limit: int) -> str:
    """``_wrapped_string_lines`` without a prefix (escaped strings hold no newline, so every
    ``\n`` in the result ends a line).

    Cached: a template and its catalogs repeat every msgid, and the wrapping is pure.
    """
    if "\n" in value:
        parts = value.split("\n")
        portions = [part + "\n" for part in parts[:-1]]
        if parts[-1]:
            portions.append(parts[-1])
    else:
        portions = [value]
    out: list[str] = []
    for number, portion in enumerate(portions):
        escaped = escape(portion)
        no_break = _escape_interiors(escaped) if "\\" in escaped else NO_OVERRIDES
        prepared = prepare(escaped)
        starts = None
        if number == 0:
            # gettext starts with `keyword ""` when more portions follow or the first wraps.
            # It wraps when a break is due with the keyword before it; a break due from column
            # 0 is due after the keyword too, so that is asked first: its answer is the lines.
            start = len(keyword) + 1
            if not escaped:
                out.append(f'{keyword} ""\n')
                continue
            if len(portions) == 1 and start <= limit:
                starts = fill(escaped, prepared, limit, 0, no_break)
                if not starts and not fill(escaped, prepared, limit, start, no_break):
                    out.append(f'{keyword} "{escaped}"\n')
                    continue
            out.append(f'{keyword} ""\n')
        if starts is None:
            starts = fill(escaped, prepared, limit, 0, no_break)
        begin = 0
        for end in starts:
            out.append(f'"{escaped[begin:end]}"\n')
            begin = end
        out.append(f'"{escaped[begin:]}"\n')
    return "".join(out)
