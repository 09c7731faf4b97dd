"""The numbers check: real zh->en medical sentences, true positives and false-positive traps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from pipeline.checks import CheckContext, check_entry
from pipeline.tokens.numbers import (
    agree_plainly,
    compare_numbers,
    extract_numbers,
    parse_chinese_numeral,
    read_differences,
)


def values(text: str, locale: str = "zh_Hans", *, required_only: bool = False) -> list[str]:
    return [
        str(number.value.normalize())
        if number.value != number.value.to_integral()
        else str(int(number.value))
        for number in extract_numbers(text, locale)
        if number.required or not required_only
    ]


def numbers_messages(source: str, translation: str, locale: str = "en") -> list[str]:
    ctx = CheckContext(source_locale="zh_Hans", target_locale=locale)
    return [f.message for f in check_entry(source, translation, ctx, only=["numbers"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("客观缓解率为89.1%", ["89.1"]),
        ("只有３．０４％的患者永久停药", ["3.04"]),
        ("大多数不良事件为1-2级", ["1", "2"]),
        ("1～2级", ["1", "2"]),
        ("抑制活性可达拉罗替尼的285倍", ["285"]),
        ("三期临床试验", ["3"]),
        ("两种药物", ["2"]),
        ("百分之八十九点一", ["89.1"]),
        ("1.2万例患者", ["12000"]),
        ("三千万", ["30000000"]),
        ("二〇二三年", ["2023"]),
        ("共1,200例", ["1200"]),
        ("第二代TRK抑制剂", ["2"]),
        ("III期研究", ["3"]),
        ("Ⅱ期研究", ["2"]),
        ("I/II期研究", ["1", "2"]),
        ("九成患者", ["90"]),
        ("中性粒细胞<1.5×10⁹/L", ["1.5", "1000000000"]),
        ("P<.05", ["0.05"]),
        ("十二例", ["12"]),
    ],
)
def test_source_numbers_are_read_by_value(text: str, expected: list[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grade 1-2", ["1", "2"]),
        # House style: trial phases in Arabic figures; a Roman phase is no number.
        ("a Phase III trial", []),
        ("Phase I/II study", []),
        ("Phase 1/2 study", ["1", "2"]),
        ("Grade III", ["3"]),
        ("Stage IV", ["4"]),
        ("285-fold", ["285"]),
        ("285x", ["285"]),
        ("12,000 patients", ["12000"]),
        ("1.2 million people", ["1200000"]),
        ("neutrophils <1.5 × 10^9/L", ["1.5", "1000000000"]),
    ],
)
def test_english_numbers_are_read_by_value(text: str, expected: list[str]) -> None:
    assert values(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("89,1 %", "de", ["89.1"]),
        ("1.200 Patienten", "de", ["1200"]),
        ("12\u202f000 patients", "fr", ["12000"]),
        ("89,1 %", "fr", ["89.1"]),
        ("٨٩٫١٪", "ar", ["89.1"]),
    ],
)
def test_target_locale_formats_come_from_babel(text: str, locale: str, expected: list[str]) -> None:
    assert values(text, locale) == expected


@pytest.mark.parametrize(
    "text",
    [
        "一些患者",  # some patients
        "治疗一段时间后",  # after a period of treatment
        "进一步研究",  # further study
        "结果不一致",  # inconsistent
        "十二指肠",  # duodenum
        "新一代TRK抑制剂",  # next-generation
        "二代测序",  # next-generation sequencing
        "TRKA G595R突变",  # a mutation, not 595
        "NTRK1、NTRK2和NTRK3",  # genes, not 1, 2, 3
        "ETV6-NTRK3融合",
        "PD-L1表达",
        "1. 拉罗替尼的获批适应证",  # a list number
        "一、背景",
        "（2）降低剂量",
        "<1>完全缓解</1>",  # placeholder numbers
        "几十例患者",  # dozens: an approximation
    ],
)
def test_words_identifiers_and_list_numbers_are_not_numbers(text: str) -> None:
    assert values(text, required_only=True) == []


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("有效率为89.1%。", "The response rate was 89.1%."),
        ("只有３．０４％的患者永久停药。", "Only 3.04% of patients stopped permanently."),
        ("大多数不良事件为1-2级。", "Most adverse events were Grade 1-2."),
        ("大多数不良事件为1～2级。", "Most adverse events were Grade 1–2."),
        ("抑制活性可达285倍。", "Up to 285-fold as active."),
        ("抑制活性可达285倍。", "Up to 285 times as active."),
        ("抑制活性可达285倍。", "Up to 285x as active."),
        ("三期临床试验正在进行。", "A Phase 3 trial is under way."),
        ("三期临床试验正在进行。", "A phase 3 trial is under way."),
        ("两种药物均有效。", "Both drugs are effective."),
        ("两种药物均有效。", "Two drugs are effective."),
        ("百分之八十九点一的患者缓解。", "89.1% of patients responded."),
        ("1.2万例患者入组。", "12,000 patients were enrolled."),
        ("约120万人受益。", "About 1.2 million people benefited."),
        ("三个基因发生融合。", "Three genes were fused."),
        ("第二代TRK抑制剂", "Second-generation TRK inhibitors"),
        ("第二代TRK抑制剂", "2nd-generation TRK inhibitors"),
        ("一线治疗失败后可考虑二线治疗。", "Second-line treatment after first-line failure."),
        ("2023年，共有1,200例患者入组。", "In 2023, a total of 1,200 patients were enrolled."),
        ("2023年5月，FDA批准了该药物。", "In May 2023, the FDA approved the drug."),
        ("1. 拉罗替尼的获批适应证", "Approved indications of larotrectinib"),
        ("1. 拉罗替尼的获批适应证", "1. Approved indications of larotrectinib"),
        ("对TRKA G595R突变有效。", "Active against the TRKA G595R mutation."),
        ("每日两次口服100 mg。", "100 mg orally twice daily."),
        ("九成患者在2周内起效。", "90% of patients responded within 2 weeks."),
        ("三分之一的患者出现头晕。", "A third of patients had dizziness."),
        ("七八个基因", "seven or eight genes"),
        ("一项II期研究", "a Phase 2 study"),
        ("二〇二三年", "in 2023"),
        ("客观缓解率为57%–79%", "objective response rate of 57-79%"),
        ("中性粒细胞<1.5×10⁹/L时暂停用药。", "Interrupt if neutrophils are <1.5 × 10^9/L."),
        ("剂量为100 mg/m2。", "The dose is 100 mg/m²."),
        ("近十年来发展迅速。", "It has developed rapidly over the past ten years."),
        ("<1>表1</1>", "<1>Table 1</1>"),
    ],
)
def test_correct_translations_pass(source: str, translation: str) -> None:
    assert numbers_messages(source, translation) == []


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        (
            "有效率为89.1%。",
            "The response rate was 98.1%.",
            "source has 89.1, translation has 98.1",
        ),
        (
            "大多数不良事件为1-2级。",
            "Most adverse events were Grade 1.",
            "source has 2, missing from the translation",
        ),
        (
            "抑制活性可达285倍。",
            "Up to 258-fold as active.",
            "source has 285, translation has 258",
        ),
        (
            "三期临床试验正在进行。",
            "A Phase 2 trial is under way.",
            "source has 3 (三), translation has 2",
        ),
        (
            "三期临床试验正在进行。",
            "A Phase III trial is under way.",
            "source has 3 (三), missing from the translation; the house style writes trial "
            "phases in Arabic figures (Phase 3, Phase 1/2)",
        ),
        ("三个基因", "two genes", "source has 3 (三), translation has 2 (two)"),
        (
            "百分之八十九点一的患者缓解。",
            "98.1% of patients responded.",
            "source has 89.1 (百分之八十九点一), translation has 98.1",
        ),
        (
            "1.2万例患者入组。",
            "1,200 patients were enrolled.",
            "source has 12000 (1.2万), translation has 1200 (1,200)",
        ),
        (
            "第二代TRK抑制剂",
            "first-generation TRK inhibitors",
            "source has 2 (二), translation has 1 (first)",
        ),
        ("2023年", "in 2022", "source has 2023, translation has 2022"),
        (
            "只有3.04%的患者永久停药。",
            "Only 3.04% of the 120 patients stopped.",
            "translation has 120, not in the source",
        ),
        ("III期研究", "a Phase 2 study", "source has 3 (III), translation has 2"),
    ],
)
def test_wrong_numbers_are_reported(source: str, translation: str, message: str) -> None:
    assert numbers_messages(source, translation) == [message]


def test_a_number_in_the_source_format_gets_a_hint_for_the_target_locale() -> None:
    assert numbers_messages("有效率为3.04%。", "Die Rate betrug 3.04 %.", "de") == [
        "source has 3.04, translation has 3, 4 (04); de writes 3.04 as 3,04"
    ]
    assert numbers_messages("有效率为89.1%。", "Die Rate betrug 89,1 %.", "de") == []


def test_glossary_dnt_tokens_with_digits_are_not_numbers() -> None:
    assert (
        compare_numbers("TRIDENT-1研究", "the TRIDENT-1 study", "zh_Hans", "en", protected=())
        is None
    )
    # A changed protected token is the dnt check's business, not a number error.
    assert compare_numbers("LOXO-195", "LOXO-159", "zh_Hans", "en", protected=("LOXO-195",)) is None


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("三", 3),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两千", 2000),
        ("三亿五千万", 350000000),
    ],
)
def test_chinese_numerals_are_parsed(numeral: str, value: int) -> None:
    assert parse_chinese_numeral(numeral) == Decimal(value)


# The fast path (agree_plainly) must never hide a mismatch that the full reading finds. Most
# generated pairs are ones where it answers: the same plain numbers written into a Chinese
# source and an English translation, in any order, among identifiers and markup it must skip;
# the rest change one number of the translation, or add a fragment the fast path must leave
# to the full reading (a Chinese or Roman numeral, a power, a scale word, a number word).
_PLAIN_VALUES = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False).map(lambda d: f"{d:f}"),
    st.integers(min_value=1000, max_value=10**7).map(lambda n: f"{n:,}"),
)
_ZH_WRITINGS = ["{}%", "{}例", "{}倍", "{}岁", "第{}天", "{}-{}级"]
_EN_WRITINGS = ["{}%", "{} patients", "{}-fold", "aged {}", "day {}", "grade {}-{}"]
_SKIPPED_ZH = ["G595R突变", "NTRK1融合", "<1>患者</1>", "LOXO-195", "患者"]
_SKIPPED_EN = ["G595R mutation", "NTRK1 fusion", "<1>patients</1>", "LOXO-195", "patients"]
_NOT_PLAIN_ZH = ["三期", "1.2万例", "两种", "III期", "1.5×10⁹/L", "九成"]
_NOT_PLAIN_EN = ["phase III", "1.2 million", "10^9/L", "three genes"]


@st.composite
def _number_pairs(draw: st.DrawFn) -> tuple[str, str, str]:
    items = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=len(_ZH_WRITINGS) - 1),
                _PLAIN_VALUES,
                _PLAIN_VALUES,
            ),
            min_size=1,
            max_size=4,
        )
    )
    source_parts = [_ZH_WRITINGS[kind].format(a, b) for kind, a, b in items]
    target_parts = [_EN_WRITINGS[kind].format(a, b) for kind, a, b in items]
    source_parts += draw(st.lists(st.sampled_from(_SKIPPED_ZH), max_size=2))
    target_parts += draw(st.lists(st.sampled_from(_SKIPPED_EN), max_size=2))
    target_parts = draw(st.permutations(target_parts))
    change = draw(st.sampled_from(["none"] * 7 + ["number", "source-word", "target-word"]))
    if change == "number":
        position = draw(st.integers(min_value=0, max_value=len(target_parts) - 1))
        target_parts[position] += f" {draw(_PLAIN_VALUES)}"
    elif change == "source-word":
        source_parts.append(draw(st.sampled_from(_NOT_PLAIN_ZH)))
    elif change == "target-word":
        target_parts.append(draw(st.sampled_from(_NOT_PLAIN_EN)))
    # A clause before the numbers: a number at the very start would be a list number.
    return (
        "研究显示，" + "，".join(source_parts) + "。",
        "Results: " + ", ".join(target_parts) + ".",
        change,
    )


@settings(max_examples=300, deadline=None)
@given(_number_pairs())
def test_the_fast_path_never_hides_a_mismatch(pair: tuple[str, str, str]) -> None:
    source, translation, change = pair
    answered = agree_plainly(source, translation, "zh_Hans", "en")
    event(f"fast path answers: {answered}")
    if change == "none":
        # The same plain numbers on both sides: the fast path must answer, and rightly.
        assert answered
    if answered:
        assert read_differences(source, translation, "zh_Hans", "en").agrees


# Glossary terms that hold digits but no quantity (a trial name, a kit) are blanked in both
# texts; the fast path reads them as the full comparison does, with the same protected terms.
_PROTECTED = ["TRIDENT-1", "LOXO-195", "二代测序", "1期"]


@settings(max_examples=200, deadline=None)
@given(_number_pairs(), st.lists(st.sampled_from(_PROTECTED), max_size=2, unique=True))
def test_the_fast_path_with_protected_terms_never_hides_a_mismatch(
    pair: tuple[str, str, str], protected: list[str]
) -> None:
    source, translation, _ = pair
    source = source.replace("研究显示", "研究显示" + "、".join(protected))
    translation = translation.replace("Results", "Results " + " ".join(protected))
    answered = agree_plainly(source, translation, "zh_Hans", "en", protected=protected)
    if answered:
        assert read_differences(
            source, translation, "zh_Hans", "en", protected=protected
        ).agrees


def test_the_fast_path_reads_what_the_full_comparison_reads() -> None:
    # 1期 is protected (a glossary term rendered without its number): the 1 is no quantity
    # in either reading, so the plain tokens agree and the pair needs no full reading.
    source, translation = "共纳入1期患者120例。", "In total, 120 early-phase patients."
    assert agree_plainly(source, translation, "zh_Hans", "en", protected=["1期"])
    assert not agree_plainly(source, translation, "zh_Hans", "en")
    assert read_differences(source, translation, "zh_Hans", "en", protected=["1期"]).agrees


@pytest.mark.parametrize(
    ("source", "translation", "message"),
    [
        (
            "客观缓解率为89.1%。",
            "The objective response rate was 89.1.",
            "source has the percentage 89.1%, translation has no percent sign or word",
        ),
        (
            "仅有３．０４％的患者因不良事件停药。",
            "Only 3.04 patients discontinued because of adverse events.",
            "source has the percentage ３．０４％, translation has no percent sign or word",
        ),
        (
            "客观缓解率达到了百分之八十九点一。",
            "The objective response rate reached 89.1.",
            "source has the percentage 百分之八十九点一, translation has no percent sign or word",
        ),
    ],
)
def test_a_dropped_percent_sign_is_reported(source: str, translation: str, message: str) -> None:
    assert numbers_messages(source, translation) == [message]


@pytest.mark.parametrize(
    ("source", "translation", "locale"),
    [
        ("客观缓解率为89.1%。", "The objective response rate was 89.1%.", "en"),
        ("客观缓解率为89.1%。", "The objective response rate was 89.1 per cent.", "en"),
        ("客观缓解率为89.1%。", "The objective response rate was 89.1 percent.", "en"),
        ("10%-20%的患者出现头晕。", "Dizziness occurred in 10-20% of patients.", "en"),
        ("客观缓解率为89.1%。", "Die objektive Ansprechrate betrug 89,1 Prozent.", "de"),
    ],
)
def test_a_percentage_written_another_way_passes(
    source: str, translation: str, locale: str
) -> None:
    assert numbers_messages(source, translation, locale) == []
