"""Source-side matching: leftmost-longest, word boundaries for Latin, folding, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.glossary import Glossary, Term, load_glossary, parse_glossary
from pipeline.glossary.matcher import SourceMatcher
from pipeline.glossary.normalize import TextFolder, is_word_char, lower_same_length

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])


def spans(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    """(text as written, glossary form) for every match."""
    return [(match.text, match.form) for match in glossary.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # longest match first, nothing inside a longer term
        ("颅内客观缓解率为90.8%", [("颅内客观缓解率", "颅内客观缓解率")]),
        ("客观缓解率为89.1%", [("客观缓解率", "客观缓解率")]),
        ("治疗相关不良事件多为1-2级", [("治疗相关不良事件", "治疗相关不良事件")]),
        (
            "第二代TRK抑制剂瑞普替尼",
            [("第二代TRK抑制剂", "第二代TRK抑制剂"), ("瑞普替尼", "瑞普替尼")],
        ),
        ("NTRK融合基因阳性", [("NTRK融合基因", "NTRK融合基因")]),
        ("ETV6::NTRK3融合", [("ETV6::NTRK3", "ETV6::NTRK3")]),
        # Latin symbols only at word boundaries; CJK neighbours are boundaries
        ("TRKC和NTRK1", [("TRKC", "TRKC"), ("NTRK1", "NTRK1")]),
        ("TRKs", []),
        ("靶向TRK的药物", [("TRK", "TRK")]),
        ("(TRK)抑制", [("TRK", "TRK")]),
        ("NTRK12", []),
        ("TRKA-G595R", [("TRKA", "TRKA"), ("G595R", "G595R")]),
        ("III期临床试验", [("III期临床试验", "III期临床试验")]),
        ("Ⅲ期临床试验", [("Ⅲ期临床试验", "Ⅲ期临床试验")]),
        # variants
        ("NTRK基因融合", [("NTRK基因融合", "NTRK基因融合")]),
        ("泛瘤种适应证", [("泛瘤种", "泛瘤种"), ("适应证", "适应证")]),
        # full-width and Traditional spellings, reported as written
        ("TRKA Ｇ５９５Ｒ突变", [("TRKA", "TRKA"), ("Ｇ５９５Ｒ", "G595R")]),
        ("透過血腦屏障", [("血腦屏障", "血脑屏障")]),
        ("腦脊液", [("腦脊液", "脑脊液")]),
        # case: dnt symbols are case-sensitive; other terms are not
        ("trka", []),
        ("TrkA", [("TrkA", "TrkA")]),
        ("trk抑制剂", [("trk抑制剂", "TRK抑制剂")]),
    ],
)
def test_shipped_glossary_matches(shipped: Glossary, text: str, expected: list) -> None:
    assert spans(shipped, text) == expected


def test_offsets_index_the_original_text(shipped: Glossary) -> None:
    text = "患者携带ＮＴＲＫ１融合，Ｇ５９５Ｒ，血腦屏障"
    for match in shipped.find(text):
        assert text[match.start : match.end] == match.text
    assert [match.text for match in shipped.find(text)] == ["ＮＴＲＫ１", "Ｇ５９５Ｒ", "血腦屏障"]


def term(source: str, **fields: object) -> Term:
    return Term(id=source, source=source, **fields)  # type: ignore[arg-type]


def test_traditional_folding_is_off_unless_asked() -> None:
    text = "terms:\n  - source: 血脑屏障\n    target: {en: blood-brain barrier}\n"
    plain = parse_glossary(text, path="g", source_locale="zh_Hans", target_locales=["en"])
    folding = parse_glossary(
        "match_traditional: true\n" + text, path="g", source_locale="zh_Hans", target_locales=["en"]
    )
    assert plain.find("血腦屏障") == []
    assert [match.text for match in folding.find("血腦屏障")] == ["血腦屏障"]


def test_case_sensitivity_is_configurable_per_term() -> None:
    matcher = SourceMatcher(
        [
            term("ALK", dnt=True),
            term("Ki-67", dnt=True, case_sensitive=False),
            term("PD-L1", case_sensitive=True, target={"en": "PD-L1"}),
        ]
    )
    found = [(m.text, m.term.id) for m in matcher.find("alk ALK KI-67 ki-67 pd-l1 PD-L1")]
    assert found == [("ALK", "ALK"), ("KI-67", "Ki-67"), ("ki-67", "Ki-67"), ("PD-L1", "PD-L1")]


def test_a_rejected_longer_form_lets_a_shorter_one_match() -> None:
    # "NTRK1" cannot match in "NTRK1a" (no boundary after it) but "NTRK" cannot either;
    # "融合" after a Latin form that fails its boundary is still found.
    matcher = SourceMatcher(
        [
            term("NTRK", dnt=True),
            term("NTRK1融合", target={"en": "x"}),
            term("融合", target={"en": "fusion"}),
        ]
    )
    assert [(m.text, m.term.id) for m in matcher.find("ANTRK1融合")] == [("融合", "融合")]


def test_deprecated_terms_are_not_matched_and_proposed_ones_are() -> None:
    matcher = SourceMatcher(
        [term("泛瘤种", status="deprecated"), term("新一代TRK抑制剂", status="proposed")]
    )
    assert [m.term.id for m in matcher.find("泛瘤种和新一代TRK抑制剂")] == ["新一代TRK抑制剂"]


def test_matching_is_not_confused_by_overlapping_terms() -> None:
    matcher = SourceMatcher([term("血脑"), term("脑屏障"), term("屏障")])
    assert [m.text for m in matcher.find("血脑屏障")] == ["血脑", "屏障"]


# -- property: the automaton agrees with a brute-force leftmost-longest reference ---------------


def reference_find(terms: list[Term], text: str) -> list[tuple[int, int, str]]:
    """Quadratic but obviously right: try every form at every position."""
    folder = TextFolder()
    folded = folder.fold(text)
    lowered = lower_same_length(folded)
    found: list[tuple[int, int, str]] = []
    position = 0
    while position < len(text):
        best: tuple[int, str] | None = None
        for candidate in terms:
            for form in candidate.forms:
                key = folder.fold(form)
                haystack = folded if candidate.is_case_sensitive else lowered
                needle = key if candidate.is_case_sensitive else lower_same_length(key)
                end = position + len(needle)
                if haystack[position:end] != needle:
                    continue
                if is_word_char(key[0]) and position and is_word_char(folded[position - 1]):
                    continue
                if is_word_char(key[-1]) and end < len(text) and is_word_char(folded[end]):
                    continue
                if best is None or end > best[0]:
                    best = (end, candidate.id)
        if best is None:
            position += 1
        else:
            found.append((position, best[0], best[1]))
            position = best[0]
    return found


ALPHABET = "AaBb1-融合基因Ｂ "
forms = st.text(alphabet=ALPHABET, min_size=1, max_size=4).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(
    sources=st.lists(
        forms, min_size=1, max_size=6, unique_by=lambda f: lower_same_length(TextFolder().fold(f))
    ),
    flags=st.lists(st.booleans(), min_size=6, max_size=6),
    text=st.text(alphabet=ALPHABET, max_size=30),
)
def test_matcher_agrees_with_brute_force(sources: list[str], flags: list[bool], text: str) -> None:
    terms = [
        Term(id=f"t{index}", source=source, dnt=flags[index])
        for index, source in enumerate(sources)
    ]
    # distinct case-folded keys keep the case-sensitive/insensitive pairs unambiguous
    expected = reference_find(terms, text)
    found = [(m.start, m.end, m.term.id) for m in SourceMatcher(terms).find(text)]
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_matches_are_ordered_disjoint_and_index_the_text(shipped: Glossary, text: str) -> None:
    matches = shipped.find(text)
    for before, after in zip(matches, matches[1:], strict=False):
        assert before.end <= after.start
    for match in matches:
        assert text[match.start : match.end] == match.text


def test_lower_same_length_never_changes_offsets() -> None:
    assert lower_same_length("İstanbul TRK") == "İstanbul trk"
    assert len(lower_same_length("İİ")) == 2


def test_word_char_construct_means_the_old_character_class() -> None:
    """WORD_CHAR_CLASS is cheap to compile but must match exactly what the class did."""
    import re

    from pipeline.glossary.normalize import WORD_CHAR_CLASS

    old = re.compile("[^\\W_\u2e80-\U0010ffff]")
    new = re.compile(WORD_CHAR_CLASS)
    differ = [
        code
        for code in range(0x110000)
        if bool(old.fullmatch(chr(code))) != bool(new.fullmatch(chr(code)))
    ]
    assert differ == []
    assert all(bool(new.fullmatch(char)) == is_word_char(char) for char in "aZ9é_-抑Ｇ ٣Ωя")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="血腦屏障髮發后後ＧＲ５９，。 abcXYZ\u3000\u2011", max_size=12))
def test_traditional_folding_is_the_t2s_mapping_of_each_character(text: str) -> None:
    import opencc

    converter = opencc.OpenCC("t2s")
    base = TextFolder().fold(text)
    expected = "".join(
        simplified if char >= "\u2e80" and len(simplified := converter.convert(char)) == 1 else char
        for char in base
    )
    folder = TextFolder(traditional=True)
    assert folder.fold(text) == expected
    assert folder.fold(text) == expected  # again, from the learnt table


def test_term_match_makes_the_same_frozen_match_as_the_constructor() -> None:
    import dataclasses

    from pipeline.glossary.terms import TermMatch, term_match

    term = Term(id="ntrk", source="NTRK", dnt=True)
    quick = term_match(3, 7, "NTRK", "NTRK", term)
    assert quick == TermMatch(start=3, end=7, text="NTRK", form="NTRK", term=term)
    assert hash(quick) == hash(TermMatch(start=3, end=7, text="NTRK", form="NTRK", term=term))
    assert repr(quick) == f"TermMatch(start=3, end=7, text='NTRK', form='NTRK', term={term!r})"
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.start = 4  # type: ignore[misc]
