"""Waivers: a translator or reviser switches one check off for one entry, visibly.

Two spellings, both naming the check (``ignore-`` + its name, as Weblate does):

- a flag, ``#, fuzzy, ignore-numbers``: what PO editors show and Weblate writes;
- a translator comment, ``# ignore-numbers: the source misprints 98.1 as 89.1``, which
  also carries the reason, and which ``msgmerge``/``msgcat`` keep (they drop unknown flags).

A waived finding is still reported (marked waived, with the reason) and counted; it just no
longer blocks approval or publication. A waiver that names no check is itself reported.

>>> from pipeline.po.catalog import Entry
>>> entry = Entry(msgid="…", msgstr="…", flags=("ignore-numbers",),
...               translator_comments=("ignore-dnt: G595R is written G595 in this figure",))
>>> waivers_of(entry)
{'numbers': None, 'dnt': 'G595R is written G595 in this figure'}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import CHECKS, WAIVER_PREFIX, entry_check
from pipeline.po.catalog import Entry

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext

__all__ = ["WAIVER_PREFIX", "unknown_waivers", "waivers_of"]

_COMMENT_RE = re.compile(rf"^\s*{WAIVER_PREFIX}([a-z][a-z-]*)\s*(?::\s*(.*?))?\s*$")


def _named(entry: Entry) -> Iterator[tuple[str, str | None]]:
    for flag in entry.flags:
        if flag.startswith(WAIVER_PREFIX):
            yield flag[len(WAIVER_PREFIX) :], None
    for comment in entry.translator_comments:
        match = _COMMENT_RE.match(comment)
        if match:
            yield match.group(1), (match.group(2) or None)


def waivers_of(entry: Entry) -> dict[str, str | None]:
    """The checks this entry waives, each with the reason given (``None`` if none)."""
    waivers: dict[str, str | None] = {}
    for name, note in _named(entry):
        if waivers.get(name) is None:
            waivers[name] = note
    return waivers


@entry_check("waiver", severity="warning", waivable=False)
def unknown_waivers(entry: Entry, ctx: CheckContext) -> Iterator[str]:
    """A waiver (#, ignore-NAME) names no check that can be waived, so it waives nothing
    (a typo?)."""
    if not entry.flags and not entry.translator_comments:
        return
    for name in waivers_of(entry):
        registered = CHECKS.get(name)
        if registered is None or not registered.waivable:
            known = ", ".join(sorted(c.name for c in CHECKS.values() if c.waivable))
            yield f"{WAIVER_PREFIX}{name} names no check; known checks: {known}"
