"""Helpers for the adversarial suite: a built example project, a digest of a whole tree
(links, modes and the state folder included), and the CLI run in a subprocess under
``resource`` limits, so a bomb that slips through fails the test instead of the machine."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: Limits for one CLI run: far above what a real command on the example needs (~150 MB, ~1 s
#: CPU), far below what an unbounded expansion reaches.
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
CPU_LIMIT_S = 60
WALL_LIMIT_S = 120
FILE_SIZE_LIMIT_BYTES = 256 * 1024 * 1024

#: ``path:line: message`` (line optional), the one line every refusal prints.
LOCATED = re.compile(r"^(?P<path>[^\s:][^:\n]*?)(?::(?P<line>\d+))?: (?P<message>\S.*)$")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def example_project(root: Path, *, locales: tuple[str, ...] = ("en",)) -> Path:
    """The shipped example content (sources, glossary) with a plain configuration."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    quoted = ", ".join(f'"{locale}"' for locale in locales)
    (root / "pyproject.toml").write_text(
        f'[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = [{quoted}]\n',
        encoding="utf-8",
    )
    return root


def isolated_env(home: Path) -> dict[str, str]:
    """An environment whose HOME, XDG and argostranslate folders are inside ``home``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARGOS_", "XDG_", "PYTEST_", "COV_"))
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(home / "packages"),
        PYTHONDONTWRITEBYTECODE="1",
        LC_ALL="C.UTF-8",
    )
    return env


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT_S, CPU_LIMIT_S))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_cli(project: Path, *args: str, env: dict[str, str], prefix: tuple[str, ...] = ()) -> Run:
    """``pipeline -C project ARGS`` through the installed entry point, in a subprocess under
    memory, CPU and file-size limits (a run over them dies and fails its test)."""
    started = time.monotonic()
    completed = subprocess.run(
        [*prefix, sys.executable, "-m", "pipeline", "-C", str(project), *args],
        env=env,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=WALL_LIMIT_S,
        preexec_fn=_limit,
        check=False,
    )
    return Run(
        code=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
        seconds=time.monotonic() - started,
    )


def tree_digest(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (not following links): kind, mode, link target or content
    digest. Two equal digests mean nothing was created, removed, modified or re-pointed."""
    found: dict[str, str] = {}
    for directory, folders, files in os.walk(root, followlinks=False):
        for name in sorted([*folders, *files]):
            path = Path(directory) / name
            info = path.lstat()
            relative = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                found[relative] = f"link -> {os.readlink(path)}"
            elif stat.S_ISDIR(info.st_mode):
                found[relative] = f"dir {stat.S_IMODE(info.st_mode):o}"
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[relative] = f"file {stat.S_IMODE(info.st_mode):o} {digest}"
    return found


def assert_one_located_line(run: Run, *, path: str, line: int | None, says: str) -> None:
    """Exit 2, no traceback, and stderr is exactly ``path[:line]: message`` with ``says`` in
    the message."""
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    match = LOCATED.match(lines[0])
    assert match, lines[0]
    assert match["path"] == path, lines[0]
    assert (int(match["line"]) if match["line"] else None) == line, lines[0]
    assert says in match["message"], lines[0]
