"""Split source text into sentences, and raw ASR transcripts into readable segments.

Pure functions over ``str``; no I/O. A small rule set of our own (pysbd, spaCy and ICU split at
``Dr.`` and decimals, or move closing quotes into the next sentence; none of them splits
unpunctuated speech recognition output). Every rule below is pinned by the regression corpus
in ``tests/golden/segmenter/``.

Chinese and Japanese rules (``zh``, ``zh_Hans``, ``zh_Hant``, ``ja`` ...):

* a sentence ends after a run of ``。｡！？!?；﹗﹖`` or of an ellipsis ``…``/``⋯``; a run such as
  ``！？`` or ``。。。`` ends it once, at the end of the run. ``；`` ends a sentence on purpose:
  each clause becomes its own segment for translators.
* closing quotes, brackets and markup placeholders (``”’」』）)】》``, ``</1>``, ``<2/>``) right
  after the run stay with the sentence they close; so does ``”`` after stray whitespace. An
  ASCII ``"`` stays when it closes a quote (an odd number of them before it, or nothing after
  it) and otherwise opens the next sentence: ``他说："好。"然后`` but ``好。"下一句"``.
* an ellipsis ends a sentence unless the sentence clearly goes on: it is followed by ``，、：``
  or a particle such as ``等`` ``的`` ``了``, or a closing bracket (``（……）``), or it closes an
  enumeration (``肺癌、结直肠癌……都``), or a quote or bracket opened in the sentence is still
  open (``“我想……我们还是…”``). Otherwise ``……`` before a new clause (``……终于``) is a break:
  in articles and transcripts it mostly marks a trailing-off sentence end.
* an ASCII ``.`` never ends a Chinese sentence (decimals, ``Dr.``, ``vs.``, URLs, ``1.`` list
  markers), nor do ``，``, ``：``, a single line break, or a ``?`` inside a URL. A blank line
  always ends a sentence (it separates paragraphs).
* Japanese ``「…。」と`` (a quotation followed by the particle と) is not a break.

Other languages (``en``, ``en_NZ``, ``de``, ``ko`` ...): ``.``, ``!``, ``?``, ``…`` or ``...``
plus closing quotes end a sentence when whitespace and then an uppercase or uncased letter
(Hangul, Han), a digit or an opening quote/bracket follow; not after abbreviations (``Dr.``,
``vs.``, ``e.g.``, ``et al.``, ``Fig.``, ``Jan.``, ``U.S.``, ``No. 3``), single-letter initials
(``J. Smith``), or ``1.`` list markers at the start of a line. Korean also ends sentences at
``。！？`` as Chinese does.

Placeholders: ``<1>``, ``</1>`` and ``<2/>`` stand for inline markup; no split ever falls inside
one.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from pipeline.tokens.tags import ANY_TAG, CLOSING_TAG, OPENING_TAG, VOID_TAG, pair_within

__all__ = ["is_unpunctuated", "sentence_boundaries", "split_sentences", "split_transcript"]

# --- character classes ----------------------------------------------------------------------

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Letters and digits that make up Latin tokens (drug codes, mutations, numbers); '%' belongs to
# the number it follows.
_LATIN = "0-9A-Za-z\u00c0-\u024f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a%"

_ZH_TERMINALS = "。｡！？!?；﹗﹖…⋯"
_ELLIPSES = frozenset("…⋯")
_LATIN_TERMINALS = ".!?…"
_KO_EXTRA_TERMINALS = "。！？"

# Closing quotes and brackets that stay with the sentence when they touch its last punctuation.
# (An ASCII '"' does too, when it closes a quote: see _QuoteParity.)
_CLOSERS = "”’」』）)】》〉］]}›»'"
# German closes with “ ‘ « and opens with » › (»Text«, „Text“).
_GERMAN_CLOSERS = "”’“‘」』）)】》〉］]}‹«'"
# Unambiguous closers, absorbed even after stray whitespace ("好。 ”"): never openers in any
# language we handle ('’' is also an apostrophe and ASCII quotes open as often as they close).
_FAR_CLOSERS = "”」』）)】》〉］]}"
_BRACKET_CLOSERS = frozenset("）)】］]}〉》")
_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("（", "）"), ("(", ")"), ("【", "】"))
_OPENERS = frozenset("“‘\"'([{„‚«»‹›¿¡「『（【《〈［")

_URL = r"(?:https?://|ftp://|www\.)[!#-;=?-~]*[A-Za-z0-9/#=&_%+~-]"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
# Tags that end something (or stand alone) and so may follow a sentence's final punctuation.
_TRAILING_TAG = f"{CLOSING_TAG}|{VOID_TAG}"

_NON_SPACE = re.compile(r"\S")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_LEADING_TAGS = re.compile(f"(?:{OPENING_TAG}|{VOID_TAG})+")
_LATIN_CHAR_PATTERN = f"[{_LATIN}]"
_ZH_TERMINAL_RUN = re.compile(f"[{re.escape(_ZH_TERMINALS)}]+")
_WHITESPACE = re.compile(r"\s+")

# --- Chinese ellipsis -------------------------------------------------------------------------

# After an ellipsis, these mean the clause goes on ("……等", "……的", "……，").
_ELLIPSIS_CONTINUATION = frozenset("，,、：:—-等的地得之了着过呢吧啊呀嘛么哦啦般似")
_CLAUSE_MARKS = "，,；;：:"
# Japanese quotative particle after 」: 「…。」と言った is one sentence.
_QUOTATIVE = frozenset("とっ")

# --- Latin abbreviations ----------------------------------------------------------------------

# Never end a sentence (case-sensitive; the word before the dot).
_ABBREVIATIONS = frozenset(
    {
        *("Dr", "Drs", "Mr", "Mrs", "Ms", "Mx", "Prof", "Sr", "Jr", "St", "Mt", "Rev", "Gen"),
        *("vs", "Vs", "cf", "al", "Fig", "Figs", "fig", "figs", "approx", "Approx", "ca"),
        *("Inc", "Ltd", "Co", "Corp", "Dept", "Univ"),
        *("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"),
        *("bzw", "vgl", "Nr", "ggf", "evtl", "inkl", "usw", "Abb"),
    }
)
# End a sentence unless a number follows: "No. 3", but "He said No. Then ...".
_NUMBER_ABBREVIATIONS = frozenset(
    {"No", "Nos", "no", "Vol", "Ref", "Refs", "Eq", "Tab", "Ch", "Sec", "p", "pp"}
)
# Words after which a capital initial is a name, not the end of a sentence: "by J. Smith".
_NAME_CONTEXT = frozenset({"by", "and", "with", "from", "of", "to", "et", "&", "dr", "prof"})
_WORD_BEFORE_DOT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?:\.[A-Za-z]+)*\Z")
_INITIALISM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")  # e.g, i.e, U.S, Ph.D, z.B
_LIST_MARKER = re.compile(r"(?:\A|(?<=\n))[^\S\n]*\d{1,3}\Z")
_PREVIOUS_WORD = re.compile(r"(\S+)\s+\Z")

# --- transcripts ------------------------------------------------------------------------------

_SHORT_SEGMENT = 6  # segments with fewer visible characters are merged into a neighbour
_MIN_CJK_FOR_ASR = 40
_CHARS_PER_TERMINATOR = 80

_ZH_PAUSES_PATTERN = rf"\s*\n\s*|(?<![{_LATIN}\s])[^\S\n]+(?![{_LATIN}\s])"
_LINE_BREAKS_PATTERN = r"\s*\n\s*"
# A number keeps the unit or counter after it: 285倍, 153例, 1-2级.
_LATIN_TOKEN = (
    rf"[{_LATIN}]+(?:[.\-/+×:,'’_·][{_LATIN}]+)*(?:(?<=[0-9%])[倍例名个次级期年月日天周岁位项组])?"
)
_UNBREAKABLE_PATTERN = f"{_URL}|{_EMAIL}|{ANY_TAG}|{_LATIN_TOKEN}"
_CUT_AFTER_PUNCTUATION_PATTERN = r"[，、,；;：:…—]+"
_ZH_CUT_AFTER_PARTICLE_PATTERN = "的话|[呢吧啊嘛呀啦哈嗯呃]"
# Connectives begin the next clause, so the cut goes before them; not where they are the tail
# of a longer word (之所以, 也就是, 是因为).
_ZH_CUT_BEFORE_CONNECTIVE_PATTERN = (
    "(?<![之也是不就还只要可而总])"
    "(?=然后|所以|但是|那么|因为|如果|就是|其实|而且|并且|或者|还有|以及|不过|另外|可是|因此|比如|例如)"
)
_EN_CUT_BEFORE_CONNECTIVE_PATTERN = (
    r"\s+(?=(?:and|but|so|because|then|which|while|although|however|if|when|or)\b)"
)
# After the aspect particle 了 or the copula 是 a phrase has usually ended ("入组了|153例",
# "缓解率是|89.1%"); not in 为了, 了解, 好了吗, 是否, 是不是.
_ZH_CUT_AFTER_FUNCTION_WORD_PATTERN = "(?<![为除])了(?![解吗吧呢啊呀嘛])|是(?![否不的吗吧呢啊])"
# Pronouns and demonstratives usually open a clause in speech: a fair cut before them.
# (Not the tail of 其他, 其它, 自我, 刹那.)
_ZH_CUT_BEFORE_PRONOUN_PATTERN = "(?<![其自刹])(?=[我你他她它这那]|大家)"


class _TranscriptPatterns(NamedTuple):
    """The expressions only transcripts (unpunctuated ASR text) need."""

    zh_pauses: re.Pattern[str]
    line_breaks: re.Pattern[str]
    unbreakable: re.Pattern[str]
    cut_after_punctuation: re.Pattern[str]
    zh_cut_after_particle: re.Pattern[str]
    zh_cut_before_connective: re.Pattern[str]
    en_cut_before_connective: re.Pattern[str]
    zh_cut_after_function_word: re.Pattern[str]
    zh_cut_before_pronoun: re.Pattern[str]
    latin_char: re.Pattern[str]


@lru_cache(maxsize=1)
def _transcript() -> _TranscriptPatterns:
    """The transcript expressions, compiled on first use: several have classes of CJK or
    Latin ranges, which take ``re`` milliseconds to compile, and a punctuated source (the
    usual one) never needs them."""
    return _TranscriptPatterns(
        zh_pauses=re.compile(_ZH_PAUSES_PATTERN),
        line_breaks=re.compile(_LINE_BREAKS_PATTERN),
        unbreakable=re.compile(_UNBREAKABLE_PATTERN),
        cut_after_punctuation=re.compile(_CUT_AFTER_PUNCTUATION_PATTERN),
        zh_cut_after_particle=re.compile(_ZH_CUT_AFTER_PARTICLE_PATTERN),
        zh_cut_before_connective=re.compile(_ZH_CUT_BEFORE_CONNECTIVE_PATTERN),
        en_cut_before_connective=re.compile(_EN_CUT_BEFORE_CONNECTIVE_PATTERN),
        zh_cut_after_function_word=re.compile(_ZH_CUT_AFTER_FUNCTION_WORD_PATTERN),
        zh_cut_before_pronoun=re.compile(_ZH_CUT_BEFORE_PRONOUN_PATTERN),
        latin_char=re.compile(_LATIN_CHAR_PATTERN),
    )


_NO_SEGMENT_START = frozenset("，、。！？；：,.!?;:…⋯”’」』）)】》〉］]}%")
_SENTENCE_FINAL_PARTICLES = frozenset("吧呢啊吗嘛呀哦啦了的")

_CLASS_PUNCTUATION = 5
_CLASS_DISCOURSE = 4
_CLASS_SPACE = 3
_CLASS_CLAUSE_START = 2
_CLASS_ANYWHERE = 1
_CLASS_INSIDE_LATIN_RUN = 0


@dataclass(frozen=True, kw_only=True)
class _Rules:
    """The segmentation rules for one language."""

    is_cjk: bool
    scanner: re.Pattern[str]  # URLs to skip, runs of sentence punctuation, blank lines
    trailer: re.Pattern[str]  # the closers (group "close") and whitespace after a run
    cjk_terminals: frozenset[str]


_FAR_CLOSER = rf"\s*(?:[{re.escape(_FAR_CLOSERS)}]|{CLOSING_TAG})"
# After a blank line only unambiguous closers belong to the paragraph before.
_PARAGRAPH_TRAILER = re.compile(rf"(?P<close>(?:{_FAR_CLOSER})*)\s*")


@dataclass(frozen=True, kw_only=True)
class _Ending:
    """A run of sentence punctuation with what follows it: a possible end of sentence."""

    run: str
    run_start: int
    close: str  # closing quotes, brackets and tags, possibly after stray whitespace
    space: str  # the whitespace after them
    end: int  # where the next sentence would start


class _QuoteParity:
    """Tells whether an ASCII '"' closes a quote: an odd number of them come before it in the
    same sentence.

    Counting starts again at each sentence start, so a sentence is split the same way on its
    own as inside its text (re-segmenting a segment never splits it further). Positions are
    asked in increasing order, so counting is linear in the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentence_start = self.position = 0
        self.count = 0

    def restart(self, sentence_start: int) -> None:
        self.sentence_start = self.position = sentence_start
        self.count = 0

    def closes(self, position: int) -> bool:
        if position < self.position:
            self.position, self.count = self.sentence_start, 0
        self.count += self.text.count('"', self.position, position)
        self.position = position
        return self.count % 2 == 1


@lru_cache(maxsize=32)
def _rules_for(language: str) -> _Rules:
    base = language.replace("-", "_").split("_", 1)[0].lower()
    closers = _GERMAN_CLOSERS if base == "de" else _CLOSERS
    if base in ("zh", "ja"):
        terminals, cjk_terminals = _ZH_TERMINALS, frozenset(_ZH_TERMINALS)
    elif base == "ko":
        terminals, cjk_terminals = _LATIN_TERMINALS + _KO_EXTRA_TERMINALS, frozenset("。！？")
    else:
        terminals, cjk_terminals = _LATIN_TERMINALS, frozenset()
    # One left-to-right pass: URLs are consumed whole so their '?' and '.' are never seen.
    scanner = re.compile(
        rf"(?P<skip>{_URL})|(?P<run>[{re.escape(terminals)}]+)|(?P<para>\n[^\S\n]*\n)"
    )
    trailer = re.compile(
        rf"(?P<close>(?:[{re.escape(closers)}]|{_TRAILING_TAG})*(?:{_FAR_CLOSER})*)\s*"
    )
    return _Rules(
        is_cjk=base in ("zh", "ja"),
        scanner=scanner,
        trailer=trailer,
        cjk_terminals=cjk_terminals,
    )


# --- sentences --------------------------------------------------------------------------------


def sentence_boundaries(text: str, *, language: str) -> list[int]:
    """End offsets (exclusive) of each sentence in ``text``; the last one is ``len(text)``.

    Whitespace between sentences belongs to the end of the preceding sentence, so the pieces
    ``text[a:b]`` join back to ``text`` exactly. Empty text has no sentences.

    >>> text = "他说：“肿瘤缩小了。”然后复查了MRI。"
    >>> sentence_boundaries(text, language="zh")
    [11, 20]
    >>> sentence_boundaries("Dr. Wang agreed. Good.", language="en")
    [17, 22]
    """
    rules = _rules_for(language)
    quotes = _QuoteParity(text)
    ends: list[int] = []
    start = 0
    first_visible = _first_visible(text, start)
    position = 0
    while (match := rules.scanner.search(text, position)) is not None:
        position = match.end()
        if match.lastgroup == "skip":
            continue
        has_content = first_visible < match.start()
        if match.lastgroup == "para":
            if not has_content:
                continue  # leading blank lines: the text starts after them
            end = _match_empty_ok(_PARAGRAPH_TRAILER, text, match.end()).end()
            is_end = True
        else:
            ending = _ending(text, match, rules.trailer, quotes)
            end = ending.end
            if rules.is_cjk or ending.run[-1] in rules.cjk_terminals:
                is_end = _is_cjk_sentence_end(text, ending, start)
            else:
                is_end = _is_latin_sentence_end(text, ending)
            if is_end and _continues_clause(text, end):
                # "详见<1>说明书。</1>，后续再议。": a comma cannot start a sentence, so the
                # full stop (here inside a link's text) did not end one.
                is_end = False
            if not is_end and _BLANK_LINE.search(ending.space):
                is_end = True  # a paragraph break wins over an abbreviation or an open ellipsis
        # Go on after the closers and whitespace, which hold nothing more to look at; scanning
        # them again would be quadratic in a long run of blank lines.
        position = end
        # A run with nothing before it ("... and then") does not make an empty sentence.
        if is_end and has_content:
            ends.append(end)
            start = end
            quotes.restart(end)
            first_visible = _first_visible(text, start)
    if start < len(text):
        ends.append(len(text))
    return ends


_CLAUSE_CONTINUATION = frozenset("，、,；;：:")


def _continues_clause(text: str, end: int) -> bool:
    """Whether the text after a sentence-end candidate goes on with a comma-like mark."""
    position = _first_visible(text, end)
    return position < len(text) and text[position] in _CLAUSE_CONTINUATION


def _first_visible(text: str, start: int) -> int:
    """Offset of the first non-space character from ``start`` on (``len(text)`` if none)."""
    match = _NON_SPACE.search(text, start)
    return len(text) if match is None else match.start()


def _match_empty_ok(pattern: re.Pattern[str], text: str, position: int) -> re.Match[str]:
    """``pattern.match`` for a pattern that also matches the empty string."""
    match = pattern.match(text, position)
    assert match is not None
    return match


def _ending(
    text: str, match: re.Match[str], trailer: re.Pattern[str], quotes: _QuoteParity
) -> _Ending:
    """The run of sentence punctuation in ``match`` with its closers and whitespace."""
    after = _match_empty_ok(trailer, text, match.end())
    close_end = after.end("close")
    # '"' closes the quote it ends ("好。"然后) but opens the next one (好。"下一句"); at the
    # end of the text, before a space or before a closer it cannot open anything.
    while text.startswith('"', close_end) and (
        quotes.closes(close_end) or not _can_open_after(text, close_end + 1)
    ):
        after = _match_empty_ok(trailer, text, close_end + 1)
        close_end = after.end("close")
    return _Ending(
        run=match.group(),
        run_start=match.start(),
        close=text[match.end() : close_end],
        space=text[close_end : after.end()],
        end=after.end(),
    )


def _can_open_after(text: str, position: int) -> bool:
    """Whether a quote mark just before ``position`` could open a quotation: text follows it."""
    following = text[position : position + 1]
    return bool(following.strip()) and following not in _FAR_CLOSERS


def split_sentences(text: str, *, language: str) -> list[str]:
    """Sentences of ``text``, stripped of surrounding whitespace, empty pieces dropped.

    >>> split_sentences("<1>拉罗替尼</1>获批。<2>恩曲替尼</2>也获批。", language="zh_Hans")
    ['<1>拉罗替尼</1>获批。', '<2>恩曲替尼</2>也获批。']
    >>> split_sentences("ORR was 89.1% vs. 54.5%. Dr. Wang agreed.", language="en")
    ['ORR was 89.1% vs. 54.5%.', 'Dr. Wang agreed.']
    """
    pieces = (text[a:b].strip() for a, b in _spans(sentence_boundaries(text, language=language)))
    return [piece for piece in pieces if piece]


def _spans(ends: list[int]) -> Iterator[tuple[int, int]]:
    start = 0
    for end in ends:
        yield start, end
        start = end


def _is_cjk_sentence_end(text: str, ending: _Ending, start: int) -> bool:
    following = ending.end
    close = ending.close
    if close and close[-1] in "」』" and following < len(text) and text[following] in _QUOTATIVE:
        return False
    if not set(ending.run) <= _ELLIPSES:
        return True
    # An ellipsis alone: decide whether the sentence goes on.
    if any(char in _BRACKET_CLOSERS for char in close):
        return False
    if following == len(text):
        return True
    if text[following] in _ELLIPSIS_CONTINUATION:
        return False
    return not (
        _closes_enumeration(text, start, ending.run_start)
        or _is_inside_quote(text, start, following - len(ending.space))
    )


def _closes_enumeration(text: str, start: int, ellipsis: int) -> bool:
    """True when the clause before an ellipsis is a list ("肺癌、结直肠癌……")."""
    clause_start = max(start, ellipsis - 200)
    clause = text[clause_start:ellipsis]
    last_mark = max(clause.rfind(mark) for mark in _CLAUSE_MARKS)
    return "、" in clause[last_mark + 1 :]


def _is_inside_quote(text: str, start: int, position: int) -> bool:
    """True when a quote or bracket opened in this sentence is still open at ``position``."""
    # A bounded look back keeps long runs of ellipses linear; quotes are rarely longer.
    sentence = text[max(start, position - 300) : position]
    return any(sentence.count(opener) > sentence.count(closer) for opener, closer in _PAIRS)


def _is_latin_sentence_end(text: str, ending: _Ending) -> bool:
    following = ending.end
    if following == len(text):
        return True
    if not ending.space:
        return False  # "3.04", "example.com", "e.g.," and "?)" go on
    tags = _LEADING_TAGS.match(text, following)
    if tags:
        following = tags.end()
        if following == len(text):
            return True
    first = text[following]
    if not _starts_sentence(first):
        return False
    if ending.run == ".":
        return not _is_abbreviation(text, ending.run_start, first)
    return True


def _starts_sentence(char: str) -> bool:
    # Uncased letters (Han, Hangul, kana) count as capitals.
    return char in _OPENERS or char.isdigit() or (char.isalpha() and not char.islower())


def _is_abbreviation(text: str, dot: int, next_char: str) -> bool:
    window = max(0, dot - 40)
    word_match = _WORD_BEFORE_DOT.search(text, window, dot)
    if word_match is None:
        return _LIST_MARKER.search(text, window, dot) is not None
    word = word_match.group()
    if word in _ABBREVIATIONS or _INITIALISM.fullmatch(word):
        return True
    if word in _NUMBER_ABBREVIATIONS:
        return next_char.isdigit()
    if len(word) == 1:
        # "z. B.", "d. h." are abbreviations; a capital is an initial in a name context.
        return word.islower() or _is_name_context(text, word_match.start())
    return False


def _is_name_context(text: str, initial: int) -> bool:
    previous = _PREVIOUS_WORD.search(text, max(0, initial - 40), initial)
    if previous is None:
        return True  # an initial opening the text: "J. Smith reported ..."
    word = previous.group(1)
    if word[-1] in ".!?":
        return True  # "approved. J. Smith", "A. E. Drilon"
    return word[0].isupper() or word.lower() in _NAME_CONTEXT


# --- transcripts ------------------------------------------------------------------------------


def is_unpunctuated(text: str, *, language: str) -> bool:
    """True when ``text`` looks like raw ASR output: use :func:`split_transcript` for it.

    That is Chinese or Japanese text with more than 40 CJK characters and fewer than one run
    of sentence punctuation per 80 visible characters. Other languages give False: their
    spaces separate words, not pauses.

    >>> is_unpunctuated("大家好我是王医生 今天我们来聊一聊NTRK融合基因 " * 3, language="zh")
    True
    >>> is_unpunctuated("拉罗替尼获批。" * 20, language="zh")
    False
    """
    if not _rules_for(language).is_cjk:
        return False
    visible = len(text) - sum(len(run) for run in _WHITESPACE.findall(text))
    terminators = sum(1 for _ in _ZH_TERMINAL_RUN.finditer(text))
    if terminators * _CHARS_PER_TERMINATOR >= visible:
        return False  # punctuated, as most texts are: no need for the CJK pattern
    # Only whether there are more than _MIN_CJK_FOR_ASR matters: stop counting there.
    cjk = islice(_cjk_char().finditer(text), _MIN_CJK_FOR_ASR, None)
    return next(cjk, None) is not None


@lru_cache(maxsize=1)
def _cjk_char() -> re.Pattern[str]:
    """One CJK character. Compiled on first use: its class spans about 28,000 code points,
    which takes ``re`` about 3 ms, paid by every segmenting command if done at import."""
    return re.compile(f"[{_CJK}]")


def split_transcript(text: str, *, language: str, max_chars: int = 60) -> list[str]:
    """Segments of unpunctuated ASR text, each at most ``max_chars`` characters long.

    Splits at pauses (in Chinese and Japanese: whitespace between two characters that are not
    Latin letters or digits, so ``TRKA G595R`` and ``在 NTRK`` hold together), at line breaks
    and at any sentence punctuation present. A longer piece is cut under the cap: after
    ``，、：`` first, then after a particle (呢 吧 啊 嘛 的话 ...) or before a connective
    (然后 所以 但是 因为 ...), then at a space, then before a pronoun (我们 它 这个 ...) or
    after 了/是, then between CJK characters; never inside a Latin token, a number with its
    unit (``285倍``), a URL or a short ``<1>…</1>`` pair. Only a token longer than the cap (a
    URL) makes a longer segment. Pieces under 6 visible characters (嗯, 对吧) join a neighbour
    across a pause when the result fits. Whitespace inside a segment becomes one space.

    >>> asr = "大家好我是王医生 今天聊一聊NTRK融合基因 嗯 这个基因呢其实很常见吧"
    >>> split_transcript(asr, language="zh")
    ['大家好我是王医生', '今天聊一聊NTRK融合基因', '嗯 这个基因呢其实很常见吧']
    >>> asr = "所以对于这一类患者我们一般会先做基因检测然后再选药"
    >>> split_transcript(asr, language="zh", max_chars=16)
    ['所以对于这一类患者', '我们一般会先做基因检测然后再选药']
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    rules = _rules_for(language)
    cuts = set(sentence_boundaries(text, language=language))
    patterns = _transcript()
    pauses = patterns.zh_pauses if rules.is_cjk else patterns.line_breaks
    cuts.update(match.end() for match in pauses.finditer(text))
    cutter = _Cutter(text, rules=rules, max_chars=max_chars)
    pieces: list[_Piece] = []
    for start, end in _spans(sorted(cuts)):
        span = _trim(text, start, end)
        if span is not None:
            pieces.extend(cutter.cut(*span))
    merged = _merge_short(text, pieces, max_chars)
    return [_display(text, piece.start, piece.end) for piece in merged]


@dataclass(frozen=True)
class _Piece:
    """A trimmed span of a transcript; ``after_pause`` is False where a length cut began it."""

    start: int
    end: int
    after_pause: bool = True


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace; None when nothing is left."""
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return None
    while text[end - 1].isspace():
        end -= 1
    return first.start(), end


def _display(text: str, start: int, end: int) -> str:
    return _WHITESPACE.sub(" ", text[start:end])


class _Cutter:
    """Cuts pieces longer than the cap at the best allowed point."""

    def __init__(self, text: str, *, rules: _Rules, max_chars: int) -> None:
        self.text = text
        self.rules = rules
        self.max_chars = max_chars
        self.starts, self.ends = self._unbreakable_spans()
        # Where a token longer than the cap begins: a cut has to fall there anyway.
        self.overlong_starts = [
            start
            for start, end in zip(self.starts, self.ends, strict=True)
            if end - start > max_chars
        ]

    def _unbreakable_spans(self) -> tuple[list[int], list[int]]:
        """Sorted, non-overlapping spans no cut may fall strictly inside."""
        text = self.text
        spans = [match.span() for match in _transcript().unbreakable.finditer(text)]
        # A short <1>…</1> pair stays whole so a segment never holds half of it.
        spans.extend(
            match.span()
            for match in pair_within(self.max_chars).finditer(text)
            if match.end() - match.start() <= self.max_chars
        )
        spans.sort()
        starts: list[int] = []
        ends: list[int] = []
        for start, end in spans:
            if ends and start < ends[-1]:  # overlapping, not merely touching
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        return starts, ends

    def _blocking_end(self, position: int) -> int | None:
        """End of the unbreakable span that ``position`` falls strictly inside, if any."""
        index = bisect_right(self.starts, position) - 1
        if index >= 0 and self.starts[index] < position < self.ends[index]:
            return self.ends[index]
        return None

    def _is_allowed(self, position: int) -> bool:
        """True where a cut reads well: outside tokens, not before ``，`` or after ``“``."""
        text = self.text
        if self._blocking_end(position) is not None:
            return False
        after = _NON_SPACE.search(text, position)
        if after is None or text[after.start()] in _NO_SEGMENT_START:
            return False
        if text.startswith("</", after.start()):
            return False
        before = position
        while before > 0 and text[before - 1].isspace():
            before -= 1
        return before > 0 and text[before - 1] not in _OPENERS

    def cut(self, start: int, end: int) -> Iterator[_Piece]:
        """Yield trimmed pieces of ``text[start:end]``, each within the cap where possible."""
        after_pause = True
        while end - start > self.max_chars:
            position = self._best_cut(start, end)
            if position is None:
                position = self._first_cut_after(start + self.max_chars, end)
                if position is None:
                    break
            piece = _trim(self.text, start, position)
            rest = _trim(self.text, position, end)
            if piece is None or rest is None:
                break
            yield _Piece(*piece, after_pause=after_pause)
            start, after_pause = rest[0], False
        yield _Piece(start, end, after_pause=after_pause)

    def _best_cut(self, start: int, end: int) -> int | None:
        cap = self.max_chars
        parts = math.ceil((end - start) / cap)
        target = start + math.ceil((end - start) / parts)
        high = min(start + cap, end - 1)

        def score(candidate: tuple[int, int]) -> tuple[int, int, int]:
            # A cut that reads well first, even at the price of one more segment; then the
            # fewest segments; then the most even lengths.
            rank, position = candidate
            extra_parts = math.ceil((end - position) / cap) + 1 - parts
            return rank, -extra_parts, -abs(position - target)

        # A first segment under half the balanced length only when nothing else is possible.
        for low in (start + max(1, (target - start) // 2), start + 1):
            candidates = self._candidates(low, high)
            if not any(rank >= _CLASS_ANYWHERE for rank, _ in candidates):
                anywhere = self._nearest_cut(low, high, target, strict=True)
                if anywhere is not None:
                    candidates.append((_CLASS_ANYWHERE, anywhere))
            if candidates:
                return max(candidates, key=score)[1]
        # Only odd text is left (a long run of punctuation): any point outside a token will do.
        return self._nearest_cut(start + 1, high, target, strict=False)

    def _candidates(self, low: int, high: int) -> list[tuple[int, int]]:
        """(class, position) of the cuts in [low, high] that read well; higher is better."""
        text, rules = self.text, self.rules
        patterns = _transcript()
        found: list[tuple[int, int]] = []
        first_overlong = bisect_left(self.overlong_starts, low)
        for position in self.overlong_starts[first_overlong:]:
            if position > high:
                break
            found.append((_CLASS_PUNCTUATION, position))
        for match in patterns.cut_after_punctuation.finditer(text, low - 1, high):
            found.append((_CLASS_PUNCTUATION, match.end()))
        if rules.is_cjk:
            for match in patterns.zh_cut_after_particle.finditer(text, max(0, low - 2), high):
                found.append((_CLASS_DISCOURSE, match.end()))
            for match in patterns.zh_cut_before_connective.finditer(text, low, high + 1):
                found.append((_CLASS_DISCOURSE, match.start()))
            for match in patterns.zh_cut_before_pronoun.finditer(text, low, high + 1):
                found.append((_CLASS_CLAUSE_START, match.start()))
            for match in patterns.zh_cut_after_function_word.finditer(text, max(0, low - 1), high):
                found.append((_CLASS_CLAUSE_START, match.end()))
        else:
            for match in patterns.en_cut_before_connective.finditer(text, low, high + 1):
                found.append((_CLASS_DISCOURSE, match.start()))
        for match in _WHITESPACE.finditer(text, low - 1, high + 1):
            # In Chinese a space between two Latin tokens is part of a name: "TRKA G595R".
            inside_latin = (
                rules.is_cjk
                and patterns.latin_char.match(text, match.start() - 1) is not None
                and patterns.latin_char.match(text, match.end()) is not None
            )
            found.append((_CLASS_INSIDE_LATIN_RUN if inside_latin else _CLASS_SPACE, match.end()))
        return [
            (rank, position)
            for rank, position in found
            if low <= position <= high and self._is_allowed(position)
        ]

    def _nearest_cut(self, low: int, high: int, target: int, *, strict: bool) -> int | None:
        """The cut between two characters nearest to ``target`` (CJK text has no spaces).

        Latin tokens, URLs and short tag pairs are unbreakable spans, so no cut splits them;
        ``strict`` also keeps ``，`` and closing quotes from opening a segment.
        """
        text = self.text
        for distance in range(max(target - low, high - target) + 1):
            for position in (target - distance, target + distance):
                if not low <= position <= high:
                    continue
                if not strict:
                    if self._blocking_end(position) is None:
                        return position
                elif (
                    not text[position - 1].isspace()
                    and not text[position].isspace()
                    and self._is_allowed(position)
                ):
                    return position
        return None

    def _first_cut_after(self, position: int, end: int) -> int | None:
        """The first cut after ``position``: the end of an overlong URL or token."""
        while position < end:
            blocking_end = self._blocking_end(position)
            if blocking_end is None:
                break
            position = blocking_end
        if position >= end:
            return None
        # Keep the punctuation that follows the token with it when there is some.
        for candidate in range(position, min(end, position + self.max_chars)):
            if self._is_allowed(candidate):
                return candidate
        return position


def _visible_length(text: str, start: int, end: int) -> int:
    return (end - start) - sum(len(run) for run in _WHITESPACE.findall(text, start, end))


def _ends_a_thought(text: str, end: int) -> bool:
    """True for short pieces that close what came before ("对吧", "是的。")."""
    last = text[end - 1]
    return last in _SENTENCE_FINAL_PARTICLES or last in _ZH_TERMINALS or last in ".!?"


def _merge_short(text: str, pieces: list[_Piece], max_chars: int) -> list[_Piece]:
    """Join pieces under ``_SHORT_SEGMENT`` visible characters to a neighbour across a pause.

    Fillers (嗯, 那个) lead into what follows; closing particles (对吧, 是吧) end what came
    before. A boundary made by a length cut stays: it was chosen as the best place to cut.
    """

    def joined(first: _Piece, last: _Piece) -> _Piece | None:
        """``first`` through ``last`` as one piece; None past the cap or a length cut."""
        if not last.after_pause or len(_display(text, first.start, last.end)) > max_chars:
            return None
        return _Piece(first.start, last.end, after_pause=first.after_pause)

    merged: list[_Piece] = []

    def attach_to_previous(piece: _Piece) -> None:
        backward = joined(merged[-1], piece) if merged else None
        if backward is None:
            merged.append(piece)
        else:
            merged[-1] = backward

    waiting: _Piece | None = None  # a short piece to put in front of the next one
    for piece in pieces:
        if waiting is not None:
            forward = joined(waiting, piece)
            if forward is not None:
                piece = forward
            else:
                attach_to_previous(waiting)
            waiting = None
        if _visible_length(text, piece.start, piece.end) < _SHORT_SEGMENT:
            backward = joined(merged[-1], piece) if merged else None
            if backward is not None and _ends_a_thought(text, piece.end):
                merged[-1] = backward
            else:
                waiting = piece
            continue
        merged.append(piece)
    if waiting is not None:
        attach_to_previous(waiting)
    return merged
