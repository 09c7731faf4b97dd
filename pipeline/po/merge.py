"""Merge a new template into an existing catalog without ever losing a translation.

The rules follow ``msgmerge --previous`` where it is right, and go further where it loses work:

- an entry whose msgctxt and msgid are unchanged keeps its msgstr, flags and translator
  comments; its extracted comments and references come fresh from the template (glossary
  hints and source lines follow the source);
- a new entry gets the closest old translation (character similarity, as msgmerge's 0.6
  threshold) as ``#, fuzzy`` with the old text as ``#| msgid``, so the translator sees exactly
  what changed;
- an old entry that is no longer in the template becomes obsolete (``#~``) whenever it holds
  a translation or a translator comment, *even when its translation was also reused as a fuzzy
  suggestion* (msgmerge drops it then); if its text returns, it comes back as it was;
- waivers (``ignore-*`` flags and ``# ignore-*:`` comments) and approval records
  (``# approved: …``) were given for one exact source and translation: a fuzzy match never
  inherits them (they stay on the obsolete old entry and come back with it); free translator
  comments follow the translation. When only ``msgid_plural`` changes there is no old entry to
  keep them on: the entry becomes fuzzy and they are dropped, as the changed text needs a new
  review anyway;
- as in msgmerge, the template decides what describes the source: format flags
  (``python-format``…), ``range:`` and ``no-wrap`` come from the template entry, on kept, new
  and fuzzy entries alike; a template that adds, drops or changes ``msgid_plural`` makes the
  entry fuzzy, with the old strings as ``#| msgid``/``#| msgid_plural`` and its translation
  spread over (or taken from the first of) the plural forms.

Matching stays fast on large catalogs because candidates come from a character-trigram index
that ignores trigrams shared by many entries (English function words), and only the few best
candidates are scored with rapidfuzz.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain

from pipeline.gctune import rare_collections
from pipeline.po.catalog import (
    Catalog,
    Entry,
    is_bound_to_text,
    is_origin_comment,
    plural_count,
)

__all__ = ["FUZZY_THRESHOLD", "FuzzyIndex", "update_catalog"]

#: Minimum similarity (0-1, ``Indel`` normalised similarity) for a fuzzy suggestion;
#: GNU msgmerge uses the same 0.6 on its own similarity measure.
FUZZY_THRESHOLD = 0.6

_CANDIDATES = 12
#: Trigrams found in more than this share of the entries carry no information for retrieval.
_COMMON_SHARE = 0.05


def update_catalog(catalog: Catalog, template: Catalog) -> Catalog:
    """Return ``catalog`` updated to the entries of ``template``; nothing translated is lost.

    ``template`` entries bring msgctxt, msgid, extracted comments and references; the old
    catalog brings translations, flags and translator comments. The header of ``catalog`` is
    kept except ``POT-Creation-Date``, which follows the template.

    >>> old = Catalog(entries=[Entry(msgctxt="a", msgid="肿瘤缩小。", msgstr="The tumour shrank.")])
    >>> new = Catalog(entries=[Entry(msgctxt="b", msgid="肿瘤明显缩小。")])
    >>> merged = update_catalog(old, new)
    >>> [(e.msgid, e.msgstr, e.flags, e.previous_msgid, e.obsolete) for e in merged.entries]
    [('肿瘤明显缩小。', 'The tumour shrank.', ('fuzzy',), '肿瘤缩小。', False), \
('肿瘤缩小。', 'The tumour shrank.', (), None, True)]
    """
    with rare_collections():  # a new entry for every entry, all acyclic: see pipeline.gctune
        return _update_catalog(catalog, template)


def _update_catalog(catalog: Catalog, template: Catalog) -> Catalog:
    # Keys are computed once here: on a large catalog every property call counts.
    old_active: dict[tuple[str | None, str], Entry] = {}
    old_obsolete: dict[tuple[str | None, str], Entry] = {}
    for entry in catalog.entries:
        (old_obsolete if entry.obsolete else old_active)[(entry.msgctxt, entry.msgid)] = entry
    by_msgid: dict[str, Entry] = {}
    for entry in (*old_obsolete.values(), *old_active.values()):
        if _is_worth_keeping(entry):
            by_msgid.setdefault(entry.msgid, entry)

    template_entries = [entry for entry in template.entries if not entry.obsolete]
    template_keys = {(entry.msgctxt, entry.msgid) for entry in template_entries}
    suggestions = [
        entry
        for key, entry in (*old_active.items(), *old_obsolete.items())
        if key not in template_keys and _has_translation(entry)
    ]
    index = FuzzyIndex([entry.msgid for entry in suggestions])
    nplurals = plural_count(catalog.metadata) or 0

    merged: list[Entry] = []
    for new in template_entries:
        key = (new.msgctxt, new.msgid)
        old = old_active.get(key) or old_obsolete.get(key)
        if old is not None:
            if old.msgid_plural == new.msgid_plural:
                merged.append(_carry_over(old, new))
            else:
                merged.append(_suggest(old, new, nplurals))
            continue
        same_text = by_msgid.get(new.msgid)
        if same_text is not None:
            merged.append(_suggest(same_text, new, nplurals))
            continue
        position = index.best_match(new.msgid, threshold=FUZZY_THRESHOLD)
        if position is not None:
            merged.append(_suggest(suggestions[position], new, nplurals))
        elif new.msgid_plural is not None:
            merged.append(
                new.replace(msgstr="", msgstr_plural=("",) * (nplurals or 2), flags=_source(new))
            )
        else:
            merged.append(new.replace(msgstr="", msgstr_plural=(), flags=_source(new)))

    # Every merged entry has the key of the template entry it was made for.
    kept_obsolete: dict[tuple[str | None, str], Entry] = {}
    for key, entry in (*old_obsolete.items(), *old_active.items()):
        if key in template_keys or not _is_worth_keeping(entry):
            continue
        kept_obsolete[key] = entry.replace(obsolete=True, lineno=0)

    metadata = dict(catalog.metadata)
    if "POT-Creation-Date" in template.metadata:
        metadata["POT-Creation-Date"] = template.metadata["POT-Creation-Date"]
    return dataclasses.replace(
        catalog, metadata=metadata, entries=[*merged, *kept_obsolete.values()]
    )


def _is_worth_keeping(entry: Entry) -> bool:
    return entry.is_translated or bool(entry.translator_comments) or any(entry.msgstr_plural)


def _has_translation(entry: Entry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural)


def _is_source_flag(flag: str) -> bool:
    """Flags that describe the source text, which msgmerge takes from the template."""
    return flag.endswith("-format") or flag.startswith("range:") or flag in ("wrap", "no-wrap")


def _source(new: Entry) -> tuple[str, ...]:
    return tuple(flag for flag in new.flags if flag != "fuzzy" and _is_source_flag(flag))


def _carry_over(old: Entry, new: Entry) -> Entry:
    """Same msgctxt, msgid and msgid_plural: keep the translator's side, refresh the source side."""
    source = _source(new) if new.flags else ()
    if old.flags:
        is_fuzzy = old.is_fuzzy
        kept = tuple(f for f in old.flags if f != "fuzzy" and not _is_source_flag(f))
        flags = (*(("fuzzy",) if is_fuzzy else ()), *source, *kept)
    else:  # most entries: no flag to sort out
        is_fuzzy = False
        flags = source
    return old.replace(
        extracted_comments=_with_origin(new, old),
        references=new.references,
        flags=flags,
        obsolete=False,
        previous_msgctxt=old.previous_msgctxt if is_fuzzy else None,
        previous_msgid=old.previous_msgid if is_fuzzy else None,
        previous_msgid_plural=old.previous_msgid_plural if is_fuzzy else None,
        lineno=0,
    )


def _suggest(old: Entry, new: Entry, nplurals: int) -> Entry:
    """A changed source: offer the old translation as a fuzzy draft, showing what it was for.

    Waivers and approval records stay behind (see the module docstring); the translation is
    fitted to the new entry's forms as msgmerge does: a singular translation fills every plural
    form, a plural one gives its first form to a singular entry (a singular entry cannot hold
    the other forms; when the old entry had another msgid they stay on the obsolete entry).
    """
    # When the old entry was itself a fuzzy suggestion, its translation was made for *its*
    # previous msgid: keep pointing at the text the translator actually translated.
    if old.is_fuzzy and old.previous_msgid is not None:
        previous_msgid, previous_msgctxt = old.previous_msgid, old.previous_msgctxt
        previous_plural = old.previous_msgid_plural
    else:
        previous_msgid, previous_msgctxt = old.msgid, old.msgctxt
        previous_plural = old.msgid_plural
    if new.msgid_plural is None:
        msgstr = old.msgstr if old.msgid_plural is None else next(iter(old.msgstr_plural), "")
        msgstr_plural: tuple[str, ...] = ()
    else:
        msgstr = ""
        if old.msgid_plural is not None:
            msgstr_plural = old.msgstr_plural
        else:
            msgstr_plural = (old.msgstr,) * (nplurals or max(2, len(new.msgstr_plural)))
    kept = tuple(
        flag
        for flag in old.flags
        if flag != "fuzzy" and not _is_source_flag(flag) and not is_bound_to_text(flag)
    )
    return new.replace(
        extracted_comments=_with_origin(new, old),
        msgstr=msgstr,
        msgstr_plural=msgstr_plural,
        translator_comments=tuple(
            comment for comment in old.translator_comments if not is_bound_to_text(comment)
        ),
        flags=("fuzzy", *_source(new), *kept),
        previous_msgctxt=previous_msgctxt if previous_msgctxt != new.msgctxt else None,
        previous_msgid=previous_msgid,
        previous_msgid_plural=previous_plural,
        lineno=0,
    )


def _with_origin(new: Entry, old: Entry) -> tuple[str, ...]:
    """Fresh source-side comments, plus the old entry's notes on where its msgstr came from
    (``tm 96% …``, ``mt …``): the draft they describe moves along with them."""
    origin = [c for c in old.extracted_comments if is_origin_comment(c)]
    return (*new.extracted_comments, *origin) if origin else new.extracted_comments


class FuzzyIndex:
    """Finds the most similar of many strings without comparing against all of them.

    >>> index = FuzzyIndex(["颅内客观缓解率为90.8%。", "患者耐受性良好。"])
    >>> index.best_match("颅内客观缓解率达到90.8%。", threshold=0.6)
    0
    """

    def __init__(self, texts: Sequence[str]):
        self._texts = list(texts)
        postings: dict[str, list[int]] = defaultdict(list)
        for position, text in enumerate(self._texts):
            for gram in _trigrams(text):
                postings[gram].append(position)
        common = max(8, int(len(self._texts) * _COMMON_SHARE))
        # Only the trigrams that can vote (a common one never does).
        self._postings = {gram: found for gram, found in postings.items() if len(found) <= common}

    def best_match(self, text: str, *, threshold: float) -> int | None:
        """Position of the most similar text with similarity >= threshold, or None."""
        if not self._texts:
            return None
        # Imported here: a merge with nothing to suggest (a re-run on unchanged sources, the
        # usual case) never pays for loading rapidfuzz.
        from rapidfuzz.distance import Indel

        rare = self._postings.get
        lists = [postings for gram in _trigrams(text) if (postings := rare(gram)) is not None]
        if not lists:
            candidates: Iterable[int] = range(len(self._texts)) if len(self._texts) <= 2000 else ()
        else:
            votes = Counter(chain.from_iterable(lists))
            # The most voted positions; among equal votes, the first seen (as most_common
            # does, but sorting in C). Trigrams are taken in text order, never in a set's
            # order, so the result does not change from one run to the next.
            ranked = list(votes)
            ranked.sort(key=votes.__getitem__, reverse=True)
            candidates = ranked[:_CANDIDATES]
        best, best_score = None, 0.0
        texts = self._texts
        similarity = Indel.normalized_similarity
        for position in sorted(candidates):  # sorted: ties go to the earliest entry
            score = similarity(text, texts[position], score_cutoff=threshold)
            if score >= threshold and score > best_score:
                best, best_score = position, score
        return best


def _trigrams(text: str) -> dict[str, None]:
    """Distinct character trigrams of the case-folded text, in text order (a dict, not a set:
    the order of the votes, and so the choice among equal candidates, must not depend on
    string hashing)."""
    folded = " ".join(text.casefold().split())
    if len(folded) < 3:
        return {folded: None} if folded else {}
    return dict.fromkeys([folded[i : i + 3] for i in range(len(folded) - 2)])
