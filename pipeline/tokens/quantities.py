"""Quantities read whole: a number with its unit, its qualifier and its kind.

The number reader (:mod:`pipeline.tokens.numbers`) finds numbers by value; this module reads
what stands around each of them, in Chinese and English:

- the **unit** and with it the **kind**: percentage (``%``, ``百分之``, ``九成``), percentage
  point (``个百分点``), multiplier (``倍``, ``-fold``), duration (``个月``, ``周``, ``weeks``),
  age (``岁``, ``years old``), dose (``毫克``, ``mg``, ``mg/m²``, ``mg/kg``), volume, count
  (``例``, ``名``, ``次``), length (``厘米``, ``mm``), temperature (``℃``, ``°F``), pressure
  (``mmHg``, ``kPa``), concentration (``mg/dL``, ``mmol/L``, ``ng/mL``: a mass or amount per
  volume); a number with none is a plain number;
- the **qualifier**: ``约``/``左右`` "about", ``近`` "nearly", ``高达`` "up to", ``超过``/``以上``
  "more than", ``至少`` "at least", ``不到``/``以下`` "less than", ``不超过``/``以内`` "at most",
  and the English words for each (before or after the number: "18 months or more");
- **ranges** (``10-20%``, ``12至18个月``, "between 10 and 20 mg"): their ends share the unit
  and the qualifier written once.

:func:`compare_quantities` pairs the quantities of a source and its translation by value and
reports what a reviser would: a changed or dropped qualifier, a changed unit or kind (24周 ->
"24 months", 285倍 -> "285%"). It accepts what a reviser accepts: a conversion between units
of one dimension (36个月 = "three years", 0.5克 = "500 mg", 2周 = "14 days"), and returns those
conversions so that the ``numbers`` check does not report them either.

>>> [q.describe() for q in read_quantities("约60%的患者在36个月以上获益", "zh_Hans")]
['about 60 percent', 'more than 36 months']
>>> compare_quantities("高达285倍", "up to 285%", "zh_Hans", "en").messages
('source has 高达285倍 (a multiplier), translation has up to 285% (a percentage)',)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import NamedTuple

from pipeline.tokens.numbers import Number, read_text

__all__ = [
    "QUALIFIERS",
    "Comparison",
    "Quantity",
    "Unit",
    "compare_quantities",
    "read_quantities",
]


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its name (shared by both languages), kind, and where it converts.

    Units of one ``dimension`` convert into each other by ``factor`` (to the dimension's
    base unit); units without a dimension (counts) never convert.
    """

    name: str
    kind: str
    dimension: str | None = None
    factor: Decimal = Decimal(1)


def _unit(name: str, kind: str, dimension: str | None = None, factor: str = "1") -> Unit:
    return Unit(name=name, kind=kind, dimension=dimension, factor=Decimal(factor))


PERCENT = _unit("percent", "percentage", "percent")
_POINTS = _unit("percentage points", "percentage point", "points")
_FOLD = _unit("fold", "multiplier", "fold")
_TIMES = _unit("times", "count")
_COUNT = _unit("count", "count")
_YEARS = _unit("years", "duration", "months", "12")
_MONTHS = _unit("months", "duration", "months")
# Weeks, days, hours, minutes and seconds convert exactly (in seconds); months and years too
# (in months); a month is no whole number of weeks, so the two never convert into each other.
_WEEKS = _unit("weeks", "duration", "time", "604800")
_DAYS = _unit("days", "duration", "time", "86400")
_HOURS = _unit("hours", "duration", "time", "3600")
_MINUTES = _unit("minutes", "duration", "time", "60")
_SECONDS = _unit("seconds", "duration", "time", "1")
_AGE = _unit("years of age", "age", "months", "12")
_MG = _unit("mg", "dose", "mass", "1")
_G = _unit("g", "dose", "mass", "1000")
_KG = _unit("kg", "dose", "mass", "1000000")
_UG = _unit("µg", "dose", "mass", "0.001")
_NG = _unit("ng", "dose", "mass", "0.000001")
_ML = _unit("mL", "volume", "volume", "1")
_L = _unit("L", "volume", "volume", "1000")
_UL = _unit("µL", "volume", "volume", "0.001")
_MMOL = _unit("mmol", "amount", "amount", "1")
_UMOL = _unit("µmol", "amount", "amount", "0.001")
_NMOL = _unit("nmol", "amount", "amount", "0.000001")
_MOL = _unit("mol", "amount", "amount", "1000")
_MM = _unit("mm", "length", "length", "1")
_CM = _unit("cm", "length", "length", "10")
# Celsius and Fahrenheit do not convert by a factor: a change between them is reported.
_CELSIUS = _unit("°C", "temperature", "celsius")
_FAHRENHEIT = _unit("°F", "temperature", "fahrenheit")
# mmHg and kPa convert by no round factor (1 kPa = 7.5006 mmHg): a change is reported.
_MMHG = _unit("mmHg", "pressure", "mmhg")
_KPA = _unit("kPa", "pressure", "kpa")

# How each language writes the units after a number. Longer forms first.
_ZH_UNITS: dict[str, Unit] = {
    "个百分点": _POINTS, "百分点": _POINTS, "%": PERCENT, "倍": _FOLD,
    "个月": _MONTHS, "个多月": _MONTHS, "年": _YEARS, "周": _WEEKS, "星期": _WEEKS,
    "个星期": _WEEKS, "天": _DAYS, "日": _DAYS, "小时": _HOURS, "个小时": _HOURS,
    "分钟": _MINUTES, "秒钟": _SECONDS, "秒": _SECONDS, "岁": _AGE,
    "毫米汞柱": _MMHG, "mmHg": _MMHG, "千帕": _KPA, "kPa": _KPA,
    "毫米": _MM, "mm": _MM, "厘米": _CM, "公分": _CM, "cm": _CM,
    "℃": _CELSIUS, "°C": _CELSIUS, "摄氏度": _CELSIUS, "℉": _FAHRENHEIT, "°F": _FAHRENHEIT,
    "华氏度": _FAHRENHEIT,
    "毫摩尔": _MMOL, "mmol": _MMOL, "微摩尔": _UMOL, "μmol": _UMOL, "µmol": _UMOL,
    "纳摩尔": _NMOL, "nmol": _NMOL,
    "毫克": _MG, "mg": _MG, "克": _G, "g": _G, "千克": _KG, "公斤": _KG, "kg": _KG,
    "微克": _UG, "μg": _UG, "µg": _UG, "mcg": _UG, "纳克": _NG, "ng": _NG,
    "毫升": _ML, "ml": _ML, "mL": _ML, "升": _L, "L": _L, "微升": _UL,
    "例": _COUNT, "名": _COUNT, "位": _COUNT, "人": _COUNT, "个": _COUNT, "种": _COUNT,
    "项": _COUNT, "次": _TIMES,
}  # fmt: skip
_EN_UNITS: dict[str, Unit] = {
    "percentage points": _POINTS, "percentage point": _POINTS, "per cent": PERCENT,
    "percent": PERCENT, "%": PERCENT, "fold": _FOLD, "x": _FOLD, "×": _FOLD, "times": _TIMES,
    "years old": _AGE, "year old": _AGE, "years of age": _AGE, "year-old": _AGE,
    "years": _YEARS, "year": _YEARS, "yrs": _YEARS, "yr": _YEARS,
    "months": _MONTHS, "month": _MONTHS, "mo": _MONTHS, "mos": _MONTHS,
    "weeks": _WEEKS, "week": _WEEKS, "wk": _WEEKS, "wks": _WEEKS,
    "days": _DAYS, "day": _DAYS, "hours": _HOURS, "hour": _HOURS, "h": _HOURS, "hr": _HOURS,
    "hrs": _HOURS, "minutes": _MINUTES, "minute": _MINUTES, "min": _MINUTES,
    "mins": _MINUTES, "seconds": _SECONDS, "sec": _SECONDS, "secs": _SECONDS,
    "mm": _MM, "millimetres": _MM, "millimeters": _MM, "millimetre": _MM, "millimeter": _MM,
    "cm": _CM, "centimetres": _CM, "centimeters": _CM, "centimetre": _CM, "centimeter": _CM,
    "°c": _CELSIUS, "℃": _CELSIUS, "degrees celsius": _CELSIUS, "°f": _FAHRENHEIT,
    "℉": _FAHRENHEIT, "degrees fahrenheit": _FAHRENHEIT, "mmhg": _MMHG, "mm hg": _MMHG,
    "kpa": _KPA, "mmol": _MMOL, "millimoles": _MMOL, "µmol": _UMOL, "μmol": _UMOL,
    "micromoles": _UMOL, "nmol": _NMOL, "mol": _MOL, "moles": _MOL,
    "mg": _MG, "milligrams": _MG, "milligram": _MG, "g": _G, "grams": _G, "gram": _G,
    "kg": _KG, "kilograms": _KG, "kilogram": _KG, "µg": _UG, "μg": _UG, "mcg": _UG,
    "micrograms": _UG, "microgram": _UG, "ng": _NG, "nanograms": _NG, "nanogram": _NG,
    "ml": _ML, "millilitres": _ML, "milliliters": _ML, "millilitre": _ML, "milliliter": _ML,
    "l": _L, "litres": _L, "liters": _L, "litre": _L, "liter": _L, "µl": _UL, "μl": _UL,
}  # fmt: skip


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# A dose per body surface or per body weight: mg/m², 毫克/平方米, mg per kg, 每公斤.
_PER_AREA_RE = re.compile(
    r"\s*(?:/|per\s+|每)\s*(?:m2|m²|m\^2|平方米|square\s+met(?:re|er)s?)", re.IGNORECASE
)
_PER_WEIGHT_RE = re.compile(r"\s*(?:/|per\s+|每)\s*(?:kg|千克|公斤|kilo(?:gram)?s?)", re.IGNORECASE)
_ZH_PER_BEFORE_RE = re.compile(r"每(平方米|千克|公斤)(?:体表面积|体重)?\s*\Z")

# --- qualifiers -------------------------------------------------------------------------------

#: Qualifier classes, as shown in messages.
QUALIFIERS = {
    "about": "about",
    "nearly": "nearly",
    "up-to": "up to",
    "more": "more than",
    "at-least": "at least",
    "less": "less than",
    "at-most": "at most",
}
# A qualifier written as a symbol means exactly that: ≥3 is "3 or more", never "more than 3".
_EXACT_SYMBOLS = frozenset({"≥", ">", "≤", "<", ">=", "<="})
# What a reviser accepts for each: 以上 is "more than" as often as "or more".
_ACCEPTED = {
    "about": {"about", "nearly"},
    "nearly": {"nearly", "about"},
    "up-to": {"up-to", "at-most"},
    "more": {"more", "at-least"},
    "at-least": {"at-least", "more"},
    "less": {"less", "at-most"},
    "at-most": {"at-most", "less", "up-to"},
}

_ZH_BEFORE = {
    "about": "约 大约 大概 约为 大致 约莫 估计 ~",
    "nearly": "近 将近 接近 几乎 差不多",
    "up-to": "高达 多达 最高 最高可达 可高达 长达 可达 最多可达",
    "more": "超过 逾 超 多于 大于 高于 长于 > 超出",
    "at-least": "至少 不少于 不低于 不短于 起码 最少 ≥",
    "less": "不到 不足 低于 少于 小于 短于 未满 不及 <",
    "at-most": "不超过 至多 不高于 不多于 不大于 最多 ≤",
}
_ZH_AFTER = {
    # Not 多 after a unit: 2项多中心研究 is "two multicentre studies" (10多年 is read apart).
    "more": "以上 之上 余 有余 出头",
    "less": "以下 之下",
    "at-most": "以内 之内 内",
    "about": "左右 上下 前后",
}
_EN_BEFORE = {
    "about": "about|approximately|approx.|approx|around|roughly|some|circa|~|an estimated"
    "|estimated",
    "nearly": "nearly|almost|close to|approaching|just under|just below",
    "up-to": "up to|as many as|as much as|as high as|as long as|as great as",
    "more": "more than|over|above|exceeding|exceeds|exceeded|exceed|greater than|higher than"
    "|longer than|older than|later than|in excess of|upwards of|beyond|>",
    "at-least": "at least|no less than|no fewer than|not less than|not fewer than"
    "|a minimum of|minimum of|≥|>=",
    "less": "less than|fewer than|under|below|lower than|shorter than|younger than|<",
    "at-most": "at most|no more than|not more than|not exceed|not exceeding|not to exceed"
    "|a maximum of|maximum of|no longer than|no greater than|no higher than|within|≤|<=",
}
_EN_AFTER = {
    "at-least": "or more|or longer|or older|or above|or over|or greater|or higher|and over"
    "|and above|and older|+",
    "at-most": "or less|or fewer|or younger|or below|or under|or shorter|or lower",
    "about": "or so",
}


def _table(spec: dict[str, str], *, sep: str | None = None) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, words in spec.items():
        for form in words.split(sep):
            if form in table:
                raise ValueError(f"qualifier {form!r} is listed twice")
            table[form] = name
    return table


_ZH_BEFORE_TABLE = _table(_ZH_BEFORE)
_ZH_AFTER_TABLE = _table(_ZH_AFTER)
_EN_BEFORE_TABLE = _table(_EN_BEFORE, sep="|")
_EN_AFTER_TABLE = _table(_EN_AFTER, sep="|")

# A qualifier right before the number; in Chinese a few words may come between
# (约为, 超过了, 可达拉罗替尼的285倍).
_ZH_BEFORE_RE = re.compile(
    rf"({_alternation(list(_ZH_BEFORE_TABLE))})"
    r"(?P<gap>[\u4e00-\u9fff]{0,2}|[^，。；、,;:：\d\s]{1,8}的|每(?:平方米|千克|公斤)(?:体表面积|体重)?)"
    r"\s*\Z"
)
# A one-character qualifier (约, 近, 超, 逾…) stands right before its number (约为, 近一半);
# further away it is part of another word (近期, 最近, 超声).
_ZH_SHORT_GAP = frozenset("为有是达了在占到")
_EN_BEFORE_RE = re.compile(
    rf"(?<![a-z])({_alternation(list(_EN_BEFORE_TABLE))})\s*(?:a\s+|an\s+|the\s+)?\Z"
)
_ZH_AFTER_RE = re.compile(rf"\s*({_alternation(list(_ZH_AFTER_TABLE))})")
_EN_AFTER_RE = re.compile(rf"\s*({_alternation(list(_EN_AFTER_TABLE))})(?![a-z])")
# Between the two ends of a range (or of a list that shares a unit: "10 and 20 mg").
_RANGE_JOINER_RE = re.compile(r"\s*(?:-|–|—|~|至|到|to|through)\s*\Z")
_LIST_JOINER_RE = re.compile(r"\s*(?:and|or|,|、|和|或|/)\s*\Z")
_BETWEEN_RE = re.compile(r"between\s+\Z")
# Between the two numbers of a fraction, whose qualifier is the whole fraction's: 约三分之一,
# "about one in three", "roughly 1/3", "about one third" (an ordinal word after a space).
_FRACTION_JOINER_RE = re.compile(r"\s*(?:分之|in|out\s+of|/)\s*\Z")
_FRACTION_WORD_RE = re.compile(
    r"(?:half|halves|third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?\Z"
)
# Spaces aside, the longest joiner above but "out of" (whose spaces may be many).
_LONGEST_JOINER = len("through")
# English words that make "over"/"within" plain prepositions of time ("over 12 months").
_TIME_PREPOSITIONS = frozenset({"over", "within"})
# 一半, 半数 "half"; 半年, 半小时 "half a year", "half an hour" (not the 半 of 一年半 or 两个半月).
_HALF_RE = re.compile(
    r"一半|半数|(?<![一二两三四五六七八九十\d])半(?=个?(?:小时|年|月|天|周|星期|分钟))"
)
_EN_ONE_UNIT_RE = re.compile(
    r"(?<![A-Za-z])([Aa]n?)\s+(?=(?:year|month|week|day|hour|minute)(?![A-Za-z]))"
)
_CHINESE = frozenset({"zh", "yue", "wuu"})
_TIMES_FOLD_RE = re.compile(r"\s+(?:higher|greater|more|larger|stronger|as|that|the)\b")
_TIMES_COUNT_RE = re.compile(r"\s+(?:a|per|each|every|daily|weekly)\b")


class Quantity(NamedTuple):
    """A number with its unit, qualifier and kind, where it stands in its text.

    (A named tuple rather than a frozen dataclass: texts hold many, and it is cheaper.)
    """

    number: Number
    start: int
    end: int  # after the unit (or the number)
    unit: Unit | None = None
    qualifier: str | None = None
    qualifier_text: str = ""
    written: str = ""  # qualifier, number and unit as written
    in_range: bool = False

    @property
    def value(self) -> Decimal:
        return self.number.value

    @property
    def kind(self) -> str:
        return self.unit.kind if self.unit else "number"

    @property
    def canonical(self) -> tuple[str, Decimal] | None:
        """(dimension, value in the dimension's base unit), None without a dimension."""
        if self.unit is None or self.unit.dimension is None:
            return None
        return self.unit.dimension, (self.value * self.unit.factor).normalize()

    def describe(self) -> str:
        """``about 60 percent``: qualifier, value and unit in words (for messages, tests)."""
        parts = [QUALIFIERS[self.qualifier]] if self.qualifier else []
        parts.append(format(self.value.normalize(), "f"))
        if self.unit is not None and self.unit.name != "count":
            parts.append(self.unit.name)
        return " ".join(parts)


def read_quantities(
    text: str, locale: str, *, protected: Sequence[str] = (), words: bool = True
) -> tuple[Quantity, ...]:
    """The quantities of a Chinese or English text, in text order (() for other languages).

    ``protected`` strings (do-not-translate tokens) hold no numbers, as for the reader;
    without ``words``, number words ("three years") are left out.
    """
    language = locale.replace("-", "_").split("_")[0]
    chinese = language in _CHINESE
    if not chinese and language != "en":
        return ()
    reading = read_text(text, locale, protected)  # shared with the numbers check
    normalized = reading.normalized
    found = reading.required()  # in text order
    if words:
        found_words = reading.words()
        if found_words:
            found += found_words
            found.sort(key=lambda item: item[0])
    if not chinese and _EN_ONE_UNIT_RE.search(normalized):
        # "a year", "a week": one, which a source's 12个月 or 7天 may be converted into.
        found = found + [
            (match.start(), Number(Decimal(1), match.group(1), required=False))
            for match in _EN_ONE_UNIT_RE.finditer(normalized)
        ]
        found.sort(key=lambda item: item[0])
    if chinese and ("半" in normalized):
        found += [
            (match.start(), Number(Decimal("0.5"), match.group(), required=False))
            for match in _HALF_RE.finditer(normalized)
        ]
        found.sort(key=lambda item: item[0])
    if not found:
        return ()
    lowered = normalized if chinese else normalized.lower()
    quantities = [
        _read_one(lowered, normalized, start, number, chinese=chinese) for start, number in found
    ]
    return tuple(_join_ranges(quantities, lowered))


def _read_one(lowered: str, text: str, start: int, number: Number, *, chinese: bool) -> Quantity:
    written = number.text
    end = min(len(text), start + len(written))
    unit: Unit | None = None
    qualifier: str | None = None
    qualifier_text = ""
    # (百分之八十九 and 九成 are read in Chinese text only.)
    if chinese and (written.startswith("百分之") or written.endswith("成")):
        unit = PERCENT
    elif chinese:
        unit, end, more = _zh_unit(lowered, end, number, start)
        if more:
            qualifier, qualifier_text = "more", more
    else:
        unit, end = _en_unit(lowered, end, half=number.text.lower() == "half")
    if unit is not None and unit.kind in ("dose", "amount"):
        unit, end = _per_volume(unit, text, end)
    if unit is not None and unit.kind == "dose":
        unit, end = _per_body(unit, lowered, start, end, chinese=chinese)
    start_written = start
    # An ordinal (第一代 "first-generation", 第3周) counts nothing, so nothing qualifies it:
    # in 最高可达第一代药物的285倍 the "up to" belongs to 285.
    ordinal = chinese and lowered[start - 1 : start] == "第"
    if qualifier is None and not ordinal:
        before = lowered[max(0, start - 24) : start]
        found = _zh_before(before) if chinese else _en_before(before)
        if found is not None:
            qualifier_text = found.group(1)
            qualifier = (_ZH_BEFORE_TABLE if chinese else _EN_BEFORE_TABLE)[qualifier_text]
            start_written = start - len(before) + found.start()
        else:
            after = _after(lowered, end, chinese=chinese)
            if after is not None:
                qualifier_text = after.group(1)
                qualifier = (_ZH_AFTER_TABLE if chinese else _EN_AFTER_TABLE)[qualifier_text]
                end = after.end()
    if qualifier_text == "近" and unit is not None and unit.kind == "duration":
        # 近3年 is "the past 3 years", not "nearly 3 years".
        qualifier, qualifier_text, start_written = None, "", start
    # (Positional arguments: a named tuple is built faster without keywords.)
    return Quantity(
        number, start, end, unit, qualifier, qualifier_text, text[start_written:end].strip()
    )


_ZH_UNIT_SIZES = sorted({len(form) for form in _ZH_UNITS}, reverse=True)
_ZH_UNIT_FIRST = frozenset(form[0] for form in _ZH_UNITS)


def _zh_unit(text: str, end: int, number: Number, start: int) -> tuple[Unit | None, int, str]:
    """The unit after a Chinese number (a dict lookup per length, no regex), where it ends,
    and 多/余 if written between them ("10多年")."""
    position = end
    while position < len(text) and text[position] == " ":
        position += 1
    more = ""
    if text[position : position + 1] in ("多", "余"):
        more = text[position]
        position += 1
    if text[position : position + 1] not in _ZH_UNIT_FIRST:
        return None, end, ""  # no unit starts here (most plain numbers): no lookup by length
    for size in _ZH_UNIT_SIZES:
        written = text[position : position + size]
        unit = _ZH_UNITS.get(written)
        if unit is None:
            continue
        if written == "年" and len(number.text) == 4 and number.text.isdigit():
            return None, end, ""  # 2023年: a calendar year
        if written == "日" and "月" in text[max(0, start - 3) : start]:
            return None, end, ""  # 5月3日: a date
        return unit, position + size, more
    return None, end, ""


_EN_NEXT_WORD_RE = re.compile(r"\s*-?\s*(%|×|°[cf]|℃|℉|[a-zµμ]+)")
# Units of two or three words: the first word, then what may follow it.
_EN_LONGER_UNITS = {
    "per": re.compile(r"\s+(cent)\b"),
    "percentage": re.compile(r"\s+(points?)\b"),
    "year": re.compile(r"(?:\s+|-)(old|of\s+age)\b"),
    "years": re.compile(r"(?:\s+|-)(old|of\s+age)\b"),
    "degrees": re.compile(r"\s+(celsius|fahrenheit)\b"),
    "mm": re.compile(r"\s+(hg)\b"),
}
_POWER_AFTER_RE = re.compile(r"\s*10\b")
# Adjectives that may stand between a number and its unit ("28 consecutive days").
_EN_UNIT_ADJECTIVES = frozenset(
    {"consecutive", "successive", "straight", "additional", "more", "further", "extra", "full",
     "whole", "complete", "calendar", "continuous"}
)


def _en_unit(text: str, end: int, *, half: bool = False) -> tuple[Unit | None, int]:
    """The unit after an English number (a dict lookup on the next word), and where it ends;
    after ``half``, an article may come first ("half an hour")."""
    match = _EN_NEXT_WORD_RE.match(text, end)
    if match is None:
        return None, end
    word = match.group(1)
    if half and word in ("a", "an"):
        match = _EN_NEXT_WORD_RE.match(text, match.end())
        if match is None:
            return None, end
        word = match.group(1)
    if word in _EN_UNIT_ADJECTIVES:
        # "28 consecutive days", "6 more months": the unit after one such adjective.
        after = _EN_NEXT_WORD_RE.match(text, match.end())
        if after is not None and after.group(1) in _EN_UNITS and after.group(1) != "x":
            match, word = after, after.group(1)
    longer = _EN_LONGER_UNITS.get(word)
    if longer is not None:
        rest = longer.match(text, match.end())
        if rest is not None:
            written = f"{word} {' '.join(rest.group(1).split())}"
            unit = _EN_UNITS.get(written) or _EN_UNITS.get(f"{word} old")
            return unit, rest.end()
    unit = _EN_UNITS.get(word)
    if unit is None:
        return None, end
    if word in ("x", "×") and _POWER_AFTER_RE.match(text, match.end()):
        return None, end  # 1.5 × 10^9: a power of ten, not a multiplier
    if unit is _TIMES:
        # "3 times higher" is a multiplier; "3 times a day" a count; alone, either.
        if _TIMES_FOLD_RE.match(text, match.end()):
            return _FOLD, match.end()
        if not _TIMES_COUNT_RE.match(text, match.end()):
            return None, end
    return unit, match.end()


_ZH_QUALIFIER_CHARS = frozenset("".join(_ZH_BEFORE_TABLE))


def _zh_before(before: str) -> re.Match[str] | None:
    """A qualifier before a Chinese number (a cheap character test first)."""
    if _ZH_QUALIFIER_CHARS.isdisjoint(before):
        return None
    found = _ZH_BEFORE_RE.search(before)
    if found is not None and len(found.group(1)) == 1:
        gap = found.group("gap")
        preceding = before[found.start() - 1 : found.start()]
        if not set(gap) <= _ZH_SHORT_GAP or len(gap) > 2 or preceding in ("最", "附", "将"):
            return None
    return found


# The last word of every English qualifier: a cheap test before the regex.
_EN_LAST_WORDS = frozenset(form.split()[-1] for form in _EN_BEFORE_TABLE)
_ARTICLES = frozenset({"a", "an", "the"})


def _en_before(before: str) -> re.Match[str] | None:
    """A qualifier before an English number (a cheap last-word test first)."""
    words = before.rsplit(None, 2)
    if not words:
        return None
    last = words[-1]
    if last in _ARTICLES and len(words) > 1:
        last = words[-2]
    if last not in _EN_LAST_WORDS and last[-1:] not in ("~", "<", ">", "≤", "≥", "="):
        return None
    return _EN_BEFORE_RE.search(before)


_ZH_AFTER_FIRST = frozenset(form[0] for form in _ZH_AFTER_TABLE) | {" "}
# Words of rank between a number and its qualifier: 3级以上, III期以上, 二线以上.
_ZH_LEVEL_WORDS = frozenset("级期线度")


def _after(text: str, end: int, *, chinese: bool) -> re.Match[str] | None:
    """A qualifier written after the quantity: 以上, 左右, "or more"."""
    if chinese:
        if text[end : end + 1] in _ZH_LEVEL_WORDS:
            end += 1  # 3级以上 "grade 3 or higher", III期以上, 二线以上
        if text[end : end + 1] not in _ZH_AFTER_FIRST:
            return None
        return _ZH_AFTER_RE.match(text, end)
    if not text[end : end + 6].lstrip().startswith(("or", "and", "+")):
        return None
    return _EN_AFTER_RE.match(text, end)


def _per_body(unit: Unit, text: str, start: int, end: int, *, chinese: bool) -> tuple[Unit, int]:
    """mg -> mg/m² or mg/kg when the dose is per body surface or weight."""
    for pattern, suffix in ((_PER_AREA_RE, "/m²"), (_PER_WEIGHT_RE, "/kg")):
        match = pattern.match(text, end)
        if match:
            return _per(unit, suffix), match.end()
    if chinese:
        match = _ZH_PER_BEFORE_RE.search(text[max(0, start - 10) : start])
        if match:
            return _per(unit, "/m²" if match.group(1) == "平方米" else "/kg"), end
    return unit, end


# A concentration: mass or amount per volume (mg/dL, mmol/L, ng/mL, 毫克/分升).
_PER_VOLUME_RE = re.compile(
    r"\s*(?:/|per\s+|每)\s*(dl|ml|µl|μl|l|分升|毫升|升|decilit(?:re|er)|millilit(?:re|er)"
    r"|lit(?:re|er))(?![a-z])",
    re.IGNORECASE,
)
# Each volume in millilitres, and its name in messages.
_VOLUMES = {
    "dl": ("dL", Decimal(100)), "分升": ("dL", Decimal(100)), "decilitre": ("dL", Decimal(100)),
    "deciliter": ("dL", Decimal(100)), "ml": ("mL", Decimal(1)), "毫升": ("mL", Decimal(1)),
    "millilitre": ("mL", Decimal(1)), "milliliter": ("mL", Decimal(1)),
    "µl": ("µL", Decimal("0.001")), "μl": ("µL", Decimal("0.001")),
    "l": ("L", Decimal(1000)), "升": ("L", Decimal(1000)), "litre": ("L", Decimal(1000)),
    "liter": ("L", Decimal(1000)),
}  # fmt: skip


def _per_volume(unit: Unit, text: str, end: int) -> tuple[Unit, int]:
    """mg -> mg/dL, mmol -> mmol/L: a concentration, which converts within its dimension
    (1 g/L = 100 mg/dL) but never into a dose or another kind of concentration."""
    match = _PER_VOLUME_RE.match(text, end)
    if match is None:
        return unit, end
    name, millilitres = _VOLUMES[match.group(1).lower()]
    concentration = Unit(
        name=f"{unit.name}/{name}",
        kind="concentration",
        dimension=f"{unit.dimension}/volume",
        factor=unit.factor / millilitres,
    )
    return concentration, match.end()


def _per(unit: Unit, suffix: str) -> Unit:
    return replace(unit, name=unit.name + suffix, dimension=f"{unit.dimension}{suffix}")


def _join_ranges(quantities: list[Quantity], text: str) -> list[Quantity]:
    """The ends of a range (or a list) share the unit written once and the qualifier."""
    for index in range(len(quantities) - 1):
        first, second = quantities[index], quantities[index + 1]
        between = text[first.end : second.start]
        joiner = between.strip()
        if (
            len(joiner) > _LONGEST_JOINER
            and not joiner.startswith("out")
            and " and " not in f" {between} "
        ):
            continue  # more than a joiner between them (most neighbours): no regex needed
        ranged = bool(_RANGE_JOINER_RE.match(between)) or (
            " and " in f" {between} " and bool(_BETWEEN_RE.search(text, 0, first.start))
        )
        if _is_fraction(between, second):
            if first.qualifier and not second.qualifier:
                quantities[index + 1] = second._replace(
                    qualifier=first.qualifier, qualifier_text=first.qualifier_text
                )
            elif second.qualifier and not first.qualifier:
                quantities[index] = first._replace(
                    qualifier=second.qualifier, qualifier_text=second.qualifier_text
                )
            continue
        if not ranged and not _LIST_JOINER_RE.match(between):
            continue
        if first.unit is None and second.unit is not None:
            first = first._replace(unit=second.unit)
        elif second.unit is None and first.unit is not None:
            second = second._replace(unit=first.unit)
        if ranged:
            if first.qualifier and not second.qualifier:
                second = second._replace(qualifier=first.qualifier)
            elif second.qualifier and not first.qualifier:
                first = first._replace(qualifier=second.qualifier)
            first = first._replace(in_range=True)
            second = second._replace(in_range=True)
        quantities[index], quantities[index + 1] = first, second
    return quantities


def _is_fraction(between: str, second: Quantity) -> bool:
    """Do two numbers with ``between`` between them make one fraction (三分之一, 1 in 3)?"""
    if second.unit is not None and second.unit.kind != "count":
        return False
    if _FRACTION_JOINER_RE.match(between):
        return True
    return between in (" ", "-") and bool(_FRACTION_WORD_RE.match(second.number.text.lower()))


# --- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare_quantities` found: messages, and the accepted unit conversions
    as (source number, translation number) pairs, for the ``numbers`` check."""

    messages: tuple[str, ...] = ()
    conversions: tuple[tuple[Number, Number], ...] = ()


def compare_quantities(
    source: str,
    translation: str,
    source_locale: str,
    target_locale: str,
    *,
    protected: Sequence[str] = (),
    source_quantities: Sequence[Quantity] | None = None,
) -> Comparison:
    """Pair the quantities of a source and its translation by value and compare them."""
    if source_quantities is None:
        source_quantities = read_quantities(source, source_locale, protected=protected)
    if not source_quantities:
        return Comparison()
    # Number words ("three years") are read only when digits leave a source quantity alone.
    target_quantities = read_quantities(
        translation, target_locale, protected=protected, words=False
    )
    if _agree_in_order(source_quantities, target_quantities):
        return Comparison()  # most pairs: the same quantities in the same order
    pairs = _pair(source_quantities, target_quantities)
    paired = {id(mine) for _, mine, _ in pairs}
    if any(
        id(mine) not in paired and (mine.number.required or mine.qualifier or mine.unit)
        for mine in source_quantities
    ) and read_text(translation, target_locale, protected).words():
        # (Without number words in the translation, reading them changes nothing.)
        target_quantities = read_quantities(translation, target_locale, protected=protected)
        pairs = _pair(source_quantities, target_quantities)
    if not pairs:
        return Comparison()
    messages: list[str] = []
    conversions: list[tuple[Number, Number]] = []
    for how, mine, theirs in pairs:
        if how == "converted":
            conversions.append((mine.number, theirs.number))
        message = (
            _unit_message(mine, theirs) if how == "changed" else _qualifier_message(mine, theirs)
        )
        if message:
            messages.append(message)
    return Comparison(messages=tuple(dict.fromkeys(messages)), conversions=tuple(conversions))


def _agree_in_order(source: Sequence[Quantity], target: Sequence[Quantity]) -> bool:
    """The same values, unit names and qualifiers, in the same order: nothing to report."""
    if len(source) != len(target):
        return False
    for mine, theirs in zip(source, target, strict=True):
        if mine.number.value != theirs.number.value or mine.qualifier != theirs.qualifier:
            return False
        if mine.unit is theirs.unit:
            continue
        if _dimension(mine) != _dimension(theirs) or (
            mine.unit and theirs.unit and mine.unit.name != theirs.unit.name
        ):
            return False
    return True


def _dimension(quantity: Quantity) -> str | None:
    return None if quantity.unit is None else quantity.unit.dimension


def _same_unit(mine: Quantity, theirs: Quantity) -> bool:
    if mine.unit is None or theirs.unit is None:
        return mine.unit is theirs.unit
    return mine.unit.name == theirs.unit.name


def _converted(mine: Quantity, theirs: Quantity) -> bool:
    ours = mine.canonical
    return ours is not None and ours == theirs.canonical and not _same_unit(mine, theirs)


def _loose(mine: Quantity, theirs: Quantity) -> bool:
    """Same value, and one side has no unit (a translation may write it once, elsewhere)
    or the units are counts of different words ("3次" and "three times")."""
    if mine.value != theirs.value:
        return False
    if mine.unit is None or theirs.unit is None:
        return (mine.unit or theirs.unit) is not PERCENT
    return mine.unit.dimension is None and theirs.unit.dimension is None


def _same_kind(mine: Quantity, theirs: Quantity) -> bool:
    return mine.unit is not None and theirs.unit is not None and mine.kind == theirs.kind


def _implicit_one(quantity: Quantity) -> bool:
    """Is this the "a" of "a year" (see :data:`_EN_ONE_UNIT_RE`)?"""
    return quantity.number.text in ("a", "A", "an", "An")


def _pair(
    source: Sequence[Quantity], target: Sequence[Quantity]
) -> list[tuple[str, Quantity, Quantity]]:
    """Pair by value: the same unit first, then a conversion, then a missing unit, and last a
    changed unit or kind."""
    tests = (
        ("same", lambda s, t: s.value == t.value and _same_unit(s, t)),
        ("converted", _converted),
        # "a year" stands for one only where a unit conversion needs it (12个月).
        ("loose", lambda s, t: _loose(s, t) and not _implicit_one(t)),
        ("changed", lambda s, t: s.value == t.value and (not _implicit_one(t) or _same_kind(s, t))),
    )
    unpaired_source = list(source)
    unpaired_target = list(target)
    pairs: list[tuple[str, Quantity, Quantity]] = []
    for how, test in tests:
        for mine in list(unpaired_source):
            for theirs in unpaired_target:
                if test(mine, theirs):
                    pairs.append((how, mine, theirs))
                    unpaired_source.remove(mine)
                    unpaired_target.remove(theirs)
                    break
    return pairs


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _unit_message(mine: Quantity, theirs: Quantity) -> str | None:
    if mine.unit is None or theirs.unit is None:
        # A percentage on one side only: 285 -> 285%.
        return (
            f"source has {mine.written} ({_article(mine.kind)}), translation has "
            f"{theirs.written} ({_article(theirs.kind)})"
        )
    if mine.kind != theirs.kind:
        return (
            f"source has {mine.written} ({_article(mine.kind)}), translation has "
            f"{theirs.written} ({_article(theirs.kind)})"
        )
    return (
        f"source has {mine.written} ({mine.unit.name}), translation has {theirs.written} "
        f"({theirs.unit.name}): the unit changed"
    )


def _qualifier_message(mine: Quantity, theirs: Quantity) -> str | None:
    ours, yours = mine.qualifier, theirs.qualifier
    if ours == yours:
        return None
    if ours and yours in _ACCEPTED[ours] and mine.qualifier_text not in _EXACT_SYMBOLS:
        return None
    if theirs.qualifier_text in _TIME_PREPOSITIONS and theirs.kind in ("duration", "age"):
        return None  # "over 12 months", "within two years": time, not a bound
    if ours and not yours:
        return (
            f'source has {mine.written} ("{QUALIFIERS[ours]}"), translation has '
            f"{theirs.written} without a qualifier"
        )
    if yours and not ours:
        return (
            f'translation has {theirs.written} ("{QUALIFIERS[yours]}"), source has '
            f"{mine.written} without a qualifier"
        )
    assert ours and yours
    return (
        f'source has {mine.written} ("{QUALIFIERS[ours]}"), translation has '
        f'{theirs.written} ("{QUALIFIERS[yours]}")'
    )
