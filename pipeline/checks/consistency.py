"""The ``consistency`` check: one source sentence, one translation, across a locale's catalogs.

Segment ids are digests of the text, so a sentence that occurs in several articles has the
same msgid everywhere. Its finished (non-fuzzy) translations should agree; a reader who
meets "objective response rate" in one article and "overall response rate" in the next
for the same Chinese sentence cannot tell whether the difference means something.

When most finished translations agree on one wording, only the others are reported, each
pointing to it; when none is in the majority, every translation is reported. A draft is
compared with the finished translations (its reviser sees the agreed wording), but drafts
never make a finished translation look inconsistent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import Translation, locale_check

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext

__all__ = ["Translation", "find_inconsistencies"]


def _normal(text: str) -> str:
    return " ".join(text.split())


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _shorten(text: str, limit: int = 60) -> str:
    text = _normal(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@locale_check("consistency", severity="warning")
def find_inconsistencies(
    translations: Iterable[Translation], ctx: CheckContext
) -> Iterator[tuple[Translation, str]]:
    """The same source sentence is translated differently in other catalogs of the locale."""
    by_source: dict[str, list[Translation]] = defaultdict(list)
    for item in translations:
        by_source[_normal(item.source)].append(item)
    for items in by_source.values():
        if len(items) < 2:
            continue
        wordings: dict[str, list[Translation]] = defaultdict(list)
        for item in items:
            if not item.draft:
                wordings[_normal(item.translation)].append(item)
        if not wordings:
            continue
        ranked = sorted(wordings.items(), key=lambda pair: -len(pair[1]))
        # The wording most finished translations use, if one does: the others are told to
        # look at it, and its users are left alone.
        agreed = ranked[0][0] if len(ranked) == 1 or len(ranked[0][1]) > len(ranked[1][1]) else None
        finished = sum(len(group) for group in wordings.values())
        for item in items:
            own = _normal(item.translation)
            others = finished - len(wordings.get(own, ()))
            if not others or own == agreed:
                continue
            wording, group = next(pair for pair in ranked if pair[0] != own)
            more = f" (and in {_plural(others - 1, 'other catalog')})" if others > 1 else ""
            yield item, f'translated differently in {group[0].where}: "{_shorten(wording)}"{more}'
