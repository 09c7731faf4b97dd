"""One number reader, three callers: the ``numbers`` check, MT verification and the TM note.

Each row of the shared table is a real source sentence, a translation (a reviser's text, an
MT draft or a TM unit's translation), and the numbers by value that the source has and the
translation lacks, and those the translation adds. The three callers must agree with the table
and therefore with each other: an MT draft gets a hint, and a TM suggestion a "numbers differ"
note, exactly when ``pipeline check`` would report the same translation's numbers.
"""

from __future__ import annotations

import pytest

from pipeline.checks import CheckContext, check_entry
from pipeline.mt.protect import protect, verify
from pipeline.tm import TranslationMemory, Unit
from pipeline.tokens.numbers import compare_numbers

ZH, EN = "zh_Hans", "en"

SHARED_TABLE = [
    # source, translation, missing from the translation, added by it
    ("共纳入1.2万例患者。", "A total of 12,000 patients were enrolled.", (), ()),
    (
        "共纳入1.2万例患者，客观缓解率为98.1%。",
        "1.2 patients were enrolled; the ORR was 98.1%.",
        ("12000 (1.2万)",),
        ("1.2",),
    ),
    ("颅内客观缓解率为90.8%。", "The intracranial response rate was 90.8%.", (), ()),
    ("大多数不良事件为1-2级。", "Most adverse events were grade 1-2.", (), ()),
    ("客观缓解率为百分之八十九点一。", "The objective response rate was 89.1%.", (), ()),
    ("三期临床试验纳入了55例患者。", "The phase 3 trial enrolled 55 patients.", (), ()),
    ("III期临床试验纳入了55例患者。", "The Phase 3 trial enrolled 55 patients.", (), ()),
    # House style: trial phases in Arabic figures, in checks, MT verification and the TM.
    (
        "III期临床试验纳入了55例患者。",
        "The Phase III trial enrolled 55 patients.",
        ("3 (III)",),
        (),
    ),
    ("中性粒细胞计数<1.5×10⁹/L。", "Neutrophil count < 1.5 × 10^9/L.", (), ()),
    ("共１,２００例。", "1200 patients in total.", (), ()),
    ("携带G595R突变的患者共12例。", "Twelve patients carried the G595R mutation.", (), ()),
    ("九成患者有效。", "90% of patients responded.", (), ()),
    ("有效率为89.1%。", "The response rate was 98.1%.", ("89.1",), ("98.1",)),
    (
        "抑制活性可达拉罗替尼的285倍。",
        "Its activity is up to 258-fold that of larotrectinib.",
        ("285",),
        ("258",),
    ),
    ("两种药物均有效。", "All three drugs were effective.", ("2 (两)",), ("3 (three)",)),
    ("九成患者有效。", "9% of patients responded.", ("90 (九成)",), ("9",)),
    ("仅3.04%的患者停药。", "Only 3.4% of patients discontinued.", ("3.04",), ("3.4",)),
]


def _expected_hint(missing: tuple[str, ...], added: tuple[str, ...]) -> str | None:
    parts = []
    if missing:
        parts.append("missing: " + ", ".join(f"number {shown}" for shown in missing))
    if added:
        parts.append("added: " + ", ".join(f"number {shown}" for shown in added))
    return "mt " + "; ".join(parts) if parts else None


@pytest.mark.parametrize(("source", "translation", "missing", "added"), SHARED_TABLE)
def test_the_numbers_check_reads_the_table(
    source: str, translation: str, missing: tuple[str, ...], added: tuple[str, ...]
) -> None:
    ctx = CheckContext(source_locale=ZH, target_locale=EN)
    messages = [f.message for f in check_entry(source, translation, ctx, only=["numbers"])]
    expected = compare_numbers(source, translation, ZH, EN)
    assert messages == ([expected] if expected else [])
    if missing or added:
        assert expected is not None
        for shown in (*missing, *added):
            assert shown in expected
    else:
        assert expected is None


@pytest.mark.parametrize(("source", "translation", "missing", "added"), SHARED_TABLE)
def test_mt_verification_reads_the_table(
    source: str, translation: str, missing: tuple[str, ...], added: tuple[str, ...]
) -> None:
    draft = verify(protect(source, glossary=None, locale=EN, source_locale=ZH), translation)
    assert draft.hint == _expected_hint(missing, added)


@pytest.mark.parametrize(("source", "translation", "missing", "added"), SHARED_TABLE)
def test_the_tm_note_reads_the_table(
    source: str, translation: str, missing: tuple[str, ...], added: tuple[str, ...]
) -> None:
    with TranslationMemory(":memory:") as memory:
        # A unit for a slightly different source, whose translation is the table's.
        memory.add(
            [
                Unit(
                    source="另外，" + source,
                    target=translation,
                    source_locale=ZH,
                    target_locale=EN,
                    status="approved",
                    origin="a",
                )
            ]
        )
        match = memory.best(source, source_locale=ZH, target_locale=EN, min_score=50)
    assert match is not None and match.score < 100
    assert (match.new_numbers, match.old_numbers) == (missing, added)
    if missing or added:
        assert (
            f"numbers differ: {', '.join(added) or 'none'} -> {', '.join(missing) or 'none'}"
            in (match.comment)
        )
    else:
        assert "numbers differ" not in match.comment


def test_a_correct_mt_draft_of_wan_gets_no_hint() -> None:
    # The old MT verification read "1.2万" as the string "1.2" and flagged the right draft.
    prepared = protect("共纳入1.2万例患者。", glossary=None, locale=EN)
    assert verify(prepared, "A total of 12,000 patients were enrolled.").hint is None


def test_a_wrong_mt_draft_gets_the_hint_pipeline_check_would_give() -> None:
    # The old verification found "1.2" and "98.1" in the draft and said nothing.
    prepared = protect("共纳入1.2万例患者，客观缓解率为98.1%。", glossary=None, locale=EN)
    draft = verify(prepared, "1.2 patients were enrolled; the ORR was 98.1%.")
    assert draft.hint == "mt missing: number 12000 (1.2万); added: number 1.2"


def test_the_tm_note_compares_the_suggested_translation_by_value() -> None:
    # The old note compared the two sources as strings: "1.2" against "12000", a false alarm
    # on a translation that already says 12,000.
    with TranslationMemory(":memory:") as memory:
        memory.add(
            [
                Unit(
                    source="本研究共纳入1.2万例患者。",
                    target="The study enrolled 12,000 patients.",
                    source_locale=ZH,
                    target_locale=EN,
                    status="approved",
                    origin="a",
                )
            ]
        )
        match = memory.best("本研究共纳入12000例患者。", source_locale=ZH, target_locale=EN)
    assert match is not None
    assert match.comment == f"tm {match.score}% a"


@pytest.mark.parametrize(
    ("source", "translation", "hint"),
    [
        (
            "客观缓解率为89.1%。",
            "The objective response rate was 89.1.",
            "mt missing: percent sign of 89.1%",
        ),
        (
            "客观缓解率达到了百分之八十九点一。",
            "The objective response rate reached 89.1.",
            "mt missing: percent sign of 百分之八十九点一",
        ),
        ("客观缓解率为89.1%。", "The objective response rate was 89.1 per cent.", None),
    ],
)
def test_a_lost_percent_sign_gets_a_hint_when_the_check_reports_it(
    source: str, translation: str, hint: str | None
) -> None:
    # The old verification compared digits only: "89.1 patients" for "89.1%" passed.
    ctx = CheckContext(source_locale=ZH, target_locale=EN)
    reported = [f.message for f in check_entry(source, translation, ctx, only=["numbers"])]
    draft = verify(protect(source, glossary=None, locale=EN), translation)
    assert draft.hint == hint
    assert bool(reported) == (hint is not None)
