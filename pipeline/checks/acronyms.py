"""The ``acronyms`` check: an acronym of the source reaches the translation, kept or spelled out.

A Chinese medical text writes its acronyms in Latin letters (CT, RNA, ALK, FDA, PFS); an
English translation keeps each of them or spells it out ("computed tomography", "Food and
Drug Administration"). An acronym that is neither is reported: a dropped list item ("DNA测序和
RNA测序" -> "DNA sequencing") or a swapped test or target ("CT" -> "MRI", "ALK" -> "ROS1").
Identifiers with digits (NTRK1, G595R) are the ``dnt`` check's, acronyms inside a glossary
term the ``glossary`` check's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import text_check
from pipeline.tokens.text import acronyms as find_acronyms
from pipeline.tokens.text import is_cjk_language, normalize

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext

__all__ = ["acronyms", "spelled_out"]

_WORD_RE = re.compile(r"[A-Za-z]+")
# Words a spelled-out acronym may hold without a letter of their own ("Food and Drug
# Administration", "overall survival rate in the ...").
_LINKING_WORDS = frozenset(
    ("and", "of", "the", "for", "in", "on", "to", "with", "by", "at", "or", "a", "an")
)


def spelled_out(acronym: str, text: str) -> bool:
    """Does ``text`` spell ``acronym`` out: consecutive words whose initials are its letters,
    linking words (and, of, the…) allowed between them?

    >>> spelled_out("FDA", "approved by the US Food and Drug Administration")
    True
    >>> spelled_out("PFS", "median progression-free survival")
    True
    >>> spelled_out("CT", "a magnetic resonance scan")
    False
    """
    letters = acronym.upper()
    words = _WORD_RE.findall(text)
    for first in range(len(words)):
        if words[first][0].upper() != letters[0]:
            continue
        matched, index = 0, first
        while index < len(words) and matched < len(letters):
            word = words[index]
            if word[0].upper() == letters[matched]:
                matched += 1
            elif not (matched and word.lower() in _LINKING_WORDS):
                break
            index += 1
        if matched == len(letters):
            return True
    return False


def _kept(acronym: str, text: str) -> bool:
    """Is ``acronym`` a word of ``text`` (any case, a plural allowed: "CTs")?"""
    return _kept_pattern(acronym).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _kept_pattern(acronym: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z]){re.escape(acronym)}(?:e?s)?(?![A-Za-z])", re.IGNORECASE)


@text_check("acronyms", severity="warning")
def acronyms(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """An acronym of a CJK source (CT, RNA, ALK, FDA) is neither kept nor spelled out in the
    translation: dropped, or swapped for another (CT -> MRI)."""
    if not is_cjk_language(ctx.source_locale) or is_cjk_language(ctx.target_locale):
        return
    found = find_acronyms(normalize(source))
    if not found:
        return
    in_terms = " ".join(match.text for match in ctx.source_terms(source))
    target = normalize(translation)
    for acronym in found:
        if _kept(acronym, in_terms) or _kept(acronym, target) or spelled_out(acronym, target):
            continue
        letters = " ".join(f"{letter}…" for letter in acronym.upper())
        yield (
            f"source has {acronym}, the translation neither keeps it nor spells it out "
            f"({letters}); is it missing or changed?"
        )
