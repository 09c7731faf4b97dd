"""SRT and WebVTT reader and renderer: sentences across cues, errors, round trips.

Golden cases: ``tests/golden/readers/<case>/input.srt`` or ``input.vtt`` with
``expected.txt`` (``LINE<TAB>NOTE<TAB>MSGID``) and, where present, ``translations.json`` with
the rendered file it must give. ``UPDATE_GOLDEN=1 pytest`` rewrites the expected files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import CatalogError, SourceError
from pipeline.readers import read_segments
from pipeline.readers.subtitles import distribute, read_subtitles, render_subtitles
from pipeline.segments import Segment

GOLDEN = Path(__file__).parent / "golden" / "readers"
CASES = sorted(
    (path.parent.name, path.suffix)
    for pattern in ("*/input.srt", "*/input.vtt")
    for path in GOLDEN.glob(pattern)
)
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def read(text: str, suffix: str = ".srt") -> list[Segment]:
    return read_subtitles(text, suffix=suffix, language="zh_Hans", path=f"sources/clip{suffix}")


def listing(segments: list[Segment]) -> str:
    return "".join(f"{s.line}\t{s.note}\t{s.text}\n" for s in segments)


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def source_of(case: str, suffix: str) -> str:
    return (GOLDEN / case / f"input{suffix}").read_text(encoding="utf-8")


def timings(text: str, suffix: str) -> list[tuple[str, str]]:
    if suffix == ".srt":
        return [(str(s.start), str(s.end)) for s in srt.parse(text)]
    return [(c.start, c.end) for c in webvtt.from_string(text, strict=True).captions]


# --- golden cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "suffix"), CASES)
def test_golden_segments(case: str, suffix: str) -> None:
    check_golden(GOLDEN / case / "expected.txt", listing(read(source_of(case, suffix), suffix)))


@pytest.mark.parametrize(("case", "suffix"), CASES)
def test_golden_identity_render_reproduces_the_file(case: str, suffix: str) -> None:
    source = source_of(case, suffix)
    assert render_subtitles(source, suffix=suffix, translations={}) == source
    same = {s.text: s.text for s in read(source, suffix)}
    assert render_subtitles(source, suffix=suffix, translations=same) == source


@pytest.mark.parametrize(
    ("case", "suffix"),
    [(case, suffix) for case, suffix in CASES if (GOLDEN / case / "translations.json").exists()],
)
def test_golden_render_with_translations_keeps_every_timing(case: str, suffix: str) -> None:
    source = source_of(case, suffix)
    translations = json.loads((GOLDEN / case / "translations.json").read_text(encoding="utf-8"))
    rendered = render_subtitles(source, suffix=suffix, translations=translations)
    check_golden(GOLDEN / case / f"rendered{suffix}", rendered)
    assert merged_timings(timings(rendered, suffix)) == merged_timings(timings(source, suffix))


def merged_timings(cues: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Cue times with back-to-back cues joined: a cue too long for two lines is split into
    consecutive cues that share its time exactly."""
    merged: list[tuple[str, str]] = []
    for start, end in cues:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def test_dispatcher_reads_subtitles_by_suffix() -> None:
    source = source_of("talk-vtt", ".vtt")
    segments = read_segments(source, suffix=".VTT", language="zh_Hans", path="a.vtt")
    assert segments == read(source, ".vtt")


# --- sentences and cues -----------------------------------------------------------------------


def cue_file(*texts: str) -> str:
    return "".join(
        f"{number}\n00:00:{number:02d},000 --> 00:00:{number:02d},900\n{text}\n\n"
        for number, text in enumerate(texts, start=1)
    )


def test_sentence_spanning_cues_is_one_segment_with_its_cue_range() -> None:
    segments = read(
        cue_file("今天我们来聊一聊NTRK融合基因，", "以及第二代TRK抑制剂", "如何克服耐药。")
    )
    assert [(s.text, s.cues, s.line, s.note) for s in segments] == [
        (
            "今天我们来聊一聊NTRK融合基因，以及第二代TRK抑制剂如何克服耐药。",
            (1, 3),
            1,
            "subtitle, cues 1-3",
        )
    ]


def test_two_sentences_in_one_cue_share_the_cue_range() -> None:
    segments = read(cue_file("客观缓解率为89.1%，", "颅内缓解率为90.8%。疾病控制率为96.4%。"))
    assert [(s.text, s.cues) for s in segments] == [
        ("客观缓解率为89.1%，颅内缓解率为90.8%。", (1, 2)),
        ("疾病控制率为96.4%。", (2, 2)),
    ]


def test_formatting_tags_are_stripped_from_the_msgid() -> None:
    segments = read(
        cue_file("{\\an8}<i>Repotrectinib</i>有效。", "<font color=red>副作用</font>轻微。")
    )
    assert [s.text for s in segments] == ["Repotrectinib有效。", "副作用轻微。"]


def test_vtt_ids_settings_and_voices_stay_out_of_the_msgid() -> None:
    source = (
        "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000 align:start\n"
        "<v Dr. Wang>大家好，</v>\n\n00:00:02.000 --> 00:00:03.000\n<v Dr. Wang>我是王医生。\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v 患者><i>您好</i>&amp;谢谢\n"
    )
    segments = read(source, ".vtt")
    assert [(s.line, s.note, s.text) for s in segments] == [
        (3, "subtitle, Dr. Wang, cues 1-2", "大家好，我是王医生。"),
        (10, "subtitle, 患者, cue 3", "您好&谢谢"),
    ]


def test_a_sentence_never_runs_across_a_change_of_voice() -> None:
    source = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v 医生>副作用大吗\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v 患者>不大。\n"
    )
    assert [s.text for s in read(source, ".vtt")] == ["副作用大吗", "不大。"]


def test_literal_placeholder_lookalike_is_escaped() -> None:
    assert [s.text for s in read(cue_file("第<1>期研究。"))] == ["第<\\1>期研究。"]


def test_unpunctuated_asr_groups_whole_cues_under_the_cap() -> None:
    segments = read(source_of("asr-srt", ".srt"))
    assert all(len(s.text) <= 60 for s in segments)
    assert [s.cues for s in segments] == [(1, 3), (4, 4), (5, 5), (6, 6)]


def test_unpunctuated_cue_longer_than_the_cap_is_cut_inside_the_cue() -> None:
    long_cue = (
        "第二代TRK抑制剂就是为了解决耐药这个问题 在一项二期研究里面没有用过TRK抑制剂的"
        "患者客观缓解率达到了百分之八十九点一 颅内的客观缓解率是百分之九十点八"
    )
    segments = read(cue_file("大家好我是王明医生 今天跟大家聊一聊NTRK融合基因", long_cue))
    inside = [s for s in segments if s.cues == (2, 2)]
    assert len(inside) >= 2
    assert all(len(s.text) <= 60 for s in segments)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "1\n00:00:01,000 --> 00:00:0x,000\n你好。\n",
            "sources/clip.srt:2: bad timestamp '00:00:0x,000' in cue 1; write cue times as "
            "HH:MM:SS,mmm --> HH:MM:SS,mmm (e.g. 00:01:02,500)",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\n你好。\n\n"
            "2\n00:00:0x,000 --> 00:00:05,000\n再见。\n",
            "sources/clip.srt:6: bad timestamp '00:00:0x,000'; write cue times as "
            "HH:MM:SS,mmm --> HH:MM:SS,mmm (e.g. 00:01:02,500)",
        ),
        (
            "1\n00:00:05,000 --> 00:00:04,000\n你好。\n",
            "sources/clip.srt:2: cue 1 ends before it starts (00:00:05,000 --> 00:00:04,000); "
            "fix the timing",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\n你好。\n\n2\n00:00:02,000 --> 00:00:03,000\n\n",
            "sources/clip.srt:5: cue 2 has no text; add the text or delete the cue",
        ),
        (
            "这不是字幕文件。\n",
            "sources/clip.srt:1: expected a cue number and a timing line such as 00:00:01,000 "
            "--> 00:00:04,000; fix the cue or remove the stray text",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\n你好。\n\n"
            "2a\n00:00:03,000 --> 00:00:04,000\n再见。\n",
            "sources/clip.srt:6: cue timing inside the text of the cue before it; put an empty "
            "line and a cue number (digits only) above it",
        ),
        ("\n\n", "sources/clip.srt:1: no translatable text found; add content or remove the file"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\n89.1%\n",
            "sources/clip.srt:1: no translatable text found; add content or remove the file",
        ),
    ],
)
def test_malformed_srt_raises_located_message(source: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(source, ".srt")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "00:00:01.000 --> 00:00:02.000\n你好。\n",
            "sources/clip.vtt:1: missing WEBVTT header; the first line of a WebVTT file must "
            "be WEBVTT",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\n你好。\n",
            "sources/clip.vtt:3: bad timestamp '00:00:0x.000'; write cue times as "
            "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm (e.g. 00:01:02.500)",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n你好。\n"
            "00:00:02.000 --> 00:00:03.000\n再见。\n",
            "sources/clip.vtt:5: cue timing line without an empty line before it; separate "
            "cues with an empty line",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 size:enormous\n你好。\n",
            "sources/clip.vtt:3: invalid cue settings 'size:enormous' (Invalid cue setting "
            "'size:enormous'); use WebVTT settings such as 'align:start line:0' or remove them",
        ),
        (
            "WEBVTT\n\n00:00:03.000 --> 00:00:02.000\n你好。\n",
            "sources/clip.vtt:3: cue 1 ends before it starts (00:00:03.000 --> "
            "00:00:02.000); fix the timing",
        ),
        (
            "WEBVTT\n\nid-1\n00:00:01.000 --> 00:00:02.000\n<v Dr. Wang></v>\n",
            "sources/clip.vtt:3: cue 1 has no text; add the text or delete the cue",
        ),
        (
            "WEBVTT\n\nNOTE 只有注释\n",
            "sources/clip.vtt:1: no translatable text found; add content or remove the file",
        ),
    ],
)
def test_malformed_vtt_raises_located_message(source: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(source, ".vtt")
    assert str(caught.value) == message


def test_library_errors_are_chained() -> None:
    with pytest.raises(SourceError) as caught:
        read("00:00:01.000 --> 00:00:02.000\n你好。\n", ".vtt")
    assert isinstance(caught.value.__cause__, webvtt.errors.MalformedFileError)


# --- rendering --------------------------------------------------------------------------------


def test_render_distributes_a_sentence_over_its_cues_in_proportion() -> None:
    source = cue_file("今天我们来聊一聊NTRK融合基因，", "以及第二代TRK抑制剂如何克服耐药。")
    translations = {
        "今天我们来聊一聊NTRK融合基因，以及第二代TRK抑制剂如何克服耐药。": (
            "Today we discuss NTRK fusion genes and how new TRK inhibitors overcome resistance."
        )
    }
    rendered = render_subtitles(source, suffix=".srt", translations=translations)
    assert rendered == (
        "1\n00:00:01,000 --> 00:00:01,900\nToday we discuss NTRK fusion genes and\n\n"
        "2\n00:00:02,000 --> 00:00:02,900\nhow new TRK inhibitors\novercome resistance.\n\n"
    )


def test_render_keeps_untranslated_cues_byte_for_byte() -> None:
    source = cue_file("<i>第一句。</i>", "第二句。").replace("\n", "\r\n")
    rendered = render_subtitles(source, suffix=".srt", translations={"第二句。": "Second."})
    assert rendered == source.replace("第二句。", "Second.")


def test_render_vtt_keeps_ids_settings_voice_and_escapes_text() -> None:
    source = "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000 align:start\n<v Dr. Wang>你好。</v>\n"
    rendered = render_subtitles(
        source, suffix=".vtt", translations={"你好。": "Hi <all> & welcome --> here."}
    )
    assert rendered == (
        "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000 align:start\n"
        "<v Dr. Wang>Hi &lt;all&gt; &amp; welcome --&gt; here.</v>\n"
    )


def test_render_srt_keeps_the_position_tag() -> None:
    source = cue_file("{\\an8}<i>屏幕上方的字幕。</i>")
    rendered = render_subtitles(source, suffix=".srt", translations={"屏幕上方的字幕。": "Top."})
    assert rendered == source.replace("<i>屏幕上方的字幕。</i>", "Top.")


def test_render_wraps_long_latin_cue_on_two_lines() -> None:
    source = cue_file("大家好。")
    translation = "Hello everyone, and welcome to this talk on TRK inhibitors."
    rendered = render_subtitles(source, suffix=".srt", translations={"大家好。": translation})
    assert rendered.splitlines()[2:4] == [
        "Hello everyone, and welcome to",
        "this talk on TRK inhibitors.",
    ]


def test_render_refuses_placeholders_in_a_subtitle_translation() -> None:
    with pytest.raises(CatalogError) as caught:
        render_subtitles(cue_file("你好。"), suffix=".srt", translations={"你好。": "<1>Hi</1>."})
    assert (
        "has placeholders the source does not have"
        " (placeholder <1>…</1> is not in the source); remove them" in str(caught.value)
    )


@pytest.mark.parametrize(
    ("text", "weights", "pieces"),
    [
        ("one two three four", [1, 1], ["one two", "three four"]),
        ("one two three four", [3, 1], ["one two three", "four"]),
        ("one", [1, 1, 1], ["one", "", ""]),
        ("今天我们聊一聊，TRK抑制剂。", [8, 7], ["今天我们聊一聊，", "TRK抑制剂。"]),
        ("突变G595R耐药", [3, 3], ["突变", "G595R耐药"]),
    ],
)
def test_distribute_cuts_at_word_boundaries_in_proportion(
    text: str, weights: list[int], pieces: list[str]
) -> None:
    assert distribute(text, weights) == pieces


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["NTRK", "融合", "基因", "G595R", "89.1%", "，", "。", " "]), min_size=1
    ),
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6),
)
def test_distribute_loses_nothing_and_fills_cues_while_it_can(
    words: list[str], weights: list[int]
) -> None:
    text = " ".join("".join(words).split())
    pieces = distribute(text, weights)
    assert len(pieces) == len(weights)
    assert "".join("".join(pieces).split()) == "".join(text.split())
    if text and len(text.split()) >= len(weights) and " " in text:
        assert all(pieces)


_CUE_TEXTS = (
    st.lists(
        st.sampled_from(
            [
                "今天我们来聊一聊",
                "NTRK融合基因",
                "，",
                "。",
                "以及第二代TRK抑制剂",
                "89.1%",
                "！",
                "<i>",
                "</i>",
            ]
        ),
        min_size=1,
        max_size=5,
    )
    .map("".join)
    .filter(lambda text: any(char.isalpha() for char in text.replace("i>", "")))
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CUE_TEXTS, min_size=1, max_size=6), st.booleans())
def test_any_translation_renders_a_file_with_the_same_timings(
    texts: list[str], is_vtt: bool
) -> None:
    suffix = ".vtt" if is_vtt else ".srt"
    source = cue_file(*texts)
    if is_vtt:
        source = "WEBVTT\n\n" + source.replace(",", ".")
    segments = read(source, suffix)
    assert render_subtitles(source, suffix=suffix, translations={}) == source
    translations = {s.text: f"Translated sentence number {n}." for n, s in enumerate(segments)}
    rendered = render_subtitles(source, suffix=suffix, translations=translations)
    assert merged_timings(timings(rendered, suffix)) == merged_timings(timings(source, suffix))
