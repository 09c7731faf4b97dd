"""Editing glossary.yaml: appending and merging keep every comment, key order and byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.errors import GlossaryError
from pipeline.fsutil import write_text_file
from pipeline.glossary import load_glossary
from pipeline.glossary.edit import add_term, merge_terms, render_glossary, round_trip_yaml
from pipeline.glossary.schema import parse_yaml

DATA = Path(__file__).parent / "data" / "glossary"
REPO = Path(__file__).resolve().parent.parent
SETTINGS = {"source_locale": "zh_Hans", "target_locales": ["en"]}


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.yaml"
    shutil.copy(DATA / "commented.yaml", path)
    return path


@pytest.mark.parametrize("name", ["glossary.yaml", "commented-canonical"])
def test_round_trip_without_changes_is_byte_identical(name: str, tmp_path: Path) -> None:
    if name == "glossary.yaml":
        text = (REPO / "glossary.yaml").read_text(encoding="utf-8")
    else:
        text = "terms:\n- source: 实体瘤   # c\n  target:\n      en: solid tumour\n"
    yaml = round_trip_yaml(text)
    assert render_glossary(yaml, parse_yaml(text, path="g", yaml=yaml)) == text


def test_add_appends_and_keeps_every_existing_byte(commented: Path) -> None:
    before = commented.read_text(encoding="utf-8")
    term = add_term(
        commented,
        {
            "source": "血脑屏障",
            "variants": ["血腦屏障"],
            "target": {"en": "blood-brain barrier"},
            "allowed": {"en": ["BBB"]},
            "note": "yes: quoted when YAML needs it",
        },
        **SETTINGS,
    )
    after = commented.read_text(encoding="utf-8")
    assert after == before + (
        "- source: 血脑屏障\n"
        "  variants: [血腦屏障]\n"
        "  target: {en: blood-brain barrier}\n"
        "  allowed: {en: [BBB]}\n"
        "  note: 'yes: quoted when YAML needs it'\n"
    )
    assert term.line == 23
    reloaded = load_glossary(commented, **SETTINGS)
    assert reloaded.terms[-1].note == "yes: quoted when YAML needs it"


def add_g595r(tmp_path: Path, text: str) -> str:
    """The text of a glossary.yaml holding ``text`` once the dnt term G595R is added."""
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    add_term(path, {"source": "G595R", "dnt": True}, **SETTINGS)
    return path.read_text(encoding="utf-8")


def test_add_uses_the_file_indentation(tmp_path: Path) -> None:
    after = add_g595r(
        tmp_path,
        "source_locale: zh_Hans\nterms:\n"
        "    -   source: 实体瘤\n        target: {en: solid tumour}\n",
    )
    assert after.endswith(
        "        target: {en: solid tumour}\n    -   source: G595R\n        dnt: true\n"
    )


def test_add_inserts_before_a_later_top_level_key(tmp_path: Path) -> None:
    after = add_g595r(
        tmp_path,
        "terms:\n  - source: 实体瘤\n    target: {en: solid tumour}\n\n# settings\n"
        "source_locale: zh_Hans\n",
    )
    assert after == (
        "terms:\n  - source: 实体瘤\n    target: {en: solid tumour}\n"
        "  - source: G595R\n    dnt: true\n\n# settings\nsource_locale: zh_Hans\n"
    )


def test_add_creates_a_missing_glossary(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    add_term(path, {"source": "实体瘤", "target": {"en": "solid tumour"}}, **SETTINGS)
    assert path.read_text(encoding="utf-8") == (
        "source_locale: zh_Hans\nterms:\n  - source: 实体瘤\n    target: {en: solid tumour}\n"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"source": "不良事件", "target": {"en": "adverse event"}},
            "glossary.yaml:6: '不良事件' is already a source form of term '不良事件'; "
            "edit that term instead of adding another",
        ),
        (
            {"source": "客观反应率", "target": {"en": "objective response rate"}},
            "glossary.yaml:16: '客观反应率' is already a source form of term '客观缓解率'; "
            "edit that term instead of adding another",
        ),
        (
            {"source": "Ｇ５９５Ｒ", "dnt": True},
            "glossary.yaml:20: 'Ｇ５９５Ｒ' is already a source form of term 'G595R'; "
            "edit that term instead of adding another",
        ),
        (
            {"source": "血脑屏障"},
            "glossary.yaml: cannot add '血脑屏障': term '血脑屏障' has no target for locale "
            "'en'; add target: {en: ...} or mark it dnt: true",
        ),
        (
            {"source": "血脑屏障", "target": {"english": "blood-brain barrier"}},
            "glossary.yaml: cannot add '血脑屏障': term '血脑屏障': unknown locale 'english' in "
            "target; use a CLDR code such as 'en', 'en_GB' or 'zh_Hant'",
        ),
    ],
)
def test_add_refuses_duplicates_and_invalid_terms_and_writes_nothing(
    commented: Path, monkeypatch: pytest.MonkeyPatch, fields: dict, message: str
) -> None:
    monkeypatch.chdir(commented.parent)
    before = commented.read_bytes()
    with pytest.raises(GlossaryError) as caught:
        add_term(commented, fields, **SETTINGS)
    assert str(caught.value) == message
    assert commented.read_bytes() == before


def test_merge_updates_in_place_and_keeps_comments(commented: Path) -> None:
    report = merge_terms(
        commented,
        [
            {
                "source": "不良事件",
                "target": {"en": "adverse event", "fr": "événement indésirable"},
            },
            {"source": "客观反应率", "allowed": {"en": ["ORR", "objective response"]}},
            {"source": "血脑屏障", "target": {"en": "blood-brain barrier"}},
            {"source": "G595R", "dnt": True},
        ],
        origin="import.csv",
        **SETTINGS,
    )
    assert [change.describe() for change in report.changes] == [
        "updated 不良事件: target fr -> 'événement indésirable'",
        "updated 客观缓解率: allowed en -> 'ORR, objective response'",
        "added 血脑屏障",
    ]
    assert (report.added, report.updated, report.unchanged) == (1, 2, 1)
    text = commented.read_text(encoding="utf-8")
    assert "# Team glossary (British spelling)." in text
    assert "- source: 不良事件        # CTCAE wording\n" in text
    assert "      en: adverse event\n      fr: événement indésirable\n" in text
    assert "  allowed: {en: [ORR, objective response]}\n" in text
    assert text.endswith(
        "# end of glossary\n- source: 血脑屏障\n  target: {en: blood-brain barrier}\n"
    )


def test_merge_dry_run_writes_nothing(commented: Path) -> None:
    before = commented.read_bytes()
    report = merge_terms(
        commented,
        [{"source": "血脑屏障", "target": {"en": "blood-brain barrier"}}],
        origin="x.csv",
        dry_run=True,
        **SETTINGS,
    )
    assert report.added == 1 and not report.written
    assert commented.read_bytes() == before


def test_merge_that_would_break_the_glossary_is_refused(commented: Path) -> None:
    before = commented.read_bytes()
    with pytest.raises(GlossaryError) as caught:
        merge_terms(
            commented, [{"source": "G595R", "target": {"en": "G595R"}}], origin="x.csv", **SETTINGS
        )
    assert str(caught.value).startswith("x.csv: importing it would make ")
    assert "is dnt: true but has target" in str(caught.value)
    assert commented.read_bytes() == before


def test_atomic_write_only_when_changed(tmp_path: Path) -> None:
    path = tmp_path / "out.tbx"
    assert write_text_file(path, "a\n") is True
    os.chmod(path, 0o600)
    stamp = path.stat().st_mtime_ns
    assert write_text_file(path, "a\n") is False
    assert path.stat().st_mtime_ns == stamp
    assert write_text_file(path, "b\n") is True
    assert path.read_text() == "b\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.tbx"]
