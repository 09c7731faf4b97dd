"""Checks on the text itself: ``markup``, ``untranslated``, ``negation``, ``punctuation``,
``length`` and ``repeated-words``."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pipeline.checks.registry import text_check
from pipeline.tokens.tags import ANY_TAG, TAG_RE, compare_tags
from pipeline.tokens.text import CJK_RE, is_cjk_language, normalize

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext

__all__ = [
    "is_blank_or_copy",
    "length",
    "markup",
    "negation",
    "punctuation",
    "repeated_words",
    "untranslated",
]

# --- markup --------------------------------------------------------------------------------

@text_check("markup", severity="error")
def markup(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """Placeholders of the source (<1>…</1>, <2/>) are missing, duplicated, malformed, added
    or nested differently in the translation."""
    if "<" not in source and "<" not in translation and "&lt;" not in translation:
        return
    yield from compare_tags(source, normalize(translation))


# --- untranslated --------------------------------------------------------------------------

_PUNCTUATION_OR_SPACE_RE = re.compile(r"[\W_]+")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{3,}")
_LETTER_OR_DIGIT_RE = re.compile(r"[^\W_]")


def _content(text: str, protected: tuple[str, ...]) -> str:
    """``text`` without placeholders, protected tokens, digits, punctuation and spaces."""
    text = TAG_RE.sub(" ", normalize(text))
    for token in protected:
        text = text.replace(token, " ")
    return _PUNCTUATION_OR_SPACE_RE.sub(" ", re.sub(r"\d+", " ", text)).strip()


def is_blank_or_copy(source: str, translation: str, ctx: CheckContext) -> bool:
    """True when nothing else is worth saying: the translation is blank or the source again."""
    return _blank_or_copy(source, translation, ctx) is not None


def _blank_or_copy(source: str, translation: str, ctx: CheckContext) -> str | None:
    """The ``untranslated`` message when the translation is blank or a copy, else None;
    remembered for the pair (the runner asks first, then the check)."""
    return ctx.pair_memo(  # type: ignore[no-any-return]
        "blank-or-copy",
        source,
        translation,
        lambda: _read_blank_or_copy(source, translation, ctx),
    )


def _read_blank_or_copy(source: str, translation: str, ctx: CheckContext) -> str | None:
    if "<" in translation:
        translation = TAG_RE.sub(" ", translation)
    has_words = _LETTER_OR_DIGIT_RE.search(translation) is not None
    if has_words and " ".join(translation.split()) != " ".join(
        (TAG_RE.sub(" ", source) if "<" in source else source).split()
    ):
        return None  # the usual case, decided without looking further
    source_content = _content(source, ctx.protected_tokens(source))
    if not source_content:
        return None  # a number, a symbol or a placeholder: there was nothing to translate
    if not has_words:
        return "translation is empty"
    if CJK_RE.search(source_content) or len(_LATIN_WORD_RE.findall(source_content)) >= 2:
        return "translation is a copy of the source"
    return None


@text_check("untranslated", severity="error")
def untranslated(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The translation is empty, a copy of the source, or keeps CJK text in a non-CJK locale."""
    problem = _blank_or_copy(source, translation, ctx)
    if problem:
        yield problem
        return
    if is_cjk_language(ctx.target_locale):
        return
    leftovers = CJK_RE.findall(translation)
    if leftovers:
        protected = set(ctx.protected_tokens(source))
        leftovers = [text for text in leftovers if text not in protected]
    if leftovers:
        shown = ", ".join(dict.fromkeys(leftovers))
        yield f"translation keeps untranslated text: {shown}"


# --- negation ------------------------------------------------------------------------------

# Negation in Chinese, minus the words in which 不/未/无/非/否 do not negate (不良反应 is
# "adverse reaction", 不同 "different", 不少 "many" but 不少见 "not rare", 未来 "future",
# 非常 "very", 是否 "whether") and the
# qualifiers of a quantity (不超过, 不到5% "less than 5%": the ``quantities`` check reads
# those; 不足 and 不到 before anything but a number still negate: 前代药物的不足).
# Each pattern starts with a literal so that ``re`` can skip ahead; what must not precede a
# match (是 before 否, a letter before an English word) is checked afterwards.
_ZH_NEGATION_RE = re.compile(
    r"没有|没|禁止|禁用|禁忌|慎用|勿|缺乏|缺少|避免|以免|免费|除非|否认|否定|尚未|失败|"
    r"不(?!良|同|断|少(?!见)|过|久|管|论|仅|但|适|得不|一样|超过|低于|高于|多于|大于|小于"
    r"|(?:到|足)[\d一二两三四五六七八九十百千万半])"
    r"|未(?!来)|无(?!论)|非(?!常)|否(?!则)"
)
# Strong negations: a translation that has one while the source negates nothing is reported.
_EN_NEGATION_RE = re.compile(
    # "no more than", "not exceed": the qualifier of a quantity, not a negation.
    r"(?:not|no)\b(?!\s+(?:to\s+)?(?:more|less|fewer|greater|higher|lower|longer|shorter"
    r"|later|earlier|exceed\w*)\b)"
    r"|(?:none|never|neither|nor|without|cannot|unable|unknown|unclear|absent|"
    r"absence|lack\w*|avoid\w*|unless|contraindicat\w*|prohibit\w*|forbid\w*|caution\w*|"
    r"careful\w*|fail\w*|insufficient|inadequate|ineffective|den(?:y|ies|ied)|naive|naïve|"
    r"non)\b"
    r"|[a-z]*n't\b"
)
# The same without its last branch, for the texts without "n't" (most): that branch may start
# at any letter and backtracks through every word, while the others start with a letter of
# few words, which ``re`` skips to. A branch that cannot match changes no match.
_EN_NEGATION_WITHOUT_NT_RE = re.compile(_EN_NEGATION_RE.pattern.removesuffix(r"|[a-z]*n't\b"))
# Weak negations: "un-" words and "free" render a negation of the source (未经治疗
# "untreated", 无进展 "progression-free") but say nothing negative on their own ("uncommon"
# for 罕见, "free of charge" for 免费), so they never raise a finding by themselves.
_EN_WEAK_NEGATION_RE = re.compile(
    r"(?:free|un(?!der|til|it|iform|ique|ivers|ion|ite|ilateral|ified|less)[a-z]{3,})\b"
)


def _zh_negation(text: str) -> str:
    for match in _ZH_NEGATION_RE.finditer(text):
        if not (match.group() == "否" and text[match.start() - 1 : match.start()] == "是"):
            return match.group()
    return ""


def _en_negation(text: str, *, weak: bool = False) -> str:
    """The first negation of an English text ("" if none); with ``weak``, "un-" words and
    "free" count too. A typographic apostrophe reads as a straight one (don’t)."""
    lowered = text.lower().replace("\u2019", "'")
    strong = _EN_NEGATION_RE if "n't" in lowered else _EN_NEGATION_WITHOUT_NT_RE
    for pattern in (strong, _EN_WEAK_NEGATION_RE) if weak else (strong,):
        for match in pattern.finditer(lowered):
            start = match.start()
            if not start or not lowered[start - 1].isalpha():
                return text[start : match.end()]
    return ""


def _en_weak_negation(text: str) -> str:
    return _en_negation(text, weak=True)


_NEGATION = {"zh": _zh_negation, "en": _en_negation}
_WEAK_NEGATION = {"zh": _zh_negation, "en": _en_weak_negation}


def _negation(text: str, locale: str, *, weak: bool = False) -> str | None:
    """The first negation of ``text``, "" if none, None if the language has no list; with
    ``weak``, the words that only render a negation count too."""
    find = (_WEAK_NEGATION if weak else _NEGATION).get(locale.split("_")[0])
    if find is None:
        return None
    return find(TAG_RE.sub(" ", text) if "<" in text else text)


@text_check("negation", severity="warning")
def negation(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The source negates (不, 未, 无, 没有, 非, 禁止, 慎用…) and the translation does not,
    or the reverse."""
    source = ctx.memo("negation-source", source, lambda text: _without_neutral_terms(text, ctx))
    in_source = _negation(source, ctx.source_locale)
    in_target = _negation(translation, ctx.target_locale, weak=bool(in_source))
    if in_source is None or in_target is None:
        return  # no negation vocabulary for this language
    if in_source and not in_target:
        yield f"source negates ({in_source}), translation does not; check the meaning"
    elif in_target and not in_source:
        yield f'translation negates ("{in_target}"), source does not; check the meaning'


def _without_neutral_terms(source: str, ctx: CheckContext) -> str:
    """The source without glossary terms whose negation the approved rendering drops
    (不限癌种 is "tumour-agnostic": nothing is negated)."""
    for match in ctx.source_terms(source):
        term = match.term
        target = ctx.target_of(term)
        if target is not None and _drops_negation(
            match.text, target, ctx.source_locale, ctx.target_locale
        ):
            source = source.replace(match.text, " ")
    return source


@functools.lru_cache(maxsize=4096)
def _drops_negation(form: str, target: str, source_locale: str, target_locale: str) -> bool:
    return bool(_negation(form, source_locale)) and not _negation(target, target_locale)


# --- punctuation ---------------------------------------------------------------------------

_FULL_WIDTH_PUNCTUATION_RE = re.compile(
    "["
    + "".join(
        re.escape(chr(code))
        for code in (
            *range(0x3001, 0x3004),
            *range(0x3008, 0x3012),
            *range(0x3014, 0x3020),
            *range(0xFF01, 0xFF66),
        )
        if unicodedata.category(chr(code))[0] in "PS"
    )
    + "]"
)
_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"), ("“", "”"))
_SOURCE_BRACKETS = str.maketrans("【】「」『』〔〕", "[]“”“”()")
_CLOSING = " \t\n\"'”’」』）)]】*_"
_TRAILING_TAGS_RE = re.compile(rf"(?:(?:{ANY_TAG})[\s\"'”’」』）)\]】*_]*)+\Z")
_END_MARKS = {"。": ".", ".": ".", "！": "!", "!": "!", "？": "?", "?": "?", "…": "…"}


def _unbalanced(text: str) -> list[str]:
    problems = []
    for opening, closing in _BRACKETS:
        if text.count(opening) != text.count(closing):
            problems.append(f"{opening}{closing}")
    if text.count('"') % 2:
        problems.append('""')
    return problems


def _end_mark(text: str) -> str:
    """The sentence-final mark of ``text`` (``。``, ``.``, ``!``, ``?``…), ignoring what
    closes (quotes, brackets, placeholders); "" if it has none."""
    stripped = text.rstrip(_CLOSING)
    if stripped.endswith(">"):
        tail = _TRAILING_TAGS_RE.search(stripped, max(0, len(stripped) - 40))
        if tail:
            stripped = stripped[: tail.start()].rstrip(_CLOSING)
    last = stripped[-1:]
    return last if last in _END_MARKS else ""


@text_check("punctuation", severity="warning")
def punctuation(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """Full-width punctuation in a Latin-script translation, unbalanced brackets or quotes,
    or end punctuation of the source missing in the translation."""
    if not is_cjk_language(ctx.target_locale):
        marks = _FULL_WIDTH_PUNCTUATION_RE.findall(translation)
        if marks:
            yield f"full-width punctuation in the translation: {' '.join(dict.fromkeys(marks))}"
    unbalanced = _unbalanced(normalize(translation))
    if unbalanced:  # the source is read only then (most translations are balanced)
        in_source = set(_unbalanced(normalize(source).translate(_SOURCE_BRACKETS)))
        for pair in unbalanced:
            if pair not in in_source:
                yield f"unbalanced {pair} in the translation"
    source_end = _end_mark(source)
    target_end = _end_mark(translation)
    if source_end and not target_end:
        yield f"source ends with {source_end}, translation has no end punctuation"
    elif _END_MARKS.get(source_end) == "?" and target_end and _END_MARKS[target_end] != "?":
        yield f"source is a question, translation ends with {target_end}"


# --- length --------------------------------------------------------------------------------

# How long a translation is expected to be, per pair of scripts (CJK or not). A CJK
# character becomes about three Latin ones (and the reverse); a Latin letter, digit or symbol
# of the other side is carried over one for one (drug codes, mutations, figures). The band
# is on translation length / expected length. CJK<->Latin was calibrated on 153 correct
# zh->en sentence pairs (tests/data/meaning/ and the example article; bench/calibrate_length.py
# prints the figures): the log ratio has mean 0.33 and standard deviation 0.16, and the band
# is mean -3.1 sd .. mean +3.5 sd, so that no correct pair falls outside while a sentence that
# lost a third of its content does. The other pairs keep wider, uncalibrated bands.
_CJK_FACTOR = 3.0
_LENGTH_BANDS = {
    (True, False): (0.85, 2.6),
    (False, True): (1 / 2.6, 1 / 0.85),
    (True, True): (0.6, 1.6),
    (False, False): (0.5, 2.5),
}
_MIN_SOURCE_LENGTH = 10
_CJK_CHAR_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_COUNTED_RE = re.compile(r"[\s\u3000-\u303f\uff00-\uffef]+")


def _length(text: str) -> int:
    return len(" ".join((TAG_RE.sub("", text) if "<" in text else text).split()))


def _weighted_length(text: str, factor: float) -> float:
    """Length with each CJK character counted ``factor`` times, spaces and CJK punctuation
    not at all."""
    text = TAG_RE.sub("", text) if "<" in text else text
    without_cjk = _CJK_CHAR_RE.sub("", text)
    cjk = len(text) - len(without_cjk)
    other = len(_NOT_COUNTED_RE.sub("", without_cjk))
    return cjk * factor + other


def length_ratio(source: str, translation: str, source_cjk: bool, target_cjk: bool) -> float:
    """Translation length over a rough expected length (CJK characters counted three times);
    correct zh->en sentences have a median of 1.4 (see the bands)."""
    if source_cjk and not target_cjk:
        return _length(translation) / max(_weighted_length(source, _CJK_FACTOR), 1.0)
    if target_cjk and not source_cjk:
        return _weighted_length(translation, _CJK_FACTOR) / max(_length(source), 1)
    return _length(translation) / max(_length(source), 1)


@text_check("length", severity="warning")
def length(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The translation is much shorter or longer than the language pair makes likely
    (text left out or added); the band is calibrated on real zh->en sentence pairs."""
    if _length(source) < _MIN_SOURCE_LENGTH:
        return
    source_cjk = is_cjk_language(ctx.source_locale)
    target_cjk = is_cjk_language(ctx.target_locale)
    ratio = length_ratio(source, translation, source_cjk, target_cjk)
    low, high = _LENGTH_BANDS[(source_cjk, target_cjk)]
    if low <= ratio <= high:
        return
    question = "is text missing?" if ratio < low else "is text added?"
    yield (
        f"translation is {ratio:.2f}x the length expected for this language pair "
        f"(expected {low:.2g}-{high:.2g}x); {question}"
    )


# --- repeated words ------------------------------------------------------------------------

_REPEATED_RE = re.compile(r"(?<![\w-])([^\W\d_]++)\s++\1(?![\w-])", re.IGNORECASE)


@text_check("repeated-words", severity="warning")
def repeated_words(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The same word twice in a row in the translation ("the the"), unless the source has it."""
    if is_cjk_language(ctx.target_locale):
        return
    for match in _REPEATED_RE.finditer(translation):
        if match.group().lower() not in source.lower():
            yield f'repeated word "{match.group()}"'
