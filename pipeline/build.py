"""``pipeline build``: what a scheduled build runs, in order, under one project lock.

segment (sources -> templates -> merged catalogs) -> pretranslate (translation memory, then
MT when a model is installed; drafts stay fuzzy) -> check. Publishing joins the chain when it
exists. Each stage is the same library call its own command makes, so a build does nothing
an editor could not do by hand; it is safe to run at any time and changes no byte when
nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.checks.run import CheckReport, check_project
from pipeline.config import Config
from pipeline.locking import project_lock
from pipeline.pretranslate import PretranslateReport, load_options, pretranslate
from pipeline.project import WriteReport, segment_project
from pipeline.review import approval_rule

__all__ = ["BuildReport", "build_project"]


@dataclass(frozen=True, kw_only=True)
class BuildReport:
    segmented: WriteReport
    pretranslated: PretranslateReport
    checked: CheckReport
    dry_run: bool

    @property
    def changed(self) -> bool:
        return self.segmented.changed or self.pretranslated.changed

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
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "changed": self.changed,
            "failed": self.failed,
            "segment": self.segmented.as_json(),
            "pretranslate": self.pretranslated.as_json(),
            "check": self.checked.as_json(),
        }


def build_project(config: Config, *, dry_run: bool = False) -> BuildReport:
    """Run every stage; with ``dry_run`` nothing is written (and no MT runs)."""
    with project_lock(config):
        segmented = segment_project(config, dry_run=dry_run)
        pretranslated = pretranslate(
            config, options=load_options(config), dry_run=dry_run, lock=False,
            approval=approval_rule(config),
        )
        checked = check_project(config)
    return BuildReport(
        segmented=segmented, pretranslated=pretranslated, checked=checked, dry_run=dry_run
    )
