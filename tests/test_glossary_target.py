"""Target-side matching: approved renderings in translations, with the tolerance editors expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.glossary import Glossary, Term, load_glossary
from pipeline.glossary.matcher import compile_rendering

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])


def by_source(glossary: Glossary, source: str) -> Term:
    return next(term for term in glossary.terms if term.source == source)


@pytest.mark.parametrize(
    ("source", "translation", "found"),
    [
        ("不良事件", "Most adverse events were grade 1-2.", ["adverse events"]),
        ("不良事件", "Adverse events were mild.", ["Adverse events"]),
        ("总生存期", "Overall Survival", ["Overall Survival"]),
        ("脑转移", "patients with brain metastases", ["brain metastases"]),
        ("靶向治疗", "two targeted therapies", ["targeted therapies"]),
        ("实体瘤", "solid tumours of any site", ["solid tumours"]),
        ("血脑屏障", "crosses the blood-brain barrier", ["blood-brain barrier"]),
        ("血脑屏障", "crosses the blood\u2011brain barrier", ["blood\u2011brain barrier"]),
        ("血脑屏障", "crosses the blood–brain barrier (BBB)", ["blood–brain barrier", "BBB"]),
        ("血脑屏障", "crosses the blood brain barrier", []),  # not allowed by the glossary
        ("溶剂前沿突变", "a solvent front mutation", ["solvent front mutation"]),  # allowed
        ("客观缓解率", "the objective\nresponse  rate", ["objective\nresponse  rate"]),
        ("客观缓解率", "ORR was 89%", ["ORR"]),
        ("客观缓解率", "orr was 89%", []),  # lower-case abbreviation is not the rendering
        ("三期临床试验", "a Phase 3 trial", ["Phase 3 trial"]),
        ("三期临床试验", "a phase 3 trial", []),  # the glossary capitalises Phase
        ("G595R", "TRKA G595R mutation", ["G595R"]),
        ("G595R", "TRKA g595r mutation", []),  # dnt: verbatim only
        ("TRK", "TRKC and TRKs", []),  # word boundaries
        ("不良事件", "adverse eventing", []),
        ("瑞普替尼", "Repotrectinib, a next-generation inhibitor", ["Repotrectinib"]),
    ],
)
def test_target_matches_tolerate_what_editors_do(
    glossary: Glossary, source: str, translation: str, found: list[str]
) -> None:
    term = by_source(glossary, source)
    assert [match.text for match in glossary.target_matches(translation, term, "en")] == found


def test_target_matches_report_kind_rendering_and_positions(glossary: Glossary) -> None:
    term = by_source(glossary, "血脑屏障")
    translation = "The BBB, or Blood-brain barrier"
    matches = glossary.target_matches(translation, term, "en")
    assert [(m.start, m.end, m.kind, m.rendering) for m in matches] == [
        (4, 7, "allowed", "BBB"),
        (12, 31, "target", "blood-brain barrier"),
    ]


def test_forbidden_renderings_are_found_with_the_same_tolerance(glossary: Glossary) -> None:
    term = by_source(glossary, "不良事件")
    forbidden = glossary.forbidden_matches("Side effects were rare.", term, "en")
    assert [(m.text, m.kind) for m in forbidden] == [("Side effects", "forbidden")]


def test_a_longer_forbidden_rendering_hides_an_allowed_one_inside_it(glossary: Glossary) -> None:
    term = by_source(glossary, "NTRK融合基因")
    translation = "an NTRK gene fusion protein"
    assert glossary.target_matches(translation, term, "en") == []
    assert [m.text for m in glossary.forbidden_matches(translation, term, "en")] == [
        "NTRK gene fusion protein"
    ]


def test_a_forbidden_rendering_inside_an_approved_one_is_not_reported() -> None:
    term = Term(
        id="x",
        source="NTRK融合基因",
        target={"en": "NTRK fusion gene"},
        forbidden={"en": ("fusion gene",)},
    )
    glossary = Glossary([term])
    assert glossary.forbidden_matches("the NTRK fusion gene", term, "en") == []
    assert [m.text for m in glossary.forbidden_matches("a fusion gene", term, "en")] == [
        "fusion gene"
    ]


def test_spelling_is_enforced_through_forbidden_renderings(glossary: Glossary) -> None:
    term = by_source(glossary, "随机对照试验")
    text = "two randomized controlled trials"
    assert glossary.target_matches(text, term, "en") == []
    assert [m.text for m in glossary.forbidden_matches(text, term, "en")] == [
        "randomized controlled trials"
    ]


def test_plural_tolerance_is_english_only() -> None:
    english = compile_rendering("tumeur solide", language="en")
    french = compile_rendering("tumeur solide", language="fr")
    assert english.search("tumeur solides")
    assert not french.search("tumeur solides")
    assert french.search("Tumeur solide")


def test_regional_locale_falls_back_to_the_language() -> None:
    term = Term(id="x", source="实体瘤", target={"en": "solid tumour"})
    assert [m.text for m in Glossary([term]).target_matches("solid tumours", term, "en_GB")] == [
        "solid tumours"
    ]
