"""The ``quantities`` check: a quantity keeps its qualifier, unit and kind in the translation.

The reading (number + unit + qualifier + kind, in Chinese and English) and the comparison
live in :mod:`pipeline.tokens.quantities`, on top of the one number reader; this module turns
them into findings and hands the accepted unit conversions to the ``numbers`` check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import text_check
from pipeline.tokens.quantities import Comparison, compare_quantities, read_quantities

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext

__all__ = ["quantities", "quantity_comparison"]


# --- the check ---------------------------------------------------------------------------------


def quantity_comparison(source: str, translation: str, ctx: CheckContext) -> Comparison:
    """:func:`compare_quantities` for a pair, remembered for the ``numbers`` check."""
    from pipeline.checks.numbers import protected_from_numbers

    def compare() -> Comparison:
        protected = ctx.memo("not-numbers", source, lambda text: protected_from_numbers(text, ctx))
        mine = ctx.memo(
            "quantities",
            source,
            lambda text: read_quantities(text, ctx.source_locale, protected=protected),
        )
        return compare_quantities(
            source,
            translation,
            ctx.source_locale,
            ctx.target_locale,
            protected=protected,
            source_quantities=mine,
        )

    result: Comparison = ctx.pair_memo("quantities", source, translation, compare)
    return result


@text_check("quantities", severity="error")
def quantities(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """A quantity of the source keeps its qualifier (about, more than, at least, up to…),
    unit and kind (percentage, multiplier, duration, dose…) in the translation; a unit
    conversion a reviser accepts (36个月 = three years, 0.5克 = 500 mg) passes."""
    yield from quantity_comparison(source, translation, ctx).messages
