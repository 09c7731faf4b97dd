"""Markdown reader and renderer: article -> segments with placeholders -> translated article.

Parsing is markdown-it-py's CommonMark with GFM tables and YAML front matter. markdown-it does
not say where an inline token sits in the file, so the reader aligns each block's inline tokens
with the block's source text (escapes and entities are kept as ``text_special`` tokens for
that) and records, for every placeholder, the exact source characters it stands for. Rendering
re-reads the source the same way and swaps only the text of translated blocks; everything else
(front matter keys, code, list markers, table pipes, link URLs, blank lines) is copied byte for
byte, so ``render_markdown(src, {}) == src``.

What becomes a segment (kind in brackets):

- front matter fields [the field name], one segment each: ``title``, ``subtitle``,
  ``description`` and ``summary`` unless the project names others
  (``[tool.pipeline.markdown] front_matter``); the other fields
  (date, url, speaker…) are metadata, copied as they are;
- headings [``heading 1``…``heading 6``] and table cells [``table header``, ``table cell``],
  whole; paragraphs [``paragraph``, or ``list item`` / ``blockquote`` inside those], split into
  sentences; an image's alt text [``image alt``], whole, right after the sentence holding it;
- nothing from code blocks, HTML blocks, thematic breaks or link reference definitions, and no
  piece without a letter (a cell ``89.1%``, a paragraph that is only an image).

Inline markup becomes numbered placeholders (see :mod:`pipeline.tokens.tags`): emphasis,
strong and link text are pairs (``<1>…</1>``; a link's URL and title stay in the placeholder);
inline code, images, hard line breaks, inline HTML and autolinks are voids (``<1/>``). Markdown
escapes and entities are shown resolved (``\\*`` reads ``*``, ``&amp;`` reads ``&``); a literal
``<1>`` in the text is written ``<\\1>``.

Soft line breaks are joined before sentence splitting (no space next to a Chinese character,
one space between Latin words; :func:`~pipeline.readers.text.line_break_joiner`), and a
segment's line is the line where its sentence starts, not just its block's first line.

Decisions where CommonMark leaves room:

- An image's alt text is translated (it is what screen readers say and what shows when a
  figure fails to load), as its own segment, so the sentence around the image keeps a simple
  ``<1/>``. Link and image titles (``"TRIDENT-1"``) stay in their placeholder, untranslated.
- A shortcut reference link ``[TRIDENT-1]`` uses its text as the label; its translation is
  rendered ``[translated][TRIDENT-1]`` so it still finds its definition.
- A file whose first line is ``---`` must close its front matter: an unclosed one is an error
  rather than silently read as a thematic break followed by YAML shown as text.

Rendering: a block whose segments are all untranslated (or translated to the same text) is
copied as it is, line wrapping included. A block with any translated segment is written on one
line, because a translation cannot be wrapped at the source's line breaks: the block's
first-line prefix (indentation, ``>``, list marker) is kept, the sentences are joined (no space
next to a Chinese character, one space otherwise), and text is backslash-escaped where
Markdown would read it as markup (``*``, ``_``, backticks, ``[``, ``]``, ``\\``, ``<`` before a
letter, ``&`` before an entity, ``|`` in tables, and ``#``, ``>``, ``-``, ``1.`` at the start
of the line). A hard line break keeps its own line and prefix; spaces just inside a pair move
outside it (``<1>bold </1>`` renders ``**bold** ``). A translated front matter value is
written as a double-quoted YAML string (JSON escaping is valid YAML 1.2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock, table
from markdown_it.rules_inline import StateInline, autolink, backtick, image, link
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pipeline.errors import CatalogError, SourceError
from pipeline.readers import TRANSLATABLE_FIELDS
from pipeline.readers.text import (
    escape_with_lines,
    has_translatable_text,
    line_break_joiner,
    no_text_error,
    sentence_spans,
    split_lines,
)
from pipeline.segments import Segment
from pipeline.tokens.tags import (
    Markup,
    find_tags,
    format_tag,
    move_spaces_outside_pairs,
    renumber,
    restore,
    split_tags,
    strip_tags,
    unescape_literal,
)

__all__ = [
    "TRANSLATABLE_FIELDS",
    "MarkdownDocument",
    "parse_markdown",
    "read_markdown",
    "render_markdown",
]


Context = Literal["inline", "heading", "cell", "alt", "yaml"]


class _AlignmentError(Exception):
    """The inline tokens do not match the source text (a markdown-it case we do not know)."""


# --- document model ---------------------------------------------------------------------------


@dataclass
class _AltText:
    """An image's alt text: where it sits in the image's source, and its segment if any."""

    start: int
    end: int
    unit: _Unit | None
    reference: str | None = None  # the label of a shortcut reference image (``![alt]``)


@dataclass
class _Placeholder:
    """The exact source characters a placeholder stands for."""

    opening: str
    closing: str | None = None
    alt: _AltText | None = None


@dataclass
class _Unit:
    """One segment and the markup its placeholders stand for.

    A block with no text of its own but an image whose alt text needs translating (a paragraph
    that is only an image) is carried by a unit without a segment: it always renders as its
    source.
    """

    msgid: str
    segment: Segment | None
    markup: dict[int, _Placeholder]
    context: Context

    def with_nested(self) -> Iterator[_Unit]:
        """This unit, then the alt texts of its images, depth first (document order)."""
        if self.segment is not None:
            yield self
        for placeholder in self.markup.values():
            if placeholder.alt is not None and placeholder.alt.unit is not None:
                yield from placeholder.alt.unit.with_nested()


@dataclass
class _Block:
    """A stretch of the source (``start``..``end`` offsets) that rendering may replace."""

    start: int
    end: int
    context: Context
    units: list[_Unit] = field(default_factory=list)

    def all_units(self) -> Iterator[_Unit]:
        for unit in self.units:
            yield from unit.with_nested()


@dataclass
class _Source:
    """The source text with its line table, in the coordinates markdown-it uses."""

    text: str
    line_starts: list[int]
    lines: list[str]  # without terminators, NUL as U+FFFD like markdown-it's normalize

    def offset(self, line: int, column: int) -> int:
        """Offset in ``text`` of a 0-based line and column."""
        return self.line_starts[line] + column


# --- parser -----------------------------------------------------------------------------------


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    # Keep escapes and entities as separate tokens whose markup is the source text.
    md.disable("text_join")
    md.block.ruler.at("table", _recording_table, {"alt": ["paragraph", "reference"]})
    return md


def _recording_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The GFM table rule, also noting where each row's content starts and ends in its line
    (after any ``>`` or list indentation), which the tokens do not say."""
    count = len(state.tokens)
    found = table(state, start_line, end_line, silent)
    if found and not silent:
        opening = state.tokens[count]
        rows = {}
        for line in range(*_lines_of(opening)):
            line_start = state.src.rfind("\n", 0, state.bMarks[line]) + 1
            begin = state.bMarks[line] + state.tShift[line]
            rows[line] = (begin - line_start, state.eMarks[line] - line_start)
        opening.meta["rows"] = rows
    return found


def _lines_of(token: Token) -> tuple[int, int]:
    """The 0-based line range of a block token (block tokens always have one)."""
    assert token.map is not None, token.type
    return token.map[0], token.map[1]


# --- reading ----------------------------------------------------------------------------------


def read_markdown(
    text: str,
    *,
    language: str,
    path: str,
    front_matter: Sequence[str] = TRANSLATABLE_FIELDS,
) -> list[Segment]:
    """Segments of a Markdown article, in document order (see the module docstring);
    ``front_matter`` names the front matter fields that are translated.

    >>> source = "## 临床数据\\n\\n见[TRIDENT-1](https://clinicaltrials.gov)。**有效**。\\n"
    >>> for segment in read_markdown(source, language="zh", path="a.md"):
    ...     print(segment.line, segment.kind, segment.text)
    1 heading 2 临床数据
    3 paragraph 见<1>TRIDENT-1</1>。
    3 paragraph <1>有效</1>。
    """
    segments = [
        unit.segment
        for block in _read_blocks(text, language=language, path=path, front_matter=front_matter)
        for unit in block.all_units()
        if unit.segment is not None
    ]
    if not segments:
        raise no_text_error(path)
    return segments


@dataclass(frozen=True)
class MarkdownDocument:
    """A source article read once: its blocks (what rendering replaces) and its front matter
    as markdown-it's front matter rule reads it (``None`` without front matter). Publishing
    reads a source once and renders it for every locale from this; never modified."""

    text: str
    blocks: tuple[_Block, ...]
    front_matter: str | None

    def render(self, translations: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        """The translated article (as :func:`render_markdown`), and the value of each front
        matter field whose translation was put in place (field name -> text)."""
        pieces = []
        fields: dict[str, str] = {}
        position = 0
        text = self.text
        for block in self.blocks:
            if all(_is_unchanged(unit, translations) for unit in block.all_units()):
                continue
            pieces.append(text[position : block.start])
            if block.context == "yaml":  # a JSON string is a YAML double-quoted scalar
                unit = block.units[0]
                value = _render_unit(unit, translations)
                if unit.segment is not None:
                    fields[unit.segment.kind] = value
                pieces.append(json.dumps(value, ensure_ascii=False))
            else:
                pieces.append(_render_block(block, translations))
            position = block.end
        pieces.append(text[position:])
        return "".join(pieces), fields


def parse_markdown(
    text: str,
    *,
    language: str,
    path: str,
    front_matter: Sequence[str] = TRANSLATABLE_FIELDS,
) -> MarkdownDocument:
    """Read a Markdown source into a :class:`MarkdownDocument` (cached for the last few
    sources). Raises :class:`~pipeline.errors.SourceError` like :func:`read_markdown`."""
    return _read_blocks_cached(text, language, path, tuple(front_matter))


def _read_blocks(
    text: str, *, language: str, path: str, front_matter: Sequence[str]
) -> list[_Block]:
    """The source's blocks; the last few sources read are kept, because publishing renders
    one source for every locale in a row (the blocks are never modified)."""
    return list(_read_blocks_cached(text, language, path, tuple(front_matter)).blocks)


@lru_cache(maxsize=8)
def _read_blocks_cached(
    text: str, language: str, path: str, front_matter: tuple[str, ...]
) -> MarkdownDocument:
    return _read_blocks_uncached(text, language=language, path=path, front_matter=front_matter)


def _read_blocks_uncached(
    text: str, *, language: str, path: str, front_matter: tuple[str, ...]
) -> MarkdownDocument:
    lines = split_lines(text)
    source = _Source(
        text=text,
        line_starts=[start for start, _ in lines],
        lines=[line.replace("\0", "\ufffd") for _, line in lines],
    )
    env: dict[str, Any] = {}
    md = _parser()
    tokens = md.parse(text, env)
    if not (tokens and tokens[0].type == "front_matter") and re.match(
        r"-{3,}[ \t]*(?:[\r\n]|$)", text
    ):
        raise SourceError(
            "front matter starts with --- but is never closed; add a closing --- line after "
            "its fields, or remove the --- line",
            path=path,
            line=1,
        )
    reader = _BlockReader(
        source=source, md=md, env=env, language=language, path=path, front_matter=front_matter
    )
    front = tokens[0].content if tokens and tokens[0].type == "front_matter" else None
    return MarkdownDocument(text=text, blocks=tuple(reader.read(tokens)), front_matter=front)


@dataclass
class _BlockReader:
    source: _Source
    md: MarkdownIt
    env: dict[str, Any]
    language: str
    path: str
    front_matter: tuple[str, ...]

    def read(self, tokens: Sequence[Token]) -> list[_Block]:
        blocks: list[_Block] = []
        containers: list[str] = []
        kind = "paragraph"
        is_atx = False
        rows: dict[int, tuple[int, int]] = {}
        cells: list[tuple[int, int]] = []
        cell_index = 0
        for token in tokens:
            if token.type == "front_matter":
                blocks.extend(self._front_matter(token))
            elif token.type == "list_item_open":
                containers.append("list item")
            elif token.type == "blockquote_open":
                containers.append("blockquote")
            elif token.type in ("list_item_close", "blockquote_close"):
                containers.pop()
            elif token.type == "heading_open":
                kind = f"heading {token.tag[1:]}"
                is_atx = token.markup.startswith("#")
            elif token.type == "paragraph_open":
                kind = containers[-1] if containers else "paragraph"
                is_atx = False
            elif token.type == "table_open":
                rows = token.meta["rows"]
            elif token.type == "tr_open":
                cells, cell_index = self._row_cells(_lines_of(token)[0], rows), 0
            elif token.type in ("th_open", "td_open"):
                kind = "table header" if token.type == "th_open" else "table cell"
            elif token.type in ("th_close", "td_close"):
                cell_index += 1
            elif token.type == "inline":
                block = self._inline_block(token, kind, is_atx, cells, cell_index)
                if block is not None:
                    blocks.append(block)
        return blocks

    # -- front matter ------------------------------------------------------------------------

    def _front_matter(self, token: Token) -> list[_Block]:
        source = self.source
        closing_line = _lines_of(token)[1] - 1
        if closing_line <= 1:
            return []
        start = source.line_starts[1]
        yaml_text = source.text[start : source.line_starts[closing_line]]
        yaml = YAML(typ="rt")
        try:
            root = yaml.compose(yaml_text)  # parsed once: the nodes give the values' places
            data = None if root is None else yaml.constructor.construct_document(root)
        except YAMLError as exc:
            raise SourceError(
                f"front matter is not valid YAML ({_yaml_problem(exc)}); fix it or remove the "
                "--- block",
                path=self.path,
                line=2 + _yaml_line(exc, yaml_text),
            ) from exc
        if data is None:
            return []
        if not isinstance(data, dict):
            raise SourceError(
                f"front matter must be fields such as 'title: …', not a "
                f"{'list' if isinstance(data, list) else 'single value'}; fix it or remove the "
                "--- block",
                path=self.path,
                line=2,
            )
        blocks = []
        for key_node, value_node in root.value:
            name = key_node.value
            if name not in self.front_matter:
                continue
            value = data[name]
            line = 2 + value_node.start_mark.line
            if value is None:
                continue
            if not isinstance(value, str):
                raise SourceError(
                    f"front matter field '{name}' must be text, not "
                    f"{type(value).__name__}; quote it or remove it",
                    path=self.path,
                    line=line,
                )
            raw = source.text[
                start + value_node.start_mark.index : start + value_node.end_mark.index
            ]
            text, _ = escape_with_lines(_field_text(value, raw, value_node.style), [])
            if not has_translatable_text(text):
                continue
            value_start = start + value_node.start_mark.index
            value_end = start + value_node.end_mark.index
            while value_end > value_start and source.text[value_end - 1] in " \t\r\n":
                value_end -= 1
            segment = Segment(text=text, kind=name, line=line)
            unit = _Unit(msgid=text, segment=segment, markup={}, context="yaml")
            blocks.append(_Block(start=value_start, end=value_end, context="yaml", units=[unit]))
        return blocks

    # -- inline blocks -----------------------------------------------------------------------

    def _row_cells(self, line: int, rows: Mapping[int, tuple[int, int]]) -> list[tuple[int, int]]:
        begin, end = rows[line]
        return _cell_spans(self.source.lines[line], begin, end)

    def _inline_block(
        self,
        token: Token,
        kind: str,
        is_atx: bool,
        cells: Sequence[tuple[int, int]],
        cell_index: int,
    ) -> _Block | None:
        content = token.content
        if not content.strip():
            return None
        first_line = _lines_of(token)[0]
        try:
            if kind.startswith("table"):
                positions = self._cell_positions(content, first_line, cells, cell_index)
                context: Context = "cell"
            elif is_atx:
                positions = self._atx_positions(content, first_line)
                context = "heading"
            else:
                positions = _paragraph_positions(content, self.source.lines, first_line)
                context = "heading" if kind.startswith("heading") else "inline"
            items, end = _InlineAligner(content, self.md, self.env).align(token.children or [], 0)
            if content[end:].strip():
                raise _AlignmentError(f"unread text {content[end:]!r}")
        except _AlignmentError as exc:
            raise SourceError(
                f"cannot map the inline markup of this block back to the source ({exc}); "
                "simplify the markup here and report the case",
                path=self.path,
                line=first_line + 1,
            ) from exc
        locator = _Locator(self.source, positions, content)
        block = _Block(
            start=locator.offset(0), end=locator.offset_after(len(content)), context=context
        )
        split = context == "inline"
        block.units = _units(
            items, locator, kind=kind, context=context, split=split, language=self.language
        )
        return block if block.units else None

    def _atx_positions(self, content: str, line: int) -> list[tuple[int, int]]:
        text = self.source.lines[line]
        opening = re.search(r"#{1,6}", text)
        assert opening is not None  # a heading line
        column = text.find(content, opening.end())
        if column < 0:
            raise _AlignmentError("heading text not found in its line")
        return [(line, column + index) for index in range(len(content) + 1)]

    def _cell_positions(
        self, content: str, line: int, cells: Sequence[tuple[int, int]], index: int
    ) -> list[tuple[int, int]]:
        if index >= len(cells):
            raise _AlignmentError("table cell not found in its row")
        start, end = cells[index]
        raw = self.source.lines[line][start:end]
        columns = []
        for offset, char in enumerate(raw):
            # The table rule drops the backslash of an escaped pipe.
            if char == "\\" and raw[offset + 1 : offset + 2] == "|":
                continue
            columns.append(start + offset)
        columns.append(end)
        if "".join(self.source.lines[line][c] for c in columns[:-1]) != content:
            raise _AlignmentError("table cell text differs from its row")
        return [(line, column) for column in columns]


def _yaml_problem(exc: YAMLError) -> str:
    if isinstance(exc, MarkedYAMLError) and exc.problem:
        return str(exc.problem)
    return str(exc).splitlines()[0]


def _yaml_line(exc: YAMLError, yaml_text: str) -> int:
    """0-based line in the YAML text where the problem is best shown: where it was found,
    unless that is the end of the text (an unclosed bracket), then where the construct began."""
    if not isinstance(exc, MarkedYAMLError):
        return 0
    problem, context = exc.problem_mark, exc.context_mark
    if problem is not None and (problem.index < len(yaml_text.rstrip()) or context is None):
        return int(problem.line)
    if context is not None:
        return int(context.line)
    return 0


def _field_text(value: str, raw: str, style: str | None) -> str:
    """A front matter value as a msgid, whitespace collapsed.

    YAML folds a value wrapped over several lines with a space at each line break, which reads
    wrong in Chinese (``repotrectinib和 selitrectinib``); for plain and block scalars the
    source lines are joined again like a soft-wrapped paragraph instead.
    """
    text = " ".join(value.split())
    if "\n" not in raw.strip() or style not in (None, ">", "|"):
        return text
    lines = [line.strip() for line in raw.splitlines()[1 if style else 0 :]]
    joined = ""
    for line in filter(None, lines):
        joined += (line_break_joiner(joined[-1], line[0]) if joined else "") + line
    # Keep YAML's reading whenever the source holds anything more than the words.
    return joined if "".join(joined.split()) == "".join(text.split()) else text


def _cell_spans(line: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Column spans (within ``line``) of each cell's trimmed text, as the GFM table rule cuts
    the row ``line[begin:end]``: at pipes not preceded by a backslash, without the empty
    columns before a leading and after a trailing pipe."""
    while begin < end and line[begin] in " \t":
        begin += 1
    while end > begin and line[end - 1] in " \t":
        end -= 1
    columns: list[tuple[int, int]] = []
    start = begin
    for position in range(begin, end):
        if line[position] == "|" and (position == begin or line[position - 1] != "\\"):
            columns.append((start, position))
            start = position + 1
    columns.append((start, end))
    if columns and columns[0][0] == columns[0][1]:
        columns.pop(0)
    if columns and columns[-1][0] == columns[-1][1]:
        columns.pop()
    spans = []
    for start, stop in columns:
        while start < stop and line[start] in " \t":
            start += 1
        while stop > start and line[stop - 1] in " \t":
            stop -= 1
        spans.append((start, stop))
    return spans


def _paragraph_positions(content: str, lines: Sequence[str], first: int) -> list[tuple[int, int]]:
    """(line, column) of every character of a paragraph's inline content, plus one past the end.

    Each content line is the tail of its source line after the container prefix (``>``,
    indentation); the last one may have lost trailing whitespace. A newline maps to the end of
    its line.
    """
    content_lines = content.split("\n")
    positions: list[tuple[int, int]] = []
    for index, content_line in enumerate(content_lines):
        line = first + index
        if line >= len(lines):
            raise _AlignmentError("paragraph runs past the end of the file")
        text = lines[line]
        stripped = content_line.lstrip(" \t")
        lead = len(content_line) - len(stripped)
        end = len(text)
        if index == len(content_lines) - 1:
            while not text.endswith(stripped, 0, end):
                if end == 0 or not text[end - 1].isspace():
                    raise _AlignmentError("paragraph line not found in the source")
                end -= 1
        elif not text.endswith(stripped):
            raise _AlignmentError("paragraph line not found in the source")
        base = end - len(stripped)
        positions.extend(
            (line, base + max(column - lead, 0)) for column in range(len(content_line))
        )
        if index < len(content_lines) - 1:
            positions.append((line, len(text)))
        else:
            positions.append((line, end))
    return positions


@dataclass
class _Locator:
    """Maps offsets in a block's inline content to offsets and lines in the source text."""

    source: _Source
    positions: list[tuple[int, int]]
    content: str

    def offset(self, index: int) -> int:
        return self.source.offset(*self.positions[index])

    def offset_after(self, end: int) -> int:
        """Source offset just after the content character ``end - 1``."""
        if end < len(self.content):
            return self.offset(end)
        line, column = self.positions[end - 1]
        return self.source.offset(line, column + 1)

    def line(self, index: int) -> int:
        """1-based line of a content offset."""
        return self.positions[min(index, len(self.positions) - 1)][0] + 1

    def source_text(self, start: int, end: int) -> str:
        return self.source.text[self.offset(start) : self.offset_after(end)]


# --- inline alignment -------------------------------------------------------------------------

ItemKind = Literal["text", "soft", "open", "close", "void"]


@dataclass
class _Item:
    """A piece of inline content: literal text, a soft break, or markup (with its span)."""

    kind: ItemKind
    start: int
    end: int
    text: str = ""
    pair: int = -1
    alt: tuple[int, int, list[_Item]] | None = None  # images: alt text span and its items
    # Shortcut or collapsed reference links and images (``[text]``, ``[text][]``): the text is
    # the reference label, so a translated text must name the label (``[new][text]``).
    reference: str | None = None


_BREAK = re.compile(r"[ \t]*\\?\n[ \t]*")


class _InlineAligner:
    """Walks inline tokens and the content string together, giving each token its span."""

    def __init__(self, content: str, md: MarkdownIt, env: dict[str, Any]) -> None:
        self.src = content
        self.md = md
        self.env = env
        self.pairs = 0

    def _state(self, position: int) -> StateInline:
        state = StateInline(self.src, self.md, self.env, [])
        state.pos = position
        return state

    def _rule_end(self, rule: Callable[[StateInline, bool], bool], position: int) -> int:
        state = self._state(position)
        if not rule(state, True):
            raise _AlignmentError(f"{rule.__name__} not found at {position}")
        return state.pos

    def _expect(self, text: str, position: int) -> int:
        if not self.src.startswith(text, position):
            raise _AlignmentError(f"expected {text!r} at {position}")
        return position + len(text)

    def _label(self, label_start: int, label_end: int, end: int) -> str | None:
        """The label of a shortcut or collapsed reference (``[text]``, ``[text][]``), else
        None."""
        if self.src[label_end:end] not in ("]", "][]"):
            return None
        return " ".join(self.src[label_start:label_end].split())

    def align(self, tokens: Sequence[Token], position: int) -> tuple[list[_Item], int]:
        items: list[_Item] = []
        open_pairs: list[tuple[int, int, int, int]] = []  # pair id, label start, end, link end
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "text":
                end = self._expect(token.content, position)
                if end > position:
                    items.append(_Item("text", position, end, text=token.content))
                position = end
            elif kind == "text_special":
                end = self._expect(token.markup, position)
                items.append(_Item("text", position, end, text=token.content))
                position = end
            elif kind in ("softbreak", "hardbreak"):
                match = _BREAK.match(self.src, position)
                if match is None:
                    raise _AlignmentError(f"line break not found at {position}")
                items.append(
                    _Item("soft" if kind == "softbreak" else "void", position, match.end())
                )
                position = match.end()
            elif kind == "code_inline":
                end = self._rule_end(backtick, position)
                items.append(_Item("void", position, end))
                position = end
            elif kind == "html_inline":
                end = self._expect(token.content, position)
                items.append(_Item("void", position, end))
                position = end
            elif kind == "link_open" and token.markup == "autolink":
                end = self._rule_end(autolink, position)
                items.append(_Item("void", position, end))
                position = end
                while tokens[index].type != "link_close":
                    index += 1
            elif kind == "link_open":
                label_end = parseLinkLabel(self._state(position), position, True)
                end = self._rule_end(link, position)
                self.pairs += 1
                items.append(_Item("open", position, position + 1, pair=self.pairs))
                open_pairs.append((self.pairs, position + 1, label_end, end))
                position += 1
            elif kind == "link_close":
                pair, label_start, label_end, end = open_pairs.pop()
                if self.src[position:label_end].strip():
                    raise _AlignmentError(f"link text ends before {label_end}")
                items.append(
                    _Item(
                        "close",
                        label_end,
                        end,
                        pair=pair,
                        reference=self._label(label_start, label_end, end),
                    )
                )
                position = end
            elif kind == "image":
                label_end = parseLinkLabel(self._state(position + 1), position + 1, False)
                end = self._rule_end(image, position)
                alt_items, alt_end = self.align(token.children or [], position + 2)
                if self.src[alt_end:label_end].strip():
                    raise _AlignmentError(f"image alt text ends before {label_end}")
                items.append(
                    _Item(
                        "void",
                        position,
                        end,
                        alt=(position + 2, label_end, alt_items),
                        reference=self._label(position + 2, label_end, end),
                    )
                )
                position = end
            elif token.nesting == 1 and token.markup:
                end = self._expect(token.markup, position)
                self.pairs += 1
                items.append(_Item("open", position, end, pair=self.pairs))
                open_pairs.append((self.pairs, -1, -1, -1))
                position = end
            elif token.nesting == -1 and token.markup:
                end = self._expect(token.markup, position)
                pair, _, _, _ = open_pairs.pop()
                items.append(_Item("close", position, end, pair=pair))
                position = end
            else:
                raise _AlignmentError(f"unexpected {kind} token")
            index += 1
        return items, position


# --- from items to units ----------------------------------------------------------------------


@dataclass
class _Assembly:
    """A block's msgid text with block-wide placeholder numbers."""

    text: str = ""
    lines: list[int] = field(default_factory=list)
    markup: dict[int, _Placeholder] = field(default_factory=dict)


def _assemble(items: Sequence[_Item], locator: _Locator, *, language: str) -> _Assembly:
    assembly = _Assembly()
    numbers: dict[int, int] = {}
    stretch = ""  # literal text waiting to be escaped as a whole
    stretch_lines: list[int] = []

    def flush() -> None:
        nonlocal stretch, stretch_lines
        escaped, lines = escape_with_lines(stretch, stretch_lines)
        assembly.text += escaped
        assembly.lines.extend(lines)
        stretch, stretch_lines = "", []

    def last_char() -> str:
        return stretch[-1:] or strip_tags(assembly.text)[-1:]

    for index, item in enumerate(items):
        line = locator.line(item.start)
        if item.kind == "text":
            text = re.sub(r"[ \t\n]+", " ", item.text)
            if text.startswith(" ") and last_char() in ("", " "):
                text = text[1:]
            stretch += text
            stretch_lines.extend([line] * len(text))
            continue
        if item.kind == "soft":
            gap = line_break_joiner(last_char(), _next_char(items, index + 1))
            if gap and last_char() not in ("", " "):
                stretch += gap
                stretch_lines.append(line)
            continue
        flush()
        if item.kind == "close":
            number = numbers[item.pair]
            closing = locator.source_text(item.start, item.end)
            if item.reference is not None:
                closing = f"][{item.reference}]"
            assembly.markup[number].closing = closing
            tag = format_tag(number, "close")
        else:
            number = len(assembly.markup) + 1
            placeholder = _Placeholder(opening=locator.source_text(item.start, item.end))
            if item.alt is not None:
                placeholder.alt = _alt_text(item, locator, language=language)
            assembly.markup[number] = placeholder
            if item.kind == "open":
                numbers[item.pair] = number
                tag = format_tag(number, "open")
            else:
                tag = format_tag(number, "void")
        assembly.text += tag
        assembly.lines.extend([line] * len(tag))
    flush()
    return assembly


def _next_char(items: Sequence[_Item], index: int) -> str:
    for item in items[index:]:
        if item.kind == "text" and item.text:
            return item.text[0]
    return ""


def _alt_text(item: _Item, locator: _Locator, *, language: str) -> _AltText:
    assert item.alt is not None
    alt_start, alt_end, alt_items = item.alt
    image_start = locator.offset(item.start)
    relative_start = locator.offset(alt_start) - image_start
    # The alt text is followed by ']', so its end is a content character.
    relative_end = locator.offset(alt_end) - image_start
    units = _units(
        alt_items, locator, kind="image alt", context="alt", split=False, language=language
    )
    return _AltText(
        start=relative_start,
        end=relative_end,
        unit=units[0] if units else None,
        reference=item.reference,
    )


def _units(
    items: Sequence[_Item],
    locator: _Locator,
    *,
    kind: str,
    context: Context,
    split: bool,
    language: str,
) -> list[_Unit]:
    """Segments of one block: sentences (or the whole text), each with balanced placeholders
    numbered from 1."""
    assembly = _assemble(items, locator, language=language)
    text = assembly.text
    units = []
    for start, end in sentence_spans(
        text, language=language, split=split, may_cut=_cut_checker(text)
    ):
        msgid, old_numbers = renumber(text[start:end])
        markup = {new: assembly.markup[old] for new, old in old_numbers.items()}
        segment = Segment(text=msgid, kind=kind, line=assembly.lines[start])
        units.append(_Unit(msgid=msgid, segment=segment, markup=markup, context=context))
    if not units and any(
        placeholder.alt is not None and placeholder.alt.unit is not None
        for placeholder in assembly.markup.values()
    ):
        msgid = text.strip()
        units.append(_Unit(msgid=msgid, segment=None, markup=assembly.markup, context=context))
    return units


def _cut_checker(text: str) -> Callable[[int], bool]:
    """A predicate telling whether a sentence may end at an offset: not inside a tag, and not
    inside a ``<1>…</1>`` pair (``<1>肿瘤缩小。持续缓解。</1>`` stays one segment)."""
    forbidden: list[tuple[int, int]] = []
    opened: dict[int, int] = {}
    for tag in find_tags(text):
        forbidden.append((tag.start, tag.end))
        if tag.role == "open":
            opened[tag.number] = tag.start
        elif tag.role == "close" and tag.number in opened:
            forbidden.append((opened.pop(tag.number), tag.end))
    return lambda offset: not any(start < offset < end for start, end in forbidden)


# --- rendering --------------------------------------------------------------------------------


def render_markdown(
    text: str,
    translations: Mapping[str, str],
    *,
    language: str = "zh_Hans",
    path: str = "<source>",
    front_matter: Sequence[str] = TRANSLATABLE_FIELDS,
) -> str:
    """The article with each segment replaced by ``translations[segment.text]``.

    Missing or empty translations fall back to the source text; a block with nothing
    translated is copied unchanged, so ``render_markdown(src, {}) == src``. ``language`` must
    be the source language the catalog was made with (it decides the sentence splits, hence
    the msgids), and ``front_matter`` the fields it translated. Raises
    :class:`~pipeline.errors.CatalogError` for a translation with broken placeholders.

    >>> source = "1. **拉罗替尼**有效。\\n"
    >>> render_markdown(source, {"<1>拉罗替尼</1>有效。": "<1>Larotrectinib</1> works."})
    '1. **Larotrectinib** works.\\n'
    """
    document = parse_markdown(text, language=language, path=path, front_matter=front_matter)
    return document.render(translations)[0]


def _translation(unit: _Unit, translations: Mapping[str, str]) -> str:
    if unit.segment is None:
        return unit.msgid
    return translations.get(unit.msgid) or unit.msgid


def _is_unchanged(unit: _Unit, translations: Mapping[str, str]) -> bool:
    return _translation(unit, translations) == unit.msgid


def _render_block(block: _Block, translations: Mapping[str, str]) -> str:
    """A Markdown block translated (a front matter value is rendered by the caller)."""
    rendered = ""
    previous = ""
    for index, unit in enumerate(block.units):
        plain = strip_tags(_translation(unit, translations)).strip()
        if rendered and not rendered[-1].isspace():  # not after a hard line break
            rendered += line_break_joiner(previous[-1:], plain[:1])
        rendered += _render_unit(unit, translations, at_line_start=index == 0)
        previous = plain
    if block.context == "heading" and rendered.endswith("#"):
        # A trailing run of '#' would read as the closing sequence of an ATX heading.
        stripped = rendered.rstrip("#")
        rendered = f"{stripped}\\{rendered[len(stripped) :]}"
    return rendered


def _render_unit(
    unit: _Unit, translations: Mapping[str, str], *, at_line_start: bool = False
) -> str:
    # Markdown would not read `** bold**` as emphasis.
    translation = move_spaces_outside_pairs(_translation(unit, translations)).strip()
    markup = {}
    for number, placeholder in unit.markup.items():
        opening = placeholder.opening
        alt = placeholder.alt
        if (
            alt is not None
            and alt.unit is not None
            and not all(_is_unchanged(nested, translations) for nested in alt.unit.with_nested())
        ):
            rendered_alt = _render_unit(alt.unit, translations)
            rest = f"][{alt.reference}]" if alt.reference is not None else opening[alt.end :]
            opening = f"{opening[: alt.start]}{rendered_alt}{rest}"
        markup[number] = Markup(opening, placeholder.closing)
    tags = find_tags(translation)
    starts_line = at_line_start and not (tags and tags[0].start == 0)
    # A "!" right before a link's "[" would turn the link into an image: for each stretch of
    # text, in the order restore() renders them, whether a link or image opens right after.
    pieces = list(split_tags(translation))
    before_bracket = iter(
        [
            index + 1 < len(pieces)
            and not isinstance(following := pieces[index + 1], str)
            and following.role == "open"
            and following.number in markup
            and markup[following.number].opening.startswith("[")
            for index, piece in enumerate(pieces)
            if isinstance(piece, str)
        ]
    )

    def render_text(chunk: str) -> str:
        nonlocal starts_line
        if unit.context == "yaml":
            return unescape_literal(chunk)  # YAML values are not Markdown
        # A line break in a translation would end a table row or a list item's line.
        text = re.sub(r"[ \t\r\n\f\v]+", " ", unescape_literal(chunk))
        escaped = _escape_markdown(text, unit.context, at_line_start=starts_line)
        starts_line = False
        if next(before_bracket, False) and escaped.endswith("!"):
            escaped = escaped[:-1] + "\\!"
        return escaped

    try:
        return restore(translation, markup, render_text=render_text)
    except CatalogError as exc:
        segment_id = unit.segment.id if unit.segment else "an image"
        raise CatalogError(f"cannot render {segment_id} ({unit.msgid!r}): {exc.message}") from exc


_ALWAYS_ESCAPED = re.compile(r"[\\`*_\[\]]|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"([#>+=~-])|(\d{1,9})([.)])")


def _escape_markdown(text: str, context: Context, *, at_line_start: bool) -> str:
    """Backslash-escape what Markdown would read as markup in translated text."""
    escaped = _ALWAYS_ESCAPED.sub(lambda match: "\\" + match.group(), text)
    if context == "cell":
        escaped = escaped.replace("|", "\\|")
    if at_line_start:
        match = _LINE_START.match(escaped)
        if match and match.group(1):
            escaped = "\\" + escaped
        elif match:
            escaped = f"{match.group(2)}\\{escaped[match.end(2) :]}"
    return escaped
