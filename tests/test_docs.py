"""The documentation tells the truth: every command is documented, CI runs the README's tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "pipeline") -> list[str]:
    paths = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        path = f"{prefix} {name}"
        paths.append(path)
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
    return paths


@pytest.mark.parametrize("path", command_paths(main))
def test_every_command_has_help_and_is_in_the_readme(path: str) -> None:
    words = path.split()[1:]
    result = CliRunner().invoke(main, [*words, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    # A group's subcommands may be listed together, as in `pipeline glossary check|export`.
    parent, _, last = path.rpartition(" ")
    documented = path in README or re.search(
        rf"{re.escape(parent)} [\w|\\-]*\b{re.escape(last)}\b", README
    )
    assert documented, f"`{path}` is not documented in README.md"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    test_commands = [block for block in blocks if block.rstrip().endswith("pytest")]
    assert len(test_commands) == 1
    ci_script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_commands[0].strip() in ci_script.splitlines()


def test_python_dash_m_pipeline_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: pipeline" in result.stdout
    assert "segment" in result.stdout


def _library_section() -> str:
    start = README.index("## Using it as a library")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def test_the_library_example_in_the_readme_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import doctest

    monkeypatch.chdir(tmp_path)  # the example writes ntrk.po where it runs
    examples = "\n".join(re.findall(r"```python\n(.*?)```", _library_section(), flags=re.S))
    test = doctest.DocTestParser().get_doctest(examples, {}, "README", "README.md", 0)
    assert len(test.examples) > 10
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_readme_documents_every_name_of_the_library_api() -> None:
    import pipeline

    section = _library_section()
    for name in pipeline.__all__:
        assert name == "__version__" or f"`{name}" in section, name
        assert getattr(pipeline, name) is not None
        assert name in dir(pipeline)


def test_import_pipeline_loads_no_stage() -> None:
    # The API's names are imported on first use: `pipeline --help` pays for none of them.
    code = "import sys, pipeline; print(sorted(m for m in sys.modules if m.startswith('pipeline')))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['pipeline', 'pipeline.errors']"
    with pytest.raises(AttributeError, match="module 'pipeline' has no attribute 'read_catalog'"):
        import pipeline

        pipeline.read_catalog  # noqa: B018


def test_cli_tests_run_the_installed_entry_point() -> None:
    # A test that registers commands itself, or imports the group past its entry point, would
    # pass even when the installed `pipeline` script could not load the command.
    offenders = [
        path.name
        for path in sorted((REPO / "tests").glob("test_*.py"))
        if re.search(
            r"^\s*from pipeline\.cli import|\.add_command\(",
            path.read_text(encoding="utf-8"),
            flags=re.M,
        )
    ]
    assert offenders == [], "use `from support.cli import main`"
