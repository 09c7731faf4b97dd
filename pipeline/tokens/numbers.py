"""The ``numbers`` check: every number of the source is in the translation, by value.

Numbers are compared by value, not as strings, so every way of writing a number counts:

- Arabic and full-width digits, decimals, percentages and thousands separators:
  ``89.1%``, ``３．０４％``, ``1,200``; in the target, the locale's own separators, read from
  Babel's CLDR data (``89,1 %`` in ``de``, ``12 000`` in ``fr``);
- ranges, as their two ends: ``1-2级`` is 1 and 2, as is ``Grade 1-2`` or ``1～2``;
- multipliers: ``285倍`` is 285, as is ``285-fold``, ``285 times`` or ``285x``;
- Chinese numerals, in the source or the target: ``三期`` (3), ``两`` (2), ``百分之八十九点一``
  (89.1), ``二〇二三年`` (2023), ``万``/``亿`` scaling with digits or numerals (``1.2万``
  is 12,000; ``三千万`` 30,000,000), ordinals (``第二代`` is 2);
- Roman numerals after a word that counts (``Grade I/II``, ``Stage IV``) or before
  ``期``/``级``/``型`` (``III期``); not after ``Phase`` in a translation: the house style
  writes trial phases in Arabic figures (``Phase 3``), as the glossary does;
- English scale words (``1.2 million``), powers of ten (``1.5×10⁹/L``), month names for
  numbered months (``5月`` is ``May``).

Some numbers are *optional*: they may match a number of the other side but are not required
to. English number words (``three genes``, ``second-generation``, ``twice``) are optional,
because ``one``, ``first`` or ``second`` also occur as plain words; so are Chinese numerals
that English often renders without a number (``一项研究`` "a study", ``两者`` "both") and
approximations (``七八个`` "seven or eight"). A numeral that counts something important is
required: a multi-character numeral, an ordinal, or a single numeral before a measure word
(``三个基因``, ``两种``, ``三期``).

Not numbers at all: identifiers (``NTRK1``, ``G595R``, ``COVID-19``: the ``dnt`` check's
business), the protected tokens of the glossary, markup placeholders, URLs, a list number at
the start of a segment (``1.``, ``一、``, ``（2）``), words that merely contain a numeral
(``一些``, ``不一致``, ``十二指肠``, ``新一代``), and glossary terms whose approved rendering
has no number (``二代测序``, "next-generation sequencing").

Most pairs hold nothing but plain Arabic numbers that both sides write alike;
:func:`agree_plainly` settles those by comparing number tokens, and only the rest go through
the full reading (a property test checks that the shortcut never hides a mismatch).

Signs are ignored (``1-2`` is a range, not ``1`` and ``-2``), and so are percent signs when
values are compared: a translation may write ``10-20%`` for ``10%-20%``. A translation that
has no percent sign or word at all while the source states a percentage is reported on its
own (:func:`lost_percentage`).

>>> [str(number.value) for number in extract_numbers("百分之八十九点一的患者为1-2级", "zh_Hans")]
['89.1', '1', '2']
>>> compare_numbers("有效率为89.1%。", "The response rate was 98.1%.", "zh_Hans", "en")
'source has 89.1, translation has 98.1'
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from babel.dates import get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from pipeline.tokens.tags import TAG_RE
from pipeline.tokens.text import identifier_spans, normalize

__all__ = [
    "Number",
    "NumberMismatch",
    "TextReading",
    "agree_plainly",
    "compare_numbers",
    "extract_numbers",
    "find_numbers",
    "has_numbers",
    "lost_percent_sign",
    "lost_percentage",
    "not_quantities",
    "number_differences",
    "read_text",
]


class Number(NamedTuple):
    """A number found in a text: its value, how it was written, whether it must be matched.

    (A named tuple rather than a frozen dataclass: texts hold many, and it is cheaper.)
    """

    value: Decimal
    text: str
    required: bool = True

    def display(self) -> str:
        """``89.1``, or ``3 (三)`` when the text shows the value differently."""
        shown = _format_value(self.value)
        text = self.text.strip()
        return shown if text == shown else f"{shown} ({text})"


def _format_value(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


# --- Chinese numerals ------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8,
    "玖": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_DIGIT_CLASS = "".join(_CN_DIGITS)
_CN_CLASS = _CN_DIGIT_CLASS + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Measure words and units: a single numeral before one of these counts something.
_MEASURE_WORDS = _words(
    "小时 分钟 毫克 毫升 厘米 毫米 公斤 千克 微克 阶段 疗程 周期 部分 方面 个 种 类 项 位 "
    "名 例 次 期 级 年 岁 月 周 天 日 秒 倍 代 线 组 批 剂 片 粒 支 瓶 克 升 成 度 型 轮 "
    "条 份 家 所 人 段 步 处 根 对 号 大 点 字 床 针 颗 盒 句 篇 章 节 款"
)
# Technical levels: here even ``一`` is required (``一期`` Phase 1, ``一线`` first-line).
_LEVEL_WORDS = ("期", "级", "线", "代", "型", "阶段")

# Words that contain a numeral but are not numbers. Masked only when no numeral or 第 comes
# right before, so that ``三千万`` (30 million) is still read while ``千万`` ("by all means")
# is not.
_ZH_LEXICAL = _words(
    "一些 一直 一起 一样 一般 一定 一致 一旦 一切 一同 一边 一下 一时 一向 一再 一律 一味 "
    "一贯 一体 一系列 一方面 一面 一度 一番 一概 一开始 一如既往 一部分 一会 一步 统一 "
    "唯一 万一 千万 进一步 同一 不一 逐一 单一 专一 十分 万分 千方百计 一目了然 "
    "三阴性 二甲双胍 十二指肠 五氟尿嘧啶 一氧化 二氧化 三叉 四肢 新一代 下一代 上一代 "
    "二代测序 三维 二维 一手 一半 八角 五官 七情 万能 一旁 一生 一心 一带"
)

_ZH_LEXICAL_RE = re.compile("|".join(sorted(map(re.escape, _ZH_LEXICAL), key=len, reverse=True)))
_NUMERAL_OR_ORDINAL = frozenset(_CN_CLASS + "第0123456789")

# A list number at the start of a segment: ``1.``, ``2、``, ``(3)``, ``一、``, ``（二）``.
_ENUMERATOR_RE = re.compile(
    r"^\s*(?:"
    r"[(（]?\d{1,2}[)）.、]"
    r"|[(（]\d{1,2}[)）]"
    rf"|[{_CN_CLASS}]{{1,3}}、"
    rf"|[(（][{_CN_CLASS}]{{1,3}}[)）]"
    r")(?!\s*\d)\s*"
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_UNIT_POWER_RE = re.compile(r"(?<![A-Za-z])(?:[cdkmμµ]?m)[23](?![0-9A-Za-z])")


def parse_chinese_numeral(text: str) -> Decimal | None:
    """The value of a Chinese numeral, or None when it is not a well-formed one.

    >>> [parse_chinese_numeral(t) for t in ("三", "十二", "八十九点一", "二〇二三", "三千万")]
    [Decimal('3'), Decimal('12'), Decimal('89.1'), Decimal('2023'), Decimal('30000000')]
    """
    integer, _, fraction = text.partition("点")
    if not integer:
        return None
    if fraction and not all(char in _CN_DIGITS for char in fraction):
        return None
    if all(char in _CN_DIGITS for char in integer):
        # Digit by digit, as years are written: 二〇二三.
        value = int("".join(str(_CN_DIGITS[char]) for char in integer))
    else:
        value = _chinese_integer(integer)
    if fraction:
        digits = "".join(str(_CN_DIGITS[char]) for char in fraction)
        return Decimal(f"{value}.{digits}")
    return Decimal(value)


def _chinese_integer(text: str) -> int:
    """三千万 -> 30000000, 十二 -> 12, 一百零五 -> 105 (units without a digit count as one)."""
    hundred_millions = ten_thousands = below = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            below += (digit or 1) * _CN_SMALL_UNITS[char]
            digit = 0
        elif char == "万":
            ten_thousands += ((below + digit) or 1) * 10_000
            below = digit = 0
        else:  # 亿
            hundred_millions += ((ten_thousands + below + digit) or 1) * 100_000_000
            ten_thousands = below = digit = 0
    return hundred_millions + ten_thousands + below + digit


# --- English words ---------------------------------------------------------------------------

_EN_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
_EN_ORDINALS = _words(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
    "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth twentieth"
)
_EN_WORDS: dict[str, Decimal] = {word: Decimal(index) for index, word in enumerate(_EN_UNITS)}
_EN_WORDS.update({word: Decimal(20 + 10 * index) for index, word in enumerate(_EN_TENS)})
_EN_WORDS.update({word: Decimal(index) for index, word in enumerate(_EN_ORDINALS) if index})
_EN_WORDS.update(
    {
        "once": Decimal(1), "single": Decimal(1), "primary": Decimal(1),
        "twice": Decimal(2), "double": Decimal(2), "doubled": Decimal(2), "dual": Decimal(2),
        "both": Decimal(2), "secondary": Decimal(2), "thrice": Decimal(3),
        "triple": Decimal(3), "tripled": Decimal(3), "tertiary": Decimal(3),
        "quadruple": Decimal(4), "half": Decimal("0.5"), "dozen": Decimal(12),
        "hundred": Decimal(100), "thousand": Decimal(1000),
    }
)  # fmt: skip
_EN_WORD_SET = frozenset(_EN_WORDS)
_EN_UNIT_SET = frozenset(_EN_UNITS[1:10])
_EN_SCALES = {
    "hundred": Decimal(100),
    "thousand": Decimal(1000),
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}

# --- Roman numerals ----------------------------------------------------------------------------

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def parse_roman(text: str) -> int | None:
    """``III`` -> 3; None for a malformed numeral such as ``IIII`` or ``VX``.

    >>> parse_roman("IV"), parse_roman("XII"), parse_roman("IIII")
    (4, 12, None)
    """
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total if total and _to_roman(total) == text else None


def _to_roman(value: int) -> str:
    parts = []
    for number, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        parts.append(letters * count)
    return "".join(parts)


_COUNTING_KEYWORDS = (
    r"phase|grade|stage|type|class|level|tier|cohort|arm|part|cycle|step|group|line"
)
_ROMAN_CHAIN = (
    r"[IVX]{1,5}[a-cA-C]?(?:\s*(?:/|-|–|—|~|,|\bto\b|\band\b|\bor\b)\s*[IVX]{1,5}[a-cA-C]?)*"
)
_ROMAN_RE = r"[IVX]{1,5}[a-cA-C]?"
_ROMAN_TOKEN_RE = re.compile(_ROMAN_RE)
_ROMAN_JOINER = r"\s*(?:/|-|–|—|~|,|\bto\b|\band\b|\bor\b)\s*"
# ``Phase III``, ``Grades I/II``: Roman numerals after a word that counts (searched backwards
# from each Roman numeral, which is rare, rather than from each word).
_KEYWORD_BEFORE_RE = re.compile(
    rf"(?i:\b(?:{_COUNTING_KEYWORDS})s?)[\s-]+(?:{_ROMAN_RE}{_ROMAN_JOINER})*\Z"
)
# ``III期``, ``I/II期``: Roman numerals before a Chinese word that counts.
_CJK_COUNTED_AFTER_RE = re.compile(rf"(?:{_ROMAN_JOINER}{_ROMAN_RE})*\s*(?:期|级|型|度|类|阶段)")
_ROMAN_GATE_RE = re.compile(r"[IVX]")


# Every regex below starts with a character class, so that ``re`` skips quickly to the
# places where a match can start: a text is scanned once per kind of number.
_CN_RUN_RE = re.compile(rf"[{_CN_CLASS}]+(?:点[{_CN_DIGIT_CLASS}]+)?")
_WORD_RE = re.compile(r"[^\W\d_]+")
_LOWER_WORD_RE = re.compile(r"[a-z]+")
_EN_SCALE_RE = re.compile(r"\s+(hundred|thousand|million|billion|trillion)\b", re.IGNORECASE)
_POWER_RE = re.compile(r"\s*(?:\^|\*\*)\s*(-?\d+)|[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_CN_SCALE_RE = re.compile(r"[千百]?[万亿]|千(?![克米卡瓦])|百(?![分米])")
_DIGIT_RE = re.compile(r"\d")
_SEPARATOR_SPLIT_RE = re.compile(r"(\D)")
_LEADING_DECIMAL_STARTS = "<>=≤≥ ("
_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


@dataclass(frozen=True)
class _Grammar:
    """How numbers are written in one locale."""

    token: re.Pattern[str]  # digits joined by the locale's separators: 1,234.5 / 1.234,5
    decimal: str
    groups: frozenset[str]  # what separates thousands (one char, or any space)
    months: dict[str, int]
    chinese: bool
    english: bool
    leading_decimal: re.Pattern[str]  # "<.5", " .5": a decimal without its 0, after what


def _group_symbols(symbol: str) -> frozenset[str]:
    if symbol.isspace() or symbol in "\u00a0\u202f":
        return frozenset(" \u00a0\u202f")
    if symbol in "'’":
        return frozenset("'’")
    return frozenset(symbol)


@functools.cache
def _grammar(locale: str) -> _Grammar:
    language = locale.split("_")[0]
    decimal = _symbol(get_decimal_symbol, locale, default=".")
    group = _symbol(get_group_symbol, locale, default=",")
    if decimal == group:  # never seen in CLDR, but a broken pattern would be worse
        group = "," if decimal == "." else "."
    groups = _group_symbols(group)
    separators = "".join(re.escape(char) for char in sorted({decimal, *groups}))
    return _Grammar(
        token=re.compile(rf"\d+(?:[{separators}]\d+)*"),
        decimal=decimal,
        groups=groups,
        months=_month_names(locale),
        chinese=language in {"zh", "yue", "wuu", "ja"},
        english=language == "en",
        leading_decimal=re.compile(
            rf"([{re.escape(_LEADING_DECIMAL_STARTS)}]){re.escape(decimal)}(?=\d)"
        ),
    )


def _symbol(getter: Callable[[str], str], locale: str, *, default: str) -> str:
    """A number symbol of ``locale`` from CLDR, without bidi marks, in ASCII where possible."""
    try:
        value = getter(locale)
    except (ValueError, LookupError):  # an unknown locale has already been rejected
        return default
    return normalize(value).strip("\u200e\u200f\u061c") or default


@functools.cache
def _month_names(locale: str) -> dict[str, int]:
    """Month names (wide and abbreviated, without the dot) of a non-CJK locale."""
    if locale.split("_")[0] in {"zh", "ja", "ko", "yue"}:
        return {}
    names: dict[str, int] = {}
    try:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                name = name.rstrip(".")
                if len(name) >= 3 and " " not in name:
                    names[name] = number
    except (ValueError, LookupError):
        return {}
    return names


# --- Extraction --------------------------------------------------------------------------------


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)
        pieces.append(text[position:start])
        pieces.append("\x00" * max(0, end - start))
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def _masked(text: str, protected: Sequence[str], *, chinese: bool) -> str:
    """``text`` with everything that holds digits but no quantity blanked out."""
    spans: list[tuple[int, int]] = []
    if "<" in text:
        spans += [match.span() for match in TAG_RE.finditer(text)]
    if "://" in text or "www." in text:
        spans += [match.span() for match in _URL_RE.finditer(text)]
    for token in protected:
        start = text.find(token)
        while start != -1:
            spans.append((start, start + len(token)))
            start = text.find(token, start + len(token))
    spans += identifier_spans(text)
    if "m2" in text or "m3" in text:
        spans += [match.span() for match in _UNIT_POWER_RE.finditer(text)]
    if chinese:
        spans += [
            match.span()
            for match in _ZH_LEXICAL_RE.finditer(text)
            if not match.start() or text[match.start() - 1] not in _NUMERAL_OR_ORDINAL
        ]
    text = _mask(text, spans)
    enumerator = _ENUMERATOR_RE.match(text)
    if enumerator:
        text = "\x00" * enumerator.end() + text[enumerator.end() :]
    return text


def extract_numbers(
    text: str, locale: str, *, protected: Sequence[str] = (), words: bool = True
) -> list[Number]:
    """Every number in ``text`` written in ``locale``, in text order (see the module docstring).

    ``protected`` strings (the glossary's do-not-translate tokens) are not read as numbers.
    Without ``words``, number words and month names (always optional) are left out.
    """
    return [number for _, number in find_numbers(text, locale, protected=protected, words=words)]


def find_numbers(
    text: str, locale: str, *, protected: Sequence[str] = (), words: bool = True
) -> list[tuple[int, Number]]:
    """:func:`extract_numbers` with where each number starts in ``normalize(text)`` (the
    quantity reader looks around each number for its unit and qualifier).

    >>> [(start, number.text) for start, number in find_numbers("约60%的患者，三年", "zh_Hans")]
    [(1, '60'), (8, '三')]
    """
    reading = read_text(text, locale, protected)
    found = reading.required()
    if words:
        found += reading.words()
        found.sort(key=lambda item: item[0])
    return found


class TextReading:
    """One text read once for every check that asks: normalised, masked (what holds digits
    but no quantity blanked), and its numbers, each read on first demand.

    The ``numbers`` check, the quantity reader and MT verification all start from the same
    text; :func:`read_text` hands them the same reading, so a text is normalised, masked and
    parsed once however many of them look at it.
    """

    __slots__ = ("_plain", "_required", "_words", "grammar", "masked", "normalized")

    def __init__(self, text: str, locale: str, protected: tuple[str, ...]) -> None:
        self.grammar = _grammar(locale)
        self.normalized = normalize(text)
        self.masked = _masked(self.normalized, protected, chinese=self.grammar.chinese)
        self._required: tuple[tuple[int, Number], ...] | None = None
        self._words: tuple[tuple[int, Number], ...] | None = None
        self._plain: bool | None = None

    def required(self) -> list[tuple[int, Number]]:
        """Digits, Chinese and Roman numerals with their offsets, in text order (a new list)."""
        if self._required is None:
            found = _required_numbers(self.masked, self.grammar)
            found.sort(key=lambda item: item[0])
            self._required = tuple(found)
        return list(self._required)

    def words(self) -> list[tuple[int, Number]]:
        """Number words and month names with their offsets (a new list)."""
        if self._words is None:
            self._words = tuple(_word_numbers(self.masked, self.grammar))
        return list(self._words)

    def is_plain(self) -> bool:
        """Nothing but plain Arabic numbers (see :func:`agree_plainly`)."""
        if self._plain is None:
            self._plain = _is_plain(self.normalized, self.grammar)
        return self._plain


def read_text(text: str, locale: str, protected: Sequence[str] = ()) -> TextReading:
    """The :class:`TextReading` of ``text``, remembered for the last few thousand texts: the
    checks of one entry ask for the same two texts several times."""
    return _read_text(text, locale, tuple(protected))


@functools.lru_cache(maxsize=4096)
def _read_text(text: str, locale: str, protected: tuple[str, ...]) -> TextReading:
    return TextReading(text, locale, protected)


def _required_numbers(masked: str, grammar: _Grammar) -> list[tuple[int, Number]]:
    """Digits, Chinese and Roman numerals, with their offsets (some of them optional)."""
    found = _arabic_numbers(masked, grammar)
    if grammar.chinese:
        found += _chinese_numbers(masked)
    if _ROMAN_GATE_RE.search(masked):
        found += _roman_numbers(masked, chinese=grammar.chinese)
    return found


def _arabic_numbers(text: str, grammar: _Grammar) -> list[tuple[int, Number]]:
    decimal = grammar.decimal
    if decimal in text:
        # P<.05 is P<0.05 (one regex pass in C; most texts have no such decimal).
        text = grammar.leading_decimal.sub(lambda found: found.group(1) + "0" + decimal, text)
    found: list[tuple[int, Number]] = []
    size = len(text)
    chinese, english = grammar.chinese, grammar.english
    consumed = 0
    for match in grammar.token.finditer(text):
        start, end = match.span()
        if start < consumed:
            continue  # the exponent of a power of ten read just before
        token = match.group()
        if token == "10" and end < size and text[end] in "^*⁻⁰¹²³⁴⁵⁶⁷⁸⁹ ":
            power = _POWER_RE.match(text, end)
            if power:
                exponent = power.group(1) or power.group().translate(_SUPERSCRIPTS)
                consumed = power.end()
                found.append((start, Number(Decimal(10) ** int(exponent), text[start:consumed])))
                continue
        parsed = _parse_token(token, grammar)
        # A scale word can only follow where _scale_after looks (tested here: most numbers
        # have none, and a call per number costs more than the test).
        if end < size and (
            (chinese and text[end] in "千百万亿") or (english and text[end].isspace())
        ):
            scale = _scale_after(text, end, grammar)
            if scale is not None:
                last_value, last_text = parsed[-1]
                parsed[-1] = (last_value * scale[0], last_text + scale[1])
        offset = start
        for value, written in parsed:
            found.append((offset, Number(value, written)))
            offset += len(written)
    return found


def _parse_token(token: str, grammar: _Grammar) -> list[tuple[Decimal, str]]:
    """Read ``1,234.5`` (en) or ``1.234,5`` (de) as one number, ``1,2`` (en) as two."""
    if token.isdigit():
        return [(Decimal(token), token)]
    integer, _, fraction = token.partition(grammar.decimal)
    if integer.isdigit() and fraction.isdigit():
        # One decimal mark and nothing else (89.1): what the loop below reads, more quickly.
        return [(Decimal(f"{integer}.{fraction}"), token)]
    chunks = _SEPARATOR_SPLIT_RE.split(token)  # digits, separator, digits, ...
    numbers: list[tuple[Decimal, str]] = []
    index = 0
    while index < len(chunks):
        integer = chunks[index]
        written = integer
        index += 1
        if len(integer) <= 3:
            while (
                index + 1 < len(chunks)
                and chunks[index] in grammar.groups
                and len(chunks[index + 1]) == 3
            ):
                integer += chunks[index + 1]
                written += chunks[index] + chunks[index + 1]
                index += 2
        fraction = ""
        if index + 1 < len(chunks) and chunks[index] == grammar.decimal:
            fraction = chunks[index + 1]
            written += chunks[index] + fraction
            index += 2
        numbers.append((Decimal(f"{integer}.{fraction}" if fraction else integer), written))
        index += 1  # the separator that ended this number
    return numbers


def _scale_after(text: str, end: int, grammar: _Grammar) -> tuple[Decimal, str] | None:
    """``万``/``亿``… after digits in Chinese, ``million``… in English: (factor, as written)."""
    if grammar.chinese and end < len(text) and text[end] in "千百万亿":
        match = _CN_SCALE_RE.match(text, end)
        if match:
            return _scale_value(match.group()), match.group()
    if grammar.english and end < len(text) and text[end].isspace():
        match = _EN_SCALE_RE.match(text, end)
        if match:
            return _EN_SCALES[match.group(1).lower()], match.group()
    return None


def _scale_value(scale: str) -> Decimal:
    value = Decimal(1)
    for char in scale:
        value *= _CN_SMALL_UNITS.get(char) or _CN_BIG_UNITS[char]
    return value


def _chinese_numbers(text: str) -> list[tuple[int, Number]]:
    runs = list(_CN_RUN_RE.finditer(text))
    found: list[tuple[int, Number]] = []
    skip_until = -1
    for index, match in enumerate(runs):
        start, end = match.span()
        if start < skip_until:
            continue
        before = text[start - 1 : start]
        if before.isdigit() or before == ".":
            continue  # 1.2万: read with the digits
        following = runs[index + 1] if index + 1 < len(runs) else None
        if text.startswith("分之", end) and following and following.start() == end + 2:
            skip_until = following.end()
            if match.group() == "百":
                # 百分之八十九点一: a percentage, 89.1.
                value = parse_chinese_numeral(following.group())
                if value is not None:
                    found.append((start, Number(value, text[start:skip_until])))
            else:
                # 三分之一 reads "one third", "a third", "1/3" or "33%": both ends optional.
                for part in (following, match):
                    value = parse_chinese_numeral(part.group())
                    if value is not None:
                        found.append((part.start(), Number(value, part.group(), False)))
            continue
        found += [(start, number) for number in _chinese_run(match, text)]
    return found


def _chinese_run(match: re.Match[str], text: str) -> Iterator[Number]:
    run = match.group()
    start, end = match.span()
    before = text[start - 1 : start]
    after = text[end : end + 2]
    if before and before in "几数" or after.startswith("几"):
        return  # 几十, 数百, 十几: an approximation, not a number
    integer = run.partition("点")[0]
    if (
        len(integer) == 2
        and all(char in _CN_DIGITS for char in integer)
        and not (set(run) & {"〇", "零"})
    ):
        # 七八个, 三四天, 一两次: "seven or eight": both optional.
        for char in integer:
            yield Number(Decimal(_CN_DIGITS[char]), char, required=False)
        return
    value = parse_chinese_numeral(run)
    if value is None:
        return
    if after.startswith("成") and before != "第":
        # 九成患者: nine tenths, "90% of patients".
        yield Number(value * 10, run + "成")
        return
    yield Number(value, run, required=_is_required_numeral(run, before, after))


def _is_required_numeral(run: str, before: str, after: str) -> bool:
    if before == "第":
        return True
    if run[0] in "百佰千仟万亿":
        return False  # 百万, 千万 without a leading digit are words more often than numbers
    if len(run) > 1:
        return True
    if run in "零〇":
        return False
    if run == "一":
        return after.startswith(_LEVEL_WORDS)
    return after.startswith(_MEASURE_WORDS)


def _roman_numbers(text: str, *, chinese: bool) -> list[tuple[int, Number]]:
    """Roman numerals that count: after ``Phase``, ``Grade``…, or before ``期``, ``级``…"""
    found: list[tuple[int, Number]] = []
    for match in _ROMAN_TOKEN_RE.finditer(text):
        start, end = match.span()
        if (start and text[start - 1].isascii() and text[start - 1].isalpha()) or (
            end < len(text) and text[end].isascii() and text[end].isalpha()
        ):
            continue  # part of a word: "In", "VITRAKVI"
        value = parse_roman(match.group().rstrip("abcABC"))
        if value is None:
            continue
        keyword = _KEYWORD_BEFORE_RE.search(text, max(0, start - 60), start)
        if keyword and not chinese and keyword.group().lower().startswith("phase"):
            continue  # house style: trial phases in Arabic figures (see PHASE_HINT)
        if keyword or (chinese and _CJK_COUNTED_AFTER_RE.match(text, end)):
            found.append((start, Number(Decimal(value), match.group())))
    return found


#: The house rule for trial phases, which the glossary follows too (三期临床试验 is
#: "Phase 3 trial"; "Phase III trial" is forbidden): the reader does not take a Roman
#: numeral after "Phase" in a translation for a number, and says why.
PHASE_HINT = "the house style writes trial phases in Arabic figures (Phase 3, Phase 1/2)"
_ROMAN_PHASE_RE = re.compile(r"\b[Pp]hases?[\s-]+[IVX]+\b")


def _word_numbers(text: str, grammar: _Grammar) -> list[tuple[int, Number]]:
    """English number words (``three``, ``second``, ``twenty-one``) and month names."""
    found: list[tuple[int, Number]] = []
    if grammar.english:
        lowered = text.lower()
        if not _EN_WORD_SET.isdisjoint(_LOWER_WORD_RE.findall(lowered)):
            for match in _LOWER_WORD_RE.finditer(lowered):
                value = _EN_WORDS.get(match.group())
                if value is None:
                    continue
                start = match.start()
                if found and match.group() in _EN_UNIT_SET and lowered[start - 1 : start] == "-":
                    previous_start, previous = found[-1]
                    if (
                        previous.text.lower() in _EN_TENS
                        and previous_start + len(previous.text) == start - 1
                    ):
                        # twenty-one
                        written = text[previous_start : match.end()]
                        found[-1] = (previous_start, Number(previous.value + value, written, False))
                        continue
                found.append((start, Number(value, text[start : match.end()], required=False)))
    months = grammar.months
    if months and not months.keys().isdisjoint(_WORD_RE.findall(text)):
        for match in _WORD_RE.finditer(text):
            month = months.get(match.group())
            if month is not None:
                found.append((match.start(), Number(Decimal(month), match.group(), False)))
    return found


# --- Comparison --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberMismatch:
    """The numbers left over after matching the source's against the translation's."""

    missing: tuple[Number, ...]  # required in the source, absent from the translation
    extra: tuple[Number, ...]  # in the translation, absent from the source

    @property
    def agrees(self) -> bool:
        """Nothing is missing and nothing was added."""
        return not self.missing and not self.extra

    def without(self, explained: Iterable[tuple[Number, Number]]) -> NumberMismatch:
        """The mismatch less the (source, translation) pairs that a unit conversion explains
        (36个月 and "three years": see :mod:`pipeline.tokens.quantities`)."""
        missing = list(self.missing)
        extra = list(self.extra)
        for mine, theirs in explained:
            for number in missing:
                if number.value == mine.value:
                    missing.remove(number)
                    break
            for number in extra:
                if number.value == theirs.value:
                    extra.remove(number)
                    break
        return NumberMismatch(missing=tuple(missing), extra=tuple(extra))

    def message(self, *, target_locale: str, translation: str) -> str:
        source_part = ", ".join(number.display() for number in self.missing)
        target_part = ", ".join(number.display() for number in self.extra)
        if source_part and target_part:
            text = f"source has {source_part}, translation has {target_part}"
        elif source_part:
            text = f"source has {source_part}, missing from the translation"
        else:
            text = f"translation has {target_part}, not in the source"
        hint = _format_hint(self.missing, target_locale, translation)
        if self.missing and "hase" in translation and _ROMAN_PHASE_RE.search(translation):
            hint = PHASE_HINT
        return f"{text}; {hint}" if hint else text


_AGREE = NumberMismatch(missing=(), extra=())


def _format_hint(missing: Sequence[Number], locale: str, translation: str) -> str:
    """A hint when the translation writes a number in the source's format, not the locale's."""
    grammar = _grammar(locale)
    if grammar.decimal == ".":
        return ""
    for number in missing:
        plain = _format_value(number.value)
        if "." in plain and plain in normalize(translation):
            local = format_decimal(number.value, locale=locale)
            return f"{locale} writes {plain} as {local}"
    return ""


def match_numbers(source: Sequence[Number], target: Sequence[Number]) -> NumberMismatch:
    """Match numbers by value; required ones must find a partner, optional ones may."""
    required_source = sorted(number.value for number in source if number.required)
    required_target = sorted(number.value for number in target if number.required)
    if required_source == required_target:
        return _AGREE
    by_value: dict[Decimal, list[list[Number]]] = defaultdict(lambda: [[], [], [], []])
    for number in source:
        by_value[number.value][0 if number.required else 1].append(number)
    for number in target:
        by_value[number.value][2 if number.required else 3].append(number)
    missing: list[Number] = []
    extra: list[Number] = []
    unused_optional: list[Number] = []
    for source_required, source_optional, target_required, target_optional in by_value.values():
        paired = min(len(source_required), len(target_required))
        left_in_source = source_required[paired:]
        left_in_target = target_required[paired:]
        missing += left_in_source[len(target_optional) :]
        extra += left_in_target[len(source_optional) :]
        if not source_required and not source_optional:
            unused_optional += target_optional
    if missing and not extra:
        # "三个基因" -> "two genes": show the word that took the number's place.
        extra = unused_optional
    return NumberMismatch(missing=tuple(missing), extra=tuple(extra))


def compare_numbers(
    source: str,
    translation: str,
    source_locale: str,
    target_locale: str,
    *,
    protected: Sequence[str] = (),
) -> str | None:
    """The ``numbers`` message for a pair, or None when their numbers agree."""
    mismatch = number_differences(
        source, translation, source_locale, target_locale, protected=protected
    )
    if mismatch.agrees:
        return None
    return mismatch.message(target_locale=target_locale, translation=translation)


def number_differences(
    source: str,
    translation: str,
    source_locale: str,
    target_locale: str,
    *,
    protected: Sequence[str] = (),
) -> NumberMismatch:
    """The numbers of ``source`` missing from ``translation`` and those it adds, by value.

    This is the one comparison behind the ``numbers`` check, the verification of MT drafts
    and the translation memory's "numbers differ" note. ``protected`` strings (glossary
    terms that are not quantities, see :func:`not_quantities`) are read in neither text.
    Number words and month names are optional, so they are read only when a number is left
    over without them: most pairs agree on their digits alone.

    >>> number_differences("共1.2万例", "12,000 patients", "zh_Hans", "en").agrees
    True
    >>> wrong = number_differences("共1.2万例", "1.2 patients", "zh_Hans", "en")
    >>> [number.display() for number in wrong.missing], [n.display() for n in wrong.extra]
    (['12000 (1.2万)'], ['1.2'])
    """
    if agree_plainly(source, translation, source_locale, target_locale, protected=protected):
        return _AGREE
    return read_differences(source, translation, source_locale, target_locale, protected=protected)


def read_differences(
    source: str,
    translation: str,
    source_locale: str,
    target_locale: str,
    *,
    protected: Sequence[str] = (),
) -> NumberMismatch:
    """:func:`number_differences` by the full reading, without the fast path (for tests that
    check the fast path against it)."""
    protected = tuple(protected)
    source_reading = read_text(source, source_locale, protected)
    target_reading = read_text(translation, target_locale, protected)
    source_found = source_reading.required()
    target_found = target_reading.required()
    # (required() is in text order already; words, added below, are not.)
    mismatch = match_numbers(
        [number for _, number in source_found], [number for _, number in target_found]
    )
    if mismatch.extra:
        source_found += source_reading.words()
    if mismatch.missing:
        target_found += target_reading.words()
    if mismatch.extra or mismatch.missing:
        mismatch = match_numbers(_ordered(source_found), _ordered(target_found))
    return mismatch


def _ordered(found: list[tuple[int, Number]]) -> list[Number]:
    return [number for _, number in sorted(found, key=lambda item: item[0])]


# What makes a text more than plain Arabic numbers: Chinese numerals, powers of ten and
# identifiers (a letter next to a digit); Roman numerals and scale words are tested apart.
# Each pattern starts with a character class: ``re`` then skips to candidates quickly.
_NOT_PLAIN_CHAR_RE = {
    True: re.compile(rf"[{_CN_CLASS}\^⁰¹²³⁴⁵⁶⁷⁸⁹]"),
    False: re.compile(r"[\^⁰¹²³⁴⁵⁶⁷⁸⁹]"),
}
_SCALE_WORDS = ("hundred", "thousand", "illion")


def _is_plain(text: str, grammar: _Grammar) -> bool:
    if _NOT_PLAIN_CHAR_RE[grammar.chinese].search(text) or _ENUMERATOR_RE.match(text):
        return False
    if grammar.english:
        lowered = text.lower()
        if any(word in lowered for word in _SCALE_WORDS):
            return False
    return not (_ROMAN_GATE_RE.search(text) and _roman_numbers(text, chinese=grammar.chinese))


def agree_plainly(
    source: str,
    translation: str,
    source_locale: str,
    target_locale: str,
    *,
    protected: Sequence[str] = (),
) -> bool:
    """A fast sufficient test that ``compare_numbers`` finds nothing.

    True when both locales write numbers the same way (same decimal and group marks), both
    texts hold nothing but plain Arabic numbers (no Chinese or counting Roman numeral, power,
    scale word or list number) and, identifiers and ``protected`` strings aside, show the
    same number tokens: then their values agree too. The tests check that it never says True
    where the full comparison reports a mismatch. The texts are read as the full comparison
    reads them (:func:`read_text`, with the same ``protected``), so that a pair the shortcut
    cannot settle is not read twice.
    """
    source_grammar = _grammar(source_locale)
    target_grammar = _grammar(target_locale)
    if (source_grammar.decimal, source_grammar.groups) != (
        target_grammar.decimal,
        target_grammar.groups,
    ):
        return False  # the same digits mean different numbers
    source_reading = read_text(source, source_locale, protected)
    translation_reading = read_text(translation, target_locale, protected)
    if not source_reading.is_plain() or not translation_reading.is_plain():
        return False
    # Blank what the full comparison blanks (identifiers, placeholders, URLs...), so that
    # both read the same digits.
    token = source_grammar.token
    source_tokens = token.findall(source_reading.masked)
    target_tokens = token.findall(translation_reading.masked)
    return sorted(source_tokens) == sorted(target_tokens)


# Values compare without their percent signs (``10-20%`` may stand for ``10%-20%``), so a
# translation that drops the unit altogether ("89.1% of patients" -> "89.1 patients") needs
# its own test: a percentage in the source, and no percent sign or word in the translation.
_SOURCE_PERCENT = re.compile(r"[\d０-９][\d０-９.,．，]*\s*[%％]|百分之[^，。；、\s]{1,8}|百分点")
_TARGET_PERCENT = re.compile(
    r"[%％]|\bper\s?cent|percentage|pour\s?cent|prozent|por\s?ciento|퍼센트|백분율|百分",
    re.IGNORECASE,
)


def lost_percentage(source: str, translation: str) -> str | None:
    """The message when the source states a percentage and the translation has none.

    >>> lost_percentage("客观缓解率为89.1%。", "The objective response rate was 89.1.")
    'source has the percentage 89.1%, translation has no percent sign or word'
    >>> lost_percentage("客观缓解率为89.1%。", "The ORR was 89.1 per cent.") is None
    True
    """
    found = lost_percent_sign(source, translation)
    if found is None:
        return None
    return f"source has the percentage {found}, translation has no percent sign or word"


def lost_percent_sign(source: str, translation: str) -> str | None:
    """The first percentage of ``source`` as written, when ``translation`` has no percent
    sign or word at all; else None.

    >>> lost_percent_sign("客观缓解率为89.1%。", "The objective response rate was 89.1.")
    '89.1%'
    """
    found = _SOURCE_PERCENT.search(source)
    if found is None or _TARGET_PERCENT.search(translation):
        return None
    return found.group()


@dataclass(frozen=True)
class TermReading:
    """What :func:`not_quantities` needs to know of a glossary term found in a source."""

    text: str  # as found in the source
    dnt: bool
    forms: tuple[str, ...]  # every form of a do-not-translate term
    target: str | None  # the approved rendering in the target locale


def not_quantities(
    terms: Iterable[TermReading], source_locale: str, target_locale: str
) -> tuple[str, ...]:
    """Glossary terms of a source whose digits or numerals are not quantities.

    dnt forms with digits (``TRIDENT-1``; identifiers are blanked anyway), and terms whose
    numeral the glossary renders without a number (``二代测序``, "next-generation
    sequencing"): the glossary knows best. Pass the result as ``protected``.
    """
    found: list[str] = []
    for term in terms:
        if term.dnt:
            found.extend(form for form in (term.text, *term.forms) if _DIGIT_RE.search(form))
            continue
        if (
            term.target is not None
            and has_numbers(term.text, source_locale)
            and not has_numbers(term.target, target_locale)
        ):
            found.append(term.text)
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=4096)
def has_numbers(text: str, locale: str) -> bool:
    """Whether ``text`` holds any number at all (words included)."""
    return bool(extract_numbers(text, locale))
