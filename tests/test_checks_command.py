"""``pipeline check`` end to end: PO files written as text, exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main

from pipeline.errors import CatalogError

GLOSSARY = """\
source_locale: zh_Hans
terms:
  - source: 不良事件
    target: {en: adverse event}
    forbidden: {en: [side effect]}
  - source: 客观缓解率
    target: {en: objective response rate}
  - source: 疾病控制率
    target: {en: disease control rate}
  - source: G595R
    dnt: true
"""

HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: ntrk\\n"
"Language: en\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""

# Line numbers matter: the report points at each entry's msgid line.
CATALOG = (
    HEADER
    + """
#. paragraph
#: sources/ntrk.md:14
msgctxt "s-0001"
msgid "在一项II期研究中，客观缓解率达到89.1%。"
msgstr "In a Phase 2 study, the objective response rate reached 98.1%."

#: sources/ntrk.md:16
msgctxt "s-0002"
msgid "大多数不良事件为1-2级。"
msgstr "Most adverse events were Grade 1-2."

#, fuzzy
#: sources/ntrk.md:18
msgctxt "s-0003"
msgid "例如<1>TRKA G595R</1>。"
msgstr "For example TRKA G959R."

# ignore-numbers: the source misprints the rate
#: sources/ntrk.md:20
msgctxt "s-0004"
msgid "疾病控制率为96.4%。"
msgstr "The disease control rate was 94.6%."

#: sources/ntrk.md:22
msgctxt "s-0005"
msgid "请勿自行停药！"
msgstr ""
"""
)
PATH = "locales/en/LC_MESSAGES/ntrk.po"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', "utf-8"
    )
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    catalogs = tmp_path / "locales" / "en" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (catalogs / "ntrk.po").write_text(CATALOG, encoding="utf-8")
    return tmp_path


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-C", str(project), "check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_reports_each_problem_at_its_msgid_line_and_fails_on_errors(project: Path) -> None:
    code, out, err = run(project)
    assert out.splitlines() == [
        f"{PATH}:13: error: numbers: source has 89.1, translation has 98.1",
        f"{PATH}:30: error: numbers: source has 96.4, translation has 94.6"
        " (waived: the source misprints the rate)",
        f"{PATH}:24: error: dnt: source has G595R, translation has G959R; keep it verbatim (draft)",
        f"{PATH}:24: error: markup: placeholder <1>…</1> is missing (draft)",
        "checked 1 catalog, 4 entries (1 draft): 1 error, 0 warnings, 1 waived;"
        " in drafts: 2 errors, 0 warnings",
    ]
    assert (code, err) == (1, "")


def test_drafts_and_waived_errors_do_not_fail_unless_strict(project: Path) -> None:
    path = project / PATH
    path.write_text(CATALOG.replace("reached 98.1%", "reached 89.1%"), encoding="utf-8")
    code, out, _ = run(project)
    assert code == 0
    assert out.splitlines()[-1] == (
        "checked 1 catalog, 4 entries (1 draft): 0 errors, 0 warnings, 1 waived;"
        " in drafts: 2 errors, 0 warnings"
    )
    assert run(project, "--strict")[0] == 1


def test_a_clean_catalog_exits_0(project: Path) -> None:
    clean = HEADER + (
        '\nmsgctxt "s-0002"\nmsgid "大多数不良事件为1-2级。"\n'
        'msgstr "Most adverse events were Grade 1-2."\n'
    )
    (project / PATH).write_text(clean, encoding="utf-8")
    assert run(project, "ntrk", "--locale", "en") == (
        0,
        "checked 1 catalog, 1 entry (0 drafts): 0 errors, 0 warnings\n",
        "",
    )


def test_json_output(project: Path) -> None:
    code, out, _ = run(project, "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert document["ok"] is False
    assert document["summary"] == {
        "catalogs": 1,
        "entries_checked": 4,
        "drafts_checked": 1,
        "untranslated": 1,
        "errors": 1,
        "warnings": 0,
        "waived": 1,
        "waived_errors": 1,
        "draft_errors": 2,
        "draft_warnings": 0,
    }
    assert document["findings"][0] == {
        "path": PATH,
        "line": 13,
        "slug": "ntrk",
        "locale": "en",
        "msgctxt": "s-0001",
        "check": "numbers",
        "severity": "error",
        "message": "source has 89.1, translation has 98.1",
        "draft": False,
        "waived": False,
        "waiver_note": None,
    }
    assert document["catalogs"][0]["errors"] == 1
    assert document["catalogs"][0]["waived_errors"] == 1


def test_the_same_sentence_translated_differently_is_a_warning(project: Path) -> None:
    other = HEADER + (
        '\nmsgctxt "s-0002"\nmsgid "大多数不良事件为1-2级。"\n'
        'msgstr "Adverse events were mostly Grade 1-2."\n'
    )
    (project / "locales/en/LC_MESSAGES/other.po").write_text(other, encoding="utf-8")
    code, out, _ = run(project)
    lines = out.splitlines()
    assert (
        "locales/en/LC_MESSAGES/other.po:11: warning: consistency: translated differently in"
        f' {PATH}:18: "Most adverse events were Grade 1-2."'
    ) in lines
    assert (
        f"{PATH}:18: warning: consistency: translated differently in"
        ' locales/en/LC_MESSAGES/other.po:11: "Adverse events were mostly Grade 1-2."'
    ) in lines
    assert code == 1


def test_list_shows_every_check(project: Path) -> None:
    code, out, _ = run(project, "--list")
    assert code == 0
    assert out.splitlines()[0].split()[:4] == ["numbers", "error", "text", "ignore-numbers"]
    assert [line.split()[:4] for line in out.splitlines()][-2:] == [
        ["waiver", "warning", "entry", "-"],
        ["consistency", "warning", "locale", "ignore-consistency"],
    ]
    assert [line.split()[0] for line in out.splitlines()][-1] == "consistency"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--locale", "fr"),
            "locale 'fr' is not a target locale of this project (targets: en); add it to "
            "target_locales"
            " in pyproject.toml or pick one of those",
        ),
        (
            ("NTRK!",),
            "invalid article slug 'NTRK!': slugs use only a-z, 0-9 and '-' (the source file"
            " name without its extension)",
        ),
        (
            ("missing",),
            "no catalog for 'missing' (looked for locales/en/LC_MESSAGES/missing.po and the"
            " other locales); run `pipeline segment missing` first",
        ),
    ],
)
def test_bad_usage_exits_2_with_a_message(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    assert run(project, *args) == (2, "", message + "\n")


def test_a_malformed_catalog_exits_2_with_its_path_and_line(project: Path) -> None:
    (project / PATH).write_text(
        CATALOG.replace('msgstr "Most adverse', "msgstr Most adverse"), "utf-8"
    )
    code, out, err = run(project)
    assert (code, out) == (2, "")
    assert (
        err
        == f'{PATH}:19: expected a quoted string, found "Most adverse events were Grade 1-2.\\""\n'
    )


def test_a_catalog_that_is_not_utf8_exits_2_with_its_path_and_line(project: Path) -> None:
    (project / PATH).write_bytes(CATALOG.encode("utf-8").replace(b"98.1", b"\xff"))
    assert run(project) == (
        2,
        "",
        f"{PATH}:14: not valid UTF-8 (byte 0xff); save the file as UTF-8 (in most editors: "
        "Save As, encoding UTF-8)\n",
    )


def test_no_catalogs_and_no_glossary_exit_0_with_a_note(project: Path) -> None:
    (project / PATH).unlink()
    (project / "glossary.yaml").unlink()
    assert run(project) == (
        0,
        "note: glossary.yaml not found: the glossary and forbidden checks had no terms, dnt"
        " checked identifiers only\n"
        "no catalogs to check; run `pipeline segment` first\n",
        "",
    )


def test_worker_processes_report_exactly_what_one_process_does(project: Path) -> None:
    from pipeline.checks.run import check_project
    from pipeline.config import load_config

    catalogs = project / "locales/en/LC_MESSAGES"
    for name in ("a", "b", "c"):
        (catalogs / f"{name}.po").write_text(CATALOG, encoding="utf-8")
    config = load_config(project)
    assert check_project(config, workers=2) == check_project(config, workers=1)
    (catalogs / "b.po").write_text(CATALOG.replace('msgstr "Most', "msgstr Most"), "utf-8")
    with pytest.raises(CatalogError) as raised:
        check_project(config, workers=2)
    assert raised.value.location_message().startswith("locales/en/LC_MESSAGES/b.po:19: ")


def test_each_entry_is_at_its_msgid_line_as_a_line_by_line_scan_finds_it() -> None:
    """The reader records the msgid line (Entry.lineno), which every command reports."""
    from pipeline.po.read import read_po

    extra = (
        'msgctxt "a"\nmsgid "b"\nmsgstr ""\n\n# c\n#, fuzzy\n#| msgid "x"\nmsgid ""\n"d"\n'
        'msgstr "e"\n\n#~ msgctxt "y"\n#~ msgid "y"\n#~ msgstr "z"\n'
    )
    for text in (CATALOG, extra):
        scanned = [
            number
            for number, line in enumerate(text.split("\n"), start=1)
            if line.startswith(("msgid ", "#~ msgid ")) and not text.startswith(line)
        ]
        assert [entry.lineno for entry in read_po(text).entries] == scanned


def test_the_bench_project_reports_the_same_in_one_process_and_in_workers(
    tmp_path: Path,
) -> None:
    """Realistic catalogs with every kind of defect: workers change nothing in the report."""
    import sys

    from pipeline.checks.run import check_project
    from pipeline.config import load_config

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from bench_check import build_project
    finally:
        sys.path.pop(0)
    build_project(tmp_path, catalogs=4, entries=150, seed=3)
    config = load_config(tmp_path)
    single = check_project(config, workers=1)
    assert single.findings and single.summary()["catalogs"] == 4
    assert check_project(config, workers=2) == single
    assert check_project(config) == single


def test_checking_collects_garbage_rarely_and_restores_the_thresholds(project: Path) -> None:
    """Young-generation passes over the checks' acyclic objects cost 5-10 % of a check run:
    check_project raises the threshold while it runs and puts the caller's back after."""
    import gc

    from pipeline.checks import CHECKS, text_check
    from pipeline.checks.run import check_project
    from pipeline.config import load_config
    from pipeline.gctune import GC_THRESHOLD

    seen: list[int] = []

    @text_check("gc-probe", severity="warning")
    def probe(source: str, translation: str, ctx: object) -> list[str]:
        """Records the collector's threshold while the checks run."""
        seen.append(gc.get_threshold()[0])
        return []

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, before[1], before[2])
        check_project(load_config(project), workers=1)
        assert gc.get_threshold()[0] == 700
    finally:
        CHECKS.pop("gc-probe", None)
        gc.set_threshold(*before)
    assert seen and set(seen) == {GC_THRESHOLD}
