"""``pipeline publish``: render every publishable catalog into the site, atomically."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.commands._shared import (
    ProjectContext,
    emit_json,
    format_option,
    pass_project,
    site_option,
    wait_option,
)


@click.command()
@site_option
@wait_option
@format_option
@pass_project
def publish(
    project: ProjectContext, site: Path | None, wait_s: float | None, output_format: str
) -> None:
    """Render every fully approved, check-clean article into the site, and nothing else.

    Writes SITE/<locale>/<slug>.html, the translated .md (or .srt/.vtt, .txt), per-locale and
    root indexes, sitemap.xml with hreflang alternates and manifest.json. The new site is
    built beside the old one and swapped in with one rename; an article that is no longer
    publishable is removed and listed with its reason. Exit 0 (even when something is
    withheld: see `pipeline status`), 2 for bad input with the old site untouched.
    """
    from pipeline.build import lock_timeout
    from pipeline.locking import project_lock
    from pipeline.pretranslate import terminal_progress
    from pipeline.publish.stage import publish_project

    config = project.config
    if site is not None and not site.is_absolute():
        site = Path.cwd() / site
    timeout = lock_timeout(config) if wait_s is None else wait_s
    with project_lock(config, timeout_s=timeout), terminal_progress(sys.stderr) as progress:
        bar = None
        if progress is not None:
            advance: list[object] = []

            def bar(done: int, total: int) -> None:
                if not advance:
                    advance.append(progress("publish", total))
                advance[0](1)  # type: ignore[operator]

        report, queue = publish_project(config, site=site, progress=bar)
    if output_format == "json":
        emit_json({**report.as_json(), "queue": queue.as_json()})
        return
    for line in report.lines():
        click.echo(line)
