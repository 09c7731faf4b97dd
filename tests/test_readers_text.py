"""Plain text reader, the shared text rules, and the reader dispatcher.

Golden cases: ``tests/golden/readers/<case>/input.txt`` with ``expected.txt``
(``LINE<TAB>NOTE<TAB>MSGID``); ``UPDATE_GOLDEN=1 pytest`` rewrites the expected files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import SourceError
from pipeline.readers import SUPPORTED_SUFFIXES, read_segments
from pipeline.readers.text import (
    has_translatable_text,
    line_break_joiner,
    locate_pieces,
    read_text,
    sentence_spans,
)
from pipeline.segments import Segment

GOLDEN = Path(__file__).parent / "golden" / "readers"
CASES = sorted(path.parent.name for path in GOLDEN.glob("*/input.txt"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def read(text: str) -> list[Segment]:
    return read_text(text, language="zh_Hans", path="sources/talk.txt")


def listing(segments: list[Segment]) -> str:
    return "".join(f"{s.line}\t{s.note}\t{s.text}\n" for s in segments)


@pytest.mark.parametrize("case", CASES)
def test_golden_segments(case: str) -> None:
    source = (GOLDEN / case / "input.txt").read_text(encoding="utf-8")
    expected = GOLDEN / case / "expected.txt"
    actual = listing(read(source))
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


# --- articles and transcripts -----------------------------------------------------------------


def test_paragraph_lines_are_joined_and_split_into_sentences_with_their_lines() -> None:
    source = "标题\n\n当NTRK基因与其他基因\n发生融合时，TRK激酶持续激活。例如TRKA\nG595R突变。\n"
    assert [(s.line, s.kind, s.text) for s in read(source)] == [
        (1, "paragraph", "标题"),
        (3, "paragraph", "当NTRK基因与其他基因发生融合时，TRK激酶持续激活。"),
        (4, "paragraph", "例如TRKA G595R突变。"),
    ]


def test_unpunctuated_transcript_is_cut_by_split_transcript_with_lines_tracked() -> None:
    source = (
        "大家好我是王明医生 今天跟大家聊一聊NTRK融合基因 这个基因呢其实在很多实体瘤里面都能找到\n"
        "但是发生率很低 总体大概只有百分之零点三左右\n"
    )
    segments = read(source)
    assert {s.kind for s in segments} == {"transcript"}
    assert [(s.line, s.text) for s in segments][-2:] == [
        (2, "但是发生率很低"),
        (2, "总体大概只有百分之零点三左右"),
    ]
    assert all(len(s.text) <= 60 for s in segments)


def test_crlf_and_cr_line_endings_count_lines_like_editors() -> None:
    source = "第一段。\r\n\r\n第二段第一句。\r第二句。\n"
    assert [(s.line, s.text) for s in read(source)] == [
        (1, "第一段。"),
        (3, "第二段第一句。"),
        (4, "第二句。"),
    ]


def test_literal_placeholder_lookalikes_are_escaped() -> None:
    assert [s.text for s in read("第<1>期研究已经开始。")] == ["第<\\1>期研究已经开始。"]


def test_english_source_splits_on_english_rules() -> None:
    segments = read_text(
        "Dr. Wang reported an ORR of 89.1%. The\nintracranial ORR was 90.8%.\n",
        language="en",
        path="a.txt",
    )
    assert [(s.line, s.text) for s in segments] == [
        (1, "Dr. Wang reported an ORR of 89.1%."),
        (1, "The intracranial ORR was 90.8%."),
    ]


@pytest.mark.parametrize("source", ["", "\n\n  \n", "89.1%\n\n96.4%\n", "。。。\n"])
def test_text_without_letters_raises_no_translatable_text(source: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(source)
    assert str(caught.value) == (
        "sources/talk.txt:1: no translatable text found; add content or remove the file"
    )


# --- shared rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "joiner"),
    [
        ("因", "发", ""),
        ("A", "G", " "),
        ("有", "x", ""),
        ("b", "（", ""),
        ("：", "R", ""),
        ("다", "니", " "),
        ("は", "ア", ""),
        (" ", "a", ""),
        ("", "a", ""),
    ],
)
def test_line_break_joiner(before: str, after: str, joiner: str) -> None:
    assert line_break_joiner(before, after) == joiner


@pytest.mark.parametrize(
    ("text", "expected"),
    [("疗效", True), ("89.1%", False), ("<1/>", False), ("<1>G</1>", True), ("<\\1>", False)],
)
def test_has_translatable_text_needs_a_letter_outside_placeholders(
    text: str, expected: bool
) -> None:
    assert has_translatable_text(text) is expected


def test_sentence_spans_merge_letterless_pieces_and_respect_forbidden_cuts() -> None:
    text = "89.1%。疗效好。  持续缓解。"
    spans = sentence_spans(text, language="zh_Hans")
    assert [text[a:b] for a, b in spans] == ["89.1%。疗效好。", "持续缓解。"]
    no_cuts = sentence_spans(text, language="zh_Hans", may_cut=lambda offset: False)
    assert [text[a:b] for a, b in no_cuts] == [text]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["大家", "好", "NTRK", " ", "  ", "\n", "G595R"]), min_size=1))
def test_locate_pieces_finds_every_piece_of_a_whitespace_collapsing_split(words: list[str]) -> None:
    text = "".join(words)
    pieces = text.split()
    starts = locate_pieces(text, pieces)
    assert [
        text[start : start + len(piece)] for start, piece in zip(starts, pieces, strict=True)
    ] == (pieces)


# --- dispatcher -------------------------------------------------------------------------------


def test_dispatcher_knows_every_supported_suffix() -> None:
    assert SUPPORTED_SUFFIXES == (".md", ".txt", ".srt", ".vtt")
    assert read_segments("正文。", suffix=".TXT", language="zh_Hans", path="a.txt") == read(
        "正文。"
    )


def test_dispatcher_rejects_unknown_suffix_with_a_fix() -> None:
    with pytest.raises(SourceError) as caught:
        read_segments("正文。", suffix=".docx", language="zh_Hans", path="sources/a.docx")
    assert str(caught.value) == (
        "sources/a.docx: unsupported source type '.docx'; use one of .md, .txt, .srt, .vtt"
    )
