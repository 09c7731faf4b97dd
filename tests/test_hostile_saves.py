"""A translator's save is never lost, whatever moment of a merge it lands in.

PO editors take no lock: they write a temporary file and rename it over the catalog. ``segment``
reads a catalog, merges it with the new template and writes the result. Here the editor's
save is injected at every I/O step of a real ``segment`` run in turn (each read, merge, write,
fsync and rename of every file), deterministically, and after each run the test asserts the
translator's words are still in the catalog: either segment noticed and kept their file, or
it read their file before merging and kept their translation.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from support.hostile import example_project

from pipeline import fsutil, project
from pipeline.config import load_config
from pipeline.errors import NotReady

CATALOG = Path("locales/en/LC_MESSAGES/ntrk-inhibitors.po")
#: The editor's own rename, untouched by the instrumentation below.
_EDITOR_RENAME = os.replace


def editor_save(path: Path, marker: str) -> bytes:
    """What Poedit does on save: the file's current text with one more translation, written
    to a temporary file and renamed over the catalog. Returns the bytes saved."""
    text = path.read_text(encoding="utf-8")
    head, separator, rest = text.partition('msgstr ""\n\n')  # the header's
    entry_at = rest.index('msgstr ""\n')
    saved = head + separator + rest[:entry_at] + f'msgstr "{marker}"\n' + rest[entry_at + 10 :]
    temporary = path.with_name(f".{path.name}.poedit")
    temporary.write_text(saved, encoding="utf-8")
    _EDITOR_RENAME(temporary, path)
    return saved.encode("utf-8")


@pytest.fixture
def segmented(tmp_path: Path) -> Path:
    """The example article in two locales, segmented once, then a source sentence edited so
    every catalog of that article must be merged and rewritten by the next ``segment``."""
    root = example_project(tmp_path / "project", locales=("en", "en_NZ"))
    for other in ("ntrk-talk-asr.txt", "ntrk-talk-clip.srt"):
        (root / "sources" / other).unlink()
    project.segment_project(load_config(root))
    source = root / "sources" / "ntrk-inhibitors.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("。", "。新增一句。", 1), encoding="utf-8")
    return root


class Moments:
    """Counts the I/O steps of a run (before and after each call of the wrapped functions)
    and runs ``action`` at step ``at``."""

    def __init__(self, at: int, action: Callable[[], None]) -> None:
        self.at = at
        self.action = action
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.count - 1 == self.at:
            self.action()

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            try:
                return function(*args, **kwargs)
            finally:
                self.tick()

        return wrapped


@contextmanager
def moments(monkeypatch: pytest.MonkeyPatch, at: int, action: Callable[[], None]) -> Iterator[
    Moments
]:
    counter = Moments(at, action)
    with monkeypatch.context() as patch:
        for module, name in (
            (project, "_read_bytes"),
            (project, "update_catalog"),
            (project, "generate_po"),
            (fsutil, "_renameat2"),
            (fsutil, "_fsync_directory"),
            (fsutil.os, "fsync"),
            (fsutil.os, "chmod"),
            (fsutil.os, "replace"),
            (fsutil.os, "unlink"),
        ):
            patch.setattr(module, name, counter.wrap(getattr(module, name)))
        yield counter


def _steps(root: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    with moments(monkeypatch, -1, lambda: None) as counter:
        project.segment_project(load_config(root))
    return counter.count


def test_a_save_at_any_moment_of_a_merge_is_kept(
    segmented: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pristine = tmp_path / "pristine"
    shutil.copytree(segmented, pristine)
    total = _steps(segmented, monkeypatch)
    assert total > 30, total  # every read, merge, write, fsync and rename of three files
    outcomes = {"kept their file": 0, "merged their file": 0}
    for at in range(total):
        shutil.rmtree(segmented)
        shutil.copytree(pristine, segmented)
        catalog = segmented / CATALOG
        marker = f"Saved by the translator at step {at}"
        saved: list[bytes] = []
        save = functools.partial(lambda into, *a: into.append(editor_save(*a)), saved, catalog,
                                 marker)
        with moments(monkeypatch, at, save):
            try:
                project.segment_project(load_config(segmented))
                refused = False
            except NotReady as exc:
                assert "saved in an editor?" in exc.message
                refused = True
        assert saved, f"step {at} was never reached"
        final = catalog.read_bytes()
        assert f'msgstr "{marker}"'.encode() in final, f"the save at step {at} was lost"
        if refused or final == saved[0]:
            assert final == saved[0]
            outcomes["kept their file"] += 1
        else:
            outcomes["merged their file"] += 1
        leftovers = [p.name for p in catalog.parent.iterdir() if p.name.startswith(".")]
        assert leftovers == [], f"step {at} left {leftovers}"
    # Both ways of keeping the save happen: early saves are merged, later ones refused.
    assert outcomes["kept their file"] > 0 and outcomes["merged their file"] > 0, outcomes


def test_without_renameat2_a_save_made_before_the_write_is_still_kept(
    segmented: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fsutil, "_libc_renameat2", lambda: None)
    catalog = segmented / CATALOG
    saved: list[bytes] = []
    original = fsutil.os.fsync

    def fsync_then_save(descriptor: int) -> None:
        original(descriptor)
        if not saved and Path(f"/proc/self/fd/{descriptor}").resolve().parent == catalog.parent:
            saved.append(editor_save(catalog, "Saved while the merge was being written"))

    monkeypatch.setattr(fsutil.os, "fsync", fsync_then_save)
    with pytest.raises(NotReady, match="saved in an editor"):
        project.segment_project(load_config(segmented))
    assert catalog.read_bytes() == saved[0]


def test_a_save_at_any_moment_of_pretranslate_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import pretranslate as stage
    from pipeline.pretranslate import PretranslateOptions

    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "a.md").write_text("# 甲\n\n患者每天服药两次，持续四周。\n", "utf-8")
    (root / "sources" / "c.md").write_text(
        "# 丙\n\n患者每天服药两次，持续六周。\n\n随访期间未见复发。\n", "utf-8"
    )
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', "utf-8"
    )
    project.segment_project(load_config(root))
    done = root / "locales" / "en" / "LC_MESSAGES" / "a.po"
    translation = "Patients took it twice daily for four weeks."
    done.write_text(done.read_text("utf-8").replace(
        'msgid "患者每天服药两次，持续四周。"\nmsgstr ""',
        f'msgid "患者每天服药两次，持续四周。"\nmsgstr "{translation}"',
    ), "utf-8")
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine)
    catalog = root / "locales" / "en" / "LC_MESSAGES" / "c.po"
    options = PretranslateOptions(engine="tm")

    def run() -> None:
        stage.pretranslate(load_config(root), options=options)

    steps = ((stage, "_load"), (fsutil, "_renameat2"), (fsutil.os, "fsync"),
             (fsutil.os, "replace"), (fsutil.os, "unlink"))
    with monkeypatch.context() as patch:
        counter = Moments(-1, lambda: None)
        for module, name in steps:
            patch.setattr(module, name, counter.wrap(getattr(module, name)))
        run()
    total = counter.count
    assert total > 6, total
    drafted = 0
    for at in range(total):
        shutil.rmtree(root)
        shutil.copytree(pristine, root)
        marker = f"No recurrence was seen (saved at step {at})."
        saved: list[bytes] = []
        with monkeypatch.context() as patch:
            counter = Moments(at, functools.partial(
                lambda into, *a: into.append(editor_save(*a)), saved, catalog, marker))
            for module, name in steps:
                patch.setattr(module, name, counter.wrap(getattr(module, name)))
            try:
                run()
            except NotReady as exc:
                assert "saved in an editor?" in exc.message
        final = catalog.read_text("utf-8")
        if saved:
            assert f'msgstr "{marker}"' in final, f"the save at step {at} was lost"
        drafted += "#. tm " in final
    assert drafted > 0  # the drafts were written around the saves, not given up
