"""SubRip (.srt) and WebVTT (.vtt) reader and renderer.

Why sentences and not cues: a cue is a unit of time, not of meaning. Speakers run a sentence
over two or three cues ("今天我们来聊一聊NTRK融合基因，" / "以及第二代TRK抑制剂如何克服耐药。"),
and a translator needs the whole sentence to reorder it. So cue texts are joined into one
running text per speaker, split into sentences with the segmenter, and each sentence becomes a
segment that remembers its cues (``Segment.cues = (first, last)``, 1-based in file order;
``Segment.line`` is the line of its first cue's block: the index line in SRT, the id or
timing line in WebVTT). Two sentences in one cue are two segments with the same cue range.

Unpunctuated speech recognition output (:func:`~pipeline.segmenter.is_unpunctuated`) has no
sentences to find: there, whole cues are grouped up to 60 characters, ending a group where
:func:`~pipeline.segmenter.split_transcript` would cut, and a longer cue is cut by
``split_transcript`` itself.

Decisions:

- The library parses (srt, webvtt-py with ``strict=True``); this module adds what they do not
  give: line numbers, the checks they skip (a cue with no text, a cue that ends before it
  starts, a broken cue that srt silently swallows into the previous cue's text) and messages
  that say how to fix the file.
- WebVTT cue ids, settings and the voice tag (``<v Dr. Wang>``) never reach the msgid. The
  voice is a note for translators (kind ``subtitle, Dr. Wang``: who speaks matters for
  politeness and gender in many languages) and a sentence never runs across a change of voice.
- Formatting tags (``<i>``, ``<b>``, ``<c.yellow>``, SRT ``<font>``) are stripped, not turned
  into placeholders: a translated sentence is redistributed over its cues, so a tag's position
  could not be kept anyway (a rewritten cue loses them; untouched cues keep them). WebVTT
  entities (``&amp;``) are resolved. SRT position tags (``{\\an8}``) stay out of the msgid.
- Rendering rewrites only the text of cues that hold a translated sentence; timing lines, ids,
  settings, index numbers, notes and blank lines are copied byte for byte. A sentence that
  spans cues is cut in proportion to the time it has in each cue (the cue's duration times the
  sentence's share of the cue's source characters), at a word boundary (anywhere between
  Chinese characters, preferably after punctuation). A Latin-script cue longer than 42
  characters is wrapped on two lines, cut where the longer line is shortest (at most 42
  characters each when the text fits in two such lines). The voice tag and a leading SRT position
  tag (``{\\an8}``, "show at the top") are kept.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import CueSettings

from pipeline.errors import CatalogError, SourceError
from pipeline.readers.text import (
    MAX_TRANSCRIPT_CHARS,
    escape_with_lines,
    line_break_joiner,
    locate_pieces,
    no_text_error,
    sentence_spans,
    split_lines,
)
from pipeline.segmenter import is_unpunctuated, split_transcript
from pipeline.segments import Segment
from pipeline.tokens.tags import compare_tags, escape_literal, unescape_literal

__all__ = ["SUBTITLE_SUFFIXES", "read_subtitles", "render_subtitles"]

SUBTITLE_SUFFIXES = (".srt", ".vtt")

_WRAP_AT = 42  # the usual maximum line length of Latin-script subtitles
_SRT_TIMESTAMP = re.compile(r"\d{1,3}:\d{2}:\d{2}[,.]\d{3}")
_VTT_TIMESTAMP = re.compile(r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}")
_SRT_TIMING_END = re.compile(r"\s*\S+\s*-->\s*\S+")
_VTT_TIMING_END = re.compile(r"\s*\S+\s+-->\s+\S+")
_SRT_TAGS = re.compile(r"</?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}", re.IGNORECASE)
_SRT_POSITION = re.compile(r"(?:\{\\[^}]*\})+")  # leading {\an8}: where the cue shows
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*(?:[ \t][^>]*)?>")
_NO_LINE_START = frozenset("，、。！？；：,.!?;:…”’」』）)】》%")
_BREAK_AFTER = frozenset("，、。！？；：,.!?;:…")
_OPENERS = frozenset("“‘「『（(【《")


@dataclass(frozen=True, kw_only=True)
class _Cue:
    """A cue as the reader needs it: where its text sits, and that text made plain."""

    index: int  # 0-based, file order
    line: int  # 1-based line of the cue block
    payload_start: int
    payload_end: int
    text: str
    voice: str | None = None
    prefix: str = ""  # markup kept before a rewritten text: a voice tag, an SRT {\an8}
    suffix: str = ""  # and after it: a closing </v>
    newline: str = "\n"
    duration_ms: int = 0  # how long the cue shows: a translation is spread by time
    start_ms: int = 0
    # The timing line (offsets of its text) and what follows the end time on it (WebVTT
    # settings), the SRT index line's span and the WebVTT cue id: what a cue that must be
    # split (too long for two lines) rewrites or copies onto its continuation cues.
    timing_span: tuple[int, int] = (0, 0)
    settings: str = ""
    index_span: tuple[int, int] | None = None
    identifier: str | None = None

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True, kw_only=True)
class _Unit:
    """A segment and how its source characters spread over its cues."""

    segment: Segment
    cue_indexes: tuple[int, ...]
    weights: tuple[int, ...]


# --- reading ----------------------------------------------------------------------------------


def read_subtitles(text: str, *, suffix: str, language: str, path: str) -> list[Segment]:
    """Segments of an SRT or WebVTT file (see the module docstring)."""
    _, units = _read(text, suffix=suffix, language=language, path=path)
    if not units:
        raise no_text_error(path)
    return [unit.segment for unit in units]


def _read(text: str, *, suffix: str, language: str, path: str) -> tuple[list[_Cue], list[_Unit]]:
    lines = _Lines(text)
    if suffix.lower() == ".srt":
        cues = _srt_cues(text, lines, path)
    elif suffix.lower() == ".vtt":
        cues = _vtt_cues(text, lines, path)
    else:
        raise ValueError(f"not a subtitle suffix: {suffix!r}")
    transcript = is_unpunctuated(" ".join(cue.text for cue in cues), language=language)
    units: list[_Unit] = []
    for group in _voice_groups(cues):
        if transcript:
            units.extend(_transcript_units(group, language=language))
        else:
            units.extend(_sentence_units(group, language=language))
    return cues, units


class _Lines:
    """Line numbers of offsets, and each line's text and terminator."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.items = split_lines(text)
        self.starts = [start for start, _ in self.items]

    def number(self, offset: int) -> int:
        """1-based line number of an offset."""
        return bisect_right(self.starts, offset)

    def terminator(self, index: int) -> str:
        start, line = self.items[index]
        end = start + len(line)
        following = self.starts[index + 1] if index + 1 < len(self.starts) else end
        return self.text[end:following] or "\n"


def _srt_cues(text: str, lines: _Lines, path: str) -> list[_Cue]:
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise _srt_parse_error(exc, lines, path) from exc
    # The same expression srt.parse matches with; its match positions give us line numbers.
    matches = list(srt.SRT_REGEX.finditer(text))
    cues = []
    for index, (subtitle, match) in enumerate(zip(subtitles, matches, strict=True)):
        number = index + 1
        block_start = match.start(1) if match.group(1) is not None else match.start(2)
        timing_line = lines.number(match.start(2))
        timing = lines.items[timing_line - 1][1]
        problem = _srt_timing_problem(timing)
        if problem:
            raise SourceError(
                f"{problem} in cue {number}; {_SRT_TIMING_HINT}", path=path, line=timing_line
            )
        for offset, content in split_lines(match.group(5)):
            if "-->" in content:
                # srt reads a broken cue after a blank line as text of the cue before it.
                problem = _srt_timing_problem(content)
                raise SourceError(
                    f"{problem}; {_SRT_TIMING_HINT}"
                    if problem
                    else "cue timing inside the text of the cue before it; put an empty line "
                    "and a cue number (digits only) above it",
                    path=path,
                    line=lines.number(match.start(5) + offset),
                )
        if subtitle.end < subtitle.start:
            raise SourceError(
                f"cue {number} ends before it starts ({timing.strip()}); fix the timing",
                path=path,
                line=timing_line,
            )
        plain = _plain(_SRT_TAGS.sub("", match.group(5)))
        position = _SRT_POSITION.match(match.group(5))
        if not plain:
            raise SourceError(
                f"cue {number} has no text; add the text or delete the cue",
                path=path,
                line=lines.number(block_start),
            )
        cues.append(
            _Cue(
                index=index,
                line=lines.number(block_start),
                payload_start=match.start(5),
                payload_end=match.end(5),
                text=plain,
                prefix=position.group() if position else "",
                newline=lines.terminator(timing_line - 1),
                duration_ms=(subtitle.end - subtitle.start) // srt.timedelta(milliseconds=1),
                start_ms=subtitle.start // srt.timedelta(milliseconds=1),
                timing_span=(
                    lines.starts[timing_line - 1],
                    lines.starts[timing_line - 1] + len(timing),
                ),
                settings=_settings(timing, _SRT_TIMING_END),
                index_span=(match.start(1), match.end(1)) if match.group(1) is not None else None,
            )
        )
    return cues


_SRT_TIMING_HINT = "write cue times as HH:MM:SS,mmm --> HH:MM:SS,mmm (e.g. 00:01:02,500)"
_VTT_TIMING_HINT = "write cue times as [HH:]MM:SS.mmm --> [HH:]MM:SS.mmm (e.g. 00:01:02.500)"


def _srt_timing_problem(line: str) -> str | None:
    """What is wrong with an SRT timing line, or None."""
    return _timing_problem(line, _SRT_TIMESTAMP)


def _timing_problem(line: str, pattern: re.Pattern[str]) -> str | None:
    left, arrow, right = line.partition("-->")
    if not arrow:
        return "expected a timing line such as 00:00:01,000 --> 00:00:04,000"
    words = right.split()
    for raw in (left.strip(), words[0] if words else ""):
        if not raw:
            return "missing timestamp in the cue timing"
        if not pattern.fullmatch(raw):
            return f"bad timestamp {raw!r}"
    return None


def _srt_parse_error(exc: srt.SRTParseError, lines: _Lines, path: str) -> SourceError:
    """Locate and explain the text srt could not read."""
    first = lines.number(exc.expected_start)
    last = lines.number(max(exc.actual_start - 1, exc.expected_start))
    for number in range(first, last + 1):
        line = lines.items[number - 1][1]
        if "-->" in line:
            problem = _srt_timing_problem(line)
            return SourceError(
                f"{problem}; {_SRT_TIMING_HINT}"
                if problem
                else "cue timing without a valid cue number above it; write the cue number "
                "(digits only) on the line before",
                path=path,
                line=number,
            )
    for number in range(first, last + 1):
        if lines.items[number - 1][1].strip():
            return SourceError(
                "expected a cue number and a timing line such as 00:00:01,000 --> "
                "00:00:04,000; fix the cue or remove the stray text",
                path=path,
                line=number,
            )
    return SourceError(f"not a valid SRT file ({exc}); fix the cue", path=path, line=first)


def _vtt_cues(text: str, lines: _Lines, path: str) -> list[_Cue]:
    try:
        captions = webvtt.from_string(text, strict=True).captions
    except MalformedFileError as exc:
        raise SourceError(
            "missing WEBVTT header; the first line of a WebVTT file must be WEBVTT",
            path=path,
            line=1,
        ) from exc
    except MalformedCaptionError as exc:
        raise _vtt_caption_error(exc, lines, path) from exc
    blocks = [block for block in _vtt_blocks(lines)[1:] if _timing_index(block) is not None]
    if len(blocks) != len(captions):
        raise SourceError(
            f"found {len(blocks)} cue blocks but webvtt-py read {len(captions)}; check the "
            "blank lines between cues",
            path=path,
            line=1,
        )
    cues = []
    for index, (caption, block) in enumerate(zip(captions, blocks, strict=True)):
        number = index + 1
        timing_index = _timing_index(block)
        assert timing_index is not None
        timing_line, timing = block[timing_index]
        if caption.end_time < caption.start_time:
            raise SourceError(
                f"cue {number} ends before it starts ({caption.start} --> {caption.end}); "
                "fix the timing",
                path=path,
                line=timing_line,
            )
        payload = block[timing_index + 1 :]
        plain = _plain(html.unescape(caption.text))
        if not plain:
            raise SourceError(
                f"cue {number} has no text; add the text or delete the cue",
                path=path,
                line=block[0][0],
            )
        first_line, last_line = payload[0][0], payload[-1][0]
        start = lines.starts[first_line - 1]
        end = lines.starts[last_line - 1] + len(payload[-1][1])
        voice = _VOICE.match(payload[0][1])
        cues.append(
            _Cue(
                index=index,
                line=block[0][0],
                payload_start=start,
                payload_end=end,
                text=plain,
                voice=caption.voice,
                prefix=voice.group() if voice else "",
                suffix="</v>" if payload[-1][1].rstrip().endswith("</v>") else "",
                newline=lines.terminator(timing_line - 1),
                duration_ms=_vtt_ms(caption.end) - _vtt_ms(caption.start),
                start_ms=_vtt_ms(caption.start),
                timing_span=(
                    lines.starts[timing_line - 1],
                    lines.starts[timing_line - 1] + len(timing),
                ),
                settings=_settings(timing, _VTT_TIMING_END),
                identifier=caption.identifier,
            )
        )
    return cues


def _settings(timing: str, times: re.Pattern[str]) -> str:
    """What follows the two times on a timing line (WebVTT cue settings such as
    ``align:start``), kept as written."""
    found = times.match(timing)
    return timing[found.end() :] if found else ""


def _vtt_ms(timestamp: str) -> int:
    """Milliseconds of a WebVTT timestamp (webvtt-py's ``*_in_seconds`` drop them)."""
    *rest, seconds = timestamp.split(":")
    hours, minutes = (int(rest[0]), int(rest[1])) if len(rest) == 2 else (0, int(rest[0]))
    whole, _, millis = seconds.partition(".")
    return ((hours * 60 + minutes) * 60 + int(whole)) * 1000 + int(millis.ljust(3, "0")[:3])


Block = list[tuple[int, str]]  # (1-based line number, text) of consecutive non-empty lines


def _vtt_blocks(lines: _Lines) -> list[Block]:
    """Blocks of lines separated by empty lines, as WebVTT defines them (a timing line right
    under the header starts a new block, as webvtt-py reads it)."""
    blocks: list[Block] = []
    current: Block = []
    for number, (_, line) in enumerate(lines.items, start=1):
        if line and not (not blocks and current and "-->" in line):
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = [(number, line)] if line else []
    if current:
        blocks.append(current)
    return blocks


def _timing_index(block: Block) -> int | None:
    """Index of the timing line of a cue block (0, or 1 after a cue id); None otherwise."""
    if "-->" in block[0][1]:
        return 0
    if len(block) > 1 and "-->" in block[1][1]:
        return 1
    return None


def _vtt_caption_error(exc: MalformedCaptionError, lines: _Lines, path: str) -> SourceError:
    """Find the cue webvtt-py refused and say what to fix there."""
    for block in _vtt_blocks(lines)[1:]:
        timing_index = _timing_index(block)
        arrows = [number for number, line in block if "-->" in line]
        if not arrows:
            continue
        if timing_index is None or len(arrows) > 1:
            return SourceError(
                "cue timing line without an empty line before it; separate cues with an empty line",
                path=path,
                line=arrows[0] if timing_index is None else arrows[1],
            )
        number, timing = block[timing_index]
        problem = _timing_problem(timing, _VTT_TIMESTAMP)
        if problem:
            return SourceError(f"{problem}; {_VTT_TIMING_HINT}", path=path, line=number)
        settings = " ".join(timing.split("-->", 1)[1].split()[1:])
        try:
            CueSettings.from_string(settings, strict=True)
        except MalformedCaptionError as settings_exc:
            return SourceError(
                f"invalid cue settings {settings!r} ({settings_exc}); use WebVTT settings "
                "such as 'align:start line:0' or remove them",
                path=path,
                line=number,
            )
    return SourceError(f"not a valid WebVTT file ({exc}); fix the cue", path=path, line=1)


def _plain(payload: str) -> str:
    """Cue text (tags already removed) for segmenting: lines joined like soft-wrapped prose,
    whitespace collapsed."""
    lines = (" ".join(line.split()) for _, line in split_lines(payload))
    return _join([line for line in lines if line])


def _voice_groups(cues: Sequence[_Cue]) -> list[list[_Cue]]:
    """Runs of consecutive cues with the same voice: a sentence never crosses a speaker
    change."""
    groups: list[list[_Cue]] = []
    for cue in cues:
        if groups and groups[-1][-1].voice == cue.voice:
            groups[-1].append(cue)
        else:
            groups.append([cue])
    return groups


def _kind(cue: _Cue) -> str:
    return f"subtitle, {cue.voice}" if cue.voice else "subtitle"


def _sentence_units(group: Sequence[_Cue], *, language: str) -> list[_Unit]:
    running = ""
    owners: list[int] = []  # the cue index of every character
    for cue in group:
        if running:
            gap = line_break_joiner(running[-1], cue.text[0])
            running += gap
            owners.extend([cue.index] * len(gap))
        running += cue.text
        owners.extend([cue.index] * len(cue.text))
    running, owners = escape_with_lines(running, owners)
    by_index = {cue.index: cue for cue in group}
    units = []
    for start, end in sentence_spans(running, language=language):
        counts = Counter(owners[start:end])
        first, last = owners[start], owners[end - 1]
        indexes = tuple(range(first, last + 1))
        units.append(
            _Unit(
                segment=Segment(
                    text=running[start:end],
                    kind=_kind(by_index[first]),
                    line=by_index[first].line,
                    cues=(first + 1, last + 1),
                ),
                cue_indexes=indexes,
                weights=tuple(counts[index] for index in indexes),
            )
        )
    return units


def _transcript_units(group: Sequence[_Cue], *, language: str) -> list[_Unit]:
    """Whole cues grouped up to the length cap, a group ending at the cue boundary nearest to
    each cut :func:`~pipeline.segmenter.split_transcript` makes in the joined text.

    The splitter sees the cues joined without a pause between them, so it cuts by content
    (before 然后, after 呢 ...): in ASR output cues are cut by time, not meaning. In the
    msgid the cues are joined by a space, the pause mark of ASR transcripts.
    """
    running = ""
    cue_starts = []
    for cue in group:
        if running:
            running += line_break_joiner(running[-1], cue.text[0])
        cue_starts.append(len(running))
        running += cue.text
    pieces = split_transcript(running, language=language, max_chars=MAX_TRANSCRIPT_CHARS)
    preferred = {
        min(range(len(group)), key=lambda index: abs(cue_starts[index] - start))
        for start in locate_pieces(running, pieces)
    }
    units: list[_Unit] = []
    current: list[_Cue] = []

    def flush() -> None:
        if current:
            units.append(_transcript_unit(" ".join(cue.text for cue in current), current))
            current.clear()

    for position, cue in enumerate(group):
        if len(cue.text) > MAX_TRANSCRIPT_CHARS:
            flush()
            for piece in split_transcript(
                cue.text, language=language, max_chars=MAX_TRANSCRIPT_CHARS
            ):
                units.append(_transcript_unit(piece, [cue]))
            continue
        if current and (
            position in preferred
            or sum(len(c.text) + 1 for c in current) + len(cue.text) > MAX_TRANSCRIPT_CHARS
        ):
            flush()
        current.append(cue)
    flush()
    return units


def _transcript_unit(text: str, cues: Sequence[_Cue]) -> _Unit:
    first, last = cues[0], cues[-1]
    return _Unit(
        segment=Segment(
            text=escape_literal(text),
            kind=_kind(first),
            line=first.line,
            cues=(first.number, last.number),
        ),
        cue_indexes=tuple(cue.index for cue in cues),
        weights=tuple(len(cue.text) for cue in cues),
    )


# --- rendering --------------------------------------------------------------------------------


def render_subtitles(
    text: str,
    *,
    suffix: str,
    translations: Mapping[str, str],
    language: str = "zh_Hans",
    path: str = "<source>",
) -> str:
    """The subtitle file with each sentence replaced by ``translations[segment.text]``.

    Missing or empty translations fall back to the source text, and a cue whose sentences are
    all untranslated keeps its text byte for byte, so ``render_subtitles(src, suffix=…,
    translations={}) == src``. ``language`` must be the source language the catalog was made
    with. Raises :class:`~pipeline.errors.CatalogError` when a translation holds placeholders
    (subtitle msgids have none).
    """
    cues, units = _read(text, suffix=suffix, language=language, path=path)
    is_vtt = suffix.lower() == ".vtt"
    # How many source characters each cue shows, all sentences together: a sentence's share
    # of a cue's time is its share of the cue's characters.
    cue_chars: Counter[int] = Counter()
    for unit in units:
        for index, weight in zip(unit.cue_indexes, unit.weights, strict=True):
            cue_chars[index] += weight
    pieces: dict[int, list[str]] = defaultdict(list)
    changed: set[int] = set()
    for unit in units:
        msgid = unit.segment.text
        translation = translations.get(msgid) or msgid
        problems = compare_tags(msgid, translation)
        if problems:
            raise CatalogError(
                f"cannot render {unit.segment.id} ({msgid!r}): translation {translation!r} has "
                f"placeholders the source does not have ({'; '.join(problems)}); remove them"
            )
        if translation != msgid:
            changed.update(unit.cue_indexes)
        plain = " ".join(unescape_literal(translation).split())
        shares = _time_shares(unit, cues, cue_chars)
        for index, piece in zip(unit.cue_indexes, distribute(plain, shares), strict=True):
            if piece:
                pieces[index].append(piece)
    output = []
    position = 0
    added = 0  # cues inserted so far: later SRT index numbers move up by this much
    for cue in cues:
        if cue.index not in changed:
            if added and cue.index_span is not None:
                start, end = cue.index_span
                output.append(text[position:start])
                output.append(str(int(text[start:end]) + added))
                position = end
            continue
        parts = _fit(_join(pieces[cue.index]))
        if cue.index_span is not None and added:
            start, end = cue.index_span
            output.append(text[position:start])
            output.append(str(int(text[start:end]) + added))
            position = end
        if len(parts) > 1:
            times = _part_times(cue, parts)
            output.append(text[position : cue.timing_span[0]])
            output.append(_timing(times[0], is_vtt=is_vtt) + cue.settings)
            position = cue.timing_span[1]
        output.append(text[position : cue.payload_start])
        output.append(_payload(cue, parts[0], is_vtt=is_vtt))
        position = cue.payload_end
        for number, part in enumerate(parts[1:], start=2):
            added += 1
            block = [
                "",
                "",
                *(
                    [str(int(text[slice(*cue.index_span)]) + added)]
                    if cue.index_span is not None
                    else []
                ),
                *([f"{cue.identifier}-{number}"] if cue.identifier else []),
                _timing(times[number - 1], is_vtt=is_vtt) + cue.settings,
            ]
            output.append(cue.newline.join(block) + cue.newline)
            output.append(_payload(cue, part, is_vtt=is_vtt))
    output.append(text[position:])
    return "".join(output)


def _fit(text: str) -> list[str]:
    """The cue's text as one cue, or as several when it does not fit in two lines of 42
    characters: cut in as few balanced pieces as make every piece fit (Latin-script text;
    text without spaces is never cut here)."""
    if len(text) <= 2 * _WRAP_AT and all(len(line) <= _WRAP_AT for line in _wrap(text)):
        return [text]
    if " " not in text:
        return [text]
    count = -(-len(text) // (2 * _WRAP_AT))
    while True:
        parts = [part for part in distribute(text, [1] * count) if part]
        if all(len(line) <= _WRAP_AT for part in parts for line in _wrap(part)):
            return parts
        if len(parts) < count:  # no more places to cut: keep the best there is
            return parts
        count += 1


def _part_times(cue: _Cue, parts: Sequence[str]) -> list[tuple[int, int]]:
    """Start and end (ms) of each piece of a split cue, in proportion to its characters."""
    total = sum(len(part) for part in parts)
    times = []
    start = cue.start_ms
    done = 0
    for part in parts:
        done += len(part)
        end = cue.start_ms + cue.duration_ms * done // total
        times.append((start, end))
        start = end
    return times


def _timing(times: tuple[int, int], *, is_vtt: bool) -> str:
    def stamp(ms: int) -> str:
        hours, rest = divmod(ms, 3_600_000)
        minutes, rest = divmod(rest, 60_000)
        seconds, millis = divmod(rest, 1000)
        separator = "." if is_vtt else ","
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"

    return f"{stamp(times[0])} --> {stamp(times[1])}"


def _time_shares(unit: _Unit, cues: Sequence[_Cue], cue_chars: Mapping[int, int]) -> list[int]:
    """The time (ms) the sentence has in each of its cues: the cue's duration times the
    sentence's share of the cue's characters. A sentence spread over cues is cut in proportion
    to these, so each piece shows for as long as the speaker says it. Cues without timing
    information (a zero duration) fall back to characters."""
    shares = [
        cues[index].duration_ms * weight // max(cue_chars[index], 1)
        for index, weight in zip(unit.cue_indexes, unit.weights, strict=True)
    ]
    return shares if all(shares) else list(unit.weights)


def _join(pieces: Sequence[str]) -> str:
    """Non-empty pieces joined as a line break between them would be (see
    :func:`~pipeline.readers.text.line_break_joiner`)."""
    text = ""
    for piece in pieces:
        if text:
            text += line_break_joiner(text[-1], piece[0])
        text += piece
    return text


def _payload(cue: _Cue, text: str, *, is_vtt: bool) -> str:
    lines = _wrap(text)
    if is_vtt:
        lines = [html.escape(line, quote=False) for line in lines]
    lines[0] = cue.prefix + lines[0]
    lines[-1] += cue.suffix
    return cue.newline.join(lines)


def _wrap(text: str) -> list[str]:
    """One line, or two lines for Latin-script text longer than a subtitle line: cut at the
    space that makes the longer line shortest, the lower line the longer on a tie (the
    convention of a "pyramid" two-line subtitle).

    >>> _wrap("Today we will talk about NTRK fusion genes and how they are found.")
    ['Today we will talk about NTRK', 'fusion genes and how they are found.']
    """
    if len(text) <= _WRAP_AT or " " not in text:
        return [text]
    spaces = [match.start() for match in re.finditer(" ", text)]
    cut = min(spaces, key=lambda space: (max(space, len(text) - space - 1), space))
    return [text[:cut], text[cut + 1 :]]


def distribute(text: str, weights: Sequence[int]) -> list[str]:
    """Cut ``text`` into ``len(weights)`` pieces in proportion to ``weights``.

    Cuts fall at word boundaries in text with spaces, otherwise between any two characters,
    preferring just after punctuation, never before closing punctuation; every piece is
    non-empty while there are enough places to cut.

    >>> distribute("Today we discuss NTRK fusion genes and next-generation inhibitors.", [14, 17])
    ['Today we discuss NTRK fusion', 'genes and next-generation inhibitors.']
    """
    if len(weights) <= 1:
        return [text]
    candidates = _cut_candidates(text)
    weight_sum = sum(weights)
    total = weight_sum or len(weights)
    cuts: list[int] = []
    previous = 0
    done = 0
    for number, weight in enumerate(weights[:-1]):
        done += weight or (0 if weight_sum else 1)
        target = len(text) * done / total
        still_needed = len(weights) - 2 - number
        usable = [
            (position, bonus)
            for rank, (position, bonus) in enumerate(candidates)
            if position > previous and len(candidates) - 1 - rank >= still_needed
        ]
        if not usable:
            # Nowhere left to cut: what remains goes to this cue, the rest stay empty.
            previous = len(text)
            cuts.append(previous)
            continue
        position, _ = min(usable, key=lambda item: abs(item[0] - target) - item[1])
        cuts.append(position)
        previous = position
    bounds = [0, *cuts, len(text)]
    return [text[start:end].strip() for start, end in zip(bounds, bounds[1:], strict=False)]


def _cut_candidates(text: str) -> list[tuple[int, float]]:
    """Positions where a cue may end, with a bonus for cutting after punctuation."""
    if " " in text:
        return [(match.end(), 0.0) for match in re.finditer(r" +", text) if match.end() < len(text)]
    candidates = []
    for position in range(1, len(text)):
        before, after = text[position - 1], text[position]
        if after in _NO_LINE_START or before in _OPENERS:
            continue
        if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            continue  # inside a drug code or a number
        candidates.append((position, 3.0 if before in _BREAK_AFTER else 0.0))
    return candidates
