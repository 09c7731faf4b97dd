"""Commands that do not translate never import the heavy MT stack (torch, stanza, ctranslate2).

Each check runs in a fresh interpreter and inspects ``sys.modules`` after the command ran.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ["torch", "stanza", "ctranslate2", "spacy", "minisbd", "onnxruntime"]

SCRIPT = """
import json, sys
from pipeline.cli import main
from pipeline.commands.models import models
from pipeline.commands.pretranslate import pretranslate
from pipeline.commands.tm import tm
for command in (models, tm, pretranslate):
    if command.name not in main.commands:
        main.add_command(command)
try:
    main(sys.argv[1:], prog_name="pipeline", standalone_mode=False)
except SystemExit:
    pass
heavy = set(json.loads({heavy!r}))
loaded = sorted(m for m in sys.modules
                if m.split(".")[0] in heavy or m == "argostranslate.translate")
print("LOADED=" + json.dumps(loaded))
"""


def loaded_after(args: list[str], cwd: Path, env_dir: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=json.dumps(HEAVY)), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(env_dir),
            "ARGOS_PACKAGES_DIR": str(env_dir / "packages"),
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        },
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("LOADED="))
    return json.loads(line.removeprefix("LOADED="))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["models", "list"],
        ["models", "list", "--format", "json"],
        ["tm", "stats"],
        ["pretranslate", "--engine", "tm"],
        ["pretranslate", "--help"],
    ],
)
def test_commands_that_do_not_translate_stay_light(args: list[str], tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n'
    )
    assert loaded_after(args, project, tmp_path) == []
