"""Identifiers (genes, mutations, trial codes) and normalisation, shared by several checks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tokens.text import _is_identifier, code_tokens, identifier_spans, normalize


@pytest.mark.parametrize(
    ("text", "identifiers"),
    [
        ("TRKA G595R突变", ["G595R"]),
        ("NTRK1/2/3融合", ["NTRK1/2/3"]),
        ("ETV6-NTRK3融合", ["ETV6-NTRK3"]),
        ("PD-L1表达", ["PD-L1"]),
        ("COVID-19疫情", ["COVID-19"]),
        ("LOXO-195与TPX-0005", ["LOXO-195", "TPX-0005"]),
        ("NCT02576431研究", ["NCT02576431"]),
        ("IC50为2 nM", ["IC50"]),
        ("5-FU化疗", ["5-FU"]),
        ("1-2级，285倍，3.04%", []),
        ("Grade3 and Phase-3", []),  # counted numbers, not identifiers
        ("100 mg/m2", []),
        ("D1给药，T1期", []),
        ("Ki-67", []),
    ],
)
def test_identifiers(text: str, identifiers: list[str]) -> None:
    assert [text[start:end] for start, end in identifier_spans(text)] == identifiers


def test_code_tokens_split_alternatives_and_need_a_capital_and_a_digit() -> None:
    assert code_tokens("NTRK1/2/3、ETV6-NTRK3、G595R、m2、5-FU") == (
        "NTRK1",
        "ETV6-NTRK3",
        "G595R",
    )


def test_normalize_folds_full_width_digits_and_roman_numerals_but_not_the_comma() -> None:
    assert normalize("３．０４％，Ⅲ期，Ｇ５９５Ｒ") == "3.04%，III期，G595R"


_REFERENCE_COMPOUND = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AGRTKNab012359-/. 突变", max_size=30))
def test_identifier_spans_equal_a_plain_regex_reading(text: str) -> None:
    """The fast scan around digits finds what scanning every compound finds."""
    expected = tuple(
        match.span()
        for match in _REFERENCE_COMPOUND.finditer(text)
        if _is_identifier(match.group())
    )
    assert identifier_spans(text) == expected


def _has_identifier_by_runs(text: str) -> bool:
    """The definition: a run of digits touches a Latin letter, directly or across - or /."""
    for match in re.finditer(r"\d+", text):
        start, end = match.span()
        if start and text[start - 1] in "-/":
            start -= 1
        if start and text[start - 1].isascii() and text[start - 1].isalpha():
            return True
        if end < len(text) and text[end] in "-/":
            end += 1
        if end < len(text) and text[end].isascii() and text[end].isalpha():
            return True
    return False


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ19-/ .级٣３ſK", max_size=10))
def test_has_identifier_is_the_one_regex_search_of_its_definition(text: str) -> None:
    from pipeline.tokens.text import has_identifier

    assert has_identifier(text) == _has_identifier_by_runs(text)
