"""Renderers: translated Markdown and HTML bodies, subtitles with the source's timing, text.

Each case renders real source text with real translations and reads the result back with the
library a reader's tools would use (markdown-it, srt, webvtt-py).
"""

from __future__ import annotations

import io

import pytest
import srt
import webvtt

from pipeline.errors import CatalogError
from pipeline.publish.pages import bcp47, language_name, text_direction
from pipeline.publish.render import render_article, sanitize_html
from pipeline.readers import read_segments

ARTICLE = """---
title: 新一代TRK抑制剂
date: 2026-10-18
speaker: 邱立新
---

# 新一代TRK抑制剂

**拉罗替尼**有效。见[研究](https://clinicaltrials.gov/search?term=NTRK)。

<div onclick="alert(1)">源文件里的HTML<script>alert(2)</script></div>

- 客观缓解率为89.1%。

```
code stays
```
"""


def render_md(translations: dict[str, str], source: str = ARTICLE):
    return render_article(
        source,
        suffix=".md",
        translations=translations,
        source_language="zh_Hans",
        path="sources/a.md",
        slug="a",
    )


def english(source: str = ARTICLE, **overrides: str) -> dict[str, str]:
    segments = read_segments(source, suffix=".md", language="zh_Hans", path="sources/a.md")
    table = {
        "新一代TRK抑制剂": "Next-generation TRK inhibitors",
        "<1>拉罗替尼</1>有效。": "<1>Larotrectinib</1> works.",
        "见<1>研究</1>。": "See the <1>study</1>.",
        "客观缓解率为89.1%。": "The objective response rate was 89.1%.",
        "源文件里的HTML": "HTML in the source",
    }
    table.update(overrides)
    return {segment.text: table.get(segment.text, segment.text) for segment in segments}


def test_markdown_keeps_the_source_structure_and_restores_inline_markup() -> None:
    article = render_md(english())
    assert article.document.startswith('---\ntitle: "Next-generation TRK inhibitors"\n')
    assert "# Next-generation TRK inhibitors\n" in article.document
    assert "**Larotrectinib** works." in article.document
    assert "[study](https://clinicaltrials.gov/search?term=NTRK)" in article.document
    assert "- The objective response rate was 89.1%.\n" in article.document
    assert "```\ncode stays\n```\n" in article.document
    assert article.title == "Next-generation TRK inhibitors"
    assert article.date is not None and article.date.isoformat() == "2026-10-18"
    assert article.metadata == (("speaker", "邱立新", False),)
    assert "<strong>Larotrectinib</strong> works." in article.body_html
    assert (
        '<a href="https://clinicaltrials.gov/search?term=NTRK" rel="noopener noreferrer">'
        "study</a>" in article.body_html
    )


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "</p><img src=x onerror=alert(1)>",
        "<!-- hidden --><b>bold</b>",
        "&lt;script&gt; and &#60;b&#62;",
    ],
)
def test_translator_text_is_always_text(payload: str) -> None:
    article = render_md(english(**{"<1>拉罗替尼</1>有效。": f"<1>Larotrectinib</1> {payload}"}))
    paragraph = next(line for line in article.body_html.splitlines() if "Larotrectinib" in line)
    tags, text = parse_fragment(paragraph)
    # The only elements are the source's own markup; what the translator typed is what the
    # reader sees, character for character.
    assert tags == ["p", "strong", "a"]
    assert text == f"Larotrectinib {payload} See the study."


def parse_fragment(fragment: str) -> tuple[list[str], str]:
    """The element names and the visible text of an HTML fragment, as a browser parses it."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.tags: list[str] = []
            self.text = ""

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.append(tag)

        def handle_data(self, data: str) -> None:
            self.text += data

        def handle_comment(self, data: str) -> None:
            self.tags.append("!--")

    reader = Reader()
    reader.feed(fragment)
    return reader.tags, reader.text


def test_raw_html_of_the_source_passes_through_nh3() -> None:
    body = render_md(english()).body_html
    # An HTML block is not translated (the reader makes no segment of it): it is kept as the
    # source has it, minus what nh3 removes.
    assert "<div>源文件里的HTML</div>" in body
    assert "onclick" not in body and "alert(2)" not in body and "<script" not in body


def test_sanitize_html_drops_scripts_handlers_and_javascript_links() -> None:
    dirty = (
        '<p onmouseover="x()">a<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">b</a><a href="JaVaScRiPt:alert(1)">c</a>'
        '<img src="data:text/html,<script>alert(1)</script>" alt="d">'
        '<iframe src="https://evil.example"></iframe><a href="/en/x.html">e</a>'
    )
    assert sanitize_html(dirty) == (
        '<p>a</p><a rel="noopener noreferrer">b</a><a rel="noopener noreferrer">c</a>'
        '<img alt="d"><a href="/en/x.html" rel="noopener noreferrer">e</a>'
    )


def test_a_javascript_link_in_the_source_is_not_a_link() -> None:
    source = '见[这里](javascript:alert(1))和<a href="javascript:alert(2)">那里</a>。\n'
    body = render_md({}, source).body_html
    assert "href" not in body and "alert(2)" not in body
    assert "见[这里](javascript:alert(1))和" in body  # not a link: shown as the text it is


def test_broken_placeholders_refuse_to_render() -> None:
    with pytest.raises(CatalogError, match="broken placeholders"):
        render_md(english(**{"<1>拉罗替尼</1>有效。": "Larotrectinib works."}))


SRT = """1
00:00:01,000 --> 00:00:05,000
今天我们来聊一聊NTRK融合基因，

2
00:00:05,000 --> 00:00:06,000
以及耐药。

3
00:00:07,000 --> 00:00:12,000
第二代TRK抑制剂的客观缓解率达到了89.1%，24个月总生存率为90.8%。
"""


def test_front_matter_fields_the_project_translates_are_shown_translated() -> None:
    from pipeline.readers.markdown import parse_markdown

    fields = ("title", "speaker")
    parsed = parse_markdown(ARTICLE, language="zh_Hans", path="sources/a.md", front_matter=fields)
    article = render_article(
        ARTICLE,
        suffix=".md",
        translations={**english(), "邱立新": "Dr Qiu Lixin"},
        source_language="zh_Hans",
        path="sources/a.md",
        slug="a",
        parsed=parsed,
    )
    assert article.metadata == (("speaker", "Dr Qiu Lixin", True),)
    assert article.document.startswith(
        '---\ntitle: "Next-generation TRK inhibitors"\ndate: 2026-10-18\nspeaker: "Dr Qiu Lixin"\n'
    )


def test_subtitles_keep_timing_spread_by_duration_and_parse_back() -> None:
    translations = {
        "今天我们来聊一聊NTRK融合基因，以及耐药。": (
            "Today we will talk about NTRK fusion genes and about resistance."
        ),
        "第二代TRK抑制剂的客观缓解率达到了89.1%，24个月总生存率为90.8%。": (
            "The objective response rate of second-generation TRK inhibitors reached 89.1%, "
            "and the 24-month overall survival rate was 90.8%."
        ),
    }
    article = render_article(
        SRT,
        suffix=".srt",
        translations=translations,
        source_language="zh_Hans",
        path="sources/clip.srt",
        slug="clip",
    )
    cues = list(srt.parse(article.document))
    seconds = [(c.index, c.start.total_seconds(), c.end.total_seconds()) for c in cues]
    # Cue 1 lasts 4 s, cue 2 1 s: the first sentence is cut about four fifths of the way.
    # Cue 3's sentence does not fit in two lines of 42 characters: it becomes two cues that
    # share its 5 seconds in proportion to their text, and the numbering follows.
    assert seconds == [(1, 1.0, 5.0), (2, 5.0, 6.0), (3, 7.0, 9.48), (4, 9.48, 12.0)]
    assert cues[0].content == "Today we will talk about\nNTRK fusion genes and about"
    assert cues[1].content == "resistance."
    for cue in cues:
        lines = cue.content.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue.content
    assert (
        " ".join(" ".join(cue.lines) for cue in article.cues[2:])
        == translations["第二代TRK抑制剂的客观缓解率达到了89.1%，24个月总生存率为90.8%。"]
    )


VTT = """WEBVTT

NOTE recorded at the 2026 forum

intro
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v Dr. Qiu>今天我们来聊一聊NTRK融合基因。</v>

00:00:04.500 --> 00:00:07.000 line:0
<v Dr. Qiu>颅内客观缓解率为100%。</v>
"""


def test_webvtt_keeps_ids_settings_voices_and_notes() -> None:
    translations = {
        "今天我们来聊一聊NTRK融合基因。": "Today we will talk about NTRK fusion genes.",
        "颅内客观缓解率为100%。": "The intracranial objective response rate was 100%.",
    }
    article = render_article(
        VTT,
        suffix=".vtt",
        translations=translations,
        source_language="zh_Hans",
        path="sources/clip.vtt",
        slug="clip",
    )
    document = article.document
    assert "NOTE recorded at the 2026 forum\n" in document
    assert "intro\n00:00:01.000 --> 00:00:04.000 align:start position:10%\n" in document
    assert "00:00:04.500 --> 00:00:07.000 line:0\n" in document
    captions = webvtt.from_buffer(io.StringIO(document))
    assert [c.identifier for c in captions] == ["intro", None]
    assert [c.voice for c in captions] == ["Dr. Qiu", "Dr. Qiu"]
    assert captions[1].text == "The intracranial objective\nresponse rate was 100%."
    assert [cue.voice for cue in article.cues] == ["Dr. Qiu", "Dr. Qiu"]


def test_plain_text_keeps_paragraphs() -> None:
    source = "第一句。第二句。\n\n新段落。\n"
    article = render_article(
        source,
        suffix=".txt",
        translations={"第一句。": "First.", "第二句。": "Second.", "新段落。": "New paragraph."},
        source_language="zh_Hans",
        path="sources/t.txt",
        slug="t",
    )
    assert article.document == "First. Second.\n\nNew paragraph.\n"
    assert article.paragraphs == ("First. Second.", "New paragraph.")


@pytest.mark.parametrize(
    ("locale", "lang", "direction", "name"),
    [
        ("en", "en", "ltr", "English"),
        ("zh_Hans", "zh-Hans", "ltr", "中文 (简体)"),
        ("ar", "ar", "rtl", "العربية"),
        ("en_NZ", "en-NZ", "ltr", "English (New Zealand)"),
    ],
)
def test_lang_and_dir_come_from_babel(locale: str, lang: str, direction: str, name: str) -> None:
    assert (bcp47(locale), text_direction(locale), language_name(locale)) == (
        lang,
        direction,
        name,
    )
