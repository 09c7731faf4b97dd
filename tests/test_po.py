"""pipeline.po (read, write, wrap, linebreak): msgcat-identical output, lossless reading, errors.

GNU gettext is the oracle: the property tests assert that ``msgcat`` leaves our output
unchanged byte for byte and that ``msgfmt --check`` accepts it. They are marked ``gettext`` and
skipped where the tools are missing; the rest runs anywhere.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import CatalogError
from pipeline.po import linebreak
from pipeline.po import read as po_read
from pipeline.po.catalog import Catalog, Entry
from pipeline.po.linebreak import line_starts
from pipeline.po.read import read_po, read_po_file
from pipeline.po.wrap import PAGE_WIDTH
from pipeline.po.write import generate_po, write_po_file

DATA = Path(__file__).parent / "data" / "po"
HAVE_GETTEXT = shutil.which("msgcat") is not None and shutil.which("msgfmt") is not None


F = TypeVar("F", bound=Callable[..., object])


def gettext_test(func: F) -> F:
    """Mark a test as needing GNU gettext and skip it cleanly where gettext is missing."""
    func = pytest.mark.skipif(not HAVE_GETTEXT, reason="GNU gettext tools not installed")(func)
    return pytest.mark.gettext(func)


def run_msgcat(text: str, *extra: str) -> str:
    """What ``msgcat in.po -o out.po`` writes for ``text`` ("" when it writes no file)."""
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory, "in.po")
        target = Path(directory, "out.po")
        source.write_bytes(text.encode("utf-8"))  # bytes: no newline translation either way
        result = subprocess.run(
            ["msgcat", *extra, str(source), "-o", str(target)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return target.read_bytes().decode("utf-8") if target.exists() else ""


def run_msgfmt_check(text: str) -> None:
    """Assert that ``msgfmt --check`` (format, header and domain checks) accepts ``text``."""
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory, "in.po")
        source.write_bytes(text.encode("utf-8"))
        result = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(source)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


METADATA = {
    "Project-Id-Version": "medical-translation-pipeline 0.1",
    "Report-Msgid-Bugs-To": "",
    "POT-Creation-Date": "2024-05-01 10:00+0000",
    "PO-Revision-Date": "2024-05-02 11:00+0000",
    "Last-Translator": "Reviewer <reviewer@example.org>",
    "Language-Team": "English <en@example.org>",
    "Language": "en",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}

SENTENCE = (
    "在NTRK融合阳性实体瘤患者中，第二代TRK抑制剂的客观缓解率达到89.1%，颅内客观缓解率为"
    "90.8%，其中TRKA G595R溶剂前沿突变的患者同样获益。"
)
TRANSLATION = (
    "In patients with NTRK fusion-positive solid tumours, second-generation TRK inhibitors "
    "achieved an objective response rate of 89.1% and an intracranial objective response rate "
    "of 90.8%; patients with the TRKA G595R solvent-front mutation also benefited."
)


# ------------------------------------------------------------------------------------------
# Strategies: catalogs from realistic alphabets, already in the canonical form msgcat writes
# (known flags in gettext's order, normalised references, translated obsolete entries last).
# ------------------------------------------------------------------------------------------

CJK = "患者肿瘤治疗抑制剂客观缓解率颅内实体融合阳性突变溶剂前沿获益第二代中在为其同样达到了的"
CJK_PUNCT = "，。！？；：“”（）《》、…—·「」"
WORDS = [
    *("patients", "tumour", "response", "inhibitor", "solvent-front", "TRKA", "G595R", "NTRK"),
    *("89.1%", "90.8%", "p<0.05", "HR=0.62", "95%CI", "mg/kg", "q.d.", "e.g.", "Dr."),
    *("pneumonoultramicroscopicsilicovolcanoconiosis", "https://example.org/a/b?c=d&e=f"),
    *("<1>", "</1>", "<br/>", "%s", "{0}", "１２３", "ＡＢＣ", "α", "β", "μg", "±", "≥", "℃"),
    *("😀", "👍🏽", "🇨🇳", "(", ")", "[", "]", "'", "-", "/", "%", "\\", '"', "\t"),
]
TOKEN = st.one_of(
    st.text(alphabet=CJK, min_size=1, max_size=12),
    st.text(alphabet=CJK_PUNCT, min_size=1, max_size=2),
    st.sampled_from(WORDS),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    st.text(alphabet="0123456789.,", min_size=1, max_size=6),
    st.sampled_from([" ", " ", " ", "  ", "\n"]),
)
TEXT = st.lists(TOKEN, max_size=40).map("".join)
NONEMPTY_TEXT = st.lists(TOKEN, min_size=1, max_size=40).map("".join)
COMMENT = (
    st.lists(TOKEN.filter(lambda t: "\n" not in t), max_size=30)
    .map("".join)
    .filter(lambda c: not c.endswith("\\"))  # see test_comment_ending_with_a_backslash
)
CONTEXT = st.one_of(
    st.none(),
    st.builds(
        lambda a, p, s: f"{a}:p{p}:s{s}",
        st.sampled_from(["article-1", "视频-2"]),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    NONEMPTY_TEXT,
)
REFERENCE = st.builds(
    lambda folder, name, line: f"{folder}{name}.md" + ("" if line is None else f":{line}"),
    st.sampled_from(["sources/", "sources/articles/2024/", "", "资料/"]),
    st.text(alphabet="abcdefghij-_0123456789文章", min_size=1, max_size=60),
    st.one_of(st.none(), st.integers(1, 99999)),
)
UNKNOWN_FLAGS = ["ignore-numbers", "approved-x", "needs-review"]


def same_newlines(model: str, text: str) -> str:
    """``text`` with the leading/trailing newlines of ``model`` (msgfmt --check insists)."""
    if not text:
        return text
    core = text.strip("\n") or "x"
    return ("\n" if model.startswith("\n") else "") + core + ("\n" if model.endswith("\n") else "")


@st.composite
def entries(draw: st.DrawFn, obsolete: bool = False) -> Entry:
    msgid = draw(NONEMPTY_TEXT)
    plural = draw(st.booleans()) and draw(st.integers(0, 3)) == 0
    if plural:
        msgid_plural = same_newlines(msgid, draw(NONEMPTY_TEXT))
        translated = obsolete or draw(st.booleans())
        forms = tuple(
            same_newlines(msgid, draw(NONEMPTY_TEXT)) if translated else "" for _ in range(2)
        )
        msgstr = ""
    else:
        msgid_plural, forms = None, ()
        msgstr = same_newlines(msgid, draw(NONEMPTY_TEXT if obsolete else TEXT))
        translated = bool(msgstr)
    flags: list[str] = []
    if translated and draw(st.booleans()):
        flags.append("fuzzy")
    if not obsolete:
        if draw(st.integers(0, 5)) == 0:
            flags.append("no-c-format")
        if draw(st.integers(0, 7)) == 0:
            flags.append("no-wrap")
    flags += draw(st.lists(st.sampled_from(UNKNOWN_FLAGS), unique=True, max_size=2))
    references = draw(st.lists(REFERENCE, unique=True, max_size=8))
    previous = draw(st.booleans())
    return Entry(
        msgid=msgid,
        msgstr=msgstr,
        msgctxt=draw(CONTEXT),
        msgid_plural=msgid_plural,
        msgstr_plural=forms,
        translator_comments=tuple(draw(st.lists(COMMENT, max_size=2))),
        extracted_comments=tuple(draw(st.lists(COMMENT, max_size=2))),
        references=tuple(references),
        flags=tuple(flags),
        previous_msgctxt=draw(st.one_of(st.none(), CONTEXT)) if previous else None,
        previous_msgid=draw(TEXT) if previous else None,
        previous_msgid_plural=draw(TEXT) if previous and plural else None,
        obsolete=obsolete,
    )


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    active = draw(st.lists(entries(), max_size=6, unique_by=lambda e: e.key))
    keys = {e.key for e in active}
    old = draw(
        st.lists(entries(obsolete=True), max_size=3, unique_by=lambda e: e.key).map(
            lambda found: [e for e in found if e.key not in keys]
        )
    )
    return Catalog(
        metadata=dict(METADATA),
        header_comments=tuple(draw(st.lists(COMMENT, max_size=3))),
        header_flags=("fuzzy",) if draw(st.booleans()) else (),
        entries=active + old,
    )


def without_unknown_flags(catalog: Catalog) -> Catalog:
    """The catalog as msgcat keeps it: flags gettext does not know are dropped."""
    entries_ = [
        e.replace(flags=tuple(f for f in e.flags if f not in UNKNOWN_FLAGS))
        for e in catalog.entries
    ]
    return Catalog(
        metadata=catalog.metadata,
        header_comments=catalog.header_comments,
        header_flags=catalog.header_flags,
        entries=entries_,
    )


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------


@gettext_test
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_output_is_a_msgcat_fixed_point_and_passes_msgfmt_check(catalog: Catalog) -> None:
    text = generate_po(catalog)
    expected = generate_po(without_unknown_flags(catalog))
    extra = () if catalog.entries else ("--force-po",)  # msgcat skips header-only files
    assert run_msgcat(text, *extra) == expected
    run_msgfmt_check(text)


@settings(max_examples=200, deadline=None)
@given(catalogs())
def test_read_gives_back_the_written_catalog(catalog: Catalog) -> None:
    text = generate_po(catalog)
    again = read_po(text)
    assert again == catalog
    assert list(again.metadata) == list(catalog.metadata)
    assert generate_po(again) == text


def _load_libunistring() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("unistring")
    if name is None:
        return None
    library = ctypes.CDLL(name)
    if not hasattr(library, "u8_width_linebreaks_v2"):
        return None
    function = library.u8_width_linebreaks_v2
    function.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
    ]
    return library


LIBUNISTRING = _load_libunistring()


def libunistring_line_starts(text: str, width: int, start: int) -> list[int]:
    assert LIBUNISTRING is not None
    data = text.encode("utf-8")
    result = ctypes.create_string_buffer(max(len(data), 1))
    LIBUNISTRING.u8_width_linebreaks_v2(data, len(data), width, start, 0, None, b"UTF-8", result)
    starts, offset = [], 0
    for index, ch in enumerate(text):
        if result.raw[offset] == 2:  # UC_BREAK_POSSIBLE
            starts.append(index)
        offset += len(ch.encode("utf-8"))
    return starts


ANY_CHARACTER = st.characters(exclude_categories=["Cs"], exclude_characters="\r\n")


@pytest.mark.gettext
@pytest.mark.skipif(LIBUNISTRING is None, reason="libunistring >= 1.0 not found")
@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(TEXT, st.text(ANY_CHARACTER, max_size=60)),
    st.integers(1, 80),
    st.integers(0, 15),
)
def test_line_breaking_matches_libunistring(text: str, width: int, start: int) -> None:
    """The break table against the library gettext calls, over every Unicode character."""
    assert line_starts(text, width, start) == libunistring_line_starts(text, width, start)


def test_simple_text_ranges_agree_with_the_tables() -> None:
    """The fast path for CJK and ASCII text (``prepare`` without a per-character lookup)
    assumes 1 column and 1 byte for printable ASCII, 2 columns and 3 bytes of UTF-8 for its
    wide ranges, and no class that needs the state machine: checked for every code point."""
    state = {linebreak._CLS[name] for name in ("BK", "CM", "ZWJ", "ZW", "RI", "HL")}
    for low, high in ((0x20, 0x7E), *linebreak.SIMPLE_WIDE_RANGES):
        for cp in range(low, high + 1):
            assert linebreak._column_width(cp) == (1 if cp < 0x80 else 2), hex(cp)
            assert len(chr(cp).encode("utf-8")) == (1 if cp < 0x80 else 3), hex(cp)
            assert linebreak._line_break_class(cp) not in state, hex(cp)
            assert linebreak._simple_text().fullmatch(chr(cp)), hex(cp)
    assert linebreak._simple_text().fullmatch("\u302a") is None  # a combining tone mark
    assert linebreak._simple_text().fullmatch("\t") is None


SIMPLE_CHARACTER = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    *(st.characters(min_codepoint=low, max_codepoint=high)
      for low, high in linebreak.SIMPLE_WIDE_RANGES),
    st.sampled_from(CJK + CJK_PUNCT + " "),
)


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(st.text(SIMPLE_CHARACTER, max_size=90), TEXT.filter(lambda t: "\n" not in t)),
    st.integers(1, 80),
    st.integers(0, 15),
)
def test_simple_text_fast_path_matches_the_general_algorithm(
    text: str, width: int, start: int
) -> None:
    """Texts the fast path takes (nearly all drawn here) break where the character-by-character
    port of libunistring breaks them, and measure the same width."""
    assert line_starts(text, width, start) == linebreak.line_starts_general(text, width, start)
    if linebreak._simple_text().fullmatch(text):
        prepared = linebreak.prepare(text)
        assert prepared is not None
        assert prepared[0] == ""  # the letters are left for fill to look up
        assert prepared[1][-1] == sum(linebreak._column_width(ord(ch)) for ch in text)


# ------------------------------------------------------------------------------------------
# Golden files and msgcat's normalisations
# ------------------------------------------------------------------------------------------


def medical_catalog() -> Catalog:
    return Catalog(
        metadata=dict(METADATA),
        header_comments=("Medical article translations.", ""),
        entries=[
            Entry(
                msgid=SENTENCE,
                msgstr=TRANSLATION,
                msgctxt="article-7:p3:s2",
                extracted_comments=(
                    "Source: 第二代TRK抑制剂临床研究综述, paragraph 3; do not translate drug "
                    "codes such as LOXO-195 or selitrectinib",
                ),
                references=tuple(f"sources/articles/2024/trk-inhibitors.md:{n}" for n in (3, 14)),
                flags=("fuzzy", "ignore-numbers"),
                previous_msgid=SENTENCE.replace("89.1%", "88.0%"),
            ),
            Entry(
                msgid="第一行\n第二行：G595R突变\t（溶剂前沿）\n",
                msgstr='First line\nSecond line: "G595R" mutation\t(solvent front)\n',
                msgctxt="transcript-2:cue14",
            ),
            Entry(
                msgid="{n}名患者",
                msgid_plural="{n}名患者（复数）",
                msgstr_plural=("{n} patient", "{n} patients"),
                flags=("no-c-format",),
            ),
            Entry(
                msgid="旧句子：第二代TRK抑制剂对颅内病灶同样有效，客观缓解率达到九成以上。",
                msgstr="Old sentence: second-generation TRK inhibitors are also effective.",
                msgctxt="article-7:p9:s1",
                flags=("fuzzy",),
                previous_msgid="更旧的句子：第二代TRK抑制剂对颅内病灶同样有效，客观缓解率接近九成。",
                obsolete=True,
            ),
        ],
    )


def test_medical_golden_file() -> None:
    golden = (DATA / "medical.po").read_text(encoding="utf-8")
    assert generate_po(medical_catalog()) == golden
    assert read_po(golden) == medical_catalog()


@gettext_test
def test_medical_golden_file_is_msgcat_output() -> None:
    golden = (DATA / "medical.po").read_text(encoding="utf-8")
    assert run_msgcat(golden) == golden.replace("#, fuzzy, ignore-numbers", "#, fuzzy")
    run_msgfmt_check(golden)


def test_long_chinese_sentence_wraps_between_characters_at_79_columns() -> None:
    text = generate_po(Catalog(entries=[Entry(msgid=SENTENCE)]))
    assert text == (
        'msgid ""\n'
        '"在NTRK融合阳性实体瘤患者中，第二代TRK抑制剂的客观缓解率达到89.1%，颅内客观缓"\n'
        '"解率为90.8%，其中TRKA G595R溶剂前沿突变的患者同样获益。"\n'
        'msgstr ""\n'
    )


def test_short_header_fits_on_the_msgstr_line() -> None:
    catalog = Catalog(metadata={"Content-Type": "text/plain; charset=UTF-8"})
    assert generate_po(catalog) == 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'


@gettext_test
def test_msgcat_writes_nothing_for_a_header_only_catalog() -> None:
    """A catalog without entries is the one case where msgcat (without --force-po) differs."""
    text = generate_po(Catalog(metadata=dict(METADATA), header_comments=("Only a header",)))
    assert run_msgcat(text) == ""
    assert run_msgcat(text, "--force-po") == text


def test_flags_are_written_in_gettext_order_with_unknown_flags_last() -> None:
    entry = Entry(
        msgid="a",
        msgstr="b",
        flags=(
            "ignore-numbers",
            "python-format",
            "no-wrap",
            "range: 01..5",
            "fuzzy",
            "c-format",
            "possible-java-format",
            "impossible-lisp-format",
            "wrap",
            "ignore-numbers",
        ),
    )
    assert generate_po(Catalog(entries=[entry])) == (
        "#, fuzzy, c-format, python-format, java-format, range: 1..5, ignore-numbers\n"
        'msgid "a"\nmsgstr "b"\n'
    )


def test_fuzzy_is_dropped_on_untranslated_entries_like_msgcat_does() -> None:
    entry = Entry(msgid="a", flags=("fuzzy", "ignore-numbers"))
    assert generate_po(Catalog(entries=[entry])) == ('#, ignore-numbers\nmsgid "a"\nmsgstr ""\n')


def test_obsolete_entries_go_last_and_untranslated_ones_are_dropped() -> None:
    catalog = Catalog(
        entries=[
            Entry(msgid="old", msgstr="alt", obsolete=True, flags=("fuzzy", "c-format")),
            Entry(msgid="gone", obsolete=True),
            Entry(msgid="new", msgstr="neu"),
        ]
    )
    assert generate_po(catalog) == (
        'msgid "new"\nmsgstr "neu"\n\n#, fuzzy, c-format\n#~ msgid "old"\n#~ msgstr "alt"\n'
    )


def test_references_are_normalised_and_filled_to_the_page_width() -> None:
    refs = ("./a.md:12", "a.md:12", "b.md:007", "c.md") + tuple(
        f"sources/long/path/file-{n}.md:{n}" for n in range(4)
    )
    text = generate_po(Catalog(entries=[Entry(msgid="a", references=refs)]))
    lines = text.splitlines()
    assert lines[:3] == [
        # As msgcat: "./a.md" is another file name than "a.md" until "./" is stripped.
        "#: a.md:12 a.md:12 b.md:7 c.md sources/long/path/file-0.md:0",
        "#: sources/long/path/file-1.md:1 sources/long/path/file-2.md:2",
        "#: sources/long/path/file-3.md:3",
    ]
    assert all(len(line) <= PAGE_WIDTH for line in lines)


def test_comments_are_never_wrapped() -> None:
    long = "x" * 200
    text = generate_po(
        Catalog(entries=[Entry(msgid="a", translator_comments=(long,), extracted_comments=(long,))])
    )
    assert text.splitlines()[:2] == [f"# {long}", f"#. {long}"]


def test_no_wrap_flag_keeps_long_strings_on_one_line() -> None:
    text = generate_po(Catalog(entries=[Entry(msgid=SENTENCE * 2, flags=("no-wrap",))]))
    assert text == f'#, no-wrap\nmsgid "{SENTENCE * 2}"\nmsgstr ""\n'


def test_long_msgctxt_wraps_like_msgid_and_obsolete_prefix_counts_in_the_width() -> None:
    context = "article-12:" + "很长的上下文" * 10
    text = generate_po(
        Catalog(entries=[Entry(msgid="a", msgstr="b", msgctxt=context, obsolete=True)])
    )
    lines = text.splitlines()
    assert lines[0] == '#~ msgctxt ""'
    assert all(line.startswith('#~ "') for line in lines[1:-2])
    assert max(len(line.encode("gbk")) for line in lines) <= PAGE_WIDTH  # 2 bytes = 2 columns


@gettext_test
@pytest.mark.parametrize(
    "value",
    [
        "",
        "\n",
        "\n\n",
        "a\n",
        "a\nb",
        "trailing space " * 8,
        "x" * 120,
        "中" * 38 + "\n",
        "中" * 37 + "a\\n",
        '"引号"' * 20,
        "\t" * 50,
        "https://example.org/" + "a" * 100,
        "（括号）" * 15,
        "100%" * 30,
        "１２３４５" * 12,
    ],
)
def test_edge_strings_match_msgcat(value: str) -> None:
    catalog = Catalog(
        metadata={"Content-Type": "text/plain; charset=UTF-8"},
        entries=[
            Entry(msgid="k" + value, msgstr=value, msgctxt=value or None, previous_msgid=value),
            Entry(msgid="o" + value, msgstr=value or "x", obsolete=True, previous_msgid=value),
        ],
    )
    text = generate_po(catalog)
    assert run_msgcat(text) == text


@gettext_test
def test_long_header_fields_wrap_like_msgcat() -> None:
    metadata = dict(METADATA)
    metadata["Last-Translator"] = "张三 <zhang.san@hospital.example.org>, 李四 <li.si@example.org>"
    metadata["X-Reviewers"] = "审校：" + "、".join(["王医生"] * 20)
    text = generate_po(Catalog(metadata=metadata, entries=[Entry(msgid="a")]))
    # libunistring allows a break between "." and a letter (so that "<P>x.</P>" can wrap).
    assert (
        '"Last-Translator: 张三 <zhang.san@hospital.example.org>, 李四 <li.si@example."\n'
        '"org>\\n"\n' in text
    )
    assert run_msgcat(text) == text


def test_flags_are_split_like_gettext_splits_them() -> None:
    catalog = read_po('#, fuzzy c-format,,range: 1..3\n#, no-wrap\nmsgid "a"\nmsgstr "b"\n')
    assert catalog.entries[0].flags == ("fuzzy", "c-format", "range: 1..3", "no-wrap")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [Entry(msgid="a\0b")],
            "msgid 'a\\x00b' contains a NUL or EOT (\\x04) character; gettext cannot store it,"
            " remove it",
        ),
        (
            [Entry(msgid="a", msgstr="\x04")],
            "msgstr '\\x04' contains a NUL or EOT (\\x04) character; gettext cannot store it,"
            " remove it",
        ),
        (
            [Entry(msgid="a"), Entry(msgid="a", obsolete=True)],
            "duplicate entry msgctxt=None msgid='a'; a catalog holds each msgctxt and msgid once",
        ),
        (
            [Entry(msgid="")],
            "duplicate entry msgctxt=None msgid=''; a catalog holds each msgctxt and msgid once",
        ),
        (
            [Entry(msgid="a", msgstr_plural=("x",))],
            "msgid 'a' has msgstr_plural but no msgid_plural; give it a msgid_plural or a single"
            " msgstr",
        ),
        (
            [Entry(msgid="a", flags=("two words",))],
            "flag 'two words' of msgid 'a' contains a comma or space or ends with a backslash;"
            " a flag is one word",
        ),
        (
            [Entry(msgid="a", references=("a b.md:1",))],
            "reference 'a b.md:1' is empty, contains whitespace or ends with a backslash; write"
            " it as path:line",
        ),
    ],
)
def test_generate_rejects_catalogs_a_po_file_cannot_express(
    entries: list[Entry], message: str, tmp_path: Path
) -> None:
    """A CatalogError (never a ValueError) with the fix; written to a file, with its path."""
    with pytest.raises(CatalogError) as caught:
        generate_po(Catalog(entries=entries))
    assert (caught.value.path, caught.value.message) == (None, message)
    target = tmp_path / "x.po"
    with pytest.raises(CatalogError) as caught:
        write_po_file(target, Catalog(entries=entries))
    assert str(caught.value) == f"{target}: {message}"
    assert not target.exists()


def test_comment_ending_with_a_backslash_gets_a_space() -> None:
    """gettext joins a line ending with a backslash to the next line, even in comments."""
    entry = Entry(msgid="a", translator_comments=("C:\\",), extracted_comments=("x\\",))
    text = generate_po(Catalog(entries=[entry]))
    assert text == '# C:\\ \n#. x\\ \nmsgid "a"\nmsgstr ""\n'
    assert read_po(text).entries[0].translator_comments == ("C:\\ ",)


def test_empty_catalog_is_an_empty_file() -> None:
    assert generate_po(Catalog()) == ""


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------

EVERYTHING = """\
# Header comment
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: x\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

# translator
#. extracted
#: a.md:1 ./b.md:2
#:\tc.md
#, fuzzy, ignore-numbers
#! approved-x
#| msgctxt "old ctx"
#| msgid "old "
#| "id"
msgctxt "ctx"
msgid "hel"
"lo"
msgstr "bon" "jour"

msgid "one"
msgid_plural "many"
msgstr[0] "un"
msgstr[1] "\\x4d\\303\\251decins \\"\\\\\\t\\n"

   msgid "indented"
msgstr ""

# obsolete comment
#~ #, fuzzy
#~| msgctxt "prev ctx"
#~| msgid "prev"
#~ msgctxt "c"
#~ msgid "gone"
#~ msgstr ""
#~ "still here"
"""


def test_read_keeps_everything() -> None:
    catalog = read_po(EVERYTHING.replace("\n", "\r\n"))
    assert catalog.header_comments == ("Header comment", "")
    assert catalog.header_flags == ("fuzzy",)
    assert list(catalog.metadata.items()) == [
        ("Project-Id-Version", "x"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
    ]
    first, plural, indented, gone = catalog.entries
    assert first == Entry(
        msgid="hello",
        msgstr="bonjour",
        msgctxt="ctx",
        translator_comments=("translator",),
        extracted_comments=("extracted",),
        references=("a.md:1", "./b.md:2", "c.md"),
        flags=("fuzzy", "ignore-numbers", "approved-x"),
        previous_msgctxt="old ctx",
        previous_msgid="old id",
    )
    assert first.lineno == 20  # the msgid line, not the first comment
    assert plural.msgstr_plural == ("un", 'Médecins "\\\t\n')
    assert plural.lineno == 24
    assert indented.msgid == "indented" and indented.lineno == 29
    assert gone == Entry(
        msgid="gone",
        msgstr="still here",
        msgctxt="c",
        translator_comments=("obsolete comment",),
        flags=("fuzzy",),
        previous_msgctxt="prev ctx",
        previous_msgid="prev",
        obsolete=True,
    )
    assert gone.lineno == 37


def test_keyword_and_string_may_be_on_separate_lines() -> None:
    catalog = read_po('msgid\n"a"\nmsgstr\n"b"\n')
    assert catalog.entries == [Entry(msgid="a", msgstr="b")]


def test_pot_header_with_charset_placeholder_is_accepted() -> None:
    catalog = read_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=CHARSET\\n"\n')
    assert catalog.metadata == {"Content-Type": "text/plain; charset=CHARSET"}


P = "locales/en/LC_MESSAGES/a.po"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'msgid "a\nmsgstr ""\n',
            f'{P}:1: unterminated string; close the quote or escape it as \\"',
        ),
        (
            'msgid "a"\nmsgstr "b" "c\n',
            f'{P}:2: unterminated string; close the quote or escape it as \\"',
        ),
        (
            'msgid "say "hi""\nmsgstr ""\n',
            f'{P}:1: unexpected text after the closing quote; escape quotes inside a string as \\"',
        ),
        (
            'msgid "a\\qb"\nmsgstr ""\n',
            f'{P}:1: invalid escape sequence "\\q"; write "\\\\" for a literal backslash',
        ),
        (
            'msgid "a\\0"\nmsgstr ""\n',
            f"{P}:1: string contains a NUL or EOT (\\x04) character; gettext cannot store it,"
            " remove it",
        ),
        (
            'msgid "\\377"\nmsgstr ""\n',
            f"{P}:1: octal or hex escapes do not form valid UTF-8; write the characters themselves",
        ),
        (
            '# c\n\nmsgstr "b"\n',
            f"{P}:3: msgstr without msgid; add the msgid line before it",
        ),
        (
            'msgid "a"\nmsgstr "b"\n\n# again\nmsgid "a"\nmsgstr "c"\n',
            f'{P}:4: duplicate entry for msgid "a" (first defined at line 1); merge or delete one'
            " of them",
        ),
        (
            'msgctxt "k"\nmsgid "a"\nmsgstr "b"\n\n#~ msgctxt "k"\n#~ msgid "a"\n#~ msgstr "c"\n',
            f'{P}:5: duplicate entry for msgctxt "k" msgid "a" (first defined at line 1); merge or'
            " delete one of them",
        ),
        (
            'msgid "a"\nmsgstr "b"\nhello world\n',
            f'{P}:3: unexpected text "hello world"; a PO line starts with #, msgctxt, msgid,'
            ' msgstr or "',
        ),
        (
            'msgid "a"\n\n# next\nmsgid "b"\nmsgstr ""\n',
            f'{P}:1: msgid without msgstr; add msgstr "" after it',
        ),
        (
            'msgid "a"\nmsgid "b"\nmsgstr ""\n',
            f'{P}:1: msgid without msgstr; add msgstr "" after it',
        ),
        (
            'msgid "a"\n',
            f'{P}:1: msgid without msgstr; add msgstr "" after it',
        ),
        (
            'msgid "a"\nmsgstr "b"\n"c"\n# dangling\n',
            f"{P}:4: comment at end of file belongs to no entry; delete it or add an entry"
            " after it",
        ),
        (
            '"a"\n',
            f"{P}:1: string without a keyword; put it right after the msgid or msgstr line it"
            " continues",
        ),
        (
            'msgid "a"\nmsgstr[0] ""\n',
            f"{P}:2: msgstr[0] without msgid_plural; use msgstr or add msgid_plural",
        ),
        (
            'msgid "a"\nmsgid_plural "b"\nmsgstr ""\n',
            f"{P}:3: msgstr after msgid_plural; write msgstr[0], msgstr[1], ...",
        ),
        (
            'msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\nmsgstr[2] ""\n',
            f"{P}:4: msgstr[2] out of order; expected msgstr[1]",
        ),
        (
            'msgid "a"\nmsgctxt "b"\nmsgstr ""\n',
            f"{P}:2: msgctxt after msgid; put msgctxt before msgid",
        ),
        (
            'msgctxt "a"\nmsgctxt "b"\nmsgid "c"\nmsgstr ""\n',
            f"{P}:2: msgctxt appears twice in one entry; keep one",
        ),
        (
            '#~ #~ msgid "a"\n',
            f"{P}:1: #~ repeated on one line; write it once",
        ),
        (
            '#~ msgid "a"\nmsgstr "b"\n',
            f"{P}:2: obsolete (#~) and active lines mixed in one entry; prefix every line of the"
            " entry with #~ or none",
        ),
        (
            'domain "x"\n',
            f'{P}:1: "domain" lines are not supported; keep one domain per file',
        ),
        (
            '# C:\\\nmsgid "c"\nmsgstr ""\n',
            f"{P}:1: comment ends with a backslash, which gettext joins with the next line; add"
            " a space after it",
        ),
        (
            '#| msgid "a"\n"b"\nmsgid "c"\nmsgstr ""\n',
            f"{P}:2: string without a keyword; put it right after the msgid or msgstr line it"
            " continues",
        ),
        (
            'msgid "\\x100"\nmsgstr ""\n',
            f'{P}:1: escape sequence "\\x100" is out of range; write the character',
        ),
        (
            '#~ msgid "a"\n"b"\n',
            f"{P}:2: obsolete (#~) and active lines mixed in one entry; prefix every line of the"
            " entry with #~ or none",
        ),
        (
            '#~ "b"\n',
            f"{P}:1: string without a keyword; put it right after the msgid or msgstr line it"
            " continues",
        ),
        (
            'msgid "a"\nmsgid_plural "b"\n',
            f'{P}:2: msgid_plural without msgstr[0]; add msgstr[0] "" after it',
        ),
        (
            'msgid "a"\nmsgstr ""\nmsgid_plural "b"\n',
            f"{P}:3: msgid_plural must come right after msgid, before msgstr[0]",
        ),
        (
            'msgid "a"\nmsgstr ""\nmsgstr ""\n',
            f"{P}:3: msgstr appears twice in one entry; keep one",
        ),
        (
            '#| msgid "a"\n#| msgid "b"\nmsgid "c"\nmsgstr ""\n',
            f"{P}:2: #| msgid appears twice in one entry; keep one",
        ),
        (
            '#. note\nmsgid ""\nmsgstr ""\n',
            f'{P}:1: the header entry (msgid "") cannot have #., #| or msgid_plural lines;'
            " delete them",
        ),
    ],
)
def test_malformed_input_names_the_file_line_and_fix(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        read_po(text, path=P)
    assert str(caught.value) == message


PO_FRAGMENTS = st.sampled_from(
    [
        *("msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ", "domain "),
        *("#~ ", "#~| ", "#| ", "#, ", "#. ", "#: ", "# ", "#", "#!", "fuzzy", "range: 1..2"),
        *('"', '""', "\\", "\\n", "\\x", "\\7", "\\q", "\n", "\n\n", " ", "\t", "\r"),
        *("a", "中", "\x04", "\x00", ":", "./a.md:01"),
        *('"Content-Type: text/plain; charset=', "UTF-8", "latin1", '\\n"', "Language: en"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(PO_FRAGMENTS, max_size=60).map("".join))
def test_any_input_gives_a_catalog_or_a_located_catalog_error(text: str) -> None:
    """read_po raises nothing but CatalogError, and whatever it accepts can be written."""
    try:
        catalog = read_po(text, path="x.po")
    except CatalogError as exc:
        assert exc.path == "x.po"
        assert exc.line is not None and 1 <= exc.line <= text.count("\n") + 1
        return
    written = generate_po(catalog)
    assert generate_po(read_po(written)) == written


def read_result(text: str) -> object:
    """Everything read_po gives for ``text``: the catalog with every entry's line, or the
    error."""
    try:
        catalog = read_po(text, path="x.po")
    except CatalogError as exc:
        return str(exc)
    return (
        [(entry, entry.lineno) for entry in catalog.entries],
        list(catalog.metadata.items()),
        catalog.header_msgstr,
        catalog.header_index,
        catalog.header_comments,
        catalog.header_flags,
        catalog.header_references,
    )


def read_line_by_line(text: str) -> object:
    """``read_result`` with the reader's whole-entry fast path switched off."""
    with mock.patch.object(po_read, "_FAST_ENTRY", re.compile("(?!)")):
        return read_result(text)


# Whole entries as gettext writes them (which the fast path takes) and pieces that continue,
# interrupt or break them (which it must leave to the line-by-line reader).
ENTRY_PIECES = st.sampled_from(
    [
        'msgid "a"\nmsgstr "b"\n',
        'msgctxt "s-1"\nmsgid ""\n"患者"\n"肿瘤"\nmsgstr ""\n"x y"\n',
        '# note\n#\n#. paragraph\n#: a.md:3 b.md:4\n#, fuzzy, ignore-numbers\n#| msgctxt "o"\n'
        '#| msgid ""\n#| "old "\n#| "text"\nmsgctxt "n"\nmsgid "new"\nmsgstr "t"\n',
        'msgid ""\nmsgstr "Language: en\\n"\n',
        'msgid "e\\n"\nmsgstr "f"\n',
        '#~ msgid "a"\n#~ msgstr "b"\n',
        '#~ "c"\n',
        '#~| msgid "p"\n',
        '"more"\n',
        'msgstr "x"\n',
        'msgid_plural "as"\nmsgstr[0] "x"\n',
        "\n",
        "\n\n",
        " \n",
    ]
)


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        st.lists(st.one_of(ENTRY_PIECES, PO_FRAGMENTS), max_size=40).map("".join),
        st.lists(ENTRY_PIECES, max_size=25).map("".join),
        catalogs().map(generate_po),
    )
)
def test_whole_entry_fast_path_reads_like_the_line_by_line_reader(text: str) -> None:
    """Same entries, lines, header and errors (message and line) with and without it."""
    assert read_result(text) == read_line_by_line(text)


def test_whole_entry_fast_path_takes_entries_as_gettext_writes_them() -> None:
    taken: list[bool] = []
    fast = po_read._Reader._fast

    def spy(reader: po_read._Reader, match: re.Match[str], number: int) -> bool:
        taken.append(fast(reader, match, number))
        return taken[-1]

    text = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        + "".join(
            f'#. paragraph\n#: a.md:{n}\nmsgctxt "s-{n}"\nmsgid ""\n"{"患者" * 40}{n}"\n'
            f'msgstr "patient {n}"\n\n'
            for n in range(50)
        )
        + '#~ msgid "gone"\n#~ msgstr "weg"\n'
    )
    with mock.patch.object(po_read._Reader, "_fast", spy):
        catalog = read_po(text)
    assert taken == [True] * 50
    assert [e.lineno for e in catalog.entries[:2]] == [7, 14]
    assert catalog.entries[-1].obsolete and catalog.entries[-1].msgstr == "weg"
    assert read_result(text) == read_line_by_line(text)


def test_read_po_file_reports_the_line_of_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b'msgid "a"\nmsgstr ""\n\nmsgid "\xe4\xb8"\nmsgstr ""\n')
    with pytest.raises(CatalogError) as caught:
        read_po_file(path)
    assert str(caught.value) == (
        f"{path}:4: not valid UTF-8 (byte 0xe4); save the file as UTF-8 (in most editors: "
        "Save As, encoding UTF-8)"
    )


def test_read_po_file_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        read_po_file(tmp_path / "missing.po")
    assert str(caught.value) == f"{tmp_path / 'missing.po'}: file not found; check the path"


def test_read_po_file_ignores_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b'\xef\xbb\xbfmsgid "a"\nmsgstr "\xe5\x8c\xbb"\n')
    assert read_po_file(path).entries == [Entry(msgid="a", msgstr="医")]


# ------------------------------------------------------------------------------------------
# Writing files
# ------------------------------------------------------------------------------------------


def test_write_po_file_is_atomic_and_skips_identical_content(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "a.po"
    catalog = medical_catalog()
    assert write_po_file(path, catalog) is True
    assert path.read_text(encoding="utf-8") == generate_po(catalog)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o600)
    before = path.stat().st_mtime_ns
    assert write_po_file(path, catalog) is False
    assert path.stat().st_mtime_ns == before
    catalog.entries.insert(1, Entry(msgid="new"))
    assert write_po_file(path, catalog) is True
    assert read_po_file(path) == catalog
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.po"]


def test_write_po_file_failure_is_a_catalog_error(tmp_path: Path) -> None:
    blocker = tmp_path / "locales"
    blocker.write_text("not a folder", encoding="utf-8")
    path = blocker / "a.po"
    with pytest.raises(CatalogError, match="cannot (read|write) the file") as caught:
        write_po_file(path, medical_catalog())
    assert caught.value.path == str(path)
