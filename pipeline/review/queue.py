"""``pipeline queue``: what a translator or reviser should open next, most urgent first.

For translators (``--for translate``), per catalog and kind of work, in this order:

1. ``changed since approval``: the source of an approved entry changed (fuzzy, ``#|``);
2. ``draft lost a term or number``: a TM/MT draft flagged ``mt missing: …`` or ``numbers
   differ``, or whose draft fails the numbers, glossary or dnt check;
3. ``draft``: other fuzzy entries;
4. ``untranslated``.

For revisers (``--for revise``): translated entries awaiting approval (those with a blocking
error counted apart: they go back to the translator first). Each item points at the first
entry of its kind (``path:line``, the msgid line, as ``pipeline check`` reports) so an editor
jumps straight to the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.review.state import EntryState
from pipeline.review.status import CatalogReview, EntryRow, counted

__all__ = ["QueueItem", "Role", "build_queue"]

Role = Literal["translate", "revise"]

_TRANSLATE_KINDS: tuple[tuple[str, Callable[[EntryRow], bool]], ...] = (
    ("changed since approval", lambda row: row.review.changed_since_approval),
    ("draft lost a term or number", lambda row: row.state is EntryState.DRAFT and row.has_mt_loss),
    ("draft", lambda row: row.state is EntryState.DRAFT),
    ("untranslated", lambda row: row.state is EntryState.UNTRANSLATED),
    ("translated with an error", lambda row: row.state is EntryState.TRANSLATED
     and bool(row.blocking)),
)
_REVISE_KINDS: tuple[tuple[str, Callable[[EntryRow], bool]], ...] = (
    ("awaiting approval", lambda row: row.state is EntryState.TRANSLATED and not row.blocking),
)


@dataclass(frozen=True, kw_only=True)
class QueueItem:
    """One kind of work in one catalog: where its first entry is and how many there are."""

    path: str
    line: int
    slug: str
    locale: str
    kind: str
    count: int
    priority: int
    ids: tuple[str, ...]

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {counted(self.count, 'entry', 'entries')}"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "slug": self.slug,
            "locale": self.locale,
            "kind": self.kind,
            "count": self.count,
            "priority": self.priority,
            "ids": list(self.ids),
        }


def build_queue(reviews: Iterable[CatalogReview], *, role: Role = "translate") -> list[QueueItem]:
    """The work waiting in ``reviews`` for ``role``, most urgent kind first, then by size."""
    kinds = _TRANSLATE_KINDS if role == "translate" else _REVISE_KINDS
    items: list[QueueItem] = []
    for review in reviews:
        taken: set[str] = set()
        for priority, (kind, belongs) in enumerate(kinds):
            rows = [row for row in review.rows if row.id not in taken and belongs(row)]
            if not rows:
                continue
            taken.update(row.id for row in rows)
            items.append(_item(review, kind, priority, rows))
    items.sort(key=lambda item: (item.priority, -item.count, item.path))
    return items


def _item(review: CatalogReview, kind: str, priority: int, rows: Sequence[EntryRow]) -> QueueItem:
    return QueueItem(
        path=review.path,
        line=rows[0].line,
        slug=review.slug,
        locale=review.locale,
        kind=kind,
        count=len(rows),
        priority=priority,
        ids=tuple(row.id for row in rows),
    )
