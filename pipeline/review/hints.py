"""Dictionary hints for the review sheet: source words whose CC-CEDICT senses the translation
does not seem to render.

A hint is for a reviser to glance at, never a check finding: it never blocks, is never counted
and changes no exit code (a naive coverage check on the same dictionary flagged 40 of 50
correct sentences). So the list leaves out what a check already reads or what no reviser needs
told: glossary terms, quantities (number, unit and qualifier: ``大约0.3%``), the contrast
lexicon's words (the ``contrast`` and ``coverage`` checks judge them), and grammatical words
(``而且``, ``这个``, ``因此``…). English spelling is not held against a translation: "tumour"
renders ``肿瘤`` ("tumor") as well as "tumor" does; nor is an adverb ("effectively" renders
``有效``, "effective").

The dictionary's index is built on the first entry that needs it (about 0.5 s, once per
process); the hints of one entry then cost about 0.1 ms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["MAX_HINTS", "MAX_SENSES", "EntryHints", "Hint", "entry_hints"]

#: Words listed with their senses per entry; the others are counted ("and 2 more").
MAX_HINTS = 5
#: Senses shown per word (CC-CEDICT lists the most common first).
MAX_SENSES = 3

# Closed-class words (conjunctions, pronouns and demonstratives, adverbs of degree and time,
# prepositions and their frames) whose rendering a reviser reads at a glance; and a few
# strings that greedy longest matching takes for a word across a word boundary (中的 in
# 脑脊液中的浓度, 在外 in 挡在外面).
_GRAMMATICAL_WORDS = """
    以及 而且 并且 或者 还是 因此 所以 因为 由于 但是 然而 不过 可是 如果 假如 只要 只有
    无论 不管 虽然 尽管 即使 而是 此外 另外 同时 然后 于是 从而 以便 为了 例如 比如 就是
    也就是 总之 其实 那么 这个 那个 这些 那些 这样 那样 这种 那种 这里 那里 这就 这是 那是
    其中 之一 它们 他们 她们 我们 你们 自己 大家 什么 怎么 为何 为什么 如何 哪些 某个 某些
    每个 各种 所有 一切 一个 一种 一些 一款 一项 一次 一起 已经 正在 曾经 一直 非常 十分
    特别 更加 比较 极其 尤其 仍然 依然 还有 只是 都是 也是 可以 能够 对于 关于 根据 按照
    通过 之间 之后 之前 以后 以前 当中 之中 中的 在外 的话 就会 也会 还会
"""
_GRAMMATICAL = frozenset(_GRAMMATICAL_WORDS.split())

_WORD_RE = re.compile(r"[a-z]+")
# British spellings and the American ones CC-CEDICT glosses use: tumour/tumor,
# haemorrhage/hemorrhage, oedema/edema, randomised/randomized, centre/center, analyse/analyze.
_SPELLINGS = (
    (re.compile(r"our"), "or"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
    (re.compile(r"(?<=[a-z]{2})is(?=e|ing|ation)"), "iz"),
    (re.compile(r"(?<=[a-z]{2})tre(?=s?$)"), "ter"),
    (re.compile(r"yse(?=[sd]?$)"), "yze"),
)


@dataclass(frozen=True)
class Hint:
    """One uncovered source word: where it is and its first senses."""

    start: int
    end: int
    word: str
    senses: tuple[str, ...]


@dataclass(frozen=True)
class EntryHints:
    """The hints of one entry: every uncovered word where it occurs (all marked in the source
    column), each word listed once, the first :data:`MAX_HINTS` with their senses."""

    hints: tuple[Hint, ...] = ()

    @property
    def words(self) -> tuple[Hint, ...]:
        """Each word's first occurrence, in source order."""
        first: dict[str, Hint] = {}
        for hint in self.hints:
            first.setdefault(hint.word, hint)
        return tuple(first.values())

    @property
    def shown(self) -> tuple[Hint, ...]:
        return self.words[:MAX_HINTS]

    @property
    def more(self) -> int:
        """How many words are marked in the source but not listed."""
        return max(0, len(self.words) - MAX_HINTS)


def with_variants(translation: str) -> str:
    """The translation followed by the American spelling of its British words and the adjective
    of its ``-ly`` adverbs, so that a dictionary sense finds them ("effectively" renders
    ``有效``, "effective").

    >>> with_variants("The tumour shrank; oedema, randomised, effectively.")
    'The tumour shrank; oedema, randomised, effectively.\\ntumor edema randomized effective'
    """
    variants: dict[str, None] = {}
    for word in _WORD_RE.findall(translation.lower()):
        variant = word
        for pattern, replacement in _SPELLINGS:
            variant = pattern.sub(replacement, variant)
        if variant.endswith("ly") and len(variant) > 5:
            variant = variant[:-3] + "y" if variant.endswith("ily") else variant[:-2]
        if variant != word:
            variants[variant] = None
    return f"{translation}\n{' '.join(variants)}" if variants else translation


def entry_hints(
    source: str, translations: Sequence[str], *, skip: Iterable[tuple[int, int]] = ()
) -> EntryHints:
    """The dictionary hints of one entry; none without a translation. ``skip``: the spans of
    the source that a check reads (glossary terms, quantities, lexicon words)."""
    text = "\n".join(form for form in translations if form)
    if not text.strip():
        return EntryHints()
    from pipeline.checks.dictionary import uncovered_words

    hints = tuple(
        Hint(start, end, source[start:end], senses[:MAX_SENSES])
        for start, end, senses in uncovered_words(
            source, with_variants(text), skip=skip
        )
        if source[start:end] not in _GRAMMATICAL and senses
    )
    return EntryHints(hints)
