"""Markdown reader and renderer: segments, placeholders, line numbers, errors, round trips.

Golden cases live in ``tests/golden/readers/<case>/``: ``input.md``, ``expected.txt`` (one
segment per line: ``LINE<TAB>NOTE<TAB>MSGID``) and, where present, ``translations.json`` with
the ``rendered.md`` it must give. ``UPDATE_GOLDEN=1 pytest`` rewrites the expected files;
review the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline.errors import CatalogError, SourceError
from pipeline.readers import read_segments
from pipeline.readers.markdown import read_markdown, render_markdown
from pipeline.segments import Segment
from pipeline.tokens.tags import find_tags

GOLDEN = Path(__file__).parent / "golden" / "readers"
CASES = sorted(path.parent.name for path in GOLDEN.glob("*/input.md"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def read(text: str) -> list[Segment]:
    return read_markdown(text, language="zh_Hans", path="sources/a.md")


def texts(text: str) -> list[str]:
    return [segment.text for segment in read(text)]


def listing(segments: list[Segment]) -> str:
    return "".join(f"{s.line}\t{s.note}\t{s.text}\n" for s in segments)


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


# --- golden cases -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_golden_segments(case: str) -> None:
    source = (GOLDEN / case / "input.md").read_text(encoding="utf-8")
    check_golden(GOLDEN / case / "expected.txt", listing(read(source)))


@pytest.mark.parametrize("case", CASES)
def test_golden_identity_render_reproduces_the_source_byte_for_byte(case: str) -> None:
    source = (GOLDEN / case / "input.md").read_text(encoding="utf-8")
    assert render_markdown(source, {}) == source


@pytest.mark.parametrize("case", CASES)
def test_golden_render_with_every_segment_translated_to_itself_is_identity(case: str) -> None:
    source = (GOLDEN / case / "input.md").read_text(encoding="utf-8")
    assert render_markdown(source, {s.text: s.text for s in read(source)}) == source


@pytest.mark.parametrize(
    "case", [case for case in CASES if (GOLDEN / case / "translations.json").exists()]
)
def test_golden_render_with_translations(case: str) -> None:
    source = (GOLDEN / case / "input.md").read_text(encoding="utf-8")
    translations = json.loads((GOLDEN / case / "translations.json").read_text(encoding="utf-8"))
    check_golden(GOLDEN / case / "rendered.md", render_markdown(source, translations))


def test_golden_article_covers_every_kind_the_brief_names() -> None:
    source = (GOLDEN / "article-md" / "input.md").read_text(encoding="utf-8")
    kinds = {segment.kind for segment in read(source)}
    assert kinds >= {
        "title",
        "subtitle",
        "description",
        "heading 1",
        "heading 2",
        "paragraph",
        "blockquote",
        "list item",
        "table header",
        "table cell",
        "image alt",
    }


def test_dispatcher_reads_markdown_by_suffix() -> None:
    source = (GOLDEN / "article-md" / "input.md").read_text(encoding="utf-8")
    assert read_segments(source, suffix=".MD", language="zh_Hans", path="a.md") == read(source)


# --- what is translated -----------------------------------------------------------------------


def test_front_matter_translates_only_text_fields() -> None:
    source = (
        "---\ntitle: 新一代TRK抑制剂\nspeaker: 王明 主任医师\nsource: 论坛\ndate: 2026-10-18\n"
        "summary: 第二代药物克服耐药。\n---\n\n正文。\n"
    )
    assert [(s.kind, s.line, s.text) for s in read(source)] == [
        ("title", 2, "新一代TRK抑制剂"),
        ("summary", 6, "第二代药物克服耐药。"),
        ("paragraph", 9, "正文。"),
    ]


def test_front_matter_translates_the_fields_the_project_names() -> None:
    source = (
        "---\ntitle: 新一代TRK抑制剂\nspeaker: 王明 主任医师\nsource: 论坛\ndate: 2026-10-18\n"
        "summary: 第二代药物克服耐药。\n---\n\n正文。\n"
    )
    segments = read_segments(
        source, suffix=".md", language="zh_Hans", path="a.md",
        front_matter=("title", "speaker", "source"),
    )
    assert [(s.kind, s.line, s.text) for s in segments] == [
        ("title", 2, "新一代TRK抑制剂"),
        ("speaker", 3, "王明 主任医师"),
        ("source", 4, "论坛"),
        ("paragraph", 9, "正文。"),
    ]
    rendered = render_markdown(
        source,
        {"王明 主任医师": "Dr Wang Ming, chief physician", "论坛": "a forum"},
        front_matter=("title", "speaker", "source"),
    )
    assert rendered.startswith(
        '---\ntitle: 新一代TRK抑制剂\nspeaker: "Dr Wang Ming, chief physician"\n'
        'source: "a forum"\ndate: 2026-10-18\n'
    )


def test_a_date_named_as_a_translated_field_is_refused_with_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        read_segments(
            "---\ntitle: 标题\ndate: 2026-10-18\n---\n\n正文。\n", suffix=".md",
            language="zh_Hans", path="sources/a.md", front_matter=("title", "date"),
        )
    assert str(caught.value) == (
        "sources/a.md:3: front matter field 'date' must be text, not date; quote it or remove it"
    )


def test_folded_front_matter_value_joins_chinese_lines_without_a_space() -> None:
    source = "---\ndescription: >\n  介绍repotrectinib和\n  selitrectinib的数据。\n---\n"
    assert texts(source) == ["介绍repotrectinib和selitrectinib的数据。"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# 一级标题\n", [("heading 1", "一级标题")]),
        ("###### 六级标题 ######\n", [("heading 6", "六级标题")]),
        ("设置标题\n===\n", [("heading 1", "设置标题")]),
        ("## 标题不拆分。两句话。\n", [("heading 2", "标题不拆分。两句话。")]),
        ("- 列表项一。列表项二。\n", [("list item", "列表项一。"), ("list item", "列表项二。")]),
        ("> 引用。\n", [("blockquote", "引用。")]),
        ("1. 有序列表\n2. 第二项\n", [("list item", "有序列表"), ("list item", "第二项")]),
        (
            "| 指标 | 数值 |\n|---|---|\n| 客观缓解率。疗效好。 | 89.1% |\n",
            [
                ("table header", "指标"),
                ("table header", "数值"),
                ("table cell", "客观缓解率。疗效好。"),
            ],
        ),
    ],
)
def test_block_kinds(source: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.kind, s.text) for s in read(source)] == expected


@pytest.mark.parametrize(
    "skipped",
    [
        "```\n代码不翻译。\n```\n",
        "    缩进代码不翻译。\n",
        "<div>HTML块不翻译。</div>\n",
        "***\n\n___\n",
        '[ref]: https://clinicaltrials.gov "标题不翻译"\n',
        "| 89.1% | 90.8% |\n|---|---|\n| 96.4% | 3.04% |\n",
        "![](figure.png)\n",
    ],
)
def test_blocks_without_translatable_text_give_no_segment(skipped: str) -> None:
    assert texts(f"{skipped}\n正文。\n") == ["正文。"]


# --- placeholders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "msgid"),
    [
        ("**NTRK融合基因**是靶点。", "<1>NTRK融合基因</1>是靶点。"),
        ("__加粗__，文字", "<1>加粗</1>，文字"),
        ("例如*TRKA G595R*突变。", "例如<1>TRKA G595R</1>突变。"),
        ('见[试验](https://clinicaltrials.gov "TRIDENT-1")。', "见<1>试验</1>。"),
        ("使用`repotrectinib`治疗。", "使用<1/>治疗。"),
        ("如图![](a.png)所示。", "如图<1/>所示。"),
        ("第一行  \n第二行。", "第一行<1/>第二行。"),
        ("第一行\\\n第二行。", "第一行<1/>第二行。"),
        ("上标<sup>2</sup>。", "上标<1/>2<2/>。"),
        ("访问<https://clinicaltrials.gov>。", "访问<1/>。"),
        ("**加粗*斜体*加粗**。", "<1>加粗<2>斜体</2>加粗</1>。"),
        ("[**粗体链接**](https://a.org)与`x`。", "<1><2>粗体链接</2></1>与<3/>。"),
    ],
)
def test_inline_markup_becomes_numbered_placeholders(source: str, msgid: str) -> None:
    assert texts(source) == [msgid]


def test_link_and_image_urls_never_reach_the_msgid() -> None:
    source = "见[试验](https://clinicaltrials.gov/study/NCT03093116)和![图](https://x.org/a.png)。"
    assert texts(source) == ["见<1>试验</1>和<2/>。", "图"]


def test_numbering_restarts_in_every_segment() -> None:
    source = "**甲**和*乙*。**丙**和`丁`。"
    assert texts(source) == ["<1>甲</1>和<2>乙</2>。", "<1>丙</1>和<2/>。"]


def test_sentence_split_inside_a_pair_is_merged_so_tags_stay_balanced() -> None:
    assert texts("**肿瘤缩小。持续缓解。**（随访12个月）\n") == [
        "<1>肿瘤缩小。持续缓解。</1>",
        "（随访12个月）",
    ]
    assert texts("[肿瘤缩小。持续缓解。](https://a.org)后续治疗。") == [
        "<1>肿瘤缩小。持续缓解。</1>",
        "后续治疗。",
    ]


def test_literal_placeholder_lookalikes_are_escaped_with_a_backslash() -> None:
    assert texts("原文中的<1>、</1>、<2/>和<\\1>只是文字。") == [
        "原文中的<\\1>、<\\/1>、<\\2/>和<\\\\1>只是文字。"
    ]
    assert all(not find_tags(text) for text in texts("第<1>期。"))


def test_markdown_escapes_and_entities_read_resolved() -> None:
    assert texts("5 \\* 3 &amp; \\[注\\]。") == ["5 * 3 & [注]。"]


def test_image_alt_text_is_its_own_segment_after_the_sentence() -> None:
    segments = read('如图![图1：客观缓解率](a.png "ORR")所示。\n')
    assert [(s.kind, s.text) for s in segments] == [
        ("paragraph", "如图<1/>所示。"),
        ("image alt", "图1：客观缓解率"),
    ]


# --- lines and joining ------------------------------------------------------------------------


def test_soft_wrapped_chinese_joins_without_space_and_latin_with_space() -> None:
    source = "当NTRK基因与其他基因\n发生融合时，例如TRKA\nG595R突变，使用\nrepotrectinib治疗。\n"
    assert texts(source) == [
        "当NTRK基因与其他基因发生融合时，例如TRKA G595R突变，使用repotrectinib治疗。"
    ]


def test_segment_line_is_the_line_where_its_sentence_starts() -> None:
    source = "# 标题\n\n第一句话。第二句\n话跨行。\n第三句话。\n\n> 引用第一句。\n> 引用第二句。\n"
    assert [(s.line, s.text) for s in read(source)] == [
        (1, "标题"),
        (3, "第一句话。"),
        (3, "第二句话跨行。"),
        (5, "第三句话。"),
        (7, "引用第一句。"),
        (8, "引用第二句。"),
    ]


def test_crlf_source_has_the_same_segments_and_lines() -> None:
    source = "---\ntitle: 标题\n---\n\n# 标题\n\n第一句。\n第二句。\n"
    crlf = source.replace("\n", "\r\n")
    assert read(crlf) == read(source)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "---\ntitle: 标题\n\n正文。\n",
            "sources/a.md:1: front matter starts with --- but is never closed; add a closing "
            "--- line after its fields, or remove the --- line",
        ),
        (
            "---\ntitle: 标题\nspeaker: [王明\n---\n\n正文。\n",
            "sources/a.md:3: front matter is not valid YAML (expected ',' or ']', but got "
            "'<stream end>'); fix it or remove the --- block",
        ),
        (
            "---\ntitle: 标题: 副标题\n---\n",
            "sources/a.md:2: front matter is not valid YAML (mapping values are not allowed "
            "here); fix it or remove the --- block",
        ),
        (
            "---\ntitle: 一\ntitle: 二\n---\n",
            'sources/a.md:3: front matter is not valid YAML (found duplicate key "title" with '
            'value "二" (original value: "一")); fix it or remove the --- block',
        ),
        (
            "---\n- 标题\n- 作者\n---\n",
            "sources/a.md:2: front matter must be fields such as 'title: …', not a list; fix "
            "it or remove the --- block",
        ),
        (
            "---\ntitle:\n  - 一\n  - 二\n---\n",
            "sources/a.md:3: front matter field 'title' must be text, not CommentedSeq; quote "
            "it or remove it",
        ),
        (
            "```\n只有代码。\n```\n",
            "sources/a.md:1: no translatable text found; add content or remove the file",
        ),
        (
            "---\nspeaker: 王明\n---\n\n| 89.1% |\n|---|\n",
            "sources/a.md:1: no translatable text found; add content or remove the file",
        ),
    ],
)
def test_malformed_or_empty_source_raises_located_message(source: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(source)
    assert str(caught.value) == message


# --- rendering --------------------------------------------------------------------------------


def test_render_keeps_structure_and_urls_with_translations() -> None:
    source = (
        "## 关键数据\n\n"
        "1. **Repotrectinib**的客观缓解率为89.1%。\n"
        "2. 详见[TRIDENT-1](https://clinicaltrials.gov/study/NCT03093116)。\n"
    )
    translations = {
        "关键数据": "Key data",
        "<1>Repotrectinib</1>的客观缓解率为89.1%。": "<1>Repotrectinib</1> had an ORR of 89.1%.",
        "详见<1>TRIDENT-1</1>。": "See <1>TRIDENT-1</1>.",
    }
    assert render_markdown(source, translations) == (
        "## Key data\n\n"
        "1. **Repotrectinib** had an ORR of 89.1%.\n"
        "2. See [TRIDENT-1](https://clinicaltrials.gov/study/NCT03093116).\n"
    )


def test_render_with_reordered_placeholders() -> None:
    source = "**拉罗替尼**之后是[repotrectinib](https://a.org/r)。\n"
    translations = {
        "<1>拉罗替尼</1>之后是<2>repotrectinib</2>。": (
            "<2>Repotrectinib</2> follows <1>larotrectinib</1>."
        )
    }
    assert render_markdown(source, translations) == (
        "[Repotrectinib](https://a.org/r) follows **larotrectinib**.\n"
    )


def test_render_joins_translated_sentences_and_writes_the_paragraph_on_one_line() -> None:
    source = "> 第一句。第二句\n> 跨行。\n\n- 列表第一句。\n  列表第二句。\n"
    translations = {"第一句。": "First.", "第二句跨行。": "Second.", "列表第二句。": "Item two."}
    assert render_markdown(source, translations) == "> First. Second.\n\n- 列表第一句。Item two.\n"


def test_render_untranslated_block_keeps_its_wrapping() -> None:
    source = "第一段第一句。\n第一段续行。\n\n第二段。\n"
    assert render_markdown(source, {"第二段。": "Second paragraph."}) == (
        "第一段第一句。\n第一段续行。\n\nSecond paragraph.\n"
    )


def test_render_translated_front_matter_is_a_quoted_yaml_string() -> None:
    source = "---\ntitle: 标题  # 注释\nspeaker: 王明\n---\n\n正文。\n"
    assert render_markdown(source, {"标题": 'TRK "inhibitors": a review'}) == (
        '---\ntitle: "TRK \\"inhibitors\\": a review"  # 注释\nspeaker: 王明\n---\n\n正文。\n'
    )


def test_render_translated_image_alt_and_cells() -> None:
    source = '![图1：缓解率](orr.png "ORR")\n\n| 指标 | 数值 |\n|---|---|\n| 缓解率 | 89.1% |\n'
    translations = {"图1：缓解率": "Figure 1 [ORR]", "缓解率": "ORR | all", "指标": "Measure"}
    assert render_markdown(source, translations) == (
        '![Figure 1 \\[ORR\\]](orr.png "ORR")\n\n'
        "| Measure | 数值 |\n|---|---|\n| ORR \\| all | 89.1% |\n"
    )


@pytest.mark.parametrize(
    ("translation", "rendered"),
    [
        ("# not a heading", "\\# not a heading\n"),
        ("1. not a list", "1\\. not a list\n"),
        ("use *care* and `x`", "use \\*care\\* and \\`x\\`\n"),
        ("P<0.05 & <b>", "P<0.05 & \\<b>\n"),
        ("literal <\\1> tag", "literal <1> tag\n"),
    ],
)
def test_render_escapes_text_that_markdown_would_read_as_markup(
    translation: str, rendered: str
) -> None:
    assert render_markdown("正文。\n", {"正文。": translation}) == rendered


def test_render_moves_spaces_outside_emphasis() -> None:
    source = "**加粗**文字。\n"
    translations = {"<1>加粗</1>文字。": "<1>Bold </1>text."}
    assert render_markdown(source, translations) == "**Bold** text.\n"


def test_render_heading_ending_with_hash_is_escaped() -> None:
    assert render_markdown("## 第一题\n", {"第一题": "Question #"}) == "## Question \\#\n"


def test_render_keeps_hard_break_on_its_own_line_with_prefix() -> None:
    source = "> 第一行  \n> 第二行。\n"
    assert render_markdown(source, {"第一行<1/>第二行。": "Line one<1/>line two."}) == (
        "> Line one  \n> line two.\n"
    )


def test_render_crlf_source() -> None:
    source = "# 标题\r\n\r\n第一句。\r\n第二句。\r\n"
    assert render_markdown(source, {}) == source
    assert render_markdown(source, {"标题": "Title"}) == "# Title\r\n\r\n第一句。\r\n第二句。\r\n"


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("Repotrectinib works.", "placeholder <1>…</1> is missing"),
        ("<1>Repotrectinib</1> works <2/>.", "placeholder <2/> is not in the source"),
        ("<1>Repotrectinib works.", "placeholder </1> is missing"),
        ("<1/>Repotrectinib works.", "placeholder <1/> should be <1>…</1>"),
    ],
)
def test_render_refuses_broken_placeholders(translation: str, problem: str) -> None:
    source = "**Repotrectinib**有效。\n"
    with pytest.raises(CatalogError) as caught:
        render_markdown(source, {"<1>Repotrectinib</1>有效。": translation})
    message = str(caught.value)
    assert message.startswith("cannot render s-")
    assert problem in message
    assert "copy every <N>…</N> and <N/> of the source text exactly once" in message


# --- properties -------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "NTRK融合基因",
        "repotrectinib",
        "89.1%",
        "G595R",
        "TRKA G667C",
        "1-2级",
        "疗效",
        "。",
        "，",
        "！",
        " ",
        "  ",
        "\t",
        "\\*",
        "&amp;",
        "&",
        "<",
        "<1>",
        "</2>",
        "*",
        "_",
        "**",
        "`",
        "[",
        "]",
        "(",
        ")",
        "|",
        "#",
        "!",
        "\\",
        "<br>",
        "<https://a.org>",
        "**加粗**",
        "*斜体*",
        "`代码`",
        '[链接](https://clinicaltrials.gov "标题")',
        "![图](a.png)",
        "[![图](a.png)](b.html)",
        "[引用][r]",
        "[r]",
        "![r]",
        "[跨\n行](https://a.org/x)",
        "`代码\n跨行`",
        '<span\nclass="x">',
        "**加粗\n跨行**",
        "  \n",
        "\\\n",
        "&#x4e2d;",
    ]
)
_LINE = st.lists(_WORDS, min_size=1, max_size=8).map("".join)
_PREFIX = st.sampled_from(["", "", "", "# ", "## ", "- ", "1. ", "> ", "> - ", "   ", "\t"])
_BLOCK = st.one_of(
    st.lists(st.tuples(_PREFIX, _LINE), min_size=1, max_size=4).map(
        lambda lines: "\n".join(prefix + line for prefix, line in lines)
    ),
    st.tuples(_LINE, _LINE).map(lambda cells: f"| {cells[0]} | x |\n|---|---|\n| {cells[1]} | 1 |"),
    st.just("```\n代码。\n```"),
    st.just("[r]: https://clinicaltrials.gov"),
    st.just("---"),
)


def _document(parts: tuple[str, list[str], str, str]) -> str:
    front_matter, blocks, separator, newline = parts
    return (front_matter + separator.join(blocks)).replace("\n", newline) + newline


_DOCUMENT = (
    st.tuples(
        st.sampled_from(["", "---\ntitle: 标题\n---\n"]),
        st.lists(_BLOCK, min_size=1, max_size=5),
        st.sampled_from(["\n\n", "\n"]),
        st.sampled_from(["\n", "\r\n"]),
    )
    # A document opening with a thematic break would be read as unclosed front matter.
    .filter(lambda parts: parts[0] != "" or parts[1][0] != "---")
    .map(_document)
)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENT)
def test_identity_render_reproduces_any_markdownish_input(source: str) -> None:
    try:
        segments = read(source)
    except SourceError as error:
        assert "no translatable text found" in str(error)
        return
    assert render_markdown(source, {}) == source
    for segment in segments:
        assert segment.text.strip() == segment.text
        assert 1 <= segment.line <= source.count("\n") + 1


@settings(max_examples=200, deadline=None)
@given(_DOCUMENT)
def test_translated_render_keeps_every_link_url_and_the_html_structure(source: str) -> None:
    try:
        segments = read(source)
    except SourceError:
        return
    # Translate every segment to a marked copy with the same placeholders.
    translations = {
        s.text: re.sub(r"^(<[^>]*>)*", lambda m: m.group() + "X ", s.text) for s in segments
    }
    rendered = render_markdown(source, translations)
    md = MarkdownIt("commonmark").enable("table")
    before, after = md.parse(source), md.parse(rendered)

    def urls(tokens: list) -> list[str]:
        found = []
        for token in tokens:
            for child in token.children or []:
                if child.type in ("link_open", "image"):
                    found.append(child.attrs.get("href") or child.attrs.get("src"))
        return sorted(str(url) for url in found)

    def blocks(tokens: list) -> list[str]:
        return [t.type for t in tokens if t.type.endswith("_open") and t.type != "paragraph_open"]

    assert urls(after) == urls(before)
    assert blocks(after) == blocks(before)


@pytest.mark.parametrize(
    ("source", "translation", "rendered"),
    [
        ("注意见[链接](b.html)。\n", "Look!<1>link</1>.", "Look\\![link](b.html).\n"),
        ("注意见[链接](b.html)。\n", "Look! <1>link</1>!", "Look! [link](b.html)!\n"),
        # Found by hypothesis: the escaped "!" of the source must stay escaped.
        ("\\![![图](a.png)](b.html)\n", "Figure", "\\![![Figure](a.png)](b.html)\n"),
    ],
)
def test_an_exclamation_mark_before_a_link_does_not_make_it_an_image(
    source: str, translation: str, rendered: str
) -> None:
    [segment] = read_markdown(source, language="zh_Hans", path="a.md")
    assert render_markdown(source, {segment.text: translation}) == rendered
