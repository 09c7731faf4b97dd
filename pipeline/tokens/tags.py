"""Placeholder tags for inline markup: the one home of their grammar, escaping and problems.

Why placeholders: a msgid must show translators (and MT) where markup sits without showing
the markup itself. ``**NTRK融合基因**`` becomes ``<1>NTRK融合基因</1>`` and an inline code span
or image becomes ``<1/>``; a link's URL never reaches the catalog, so it can neither be
mistranslated nor leak into a translation memory. Numbers restart at 1 in every segment, in the
order the opening (or void) tags appear, so identical sentences get identical msgids.

The grammar: a tag is exactly ``<N>``, ``</N>`` or ``<N/>`` with ``N`` a whole number from 1,
written without a leading zero. Nothing else is a tag: ``<0>``, ``<01>``, ``< 1>`` and
``<1.5×10⁹/L`` are text. Every module that needs to find, skip or describe tags calls this one
(the segmenter builds its patterns from :data:`ANY_TAG`, :data:`OPENING_TAG`…; a test greps
``pipeline/`` for tag patterns written anywhere else).

Literal lookalikes: source text that itself reads ``<1>``, ``</1>`` or ``<1/>`` is escaped by
adding one backslash after the ``<`` (``<1>`` -> ``<\\1>``, ``</1>`` -> ``<\\/1>``; an already
escaped ``<\\1>`` gets a second backslash, and so on), so it can never be taken for a
placeholder. The escape survives PO files (the file holds ``<\\\\1>``, an editor shows
``<\\1>``); translators copy it as they see it, and renderers turn it back into the source's
exact characters with :func:`unescape_literal`.

A translation may move the tags (``<2>…</2> … <1>…</1>``), but must keep every tag of the source
exactly once, with the same role (pair or void); pairs must nest without crossing, and a pair
or void stays inside the pair that holds it in the source. :func:`compare_tags` names every
problem in one set of messages, used by the ``markup`` check and by the renderers (through
:func:`restore`, which refuses a broken translation with a
:class:`~pipeline.errors.CatalogError`).

>>> text, old = renumber("见<4>研究</4>与<7/>")
>>> text, old
('见<1>研究</1>与<2/>', {1: 4, 2: 7})
>>> restore("<1>Study</1> and <2/>", {1: Markup("**", "**"), 2: Markup("`code`")})
'**Study** and `code`'
>>> escape_literal("第<1>期")
'第<\\\\1>期'
>>> compare_tags("检测值<0>为阴性，见<1>表1</1>。", "Below 0 is negative, see <1>Table 1</1>.")
[]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from pipeline.errors import CatalogError

__all__ = [
    "ANY_TAG",
    "CLOSING_TAG",
    "OPENING_TAG",
    "TAG_RE",
    "VOID_TAG",
    "Markup",
    "Tag",
    "compare_tags",
    "escape_literal",
    "find_tags",
    "format_tag",
    "move_spaces_outside_pairs",
    "pair_within",
    "renumber",
    "restore",
    "split_tags",
    "strip_tags",
    "unescape_literal",
]

Role = Literal["open", "close", "void"]

_NUMBER = r"[1-9][0-9]*"
#: Regular-expression sources for building larger patterns (the segmenter's): one tag of a
#: kind, with no groups.
OPENING_TAG = rf"<{_NUMBER}>"
CLOSING_TAG = rf"</{_NUMBER}>"
VOID_TAG = rf"<{_NUMBER}/>"
ANY_TAG = f"{OPENING_TAG}|{CLOSING_TAG}|{VOID_TAG}"

#: One tag, with its number in the group named after its role (``open``, ``close``, ``void``).
TAG_RE = re.compile(rf"<(?:(?P<open>{_NUMBER})|/(?P<close>{_NUMBER})|(?P<void>{_NUMBER})/)>")
# A tag or a literal lookalike, with the backslashes that escape it (zero for a real tag).
_LOOKALIKE = re.compile(rf"<(?P<slashes>\\*)(?P<body>/?{_NUMBER}/?)>")
# What a translator or an editor may have made of a tag: spaces inside, a leading zero, the
# HTML escape. Reported unless the source has the same text (then it is literal text).
_NEAR_MISS = re.compile(r"<\s*/?\s*\d+\s*/?\s*>|&lt;\s*/?\s*\d+\s*/?\s*&gt;")
_SPACES_AFTER_OPENING = re.compile(rf"<({_NUMBER})>(\s+)")
_SPACES_BEFORE_CLOSING = re.compile(rf"(\s+)</({_NUMBER})>")


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
    if "<" not in text:
        return []
    tags = []
    for match in TAG_RE.finditer(text):
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
    return unescape_literal(TAG_RE.sub("", text))


def escape_literal(text: str) -> str:
    """Make literal text safe to put next to placeholders (see the module docstring)."""
    if "<" not in text:
        return text
    return _LOOKALIKE.sub(lambda m: f"<\\{m['slashes']}{m['body']}>", text)


def unescape_literal(text: str) -> str:
    """Undo :func:`escape_literal` on text that holds no real tags (or leaves tags alone).

    >>> unescape_literal(escape_literal("<1>, <\\\\/2>, <0>"))
    '<1>, <\\\\/2>, <0>'
    """

    def unescape(match: re.Match[str]) -> str:
        if not match["slashes"]:
            return match.group()
        return f"<{match['slashes'][1:]}{match['body']}>"

    if "<" not in text:
        return text
    return _LOOKALIKE.sub(unescape, text)


def pair_within(max_chars: int) -> re.Pattern[str]:
    """A pattern for one whole ``<N>…</N>`` pair holding at most ``max_chars`` characters."""
    return re.compile(rf"<({_NUMBER})>.{{0,{max_chars}}}?</\1>", re.DOTALL)


def move_spaces_outside_pairs(text: str) -> str:
    """Move spaces just inside a pair to its outside: ``<1> bold</1>`` becomes
    ``␣<1>bold</1>``, since Markdown would not read ``** bold**`` as emphasis.

    >>> move_spaces_outside_pairs("a<1> bold </1>b")
    'a <1>bold</1> b'
    """
    previous = None
    while previous != text:
        previous = text
        text = _SPACES_AFTER_OPENING.sub(r"\2<\1>", text)
        text = _SPACES_BEFORE_CLOSING.sub(r"</\2>\1", text)
    return text


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


# --- problems -------------------------------------------------------------------------------

_Kind = Literal["pair", "void"]


@dataclass(frozen=True, kw_only=True)
class _Layout:
    """The tags of one text: how many of each, the kind and parent pair of each number (at
    its first appearance), and what is wrong with their order."""

    counts: Counter[tuple[int, Role]]
    kinds: dict[int, _Kind]
    parents: dict[int, int | None]
    order: dict[int, str]


def _layout(text: str) -> _Layout:
    counts: Counter[tuple[int, Role]] = Counter()
    kinds: dict[int, _Kind] = {}
    parents: dict[int, int | None] = {}
    order: dict[int, str] = {}
    stack: list[int] = []
    for tag in find_tags(text):
        number = tag.number
        counts[number, tag.role] += 1
        kinds.setdefault(number, "void" if tag.role == "void" else "pair")
        if tag.role != "close":
            parents.setdefault(number, stack[-1] if stack else None)
            if tag.role == "open":
                stack.append(number)
        elif number not in stack:
            order.setdefault(number, f"</{number}> comes before <{number}>")
        else:
            if stack[-1] != number:
                inner = stack[-1]
                order.setdefault(
                    number,
                    f"{_describe(number, 'pair')} and {_describe(inner, 'pair')} cross; "
                    "close the inner pair first",
                )
            stack.remove(number)
    return _Layout(counts=counts, kinds=kinds, parents=parents, order=order)


def compare_tags(source: str, translation: str, *, for_rendering: bool = False) -> list[str]:
    """What a translation does wrong with the source's tags, in one message each; empty when
    it keeps them all.

    Tags may move and pairs may be reordered, but each must be kept exactly once with its
    role, pairs must not cross, and (unless ``for_rendering``, where only what the renderer
    needs is asked) a tag stays inside the pair that holds it in the source and nothing in
    the translation looks like a broken tag.

    >>> compare_tags("<1>a</1> <2/>", "<2/> <1>b</1>")
    []
    >>> compare_tags("<1>a</1> <2/>", "<1>b</1>")
    ['placeholder <2/> is missing']
    >>> for problem in compare_tags("<1>a</1>", "<1>a <2>b</1></2>"):
    ...     print(problem)
    placeholder <2>…</2> is not in the source
    <1>…</1> and <2>…</2> cross; close the inner pair first
    """
    problems: list[str] = []
    if not for_rendering and ("<" in translation or "&" in translation):
        problems.extend(
            f'malformed placeholder "{near}"; write it exactly as in the source'
            for near in dict.fromkeys(m.group() for m in _NEAR_MISS.finditer(translation))
            if not TAG_RE.fullmatch(near) and near not in source
        )
    expected = _layout(source)
    found = _layout(translation)
    sound: list[int] = []
    for number, kind in expected.kinds.items():
        problem = _count_problem(number, kind, expected.counts, found)
        if problem:
            problems.append(problem)
        else:
            sound.append(number)
    problems.extend(
        f"placeholder {_describe(number, kind)} is not in the source"
        for number, kind in found.kinds.items()
        if number not in expected.kinds
    )
    order = [found.order[number] for number in sound if number in found.order]
    problems.extend(dict.fromkeys(order))
    if for_rendering or problems:
        return problems
    for number in sound:
        parent = found.parents[number]
        wanted = expected.parents[number]
        if parent == wanted:
            continue
        name = _describe(number, expected.kinds[number])
        if wanted is None:
            problems.append(f"{name} is inside {_describe(parent or 0, 'pair')}, not in the source")
        else:
            problems.append(f"{name} must stay inside {_describe(wanted, 'pair')}")
    return problems


def _count_problem(
    number: int, kind: _Kind, expected: Counter[tuple[int, Role]], found: _Layout
) -> str | None:
    """Is a source tag missing, duplicated, half kept or of the other kind in a translation?"""
    name = _describe(number, kind)
    if number not in found.kinds:
        return f"placeholder {name} is missing"
    opened = found.counts[number, "open"]
    closed = found.counts[number, "close"]
    voids = found.counts[number, "void"]
    if kind == "void":
        if not voids:
            return f"placeholder {_describe(number, 'pair')} should be {name}"
        wanted = expected[number, "void"]
        used = voids + opened + closed
        if used > wanted:
            return f"placeholder {name} appears {used} times, {wanted} in the source"
        return None
    if voids:
        return f"placeholder {_describe(number, 'void')} should be {name}"
    wanted = expected[number, "open"]
    if not opened:
        return f"placeholder <{number}> is missing"
    if not closed:
        return f"placeholder </{number}> is missing"
    if max(opened, closed) > wanted:
        return f"placeholder {name} appears {max(opened, closed)} times, {wanted} in the source"
    if opened != closed:
        return (
            f"placeholder {format_tag(number, 'close' if opened > closed else 'open')} is missing"
        )
    return None


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
    source_like = "".join(
        _describe(number, "pair" if item.is_pair else "void") for number, item in markup.items()
    )
    problems = compare_tags(source_like, text, for_rendering=True)
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


def _describe(number: int, kind: _Kind) -> str:
    return f"<{number}/>" if kind == "void" else f"<{number}>…</{number}>"
