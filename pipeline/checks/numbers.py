"""The ``numbers`` check: every number of the source is in the translation, by value.

The reading itself (digits, Chinese and Roman numerals, number words, locale formats) lives
in :mod:`pipeline.tokens.numbers`, the one number reader that MT verification and the
translation memory use too; this module only turns its verdict into findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import text_check
from pipeline.tokens.numbers import (
    TermReading,
    lost_percentage,
    not_quantities,
    number_differences,
)

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext
    from pipeline.glossary.terms import TermMatch

__all__ = ["numbers", "protected_from_numbers"]


@text_check("numbers", severity="error")
def numbers(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """Every number of the source is in the translation by value, and vice versa
    (digits, decimals, percentages, ranges, multipliers, Chinese and Roman numerals)."""
    lost = lost_percentage(source, translation)
    if lost:
        yield lost
    protected = ctx.memo("not-numbers", source, lambda text: protected_from_numbers(text, ctx))
    mismatch = number_differences(
        source, translation, ctx.source_locale, ctx.target_locale, protected=protected
    )
    if mismatch.agrees:
        return
    # A unit conversion that the quantity reader accepts (36个月, "three years") is no
    # changed number.
    from pipeline.checks.quantities import quantity_comparison

    conversions = quantity_comparison(source, translation, ctx).conversions
    if conversions:
        mismatch = mismatch.without(conversions)
    if not mismatch.agrees:
        yield mismatch.message(target_locale=ctx.target_locale, translation=translation)


def protected_from_numbers(source: str, ctx: CheckContext) -> tuple[str, ...]:
    """The glossary terms of ``source`` whose digits are not quantities (see
    :func:`pipeline.tokens.numbers.not_quantities`).

    :func:`not_quantities` reads each term on its own and joins the results without
    repeats, so each term's part is remembered (a term recurs in many sentences) and the
    parts are joined here the same way.
    """
    found: list[str] = []
    for match in ctx.source_terms(source):
        found.extend(ctx.term_memo("not-numbers", match, lambda one: _not_quantities_of(one, ctx)))
    return tuple(dict.fromkeys(found))


def _not_quantities_of(match: TermMatch, ctx: CheckContext) -> tuple[str, ...]:
    term = match.term
    reading = TermReading(
        text=match.text, dnt=term.dnt, forms=tuple(term.forms), target=ctx.target_of(term)
    )
    return not_quantities((reading,), ctx.source_locale, ctx.target_locale)
