"""`pipeline segment` / `pipeline build` end to end on real files, with GNU gettext as judge."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main

from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file
from pipeline.segments import segment_id

REPO = Path(__file__).resolve().parent.parent
needs_gettext = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="GNU gettext (msgcat, msgfmt) is not installed"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped example content."""
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    shutil.copy(REPO / "glossary.yaml", tmp_path / "glossary.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en", "en_NZ"]\n',
        encoding="utf-8",
    )
    return tmp_path


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root (state directory aside) with a digest of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".pipeline" not in path.parts
    }


def test_build_writes_template_and_one_catalog_per_locale_then_nothing(project: Path) -> None:
    code, out, _ = run(project, "build")
    assert code == 0, out
    for slug in ("ntrk-inhibitors", "ntrk-talk-clip", "ntrk-talk-asr"):
        assert (project / "locales" / "templates" / f"{slug}.pot").is_file()
        for locale in ("en", "en_NZ"):
            assert (project / "locales" / locale / "LC_MESSAGES" / f"{slug}.po").is_file()
    before = snapshot(project)
    # Touched, not changed (a git checkout): the build runs every stage, which write nothing.
    os.utime(project / "sources" / "ntrk-inhibitors.md")

    code, out, _ = run(project, "build")

    assert code == 0
    assert snapshot(project) == before
    assert "changed 0 file(s): 0 created, 0 updated, 9 unchanged" in out.splitlines()
    assert "checked 6 catalogs, 0 entries (0 drafts): 0 errors, 0 warnings" in out.splitlines()
    assert "published: nothing" in out.splitlines()


def test_catalog_headers_carry_language_and_plural_forms(project: Path) -> None:
    (project / "glossary.yaml").unlink()  # the shipped glossary has no Korean targets
    (project / "pyproject.toml").write_text(
        '[tool.pipeline]\ntarget_locales = ["en", "ko"]\n', encoding="utf-8"
    )
    run(project, "segment")
    english = read_po_file(project / "locales/en/LC_MESSAGES/ntrk-inhibitors.po")
    korean = read_po_file(project / "locales/ko/LC_MESSAGES/ntrk-inhibitors.po")
    assert english.metadata["Language"] == "en"
    assert english.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert korean.metadata["Language"] == "ko"
    assert korean.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    template = read_po_file(project / "locales/templates/ntrk-inhibitors.pot")
    assert template.header_flags == ("fuzzy",)


def test_entries_carry_id_reference_and_kind(project: Path) -> None:
    run(project, "segment")
    catalog = read_po_file(project / "locales/en/LC_MESSAGES/ntrk-inhibitors.po")
    entry = next(e for e in catalog.entries if "3.04%" in e.msgid)
    assert entry.msgctxt is not None and entry.msgctxt.startswith("s-")
    assert entry.references == ("sources/ntrk-inhibitors.md:46",)
    assert entry.extracted_comments[0] == "paragraph"
    clip = read_po_file(project / "locales/en/LC_MESSAGES/ntrk-talk-clip.po")
    spanning = next(e for e in clip.entries if e.msgid.startswith("今天和大家聊一聊"))
    assert spanning.msgid == "今天和大家聊一聊被称为“钻石靶点”的NTRK融合基因。"
    assert spanning.extracted_comments[0] == "subtitle, cues 2-3"


@needs_gettext
def test_every_written_file_is_canonical_for_gettext(project: Path) -> None:
    run(project, "segment")
    files = sorted((project / "locales").rglob("*.po*"))
    assert len(files) == 9
    for path in files:
        checked = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        rewritten = subprocess.run(["msgcat", str(path)], capture_output=True, check=True)
        assert rewritten.stdout == path.read_bytes(), f"msgcat changes {path}"


def test_source_edit_keeps_translations_and_marks_changed_sentence_fuzzy(project: Path) -> None:
    run(project, "segment")
    po_path = project / "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
    catalog = read_po_file(po_path)
    catalog.entries = [
        entry.replace(msgstr=f"EN {number}") for number, entry in enumerate(catalog.entries)
    ]
    write_po_file(po_path, catalog)
    source = project / "sources/ntrk-inhibitors.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("患者只有0.7%。", "患者只有0.8%。"), encoding="utf-8")

    code, _, _ = run(project, "segment")

    assert code == 0
    merged = read_po_file(po_path)
    assert {e.msgstr for e in catalog.entries} <= {e.msgstr for e in merged.entries}
    changed = [e for e in merged.entries if e.is_fuzzy]
    assert len(changed) == 1
    assert "0.8%" in changed[0].msgid and "0.7%" in (changed[0].previous_msgid or "")
    assert [e.msgid for e in merged.obsolete] == [changed[0].previous_msgid]


def test_check_mode_reports_pending_changes_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    code, out, _ = run(project, "segment", "--check")
    assert code == 1
    assert "locales/templates/ntrk-inhibitors.pot: would create" in out
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "NTRK_Talk.md",
            "# 标题\n".encode(),
            "sources/NTRK_Talk.md: file name 'NTRK_Talk' is not a valid slug; rename the file "
            "using only lowercase letters a-z, digits and hyphens (the slug becomes file names "
            "and URLs)",
        ),
        (
            "broken.md",
            "# 标题\n\n第二段。\n".encode() + b"\xff\xfe bad\n",
            "sources/broken.md:4: not valid UTF-8 (byte 0xff); save the file as UTF-8 (in most "
            "editors: Save As, encoding UTF-8)",
        ),
        (
            "empty.md",
            b"\n  \n",
            "sources/empty.md:1: source is empty; add content or remove the file",
        ),
        (
            "clip.srt",
            "1\n00:00:01,000 --> 00:00:0x,000\n你好。\n".encode(),
            None,
        ),
        (
            "frontmatter.md",
            "---\ntitle: [未闭合\n---\n\n正文。\n".encode(),
            None,
        ),
    ],
)
def test_bad_source_exits_2_with_one_located_message_and_changes_nothing(
    project: Path, name: str, content: bytes, message: str | None
) -> None:
    run(project, "segment")
    (project / "sources" / name).write_bytes(content)
    before = snapshot(project)

    code, out, err = run(project, "segment")

    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1
    if message is None:
        assert lines[0].startswith(f"sources/{name}:")
    else:
        assert lines[0] == message
    assert snapshot(project) == before


def test_unknown_locale_in_configuration_exits_2(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.pipeline]\ntarget_locales = ["en", "english"]\n', encoding="utf-8"
    )
    code, _, err = run(project, "segment")
    assert code == 2
    assert err == (
        "pyproject.toml:2: unknown locale 'english'; use a CLDR code such as 'en', 'en_NZ', "
        "'ko' or 'zh_Hans'\n"
    )


def test_unknown_slug_is_a_usage_error(project: Path) -> None:
    code, _, err = run(project, "segment", "ntrk-missing")
    assert code == 2
    assert err == (
        "no source for 'ntrk-missing' in sources/ (available: ntrk-inhibitors, ntrk-talk-asr, "
        "ntrk-talk-clip)\n"
    )


def test_malformed_catalog_is_reported_and_left_alone(project: Path) -> None:
    run(project, "segment")
    po_path = project / "locales/en/LC_MESSAGES/ntrk-talk-clip.po"
    po_path.write_text(po_path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n')
    before = snapshot(project)
    (project / "sources/ntrk-talk-clip.srt").write_text(
        "1\n00:00:01,000 --> 00:00:04,200\n大家好。\n", encoding="utf-8"
    )
    code, _, err = run(project, "segment")
    assert code == 2
    assert err.startswith("locales/en/LC_MESSAGES/ntrk-talk-clip.po:")
    after = snapshot(project)
    del before["sources/ntrk-talk-clip.srt"], after["sources/ntrk-talk-clip.srt"]
    assert after == before


def test_glossary_edit_updates_hints_and_nothing_else(project: Path) -> None:
    run(project, "segment")
    po_path = project / "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
    catalog = read_po_file(po_path)
    catalog.entries = [e.replace(msgstr=f"EN {n}") for n, e in enumerate(catalog.entries)]
    write_po_file(po_path, catalog)
    before = po_path.read_text(encoding="utf-8").splitlines()
    glossary = project / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "en: blood-brain barrier" in text
    edited = text.replace("en: blood-brain barrier}", "en: blood brain barrier}")
    glossary.write_text(edited, encoding="utf-8")

    code, _, _ = run(project, "segment")

    assert code == 0
    after = po_path.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed, "the hint did not change"
    for old, new in changed:
        assert old.startswith("#. glossary: 血脑屏障 = blood-brain barrier")
        assert new.startswith("#. glossary: 血脑屏障 = blood brain barrier")
    merged = read_po_file(po_path)
    assert not any(e.is_fuzzy for e in merged.entries)


def test_shipped_catalogs_are_up_to_date(tmp_path: Path) -> None:
    """Like Babel's `update --check`: the repository's catalogs match its sources."""
    for name in ("sources", "locales"):
        shutil.copytree(REPO / name, tmp_path / name)
    for name in ("glossary.yaml", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    code, out, _ = run(tmp_path, "segment", "--check")
    assert code == 0, f"run `pipeline segment` and commit the catalogs:\n{out}"


GREETING = "大家好，我是复旦大学附属肿瘤医院的邱立新医生。"


def test_catalog_saved_during_the_merge_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project, "segment")
    po_path = project / "locales/en/LC_MESSAGES/ntrk-talk-clip.po"
    source = project / "sources/ntrk-talk-clip.srt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("正在招募患者", "正在招募新的患者"), "utf-8")
    import pipeline.po.merge
    import pipeline.project

    def merge_while_translator_saves(catalog, template):  # type: ignore[no-untyped-def]
        if catalog.find(GREETING, segment_id(GREETING)) is None:
            return pipeline.po.merge.update_catalog(catalog, template)  # another article
        # The translator's editor saves the file while the pipeline is merging it.
        saved = po_path.read_text(encoding="utf-8").replace(
            f'msgid "{GREETING}"\nmsgstr ""',
            f'msgid "{GREETING}"\nmsgstr "Hello everyone, I am Dr Qiu Lixin."',
        )
        po_path.write_text(saved, encoding="utf-8")
        return pipeline.po.merge.update_catalog(catalog, template)

    monkeypatch.setattr(pipeline.project, "update_catalog", merge_while_translator_saves)
    before = snapshot(project)

    code, _, err = run(project, "segment")

    assert code == 1
    assert err == (
        "locales/en/LC_MESSAGES/ntrk-talk-clip.po: the file changed while it was being merged "
        "(saved in an editor?); nothing was written: run the command again\n"
    )
    assert "Hello everyone, I am Dr Qiu Lixin." in po_path.read_text(encoding="utf-8")
    after = snapshot(project)
    saved_by_translator = "locales/en/LC_MESSAGES/ntrk-talk-clip.po"
    del before[saved_by_translator], after[saved_by_translator]
    assert after == before
