"""The ``consistency`` check: one source sentence, one translation, across a locale's catalogs.

Segment ids are digests of the text, so a sentence that occurs in several articles has the
same msgid everywhere. Its finished (non-fuzzy) translations should agree; a reader who
meets "objective response rate" in one article and "overall response rate" in the next
for the same Chinese sentence cannot tell whether the difference means something.

A draft is compared with the finished translations (its reviser sees the agreed wording),
but drafts never make a finished translation look inconsistent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.checks import check

__all__ = ["Translation", "find_inconsistencies"]


@dataclass(frozen=True, kw_only=True)
class Translation:
    """One translated entry of one catalog, where it is and what it says."""

    where: str  # "path:line", as reports show it
    source: str
    translation: str
    draft: bool
    key: object = None  # the caller's handle on the entry, returned with the message


def _normal(text: str) -> str:
    return " ".join(text.split())


def _shorten(text: str, limit: int = 60) -> str:
    text = _normal(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@check("consistency", severity="warning", scope="project")
def find_inconsistencies(translations: Iterable[Translation]) -> Iterator[tuple[Translation, str]]:
    """The same source sentence is translated differently in other catalogs of the locale."""
    by_source: dict[str, list[Translation]] = defaultdict(list)
    for item in translations:
        by_source[_normal(item.source)].append(item)
    for items in by_source.values():
        if len(items) < 2:
            continue
        finished = [item for item in items if not item.draft]
        for item in items:
            others = [
                other
                for other in finished
                if other.where.rpartition(":")[0] != item.where.rpartition(":")[0]
                and _normal(other.translation) != _normal(item.translation)
            ]
            if others:
                first = others[0]
                more = f" (and {len(others) - 1} more)" if len(others) > 1 else ""
                yield (
                    item,
                    (
                        f'translated differently in {first.where}: "{_shorten(first.translation)}"'
                        + more
                    ),
                )
