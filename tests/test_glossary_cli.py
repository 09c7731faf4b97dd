"""`pipeline glossary check|export|import|add|find`: exit codes, messages, files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "glossary"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content project holding the shipped glossary; the cwd, as for a user."""
    shutil.copy(REPO / "glossary.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, stdin: str | None = None):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, ["glossary", *args], input=stdin, catch_exceptions=False)


def test_check_summarises_a_valid_glossary(project: Path) -> None:
    result = run("check")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "glossary.yaml: ok, 126 terms (30 dnt), zh_Hans -> en, version "
    )


def test_check_json(project: Path) -> None:
    document = json.loads(run("check", "--format", "json").stdout)
    assert document["valid"] is True
    assert (document["terms"], document["dnt"], document["locales"]) == (126, 30, ["en"])


def test_check_lists_every_problem_and_exits_2(project: Path) -> None:
    (project / "glossary.yaml").write_text(
        "terms:\n  - source: 血脑屏障\n  - source: G595R\n    dnt: yes\n", encoding="utf-8"
    )
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "glossary.yaml:2: term '血脑屏障' has no target for locale 'en'; "
        "add target: {en: ...} or mark it dnt: true",
        "glossary.yaml:4: term 'G595R': dnt must be true or false, not 'yes'; write dnt: true",
    ]
    problems = json.loads(run("check", "--format", "json").stdout)["problems"]
    assert [problem["line"] for problem in problems] == [2, 4]


def test_check_without_a_glossary_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert (result.exit_code, result.stdout) == (
        0,
        "glossary.yaml: no glossary (optional); 0 terms\n",
    )


def test_check_json_without_a_glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = json.loads(run("check", "--format", "json").stdout)
    assert (document["valid"], document["exists"], document["terms"]) == (True, False, 0)


def test_other_commands_report_a_broken_glossary_as_path_line(project: Path) -> None:
    (project / "glossary.yaml").write_text("terms:\n  - source: [\n", encoding="utf-8")
    result = run("find", "血脑屏障")
    assert result.exit_code == 2
    assert result.stderr.startswith("glossary.yaml:3: not valid YAML: ")


def test_export_and_import_round_trip_through_the_cli(project: Path) -> None:
    before = (project / "glossary.yaml").read_bytes()
    for name in ("terms.tbx", "terms.csv"):
        exported = run("export", "-o", name)
        assert exported.exit_code == 0, exported.output
        imported = run("import", name)
        assert imported.exit_code == 0
        assert imported.stdout == "glossary.yaml: 0 added, 0 updated, 126 unchanged\n"
    assert (project / "glossary.yaml").read_bytes() == before
    again = run("export", "-o", "terms.csv")
    assert again.stderr == "unchanged: terms.csv (126 terms, csv)\n"


def test_export_to_stdout_needs_a_format(project: Path) -> None:
    assert run("export", "--format", "tbx").stdout.startswith('<?xml version="1.0"')
    assert run("export", "--format", "csv").stdout.startswith("id,zh-Hans,variants,en,")
    result = run("export")
    assert (result.exit_code, result.stderr) == (
        2,
        "say which format: --format tbx or --format csv\n",
    )


def test_import_dry_run_shows_changes_and_writes_nothing(project: Path) -> None:
    (project / "new.csv").write_text(
        "zh-Hans,en\n血脑屏障,BBB crossing\n脉络丛,choroid plexus\n", encoding="utf-8"
    )
    before = (project / "glossary.yaml").read_bytes()
    result = run("import", "new.csv", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "  updated 血脑屏障: target en -> 'BBB crossing'",
        "  added 脉络丛",
        "glossary.yaml: 1 would be added, 1 would be updated, 0 unchanged",
    ]
    assert (project / "glossary.yaml").read_bytes() == before
    assert run("import", "new.csv").exit_code == 0
    assert (project / "glossary.yaml").read_bytes() != before


def test_import_needs_a_known_format(project: Path) -> None:
    (project / "terms.txt").write_text("x", encoding="utf-8")
    result = run("import", "terms.txt")
    assert (result.exit_code, result.stderr) == (
        2,
        "cannot tell the format of terms.txt; add --format tbx or --format csv\n",
    )


def test_import_format_option_overrides_the_extension(project: Path) -> None:
    (project / "terms.txt").write_text("zh-Hans,en\n脉络丛,choroid plexus\n", encoding="utf-8")
    result = run("import", "terms.txt", "--format", "csv", "--dry-run")
    assert (result.exit_code, result.stdout) == (
        0,
        "  added 脉络丛\nglossary.yaml: 1 would be added, 0 would be updated, 0 unchanged\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("import", "bad.csv"),
            "bad.csv:2: not valid UTF-8 (byte 0xb2); save the file as UTF-8 (in most editors: "
            "Save As, encoding UTF-8)",
        ),
        (("export", "-o", "terms.txt"), "say which format: --format tbx or --format csv"),
        (
            ("find", "不良事件", "--locale", "klingon"),
            "unknown locale 'klingon'; use a CLDR code such as 'en', 'en_NZ', 'ko' or 'zh_Hans'",
        ),
        (
            ("add", "x", "--allowed", "BBB"),
            "--allowed takes LOCALE=TEXT, such as --allowed en=adverse event",
        ),
    ],
)
def test_usage_and_input_errors_exit_2(project: Path, args: tuple[str, ...], message: str) -> None:
    (project / "bad.csv").write_bytes("zh-Hans,en\n不良,x\n".encode("gb18030"))
    before = (project / "glossary.yaml").read_bytes()
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert (project / "glossary.yaml").read_bytes() == before
    assert not (project / "terms.txt").exists()


def test_add_appends_a_term(project: Path) -> None:
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    result = run(
        "add",
        "脉络丛",
        "--target",
        "en=choroid plexus",
        "--variant",
        "脉络膜丛",
        "--forbidden",
        "en=vascular plexus",
        "--note",
        "brain anatomy",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "glossary.yaml:383: added term '脉络丛' (id t-a281081459): 脉络丛 = choroid plexus "
        "(never: vascular plexus) — brain anatomy\n"
    )
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    assert after == before + (
        "  - source: 脉络丛\n"
        "    variants: [脉络膜丛]\n"
        "    target: {en: choroid plexus}\n"
        "    forbidden: {en: [vascular plexus]}\n"
        "    note: brain anatomy\n"
    )


def test_add_dnt_term(project: Path) -> None:
    result = run("add", "G639R", "--dnt")
    assert result.exit_code == 2  # already in the shipped glossary
    result = run("add", "G667D", "--dnt", "--dry-run")
    assert result.exit_code == 0
    assert "would add term 'G667D'" in result.stdout and "G667D (keep verbatim)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("不良事件", "--target", "en=adverse event"),
            "glossary.yaml:260: '不良事件' is already a source form of term '不良事件'; "
            "edit that term instead of adding another",
        ),
        (
            ("血脑屏障结构",),
            "glossary.yaml: cannot add '血脑屏障结构': term '血脑屏障结构' has no target "
            "for locale 'en'; add target: {en: ...} or mark it dnt: true",
        ),
        (
            ("x", "--target", "choroid plexus"),
            "--target takes LOCALE=TEXT, such as --target en=adverse event",
        ),
    ],
)
def test_add_refuses_with_exit_2_and_changes_nothing(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    before = (project / "glossary.yaml").read_bytes()
    result = run("add", *args)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert (project / "glossary.yaml").read_bytes() == before


def test_find_shows_spans_and_renderings(project: Path) -> None:
    result = run("find", "瑞普替尼透过血腦屏障，Ｇ５９５Ｒ")
    assert result.stdout.splitlines() == [
        "0-4    瑞普替尼 = repotrectinib",
        "6-10   血腦屏障 -> 血脑屏障 = blood-brain barrier (also: blood–brain barrier, BBB)",
        "11-16  Ｇ５９５Ｒ -> G595R (keep verbatim) — TRKA solvent-front mutation",
    ]


def test_find_json_and_stdin(project: Path) -> None:
    document = json.loads(run("find", "-", "--format", "json", stdin="不良事件").stdout)
    assert document["locale"] == "en"
    assert document["matches"] == [
        {
            "allowed": [],
            "dnt": False,
            "end": 4,
            "forbidden": ["side effect"],
            "form": "不良事件",
            "hint": "glossary: 不良事件 = adverse event (never: side effect)",
            "id": "t-393bbbb7a3",
            "source": "不良事件",
            "start": 0,
            "status": "approved",
            "target": "adverse event",
            "text": "不良事件",
        }
    ]
    assert run("find", "今天天气很好").stdout == "no glossary terms found\n"


@pytest.mark.parametrize("command", ["check", "export", "import", "add", "find"])
def test_every_glossary_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
