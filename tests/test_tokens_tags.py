"""The placeholder-tag grammar has one home (pipeline/tokens/tags.py) and every caller agrees
with it: the readers, the segmenter, the checks and MT verification."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main

from pipeline.checks import CheckContext
from pipeline.checks.text import markup
from pipeline.mt.protect import protect, verify
from pipeline.readers.markdown import read_markdown, render_markdown
from pipeline.readers.text import read_text
from pipeline.segmenter import split_sentences
from pipeline.tokens.tags import (
    compare_tags,
    escape_literal,
    find_tags,
    strip_tags,
    unescape_literal,
)

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")

# Fragments of a regular expression that reads placeholder tags (``<\d+>``, ``</\d+>``,
# ``<(/?)(\d+)(/?)>``, ``<([1-9]…``, near misses such as ``<\s*/?\s*\d+``…).
_TAG_REGEX_FRAGMENTS = re.compile(
    r"</?\??\(?\\d|\\d\+/?>|\\d\+\\s\*/\?|<\(/\?\)|<\(?\[1-9\]|</\[1-9\]|<\\s\*/\?|&lt;\\s"
)


def test_no_tag_pattern_outside_its_home() -> None:
    offenders = [
        f"{path.relative_to(PIPELINE.parent)}:{number}: {line.strip()}"
        for path in sorted(PIPELINE.rglob("*.py"))
        if path != PIPELINE / "tokens" / "tags.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _TAG_REGEX_FRAGMENTS.search(line)
    ]
    assert offenders == []


def test_the_fragment_list_finds_the_patterns_it_is_meant_to_find() -> None:
    """Guard for the test above: each way the old copies wrote a tag pattern is caught."""
    old_copies = [
        r'PLACEHOLDER_RE = re.compile(r"<(/?)(\d+)(/?)>")',
        r'_TAG = r"<\d+>|</\d+>|<\d+/>"',
        r'_TAG_LIKE_RE = re.compile(r"<\s*/?\s*\d+\s*/?\s*>|&lt;\s*/?\s*\d+\s*/?\s*&gt;")',
        r'text = re.sub(r"<([1-9][0-9]*)>(\s+)", r"\2<\1>", text)',
        r'_TRAILING_TAGS_RE = re.compile(r"(?:</?\d+/?>[\s]*)+\Z")',
        r'pair = re.compile(rf"<(\d+)>.{{0,{self.max_chars}}}?</\1>", re.DOTALL)',
    ]
    assert [line for line in old_copies if not _TAG_REGEX_FRAGMENTS.search(line)] == []


# Text that looks like a tag but is not one (written as in the source, and as it reaches the
# catalog after escaping), then real tags.
LOOKALIKES = [
    ("滴度<0>时记为阴性。", "滴度<0>时记为阴性。"),
    ("编号<01>的样本。", "编号<01>的样本。"),
    ("见< 1>处。", "见< 1>处。"),
    ("原文写作<1>与</1>。", "原文写作<\\1>与<\\/1>。"),
    ("原文写作<2/>。", "原文写作<\\2/>。"),
    ("已转义的<\\1>。", "已转义的<\\\\1>。"),
]


@pytest.mark.parametrize(("literal", "escaped"), LOOKALIKES)
def test_literal_lookalikes_are_text_everywhere(literal: str, escaped: str) -> None:
    assert escape_literal(literal) == escaped
    assert unescape_literal(escaped) == literal
    assert find_tags(escaped) == []
    assert strip_tags(escaped) == literal
    # The markup check: a translation that drops or rewrites the literal text is not a
    # placeholder problem (and one that copies it is fine).
    assert list(markup(escaped, "A sentence without it.", ZH_EN)) == []
    assert list(markup(escaped, f"Copied: {escaped}", ZH_EN)) == []
    # MT verification expects no markup from it.
    protected = protect(escaped, glossary=None, locale="en")
    assert [e for e in protected.expected if e.kind == "markup"] == []
    # The segmenter keeps it in one sentence.
    assert split_sentences(escaped, language="zh_Hans") == [escaped]


@pytest.mark.parametrize(
    ("source", "tags"),
    [
        ("见<1>附表</1>与<2/>。", ["<1>", "</1>", "<2/>"]),
        ("第<10>十</10>项", ["<10>", "</10>"]),
    ],
)
def test_real_tags_are_tags_everywhere(source: str, tags: list[str]) -> None:
    assert [tag.text for tag in find_tags(source)] == tags
    assert compare_tags(source, source) == []
    protected = protect(source, glossary=None, locale="en")
    assert [e.text for e in protected.expected if e.kind == "markup"] == tags
    assert verify(protected, "See table.").hint == "mt missing: " + ", ".join(
        f"markup {tag}" for tag in tags
    )
    assert list(markup(source, "See table.", ZH_EN))


@pytest.mark.parametrize(
    ("source", "translation", "problems"),
    [
        ("<1>a</1> <2/>", "<2/> <1>b</1>", []),
        ("<1>a</1> <2/>", "<1>b</1>", ["placeholder <2/> is missing"]),
        ("<1>a</1>", "b", ["placeholder <1>…</1> is missing"]),
        ("<1>a</1>", "<1>b", ["placeholder </1> is missing"]),
        ("<1>a</1>", "b</1>", ["placeholder <1> is missing"]),
        ("<1>a</1>", "<1>b</1> <2/>", ["placeholder <2/> is not in the source"]),
        (
            "<1>a</1><2>b</2>",
            "<1>a <2>b</1></2>",
            ["<1>…</1> and <2>…</2> cross; close the inner pair first"],
        ),
        ("<1>a</1>", "</1>b<1>", ["</1> comes before <1>"]),
        ("<1>a<2/></1>", "<1>a</1><2/>", ["<2/> must stay inside <1>…</1>"]),
        ("<1>a</1><2/>", "<1>a<2/></1>", ["<2/> is inside <1>…</1>, not in the source"]),
        ("<1/>", "<1>a</1>", ["placeholder <1>…</1> should be <1/>"]),
        ("<1/>", "<1/><1/>", ["placeholder <1/> appears 2 times, 1 in the source"]),
        (
            "<1>a</1>",
            "&lt;1&gt;a</1>",
            [
                'malformed placeholder "&lt;1&gt;"; write it exactly as in the source',
                "placeholder <1> is missing",
            ],
        ),
        (
            "<1>a</1>",
            "< 1>a</1>",
            [
                'malformed placeholder "< 1>"; write it exactly as in the source',
                "placeholder <1> is missing",
            ],
        ),
        # The same near miss in the source is literal text there, so it may be copied.
        ("滴度< 1>为阴性", "a titre < 1> is negative", []),
    ],
)
def test_structure_problems_have_one_set_of_messages(
    source: str, translation: str, problems: list[str]
) -> None:
    assert compare_tags(source, translation) == problems
    assert list(markup(source, translation, ZH_EN)) == problems


def test_literal_tags_in_a_markdown_source_survive_the_round_trip() -> None:
    source = "# 标题\n\n滴度<0>时记为阴性，原文写作<1>，见**表1**。\n"
    segments = read_markdown(source, language="zh_Hans", path="a.md")
    assert [segment.text for segment in segments] == [
        "标题",
        "滴度<0>时记为阴性，原文写作<\\1>，见<1>表1</1>。",
    ]
    translations = {
        "标题": "Title",
        segments[1].text: "A titre <0> is negative, written <\\1>, see <1>Table 1</1>.",
    }
    assert render_markdown(source, translations) == (
        "# Title\n\nA titre <0> is negative, written <1>, see **Table 1**.\n"
    )


def test_literal_tags_in_a_transcript_reach_the_catalog_escaped() -> None:
    segments = read_text("检测值<0>为阴性。<1>号样本阳性。\n", language="zh_Hans", path="a.txt")
    assert [segment.text for segment in segments] == ["检测值<0>为阴性。", "<\\1>号样本阳性。"]


TRANSLATION = "A titre below 0 is negative, see <1>Table 1</1>."


def test_check_does_not_block_a_source_sentence_with_literal_tag_text(tmp_path: Path) -> None:
    """End to end: ``<0>`` in the source is text, so a translation that renders it in words
    passes ``pipeline check`` (it used to be a blocking "placeholder <0> is missing")."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "titre.md").write_text(
        "滴度<0>时记为阴性，见**表1**。\n", encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(main, ["-C", str(tmp_path), "segment"]).exit_code == 0
    path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "titre.po"
    entry = 'msgid "滴度<0>时记为阴性，见<1>表1</1>。"\nmsgstr ""\n'
    catalog = path.read_text(encoding="utf-8")
    assert entry in catalog
    path.write_text(
        catalog.replace(entry, entry.replace('msgstr ""', f'msgstr "{TRANSLATION}"')),
        encoding="utf-8",
    )

    result = runner.invoke(main, ["-C", str(tmp_path), "check"])

    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        0,
        "checked 1 catalog, 1 entry (0 drafts): 0 errors, 0 warnings",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(TRANSLATION, "A titre below 0 is negative."),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["-C", str(tmp_path), "check"])
    assert result.exit_code == 1
    assert "error: markup: placeholder <1>…</1> is missing" in result.stdout
