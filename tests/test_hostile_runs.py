"""Crashes, concurrent runs and the network: what SECURITY.md promises about runs, proved on
the real CLI in subprocesses.

- A build killed (SIGKILL) at any moment leaves only whole files, loses no translation, keeps
  both SQLite files intact; the next build finishes and ends where an uninterrupted one does.
- Several builds, a ``glossary add`` and a translator's save started together end, after one
  more build, in the tree a serial run gives, byte for byte (the TM by content).
- No command opens a network connection, except ``models install --from`` when asked to.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.hostile import isolated_env, run_cli

from pipeline.po.read import read_po_file

#: Three articles: a and b are translated by hand; c shares their sentence pattern, so the
#: memory offers it two fuzzy matches of equal score (ties must break the same way each time).
SOURCES = {
    "a.md": "# 甲文\n\n患者每天服药两次，持续四周。\n\n停药后症状缓解。\n",
    "b.md": "# 乙文\n\n患者每天服药两次，持续八周。\n\n复查显示肿瘤缩小。\n",
    "c.md": "# 丙文\n\n患者每天服药两次，持续六周。\n\n随访期间未见复发。\n",
}
TRANSLATED = {
    "a": {"甲文": "Article A", "患者每天服药两次，持续四周。": "Patients took it twice daily for "
          "four weeks.", "停药后症状缓解。": "Symptoms eased after stopping."},
    "b": {"乙文": "Article B", "患者每天服药两次，持续八周。": "Patients took it twice daily for "
          "eight weeks.", "复查显示肿瘤缩小。": "A follow-up scan showed the tumour shrank."},
}
EPOCH = "1767225600"  # 2026-01-01: SOURCE_DATE_EPOCH makes POT-Creation-Date reproducible


def env_for(home: Path) -> dict[str, str]:
    env = isolated_env(home)
    env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


def translate(catalog: Path, translations: dict[str, str]) -> None:
    """What a translator does in a PO editor: fill msgstr of the given msgids, then save."""
    text = catalog.read_text(encoding="utf-8")
    for msgid, msgstr in translations.items():
        pattern = re.compile(rf'(msgid "{re.escape(msgid)}"\nmsgstr )""\n')
        text, count = pattern.subn(rf'\g<1>"{msgstr}"\n', text)
        assert count == 1, msgid
    temporary = catalog.with_name(f".{catalog.name}.editor")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, catalog)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A segmented project whose articles a and b are translated (the TM not yet fed)."""
    root = tmp_path_factory.mktemp("runs")
    home = root / "home"
    home.mkdir()
    project = root / "project"
    (project / "sources").mkdir(parents=True)
    for name, text in SOURCES.items():
        (project / "sources" / name).write_text(text, encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', encoding="utf-8"
    )
    (project / "glossary.yaml").write_text(
        "source_locale: zh_Hans\nterms:\n  - source: 肿瘤\n    target: {en: tumour}\n",
        encoding="utf-8",
    )
    segmented = run_cli(project, "segment", env=env_for(home))
    assert segmented.code == 0, segmented.stderr
    for slug, translations in TRANSLATED.items():
        translate(project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po", translations)
    return project, home


def copy_of(base: tuple[Path, Path], into: Path) -> tuple[Path, Path]:
    project, home = base
    shutil.copytree(project, into / "project", symlinks=True)
    shutil.copytree(home, into / "home", symlinks=True)
    return into / "project", into / "home"


def text_tree(project: Path) -> dict[str, bytes]:
    """Every file but the SQLite databases, the lock and the build stamp, by path. (The stamp
    is a cache of the last build's inputs, with their file times, like the databases.)"""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and path.suffix not in (".sqlite", ".lock")
        and not path.name.endswith(("-wal", "-shm", "-journal"))
        and path.name != "build-stamp.json"
    }


def memory_content(project: Path) -> list[tuple[object, ...]]:
    """The TM's units by content (row ids and timestamps depend on timing, not content)."""
    with sqlite3.connect(project / ".pipeline" / "tm.sqlite") as db:
        return sorted(db.execute(
            "SELECT source_locale, target_locale, source, target, status, origin, context "
            "FROM units"
        ).fetchall())


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


# -- crash safety --------------------------------------------------------------------------

KILL_POINTS = 8


def test_a_build_killed_at_any_moment_loses_nothing_and_the_next_build_ends_the_same(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    reference, home = copy_of(base, tmp_path / "reference")
    started = time.monotonic()
    finished = run_cli(reference, "build", env=env_for(home))
    duration = time.monotonic() - started
    assert finished.code == 0, finished.stderr
    expected_tree, expected_memory = text_tree(reference), memory_content(reference)
    # c's first sentence was drafted from the memory: the case the tie-break decides.
    assert b"#. tm " in expected_tree["locales/en/LC_MESSAGES/c.po"]

    for point in range(KILL_POINTS):
        project, home = copy_of(base, tmp_path / f"killed-{point}")
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "-C", str(project), "build"],
            env=env_for(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(duration * (point + 0.5) / KILL_POINTS)
        process.send_signal(signal.SIGKILL)
        process.wait()

        catalogs = [p for p in sorted((project / "locales").rglob("*.po*"))
                    if not p.name.startswith(".")]  # a temporary file the kill left behind
        for catalog in catalogs:
            read_po_file(catalog)  # whole: a half-written file would not parse
            check = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(catalog)],
                                   capture_output=True, text=True, check=False)
            assert check.returncode == 0, (point, catalog, check.stderr)
        for slug, translations in TRANSLATED.items():
            text = (project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po").read_text("utf-8")
            for msgstr in translations.values():
                assert f'msgstr "{msgstr}"' in text, (point, msgstr)
        for database in (project / ".pipeline").glob("*.sqlite"):
            assert integrity(database) == "ok", (point, database)

        again = run_cli(project, "build", env=env_for(home))
        assert again.code == 0, (point, again.stderr)
        assert text_tree(project) == expected_tree, point  # the next build removed leftovers
        assert memory_content(project) == expected_memory, point


# -- concurrency ---------------------------------------------------------------------------

NEW_TERM = ("glossary", "add", "随访", "--target", "en=follow-up")
EDITOR_WORK = {"随访期间未见复发。": "No recurrence was seen during follow-up."}


def test_concurrent_builds_a_glossary_add_and_a_save_end_like_a_serial_run(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    serial, home = copy_of(base, tmp_path / "serial")
    for _ in range(3):
        assert run_cli(serial, "build", env=env_for(home)).code == 0
    assert run_cli(serial, *NEW_TERM, env=env_for(home)).code == 0
    translate(serial / "locales" / "en" / "LC_MESSAGES" / "c.po", EDITOR_WORK)
    assert run_cli(serial, "build", env=env_for(home)).code == 0

    together, home = copy_of(base, tmp_path / "together")
    commands = [("build",), ("build",), ("build",), NEW_TERM]
    processes = [
        subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(together), *command],
                         env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for command in commands
    ]
    editor = threading.Thread(
        target=translate, args=(together / "locales" / "en" / "LC_MESSAGES" / "c.po",
                                EDITOR_WORK)
    )
    time.sleep(0.3)
    editor.start()
    editor.join()
    for command, process in zip(commands, processes, strict=True):
        out, err = process.communicate(timeout=120)
        # Each run finishes, or stops with one clear line (a save it must not overwrite).
        assert "Traceback" not in err, err
        assert process.returncode in (0, 1), (command, err)
        if process.returncode == 1:
            assert err.count("\n") == 1 and "saved in an editor?" in err, (command, err)
    final = run_cli(together, "build", env=env_for(home))
    assert final.code == 0, final.stderr

    assert text_tree(together) == text_tree(serial)
    assert memory_content(together) == memory_content(serial)


def test_glossary_add_waits_for_the_project_lock(base: tuple[Path, Path], tmp_path: Path) -> None:
    # Issue 9, item 10: glossary add wrote glossary.yaml while segment was reading it.
    project, home = copy_of(base, tmp_path)
    before = (project / "glossary.yaml").read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock\n"
         "with FileLock(sys.argv[1]):\n    print('held', flush=True); time.sleep(3)",
         str(project / ".pipeline" / "pipeline.lock")],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    adding = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "-C", str(project), *NEW_TERM],
        env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1.5)
    assert adding.poll() is None  # still waiting for the lock
    assert (project / "glossary.yaml").read_bytes() == before
    holder.wait(timeout=30)
    out, err = adding.communicate(timeout=60)
    assert adding.returncode == 0, err
    assert "随访" in (project / "glossary.yaml").read_text(encoding="utf-8")


# -- no network ----------------------------------------------------------------------------

#: Put first on PYTHONPATH: every socket connection (IPv4, IPv6) is recorded, then refused.
NETWORK_GUARD = '''
import os, socket

_log = os.environ["NETWORK_ATTEMPTS_LOG"]
_connect = socket.socket.connect


def _refuse(self, address, *args):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        with open(_log, "a", encoding="utf-8") as log:
            log.write(f"{address!r}\\n")
        raise OSError(101, "network blocked by the test")
    return _connect(self, address, *args)


socket.socket.connect = _refuse
socket.socket.connect_ex = lambda self, address: (_refuse(self, address), 0)[1]
'''


def _isolated_network() -> tuple[str, ...]:
    """``unshare -n`` (no network interfaces at all) where the system allows it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "-n"), (unshare, "-rn")):
        if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode == 0:
            return prefix
    return ()


def test_the_whole_pipeline_runs_without_a_network(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    project, home = copy_of(base, tmp_path)
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    attempts = tmp_path / "attempts.log"
    env = env_for(home)
    env.update(PYTHONPATH=str(guard), NETWORK_ATTEMPTS_LOG=str(attempts))
    prefix = _isolated_network()
    for command in (("build",), ("segment",), ("pretranslate",), ("check",),
                    ("glossary", "check"), ("tm", "stats"), ("models", "list"), NEW_TERM):
        result = run_cli(project, *command, env=env, prefix=prefix)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.code in (0, 1), (command, result.stderr)
        assert not attempts.exists(), (command, attempts.read_text(encoding="utf-8"))
    # The guard works: the one command that must use the network is caught, and fails cleanly.
    fetched = run_cli(project, "models", "install", "--from", "zh", "--to", "en", env=env,
                      prefix=prefix)
    assert fetched.code == 2, fetched.stderr
    assert "cannot reach the argostranslate package index" in fetched.stderr
    assert "Traceback" not in fetched.stderr
    if not prefix:
        assert attempts.exists()
