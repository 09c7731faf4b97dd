"""Hints: the `#.` lines that tell a translator which glossary terms a segment contains."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.glossary import Glossary, Term, hint_line, load_glossary, parse_glossary

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])


def test_hints_for_a_real_sentence_in_order_of_appearance(glossary: Glossary) -> None:
    sentence = (
        "第二代TRK抑制剂瑞普替尼可透过血脑屏障，对携带Ｇ５９５Ｒ溶剂前沿突变的患者，"
        "颅内客观缓解率达到90.8%，不良事件多为1-2级。"
    )
    assert glossary.hints(sentence, "en") == [
        "glossary: 第二代TRK抑制剂 = second-generation TRK inhibitor "
        "(never: second generation TRK inhibitor)",
        "glossary: 瑞普替尼 = repotrectinib",
        "glossary: 血脑屏障 = blood-brain barrier (also: blood–brain barrier, BBB)",
        "glossary: G595R (keep verbatim) — TRKA solvent-front mutation",
        "glossary: 溶剂前沿突变 = solvent-front mutation "
        "(also: solvent front mutation; never: solvent leading edge mutation)",
        "glossary: 颅内客观缓解率 = intracranial objective response rate (also: intracranial ORR)",
        "glossary: 不良事件 = adverse event (never: side effect)",
    ]


def test_each_term_is_hinted_once(glossary: Glossary) -> None:
    assert glossary.hints("不良事件和不良事件", "en") == [
        "glossary: 不良事件 = adverse event (never: side effect)"
    ]


def test_a_variant_is_hinted_as_written_in_the_glossary(glossary: Glossary) -> None:
    assert glossary.hints("泛瘤种", "en") == [
        "glossary: 泛瘤种 = tumour-agnostic (also: tissue-agnostic; "
        "never: tumor-agnostic, cancer-type unlimited)"
    ]


def test_proposed_terms_are_hinted_as_proposals(glossary: Glossary) -> None:
    assert glossary.hints("新一代TRK抑制剂", "en") == [
        "glossary: 新一代TRK抑制剂 = next-generation TRK inhibitor (proposed) — "
        "awaiting medical review; some authors mean second-generation"
    ]


def test_hints_are_one_line_even_for_multiline_notes() -> None:
    term = Term(
        id="x", source="实体瘤", target={"en": "solid tumour"}, note="first line\n  second line"
    )
    assert hint_line(term, "en") == "glossary: 实体瘤 = solid tumour — first line second line"


def test_a_locale_without_a_rendering_says_so() -> None:
    term = Term(id="x", source="实体瘤", target={"en": "solid tumour"})
    assert hint_line(term, "fr") == "glossary: 实体瘤 (no approved fr rendering yet)"


def test_every_hint_of_the_shipped_glossary_is_one_line(glossary: Glossary) -> None:
    for term in glossary.terms:
        for form in term.forms:
            line = hint_line(term, "en", form=form)
            assert "\n" not in line and line.startswith(f"glossary: {form}")


def test_changing_a_target_changes_its_hint_and_the_version() -> None:
    before = parse_glossary(
        "terms:\n  - source: 不良事件\n    target: {en: adverse event}\n",
        path="g",
        source_locale="zh_Hans",
        target_locales=["en"],
    )
    after = parse_glossary(
        "terms:\n  - source: 不良事件\n    target: {en: adverse experience}\n",
        path="g",
        source_locale="zh_Hans",
        target_locales=["en"],
    )
    assert before.hints("不良事件", "en") == ["glossary: 不良事件 = adverse event"]
    assert after.hints("不良事件", "en") == ["glossary: 不良事件 = adverse experience"]
    assert before.version != after.version
