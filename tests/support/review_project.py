"""A one-article project translated by hand, for the review tests: the real CLI, real files.

Each review test file chooses its own article and translations; how a project is made, how a
translator's save is imitated (polib, as a PO editor saves) and how the CLI is run live here.
"""

from __future__ import annotations

from pathlib import Path

import polib
from click.testing import CliRunner
from support.cli import main

PO = "locales/en/LC_MESSAGES/demo.po"
TRANSLATOR = "Zhang Wei <zhang.wei@example.org>"


def run(project: Path, *args: str) -> tuple[int, str]:
    """Run ``pipeline -C PROJECT ARGS…``; its exit code and everything it printed."""
    result = CliRunner().invoke(main, ["-C", str(project), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout + result.stderr


def translated_project(
    root: Path,
    *,
    source: str,
    translations: list[str],
    pyproject: str = "[tool.pipeline]\n",
) -> Path:
    """Segment ``source`` as sources/demo.md and translate every entry (not fuzzy) as
    TRANSLATOR would in a PO editor; nothing is approved yet."""
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "demo.md").write_text(source, "utf-8")
    (root / "pyproject.toml").write_text(pyproject, "utf-8")
    code, out = run(root, "segment")
    assert code == 0, out
    po = polib.pofile(str(root / PO))
    for entry, text in zip(po, translations, strict=True):
        entry.msgstr = text
    po.metadata["Last-Translator"] = TRANSLATOR
    po.save()
    return root
