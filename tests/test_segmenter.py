"""Tests for ``pipeline.segmenter``: a golden corpus, rule tables and properties.

The golden corpus lives in ``tests/golden/segmenter/``:

* ``sentences/NAME.LANG.txt`` is cut with ``split_sentences``; ``transcript/NAME.LANG.txt``
  (or ``NAME.LANG.maxN.txt`` for another cap than 60) with ``split_transcript``.
* Cases are separated by blank lines. ``NAME.LANG.expected`` holds, for each case in the same
  order, one segment per line; a line break inside a segment is written ``\\n``.

To add a case, append a paragraph to a ``.txt`` file and its segments to the ``.expected``
file. ``python tests/test_segmenter.py`` rewrites every ``.expected`` file from the current
code instead: read the diff before keeping it.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segmenter import (
    is_unpunctuated,
    sentence_boundaries,
    split_sentences,
    split_transcript,
)
from pipeline.tokens.tags import TAG_RE as TAG

GOLDEN = Path(__file__).parent / "golden" / "segmenter"
DEFAULT_MAX_CHARS = 60
DECIMAL = re.compile(r"\d+\.\d+")
# Closers that never open anything: no sentence may start with one.
UNAMBIGUOUS_CLOSERS = "”」』）)】》"
TERMINALS = "。｡！？!?；…⋯."
LATIN_TOKEN_CHAR = re.compile(r"[0-9A-Za-z%./\-]")


# --- golden corpus ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GoldenCase:
    """One paragraph of a golden input file and the segments expected for it."""

    source: Path
    line: int
    language: str
    mode: str
    max_chars: int
    text: str
    expected: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.source.relative_to(GOLDEN)}:{self.line}"

    def segment(self) -> list[str]:
        return segment_golden(
            self.text, mode=self.mode, language=self.language, max_chars=self.max_chars
        )


def segment_golden(text: str, *, mode: str, language: str, max_chars: int) -> list[str]:
    """What the golden files pin: sentences, or transcript segments under ``max_chars``."""
    if mode == "transcript":
        return split_transcript(text, language=language, max_chars=max_chars)
    return split_sentences(text, language=language)


def paragraphs(content: str) -> list[tuple[int, str]]:
    """(1-based first line, text) of each blank-line separated block."""
    blocks: list[tuple[int, str]] = []
    lines: list[str] = []
    first = 0
    for number, line in enumerate(content.splitlines(), start=1):
        if line.strip():
            if not lines:
                first = number
            lines.append(line)
        elif lines:
            blocks.append((first, "\n".join(lines)))
            lines = []
    if lines:
        blocks.append((first, "\n".join(lines)))
    return blocks


def golden_settings(source: Path) -> tuple[str, str, int]:
    """(mode, language, max_chars) from ``MODE/NAME.LANG[.maxN].txt``."""
    parts = source.name.removesuffix(".txt").split(".")
    max_chars = DEFAULT_MAX_CHARS
    if len(parts) == 3 and parts[2].startswith("max"):
        max_chars = int(parts[2].removeprefix("max"))
    elif len(parts) != 2:
        raise ValueError(f"{source}: name it NAME.LANG.txt or NAME.LANG.maxN.txt")
    return source.parent.name, parts[1], max_chars


def expected_path(source: Path) -> Path:
    return source.with_suffix(".expected")


def load_golden_cases() -> list[GoldenCase]:
    cases = []
    for source in sorted(GOLDEN.glob("*/*.txt")):
        mode, language, max_chars = golden_settings(source)
        inputs = paragraphs(source.read_text(encoding="utf-8"))
        expected_file = expected_path(source)
        outputs = (
            paragraphs(expected_file.read_text(encoding="utf-8")) if expected_file.exists() else []
        )
        for index, (line, text) in enumerate(inputs):
            expected = (
                tuple(segment.replace("\\n", "\n") for segment in outputs[index][1].split("\n"))
                if index < len(outputs)
                else ()
            )
            cases.append(
                GoldenCase(
                    source=source,
                    line=line,
                    language=language,
                    mode=mode,
                    max_chars=max_chars,
                    text=text,
                    expected=expected,
                )
            )
    return cases


GOLDEN_CASES = load_golden_cases()


def render(segments: list[str] | tuple[str, ...]) -> list[str]:
    return [segment.replace("\n", "\\n") for segment in segments]


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda case: case.name)
def test_golden_case(case: GoldenCase) -> None:
    actual = case.segment()
    if actual != list(case.expected):
        diff = "\n".join(
            difflib.unified_diff(
                render(case.expected),
                render(actual),
                fromfile=f"expected ({expected_path(case.source).name})",
                tofile="actual",
                lineterm="",
            )
        )
        pytest.fail(
            f"{case.name}: {case.mode} ({case.language}) differ from the golden file\n"
            f"input:\n  {case.text!r}\n{diff}",
            pytrace=False,
        )


def test_golden_corpus_has_an_expected_block_for_every_case() -> None:
    for source in sorted(GOLDEN.glob("*/*.txt")):
        expected_file = expected_path(source)
        assert expected_file.exists(), f"{expected_file} is missing"
        inputs = paragraphs(source.read_text(encoding="utf-8"))
        outputs = paragraphs(expected_file.read_text(encoding="utf-8"))
        assert len(inputs) == len(outputs), (
            f"{source.name} has {len(inputs)} cases but {expected_file.name} has {len(outputs)}"
        )


def test_golden_corpus_covers_every_mode_and_script() -> None:
    covered = {(case.mode, case.language.split("_")[0]) for case in GOLDEN_CASES}
    assert {("sentences", "zh"), ("sentences", "en"), ("transcript", "zh")} <= covered
    assert len(GOLDEN_CASES) >= 40


def rewrite_expected_files() -> None:
    """Write every ``.expected`` file from the current segmenter (run this module)."""
    for source in sorted(GOLDEN.glob("*/*.txt")):
        mode, language, max_chars = golden_settings(source)
        blocks = []
        for _, text in paragraphs(source.read_text(encoding="utf-8")):
            segments = segment_golden(text, mode=mode, language=language, max_chars=max_chars)
            blocks.append("\n".join(render(segments)))
        expected_path(source).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        print(f"wrote {expected_path(source).relative_to(GOLDEN)}")


# --- Chinese and Japanese rules ---------------------------------------------------------------

CJK_RULES = [
    # sentence punctuation
    ("full stop", "肿瘤缩小了。疗效持续。", ["肿瘤缩小了。", "疗效持续。"]),
    ("exclamation", "效果很好！继续用药。", ["效果很好！", "继续用药。"]),
    ("question", "会耐药吗？会的。", ["会耐药吗？", "会的。"]),
    ("ascii ! and ?", "真的有效?是的!继续。", ["真的有效?", "是的!", "继续。"]),
    (
        "semicolon splits",
        "一线用拉罗替尼；耐药后用瑞普替尼。",
        ["一线用拉罗替尼；", "耐药后用瑞普替尼。"],
    ),
    ("terminal run splits once", "真的吗？！是的。", ["真的吗？！", "是的。"]),
    ("ascii run splits once", "真的吗?!是的。", ["真的吗?!", "是的。"]),
    ("repeated full stops", "好的。。。我们继续。", ["好的。。。", "我们继续。"]),
    ("halfwidth ideographic stop", "好的｡继续｡", ["好的｡", "继续｡"]),
    # what never splits
    ("comma and colon", "终点：ORR，PFS，OS。", ["终点：ORR，PFS，OS。"]),
    ("decimal", "ORR为89.1%，颅内ORR为96.4%。", ["ORR为89.1%，颅内ORR为96.4%。"]),
    ("small decimal", "发生率约0.7%。", ["发生率约0.7%。"]),
    ("Dr.", "Dr. Wang说瑞普替尼有效。", ["Dr. Wang说瑞普替尼有效。"]),
    ("vs.", "瑞普替尼vs.拉罗替尼：285倍。", ["瑞普替尼vs.拉罗替尼：285倍。"]),
    ("e.g. and No.", "如NGS（e.g. RNA测序），见表No. 3。", ["如NGS（e.g. RNA测序），见表No. 3。"]),
    ("list markers", "步骤：1.检测；2.用药。", ["步骤：1.检测；", "2.用药。"]),
    ("version number", "软件v2.1.3已更新。", ["软件v2.1.3已更新。"]),
    ("url with ?", "见https://x.org/a?b=1。好。", ["见https://x.org/a?b=1。", "好。"]),
    ("url ending the sentence", "见www.example.org/ntrk!好。", ["见www.example.org/ntrk!", "好。"]),
    ("latin run", "TRKA G595R与NTRK1/2/3，Grade 1-2。", ["TRKA G595R与NTRK1/2/3，Grade 1-2。"]),
    ("soft line break", "瑞普替尼\n有效。", ["瑞普替尼\n有效。"]),
    ("blank line", "第一段\n\n第二段。", ["第一段", "第二段。"]),
    # closing quotes, brackets and tags
    ("closing quote", "他说：“肿瘤缩小了。”然后复查。", ["他说：“肿瘤缩小了。”", "然后复查。"]),
    ("several closers", "（见“附录。”）下文。", ["（见“附录。”）", "下文。"]),
    ("closing bracket", "（数据截至2023年。）共153例。", ["（数据截至2023年。）", "共153例。"]),
    ("corner quotes", "他说：「有效。」然后离开。", ["他说：「有效。」", "然后离开。"]),
    ("closer after stray space", "他说：“有效。 ”然后。", ["他说：“有效。 ”", "然后。"]),
    ("opening quote starts next", "有效。“真的吗？”", ["有效。", "“真的吗？”"]),
    ("ascii quote closing", '他说："有效。"然后复查。', ['他说："有效。"', "然后复查。"]),
    ("ascii quote opening", '有效。"真的吗？"他问。', ["有效。", '"真的吗？"', "他问。"]),
    # Parity counts from the sentence start, so a sentence splits alone as it did in its text;
    # a '"' before a closing quote closes (hypothesis found '"。肿瘤。"”' splitting again).
    ("ascii quote before a closer", '"。肿瘤。"”', ['"。', '肿瘤。"”']),
    ("ascii quote before a closer alone", '肿瘤。"”', ['肿瘤。"”']),
    (
        "tags around sentences",
        "<1>拉罗替尼</1>获批。<2>恩曲替尼</2>也获批。",
        ["<1>拉罗替尼</1>获批。", "<2>恩曲替尼</2>也获批。"],
    ),
    ("closing tag stays", "<1>肿瘤缩小。</1>持续缓解。", ["<1>肿瘤缩小。</1>", "持续缓解。"]),
    (
        "self-closing tag stays",
        "详见手册。<2/>本文不构成建议。",
        ["详见手册。<2/>", "本文不构成建议。"],
    ),
    ("tag then quote", "<1>他说“好。”</1>结束。", ["<1>他说“好。”</1>", "结束。"]),
    # ellipsis
    ("ellipsis before new clause", "等了很久……终于获批。", ["等了很久……", "终于获批。"]),
    ("single ellipsis", "等了很久…终于获批。", ["等了很久…", "终于获批。"]),
    ("ellipsis at the end", "我们等了很久……", ["我们等了很久……"]),
    ("ellipsis then 等", "头晕、乏力……等，多为1-2级。", ["头晕、乏力……等，多为1-2级。"]),
    ("ellipsis then comma", "我想……，还是算了。", ["我想……，还是算了。"]),
    ("ellipsis then 的", "这种……的感觉。", ["这种……的感觉。"]),
    ("ellipsis closing a list", "肺癌、肠癌……都可检出。", ["肺癌、肠癌……都可检出。"]),
    ("ellipsis inside a quote", "他说：“我想……还是检测吧。”", ["他说：“我想……还是检测吧。”"]),
    ("ellipsis inside brackets", "多种肿瘤（肺癌……）都可检出。", ["多种肿瘤（肺癌……）都可检出。"]),
    ("ellipsis then closing quote", "“我不知道……”他沉默了。", ["“我不知道……”", "他沉默了。"]),
    ("ellipsis then full stop", "还有很多……。下一个。", ["还有很多……。", "下一个。"]),
    ("midline ellipsis", "等了很久⋯⋯终于获批。", ["等了很久⋯⋯", "终于获批。"]),
    ("ascii dots never split", "然后...我们继续。", ["然后...我们继续。"]),
    # Japanese
    (
        "japanese quotation particle",
        "医師は「縮小した。」と述べた。次へ。",
        ["医師は「縮小した。」と述べた。", "次へ。"],
    ),
    ("japanese full stop", "奏効率は89.1%であった。次へ。", ["奏効率は89.1%であった。", "次へ。"]),
    (
        "a comma after the full stop continues the sentence",
        "详见<1>说明书。</1>，后续再议。下一句。",
        ["详见<1>说明书。</1>，后续再议。", "下一句。"],
    ),
    (
        "a comma after a closing quote continues the sentence",
        "他说“没有检测，就没有靶向治疗。”，这句话很重要。",
        ["他说“没有检测，就没有靶向治疗。”，这句话很重要。"],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in CJK_RULES],
    ids=[case[0] for case in CJK_RULES],
)
def test_chinese_rules(text: str, expected: list[str]) -> None:
    language = "ja" if re.search("[\u3040-\u30ff]", text) else "zh_Hans"
    assert split_sentences(text, language=language) == expected


# --- English, Latin and Korean rules ----------------------------------------------------------

LATIN_RULES = [
    ("en", "full stop", "It worked. It lasted.", ["It worked.", "It lasted."]),
    ("en", "question and exclamation", "Why? Because! Yes.", ["Why?", "Because!", "Yes."]),
    ("en", "run of terminals", "Really?! Yes.", ["Really?!", "Yes."]),
    ("en", "lowercase continues", "It rose to 3. then fell.", ["It rose to 3. then fell."]),
    ("en", "digit starts a sentence", "It worked. 153 patients.", ["It worked.", "153 patients."]),
    ("en", "decimal", "ORR was 89.1% and 3.04 years.", ["ORR was 89.1% and 3.04 years."]),
    ("en", "Dr.", "Dr. Wang agreed. Good.", ["Dr. Wang agreed.", "Good."]),
    (
        "en",
        "Mr. Mrs. Ms. Prof.",
        "Mr. Li, Mrs. Li, Ms. Ho and Prof. Wu.",
        ["Mr. Li, Mrs. Li, Ms. Ho and Prof. Wu."],
    ),
    ("en", "vs.", "24.6 vs. 19.1 months. Next.", ["24.6 vs. 19.1 months.", "Next."]),
    (
        "en",
        "e.g. before a capital",
        "Fusions, e.g. ETV6-NTRK3, respond.",
        ["Fusions, e.g. ETV6-NTRK3, respond."],
    ),
    (
        "en",
        "i.e. before a capital",
        "The CNS, i.e. The brain, responds.",
        ["The CNS, i.e. The brain, responds."],
    ),
    (
        "en",
        "etc. before a capital",
        "Dizziness, ataxia, etc. These resolved.",
        ["Dizziness, ataxia, etc.", "These resolved."],
    ),
    (
        "en",
        "et al.",
        "Drilon et al. Reported it. Then more.",
        ["Drilon et al. Reported it.", "Then more."],
    ),
    ("en", "Fig.", "See Fig. 2. It shows ORR.", ["See Fig. 2.", "It shows ORR."]),
    (
        "en",
        "No. before a number",
        "Trial No. 3 enrolled 55. Good.",
        ["Trial No. 3 enrolled 55.", "Good."],
    ),
    ("en", "No. as a word", "He said No. Then he left.", ["He said No.", "Then he left."]),
    ("en", "approx.", "Approx. 285-fold more potent.", ["Approx. 285-fold more potent."]),
    ("en", "St.", "Treated at St. Jude. Good.", ["Treated at St. Jude.", "Good."]),
    ("en", "U.S.", "The U.S. FDA approved it. Next.", ["The U.S. FDA approved it.", "Next."]),
    (
        "en",
        "Inc. and Ltd.",
        "Made by Bayer Inc. Under licence from Loxo Ltd. Fine.",
        ["Made by Bayer Inc. Under licence from Loxo Ltd. Fine."],
    ),
    ("en", "month", "Approved in Nov. 2018. Next.", ["Approved in Nov. 2018.", "Next."]),
    (
        "en",
        "initials",
        "Led by J. Smith and A. E. Drilon. Next.",
        ["Led by J. Smith and A. E. Drilon.", "Next."],
    ),
    (
        "en",
        "letter after a lowercase word",
        "Given to group B. The rest got none.",
        ["Given to group B.", "The rest got none."],
    ),
    ("en", "list marker at line start", "Steps:\n1. Test\n2. Treat", ["Steps:\n1. Test\n2. Treat"]),
    ("en", "url", "See https://x.org/a.b?c=1. Next.", ["See https://x.org/a.b?c=1.", "Next."]),
    (
        "en",
        "email and file name",
        "Mail a@b.org or see report.pdf. Next.",
        ["Mail a@b.org or see report.pdf.", "Next."],
    ),
    ("en", "closing quote", '"It shrank." Then we scanned.', ['"It shrank."', "Then we scanned."]),
    ("en", "quote then lowercase", '"Why?" she asked. Good.', ['"Why?" she asked.', "Good."]),
    ("en", "opening quote", 'It worked. "Really?" Yes.', ["It worked.", '"Really?"', "Yes."]),
    (
        "en",
        "quote over two sentences",
        '"It shrank. It held." Then it grew.',
        ['"It shrank.', 'It held."', "Then it grew."],
    ),
    (
        "en",
        "bracketed sentence",
        "(Cut-off July 2023.) We report.",
        ["(Cut-off July 2023.)", "We report."],
    ),
    ("en", "opening bracket", "It worked. (See below.)", ["It worked.", "(See below.)"]),
    (
        "en",
        "ellipsis before a capital",
        "It waned... Then it recurred.",
        ["It waned...", "Then it recurred."],
    ),
    (
        "en",
        "ellipsis before lowercase",
        "Metastases... were absent.",
        ["Metastases... were absent."],
    ),
    ("en", "unicode ellipsis", "It waned… Then it recurred.", ["It waned…", "Then it recurred."]),
    ("en", "leading ellipsis", "... And then it worked.", ["... And then it worked."]),
    ("en", "no space after the stop", "It worked.Then it waned.", ["It worked.Then it waned."]),
    ("en", "CJK after the stop", "It worked. 然后复查。", ["It worked.", "然后复查。"]),
    (
        "en",
        "tags",
        "<1>It shrank.</1> <2>Then</2> it held.",
        ["<1>It shrank.</1>", "<2>Then</2> it held."],
    ),
    (
        "en",
        "tag before lowercase",
        "It shrank. <1>then</1> held.",
        ["It shrank. <1>then</1> held."],
    ),
    ("en", "blank line", "First\n\nSecond.", ["First", "Second."]),
    ("en", "soft line break", "It worked\nwell. Next.", ["It worked\nwell.", "Next."]),
    ("en", "Chinese punctuation ignored", "肿瘤缩小。疗效持续。", ["肿瘤缩小。疗效持续。"]),
    ("en_NZ", "regional English", "Dr. Wang agreed. Good.", ["Dr. Wang agreed.", "Good."]),
    (
        "de",
        "German quotes",
        "Er sagte: „Gut.“ Dann ging er.",
        ["Er sagte: „Gut.“", "Dann ging er."],
    ),
    (
        "de",
        "German abbreviations",
        "Das gilt z. B. und bzw. Nr. 3. Gut.",
        ["Das gilt z. B. und bzw. Nr. 3.", "Gut."],
    ),
    (
        "ko",
        "Hangul after a stop",
        "효과가 있었습니다. 다음 연구.",
        ["효과가 있었습니다.", "다음 연구."],
    ),
    (
        "ko",
        "CJK punctuation in Korean",
        "효과가 있었습니다！다음。끝",
        ["효과가 있었습니다！", "다음。", "끝"],
    ),
    ("ko_KR", "Dr. in Korean", "Dr. Wang은 발표했습니다. 끝.", ["Dr. Wang은 발표했습니다.", "끝."]),
]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [(case[0], *case[2:]) for case in LATIN_RULES],
    ids=[f"{case[0]}-{case[1]}" for case in LATIN_RULES],
)
def test_latin_rules(language: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, language=language) == expected


# --- boundaries and languages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("zh", "", []),
        ("zh", "  ", [2]),
        ("zh", "好。", [2]),
        ("zh", "好。 坏。", [3, 5]),
        ("zh", "  好。\n坏", [5, 6]),
        ("zh", "好。”\n  坏。", [6, 8]),
        ("en", "Good. Bad.  ", [6, 12]),
        ("en", "Good.\n\nBad.", [7, 11]),
        ("en", "Dr.\n\nWang.", [5, 10]),
    ],
)
def test_whitespace_between_sentences_belongs_to_the_preceding_one(
    language: str, text: str, expected: list[int]
) -> None:
    assert sentence_boundaries(text, language=language) == expected


@pytest.mark.parametrize(
    ("language", "splits_chinese"),
    [
        ("zh", True),
        ("zh_Hans", True),
        ("zh_Hant", True),
        ("zh_Hant_TW", True),
        ("zh-TW", True),
        ("ZH", True),
        ("ja", True),
        ("ja_JP", True),
        ("en", False),
        ("en_NZ", False),
        ("de", False),
        ("ko", False),
    ],
)
def test_language_code_selects_the_rules(language: str, splits_chinese: bool) -> None:
    text = "Dr. Wang说有效。然后复查。"
    expected = ["Dr. Wang说有效。", "然后复查。"] if splits_chinese else [text]
    if language.startswith("ko"):
        expected = ["Dr. Wang说有效。", "然后复查。"]  # Korean accepts CJK punctuation
    assert split_sentences(text, language=language) == expected


def test_split_sentences_strips_and_drops_empty_pieces() -> None:
    assert split_sentences("  好。  \n\n  \n坏。 ", language="zh") == ["好。", "坏。"]
    assert split_sentences(" \n ", language="en") == []


# --- transcripts ------------------------------------------------------------------------------

TRANSCRIPT_RULES = [
    (
        "pauses between CJK split",
        "大家好我是王医生 今天我们来聊一聊融合基因",
        60,
        ["大家好我是王医生", "今天我们来聊一聊融合基因"],
    ),
    (
        "a space inside a Latin run is not a pause",
        "耐药突变包括TRKA G595R和G667C突变 这是第二段内容",
        60,
        ["耐药突变包括TRKA G595R和G667C突变", "这是第二段内容"],
    ),
    (
        "a space next to Latin is not a pause",
        "我们来看 NTRK 这个基因在哪里",
        60,
        ["我们来看 NTRK 这个基因在哪里"],
    ),
    (
        "line breaks split",
        "第一代药物是拉罗替尼\n第二代药物是瑞普替尼",
        60,
        ["第一代药物是拉罗替尼", "第二代药物是瑞普替尼"],
    ),
    (
        "punctuation present splits",
        "好的。今天讲NTRK融合！大家有问题吗？可以留言",
        60,
        ["好的。今天讲NTRK融合！", "大家有问题吗？可以留言"],
    ),
    (
        "fillers join what follows",
        "嗯 那个 如果你不做检测的话",
        60,
        ["嗯 那个 如果你不做检测的话"],
    ),
    (
        "closing particles join what precedes",
        "基因检测非常重要 对吧 我们接着往下讲",
        60,
        ["基因检测非常重要 对吧", "我们接着往下讲"],
    ),
    (
        "short pieces stay apart when they would pass the cap",
        "这是一段正好十个字的 嗯 这也是一段十个字的话",
        11,
        ["这是一段正好十个字的", "嗯", "这也是一段十个字的话"],
    ),
    (
        "cut after a comma first",
        "对于脑转移患者，我们一般优先考虑能透过血脑屏障的药物",
        20,
        ["对于脑转移患者，", "我们一般优先考虑能透过血脑屏障的药物"],
    ),
    (
        "cut after a particle",
        "这个基因呢其实在很多实体瘤里面都能找到",
        14,
        ["这个基因呢", "其实在很多实体瘤里面都能找到"],
    ),
    (
        "cut before a connective",
        "用了一段时间以后有些患者会出现耐药所以需要换药",
        18,
        ["用了一段时间以后有些患者会出现耐药", "所以需要换药"],
    ),
    (
        "connective inside a word is not a cut",
        "之所以这样是因为它分子量小能透过屏障",
        12,
        ["之所以这样是因为", "它分子量小能透过屏障"],
    ),
    (
        "never inside a number or a mutation",
        "瑞普替尼的抑制活性大约是拉罗替尼的285倍并且对G595R突变也有效",
        16,
        ["瑞普替尼的抑制活性大约是", "拉罗替尼的285倍", "并且对G595R突变也有效"],
    ),
    (
        "a number keeps its unit",
        "抑制活性是拉罗替尼的285倍G595R3.04%患者",
        14,
        ["抑制活性是拉罗替尼的285倍", "G595R3.04%患者"],
    ),
    (
        "a long URL is the only overlong segment",
        "网站是https://www.example.org/ntrk/repotrectinib/phase-2-results.html 欢迎访问",
        20,
        ["网站是", "https://www.example.org/ntrk/repotrectinib/phase-2-results.html", "欢迎访问"],
    ),
    (
        "a short tag pair stays whole",
        "今天我们讲<1>瑞普替尼</1>的疗效",
        12,
        ["今天我们讲", "<1>瑞普替尼</1>", "的疗效"],
    ),
]


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [case[1:] for case in TRANSCRIPT_RULES],
    ids=[case[0] for case in TRANSCRIPT_RULES],
)
def test_transcript_rules(text: str, max_chars: int, expected: list[str]) -> None:
    assert split_transcript(text, language="zh", max_chars=max_chars) == expected


def test_english_transcript_splits_at_line_breaks_and_cuts_at_word_gaps() -> None:
    text = "so today we talk about ntrk fusions\nthey are rare but they are targetable"
    assert split_transcript(text, language="en", max_chars=25) == [
        "so today we talk",
        "about ntrk fusions",
        "they are rare",
        "but they are targetable",
    ]


def test_transcript_collapses_whitespace_inside_a_segment() -> None:
    assert split_transcript("嗯 \n 对\n\n好的呀", language="zh") == ["嗯 对 好的呀"]


def test_transcript_of_nothing_is_empty() -> None:
    assert split_transcript("", language="zh") == []
    assert split_transcript(" \n ", language="zh") == []


def test_transcript_rejects_a_cap_below_one() -> None:
    with pytest.raises(ValueError, match="max_chars must be at least 1, not 0"):
        split_transcript("好", language="zh", max_chars=0)


ASR = (
    "大家好我是王医生 今天我们来聊一聊NTRK融合基因 这个基因呢其实在很多实体瘤里面都能找到"
    " 但是它的发生率非常低"
)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (ASR, "zh", True),
        (ASR.replace(" ", ""), "zh_Hans", True),
        (ASR * 2 + "。", "zh", True),  # one terminator in 122 characters is still raw
        (ASR.replace(" ", "。"), "zh", False),
        ("拉罗替尼获批。" * 10, "zh", False),
        ("大家好我是王医生", "zh", False),  # too short to tell
        (ASR, "ja", True),
        (ASR, "en", False),
        (ASR, "ko", False),
        ("so today we talk about ntrk fusions they are rare but targetable", "en", False),
    ],
)
def test_is_unpunctuated(text: str, language: str, expected: bool) -> None:
    assert is_unpunctuated(text, language=language) is expected


def test_is_unpunctuated_counts_one_terminator_per_80_characters() -> None:
    clause = "瑞普替尼能够更好地透过血脑屏障" * 6  # 90 CJK characters
    assert is_unpunctuated(clause + "。", language="zh")
    assert not is_unpunctuated(clause + "。" + "好的。", language="zh")


# --- properties -------------------------------------------------------------------------------

SENTENCE_TOKENS = [
    *("肿瘤", "缩小", "拉罗替尼", "的", "患者", "然后", "呢", "等", "、", "，", "：", "嗯"),
    *("。", "！", "？", "!", "?", "；", "……", "…", "。。。", "？！"),
    *("“", "”", "「", "」", "（", "）", "(", ")", "'", '"', "’"),
    *("<1>", "</1>", "<2/>", "<12>", "</12>"),
    *("3.04%", "89.1", "0.7", "285倍", "1-2级", "TRKA G595R", "NTRK1/2/3", "G667C"),
    *("Dr.", "vs.", "e.g.", "No. 3", "J.", "etc.", "The", "tumour", "shrank", ".", "...", "1."),
    *(" ", "  ", "\n", "\n\n", "https://x.org/a?b=1.", "a@b.org"),
    *("효과", "다음", "„", "“"),
]
sentence_texts = st.one_of(
    st.lists(st.sampled_from(SENTENCE_TOKENS), max_size=40).map("".join),
    st.text(max_size=60),
)
languages = st.sampled_from(["zh", "zh_Hant", "ja", "en", "en_NZ", "ko", "de"])


def pieces_of(text: str, boundaries: list[int]) -> list[str]:
    return [text[a:b] for a, b in zip([0, *boundaries], boundaries, strict=False)]


@settings(max_examples=400)
@given(text=sentence_texts, language=languages)
def test_boundaries_cover_the_text_exactly(text: str, language: str) -> None:
    boundaries = sentence_boundaries(text, language=language)
    assert "".join(pieces_of(text, boundaries)) == text
    assert all(a < b for a, b in zip([0, *boundaries], boundaries, strict=False))
    assert boundaries[-1:] == ([len(text)] if text else [])


@settings(max_examples=400)
@given(text=sentence_texts, language=languages)
def test_no_split_inside_a_tag_or_a_decimal(text: str, language: str) -> None:
    boundaries = sentence_boundaries(text, language=language)
    for pattern in (TAG, DECIMAL):
        for match in pattern.finditer(text):
            inside = [b for b in boundaries if match.start() < b < match.end()]
            assert not inside, f"split inside {match.group()!r} at {inside}"


@settings(max_examples=400)
@given(text=sentence_texts, language=languages)
def test_no_sentence_starts_with_a_closing_quote_or_tag(text: str, language: str) -> None:
    boundaries = sentence_boundaries(text, language=language)
    for start, boundary in zip([0, *boundaries], boundaries[:-1], strict=False):
        assert text[boundary] not in UNAMBIGUOUS_CLOSERS, (text, boundary)
        assert not re.match(r"</\d+>", text[boundary:]), (text, boundary)
        # Nor right after the punctuation that a closer (of any kind) follows; an ASCII '"'
        # there may open the next sentence's quote (text follows it), but not close one
        # opened earlier in the same sentence.
        if text[boundary - 1] in TERMINALS:
            assert text[boundary] not in "”’」』）)】》'", (text, boundary)
            if text[boundary] == '"':
                assert text.count('"', start, boundary) % 2 == 0, (text, boundary)
                assert text[boundary + 1 : boundary + 2].strip(), (text, boundary)


@settings(max_examples=300)
@given(text=sentence_texts, language=languages)
def test_split_sentences_loses_only_whitespace(text: str, language: str) -> None:
    sentences = split_sentences(text, language=language)
    assert all(sentence and sentence == sentence.strip() for sentence in sentences)
    assert "".join("".join(sentences).split()) == "".join(text.split())


@settings(max_examples=200)
@given(text=st.lists(st.sampled_from(SENTENCE_TOKENS), max_size=40).map("".join))
def test_chinese_sentences_split_no_further(text: str) -> None:
    for sentence in split_sentences(text, language="zh"):
        assert split_sentences(sentence, language="zh") == [sentence]


# Latin tokens are always followed by a CJK character so that no run of them forms a token
# longer than the smallest cap drawn below.
TRANSCRIPT_TOKENS = [
    *("大家", "好", "我是王医生", "今天", "我们", "来聊一聊", "融合基因", "这个", "基因"),
    *("呢", "吧", "啊", "嗯", "对", "然后", "所以", "但是", "因为", "如果", "就是", "其实"),
    *("在很多实体瘤里面都能找到", "颅内客观缓解率", "血脑屏障", "三期临床试验"),
    *("TRKA G595R的", "G667C突变", "3.04%的", "89.1%是", "285倍", "NTRK1/2/3基因"),
    *("，", "、", "。", "！", "？", "……", "“", "”", "（", "）", "<1>", "</1>", "<2/>"),
    *(" ", " ", " ", "  ", "\n", "\n\n"),
]
transcript_texts = st.lists(st.sampled_from(TRANSCRIPT_TOKENS), max_size=80).map("".join)


@settings(max_examples=400)
@given(
    text=st.one_of(transcript_texts, st.text(max_size=120)),
    language=languages,
    max_chars=st.integers(min_value=1, max_value=80),
)
def test_transcript_loses_only_whitespace(text: str, language: str, max_chars: int) -> None:
    segments = split_transcript(text, language=language, max_chars=max_chars)
    assert all(segment and segment == segment.strip() for segment in segments)
    assert all("\n" not in segment for segment in segments)
    assert "".join("".join(segments).split()) == "".join(text.split())


@settings(max_examples=400)
@given(
    text=transcript_texts,
    language=st.sampled_from(["zh", "zh_Hant", "ja"]),
    max_chars=st.integers(min_value=14, max_value=80),
)
def test_transcript_segments_respect_the_cap(text: str, language: str, max_chars: int) -> None:
    for segment in split_transcript(text, language=language, max_chars=max_chars):
        assert len(segment) <= max_chars, segment


@settings(max_examples=200)
@given(text=transcript_texts, max_chars=st.integers(min_value=14, max_value=80))
def test_transcript_never_cuts_inside_a_latin_token(text: str, max_chars: int) -> None:
    segments = split_transcript(text, language="zh", max_chars=max_chars)
    # Where each segment starts in the text, counted in non-space characters.
    visible = [index for index, char in enumerate(text) if not char.isspace()]
    cut = 0
    for segment in segments[:-1]:
        cut += len("".join(segment.split()))
        before, after = visible[cut - 1], visible[cut]
        touching = after == before + 1
        assert not (
            touching
            and LATIN_TOKEN_CHAR.match(text[before])
            and LATIN_TOKEN_CHAR.match(text[after])
        ), (text, segment)


# --- documentation and speed ------------------------------------------------------------------


if __name__ == "__main__":
    rewrite_expected_files()
    sys.exit(0)
