"""Every user-facing failure is a member of the one error tree (pipeline/errors.py), raised
with its location, shown by the CLI as ``path:line: message`` with exit 2 and no traceback."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main

from pipeline.config import load_config
from pipeline.errors import (
    CatalogError,
    ConfigError,
    MTError,
    StateError,
    UsageError,
)
from pipeline.mt import FakeTranslator, MTSettings
from pipeline.mt.argos import COMPUTE_TYPES
from pipeline.mt.protect import protect
from pipeline.po.catalog import Catalog, Entry
from pipeline.po.write import write_po_file
from pipeline.pretranslate import MTCache, PretranslateOptions, load_options, pretranslate
from pipeline.segments import Segment
from pipeline.tm import TranslationMemory

CONFIG = '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n'


def make_project(root: Path, *, extra_config: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(CONFIG + extra_config, encoding="utf-8")
    write_po_file(
        root / "locales" / "en" / "LC_MESSAGES" / "ntrk.po",
        Catalog(
            metadata={"Content-Type": "text/plain; charset=UTF-8", "Language": "en"},
            entries=[Entry(msgctxt="s-1", msgid="中位无进展生存期为28.3个月。")],
        ),
    )
    return root


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".pipeline" not in path.parts
    }


# --- the location belongs to the error ---------------------------------------------------------


def test_an_errors_location_cannot_be_rewritten() -> None:
    error = CatalogError("bad header", path="/srv/site/locales/en.po", line=3)
    for name in ("path", "line", "message"):
        with pytest.raises(AttributeError):
            setattr(error, name, None)
    assert error.location_message(relative_to="/srv/site") == "locales/en.po:3: bad header"
    assert (
        error.location_message(relative_to="/elsewhere") == "/srv/site/locales/en.po:3: bad header"
    )
    assert str(error) == "/srv/site/locales/en.po:3: bad header"


def test_the_cli_shows_project_paths_relative_without_changing_the_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "content")
    catalog = project / "locales" / "en" / "LC_MESSAGES" / "ntrk.po"
    catalog.write_text('msgid "a"\nmsgstr "b"\nmsgid "a"\n', encoding="utf-8")
    code, out, err = run(project, "check")
    assert (code, out) == (2, "")
    assert err.startswith("locales/en/LC_MESSAGES/ntrk.po:3: ")


# --- sources and catalogs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "text"),
    [(".txt", "第一句。\n第二句\x04有控制字符。\n"), (".md", "# 标题\n\n第二句\x04有控制字符。\n")],
)
def test_a_source_with_a_character_no_catalog_can_hold_is_refused_at_its_line(
    tmp_path: Path, suffix: str, text: str
) -> None:
    project = tmp_path / "content"
    (project / "sources").mkdir(parents=True)
    (project / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (project / "sources" / f"ntrk{suffix}").write_text(text, encoding="utf-8")
    before = files_of(project)
    code, out, err = run(project, "segment")
    line = 2 if suffix == ".txt" else 3
    assert (code, out, err) == (
        2,
        "",
        f"sources/ntrk{suffix}:{line}: the control character U+0004 cannot go into a"
        " catalog; remove it from the source\n",
    )
    assert files_of(project) == before


# --- state files: the translation memory and the MT cache --------------------------------------


def test_a_damaged_translation_memory_is_a_state_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "content")
    memory = Path(load_config(project).state_dir) / "tm.sqlite"
    memory.parent.mkdir(parents=True, exist_ok=True)
    memory.write_bytes(b"not a database, just some text that is long enough" * 40)
    with pytest.raises(StateError) as caught:
        TranslationMemory(memory)
    assert caught.value.path == str(memory)
    code, out, err = run(project, "pretranslate", "--engine", "tm")
    assert (code, err) == (
        2,
        ".pipeline/tm.sqlite: the translation memory cannot be opened (file is not a database);"
        " delete the file and run 'pipeline tm rebuild' (it is rebuilt from the catalogs)\n",
    )


def test_a_translation_memory_of_another_schema_is_a_state_error(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    TranslationMemory(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    db.close()
    with pytest.raises(StateError) as caught:
        TranslationMemory(path)
    assert str(caught.value) == (
        f"{path}: translation memory schema 0 is not 1; delete the file and run"
        " 'pipeline tm rebuild'"
    )


def test_a_damaged_mt_cache_is_a_state_error(tmp_path: Path) -> None:
    path = tmp_path / "mt-cache.sqlite"
    path.write_bytes(b"not a database, just some text that is long enough" * 40)
    with pytest.raises(StateError) as caught:
        MTCache(path)
    assert str(caught.value) == (
        f"{path}: the MT cache cannot be opened (file is not a database); delete the file"
        " (it is only a cache)"
    )


def test_an_engine_that_loses_sentences_is_an_mt_error_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "content")
    before = files_of(project)

    class Lossy(FakeTranslator):
        def translate_batch(self, sentences, *, progress=None):  # type: ignore[no-untyped-def]
            return super().translate_batch(sentences, progress=progress)[1:]

    with pytest.raises(MTError) as caught:
        pretranslate(
            load_config(project),
            options=PretranslateOptions(engine="mt", use_cache=False),
            translator_factory=lambda source, target: Lossy(),
        )
    assert str(caught.value) == (
        "the MT engine fake 1 returned 0 translations for 1 sentences; nothing was written"
        " (reinstall the model with 'pipeline models install')"
    )
    assert files_of(project) == before


def test_an_unknown_protection_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        protect("见表1。", glossary=None, locale="en", mode="brackets")
    assert str(caught.value) == (
        "glossary_protection must be 'target' (approved rendering in the source) or"
        " 'placeholder' (numbered tokens), not 'brackets'"
    )


# --- configuration: one list of MT settings ---------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.pipeline.mt]\nglossary_protection = "brackets"\n',
            "pyproject.toml:5: [tool.pipeline.mt]: glossary_protection must be 'target' (approved"
            " rendering in the source) or 'placeholder' (numbered tokens), not 'brackets'",
        ),
        (
            "[tool.pipeline.tm]\nmin_score = 0\n",
            "pyproject.toml:5: min_score must be a whole number from 1 to 100 (the lowest"
            " fuzzy-match score worth a draft, such as 75), not 0",
        ),
        (
            '[tool.pipeline.mt]\ncompute_type = "int4"\n',
            "pyproject.toml:5: [tool.pipeline.mt]: unknown compute_type 'int4'; use one of "
            + ", ".join(COMPUTE_TYPES),
        ),
    ],
)
def test_a_bad_setting_in_the_config_names_the_config(
    tmp_path: Path, config: str, message: str
) -> None:
    project = make_project(tmp_path / "content", extra_config=config)
    with pytest.raises(ConfigError):
        load_options(load_config(project))
    assert run(project, "pretranslate", "--engine", "tm") == (2, "", message + "\n")


@pytest.mark.parametrize("setting", [f.name for f in fields(MTSettings)])
def test_each_mt_setting_is_accepted_in_the_config(tmp_path: Path, setting: str) -> None:
    value = getattr(MTSettings(), setting)
    literal = f'"{value}"' if isinstance(value, str) else repr(value)
    project = make_project(tmp_path, extra_config=f"[tool.pipeline.mt]\n{setting} = {literal}\n")
    assert getattr(load_options(load_config(project)).mt, setting) == value


@pytest.mark.parametrize("compute_type", COMPUTE_TYPES)
def test_the_command_line_accepts_every_compute_type_the_config_accepts(
    tmp_path: Path, compute_type: str
) -> None:
    project = make_project(tmp_path / "content")
    code, out, err = run(
        project, "pretranslate", "--engine", "tm", "--check", "--compute-type", compute_type
    )
    assert (code, err) == (0, "")
    project_config = make_project(
        tmp_path / "configured",
        extra_config=f'[tool.pipeline.mt]\ncompute_type = "{compute_type}"\n',
    )
    assert load_options(load_config(project_config)).mt.compute_type == compute_type


def test_the_command_line_refuses_an_unknown_compute_type_with_the_full_list(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "content")
    result = CliRunner().invoke(
        main, ["-C", str(project), "pretranslate", "--compute-type", "int4"]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--compute-type': 'int4' is not one of "
        + ", ".join(COMPUTE_TYPES)
    )


def test_a_catalog_no_po_file_can_express_is_located_at_the_file_it_was_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a reader lets through, writing the template fails with its path, not a
    ValueError and not a bare message (readers refuse EOT first; this stands in for any
    other reader that would not)."""
    import pipeline.project

    project = tmp_path / "content"
    (project / "sources").mkdir(parents=True)
    (project / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (project / "sources" / "ntrk.txt").write_text("第一句。\n", encoding="utf-8")
    monkeypatch.setattr(
        pipeline.project,
        "read_source",
        lambda config, source: [Segment(text="第一句\x04。", kind="paragraph", line=1)],
    )
    before = files_of(project)
    assert run(project, "segment") == (
        2,
        "",
        "locales/templates/ntrk.pot: msgid '第一句\\x04。' contains a NUL or EOT (\\x04)"
        " character; gettext cannot store it, remove it\n",
    )
    assert files_of(project) == before
