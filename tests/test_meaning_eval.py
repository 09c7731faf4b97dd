"""The meaning evaluation sets: how many single-defect translations the checks catch, and
how few correct ones they trouble (tests/data/meaning/, run by tests/support/meaning_eval.py).

Targets (issue 12): at least 90 % of the defects caught (errors for quantities, symbols and
terms; named warnings for meaning-level categories), at most 1 false error on the
paraphrases, 0 errors and at most 1 warning on a correct article.
"""

from __future__ import annotations

import pytest
from support.meaning_eval import (
    load_cases,
    rates_by_category,
    run_article,
    run_cases,
    run_paraphrases,
)

# Every category of the defect set.
MEANING_CATEGORIES = (
    "qualifiers",
    "units",
    "direction",
    "omissions",
    "populations",
    "content",
    "hedges",
    "frequency",
    "negation",
    "numbers",
    "terms",
)
MEANING_CHECKS = {"contrast", "coverage", "alternatives", "list-items", "length", "acronyms"}


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return run_cases()


def test_the_defect_set_has_at_least_100_single_defect_cases() -> None:
    cases = load_cases()
    assert len(cases) >= 100
    assert len({case.id for case in cases}) == len(cases)
    assert all(case.good != case.bad for case in cases)


@pytest.mark.parametrize("category", MEANING_CATEGORIES)
def test_at_least_90_percent_of_each_meaning_category_is_caught(results, category: str) -> None:  # type: ignore[no-untyped-def]
    caught, total = rates_by_category(results)[category]
    missed = [r.case.id for r in results if r.case.category == category and not r.caught]
    assert caught / total >= 0.9, f"{category}: {caught}/{total}, missed {missed}"


def test_at_least_90_percent_of_all_defects_are_caught(results) -> None:  # type: ignore[no-untyped-def]
    caught = sum(result.caught for result in results)
    assert caught / len(results) >= 0.9, f"{caught}/{len(results)}"


def test_the_correct_side_of_every_case_gets_no_error_and_no_meaning_warning(results) -> None:  # type: ignore[no-untyped-def]
    troubled = [
        (r.case.id, f.check, f.message)
        for r in results
        for f in r.good_findings
        if f.severity == "error" or f.check in MEANING_CHECKS
    ]
    assert troubled == []


def test_the_meaning_checks_raise_no_finding_on_the_paraphrases() -> None:
    paraphrases = run_paraphrases()
    assert len(paraphrases) >= 32
    errors = [(p.id, f.check, f.message) for p in paraphrases for f in p.errors]
    assert len(errors) <= 1, errors
    troubled = [
        (p.id, f.check, f.message)
        for p in paraphrases
        for f in p.findings
        if f.check in MEANING_CHECKS
    ]
    assert troubled == []


def test_the_correct_article_gets_no_error_and_at_most_one_warning() -> None:
    article = run_article()
    assert len(article) >= 30
    errors = [(p.id, f.message) for p in article for f in p.errors]
    warnings = [(p.id, f.check, f.message) for p in article for f in p.warnings]
    assert errors == []
    assert len(warnings) <= 1, warnings
