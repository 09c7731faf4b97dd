"""The command line as users run it: the ``pipeline`` console script that the package
installs (``[project.scripts]`` in pyproject.toml), with its lazy command loading.

Tests import ``main`` from here, never from :mod:`pipeline.cli`, and never register commands
themselves: a command that the group fails to load lazily fails its tests.
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path

import click

__all__ = ["installed_script", "main"]


def _installed_main() -> click.Group:
    (script,) = entry_points(group="console_scripts", name="pipeline")
    command = script.load()
    assert isinstance(command, click.Group), script.value
    return command


#: The group behind the installed ``pipeline`` script.
main = _installed_main()


def installed_script() -> Path:
    """The ``pipeline`` executable installed beside this interpreter."""
    path = Path(sys.executable).parent / "pipeline"
    assert path.is_file(), f"{path} is missing: install the project (pip install -e .)"
    return path
