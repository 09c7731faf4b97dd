"""TBX and CSV: exports CAT tools read, imports that merge back without loss."""

from __future__ import annotations

import csv
import io
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import GlossaryError
from pipeline.glossary import Glossary, Term, load_glossary
from pipeline.glossary.edit import merge_terms
from pipeline.glossary.exchange import (
    export_csv,
    export_locales,
    export_tbx,
    read_csv,
    read_tbx,
)

DATA = Path(__file__).parent / "data" / "glossary"
REPO = Path(__file__).resolve().parent.parent
SETTINGS = {"source_locale": "zh_Hans", "target_locales": ["en"]}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", **SETTINGS)


def export(glossary: Glossary, kind: str) -> str:
    locales = export_locales(glossary, ["en"])
    return (export_tbx if kind == "tbx" else export_csv)(glossary, locales=locales)


def read(text: str, kind: str) -> list[dict]:
    reader = read_tbx if kind == "tbx" else read_csv
    return reader(text, path=f"terms.{kind}", source_locale="zh_Hans")


@pytest.mark.parametrize("kind", ["tbx", "csv"])
def test_import_of_an_export_changes_nothing(kind: str, shipped: Glossary, tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(REPO / "glossary.yaml", path)
    report = merge_terms(path, read(export(shipped, kind), kind), origin="x", **SETTINGS)
    assert report.changes == ()
    assert report.unchanged == len(shipped)
    assert path.read_bytes() == (REPO / "glossary.yaml").read_bytes()


@pytest.mark.parametrize("kind", ["tbx", "csv"])
def test_export_imported_into_an_empty_glossary_is_lossless(
    kind: str, shipped: Glossary, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.yaml"
    report = merge_terms(path, read(export(shipped, kind), kind), origin="x", **SETTINGS)
    assert report.added == len(shipped)
    rebuilt = load_glossary(path, **SETTINGS)
    assert rebuilt.terms == shipped.terms
    assert [t.has_explicit_id for t in rebuilt.terms] == [t.has_explicit_id for t in shipped.terms]


def test_tbx_is_tbx_basic_with_bcp47_languages(shipped: Glossary) -> None:
    root = ET.fromstring(export(shipped, "tbx"))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert root.get(XML_LANG) == "zh-Hans"
    entries = root.findall("./text/body/termEntry")
    assert len(entries) == len(shipped)
    languages = {lang_set.get(XML_LANG) for lang_set in root.iter("langSet")}
    assert languages == {"zh-Hans", "en"}
    bbb = next(e for e in entries if e.find("langSet/tig/term").text == "血脑屏障")
    english = [ls for ls in bbb.findall("langSet") if ls.get(XML_LANG) == "en"][0]
    assert [
        (tig.findtext("term"), tig.findtext("termNote[@type='administrativeStatus']"))
        for tig in english.findall("tig")
    ] == [
        ("blood-brain barrier", "preferredTerm-admn-sts"),
        ("blood–brain barrier", "admittedTerm-admn-sts"),
        ("BBB", "admittedTerm-admn-sts"),
    ]


def test_tbx_marks_dnt_terms_untranslatable_and_repeats_them(shipped: Glossary) -> None:
    root = ET.fromstring(export(shipped, "tbx"))
    g595r = next(e for e in root.iter("termEntry") if e.findtext("langSet/tig/term") == "G595R")
    assert g595r.findtext("descrip[@type='Translation needed']") == "No"
    assert [ls.findtext("tig/term") for ls in g595r.findall("langSet")] == ["G595R", "G595R"]


def test_csv_has_one_column_per_locale(shipped: Glossary) -> None:
    rows = list(csv.DictReader(io.StringIO(export(shipped, "csv"))))
    assert list(rows[0]) == [
        "id",
        "zh-Hans",
        "variants",
        "en",
        "allowed:en",
        "forbidden:en",
        "dnt",
        "case_sensitive",
        "status",
        "pos",
        "definition",
        "reference",
        "note",
    ]
    ae = next(row for row in rows if row["zh-Hans"] == "总生存期")
    assert (ae["en"], ae["allowed:en"], ae["forbidden:en"], ae["variants"]) == (
        "overall survival",
        "OS",
        "total survival period | total survival",
        "总生存",
    )


def test_weblate_style_tbx_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(DATA / "commented.yaml", path)
    text = (DATA / "weblate.tbx").read_text(encoding="utf-8")
    records = read_tbx(text, path="weblate.tbx", source_locale="zh_Hans")
    assert [{k: v for k, v in r.items() if k != "_line"} for r in records] == [
        {"source": "脑脊液", "target": {"en": "cerebrospinal fluid"}, "allowed": {"en": ["CSF"]}},
        {"source": "TRIDENT-1", "dnt": True},
        {
            "note": "CTCAE wording",
            "source": "不良事件",
            "target": {"en": "adverse event"},
            "forbidden": {"en": ["side effect"]},
        },
    ]
    report = merge_terms(path, records, origin="weblate.tbx", **SETTINGS)
    assert [change.describe() for change in report.changes] == [
        "added 脑脊液",
        "added TRIDENT-1",
        "updated 不良事件: note -> 'CTCAE wording'",
    ]
    glossary = load_glossary(path, **SETTINGS)
    assert glossary.term(glossary.terms[-1].id).dnt


def test_spreadsheet_csv_with_bom_and_some_columns(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(DATA / "commented.yaml", path)
    text = (DATA / "spreadsheet.csv").read_text(encoding="utf-8")
    records = read_csv(text, path="spreadsheet.csv", source_locale="zh_Hans")
    report = merge_terms(path, records, origin="spreadsheet.csv", **SETTINGS)
    assert [change.describe() for change in report.changes] == [
        "added 血脑屏障",
        "updated 不良事件: forbidden en -> 'side effect, adverse reaction'; "
        "note -> 'CTCAE wording'",
    ]


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (
            "csv",
            "zh-Hans,en,forbiden:en\n",
            "terms.csv:1: unknown column 'forbiden:en'; "
            "use id, a locale code such as 'en', 'allowed:en', 'forbidden:en', variants, dnt, "
            "case_sensitive, status, pos, definition, reference or note",
        ),
        ("csv", "zh-Hans,en,notes\n", "terms.csv:1: unknown column 'notes'; did you mean 'note'?"),
        (
            "csv",
            "en,note\nx,y\n",
            "terms.csv:1: no source column; add a column named 'zh-Hans' (or 'source')",
        ),
        (
            "csv",
            "zh-Hans,en,dnt\n实体瘤,solid tumour,maybe\n",
            "terms.csv:2: dnt must be true or false, not 'maybe'",
        ),
        (
            "csv",
            "zh-Hans,en,status\n实体瘤,solid tumour,final\n",
            "terms.csv:2: term '实体瘤': status must be one of approved, proposed, deprecated, "
            "not 'final'",
        ),
        (
            "csv",
            "zh-Hans,en\n,solid tumour\n",
            "terms.csv:2: row has no source term; fill the source column",
        ),
        ("csv", "", "terms.csv: the CSV file is empty; it needs a header row"),
        (
            "tbx",
            "<martif><text><body><termEntry></body></text></martif>",
            "terms.tbx:1: not valid XML: mismatched tag; fix the file",
        ),
        ("tbx", "<tmx/>", "terms.tbx:1: not a TBX file: the root element is <tmx>, not <martif>"),
        (
            "tbx",
            '<martif>\n<termEntry>\n<langSet xml:lang="klingon"/></termEntry></martif>',
            "terms.tbx:3: unknown xml:lang 'klingon'; use a BCP 47 code such as 'en' or 'zh-Hans'",
        ),
        (
            "tbx",
            '<martif>\n<termEntry>\n<langSet xml:lang="en"><tig><term>x</term></tig>'
            "</langSet></termEntry></martif>",
            "terms.tbx:2: term entry has no term in the source language 'zh-Hans'",
        ),
    ],
)
def test_bad_import_files_are_reported_with_their_line(kind: str, text: str, message: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        read(text, kind)
    assert str(caught.value) == message


def test_a_record_spanning_two_terms_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(DATA / "commented.yaml", path)
    records = read("zh-Hans,variants,en\n不良事件,客观缓解率,x\n", "csv")
    with pytest.raises(GlossaryError) as caught:
        merge_terms(path, records, origin="terms.csv", **SETTINGS)
    assert str(caught.value) == (
        "terms.csv:2: the imported term '不良事件' has source forms of several terms "
        "('不良事件', '客观缓解率'); merge those terms first or fix the import"
    )


# -- property: any valid glossary survives both formats ----------------------------------------

words = (
    st.text(alphabet="abcdefg -–'&<>\"é", min_size=1, max_size=12)
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)
sources = st.text(alphabet="血脑屏障融合基因突变ABC123", min_size=1, max_size=6)


@st.composite
def glossaries(draw: st.DrawFn) -> Glossary:
    unique_sources = draw(st.lists(sources, min_size=1, max_size=5, unique_by=str.lower))
    terms = []
    for source in unique_sources:
        dnt = draw(st.booleans())
        target = {} if dnt else {"en": draw(words)}
        renderings = set(target.values())
        allowed = [] if dnt else draw(st.lists(words, max_size=2, unique=True))
        allowed = [item for item in allowed if item.lower() not in {r.lower() for r in renderings}]
        renderings |= set(allowed)
        forbidden = draw(st.lists(words, max_size=2, unique_by=str.lower))
        forbidden = [
            item for item in forbidden if item.lower() not in {r.lower() for r in renderings}
        ]
        terms.append(
            Term(
                id=draw(st.sampled_from([None, f"id-{len(terms)}"])) or f"t{len(terms)}",
                has_explicit_id=True,
                source=source,
                target=target,
                allowed={"en": tuple(allowed)} if allowed else {},
                forbidden={"en": tuple(forbidden)} if forbidden else {},
                dnt=dnt,
                case_sensitive=draw(st.sampled_from([None, True, False])),
                status=draw(st.sampled_from(["approved", "proposed", "deprecated"])),
                pos=draw(st.sampled_from([None, "noun", "properNoun"])),
                note=draw(st.none() | words),
                definition=draw(st.none() | words),
                reference=draw(st.none() | words),
            )
        )
    return Glossary(terms)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(glossary=glossaries(), kind=st.sampled_from(["tbx", "csv"]))
def test_round_trip_property(glossary: Glossary, kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"glossary-{kind}.yaml"
    path.unlink(missing_ok=True)
    merge_terms(path, read(export(glossary, kind), kind), origin="x", **SETTINGS)
    rebuilt = load_glossary(path, **SETTINGS)
    assert rebuilt.terms == glossary.terms
