"""markup, untranslated, negation, punctuation, length and repeated-words on real sentences."""

from __future__ import annotations

import pytest

from pipeline.checks import CheckContext, check_entry

ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")


def messages(check: str, source: str, translation: str, ctx: CheckContext = ZH_EN) -> list[str]:
    return [f.message for f in check_entry(source, translation, ctx, only=[check])]


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("<1>NTRK融合基因</1>是一类致癌驱动基因。", "<1>NTRK fusion genes</1> are drivers.", []),
        # Reordering independent placeholders is what word order needs.
        ("见<1>表1</1>和<2/>。", "See <2/> and <1>Table 1</1>.", []),
        ("中性粒细胞<1.5×10⁹/L", "neutrophils <1.5 × 10⁹/L", []),  # "<1" is not a tag
        (
            "例如<1>TRKA G595R</1>。",
            "such as TRKA G595R.",
            ["placeholder <1>…</1> is missing"],
        ),
        ("详见<2/>。", "See below.", ["placeholder <2/> is missing"]),
        (
            "详见<2/>。",
            "See <2/> and <2/>.",
            ["placeholder <2/> appears 2 times, 1 in the source"],
        ),
        (
            "详见<2/>。",
            "See <3/>.",
            ["placeholder <2/> is missing", "placeholder <3/> is not in the source"],
        ),
        (
            "详见<2/>。",
            "See < 2/>.",
            [
                'malformed placeholder "< 2/>"; write it exactly as in the source',
                "placeholder <2/> is missing",
            ],
        ),
        (
            "<1>粗体<2>链接</2></1>",
            "<1>bold</1><2>link</2>",
            ["<2>…</2> must stay inside <1>…</1>"],
        ),
        (
            "<1>粗体</1><2>链接</2>",
            "<1>bold <2>link</1></2>",
            ["<1>…</1> and <2>…</2> cross; close the inner pair first"],
        ),
        ("<1>粗体</1>", "</1>bold<1>", ["</1> comes before <1>"]),
        ("<1>粗体</1>", "<1>bold", ["placeholder </1> is missing"]),
        ("<1>粗体</1>", "<1/>bold", ["placeholder <1/> should be <1>…</1>"]),
        (
            "<1>粗体</1>",
            "<1>bold</1> <1>again</1>",
            ["placeholder <1>…</1> appears 2 times, 1 in the source"],
        ),
        (
            "见<1>表</1>",
            "see &lt;1&gt;table</1>",
            [
                'malformed placeholder "&lt;1&gt;"; write it exactly as in the source',
                "placeholder <1> is missing",
            ],
        ),
        # Literal text that looks like a tag is text: "<0>" and "<01>" are not tags, and a
        # literal "<1>" of the source reaches the catalog escaped as "<\1>".
        ("检测值<0>为阴性。", "A value below zero is negative.", []),
        ("检测值<0>为阴性。", "A value <0> is negative.", []),
        ("见<01>与<1>表</1>", "see <1>table</1> and <01>", []),
        ("原文<\\1>与<2/>", "the text <2/> and 1", []),
        ("原文<\\1>与<2/>", "the text <\\1> and <2/>", []),
        (
            "见<2/>。",
            "See <0> and <2/>.",
            ['malformed placeholder "<0>"; write it exactly as in the source'],
        ),
    ],
)
def test_markup(source: str, translation: str, expected: list[str]) -> None:
    assert messages("markup", source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("对于晚期实体瘤患者，应尽早进行基因检测。", "Test early for advanced solid tumours.", []),
        ("NTRK", "NTRK", []),  # nothing to translate
        ("TRKA G595R", "TRKA G595R", []),
        ("约60%", "about 60%", []),
        ("百分之八十九点一", "89.1%", []),  # digits alone are a translation
        (
            "对于晚期实体瘤患者，应尽早进行基因检测。",
            "对于晚期实体瘤患者，应尽早进行基因检测。",
            ["translation is a copy of the source"],
        ),
        ("对于晚期实体瘤患者，应尽早进行基因检测。", "  ", ["translation is empty"]),
        ("<1>完全缓解</1>", "<1></1>", ["translation is empty"]),
        (
            "对于晚期实体瘤患者，应尽早进行基因检测。",
            "Patients with advanced 实体瘤 should be tested early.",
            ["translation keeps untranslated text: 实体瘤"],
        ),
    ],
)
def test_untranslated(source: str, translation: str, expected: list[str]) -> None:
    assert messages("untranslated", source, translation) == expected


def test_an_empty_translation_gets_one_message_not_one_per_check() -> None:
    findings = check_entry("只有3.04%的患者因不良事件永久停药。", " ", ZH_EN)
    assert [(f.check, f.message) for f in findings] == [("untranslated", "translation is empty")]


def test_chinese_text_is_fine_in_a_chinese_target() -> None:
    ctx = CheckContext(source_locale="zh_Hans", target_locale="zh_Hant")
    assert messages("untranslated", "实体瘤患者", "實體瘤患者", ctx) == []


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("请勿自行停药！", "Do not stop the medicine yourself!", []),
        ("没有检测，就没有靶向治疗。", "Without testing, there is no targeted therapy.", []),
        ("未经TRK抑制剂治疗的患者", "TRK inhibitor-naive patients", []),
        ("慎用于肝功能不全的患者。", "Use with caution in hepatic impairment.", []),
        ("该药禁用于妊娠期妇女。", "The drug is contraindicated in pregnancy.", []),
        ("无进展生存期为12个月。", "Progression-free survival was 12 months.", []),
        ("不良事件多为1-2级。", "Adverse events were mostly Grade 1-2.", []),  # 不良 = adverse
        ("两种药物不同。", "The two drugs differ.", []),  # 不同 = different
        ("是否需要检测？", "Is testing needed?", []),  # 是否 = whether
        ("非常有效。", "Very effective.", []),  # 非常 = very
        ("非小细胞肺癌", "non-small cell lung cancer", []),
        # A typographic apostrophe is still a negation.
        ("请不要自行停药。", "Please don’t stop the medicine on your own.", []),
        ("该药物不能治愈癌症。", "The drug can’t cure cancer.", []),
        # "un-" words and "free" render a negation but are none by themselves.
        ("NTRK融合在成人实体瘤中很罕见。", "NTRK fusions are uncommon in adult solid tumours.", []),
        ("该检测在部分医院可免费进行。", "The test is free of charge in some hospitals.", []),
        ("部分医院可以免费进行基因检测。", "Some hospitals offer genetic testing at no cost.", []),
        ("尚未接受治疗的患者", "untreated patients", []),
        ("不到5%的患者停药。", "Fewer than 5% of patients stopped treatment.", []),  # a qualifier
        ("剂量不超过每平方米100毫克。", "The dose must stay within 100 mg/m².", []),
        (
            "新药弥补了前代药物的不足。",
            "The new drug improves on earlier drugs.",
            ["source negates (不), translation does not; check the meaning"],
        ),
        ("应尽早检测，以免错过治疗机会。", "Test early so as not to miss treatment.", []),
        # 不少 is "many", but 不少见 "not rare": a double negation that a translation keeps.
        ("不少患者出现头晕。", "Many patients had dizziness.", []),
        ("这种情况并不少见。", "This situation is not uncommon.", []),
        (
            "这种情况并不少见。",
            "This situation is rare.",
            ["source negates (不), translation does not; check the meaning"],
        ),
        (
            "请不要自行停药。",
            "Please stop the medicine on your own.",
            ["source negates (不), translation does not; check the meaning"],
        ),
        (
            "该药物能治愈这种癌症。",
            "The drug can’t cure this cancer.",
            ['translation negates ("can’t"), source does not; check the meaning'],
        ),
        (
            "请勿自行停药！",
            "Stop the medicine yourself!",
            ["source negates (勿), translation does not; check the meaning"],
        ),
        (
            "未发现耐药突变。",
            "Resistance mutations were found.",
            ["source negates (未), translation does not; check the meaning"],
        ),
        (
            "建议尽早检测。",
            "Testing is not recommended early.",
            ['translation negates ("not"), source does not; check the meaning'],
        ),
    ],
)
def test_negation(source: str, translation: str, expected: list[str]) -> None:
    assert messages("negation", source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("应尽早检测。", "Test early.", []),
        ("王医生提醒：“没有检测，就没有靶向治疗。”", "Dr Wang: “No testing, no therapy.”", []),
        ("什么是NTRK融合基因？", "What is an NTRK fusion gene?", []),
        ("关键临床数据", "Key clinical data", []),  # a heading
        ("例如<1>TRKA G595R</1>。", "for example <1>TRKA G595R</1>.", []),
        (
            "应尽早检测。",
            "Test early，",
            [
                "full-width punctuation in the translation: ，",
                "source ends with 。, translation has no end punctuation",
            ],
        ),
        (
            "第二代抑制剂（II期研究）",
            "Second-generation inhibitor (Phase 2 study",
            ["unbalanced () in the translation"],
        ),
        ("应尽早检测。", "Test early", ["source ends with 。, translation has no end punctuation"]),
        (
            "什么是NTRK融合基因？",
            "This is an NTRK fusion gene.",
            ["source is a question, translation ends with ."],
        ),
    ],
)
def test_punctuation(source: str, translation: str, expected: list[str]) -> None:
    assert messages("punctuation", source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        (
            "NTRK融合在常见实体瘤中的发生率很低，总体约为0.3%。",
            "NTRK fusions are rare in common solid tumours, about 0.3% overall.",
            [],
        ),
        ("关键临床数据", "Key data", []),  # too short to judge
        (
            "在一项II期研究中，未经TRK抑制剂治疗的患者客观缓解率达到89.1%，疾病控制率为96.4%。",
            "ORR 89.1%.",
            [
                "translation is 0.10x the length expected for this language pair "
                "(expected 0.85-2.6x); is text missing?"
            ],
        ),
        (  # the last clause ("which drives tumour growth") is left out
            "当NTRK基因与其他基因发生融合时，TRK激酶会持续激活，从而驱动肿瘤生长。",
            "When an NTRK gene fuses with another gene, the TRK kinase is activated.",
            [
                "translation is 0.78x the length expected for this language pair "
                "(expected 0.85-2.6x); is text missing?"
            ],
        ),
        (  # numbers and symbols count once on each side, so a terse correct line passes
            "患者每天服药两次，每次一粒胶囊。",
            "Patients take one capsule twice a day.",
            [],
        ),
    ],
)
def test_length(source: str, translation: str, expected: list[str]) -> None:
    assert messages("length", source, translation) == expected


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("大多数不良事件为1-2级，只有3.04%的患者停药。", []),
        (
            "大多数为1-2级。",
            [
                "translation is 0.23x the length expected for this language pair "
                "(expected 0.38-1.2x); is text missing?"
            ],
        ),
    ],
)
def test_length_from_english_into_chinese(translation: str, expected: list[str]) -> None:
    source = "Most adverse events were grade 1-2; only 3.04% of patients stopped treatment."
    en_zh = CheckContext(source_locale="en", target_locale="zh_Hans")
    assert messages("length", source, translation, en_zh) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("应尽早进行基因检测。", "Genetic testing should be done early.", []),
        (
            "应尽早进行基因检测。",
            "Genetic testing should be be done early.",
            ['repeated word "be be"'],
        ),
        (
            "应尽早进行基因检测。",
            "Genetic testing should be done The the early.",
            ['repeated word "The the"'],
        ),
        ("ALK ALK融合", "ALK ALK fusion", []),  # as in the source
        ("应尽早检测", "bathe the patient", []),  # not a word repeated
    ],
)
def test_repeated_words(source: str, translation: str, expected: list[str]) -> None:
    assert messages("repeated-words", source, translation) == expected
