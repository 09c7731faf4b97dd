"""The example content: a correct translation passes, each seeded defect is found where it is.

``tests/data/checks/example/`` holds two catalogs of the shipped article
(sources/ntrk-inhibitors.md) checked against the shipped glossary.yaml: ``correct/`` is a
faithful translation; ``defects/`` seeds what a translator or MT engine gets wrong (a wrong
percentage, a grade range cut short, a missing and a forbidden term, an altered mutation
name, a dropped placeholder, leftover Chinese, a lost "not"), plus a draft and a waiver.
``defects.expected.txt`` is the exact report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from support.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = Path(__file__).resolve().parent / "data" / "checks" / "example"


def project_with(tmp_path: Path, variant: str) -> Path:
    shutil.copytree(EXAMPLE / variant / "locales", tmp_path / "locales")
    shutil.copy(REPO / "glossary.yaml", tmp_path / "glossary.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', "utf-8"
    )
    return tmp_path


def test_a_correct_translation_of_the_example_passes_every_check(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(project_with(tmp_path, "correct")), "check"])
    assert (result.exit_code, result.stdout) == (
        0,
        "checked 1 catalog, 35 entries (0 drafts): 0 errors, 0 warnings\n",
    )


def test_each_seeded_defect_is_reported_at_its_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(project_with(tmp_path, "defects")), "check"])
    expected = (EXAMPLE / "defects.expected.txt").read_text(encoding="utf-8")
    assert result.stdout.splitlines() == expected.splitlines()
    assert result.exit_code == 1
