"""Commands that do not translate never import the heavy MT stack (torch, stanza, ctranslate2),
and the command line loads a command's module only when that command is used.

Each case runs the installed ``pipeline`` script in a fresh interpreter and lists every module
the run imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import installed_script

from pipeline.po.catalog import Catalog, Entry
from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file

HEAVY = {"torch", "stanza", "ctranslate2", "spacy", "minisbd", "onnxruntime"}
COMMAND_MODULES = {
    f"pipeline.commands.{name}" for name in ("check", "glossary", "models", "pretranslate", "tm")
}


# Runs the installed script as its own ``__main__`` and, at exit, lists every module that was
# imported (``-X importtime`` would miss the commands the group loads with import_module).
_RUNNER = """
import atexit, json, runpy, sys
atexit.register(lambda: print("MODULES=" + json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_installed(args: list[str], cwd: Path, env_dir: Path) -> tuple[int, str, set[str]]:
    """Exit code, stdout and the modules imported by ``pipeline ARGS`` run in ``cwd``."""
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(installed_script()), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(env_dir),
            "ARGOS_PACKAGES_DIR": str(env_dir / "packages"),
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        },
        check=False,
    )
    line = next((line for line in result.stderr.splitlines() if line.startswith("MODULES=")), None)
    assert line is not None, result.stderr
    return result.returncode, result.stdout, set(json.loads(line.removeprefix("MODULES=")))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m == "argostranslate.translate")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one translated entry and one pending entry the TM can fill."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', encoding="utf-8"
    )
    catalog = Catalog(
        metadata={"Content-Type": "text/plain; charset=UTF-8", "Language": "en"},
        entries=[
            Entry(
                msgctxt="s-1",
                msgid="颅内客观缓解率为90.8%。",
                msgstr="The intracranial objective response rate was 90.8%.",
            ),
            Entry(msgctxt="s-2", msgid="颅内客观缓解率为89.1%。"),
        ],
    )
    write_po_file(root / "locales" / "en" / "LC_MESSAGES" / "a.po", catalog)
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["models", "list"],
        ["models", "list", "--format", "json"],
        ["tm", "stats"],
        ["pretranslate", "--help"],
    ],
)
def test_commands_that_do_not_translate_stay_light(
    args: list[str], project: Path, tmp_path: Path
) -> None:
    code, _stdout, modules = run_installed(args, project, tmp_path)
    assert code == 0
    assert heavy(modules) == []


def test_pretranslate_from_the_tm_fills_pending_entries_without_the_mt_stack(
    project: Path, tmp_path: Path
) -> None:
    code, stdout, modules = run_installed(["pretranslate", "--engine", "tm"], project, tmp_path)
    assert code == 0, stdout
    # The TM really ran: the pending entry got the similar sentence's translation as a draft,
    # with the note that its numbers differ.
    pending = read_po_file(project / "locales" / "en" / "LC_MESSAGES" / "a.po").entries[1]
    assert pending.msgstr == "The intracranial objective response rate was 90.8%."
    assert pending.is_fuzzy
    assert any("numbers differ: 90.8 -> 89.1" in c for c in pending.extracted_comments)
    assert {"pipeline.tm", "pipeline.pretranslate"} <= modules
    assert heavy(modules) == []


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["segment", "--help"], set()),
        (["check", "--help"], {"pipeline.commands.check"}),
        (["tm", "stats"], {"pipeline.commands.tm"}),
    ],
)
def test_the_installed_script_loads_only_the_command_it_runs(
    args: list[str], loaded: set[str], project: Path, tmp_path: Path
) -> None:
    code, _stdout, modules = run_installed(args, project, tmp_path)
    assert code == 0
    assert modules & COMMAND_MODULES == loaded


def test_segment_merges_without_filelock_or_babels_catalog_machinery(
    project: Path, tmp_path: Path
) -> None:
    # The lock is flock(2) taken directly and Plural-Forms is read from Babel's table alone:
    # a merge pays neither for filelock's import nor for babel.messages' (dates, time zones).
    (project / "sources").mkdir()
    (project / "sources" / "a.txt").write_text(
        "颅内客观缓解率为90.8%。\n\n客观缓解率为75%。\n", encoding="utf-8"
    )
    code, stdout, modules = run_installed(["segment"], project, tmp_path)
    assert code == 0, stdout
    catalog = read_po_file(project / "locales" / "en" / "LC_MESSAGES" / "a.po")
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    kept = {entry.msgid: entry.msgstr for entry in catalog.entries if not entry.obsolete}
    assert kept["颅内客观缓解率为90.8%。"] == "The intracranial objective response rate was 90.8%."
    assert {"pipeline.locking", "pipeline.po.merge"} <= modules
    assert modules & {"filelock", "babel.messages", "babel.dates"} == set()
