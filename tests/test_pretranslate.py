"""`pipeline pretranslate`: TM first, then batched MT, every draft fuzzy with its origin.

The real pipeline runs through a tiny random-weight argostranslate package, installed with
`pipeline models install` into a temporary package directory; the behaviour tests that need
predictable text use the fake engine.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main
from support.tiny_argos import build_argos_package, cached_package

from pipeline.config import load_config
from pipeline.errors import ConfigError, UsageError
from pipeline.mt import FakeTranslator, MTSettings, MTUnavailable
from pipeline.po.catalog import Catalog, Entry
from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file
from pipeline.pretranslate import (
    PretranslateOptions,
    load_options,
    pretranslate,
    terminal_progress,
)
from pipeline.review import (
    Approval,
    ApprovalRecord,
    ApprovedEntry,
    content_hash,
    format_approval,
    log_path,
    parse_approvals,
    read_log,
)
from pipeline.review.log import append_record

GLOSSARY = """\
terms:
  - source: NTRK融合基因
    target: {en: NTRK fusion gene}
  - source: G595R
    dnt: true
"""
HEADER = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}


APPROVED_AT = "2025-01-01T00:00:00Z"


def approved(entry: Entry) -> Entry:
    """The entry with review's approval comment; ``write_catalog`` logs its record."""
    stamp = Approval(by="li", at=APPROVED_AT, sha256=content_hash(entry))
    return entry.replace(translator_comments=(format_approval(stamp),))


def entry(number: int, msgid: str, msgstr: str = "", **fields: object) -> Entry:
    return Entry(msgctxt=f"s-{number}", msgid=msgid, msgstr=msgstr, **fields)


FIRST_ARTICLE = [
    approved(entry(1, "颅内客观缓解率为90.8%。",
                   "The intracranial objective response rate was 90.8%.")),
    approved(entry(2, "NTRK融合基因见于多种实体瘤。",
                   "NTRK fusion genes occur in many solid tumours.")),
    approved(entry(3, "最常见的不良反应为1-2级头晕。",
                   "The most common adverse reaction was grade 1-2 dizziness.")),
]
SECOND_ARTICLE = [
    entry(1, "颅内客观缓解率为90.8%。"),  # 100% from the first article
    entry(2, "颅内客观缓解率为89.1%。"),  # fuzzy, numbers differ
    entry(3, "携带NTRK融合基因的患者出现G595R突变，<1>缓解率</1>为89.1%。"),  # MT
    entry(4, "中位无进展生存期为28.3个月。"),  # MT
]


def make_project(root: Path, articles: dict[str, list[Entry]], *, glossary: str = GLOSSARY) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', encoding="utf-8"
    )
    (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    for slug, entries in articles.items():
        write_catalog(root, slug, entries)
    return root


def write_catalog(root: Path, slug: str, entries: list[Entry]) -> None:
    write_po_file(catalog_path(root, slug), Catalog(metadata=dict(HEADER), entries=entries))
    logged = [
        ApprovedEntry(id=e.msgctxt or "", sha256=stamp.sha256)
        for e in entries
        for stamp in parse_approvals(e.translator_comments)
    ]
    if logged:  # the audit record `pipeline approve` would have written
        log = read_log(log_path(root / "locales", "en"))
        append_record(log, ApprovalRecord(by="li", at=APPROVED_AT, slug=slug, locale="en",
                                          entries=tuple(logged)))


def catalog_path(root: Path, slug: str) -> Path:
    return root / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def entries_of(root: Path, slug: str) -> dict[str, Entry]:
    return {e.msgctxt: e for e in read_po_file(catalog_path(root, slug)).active}


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), *args])


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny zh→en package, installed once with `pipeline models install`."""
    directory = tmp_path_factory.mktemp("argos-packages")
    result = CliRunner().invoke(
        main, ["models", "install", str(cached_package())],
        env={"ARGOS_PACKAGES_DIR": str(directory)},
    )
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture
def with_model(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(model_dir))
    return model_dir


@pytest.fixture
def without_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "content",
                        {"first": FIRST_ARTICLE, "second": SECOND_ARTICLE})


def fake_factory(engine: FakeTranslator):
    return lambda source_locale, target_locale: engine


# --- the real pipeline, through the tiny model ----------------------------------------------


def test_pretranslate_with_the_tiny_model_writes_fuzzy_drafts_with_origins(
    project: Path, with_model: Path
) -> None:
    result = run(project, "pretranslate")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "locales/en/LC_MESSAGES/second.po: updated (4 drafts)"
    assert lines[-1] == (
        "en: filled 4 of 4 pending entries (1 tm 100%, 1 tm fuzzy (1 with changed numbers), "
        "2 mt (2 with missing terms/numbers/markup)); 0 left"
    )
    drafts = entries_of(project, "second")
    # Each flagged draft is listed as path:line, the line of its entry, for the reviewer.
    assert lines[1:-1] == [
        f"locales/en/LC_MESSAGES/second.po:{draft.lineno}: {draft.extracted_comments[1]}"
        for draft in (drafts["s-3"], drafts["s-4"])
    ]
    assert all(e.is_fuzzy and e.msgstr for e in drafts.values())
    assert drafts["s-1"].extracted_comments == ("tm 100% first",)
    assert drafts["s-1"].msgstr == "The intracranial objective response rate was 90.8%."
    assert drafts["s-2"].extracted_comments[0].endswith(
        " first (numbers differ: 90.8 -> 89.1)")
    assert drafts["s-3"].extracted_comments[0] == "mt argos zh→en 1.0"
    # A random model keeps nothing, so the reviewer is told what to check first.
    assert drafts["s-3"].extracted_comments[1].startswith(
        "mt missing: term “NTRK fusion gene”, dnt “G595R”, number 89.1")
    assert entries_of(project, "first") == {e.msgctxt: e for e in FIRST_ARTICLE}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_drafts_keep_the_catalog_valid_for_msgfmt(project: Path, with_model: Path) -> None:
    assert run(project, "pretranslate").exit_code == 0
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog_path(project, "second"))],
                   check=True)


def test_running_again_translates_nothing_and_overwrite_comes_from_the_cache(
    project: Path, with_model: Path
) -> None:
    assert run(project, "pretranslate").exit_code == 0
    before = catalog_path(project, "second").read_bytes()
    again = run(project, "pretranslate", "--format", "json")
    document = json.loads(again.output)
    assert (document["changed"], document["filled"]) == (False, 0)
    redo = json.loads(run(project, "pretranslate", "--overwrite", "--format", "json").output)
    [locale] = redo["locales"]
    assert (locale["mt"], locale["mt_cached"], locale["mt_translated"]) == (2, 2, 0)
    assert catalog_path(project, "second").read_bytes() == before


def test_decoding_settings_are_part_of_the_cache_key(project: Path, with_model: Path) -> None:
    assert run(project, "pretranslate").exit_code == 0
    redo = json.loads(run(project, "pretranslate", "--overwrite", "--beam-size", "1",
                          "--compute-type", "float32", "--format", "json").output)
    assert redo["locales"][0]["mt_translated"] == 2


def test_two_models_of_one_architecture_never_share_cached_drafts(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key holds the model's content digest, not its file sizes: a model with other
    weights (same architecture, every file the same size) translates again."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    first = build_argos_package(tmp_path / "first.argosmodel", seed=0)
    second = build_argos_package(tmp_path / "second.argosmodel", seed=0, weights_seed=1)

    def sizes(path: Path) -> dict[str, int]:
        with zipfile.ZipFile(path) as archive:
            return {info.filename: info.file_size for info in archive.infolist()}

    def weights(path: Path) -> bytes:
        with zipfile.ZipFile(path) as archive:
            return archive.read("translate-zh_en-1_0/model/model.bin")

    assert sizes(first) == sizes(second)
    assert weights(first) != weights(second)

    assert run(project, "models", "install", str(first)).exit_code == 0
    assert run(project, "pretranslate", "--engine", "mt").exit_code == 0
    again = json.loads(
        run(project, "pretranslate", "--engine", "mt", "--overwrite", "--format", "json").output
    )
    assert (again["locales"][0]["mt_cached"], again["locales"][0]["mt_translated"]) == (4, 0)

    assert run(project, "models", "install", str(second)).exit_code == 0
    redo = json.loads(
        run(project, "pretranslate", "--engine", "mt", "--overwrite", "--format", "json").output
    )
    assert (redo["locales"][0]["mt_cached"], redo["locales"][0]["mt_translated"]) == (0, 4)
    # The digest of each installed model is remembered in the MT cache, keyed by its files'
    # paths, sizes and times, so an unchanged model is read once.
    cache = Path(load_config(project).state_dir) / "mt-cache.sqlite"
    with closing(sqlite3.connect(cache)) as db:
        assert db.execute("SELECT count(*) FROM model_digests").fetchone() == (2,)


# --- what gets filled ------------------------------------------------------------------------


def test_only_empty_entries_are_filled(tmp_path: Path, without_model: None) -> None:
    mine = entry(2, "中位无进展生存期为28.3个月。", "Median PFS was 28.3 months.")
    their_draft = entry(3, "每天三次。", "Three times (unsure)", flags=("fuzzy",))
    root = make_project(tmp_path, {"a": [entry(1, "每天一次。"), mine, their_draft]})
    engine = FakeTranslator()
    report = pretranslate(load_config(root), translator_factory=fake_factory(engine))
    assert report.filled == 1
    entries = entries_of(root, "a")
    assert entries["s-1"].msgstr == "[en] 每天一次。"
    assert entries["s-1"].flags == ("fuzzy",)
    assert entries["s-1"].extracted_comments == ("mt fake 1",)
    assert entries["s-2"] == mine
    assert entries["s-3"] == their_draft
    # --overwrite replaces this command's drafts, never a translator's work.
    engine = FakeTranslator(version="2", translate=lambda text: f"[v2] {text}")
    pretranslate(load_config(root), options=PretranslateOptions(overwrite=True),
                 translator_factory=fake_factory(engine))
    entries = entries_of(root, "a")
    assert entries["s-1"].msgstr == "[v2] 每天一次。"
    assert entries["s-2"] == mine
    assert entries["s-3"] == their_draft


def test_one_batch_for_all_catalogs_of_the_pair_with_repeats_translated_once(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, {
        "a": [entry(1, "每天一次。"), entry(2, "每天两次。")],
        "b": [entry(1, "每天一次。"), entry(3, "每天三次。")],
    })
    engine = FakeTranslator()
    report = pretranslate(load_config(root), options=PretranslateOptions(engine="mt"),
                          translator_factory=fake_factory(engine))
    assert engine.calls == [["每天一次。", "每天两次。", "每天三次。"]]
    assert report.filled == 4


def test_glossary_terms_are_imposed_and_a_lost_term_is_flagged(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"a": [
        entry(1, "携带NTRK融合基因的患者。"),
        entry(2, "G595R突变见于<1>89.1%</1>。"),
    ]})
    engine = FakeTranslator(translate=lambda text: text.replace("G595R", "G595"))
    pretranslate(load_config(root), translator_factory=fake_factory(engine))
    assert engine.calls == [["携带NTRK fusion gene的患者。", "G595R突变见于<1>89.1%</1>。"]]
    entries = entries_of(root, "a")
    assert entries["s-1"].extracted_comments == ("mt fake 1",)
    # "G595" reads as the number 595, as `pipeline check` reads it: the hint says so too.
    assert entries["s-2"].extracted_comments == (
        "mt fake 1",
        "mt missing: dnt “G595R”; added: number 595",
    )


def test_the_mt_cache_depends_on_the_glossary_version(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"a": [entry(1, "携带NTRK融合基因的患者。")]})
    engine = FakeTranslator()
    options = PretranslateOptions(overwrite=True)
    pretranslate(load_config(root), options=options, translator_factory=fake_factory(engine))
    pretranslate(load_config(root), options=options, translator_factory=fake_factory(engine))
    assert len(engine.calls) == 1
    (root / "glossary.yaml").write_text(GLOSSARY.replace("NTRK fusion gene", "NTRK gene fusion"))
    pretranslate(load_config(root), options=options, translator_factory=fake_factory(engine))
    assert engine.calls[-1] == ["携带NTRK gene fusion的患者。"]


def test_plural_entries_are_left_to_translators(tmp_path: Path) -> None:
    plural = Entry(msgctxt="s-9", msgid="一个", msgid_plural="多个", msgstr_plural=("", ""))
    root = make_project(tmp_path, {"a": [plural, entry(1, "每天一次。")]})
    report = pretranslate(load_config(root), translator_factory=fake_factory(FakeTranslator()))
    assert report.locales[0].plural_skipped == 1
    assert "1 plural entries skipped" in "\n".join(report.lines())
    assert entries_of(root, "a")["s-9"] == plural


def test_an_entry_a_translator_saved_while_mt_ran_is_kept(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"a": [entry(1, "每天一次。"), entry(2, "每天两次。")]})

    def translate_while_someone_saves(text: str) -> str:
        if text == "每天两次。":
            saved = [entry(1, "每天一次。"), entry(2, "每天两次。", "Twice daily.")]
            write_catalog(root, "a", saved)
        return f"[en] {text}"

    engine = FakeTranslator(translate=translate_while_someone_saves)
    pretranslate(load_config(root), translator_factory=fake_factory(engine))
    entries = entries_of(root, "a")
    assert entries["s-1"].msgstr == "[en] 每天一次。"
    assert (entries["s-2"].msgstr, entries["s-2"].flags) == ("Twice daily.", ())


# --- without a model ---------------------------------------------------------------------------


def test_without_a_model_the_tm_still_fills_and_the_rest_is_reported(
    project: Path, without_model: None
) -> None:
    result = run(project, "pretranslate")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == ("en: filled 2 of 4 pending entries (1 tm 100%, 1 tm fuzzy (1 with changed "
                        "numbers), 0 mt); 2 left")
    assert lines[2].startswith(
        "en: 2 entries left for machine translation: no machine-translation model for zh→en")
    assert "pipeline models install --from zh --to en" in lines[2]
    assert sum(e.is_translated for e in entries_of(project, "second").values()) == 2


def test_asking_for_mt_without_a_model_is_an_error(project: Path, without_model: None) -> None:
    before = catalog_path(project, "second").read_bytes()
    result = run(project, "pretranslate", "--engine", "mt")
    assert result.exit_code == 2
    assert result.output.startswith("no machine-translation model for zh→en is installed")
    assert catalog_path(project, "second").read_bytes() == before


def test_engine_tm_never_loads_mt(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("MT was loaded")

    monkeypatch.setattr("pipeline.pretranslate.load_translator", refuse)
    result = run(project, "pretranslate", "--engine", "tm")
    assert result.exit_code == 0, result.output


# --- command line --------------------------------------------------------------------------------


def test_check_writes_nothing_and_exits_1_when_drafts_are_due(project: Path,
                                                              without_model: None) -> None:
    before = catalog_path(project, "second").read_bytes()
    result = run(project, "pretranslate", "--check")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "locales/en/LC_MESSAGES/second.po: would be updated (2 drafts)")
    assert catalog_path(project, "second").read_bytes() == before


def test_a_slug_without_a_catalog_is_a_usage_error(project: Path) -> None:
    result = run(project, "pretranslate", "third")
    assert result.exit_code == 2
    assert result.output == (
        "no catalog locales/en/LC_MESSAGES/third.po for 'third'; run 'pipeline segment third' "
        "first\n")


def test_a_locale_that_is_not_a_target_is_a_usage_error(project: Path) -> None:
    result = run(project, "pretranslate", "--locale", "ko")
    assert result.exit_code == 2
    assert "locale 'ko' is not a target locale of this project (targets: en)" in result.output


def test_options_come_from_the_config_then_the_command_line(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[tool.pipeline.mt]\nbeam_size = 2\ncompute_type = \"float32\"\n"
        "max_decoding_length = 64\nglossary_protection = \"placeholder\"\n"
        "[tool.pipeline.tm]\nmin_score = 80\n",
        encoding="utf-8",
    )
    options = load_options(load_config(tmp_path), beam_size=3)
    assert options.mt == MTSettings(beam_size=3, compute_type="float32", max_decoding_length=64)
    assert (options.min_score, options.glossary_protection) == (80, "placeholder")
    pyproject.write_text("[tool.pipeline.mt]\nbeam = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'beam' in \\[tool.pipeline.mt\\]"):
        load_options(load_config(tmp_path))
    pyproject.write_text("[tool.pipeline.mt]\nbeam_size = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="beam_size must be a whole number of at least 1"):
        load_options(load_config(tmp_path))
    with pytest.raises(UsageError):
        PretranslateOptions(engine="google")


def test_progress_bar_only_on_a_terminal() -> None:
    with terminal_progress(io.StringIO()) as progress:
        assert progress is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with terminal_progress(Terminal()) as progress:
        advance = progress("mt en", 3)
        advance(3)


def test_mt_unavailable_is_reported_not_raised_for_engine_all(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"a": [entry(1, "每天一次。")]})

    def unavailable(source_locale: str, target_locale: str):
        raise MTUnavailable("no model")

    report = pretranslate(load_config(root), translator_factory=unavailable)
    assert (report.filled, report.left, report.locales[0].mt_unavailable) == (0, 1, "no model")


def test_each_locale_pair_gets_its_own_single_batch(tmp_path: Path) -> None:
    glossary = GLOSSARY.replace("{en: NTRK fusion gene}", "{en: NTRK fusion gene, ko: NTRK 융합}")
    root = make_project(tmp_path, {"a": [entry(1, "每天一次。")]}, glossary=glossary)
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en", "ko"]\n'
    )
    korean = root / "locales" / "ko" / "LC_MESSAGES" / "a.po"
    write_po_file(
        korean,
        Catalog(
            metadata={**HEADER, "Language": "ko"},
            entries=[entry(1, "每天一次。"), entry(2, "每天两次。")],
        ),
    )
    engines: dict[str, FakeTranslator] = {}

    def factory(source_locale: str, target_locale: str) -> FakeTranslator:
        return engines.setdefault(
            target_locale,
            FakeTranslator(
                name=f"fake {target_locale}", translate=lambda s, t=target_locale: f"[{t}] {s}"
            ),
        )

    report = pretranslate(load_config(root), translator_factory=factory)
    assert [r.locale for r in report.locales] == ["en", "ko"]
    assert engines["en"].calls == [["每天一次。"]]
    assert engines["ko"].calls == [["每天一次。", "每天两次。"]]
    assert read_po_file(korean).active[1].msgstr == "[ko] 每天两次。"
    only_korean = pretranslate(
        load_config(root),
        locales=["ko"],
        options=PretranslateOptions(overwrite=True),
        translator_factory=factory,
    )
    assert [r.locale for r in only_korean.locales] == ["ko"]


def test_pretranslate_and_check_report_the_msgid_line_and_read_each_catalog_once(
    project: Path, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.fsutil

    reads: dict[str, int] = {}
    real_read = pipeline.fsutil.read_bytes_file

    def counting_read(path: Path, **options: object) -> bytes:
        reads[Path(path).name] = reads.get(Path(path).name, 0) + 1
        return real_read(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.fsutil, "read_bytes_file", counting_read)
    result = run(project, "pretranslate")
    assert result.exit_code == 0, result.output
    # Each catalog is read once (the TM learns from the catalogs pretranslate already read).
    assert {name: count for name, count in reads.items() if name.endswith(".po")} == {
        "first.po": 1,
        "second.po": 1,
    }

    text = catalog_path(project, "second").read_text(encoding="utf-8").splitlines()
    flagged = [line for line in result.output.splitlines() if ": mt missing:" in line]
    assert len(flagged) == 2
    check = run(project, "check", "--locale", "en")
    for line in flagged:
        where = line.split(": mt missing:")[0]
        number = int(where.rsplit(":", 1)[1])
        # The msgid line: where an editor should jump, not the entry's first comment line.
        assert text[number - 1].startswith("msgid "), (number, text[number - 3 : number])
        assert f"{where}: " in check.output, check.output


def test_mt_drafts_are_verified_in_the_project_source_locale(tmp_path: Path) -> None:
    # In German, "1.200" is twelve hundred: read as Chinese it would be 1.2, and a correct
    # draft would get a false "mt missing: number 1.2".
    root = tmp_path / "content"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "de"\ntarget_locales = ["en"]\n', encoding="utf-8"
    )
    write_catalog(
        root,
        "a",
        [
            entry(1, "Insgesamt wurden 1.200 Patienten behandelt."),
            entry(2, "Die Ansprechrate betrug 89,1 %."),
        ],
    )
    drafts = {
        "Insgesamt wurden 1.200 Patienten behandelt.": "A total of 1,200 patients were treated.",
        "Die Ansprechrate betrug 89,1 %.": "The response rate was 98.1%.",
    }
    engine = FakeTranslator(translate=drafts.__getitem__)
    pretranslate(load_config(root), translator_factory=fake_factory(engine))
    entries = entries_of(root, "a")
    assert entries["s-1"].extracted_comments == ("mt fake 1",)
    assert entries["s-2"].extracted_comments == (
        "mt fake 1",
        "mt missing: number 89.1 (89,1); added: number 98.1",
    )
