"""Numbered placeholders for inline markup: ``<1>…</1>`` pairs and ``<2/>`` voids.

Why placeholders: a msgid must show translators (and MT) where markup sits without showing
the markup itself. ``**NTRK融合基因**`` becomes ``<1>NTRK融合基因</1>`` and an inline code span
or image becomes ``<1/>``; a link's URL never reaches the catalog, so it can neither be
mistranslated nor leak into a translation memory. Numbers restart at 1 in every segment, in the
order the opening (or void) tags appear, so identical sentences get identical msgids.

A translation may move the tags (``<2>…</2> … <1>…</1>``), but must keep every tag of the source
exactly once, with the same role (pair or void), and pairs must nest without crossing. The
checks use :func:`compare_tags`; renderers call :func:`restore`, which refuses a broken
translation with a :class:`~pipeline.errors.CatalogError`.

Literal lookalikes: source text that itself reads ``<1>``, ``</1>`` or ``<1/>`` is escaped by
adding one backslash after the ``<`` (``<1>`` -> ``<\\1>``; an already escaped ``<\\1>``
gets a second backslash, and so on), so a tag is *exactly* ``<N>``, ``</N>`` or ``<N/>`` and
nothing else. Translators copy ``<\\1>`` as they see it; :func:`unescape_literal` restores it.

>>> text, old = renumber("见<4>研究</4>与<7/>")
>>> text, old
('见<1>研究</1>与<2/>', {1: 4, 2: 7})
>>> restore("<1>Study</1> and <2/>", {1: Markup("**", "**"), 2: Markup("`code`")})
'**Study** and `code`'
>>> escape_literal("第<1>期")
'第<\\\\1>期'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from pipeline.errors import CatalogError

__all__ = [
    "TAG_PATTERN",
    "Markup",
    "Tag",
    "compare_tags",
    "escape_literal",
    "find_tags",
    "format_tag",
    "renumber",
    "restore",
    "split_tags",
    "strip_tags",
    "tag_problems",
    "unescape_literal",
]

Role = Literal["open", "close", "void"]

TAG_PATTERN = re.compile(
    r"<(?:(?P<open>[1-9][0-9]*)|/(?P<close>[1-9][0-9]*)|(?P<void>[1-9][0-9]*)/)>"
)
# A tag or a literal lookalike, with the backslashes that escape it (zero for a real tag).
_LOOKALIKE = re.compile(r"<(?P<slashes>\\*)(?P<body>/?[1-9][0-9]*/?)>")


@dataclass(frozen=True, kw_only=True)
class Tag:
    """One placeholder tag found in a text, with its span."""

    number: int
    role: Role
    start: int
    end: int

    @property
    def text(self) -> str:
        return format_tag(self.number, self.role)


@dataclass(frozen=True)
class Markup:
    """What a placeholder stands for: the opening and closing markup of a pair, or a void's
    whole markup (``closing`` is None)."""

    opening: str
    closing: str | None = None

    @property
    def is_pair(self) -> bool:
        return self.closing is not None


def format_tag(number: int, role: Role) -> str:
    """The tag text: ``<1>``, ``</1>`` or ``<1/>``."""
    if role == "open":
        return f"<{number}>"
    if role == "close":
        return f"</{number}>"
    return f"<{number}/>"


def find_tags(text: str) -> list[Tag]:
    """Every placeholder tag in ``text``, in order; escaped lookalikes (``<\\1>``) are text."""
    tags = []
    for match in TAG_PATTERN.finditer(text):
        role: Role = "open" if match["open"] else "close" if match["close"] else "void"
        number = int(match["open"] or match["close"] or match["void"])
        tags.append(Tag(number=number, role=role, start=match.start(), end=match.end()))
    return tags


def split_tags(text: str) -> Iterator[str | Tag]:
    """Yield the text between tags (still escaped) and the tags, in order; empty text is
    skipped."""
    position = 0
    for tag in find_tags(text):
        if tag.start > position:
            yield text[position : tag.start]
        yield tag
        position = tag.end
    if position < len(text):
        yield text[position:]


def strip_tags(text: str) -> str:
    """The plain text a reader sees: tags removed, literal lookalikes unescaped.

    >>> strip_tags("<1>Repotrectinib</1> 的缓解率为 <2/>89.1%")
    'Repotrectinib 的缓解率为 89.1%'
    """
    return unescape_literal(TAG_PATTERN.sub("", text))


def escape_literal(text: str) -> str:
    """Make literal text safe to put next to placeholders (see the module docstring)."""
    return _LOOKALIKE.sub(lambda m: f"<\\{m['slashes']}{m['body']}>", text)


def unescape_literal(text: str) -> str:
    """Undo :func:`escape_literal` on text that holds no real tags (or leaves tags alone)."""

    def unescape(match: re.Match[str]) -> str:
        if not match["slashes"]:
            return match.group()
        return f"<{match['slashes'][1:]}{match['body']}>"

    return _LOOKALIKE.sub(unescape, text)


def renumber(text: str) -> tuple[str, dict[int, int]]:
    """Renumber the tags from 1 in order of appearance; returns the new text and a map from
    each new number to the old one. Closing tags follow their opening tag's new number."""
    new_of_old: dict[int, int] = {}
    pieces = []
    for piece in split_tags(text):
        if isinstance(piece, str):
            pieces.append(piece)
            continue
        if piece.number not in new_of_old:
            new_of_old[piece.number] = len(new_of_old) + 1
        pieces.append(format_tag(new_of_old[piece.number], piece.role))
    return "".join(pieces), {new: old for old, new in new_of_old.items()}


def tag_problems(text: str) -> list[str]:
    """What is wrong with the tags of one text on its own: a number used twice, a closing tag
    without its opening one, a pair left open, or two pairs that cross.

    >>> tag_problems("<1>a<2>b</1>c</2>")
    ['<1>…</1> and <2>…</2> cross; close the inner pair first']
    """
    problems = []
    seen: dict[int, Role] = {}
    stack: list[int] = []
    for tag in find_tags(text):
        if tag.role in ("open", "void"):
            if tag.number in seen:
                problems.append(f"{_describe(tag.number, seen[tag.number])} appears twice")
                continue
            seen[tag.number] = "open" if tag.role == "open" else "void"
            if tag.role == "open":
                stack.append(tag.number)
            continue
        if tag.number not in stack:
            if seen.get(tag.number) == "void":
                problems.append(f"{tag.text} closes the void tag <{tag.number}/>")
            elif seen.get(tag.number) == "open":
                problems.append(f"{tag.text} appears twice")
            else:
                problems.append(f"{tag.text} comes without <{tag.number}>")
            continue
        if stack[-1] != tag.number:
            inner = stack[-1]
            problems.append(
                f"{_describe(tag.number, 'open')} and {_describe(inner, 'open')} cross; "
                "close the inner pair first"
            )
        stack.remove(tag.number)
    problems.extend(f"<{number}> is never closed with </{number}>" for number in stack)
    return problems


def compare_tags(source: str, translation: str) -> list[str]:
    """What a translation does wrong with the source's tags; empty when it may be rendered.

    Tags may move and pairs may be reordered, but each must be kept exactly once with its
    role, and pairs must nest.

    >>> compare_tags("<1>a</1> <2/>", "<2/> <1>b</1>")
    []
    >>> compare_tags("<1>a</1> <2/>", "<1>b</1>")
    ['missing <2/>']
    """
    expected = _roles(source)
    found = _roles(translation)
    problems = tag_problems(translation)
    for number, role in expected.items():
        if number not in found:
            problems.append(f"missing {_describe(number, role)}")
        elif found[number] != role:
            problems.append(
                f"{_describe(number, found[number])} should be {_describe(number, role)}"
            )
    problems.extend(
        f"unknown tag {_describe(number, role)}"
        for number, role in found.items()
        if number not in expected
    )
    return problems


def restore(
    text: str,
    markup: Mapping[int, Markup],
    *,
    render_text: Callable[[str], str] = unescape_literal,
) -> str:
    """Replace the tags of ``text`` with their markup; ``render_text`` turns each stretch of
    text between tags into the output format (unescaping lookalikes, escaping what the
    format needs).

    Raises :class:`~pipeline.errors.CatalogError` when the tags do not match ``markup``: a
    renderer must never guess where a link or a bold drug name went.
    """
    expected: dict[int, Role] = {
        number: "open" if item.is_pair else "void" for number, item in markup.items()
    }
    source_like = "".join(_describe(number, role) for number, role in expected.items())
    problems = compare_tags(source_like, text)
    if problems:
        raise CatalogError(
            f"translation {text!r} has broken placeholders ({'; '.join(problems)}); "
            "copy every <N>…</N> and <N/> of the source text exactly once"
        )
    pieces = []
    for piece in split_tags(text):
        if isinstance(piece, str):
            pieces.append(render_text(piece))
        elif piece.role == "close":
            pieces.append(markup[piece.number].closing or "")
        else:
            pieces.append(markup[piece.number].opening)
    return "".join(pieces)


def _roles(text: str) -> dict[int, Role]:
    """Each tag number of a text and whether it is a pair (``open``) or a ``void``."""
    roles: dict[int, Role] = {}
    for tag in find_tags(text):
        if tag.role == "void":
            roles.setdefault(tag.number, "void")
        else:
            roles.setdefault(tag.number, "open")
    return roles


def _describe(number: int, role: Role) -> str:
    return f"<{number}/>" if role == "void" else f"<{number}>…</{number}>"
