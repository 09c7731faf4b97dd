"""Read and write gettext PO/POT files; the writer produces exactly what GNU ``msgcat`` writes.

Why not polib or Babel: polib wraps lines differently from gettext (it breaks only at spaces and
knows nothing about double-width CJK characters), drops the ``#~|`` previous msgid of obsolete
entries, silently accepts unterminated strings, invalid escapes and duplicate entries, and gives
no useful line numbers; Babel rewrites the header and re-sorts references. Every PO file in this
project is also touched by GNU tools (``msgmerge``, ``msgcat``, editors that call them), so the
only stable on-disk form is the one gettext itself writes: anything else produces noisy diffs.

``generate_po`` therefore reimplements gettext 0.21's ``write-po.c`` (``wrap()`` and the comment
printers) together with the part of libunistring 1.0 it relies on: UAX #14 line breaking
(``u8_possible_linebreaks``) and column widths (``uc_width``, East Asian wide characters count
as two columns). The line-break classes are a compact range table (below) on top of defaults
derived from ``unicodedata``; the table was checked code point by code point against
libunistring 1.0, and the tests compare whole files with ``msgcat`` byte for byte.

Where ``msgcat`` normalises, the writer does the same so that its output is a fixed point of
``msgcat``: obsolete entries go last and are dropped when untranslated, ``./`` is stripped from
references and duplicate references are removed, known flags are written in gettext's order
(``fuzzy`` only on translated entries; ``possible-X-format`` as ``X-format``). The one deliberate
difference: flags gettext does not know (``ignore-numbers``, approval markers...) are kept, after
the known ones, because the pipeline needs them; ``msgcat`` would delete them.

Not reproduced: gettext does not break lines inside the format directives of entries flagged
``c-format``, ``python-format``..., which changes the wrapping of such entries only when a
directive itself contains a break opportunity (``%(患者)s``, ``% d``); the pipeline never adds
format flags.

Version note: the rules are those of libunistring 1.0 as linked by gettext 0.21 (Debian 12,
Unicode 14 like Python 3.11's ``unicodedata``). libunistring 1.1 and later implement more of
UAX #14, so a newer gettext may wrap a few lines differently; the libunistring test in
tests/test_pofile.py fails loudly when that happens.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import accumulate
from pathlib import Path

from pipeline.catalog import Catalog, Entry
from pipeline.errors import CatalogError, InputError
from pipeline.fsutil import write_text_file

__all__ = ["generate_po", "read_po", "read_po_file", "write_po_file"]

# --------------------------------------------------------------------------------------------
# Line breaking: libunistring 1.0 (u8_possible_linebreaks_v2 + u8_width_linebreaks_v2).
# --------------------------------------------------------------------------------------------

#: gettext's default page width (``msgcat -w``).
PAGE_WIDTH = 79

# Line-break classes. The first 30 index the pair table; OPW is an opening punctuation that is
# East Asian wide (UAX #14 LB30 lets a line break between a letter or digit and it).
_CLASS_NAMES = (
    *("WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP", "EX", "IN", "NS", "OP", "OPW", "QU", "IS"),
    *("NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID", "JL", "JV", "JT", "HL", "RI", "EB", "EM"),
    *("BK", "CM", "ZWJ", "SP", "ZW"),
)
_CLS = {name: index for index, name in enumerate(_CLASS_NAMES)}
_BA, _HY, _NU, _AL = _CLS["BA"], _CLS["HY"], _CLS["NU"], _CLS["AL"]
_H2, _H3, _ID, _HL, _RI = _CLS["H2"], _CLS["H3"], _CLS["ID"], _CLS["HL"], _CLS["RI"]
_BK, _CM, _ZWJ, _SP, _ZW = _CLS["BK"], _CLS["CM"], _CLS["ZWJ"], _CLS["SP"], _CLS["ZW"]
_HL_BA = len(_CLASS_NAMES)  # pseudo class: a Hebrew letter followed by a hyphen (UAX #14 LB21a)

# Pair table (UAX #14 table 7.3 as libunistring 1.0 implements it), row = class before the
# break, column = class after it: D = direct break allowed, I = allowed only after spaces,
# P = prohibited. Columns follow the same order as the rows.
_PAIR_ROWS = (
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # WJ
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # GL
    "PIPIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # B2
    "PDDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # BA
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # BB
    "PDDIDIPPPIIDDIPIDDPDDDDDDDDDDD",  # HY
    "PIDIDIPPPIPDDIPDIIPDDDDDDDDDDD",  # CL
    "PIDIDIPPPIIDDIPIIIPIDDDDDDIDDD",  # CP
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # EX
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # IN
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OPW
    "PIIIIIPPPIIPPIPIIIPIIIIIIIIIII",  # QU
    "PIDIDIPPPIIDDIPIDDPDDDDDDDDDDD",  # IS
    "PIDIDIPPPIIIDIPIIIPIDDDDDDIDDD",  # NU
    "PIDIDIPPPIIIIIPIDDPIDDDDDDIDDD",  # PO
    "PIDIDIPPPIIIIIPIDDPIIIIIIIIDII",  # PR
    "PIDIDIPPPIIDDIPIDDPDDDDDDDIDDD",  # SY
    "PIDIDIPPPIIIDIPIIIPIDDDDDDIDDD",  # AL
    "PIDIDIPPPIIDDIPDIDPDDDDDIIDDDD",  # H2
    "PIDIDIPPPIIDDIPDIDPDDDDDDIDDDD",  # H3
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDD",  # ID
    "PIDIDIPPPIIDDIPDIDPDIIDIIDDDDD",  # JL
    "PIDIDIPPPIIDDIPDIDPDDDDDIIDDDD",  # JV
    "PIDIDIPPPIIDDIPDIDPDDDDDDIDDDD",  # JT
    "PIDIDIPPPIIIDIPIIIPIDDDDDDIDDD",  # HL
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDIDD",  # RI
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDI",  # EB
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDD",  # EM
)
_PAIRS = tuple(tuple("PID".index(c) for c in row) for row in _PAIR_ROWS)

# Code points whose line-break class differs from the default computed by ``_default_class``.
# "CLASS:" starts a class; then hexadecimal code points or ranges.
_LB_TABLE = """
BA: 9 7C AD 58A 5BE 964-965 E5A-E5B F0B F34 F7F F85 FBE-FBF FD2 104A-104B 1361 1400 1680
16EB-16ED 1735-1736 17D4-17D5 17D8 17DA 1804-1805 1B5A-1B5B 1B5D-1B60 1B7D-1B7E 1C3B-1C3F
1C7E-1C7F 2000-2006 2008-200A 2010 2012-2013 2027 2056 2058-205B 205D-205F 2CFA-2CFC 2CFF 2D70
2E0E-2E15 2E17 2E19 2E2A-2E2D 2E30-2E31 2E33-2E34 2E3C-2E3E 2E40-2E41 2E43-2E4A 2E4C 2E4E-2E4F
2E5D 3000 A4FE-A4FF A60D A60F A6F3-A6F7 A8CE-A8CF A92E-A92F A9C7-A9C9 AA5D-AA5F AAF0-AAF1 ABEB
10100-10102 1039F 103D0 10857 1091F 10A50-10A57 10AF0-10AF5 10B39-10B3F 10EAD 11047-11048
110BE-110C1 11140-11143 111C5-111C6 111C8 111DD-111DF 11238-11239 1123B-1123C 112A9
1144B-1144E 1145A-1145B 115C2-115C3 115C9-115D7 11641-11642 1173C-1173E 11944-11946
11A41-11A44 11A9A-11A9C 11AA1-11AA2 11C41-11C45 11FFF 12470-12474 16A6E-16A6F 16AF5
16B37-16B39 16B44 16E97-16E98 1BC9F 1DA87-1DA8A
CL: 7D F3B F3D 169C 2046 207E 208E 2309 230B 232A 2769 276B 276D 276F 2771 2773 2775 27C6 27E7
27E9 27EB 27ED 27EF 2984 2986 2988 298A 298C 298E 2990 2992 2994 2996 2998 29D9 29DB 29FD 2E23
2E25 2E27 2E29 2E56 2E58 2E5A 2E5C 3001-3002 3009 300B 300D 300F 3011 3015 3017 3019 301B
301E-301F FD3E FE11-FE12 FE18 FE36 FE38 FE3A FE3C FE3E FE40 FE42 FE44 FE48 FE50 FE52 FE5A FE5C
FE5E FF09 FF0C FF0E FF3D FF5D FF60-FF61 FF63-FF64 1325B-1325D 13282 13287 13289 1337A-1337B
13438 145CF
EB: 261D 26F9 270A-270D 1F02C-1F02F 1F094-1F09F 1F0AF-1F0B0 1F0C0 1F0D0 1F0F6-1F0FF
1F1AE-1F1E5 1F203-1F20F 1F23C-1F23F 1F249-1F24F 1F252-1F25F 1F266-1F2FF 1F385 1F3C2-1F3C4
1F3C7 1F3CA-1F3CC 1F442-1F443 1F446-1F450 1F466-1F478 1F47C 1F481-1F483 1F485-1F487 1F48F
1F491 1F4AA 1F574-1F575 1F57A 1F590 1F595-1F596 1F645-1F647 1F64B-1F64F 1F6A3 1F6B4-1F6B6
1F6C0 1F6CC 1F6D8-1F6DC 1F6ED-1F6EF 1F6FD-1F6FF 1F774-1F77F 1F7D9-1F7DF 1F7EC-1F7EF
1F7F1-1F7FF 1F80C-1F80F 1F848-1F84F 1F85A-1F85F 1F888-1F88F 1F8AE-1F8AF 1F8B2-1F8FF 1F90C
1F90F 1F918-1F91F 1F926 1F930-1F939 1F93C-1F93E 1F977 1F9B5-1F9B6 1F9B8-1F9B9 1F9BB
1F9CD-1F9CF 1F9D1-1F9DD 1FA54-1FA5F 1FA6E-1FA6F 1FA75-1FA77 1FA7D-1FA7F 1FA87-1FA8F
1FAAD-1FAAF 1FABB-1FABF 1FAC3-1FACF 1FADA-1FADF 1FAE8-1FAFF 1FC00-1FFFD
ID: 23F0-23F3 2600-2603 2618 261A-261C 261E-261F 2639-263B 2668 26BD-26C8 26CD 26CF-26D1
26D3-26D4 26D8-26D9 26DC 26DF-26E1 26F1-26F5 26F7-26F8 26FD-2704 2708-2709 2764 303D-303F
F900-FAFF FF0F-FF19 FF66 FF71-FF9D FFA0-FFBE FFC2-FFC7 FFCA-FFCF FFD2-FFD7 FFDA-FFDC FFFC
1F000-1F02B 1F030-1F093 1F0A0-1F0AE 1F0B1-1F0BF 1F0C1-1F0CF 1F0D1-1F0F5 1F10D-1F10F
1F16D-1F16F 1F1AD 1F300-1F384 1F386-1F39B 1F39E-1F3B4 1F3CD-1F3FA 1F400-1F441 1F4B3-1F4FF
1F54A-1F573 1F576-1F579 1F57B-1F58F 1F591-1F594 1F597-1F5D3 1F5DC-1F5F3 1F5FA-1F644
1F6C1-1F6CB 1F6CD-1F6D7 1F6DD-1F6EC 1F6F0-1F6FC 1F7D5-1F7D8 1F8B0-1F8B1 1F93A-1F93B
1F93F-1F976 1FA60-1FA6D 20000-2FFFD 30000-3FFFD
OP: 28 5B 7B A1 BF F3A F3C 169B 201A 201E 2045 207D 208D 2308 230A 2768 276A 276C 276E 2770
2772 2774 27C5 27E6 27E8 27EA 27EC 27EE 2983 2985 2987 2989 298B 298D 298F 2991 2993 2995 2997
29D8 29DA 29FC 2E18 2E22 2E24 2E26 2E28 2E42 2E55 2E57 2E59 2E5B FD3F 13258-1325A 13286 13288
13379 13437 145CE 1E95E-1E95F
NS: 17D6 203C-203D 2047-2049 3005 301C 303B-303C 3041 3043 3045 3047 3049 3063 3083 3085 3087
308E 3095-3096 309B-309E 30A0-30A1 30A3 30A5 30A7 30A9 30C3 30E3 30E5 30E7 30EE 30F5-30F6
30FB-30FE 31F0-31FF A015 FE54-FE55 FF1A-FF1B FF65 FF67-FF70 FF9E-FF9F 16FE0-16FE3 1B150-1B152
1B164-1B167 1F679-1F67B
AL: DF4-E3E E40-E4F E5C-ECF FDB-103F 104C-108F 109A-10FF 1774-17D3 17DC-17DF 1A1C-1A7E
232B-23EF 23F4-25FF 263C-2667 2680-26BC 26CE 2705-2707 270E-275A 2776-27C4 29FE-2CEE A9DA-A9EF
AA60-AAEA 116CA-1172F 18B00-18CFF 18D09-1AFFF 1F170-1F1AC 1F3B5-1F3B6 1F3BC 1F4A0 1F4A2 1F4A4
1F4AF 1F4B1-1F4B2 1F500-1F506 1F517-1F524 1F532-1F549
OPW: 2329 3008 300A 300C 300E 3010 3014 3016 3018 301A 301D FE17 FE35 FE37 FE39 FE3B FE3D FE3F
FE41 FE43 FE47 FE59 FE5B FE5D FF08 FF3B FF5B FF5F FF62
EX: 21 3F 5C6 61B 61D-61F 6D4 7F9 F0D-F11 F14 1802-1803 1808-1809 1944-1945 2762-2763 2CF9
2CFE 2E2E 2E53-2E54 A60E A876-A877 FE15-FE16 FE56-FE57 FF01 FF1F 115C4-115C5 11C71
PR: 24 2B 5C A3-A5 B1 58F 7FE-7FF 9FB AF1 BF9 E3F 17DB 20A0-20A6 20A8-20B5 20B7-20BA 20BC-20BD
20BF 20C1-20CF 2116 2212-2213 FE69 FF04 FFE1 FFE5-FFE6 1E2FF
PO: 25 A2 B0 609-60B 66A 9F2-9F3 9F9 D79 2030-2037 20A7 20B6 20BB 20BE 20C0 2103 2109 A838
FDFC FE6A FF05 FFE0 11FDD-11FE0 1ECAC 1ECB0
BB: B4 2C8 2CC 2DF C77 C84 F01-F04 F06-F07 F09-F0A FD0-FD1 FD3 1806 1FFD A874-A875 A8FC 11175
111DB 115C1 11660-1166C 119E2 11A3F 11A45 11A9E-11AA0 11C70
CM: 0-8 E-1F 7F-84 86-9F 61C 200C 200E-200F 202A-202E 2066-206F 3035 FFF9-FFFB 1BCA0-1BCA3
1D16D-1D182 E0001 E0020-E007F
QU: 22 27 AB BB 2018-2019 201B-201D 201F 2039-203A 275B-2760 2E00-2E0D 2E1C-2E1D 2E20-2E21
1F676-1F678
GL: A0 34F 35C-362 F08 F0C F12 FD9-FDA 180E 2007 2011 202F 13430-13436 16FE4
IS: 2C 2E 3A-3B 37E 589 60C-60D 7F8 2044 FE10 FE13-FE14
HL: 5D0-5EA 5EF-5F2 FB1D FB1F-FB28 FB2A-FB36 FB38-FB3C FB3E FB40-FB41 FB43-FB44 FB46-FB4F
IN: 2024-2026 22EF FE19 10AF6
BK: A-D 85 2028-2029
CP: 29 5D
JL: 1100-115F A960-A97C
JV: 1160-11A7 D7B0-D7C6
JT: 11A8-11FF D7CB-D7FB
B2: 2014 2E3A-2E3B
WJ: 2060 FEFF
SP: 20
HY: 2D
SY: 2F
NU: 66B-66C
ZW: 200B
ZWJ: 200D
RI: 1F1E6-1F1FF
EM: 1F3FB-1F3FF
"""


def _parse_lb_table(text: str) -> tuple[list[int], list[int], list[int]]:
    """Sorted (starts, ends, classes) for bisecting ``_LB_TABLE``."""
    ranges: list[tuple[int, int, int]] = []
    current = -1
    for token in text.split():
        if token.endswith(":"):
            current = _CLS[token[:-1]]
            continue
        first, _, last = token.partition("-")
        ranges.append((int(first, 16), int(last or first, 16), current))
    ranges.sort()
    return [r[0] for r in ranges], [r[1] for r in ranges], [r[2] for r in ranges]


_LB_STARTS, _LB_ENDS, _LB_VALUES = _parse_lb_table(_LB_TABLE)


def _default_class(cp: int) -> int:
    """The line-break class most code points of each general category have."""
    if 0xAC00 <= cp <= 0xD7A3:  # Hangul syllables: LV or LVT
        return _H2 if (cp - 0xAC00) % 28 == 0 else _H3
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Cn":
        return _AL
    if category in ("Mn", "Mc", "Me"):
        return _CM
    if category == "Nd":
        return _NU
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return _ID
    return _AL


def _line_break_class(cp: int) -> int:
    """UAX #14 class as libunistring 1.0 resolves it for UTF-8 (AI, SA, XX -> AL; CB -> ID)."""
    index = bisect.bisect_right(_LB_STARTS, cp) - 1
    if index >= 0 and cp <= _LB_ENDS[index]:
        return _LB_VALUES[index]
    return _default_class(cp)


# uc_width() exceptions to the unicodedata-based rule below.
_ZERO_WIDTH = ((0x1160, 0x11FF), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB))  # Hangul medial/final jamo
_SPACING_MARKS = frozenset((0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F))
_WIDE_UNASSIGNED = (
    (0x2E80, 0xA4CF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60),
    (0x1F200, 0x1F2FF),
    (0x20000, 0x3FFFF),
)


def _column_width(cp: int) -> int:
    """Columns of one character as libunistring's uc_width() counts them (controls: 0)."""
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    if any(low <= cp <= high for low, high in _ZERO_WIDTH):
        return 0
    if cp in _SPACING_MARKS:
        return 1
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Cn":
        return 2 if any(low <= cp <= high for low, high in _WIDE_UNASSIGNED) else 1
    if category in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _CharInfo(dict[str, tuple[int, int]]):
    """char -> (line-break class, columns), computed once per distinct character."""

    def __missing__(self, ch: str) -> tuple[int, int]:
        info = (_line_break_class(ord(ch)), _column_width(ord(ch)))
        self[ch] = info
        return info


_CHAR_INFO = _CharInfo()


class _CharCodes(dict[int, str]):
    """code point -> line-break class letter + chr(columns), for one ``str.translate`` call."""

    def __missing__(self, cp: int) -> str:
        codes = chr(0x40 + _line_break_class(cp)) + chr(_column_width(cp))
        self[cp] = codes
        return codes


_CHAR_CODES = _CharCodes()


def _text_width(text: str) -> int:
    """Columns of ``text`` (ASCII controls count 1 here: an overestimate, checked later)."""
    if text.isascii():
        return len(text)
    return sum(text.translate(_CHAR_CODES)[1::2].encode("latin-1"))


_LETTER = {name: chr(0x40 + index) for index, name in enumerate(_CLASS_NAMES)}
_SP_LETTER = _LETTER["SP"]
# Classes whose rules need more context than "the last non-space class": texts containing one
# take the general state machine.
_NEEDS_STATE = re.compile(
    "[" + "".join(re.escape(_LETTER[n]) for n in ("BK", "CM", "ZWJ", "ZW", "RI", "HL")) + "]"
)
_TABLE_LETTERS = [_LETTER[name] for name in _CLASS_NAMES[: len(_PAIR_ROWS)]]
# Two-letter strings "before+after": a break between them (D), or after spaces between them.
_DIRECT_BREAKS = frozenset(
    a + b
    for i, a in enumerate(_TABLE_LETTERS)
    for j, b in enumerate(_TABLE_LETTERS)
    if _PAIRS[i][j] == 2
)
_SPACE_BREAKS = frozenset(
    a + b
    for i, a in enumerate(_TABLE_LETTERS)
    for j, b in enumerate(_TABLE_LETTERS)
    if _PAIRS[i][j] != 0
)
_NO_OVERRIDES: frozenset[int] = frozenset()
_Prepared = tuple[str, Sequence[int]] | None


def _prepare(text: str) -> _Prepared:
    """Class letters and running column sums of ``text``; None if it needs the state machine."""
    codes = text.translate(_CHAR_CODES)
    classes = codes[0::2]
    if _NEEDS_STATE.search(classes) is not None:
        return None
    if text.isascii() and text.isprintable():
        return classes, range(len(text) + 1)  # one column per character
    return classes, list(accumulate(codes[1::2].encode("latin-1"), initial=0))


def _line_starts(
    text: str, width: int, start_column: int, no_break: frozenset[int] | set[int] = _NO_OVERRIDES
) -> list[int]:
    """Indices in ``text`` where gettext starts a new line; see ``_line_starts_general``."""
    return _fill(text, _prepare(text), width, start_column, no_break)


def _fill(
    text: str,
    prepared: _Prepared,
    width: int,
    start_column: int,
    no_break: frozenset[int] | set[int],
) -> list[int]:
    """The fast path of ``_line_starts`` for texts that ``_prepare`` accepted (nearly all).

    Without combining marks, joiners, regional indicators, Hebrew or mandatory breaks, a break
    opportunity depends only on the character before it (or, after spaces, on the last
    non-space one). So instead of walking every character this jumps, with the running column
    sums, to where each line overflows and looks for the nearest opportunities around it.
    """
    if prepared is None:
        return _line_starts_general(text, width, start_column, no_break)
    classes, columns = prepared
    length = len(text)
    space = _SP_LETTER
    direct = _DIRECT_BREAKS
    after_space = _SPACE_BREAKS

    def opportunity(index: int) -> bool:
        if index in no_break:
            return False
        after = classes[index]
        if after == space:
            return False
        before = index - 1
        if classes[before] != space:
            return classes[before] + after in direct
        while before >= 0 and classes[before] == space:
            before -= 1
        return before >= 0 and classes[before] + after in after_space

    starts: list[int] = []
    line = 0
    threshold = width - start_column
    while True:
        # First position whose column exceeds the width; nothing to do if the rest fits.
        overflow = bisect.bisect_right(columns, threshold + columns[line], line + 1)
        if overflow > length:
            return starts
        # The first break opportunity there (gettext checks at opportunities)...
        first = overflow
        while first < length and not (
            classes[first - 1 : first + 1] in direct and first not in no_break
        ):
            if classes[first - 1] == space and opportunity(first):
                break
            first += 1
        # ...and the one before it, still on this line.
        last = first - 1
        while last > line and not (classes[last - 1 : last + 1] in direct and last not in no_break):
            if classes[last - 1] == space and opportunity(last):
                break
            last -= 1
        if last > line:
            line = last
        elif first < length:
            line = first  # a single piece longer than the line: it gets a line of its own
        else:
            return starts
        starts.append(line)
        threshold = width


def _line_starts_general(
    text: str, width: int, start_column: int, no_break: frozenset[int] | set[int] = frozenset()
) -> list[int]:
    """Indices in ``text`` where gettext starts a new line.

    A fused port of u8_possible_linebreaks_v2 (UAX #14 opportunities) and
    u8_width_linebreaks_v2 (greedy filling up to ``width`` columns, the first line starting at
    ``start_column``). ``no_break`` holds indices where gettext forbids a break: inside escape
    sequences (UAX #14 allows one between the two backslashes of ``\\\\``) and before the
    ``\\n`` that ends a portion.
    """
    info = _CHAR_INFO
    pairs = _PAIRS
    starts: list[int] = []
    prev = last = _BK
    seen_space = False
    ri_count = 0
    last_break = -1
    last_column = start_column
    piece = 0
    for index, ch in enumerate(text):
        cls, columns = info[ch]
        # 0 prohibited, 1 possible, 2 mandatory
        if cls == _BK:
            brk = 2
            prev = last = _BK
            seen_space = False
        else:
            brk = 0
            if cls == _SP:
                seen_space = True
            elif cls == _ZW:
                last = _ZW
                seen_space = False
            elif cls in (_CM, _ZWJ):
                if last == _BK:
                    last = _AL
                    seen_space = False
                elif last == _ZW or seen_space:
                    brk = 1
                    last = _AL
                    seen_space = False
            else:
                if last == _BK or prev == _ZWJ:
                    pass
                elif last == _ZW:
                    brk = 1
                elif last == _RI and cls == _RI:
                    if seen_space or ri_count % 2 == 0:
                        brk = 1
                elif prev == _HL_BA:
                    pass
                else:
                    rule = pairs[last][cls]
                    if rule == 2 or (rule == 1 and seen_space):
                        brk = 1
                last = cls
                seen_space = False
            prev = _HL_BA if (prev == _HL and cls in (_HY, _BA)) else cls
        ri_count = ri_count + 1 if cls == _RI else 0
        if brk and index in no_break:
            brk = 0
        if brk:
            if last_break >= 0 and last_column + piece > width:
                starts.append(last_break)
                last_column = 0
            if brk == 2:
                last_break = -1
                last_column = 0
                piece = 0
                continue
            last_break = index
            last_column += piece
            piece = 0
        piece += columns
    if last_break >= 0 and last_column + piece > width:
        starts.append(last_break)
    return starts


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------

# The escapes gettext writes and reads: the character after the backslash -> the character.
_C_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}
_ESCAPES = str.maketrans({char: "\\" + letter for letter, char in _C_ESCAPES.items()})
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')
# What a msgctxt/msgid/msgstr must not contain (NUL; EOT separates msgctxt from msgid in MO
# files) or must have escaped.
_SPECIAL_CHARACTER = re.compile(r'[\0\x04\a\b\f\n\r\t\v\\"]')
_NO_LIMIT = 1 << 30


def _escape(text: str) -> str:
    """The string as it appears between quotes (only the escapes gettext itself writes)."""
    return text if _NEEDS_ESCAPE.search(text) is None else text.translate(_ESCAPES)


def _string_lines(prefix: str, keyword: str, value: str, wrap: bool = True) -> str:
    """``keyword "value"`` as gettext's wrap() writes it, every line starting with ``prefix``.

    Most strings have nothing to escape and fit on the keyword's line: that case costs one
    regex search and a length check.
    """
    limit = (PAGE_WIDTH - 2 - len(prefix)) if wrap else _NO_LIMIT
    if _SPECIAL_CHARACTER.search(value) is None:
        # A character takes at most 2 columns; longer strings get measured exactly (and
        # wrapped if need be) by _wrapped_string_lines.
        if len(keyword) + 1 + (1 if value.isascii() else 2) * len(value) <= limit:
            return f'{prefix}{keyword} "{value}"\n'
        return _wrapped_string_lines(prefix, keyword, value, limit)
    if "\0" in value or "\x04" in value:
        raise ValueError(f"{keyword} {value!r} contains a NUL or EOT (\\x04) character")
    newline = value.find("\n")
    if newline < 0 or newline == len(value) - 1:
        escaped = value.translate(_ESCAPES)
        if len(keyword) + 1 + _text_width(escaped) <= limit:
            return f'{prefix}{keyword} "{escaped}"\n'
    return _wrapped_string_lines(prefix, keyword, value, limit)


def _escape_interiors(escaped: str) -> set[int]:
    """Indices where gettext overrides the line breaking of an escaped portion.

    The second character of every escape sequence, and the backslash of a final ``\\n``
    ("don't break immediately before the \\n at the end").
    """
    interiors: set[int] = set()
    index = escaped.find("\\")
    while index >= 0:
        interiors.add(index + 1)
        index = escaped.find("\\", index + 2)
    if escaped.endswith("\\n"):
        interiors.add(len(escaped) - 2)
    return interiors


def _wrapped_string_lines(prefix: str, keyword: str, value: str, limit: int) -> str:
    """The general case of ``_string_lines``: several portions or lines.

    The wrapping depends on the prefix only through ``limit``, so ``#| msgid`` and ``#~ msgid``
    (a changed sentence's old text, written on its fuzzy successor and on the obsolete entry)
    share one computation.
    """
    lines = _wrapped_lines(keyword, value, limit)
    if not prefix:
        return lines
    return prefix + lines[:-1].replace("\n", "\n" + prefix) + "\n"


@functools.lru_cache(maxsize=1 << 16)
def _wrapped_lines(keyword: str, value: str, limit: int) -> str:
    """``_wrapped_string_lines`` without a prefix (escaped strings hold no newline, so every
    ``\n`` in the result ends a line).

    Cached: a template and its catalogs repeat every msgid, and the wrapping is pure.
    """
    parts = value.split("\n")
    portions = [part + "\n" for part in parts[:-1]]
    if parts[-1] or not portions:
        portions.append(parts[-1])
    out: list[str] = []
    for number, portion in enumerate(portions):
        escaped = _escape(portion)
        no_break = _escape_interiors(escaped) if "\\" in escaped else _NO_OVERRIDES
        prepared = _prepare(escaped)
        if number == 0:
            # gettext starts with `keyword ""` when more portions follow or the first wraps.
            start = len(keyword) + 1
            if not escaped or not (
                len(portions) > 1
                or start > limit
                or _fill(escaped, prepared, limit, start, no_break)
            ):
                out.append(f'{keyword} "{escaped}"\n')
                continue
            out.append(f'{keyword} ""\n')
        begin = 0
        for end in _fill(escaped, prepared, limit, 0, no_break):
            out.append(f'"{escaped[begin:end]}"\n')
            begin = end
        out.append(f'"{escaped[begin:]}"\n')
    return "".join(out)


# gettext 0.21's format languages, in the order msgcat writes their flags.
_FORMAT_LANGUAGES = (
    *("c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript"),
    *("scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal"),
    *("smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace"),
    *("php", "gcc-internal", "gfc-internal", "ycp"),
)
_FORMAT_INDEX = {name: index for index, name in enumerate(_FORMAT_LANGUAGES)}
_RANGE_FLAG = re.compile(r"range:[ \t]*([0-9]+)\.\.([0-9]+)")
_BAD_FLAG = re.compile(r"[\s,]")
_WHITESPACE = re.compile(r"\s")
# A reference msgcat writes back unchanged: no "./" prefix, no leading zero in the line number,
# no whitespace, no final backslash.
_PLAIN_REFERENCE = re.compile(r"(?!\./)(?!.*:0[0-9]+\Z)\S*[^\s\\]")


def _flag_line(entry: Entry, translated: bool) -> tuple[str, bool]:
    """The ``#,`` line msgcat writes for ``entry`` (plus unknown flags), and whether to wrap.

    Later flags win over earlier ones as in gettext (``wrap`` after ``no-wrap``...).
    """
    fuzzy = False
    formats: dict[int, str] = {}
    range_flag = ""
    wrap = True
    unknown: list[str] = []
    for flag in entry.flags:
        if flag == "fuzzy":
            fuzzy = True
            continue
        if flag == "wrap" or flag == "no-wrap":
            wrap = flag == "wrap"
            continue
        if flag.endswith("-format"):
            language, kind = flag[:-7], "yes"
            for marker in ("no-", "possible-", "impossible-"):
                if language.startswith(marker):
                    language, kind = language[len(marker) :], marker[:-1]
                    break
            if language in _FORMAT_INDEX:
                formats[_FORMAT_INDEX[language]] = kind
                continue
        match = _RANGE_FLAG.fullmatch(flag)
        if match and int(match[1]) <= int(match[2]):
            range_flag = f"range: {int(match[1])}..{int(match[2])}"
            continue
        if (_BAD_FLAG.search(flag) and not flag.startswith("range:")) or flag.endswith("\\"):
            raise ValueError(
                f"flag {flag!r} of msgid {entry.msgid!r} contains a comma or space or ends with"
                " a backslash"
            )
        if flag not in unknown:
            unknown.append(flag)
    written: list[str] = []
    if entry.obsolete:
        # msgcat writes only "fuzzy" for obsolete entries and ignores no-wrap there.
        if fuzzy:
            written.append("fuzzy")
        wrap = True
    else:
        if fuzzy and translated:
            written.append("fuzzy")
        for index in sorted(formats):
            kind = formats[index]
            if kind == "no":
                written.append(f"no-{_FORMAT_LANGUAGES[index]}-format")
            elif kind != "impossible":
                written.append(f"{_FORMAT_LANGUAGES[index]}-format")
        if range_flag:
            written.append(range_flag)
        if not wrap:
            written.append("no-wrap")
    written.extend(unknown)
    return ("#, " + ", ".join(written) + "\n" if written else ""), wrap


def _reference_lines(references: tuple[str, ...]) -> str:
    """``#:`` lines: ``./`` stripped, duplicates dropped, filled up to the page width."""
    if len(references) == 1 and _PLAIN_REFERENCE.fullmatch(references[0]):
        return f"#: {references[0]}\n"
    seen: set[str] = set()
    lines: list[str] = []
    line = "#:"
    column = 2
    for reference in references:
        if not reference or _WHITESPACE.search(reference) or reference.endswith("\\"):
            raise ValueError(
                f"reference {reference!r} is empty, contains whitespace or ends with a backslash"
            )
        while reference.startswith("./"):
            reference = reference[2:]
        name, colon, number = reference.rpartition(":")
        if colon and name and number.isdigit() and number.isascii():
            reference = f"{name}:{int(number)}"
        if reference in seen:
            continue
        seen.add(reference)
        length = (len(reference) if reference.isascii() else len(reference.encode())) + 1
        if column > 2 and column + length > PAGE_WIDTH:
            lines.append(line)
            line = "#:"
            column = 2
        line = f"{line} {reference}"
        column += length
    lines.append(line)
    return "\n".join(lines) + "\n"


def _comment_lines(marker: str, comments: Iterable[str]) -> str:
    """Comment lines, one per line of each comment (gettext splits translator comments too).

    gettext joins a line that ends with a backslash to the next one, even in comments, so a
    comment ending with a backslash gets a trailing space: otherwise the file would swallow the
    line after it.
    """
    out: list[str] = []
    for comment in comments:
        _check_string(comment, "comment")
        for line in comment.split("\n"):
            if line.endswith("\\"):
                line += " "
            out.append(f"{marker} {line}\n" if line else f"{marker}\n")
    return "".join(out)


def _check_string(value: str, what: str) -> None:
    """gettext cannot store NUL, and EOT separates msgctxt from msgid in MO files."""
    if "\0" in value or "\x04" in value:
        raise ValueError(f"{what} {value!r} contains a NUL or EOT (\\x04) character")


def _entry_text(entry: Entry) -> str:
    """One entry as msgcat writes it (without the separating blank line)."""
    plural = entry.msgid_plural is not None
    if not plural and entry.msgstr_plural:
        raise ValueError(f"msgid {entry.msgid!r} has msgstr_plural but no msgid_plural")
    translated = bool(entry.msgstr_plural[0] if plural and entry.msgstr_plural else entry.msgstr)
    parts: list[str] = []
    if entry.translator_comments:
        parts.append(_comment_lines("#", entry.translator_comments))
    if entry.extracted_comments:
        parts.append(_comment_lines("#.", entry.extracted_comments))
    if entry.references:
        parts.append(_reference_lines(entry.references))
    wrap = True
    if entry.flags:
        flag_line, wrap = _flag_line(entry, translated)
        parts.append(flag_line)
    previous = "#~| " if entry.obsolete else "#| "
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            parts.append(_string_lines(previous, keyword, value, wrap))
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        parts.append(_string_lines(prefix, "msgctxt", entry.msgctxt, wrap))
    parts.append(_string_lines(prefix, "msgid", entry.msgid, wrap))
    if plural:
        parts.append(_string_lines(prefix, "msgid_plural", entry.msgid_plural or "", wrap))
        for index, text in enumerate(entry.msgstr_plural or ("",)):
            parts.append(_string_lines(prefix, f"msgstr[{index}]", text, wrap))
    else:
        parts.append(_string_lines(prefix, "msgstr", entry.msgstr, wrap))
    return "".join(parts)


def _header_entry(catalog: Catalog) -> Entry | None:
    """The header as the entry gettext stores it (msgid ""), or None when there is none."""
    if not (catalog.metadata or catalog.header_comments or catalog.header_flags):
        return None
    fields: list[str] = []
    for name, value in catalog.metadata.items():
        if not name or ":" in name or "\n" in name or "\n" in value:
            raise ValueError(f"header field {name!r}: {value!r} cannot be written")
        fields.append(f"{name}: {value}\n")
    return Entry(
        msgid="",
        msgstr="".join(fields),
        translator_comments=catalog.header_comments,
        flags=catalog.header_flags,
    )


def generate_po(catalog: Catalog) -> str:
    """The PO file text for ``catalog``, byte for byte what ``msgcat`` would write.

    Entries are separated by one blank line; the header comes first, then the active entries in
    order, then the translated obsolete entries. Raises ValueError for catalogs no PO file can
    express (NUL or EOT characters, duplicate msgctxt+msgid, a second header, flags or
    references containing whitespace).
    """
    blocks: list[str] = []
    header = _header_entry(catalog)
    if header is not None:
        blocks.append(_entry_text(header))
    seen: set[tuple[str | None, str]] = set() if header is None else {(None, "")}
    obsolete: list[Entry] = []
    for entry in catalog.entries:
        key = entry.key
        if key in seen or (entry.msgctxt is None and entry.msgid == "" and not entry.obsolete):
            raise ValueError(f"duplicate entry msgctxt={key[0]!r} msgid={key[1]!r}")
        seen.add(key)
        if entry.obsolete:
            obsolete.append(entry)
        else:
            blocks.append(_entry_text(entry))
    for entry in obsolete:
        first = entry.msgstr_plural[0] if entry.msgstr_plural else entry.msgstr
        if first:  # msgcat drops untranslated obsolete entries
            blocks.append(_entry_text(entry))
    return "\n".join(blocks)


def write_po_file(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` to ``path`` atomically, only if the bytes change; True if written."""
    try:
        return write_text_file(path, generate_po(catalog))
    except InputError as exc:
        raise CatalogError(exc.message, path=exc.path) from exc


# --------------------------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------------------------

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[([0-9]+)\])?|domain)(?![\w\[])")
_STRING = re.compile(r'[ \t]*"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.DOTALL)
_FLAG_SPLIT = re.compile(r"[\s,]+")
_CHARSET = re.compile(r"charset=([^\s;]*)")

_PLAIN_KEYWORDS = frozenset(("msgctxt", "msgid", "msgid_plural", "msgstr", "domain"))

# Entry stages while reading.
_AT_NONE, _AT_CTXT, _AT_ID, _AT_PLURAL, _AT_STR = range(5)


class _Problem(Exception):
    """A malformed line; carries the message, turned into CatalogError with path and line."""


def _unescape(body: str) -> str:
    """The value of a string literal's body, with gettext's escapes (and no others)."""
    if "\\" not in body:
        return body
    pieces: list[str | bytes] = []
    has_bytes = False
    position = 0
    for match in _ESCAPE.finditer(body):
        pieces.append(body[position : match.start()])
        position = match.end()
        simple, octal, hexa, other = match.groups()
        if simple is not None:
            pieces.append(_C_ESCAPES[simple])
            continue
        if other is not None:
            raise _Problem(
                f'invalid escape sequence "\\{other}"; write "\\\\" for a literal backslash'
            )
        value = int(octal, 8) if octal is not None else int(hexa, 16)
        if value > 0xFF:
            raise _Problem(f'escape sequence "{match[0]}" is out of range; write the character')
        # Octal and hex escapes stand for bytes of the file's encoding (UTF-8).
        pieces.append(bytes((value,)))
        has_bytes = True
    pieces.append(body[position:])
    if not has_bytes:
        return "".join(pieces)  # type: ignore[arg-type]
    data = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in pieces)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Problem(
            "octal or hex escapes do not form valid UTF-8; write the characters themselves"
        ) from exc


def _strings(rest: str) -> list[str]:
    """The quoted strings of one line (after its keyword), unescaped."""
    if rest[:1] == " ":
        rest = rest[1:]
    if (
        len(rest) >= 2
        and rest[0] == '"'
        and rest[-1] == '"'
        and "\\" not in rest
        and '"' not in rest[1:-1]
        and "\0" not in rest
        and "\x04" not in rest
    ):
        return [rest[1:-1]]
    found: list[str] = []
    position = 0
    length = len(rest)
    while True:
        match = _STRING.match(rest, position)
        if match is None:
            tail = rest[position:].strip(" \t")
            if not tail:
                return found
            if tail[0] == '"':
                raise _Problem('unterminated string; close the quote or escape it as \\"')
            if found:
                raise _Problem(
                    'unexpected text after the closing quote; escape quotes inside a string as \\"'
                )
            raise _Problem(f"expected a quoted string, found {_excerpt(tail)}")
        value = _unescape(match[1])
        if "\0" in value or "\x04" in value:
            raise _Problem(
                "string contains a NUL or EOT (\\x04) character; gettext cannot store it, remove it"
            )
        found.append(value)
        position = match.end()
        if position >= length:
            return found


def _excerpt(text: str, limit: int = 40) -> str:
    """``text`` quoted (and shortened) for an error message."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Draft:
    """The entry being read."""

    __slots__ = (
        "start",
        "stage",
        "obsolete",
        "translator",
        "extracted",
        "references",
        "flags",
        "previous",
        "fields",
        "plural",
        "target",
        "previous_target",
        "msgid_line",
    )

    def __init__(self, start: int) -> None:
        self.start = start
        self.stage = _AT_NONE
        self.obsolete: bool | None = None
        self.translator: list[str] = []
        self.extracted: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.fields: dict[str, list[str]] = {}
        self.plural: list[list[str]] = []
        self.target: list[str] | None = None  # where a continuation string goes
        self.previous_target: list[str] | None = None
        self.msgid_line = 0  # line of the last msgctxt/msgid/msgid_plural

    def empty(self) -> bool:
        return not (
            self.translator or self.extracted or self.references or self.flags or self.previous
        )


def _parse_flags(text: str) -> list[str]:
    """Flags of a ``#,`` line, split like gettext (commas and spaces; ``range: 1..5`` is one)."""
    tokens = [token for token in _FLAG_SPLIT.split(text) if token]
    flags: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "range:" and index + 1 < len(tokens):
            token = f"range: {tokens[index + 1]}"
            index += 1
        flags.append(token)
        index += 1
    return flags


def read_po(text: str, *, path: str | Path = "<string>") -> Catalog:
    """Parse PO/POT text into a Catalog, keeping everything a PO editor may have written.

    Entries (obsolete ones included) keep file order and ``Entry.lineno`` is the line of their
    first comment or keyword; references, flags and comments are kept as written (``generate_po``
    normalises them the way msgcat does). Raises CatalogError (``path:line: what is wrong; how
    to fix it``) for malformed input: unterminated strings, invalid escapes, keywords out of
    order, duplicate msgctxt+msgid, unknown lines, a charset other than UTF-8, and two things
    gettext accepts but would misread or lose: a comment ending with a backslash (gettext joins
    it with the next line) and trailing comments that belong to no entry.
    """
    reader = _Reader(text)
    try:
        return reader.read()
    except _Problem as exc:
        raise CatalogError(str(exc), path=path, line=reader.lineno) from None


def read_po_file(path: Path) -> Catalog:
    """Read a PO/POT file that must be UTF-8 encoded (an initial BOM is ignored)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read file: {exc.strerror}", path=path) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = "not valid UTF-8; save the file as UTF-8"
        raise CatalogError(message, path=path, line=line) from None
    return read_po(text.removeprefix("\ufeff"), path=path)


class _Reader:
    """A line-based state machine over the PO grammar; ``lineno`` locates any _Problem."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.lineno = 0
        self.catalog = Catalog()
        self.header_found = False
        self.keys: dict[tuple[str | None, str], int] = {}

    def read(self) -> Catalog:
        draft = _Draft(1)
        for number, line in enumerate(self.lines, 1):
            self.lineno = number
            if line and line[-1] == "\r":
                line = line[:-1]
            if not line:
                continue
            first = line[0]
            if first == " " or first == "\t":
                line = line.lstrip(" \t")
                if not line:
                    continue
                first = line[0]
            if first == "#":
                draft = self._comment(draft, line, number)
            elif first == '"':
                if draft.target is None:
                    raise _Problem(
                        "string without a keyword; put it right after the msgid or msgstr line"
                        " it continues"
                    )
                if draft.obsolete:
                    raise _Problem(
                        "obsolete (#~) and active lines mixed in one entry; prefix every line"
                        " of the entry with #~ or none"
                    )
                draft.target.extend(_strings(line))
            else:
                draft = self._keyword(draft, line, number, obsolete=False)
        self.lineno = len(self.lines)
        if draft.stage in (_AT_CTXT, _AT_ID, _AT_PLURAL):
            self._missing_msgstr(draft)
        if draft.stage == _AT_STR:
            self._finish(draft)
        elif not draft.empty():
            self.lineno = draft.start
            raise _Problem(
                "comment at end of file belongs to no entry; delete it or add an entry after it"
            )
        return self.catalog

    def _missing_msgstr(self, draft: _Draft) -> None:
        self.lineno = draft.msgid_line or draft.start
        if draft.stage == _AT_PLURAL:
            raise _Problem('msgid_plural without msgstr[0]; add msgstr[0] "" after it')
        if draft.stage == _AT_CTXT:
            raise _Problem("msgctxt without msgid; add the msgid line after it")
        raise _Problem('msgid without msgstr; add msgstr "" after it')

    def _new_entry(self, draft: _Draft, number: int) -> _Draft:
        """Called before a comment or msgctxt/msgid line: maybe closes the current entry."""
        if draft.stage == _AT_STR:
            self._finish(draft)
            return _Draft(number)
        if draft.stage == _AT_NONE and draft.empty():
            draft.start = number
        return draft

    def _comment(self, draft: _Draft, line: str, number: int) -> _Draft:
        if line[-1] == "\\":
            raise _Problem(
                "comment ends with a backslash, which gettext joins with the next line; add a"
                " space after it"
            )
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                return self._previous(draft, rest[1:].lstrip(" \t"), number)
            body = rest.lstrip(" \t")
            if not body:
                return draft
            if body[0] == "#":
                if body.startswith("#~"):
                    raise _Problem("#~ repeated on one line; write it once")
                return self._comment(draft, body, number)
            if body[0] == '"':
                if draft.target is None:
                    raise _Problem(
                        "string without a keyword; put it right after the msgid or msgstr line"
                        " it continues"
                    )
                if draft.obsolete is False:
                    raise _Problem(
                        "obsolete (#~) and active lines mixed in one entry; prefix every line"
                        " of the entry with #~ or none"
                    )
                draft.target.extend(_strings(body))
                return draft
            return self._keyword(draft, body, number, obsolete=True)
        if kind == "|":
            return self._previous(draft, line[2:].lstrip(" \t"), number)
        draft = self._new_entry(draft, number)
        if draft.stage != _AT_NONE:
            self._missing_msgstr(draft)
        draft.target = None
        draft.previous_target = None
        rest = line[2:]
        if kind == "," or kind == "!":
            draft.flags.extend(_parse_flags(rest))
        elif kind == ":":
            draft.references.extend(rest.split())
        elif kind == ".":
            draft.extracted.append(rest[1:] if rest.startswith(" ") else rest)
        else:
            rest = line[1:]
            draft.translator.append(rest[1:] if rest.startswith(" ") else rest)
        return draft

    def _previous(self, draft: _Draft, body: str, number: int) -> _Draft:
        if body.startswith('"'):
            if draft.previous_target is None:
                raise _Problem(
                    "#| string without a keyword; put it right after the #| msgid line it continues"
                )
            draft.previous_target.extend(_strings(body))
            return draft
        draft = self._new_entry(draft, number)
        if draft.stage != _AT_NONE:
            self._missing_msgstr(draft)
        match = _KEYWORD.match(body)
        keyword = match[1] if match else ""
        if keyword not in ("msgctxt", "msgid", "msgid_plural"):
            raise _Problem(
                f"unexpected previous (#|) line {_excerpt(body)}; it must hold msgctxt, msgid"
                " or msgid_plural"
            )
        if keyword in draft.previous:
            raise _Problem(f"#| {keyword} appears twice in one entry; keep one")
        assert match is not None
        target = draft.previous[keyword] = _strings(body[match.end() :])
        draft.target = None
        draft.previous_target = target
        return draft

    def _keyword(self, draft: _Draft, line: str, number: int, *, obsolete: bool) -> _Draft:
        head, space, rest = line.partition(" ")
        if space and head in _PLAIN_KEYWORDS:
            keyword, index = head, None
        else:
            match = _KEYWORD.match(line)
            if match is None:
                raise _Problem(
                    f"unexpected text {_excerpt(line)}; a PO line starts with #, msgctxt, msgid,"
                    ' msgstr or "'
                )
            keyword, index, rest = match[1], match[2], line[match.end() :]
        if keyword in ("msgctxt", "msgid"):
            draft = self._new_entry(draft, number)
        stage = draft.stage
        if draft.obsolete is not None and draft.obsolete != obsolete:
            raise _Problem(
                "obsolete (#~) and active lines mixed in one entry; prefix every line of the"
                " entry with #~ or none"
            )
        if keyword == "msgctxt":
            if stage == _AT_CTXT:
                raise _Problem("msgctxt appears twice in one entry; keep one")
            if stage != _AT_NONE:
                raise _Problem("msgctxt after msgid; put msgctxt before msgid")
            draft.stage = _AT_CTXT
            draft.msgid_line = number
        elif keyword == "msgid":
            if stage in (_AT_ID, _AT_PLURAL):
                self._missing_msgstr(draft)
            draft.stage = _AT_ID
            draft.msgid_line = number
        elif keyword == "msgid_plural":
            if stage < _AT_ID:
                raise _Problem("msgid_plural without msgid; add the msgid line before it")
            if stage != _AT_ID:
                raise _Problem("msgid_plural must come right after msgid, before msgstr[0]")
            draft.stage = _AT_PLURAL
            draft.msgid_line = number
        elif keyword == "domain":
            raise _Problem('"domain" lines are not supported; keep one domain per file')
        elif index is None:  # msgstr
            if stage < _AT_ID:
                raise _Problem("msgstr without msgid; add the msgid line before it")
            if stage == _AT_PLURAL:
                raise _Problem("msgstr after msgid_plural; write msgstr[0], msgstr[1], ...")
            if stage == _AT_STR:
                raise _Problem("msgstr appears twice in one entry; keep one")
            draft.stage = _AT_STR
        else:  # msgstr[N]
            if stage < _AT_ID:
                raise _Problem("msgstr without msgid; add the msgid line before it")
            if stage == _AT_ID or (stage == _AT_STR and not draft.plural):
                raise _Problem(f"{keyword} without msgid_plural; use msgstr or add msgid_plural")
            expected = len(draft.plural)
            if int(index) != expected:
                raise _Problem(f"{keyword} out of order; expected msgstr[{expected}]")
            draft.stage = _AT_STR
            target = _strings(rest)
            draft.plural.append(target)
            draft.target = target
            draft.obsolete = obsolete
            return draft
        if keyword in draft.fields:
            raise _Problem(f"{keyword} appears twice in one entry; keep one")
        target = draft.fields[keyword] = _strings(rest)
        draft.target = target
        draft.previous_target = None
        draft.obsolete = obsolete
        return draft

    def _finish(self, draft: _Draft) -> None:
        fields = draft.fields
        msgctxt = "".join(fields["msgctxt"]) if "msgctxt" in fields else None
        msgid = "".join(fields["msgid"])
        previous = draft.previous
        plural = "".join(fields["msgid_plural"]) if "msgid_plural" in fields else None
        obsolete = bool(draft.obsolete)
        if msgctxt is None and msgid == "" and not obsolete and not self.header_found:
            self._header(draft, plural)
            return
        key = (msgctxt, msgid)
        first = self.keys.get(key)
        if first is not None:
            self.lineno = draft.start
            context = "" if msgctxt is None else f"msgctxt {_excerpt(msgctxt)} "
            raise _Problem(
                f"duplicate entry for {context}msgid {_excerpt(msgid)} (first defined at line"
                f" {first}); merge or delete one of them"
            )
        self.keys[key] = draft.start
        self.catalog.entries.append(
            Entry(
                msgid=msgid,
                msgstr="".join(fields["msgstr"]) if "msgstr" in fields else "",
                msgctxt=msgctxt,
                msgid_plural=plural,
                msgstr_plural=tuple("".join(parts) for parts in draft.plural),
                translator_comments=tuple(draft.translator),
                extracted_comments=tuple(draft.extracted),
                references=tuple(draft.references),
                flags=tuple(draft.flags),
                previous_msgctxt=("".join(previous["msgctxt"]) if "msgctxt" in previous else None),
                previous_msgid="".join(previous["msgid"]) if "msgid" in previous else None,
                previous_msgid_plural=(
                    "".join(previous["msgid_plural"]) if "msgid_plural" in previous else None
                ),
                obsolete=obsolete,
                lineno=draft.start,
            )
        )

    def _header(self, draft: _Draft, plural: str | None) -> None:
        self.lineno = draft.start
        if draft.extracted or draft.references or draft.previous or plural is not None:
            raise _Problem(
                'the header entry (msgid "") cannot have #., #:, #| or msgid_plural lines;'
                " delete them"
            )
        self.header_found = True
        self.keys[(None, "")] = draft.start
        metadata: dict[str, str] = {}
        for field in "".join(draft.fields["msgstr"]).split("\n"):
            if not field:
                continue
            name, colon, value = field.partition(":")
            name = name.strip()
            if not colon or not name:
                raise _Problem(
                    f'header line {_excerpt(field)} is not "Name: value"; fix or delete it'
                )
            if name in metadata:
                raise _Problem(f'header field "{name}" appears twice; keep one')
            metadata[name] = value[1:] if value.startswith(" ") else value
        charset = _CHARSET.search(metadata.get("Content-Type", ""))
        if charset and charset[1].upper() not in ("UTF-8", "UTF8", "CHARSET", "ASCII", "US-ASCII"):
            for number in range(draft.start, len(self.lines) + 1):
                if "charset=" in self.lines[number - 1]:
                    self.lineno = number
                    break
            raise _Problem(
                f"charset {charset[1]} is not supported; convert the file with"
                " msgconv --to-code=UTF-8"
            )
        self.catalog.metadata = metadata
        self.catalog.header_comments = tuple(draft.translator)
        self.catalog.header_flags = tuple(draft.flags)
