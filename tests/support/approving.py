"""A reviser's sign-off for tests that build their own catalogs: the real ``pipeline approve``.

Tests of publishing need approved catalogs whose text they chose (an XSS payload, an edited
translation); the approval itself is review's business and is tested there.
"""

from __future__ import annotations

from click.testing import CliRunner
from support.cli import main

from pipeline.config import Config


def approve(config: Config, slug: str, locale: str, *, by: str) -> str:
    """Approve every translated, check-clean entry of a catalog as ``by``; approve's report."""
    result = CliRunner().invoke(
        main,
        ["-C", str(config.root), "approve", slug, "--locale", locale, "--by", by],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output
