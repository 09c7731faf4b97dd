"""``pipeline build``: what a scheduled build runs, in order, under one project lock.

segment (sources -> templates -> merged catalogs) -> pretranslate (translation memory, then
MT when a model is installed; drafts stay fuzzy) -> check -> publish (only what review's rule
calls publishable) -> a summary: published, withheld and why, what waits in the review queue.
Each stage is the same library call its own command makes, so a build does nothing an editor
could not do by hand; it is safe to run at any time and changes no byte when nothing changed.

``--check`` (``dry_run``) changes nothing in the project: the stages run on a scratch copy of
the catalogs, so the pretranslate, check and publish figures describe the catalogs *as a
build would leave them* (merged with the current sources), not the files on disk; the real
site is only compared with what would be published.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.checks.run import CheckReport, check_project
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.fsutil import write_text_file
from pipeline.locking import LOCK_TIMEOUT_S, project_lock
from pipeline.pretranslate import (
    PretranslateReport,
    ProgressFactory,
    load_options,
    pretranslate,
)
from pipeline.project import WriteReport, segment_project
from pipeline.publish.site import PublishReport
from pipeline.publish.stage import ReviewQueue, publish_project
from pipeline.review import approval_rule

__all__ = ["BuildReport", "UpToDate", "build_project", "lock_timeout"]


@dataclass(frozen=True, kw_only=True)
class BuildReport:
    segmented: WriteReport
    pretranslated: PretranslateReport
    checked: CheckReport
    published: PublishReport
    queue: ReviewQueue
    dry_run: bool
    #: Wall-clock seconds per stage (segment, pretranslate, check, publish).
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Something would change (``--check``) or changed: catalogs or the site."""
        return self.segmented.changed or self.pretranslated.changed or self.published.changed

    @property
    def stale(self) -> bool:
        """Catalogs are out of date with the sources, or publishable work is unpublished."""
        return self.segmented.changed or self.published.changed

    @property
    def failed(self) -> bool:
        """A finished (non-fuzzy) translation fails a blocking check."""
        return self.checked.failed

    def lines(self) -> list[str]:
        return [
            "== segment",
            *self.segmented.lines(),
            "== pretranslate",
            *self.pretranslated.lines(),
            "== check",
            *self.checked.lines(),
            "== publish",
            *self.published.lines(),
            "== summary",
            *self.summary_lines(),
        ]

    def summary_lines(self) -> list[str]:
        verb = "would publish" if self.dry_run else "published"
        published = [f"{p.locale}/{p.slug}" for p in self.published.published]
        lines = [f"{verb}: {', '.join(published) if published else 'nothing'}"]
        lines.extend(
            f"withheld: {item.locale}/{item.slug}: {item.reason}"
            for item in self.published.withheld
        )
        lines.extend(self.queue.lines())
        return lines

    def as_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "changed": self.changed,
            "stale": self.stale,
            "failed": self.failed,
            "segment": self.segmented.as_json(),
            "pretranslate": self.pretranslated.as_json(),
            "check": self.checked.as_json(),
            "publish": self.published.as_json(),
            "queue": self.queue.as_json(),
            "seconds": {stage: round(value, 3) for stage, value in self.seconds.items()},
        }


def lock_timeout(config: Config) -> float:
    """``[tool.pipeline.build] lock_timeout`` (seconds a build waits for another one)."""
    table = config.tables.get("build", {})
    if not isinstance(table, dict):
        raise UsageError("[tool.pipeline.build] must be a table")
    unknown = set(table) - {"lock_timeout"}
    if unknown:
        raise UsageError(
            f"unknown key {sorted(unknown)[0]!r} in [tool.pipeline.build]; known keys: "
            "lock_timeout"
        )
    value = table.get("lock_timeout", LOCK_TIMEOUT_S)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise UsageError(
            "lock_timeout in [tool.pipeline.build] must be a number of seconds (0 or more)"
        )
    return float(value)


def build_project(
    config: Config,
    *,
    dry_run: bool = False,
    site: Path | None = None,
    wait_s: float | None = None,
    progress: ProgressFactory | None = None,
) -> BuildReport | UpToDate:
    """Run every stage; with ``dry_run`` nothing in the project is written and no MT runs.

    ``wait_s`` is how long to wait for another command holding the project lock (default:
    ``lock_timeout`` from the configuration); then :class:`~pipeline.errors.Busy` (exit 1).
    """
    timeout = lock_timeout(config) if wait_s is None else wait_s
    with project_lock(config, timeout_s=timeout):
        if dry_run:
            return _dry_run(config, site=site or config.site_dir)
        return _incremental(config, site=site, progress=progress)


STAMP_NAME = "build-stamp.json"


@dataclass(frozen=True, kw_only=True)
class UpToDate:
    """A build that found every input as the last build left it: no stage ran, nothing was
    written, and the last build's summary still holds (``--format json`` gives its report,
    with ``up_to_date`` set)."""

    since: str
    report: dict[str, Any]
    summary: tuple[str, ...]
    dry_run: bool = False
    changed: bool = False
    stale: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.report.get("failed"))

    def lines(self) -> list[str]:
        return [
            f"nothing changed since the build of {self.since}: every stage is up to date",
            "== summary",
            *self.summary,
        ]

    def as_json(self) -> dict[str, Any]:
        return {**self.report, "changed": False, "stale": False, "up_to_date": True}


def _incremental(
    config: Config, *, site: Path | None, progress: ProgressFactory | None
) -> BuildReport | UpToDate:
    """Skip every stage when nothing the build reads changed since the last build.

    The stamp (``<state>/build-stamp.json``) holds, as ``make`` and ``ninja`` do, the size,
    modification time and inode of every input (sources, catalogs, audit logs, glossary,
    configuration, the translation memory and MT cache, installed MT models), the site link
    and the tool version, taken when the last build finished, with that build's report. Any
    difference (an edited catalog, a git checkout, a model installed, a deleted page) runs
    the whole build; a stage that then finds nothing to do still writes nothing.
    """
    stamp_path = config.state_dir / STAMP_NAME
    site_dir = Path(os.path.abspath(site or config.site_dir))
    inputs = _inputs(config, site_dir)
    try:
        stamp = json.loads(stamp_path.read_text("utf-8"))
    except (OSError, ValueError):
        stamp = None
    if isinstance(stamp, dict) and stamp.get("inputs") == inputs and "report" in stamp:
        return UpToDate(
            since=str(stamp.get("at", "")),
            report=stamp["report"],
            summary=tuple(stamp.get("summary", ())),
        )
    report = _run(config, site=site, progress=progress)
    write_text_file(
        stamp_path,
        json.dumps(
            {
                "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "inputs": _inputs(config, site_dir),
                "report": report.as_json(),
                "summary": report.summary_lines(),
            },
            ensure_ascii=False,
            sort_keys=True,
        ),
    )
    return report


def _shown(config: Config, path: Path) -> str:
    """A path as the stamp records it: relative to the project where it is inside."""
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _inputs(config: Config, site: Path) -> dict[str, Any]:
    """What a build reads, as (size, mtime, inode) per file, and the site's current version."""
    from pipeline import __version__

    found: dict[str, Any] = {"tool": __version__}
    # The site too (os.walk follows the link at its top): a page deleted by hand is rebuilt.
    folders = [config.sources_dir, config.locales_dir, config.state_dir, site]
    try:
        from pipeline.mt.argos import packages_dir

        folders.append(packages_dir())
    except Exception:  # no MT extra installed: no model can change the drafts
        found["mt"] = None
    files = [config.glossary_path, *([config.config_path] if config.config_path else [])]
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            files.extend(Path(root) / name for name in sorted(names))
    skipped = {STAMP_NAME, "pipeline.lock"}
    for path in files:
        if path.name in skipped:
            continue
        try:
            stat = path.stat()
        except OSError:
            found[_shown(config, path)] = None
            continue
        found[_shown(config, path)] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    try:
        found["site"] = os.readlink(site)
    except OSError:
        found["site"] = None
    return found


def _run(
    config: Config, *, site: Path | None, progress: ProgressFactory | None, dry_run: bool = False
) -> BuildReport:
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    segmented = segment_project(config, dry_run=dry_run)
    lap("segment")
    pretranslated = pretranslate(
        config,
        options=load_options(config),
        dry_run=dry_run,
        lock=False,
        progress=progress,
        approval=approval_rule(config),
    )
    lap("pretranslate")
    checked = check_project(config)
    lap("check")
    published, queue = publish_project(
        config, checked=checked, site=site, dry_run=dry_run, progress=_bar(progress, "publish")
    )
    lap("publish")
    return BuildReport(
        segmented=segmented,
        pretranslated=pretranslated,
        checked=checked,
        published=published,
        queue=queue,
        dry_run=dry_run,
        seconds=seconds,
    )


def _bar(progress: ProgressFactory | None, label: str) -> Callable[[int, int], None] | None:
    """Adapt the (label, total) -> advance factory to publish's (done, total) callback."""
    if progress is None:
        return None
    state: dict[str, Any] = {}

    def report(done: int, total: int) -> None:
        if "advance" not in state:
            state["advance"] = progress(label, total)
            state["done"] = 0
        state["advance"](done - state["done"])
        state["done"] = done

    return report


def _dry_run(config: Config, *, site: Path) -> BuildReport:
    """The whole build on a scratch copy of the project's content; the site only compared.

    The copy holds the sources, catalogs, logs and glossary (what the stages read), under the
    same relative paths, so every reported path reads as in the real project; the translation
    memory and MT cache of the real state folder are reused (they are caches, not content).
    """
    with tempfile.TemporaryDirectory(prefix="pipeline-check-") as scratch:
        root = Path(scratch)
        for folder in (config.sources_dir, config.locales_dir):
            if folder.is_dir():
                shutil.copytree(folder, root / config.relative(folder), symlinks=True)
        for path in (config.glossary_path, config.config_path):
            if path is not None and path.is_file():
                target = root / config.relative(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
        copy = dataclasses.replace(
            config,
            root=root.resolve(),
            sources_dir=(root / config.relative(config.sources_dir)).resolve(),
            locales_dir=(root / config.relative(config.locales_dir)).resolve(),
            glossary_path=(root / config.relative(config.glossary_path)).resolve(),
            config_path=None if config.config_path is None else root / config.relative(
                config.config_path
            ),
        )
        segmented = segment_project(config, dry_run=True)
        segment_project(copy)
        pretranslated = pretranslate(
            copy,
            options=load_options(copy),
            dry_run=True,
            lock=False,
            approval=approval_rule(copy),
        )
        checked = check_project(copy)
        published, queue = publish_project(copy, checked=checked, site=site, dry_run=True)
    return BuildReport(
        segmented=segmented,
        pretranslated=pretranslated,
        checked=checked,
        published=published,
        queue=queue,
        dry_run=True,
    )
