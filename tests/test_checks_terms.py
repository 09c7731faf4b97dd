"""The glossary, forbidden and dnt checks, with a small glossary read through the real loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import CheckContext, check_entry
from pipeline.glossary import Glossary, load_glossary

GLOSSARY = """\
source_locale: zh_Hans
terms:
  - source: 不良事件
    target: {en: adverse event}
    forbidden: {en: [side effect]}
  - source: 不良反应
    target: {en: adverse reaction}
    forbidden: {en: [side effect]}
  - source: 实体瘤
    target: {en: solid tumour}
    forbidden: {en: [solid tumor]}
  - source: 客观缓解率
    target: {en: objective response rate}
    allowed: {en: [ORR]}
    forbidden: {en: [objective remission rate]}
  - source: 血脑屏障
    target: {en: blood-brain barrier}
  - source: 塞利替尼
    target: {en: selitrectinib}
  - source: 色瑞替尼
    target: {en: ceritinib}
    forbidden: {en: [selitrectinib]}
  - source: 二代测序
    target: {en: next-generation sequencing}
  - source: 新一代TRK抑制剂
    target: {en: next-generation TRK inhibitor}
    status: proposed
  - source: TRK
    dnt: true
  - source: TRKA
    variants: [TrkA]
    dnt: true
  - source: G595R
    dnt: true
  - source: NTRK1
    dnt: true
  - source: TRIDENT-1
    dnt: true
"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    path: Path = tmp_path_factory.mktemp("glossary") / "glossary.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    return load_glossary(path, source_locale="zh_Hans", target_locales=["en"])


def messages(glossary: Glossary, check: str, source: str, translation: str) -> list[str]:
    ctx = CheckContext(source_locale="zh_Hans", target_locale="en", glossary=glossary)
    return [f.message for f in check_entry(source, translation, ctx, only=[check])]


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("大多数不良事件为1-2级。", "Most adverse events were Grade 1-2.", []),
        ("大多数不良事件为1-2级。", "Adverse events were mostly Grade 1-2.", []),
        ("客观缓解率为79%。", "The ORR was 79%.", []),
        ("药物可穿透血脑屏障。", "The drug crosses the blood-brain barrier.", []),
        ("新一代TRK抑制剂", "new TRK inhibitors", []),  # proposed terms are not enforced
        (
            "大多数不良事件为1-2级。",
            "Most adverse reactions were Grade 1-2.",
            ['source has 不良事件, translation lacks "adverse event"'],
        ),
        (
            "客观缓解率为79%。",
            "The response rate was 79%.",
            ['source has 客观缓解率, translation lacks "objective response rate" (or "ORR")'],
        ),
        (
            "药物可穿透血脑屏障。",
            "The drug crosses the blood brain barrier.",
            ['source has 血脑屏障, translation lacks "blood-brain barrier"'],
        ),
    ],
)
def test_glossary_terms_need_their_approved_rendering(
    glossary: Glossary, source: str, translation: str, expected: list[str]
) -> None:
    assert messages(glossary, "glossary", source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        # Two terms forbid "side effect": the message names the one in the source.
        (
            "常见的不良反应包括头晕。",
            "Common side effects include dizziness.",
            ['translation uses "side effects", forbidden for 不良反应; use "adverse reaction"'],
        ),
        (
            "常见的不良事件包括头晕。",
            "Common side effects include dizziness.",
            ['translation uses "side effects", forbidden for 不良事件; use "adverse event"'],
        ),
    ],
)
def test_forbidden_names_the_source_term_when_two_terms_forbid_a_rendering(
    glossary: Glossary, source: str, translation: str, expected: list[str]
) -> None:
    assert messages(glossary, "forbidden", source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("大多数不良事件为1-2级。", "Most adverse events were Grade 1-2.", []),
        (
            "大多数不良事件为1-2级。",
            "Most side effects were Grade 1-2.",
            ['translation uses "side effects", forbidden for 不良事件; use "adverse event"'],
        ),
        (
            "NTRK融合在实体瘤中罕见。",
            "NTRK fusions are rare in solid tumors.",
            ['translation uses "solid tumors", forbidden for 实体瘤; use "solid tumour"'],
        ),
        # Forbidden wherever it appears, even when the source lacks the term.
        (
            "患者耐受良好。",
            "Patients had few side effects.",
            ['translation uses "side effects", forbidden for 不良事件; use "adverse event"'],
        ),
        # Another term's approved rendering: fine for that term ...
        ("塞利替尼有效。", "Selitrectinib is effective.", []),
        # ... but not as a translation of the term that forbids it.
        (
            "色瑞替尼有效。",
            "Selitrectinib is effective.",
            ['translation uses "Selitrectinib", forbidden for 色瑞替尼; use "ceritinib"'],
        ),
    ],
)
def test_forbidden_renderings_are_reported(
    glossary: Glossary, source: str, translation: str, expected: list[str]
) -> None:
    assert messages(glossary, "forbidden", source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("对TRKA G595R突变有效。", "Active against the TRKA G595R mutation.", []),
        ("对TRKA G595R突变有效。", "Active against the TrkA G595R mutation.", []),  # a variant
        ("TRIDENT-1研究", "the TRIDENT-1 study", []),
        ("NTRK1融合", "NTRK1 fusions", []),
        ("TRK抑制剂", "TRK inhibitors", []),
        (
            "对TRKA G595R突变有效。",
            "Active against the TRKA G959R mutation.",
            ["source has G595R, translation has G959R; keep it verbatim"],
        ),
        (
            "NTRK1融合",
            "NTRK fusions",
            ["source has NTRK1, translation has NTRK; keep it verbatim"],
        ),
        (
            "NTRK1融合",
            "fusions",
            ["source has NTRK1, missing from the translation; keep it verbatim"],
        ),
        # A dnt token inside a longer word is not the token: NTRK12 is not NTRK1.
        (
            "NTRK1融合",
            "NTRK12 fusions",
            ["source has NTRK1, translation has NTRK12; keep it verbatim"],
        ),
        # ... and TRK is not found inside TRKA in the source, so nothing is required of it.
        ("TRKA蛋白", "the TRKA protein", []),
        # Identifiers the glossary does not list are protected too.
        (
            "TRKA G667C突变",
            "the TRKA G676C mutation",
            ["source has G667C, translation has G676C; keep it verbatim"],
        ),
        (
            "NCT02576431研究",
            "the NCT02576413 study",
            ["source has NCT02576431, translation has NCT02576413; keep it verbatim"],
        ),
        ("剂量为100 mg/m2。", "The dose is 100 mg/m².", []),  # a unit, not an identifier
        ("D1给药", "given on day 1", []),
    ],
)
def test_dnt_tokens_must_stay_verbatim(
    glossary: Glossary, source: str, translation: str, expected: list[str]
) -> None:
    assert messages(glossary, "dnt", source, translation) == expected


def test_glossary_checks_are_silent_without_a_glossary() -> None:
    ctx = CheckContext(source_locale="zh_Hans", target_locale="en")
    findings = check_entry("大多数不良事件为1-2级。", "Most side effects were Grade 1-2.", ctx)
    assert findings == []


def test_glossary_renderings_that_drop_a_numeral_are_not_number_errors(glossary: Glossary) -> None:
    ctx = CheckContext(source_locale="zh_Hans", target_locale="en", glossary=glossary)
    source = "二代测序可检测NTRK1融合。"
    translation = "Next-generation sequencing detects NTRK1 fusions."
    assert check_entry(source, translation, ctx) == []


def test_each_glossary_gets_its_own_forbidden_index_even_when_an_old_one_is_freed() -> None:
    # A long-running process (a library user, a server) reloads the glossary after an edit:
    # the old glossary is freed and the new one may get its address. Keyed by id(), the new
    # glossary's forbidden renderings were looked up in the old one's index and missed.
    import gc

    from pipeline.glossary.model import parse_glossary

    template = (
        "source_locale: zh_Hans\nterms:\n  - source: 不良事件\n    target: {en: adverse event}\n"
        "    forbidden: {en: [%s]}\n"
    )
    missed = []
    for attempt in range(80):
        word = ("side effect", "bad thing")[attempt % 2]
        glossary_ = parse_glossary(
            template % word, path="glossary.yaml", source_locale="zh_Hans", target_locales=["en"]
        )
        ctx = CheckContext(source_locale="zh_Hans", target_locale="en", glossary=glossary_)
        found = check_entry("患者耐受良好。", f"Patients had a {word}.", ctx, only=["forbidden"])
        if [f.message for f in found] != [
            f'translation uses "{word}", forbidden for 不良事件; use "adverse event"'
        ]:
            missed.append(attempt)
        del glossary_, ctx, found
        gc.collect()
    assert missed == []
