"""A copy of the shipped example project, for tests that run commands on it."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def clone_example(root: Path) -> Path:
    """Copy the shipped example (sources, catalogs with their approvals, glossary, the
    repository's pyproject.toml) into ``root``, a new folder; returns ``root``."""
    root.mkdir()
    for folder in ("sources", "locales"):
        shutil.copytree(REPO / folder, root / folder)
    for name in ("glossary.yaml", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    return root
