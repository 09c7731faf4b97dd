"""Plain text (.txt) reader, and the text rules every reader shares.

A ``.txt`` source is either an article (paragraphs separated by blank lines, punctuated) or a
raw speech-recognition transcript (no punctuation; spaces and line breaks are the only pauses).
:func:`~pipeline.segmenter.is_unpunctuated` on the whole file decides which:

- article: each paragraph's lines are joined (see :func:`line_break_joiner`) and split into
  sentences; kind ``paragraph``;
- transcript: each paragraph goes to :func:`~pipeline.segmenter.split_transcript` with its line
  breaks kept, because in ASR output a line break is a pause the splitter should use; kind
  ``transcript``.

The shared rules live here because every reader needs them and none owns them: how a line break
inside a sentence is joined, which pieces are worth a translator's time, and the common
"no translatable text" error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from pipeline.errors import SourceError
from pipeline.segmenter import is_unpunctuated, sentence_boundaries, split_transcript
from pipeline.segments import Segment
from pipeline.tokens.tags import escape_literal, strip_tags

__all__ = [
    "MAX_TRANSCRIPT_CHARS",
    "has_translatable_text",
    "line_break_joiner",
    "no_text_error",
    "read_text",
    "sentence_spans",
    "split_lines",
]

#: Length cap for transcript segments, shared with the subtitle reader.
MAX_TRANSCRIPT_CHARS = 60

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[tuple[int, str]]:
    """Each line's start offset and text (without its terminator).

    CR, LF and CRLF all end a line, as in Markdown and WebVTT, so line numbers agree with what
    editors show.
    """
    lines = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append((start, text[start : match.start()]))
        start = match.end()
    lines.append((start, text[start:]))
    return lines


def _is_wide(char: str) -> bool:
    # Hangul is wide too, but Korean separates words with spaces.
    return unicodedata.east_asian_width(char) in ("W", "F") and not (
        "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"
    )


def line_break_joiner(before: str, after: str) -> str:
    """What a line break between two characters becomes when the lines are joined.

    Nothing when either side is a Chinese or Japanese character or full-width punctuation:
    Chinese writing puts no space between Han and Latin script (``例如TRKA G667C``,
    ``285倍``), so a paragraph re-wrapped by an editor keeps the same msgid. One space between
    two Latin-script (or Korean) characters: ``TRKA`` + ``G595R``.

    >>> line_break_joiner("疗", "效"), line_break_joiner("A", "G"), line_break_joiner("和", "s")
    ('', ' ', '')
    """
    if not before or not after or before.isspace() or after.isspace():
        return ""
    return "" if _is_wide(before) or _is_wide(after) else " "


def has_translatable_text(text: str) -> bool:
    """True when a msgid has a letter outside its placeholders.

    Pieces made only of numbers, punctuation and markup (a table cell ``89.1%``, an image on its
    own) are copied as they are: a catalog entry for them would only cost a translator time.
    """
    return any(unicodedata.category(char).startswith("L") for char in strip_tags(text))


def no_text_error(path: str) -> SourceError:
    """The error for a source with nothing to translate."""
    return SourceError(
        "no translatable text found; add content or remove the file", path=path, line=1
    )


def sentence_spans(
    text: str,
    *,
    language: str,
    split: bool = True,
    may_cut: Callable[[int], bool] = lambda offset: True,
) -> list[tuple[int, int]]:
    """Stripped ``(start, end)`` spans of the sentences of ``text``.

    Cuts where ``may_cut(offset)`` is false are dropped (the Markdown reader forbids cuts
    inside a ``<1>…</1>`` pair), and a piece without letters joins the sentence before it
    (the first such piece joins the one after), so every span is worth translating on its own.
    """
    ends = sentence_boundaries(text, language=language) if split else [len(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        if end < len(text) and not may_cut(end):
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    carry: int | None = None  # start of leading letterless pieces waiting for a sentence
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        if has_translatable_text(text[start:end]):
            merged.append((start, end))
        elif merged:
            merged[-1] = (merged[-1][0], end)
        else:
            carry = start
    # A carry left over means no piece had a letter: nothing to translate.
    return [span for span in (_strip_span(text, *span) for span in merged) if span]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def read_text(text: str, *, language: str, path: str) -> list[Segment]:
    """Segments of a plain text source (see the module docstring).

    >>> segments = read_text("第一句。第二句\\n继续。\\n\\n新段落。", language="zh", path="a.txt")
    >>> [(s.line, s.text) for s in segments]
    [(1, '第一句。'), (1, '第二句继续。'), (4, '新段落。')]
    """
    # The lines of split_lines, without their offsets (not needed here).
    lines = text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)
    transcript = is_unpunctuated(text, language=language)
    segments: list[Segment] = []
    for first, paragraph in _paragraphs(lines):
        if transcript:
            segments.extend(_transcript_segments(paragraph, first, language=language))
        else:
            segments.extend(_paragraph_segments(paragraph, first, language=language))
    if not segments:
        raise no_text_error(path)
    return segments


def _paragraphs(lines: Sequence[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, with the 1-based number of each run's first line."""
    paragraphs: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if paragraphs and paragraphs[-1][0] + len(paragraphs[-1][1]) == number:
            paragraphs[-1][1].append(line)
        else:
            paragraphs.append((number, [line]))
    return paragraphs


def _joined(lines: Sequence[str], first: int, *, separator: str | None) -> tuple[str, list[int]]:
    """The lines stripped and joined (by ``separator``, or by :func:`line_break_joiner` when
    None), with the 1-based line number of every character of the result."""
    text = ""
    char_lines: list[int] = []
    for number, line in enumerate(lines, start=first):
        line = " ".join(line.split())
        if text:
            gap = line_break_joiner(text[-1], line[0]) if separator is None else separator
            text += gap
            char_lines.extend([number] * len(gap))
        text += line
        char_lines.extend([number] * len(line))
    return text, char_lines


def _paragraph_segments(lines: Sequence[str], first: int, *, language: str) -> list[Segment]:
    joined, char_lines = _joined(lines, first, separator=None)
    text, char_lines = escape_with_lines(joined, char_lines)
    return [
        Segment(text=text[start:end], kind="paragraph", line=char_lines[start])
        for start, end in sentence_spans(text, language=language)
    ]


def _transcript_segments(lines: Sequence[str], first: int, *, language: str) -> list[Segment]:
    joined, char_lines = _joined(lines, first, separator="\n")
    pieces = split_transcript(joined, language=language, max_chars=MAX_TRANSCRIPT_CHARS)
    segments = []
    for piece, start in zip(pieces, locate_pieces(joined, pieces), strict=True):
        if has_translatable_text(piece):
            segments.append(
                Segment(text=escape_literal(piece), kind="transcript", line=char_lines[start])
            )
    return segments


def locate_pieces(text: str, pieces: Sequence[str]) -> list[int]:
    """Start offset in ``text`` of each piece of a split that dropped or collapsed whitespace.

    The pieces keep every non-space character in order, so counting non-space characters finds
    each start exactly, whatever the splitter did to the spaces.
    """
    starts = []
    position = 0
    for piece in pieces:
        while position < len(text) and text[position].isspace():
            position += 1
        starts.append(position)
        remaining = sum(1 for char in piece if not char.isspace())
        while position < len(text) and remaining:
            if not text[position].isspace():
                remaining -= 1
            position += 1
    return starts


def escape_with_lines(text: str, char_lines: list[int]) -> tuple[str, list[int]]:
    """:func:`~pipeline.tokens.tags.escape_literal`, keeping the per-character line list in
    step (each escape inserts one backslash)."""
    escaped = escape_literal(text)
    if escaped == text:
        return text, char_lines
    lines: list[int] = []
    source = 0
    for char in escaped:
        # Inserted backslashes are the only characters that do not advance through the source.
        if source < len(text) and char == text[source]:
            lines.append(char_lines[source])
            source += 1
        else:
            lines.append(char_lines[max(source - 1, 0)])
    return escaped, lines
