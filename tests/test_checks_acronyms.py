"""The ``acronyms`` check on real zh->en sentences: an acronym of the source is kept or spelled
out; a dropped or swapped one is a warning; identifiers, glossary terms and Roman numerals are
other checks' business."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import CHECKS, CheckContext, check_entry
from pipeline.checks.acronyms import spelled_out
from pipeline.glossary import load_glossary
from pipeline.tokens.text import acronyms

REPO = Path(__file__).resolve().parent.parent
ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")


def messages(source: str, translation: str, ctx: CheckContext = ZH_EN) -> list[str]:
    return [f.message for f in check_entry(source, translation, ctx, only=["acronyms"])]


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        (
            "检测方法包括DNA测序和RNA测序。",
            "Testing methods include DNA sequencing.",
            [
                "source has RNA, the translation neither keeps it nor spells it out "
                "(R… N… A…); is it missing or changed?"
            ],
        ),
        (
            "建议每3个月复查一次CT。",
            "A follow-up MRI scan every 3 months is recommended.",
            [
                "source has CT, the translation neither keeps it nor spells it out "
                "(C… T…); is it missing or changed?"
            ],
        ),
        (
            "ALK阳性的患者不适合该药。",
            "The drug is not suitable for ROS1-positive patients.",
            [
                "source has ALK, the translation neither keeps it nor spells it out "
                "(A… L… K…); is it missing or changed?"
            ],
        ),
        # Kept, in any case or as a plural; or spelled out, linking words allowed.
        ("建议每3个月复查一次CT。", "A follow-up CT scan every 3 months is recommended.", []),
        ("两次CT检查之间间隔3个月。", "The two CTs were 3 months apart.", []),
        ("建议每3个月复查一次CT。", "A computed tomography scan every three months.", []),
        ("该药获得FDA批准。", "The US Food and Drug Administration approved the drug.", []),
        ("中位PFS为24个月。", "Median progression-free survival was 24 months.", []),
        ("检测mRNA表达。", "mRNA expression is measured.", []),
        # Roman numerals are numbers; identifiers with digits are the dnt check's.
        ("这是一项III期研究。", "This is a phase 3 study.", []),
        ("PD-L1表达与NTRK1融合无关。", "PD-L1 expression is unrelated to NTRK fusion.", []),
    ],
)
def test_acronyms(source: str, translation: str, expected: list[str]) -> None:
    assert messages(source, translation) == expected


def test_an_acronym_inside_a_glossary_term_is_left_to_the_glossary_check() -> None:
    glossary = load_glossary(
        REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"]
    )
    ctx = CheckContext(source_locale="zh_Hans", target_locale="en", glossary=glossary)
    source = "此外还有xDFG突变。"
    translation = "There are also DFG-motif mutations."
    assert messages(source, translation, ctx) == []
    assert [f.check for f in check_entry(source, translation, ctx)] == ["glossary"]


def test_only_a_cjk_source_into_a_latin_target_is_checked() -> None:
    en_de = CheckContext(source_locale="en", target_locale="de")
    assert messages("Follow-up CT every 3 months.", "Nachsorge alle 3 Monate.", en_de) == []
    zh_ja = CheckContext(source_locale="zh_Hans", target_locale="ja")
    assert messages("建议每3个月复查一次CT。", "3か月ごとにMRI検査。", zh_ja) == []


def test_the_reader_and_the_spelling_rule() -> None:
    assert acronyms("检测方法包括DNA、mRNA和xDFG，CT随访，III期，IV级，PD-L1，NTRK1") == (
        "DNA",
        "mRNA",
        "xDFG",
        "CT",
    )
    assert spelled_out("ORR", "the objective response rate was 89.1%")
    assert spelled_out("FDA", "the Food and Drug Administration")
    assert not spelled_out("FDA", "the food administration")
    assert not spelled_out("CT", "a computed scan")  # the letters must follow each other


def test_acronyms_is_a_waivable_warning_in_the_list() -> None:
    check = CHECKS["acronyms"]
    assert (check.severity, check.kind, check.waiver) == ("warning", "text", "ignore-acronyms")
    [finding] = check_entry(
        "检测方法包括DNA测序和RNA测序。",
        "Testing methods include DNA sequencing.",
        ZH_EN,
        waivers={"acronyms": "RNA testing was withdrawn from this edition"},
        only=["acronyms"],
    )
    assert finding.waived and finding.severity == "warning"
