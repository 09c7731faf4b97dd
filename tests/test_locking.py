"""The project lock: flock(2) on .pipeline/pipeline.lock, shared with filelock, re-entrant."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from pipeline.config import load_config
from pipeline.errors import Busy
from pipeline.locking import project_lock

#: Another process takes the project lock, waiting at most argv[2] seconds.
_TAKE = """
import sys
from pathlib import Path
from pipeline.config import load_config
from pipeline.errors import Busy
from pipeline.locking import project_lock
try:
    with project_lock(load_config(Path(sys.argv[1])), timeout_s=float(sys.argv[2])):
        print("taken")
except Busy as exc:
    print(exc.location_message(relative_to=sys.argv[1]))
"""


def take_elsewhere(root: Path, wait_s: float) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _TAKE, str(root), str(wait_s)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return result.stdout


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.pipeline]\n", encoding="utf-8")
    return tmp_path


def test_the_lock_keeps_other_processes_out_until_released(root: Path) -> None:
    config = load_config(root)
    with project_lock(config):
        started = time.monotonic()
        assert take_elsewhere(root, 0.3) == (
            ".pipeline/pipeline.lock: another pipeline command has been writing to this project"
            " for over 0.3 s; wait for it to finish, or delete the lock if it crashed\n"
        )
        assert time.monotonic() - started >= 0.3
        # filelock (a script's lock on the same file) is kept out as well.
        with pytest.raises(Timeout):
            FileLock(str(root / ".pipeline" / "pipeline.lock")).acquire(timeout=0.1)
    assert take_elsewhere(root, 0.3) == "taken\n"
    assert (root / ".pipeline" / "pipeline.lock").exists()  # left in place, as filelock does


def test_a_lock_held_with_filelock_keeps_the_pipeline_out(root: Path) -> None:
    (root / ".pipeline").mkdir()
    with (
        FileLock(str(root / ".pipeline" / "pipeline.lock")),
        pytest.raises(Busy, match="for over 0.1 s"),
        project_lock(load_config(root), timeout_s=0.1),
    ):
        pass
    with project_lock(load_config(root), timeout_s=0.1):
        pass


def test_the_lock_is_reentrant_within_a_process(root: Path) -> None:
    config = load_config(root)
    with project_lock(config):
        with project_lock(config, timeout_s=0):  # build -> segment: no wait on itself
            assert take_elsewhere(root, 0) != "taken\n"
        assert take_elsewhere(root, 0) != "taken\n"  # the outer hold still holds
    assert take_elsewhere(root, 0) == "taken\n"
