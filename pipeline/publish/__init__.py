"""Publishing: only approved, check-clean catalogs become pages, Markdown and subtitles.

- :mod:`pipeline.publish.render`: pure renderers (source text + translations -> article);
- :mod:`pipeline.publish.pages`: HTML pages via Jinja2 templates (package data);
- :mod:`pipeline.publish.site`: the edge that writes ``site/`` atomically.
"""

from __future__ import annotations

from pipeline.publish.site import (
    Approval,
    Candidate,
    PublishedPage,
    PublishReport,
    Withheld,
    publish_site,
)

__all__ = [
    "Approval",
    "Candidate",
    "PublishReport",
    "PublishedPage",
    "Withheld",
    "publish_site",
]
