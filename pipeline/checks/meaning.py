"""Checks that read meaning: ``contrast``, ``coverage``, ``alternatives`` and ``list-items``.

``contrast`` and ``coverage`` read the contrast lexicon (:mod:`pipeline.checks.lexicon`): the
words whose reversal or loss changes what a medical text says (direction, frequency,
certainty, populations, body sites, cancer types, actions on a drug, cost and access…).
A lexicon word that sits inside a glossary term is left to the glossary checks
(婴儿纤维肉瘤 is "infantile fibrosarcoma", not a population).

Precision comes first: a warning names one source word and what it means, and is raised only
when neither the lexicon's renderings nor any CC-CEDICT sense of the word is in the
translation. Words outside the lexicon are never warned about (see
:func:`pipeline.checks.dictionary.dictionary_hints` for the review page's hints).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import text_check
from pipeline.tokens.tags import TAG_RE
from pipeline.tokens.text import is_cjk_language

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext
    from pipeline.checks.lexicon import ContrastLexicon, LexiconMatch

__all__ = ["alternatives", "contrast", "coverage", "list_items", "meaning_findings"]

# A number (digits or Chinese numerals), then at most a measure word: what "counted" nouns follow.
_COUNTED_BEFORE_RE = re.compile(r"(?:\d|[一二两三四五六七八九十百千万])\s*[例名位个种项份组]?\s*\Z")
_A_BEFORE_RE = re.compile(r"(?<![\d一二两三四五六七八九十百千万第])一\s*\Z")
_MAX_SENSES = 4


_DEFAULT: list[ContrastLexicon] = []  # the packaged lexicon, once loaded (lazily: pydantic)


def _lexicon(ctx: CheckContext) -> ContrastLexicon:
    if ctx.lexicon is not None:
        return ctx.lexicon
    if not _DEFAULT:
        from pipeline.checks.lexicon import default_lexicon

        _DEFAULT.append(default_lexicon())
    return _DEFAULT[0]


def _source_words(source: str, ctx: CheckContext) -> tuple[LexiconMatch, ...]:
    """Lexicon words of the source that are not inside a glossary term."""
    lexicon = _lexicon(ctx)
    text = TAG_RE.sub(" ", source) if "<" in source else source
    found = lexicon.spans(text)  # a LexiconMatch is made only for the words kept
    if not found:
        return ()
    from pipeline.checks.lexicon import LexiconMatch  # loaded with the lexicon by now

    terms = [(term.start, term.end) for term in ctx.source_terms(text)]
    kept = []
    for match_start, match_end, entry in found:
        if any(start < match_end and match_start < end for start, end in terms):
            continue
        if entry.when == "counted" and (
            not _COUNTED_BEFORE_RE.search(text[max(0, match_start - 4) : match_start])
            # 一次重大突破 is "a major breakthrough": after a lone 一 a measure word is "a".
            or _A_BEFORE_RE.search(text[max(0, match_start - 3) : match_start])
        ):
            continue
        kept.append(LexiconMatch(match_start, match_end, text[match_start:match_end], entry))
    return tuple(kept)


def meaning_findings(
    source: str, translation: str, ctx: CheckContext
) -> tuple[tuple[str, str], ...]:
    """(check, message) for the lexicon words of the source: ``contrast`` when the
    translation holds an opposite instead, ``coverage`` when it holds none of the renderings."""
    if is_cjk_language(ctx.target_locale):
        return ()
    words = ctx.memo("lexicon-source", source, lambda text: _source_words(text, ctx))
    if not words:
        return ()
    lexicon = _lexicon(ctx)
    locale = ctx.target_locale
    found = lexicon.found_in(translation, locale)
    in_source = {match.entry.id for match in words}
    results: list[tuple[str, str]] = []
    reported: set[str] = set()
    lemmas: frozenset[str] | None = None
    for match in words:
        entry = match.entry
        renderings = entry.renderings(locale)
        if not renderings or entry.id in found or entry.id in reported:
            continue
        opposites = [other for other in entry.opposite if other in found and other not in in_source]
        reported.add(entry.id)
        if opposites:
            other = opposites[0]
            results.append(
                (
                    "contrast",
                    f'source has {match.text} ("{renderings[0]}"), translation has '
                    f'"{found[other]}", its opposite ({entry.kind}); check the meaning',
                )
            )
            continue
        from pipeline.checks.dictionary import is_covered, senses, translation_lemmas

        if lemmas is None:
            lemmas = translation_lemmas(translation)
        if is_covered(match.text, lemmas):
            continue
        meanings = ", ".join(renderings[:_MAX_SENSES])
        dictionary = senses(match.text)
        extra = f"; CC-CEDICT: {'; '.join(dictionary[:_MAX_SENSES])}" if dictionary else ""
        results.append(
            (
                "coverage",
                f"source has {match.text} ({entry.kind}: {meanings}), the translation none of "
                f"its renderings{extra}; is it missing or changed?",
            )
        )
    return tuple(results)


def _pair_findings(source: str, translation: str, ctx: CheckContext) -> tuple[tuple[str, str], ...]:
    return ctx.pair_memo(  # type: ignore[no-any-return]
        "meaning", source, translation, lambda: meaning_findings(source, translation, ctx)
    )


@text_check("contrast", severity="warning")
def contrast(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """A word of the contrast lexicon (increase, rare, may, children, stop the drug…) is
    rendered by its opposite (decrease, common, will, adults, reduce the dose…)."""
    for name, message in _pair_findings(source, translation, ctx):
        if name == "contrast":
            yield message


@text_check("coverage", severity="warning")
def coverage(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """A content word that matters (a population, body site, cancer type, action on a drug,
    hedge, frequency, the noun a number counts…) has no rendering in the translation."""
    for name, message in _pair_findings(source, translation, ctx):
        if name == "coverage":
            yield message


# --- alternatives -------------------------------------------------------------------------

# 或 as "or", not 或许 (perhaps), 或多或少 (more or less), 或可 (may).
_ZH_OR_RE = re.compile(r"或(?!许|多或少|可)")
_EN_OR_RE = re.compile(
    r"\b(?:or|either|nor|whether|otherwise|alternatively|any of|one of)\b|/", re.IGNORECASE
)


@text_check("alternatives", severity="warning")
def alternatives(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The source gives alternatives (A或B) and the translation has no "or": one of two
    outcomes or options may have been dropped."""
    if "或" not in source or not ctx.target_locale.startswith("en"):
        return
    found = _ZH_OR_RE.search(source)
    if found is None or _EN_OR_RE.search(translation):
        return
    window = source[max(0, found.start() - 6) : found.end() + 6]
    yield (
        f'source gives alternatives ("{window.strip()}"), translation has no "or"; is one missing?'
    )


# --- list items ---------------------------------------------------------------------------

_CLAUSE_RE = re.compile(r"[^，,；;。！？!?：:\n]+")
_ZH_CONJUNCTION_RE = re.compile(r"以及|和|与|及|或者|或|跟")
_EN_SEPARATOR_RE = re.compile(r",|;|/|\band\b|\bor\b|\bas well as\b|\bplus\b|\bnor\b", re.I)
# "A和B", "A及B": two items (与 and 跟 are as often "with" or "compared with"; 和 at the start
# of a clause is "with" too).
_ZH_AND_RE = re.compile(
    r"以及"
    r"|(?<![温缓饱中柔调暖祥附总])和(?![谐平蔼睦])"  # not 温和 (mild), 缓和 (ease), 和谐
    r"|(?<![涉普危不来波顾触提论企])及(?![时早格])"  # not 涉及 (involve), 及时 (timely)
)
# 和 before a verb of talking is "with" (和医生沟通 "talk with the doctor").
_ZH_WITH_VERB_RE = re.compile(r"沟通|讨论|商量|交流|联系|咨询|商讨|谈|确认|合作|配合|比较|相比")
# A two-item list may also be rendered "both A and B" or "A with B".
_EN_PAIR_RE = re.compile(r"\bboth\b|\bwith\b|&", re.I)


def _listed_items(source: str) -> tuple[int, str]:
    """How many separators the longest list of the source needs (A、B和C: two; A和B: one),
    and the list itself."""
    best = (0, "")
    for clause in _CLAUSE_RE.findall(source):
        commas = clause.count("、")
        if not commas:
            joined = _ZH_AND_RE.search(clause, 1)
            if not best[0] and joined and not _ZH_WITH_VERB_RE.search(clause, joined.end()):
                best = (1, clause.strip())
            continue
        tail = clause[clause.rfind("、") :]
        needed = commas + (1 if _ZH_CONJUNCTION_RE.search(tail) else 0)
        if needed > best[0]:
            best = (needed, clause.strip())
    return best


@text_check("list-items", severity="warning")
def list_items(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The source lists items (A、B和C, A和B) and the translation has too few separators
    for them: an item of the list may have been dropped."""
    if not ctx.target_locale.startswith("en") or (
        "、" not in source and _ZH_AND_RE.search(source) is None
    ):
        return
    needed, listed = _listed_items(TAG_RE.sub("", source))
    if not needed:
        return
    have = len(_EN_SEPARATOR_RE.findall(translation))
    if needed == 1 and not have and _EN_PAIR_RE.search(translation):
        return
    if have < needed:
        yield (
            f"source lists {needed + 1} items ({listed}), the translation has {have + 1} at most; "
            "is an item missing?"
        )
