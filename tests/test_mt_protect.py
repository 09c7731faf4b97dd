"""Glossary protection before MT and verification after it."""

from __future__ import annotations

import pytest

from pipeline.glossary import parse_glossary
from pipeline.mt.protect import missing_hint, protect, verify

GLOSSARY = parse_glossary(
    "terms:\n"
    "  - source: NTRK融合基因\n"
    "    variants: [NTRK基因融合]\n"
    "    target: {en: NTRK fusion gene}\n"
    "  - source: G595R\n"
    "    dnt: true\n"
    "  - source: 血脑屏障\n"
    "    target: {en: blood-brain barrier}\n"
    "    allowed: {en: [BBB]}\n"
    "  - source: 拉罗替尼\n"
    "    target: {en: larotrectinib}\n"
    "    status: proposed\n",
    path="glossary.yaml",
    source_locale="zh_Hans",
    target_locales=["en"],
)


def test_terms_become_their_approved_rendering_and_dnt_stays_verbatim() -> None:
    prepared = protect("携带NTRK基因融合的患者出现Ｇ５９５Ｒ突变。", glossary=GLOSSARY, locale="en")
    assert prepared.text == "携带NTRK fusion gene的患者出现G595R突变。"
    assert [(e.kind, e.text) for e in prepared.expected] == [
        ("term", "NTRK fusion gene"), ("dnt", "G595R")]


def test_proposed_terms_are_not_imposed() -> None:
    prepared = protect("拉罗替尼有效。", glossary=GLOSSARY, locale="en")
    assert prepared.text == "拉罗替尼有效。"
    assert prepared.expected == ()


@pytest.mark.parametrize(
    ("output", "missing"),
    [
        ("Patients with NTRK fusion genes developed G595R; <1>ORR</1> was 89.1%.", None),
        ("NTRK Fusion Gene, G595R, <1>ORR</1> 89.1 %", None),
        ("Patients developed G595R; <1>ORR</1> was 89.1%.", "mt missing: term “NTRK fusion gene”"),
        ("NTRK fusion gene, g595r, <1>ORR</1> 89.1%", "mt missing: dnt “G595R”"),
        ("NTRK fusion gene, G595R, <1>ORR</1> 89%", "mt missing: number 89.1; added: number 89"),
        ("NTRK fusion gene, G595R, ORR</1> 89.1%", "mt missing: markup <1>"),
        ("", "mt missing: term “NTRK fusion gene”, dnt “G595R”, number 89.1, markup <1>, "
             "markup </1>"),
    ],
)
def test_what_did_not_survive_is_named(output: str, missing: str | None) -> None:
    prepared = protect("携带NTRK融合基因的患者出现G595R突变，<1>缓解率</1>为89.1%。",
                       glossary=GLOSSARY, locale="en")
    assert verify(prepared, output, glossary=GLOSSARY).hint == missing


def test_allowed_renderings_count_as_present() -> None:
    prepared = protect("药物可穿过血脑屏障。", glossary=GLOSSARY, locale="en")
    assert verify(prepared, "The drug crosses the BBB.", glossary=GLOSSARY).missing == ()


def test_placeholder_mode_restores_tokens_the_model_copied() -> None:
    prepared = protect("携带NTRK融合基因和血脑屏障。", glossary=GLOSSARY, locale="en",
                       mode="placeholder")
    assert prepared.text == "携带TERM1和TERM2。"
    draft = verify(prepared, "With Term 1 and TERM2.", glossary=GLOSSARY)
    assert draft.text == "With NTRK fusion gene and blood-brain barrier."
    assert draft.missing == ()
    assert verify(prepared, "With TERM1.", glossary=GLOSSARY).hint == (
        "mt missing: term “blood-brain barrier”")


def test_numbers_inside_terms_and_tags_are_not_counted_twice() -> None:
    prepared = protect("<2/>G595R突变。", glossary=GLOSSARY, locale="en")
    assert [(e.kind, e.text) for e in prepared.expected] == [("dnt", "G595R"), ("markup", "<2/>")]


def test_without_a_glossary_numbers_and_markup_are_still_checked() -> None:
    prepared = protect("共<1>55</1>例。", glossary=None, locale="en")
    assert verify(prepared, "55 patients.").hint == "mt missing: markup <1>, markup </1>"
    assert missing_hint([]) is None
