"""The site: only what the verdicts allow, atomic swaps, no-op rebuilds, indexes and sitemap.

These tests hand :func:`pipeline.publish.site.publish_site` its verdicts directly (the
candidates), on a copy of the shipped example whose English catalogs hold the project's own
translation; tests/test_publish_build.py drives the same code through review and the CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.errors import CatalogError, UsageError
from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file
from pipeline.publish import Approval, Candidate, publish_site

REPO = Path(__file__).resolve().parent.parent
SLUGS = ("ntrk-inhibitors", "ntrk-talk-clip", "ntrk-talk-asr")
APPROVED = (Approval(by="Tom Baker", at="2026-11-02T10:15:00Z"),)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A copy of the shipped example (sources, translated English catalogs, glossary)."""
    for folder in ("sources", "locales"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copy(REPO / "glossary.yaml", tmp_path / "glossary.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\ntarget_locales = ["en"]\n\n[tool.pipeline.publish]\n'
        'base_url = "https://example.org/med/"\n',
        encoding="utf-8",
    )
    return load_config(tmp_path)


def candidates(config: Config, **verdicts: str) -> list[Candidate]:
    """The example's three articles in English: publishable unless ``verdicts`` names a
    reason (keyword = slug with underscores)."""
    found = []
    for slug in SLUGS:
        reason = verdicts.get(slug.replace("-", "_"), "23 untranslated" if "asr" in slug else "")
        found.append(
            Candidate(
                slug=slug,
                locale="en",
                source_path=next(config.sources_dir.glob(f"{slug}.*")),
                catalog_path=config.catalog_path(slug, "en"),
                publishable=not reason,
                reason=reason,
                approvals=() if reason else APPROVED,
            )
        )
    return found


def files_under(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``root`` (links followed) with its bytes and mtime."""
    found = {}
    for dirpath, _, names in os.walk(root, followlinks=True):
        for name in names:
            path = Path(dirpath) / name
            found[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def test_publishes_the_approved_articles_and_withholds_the_others(config: Config) -> None:
    report = publish_site(config, candidates(config))
    site = config.site_dir
    assert [(p.locale, p.slug) for p in report.published] == [
        ("en", "ntrk-inhibitors"),
        ("en", "ntrk-talk-clip"),
    ]
    assert [(w.slug, w.reason) for w in report.withheld] == [("ntrk-talk-asr", "23 untranslated")]
    assert sorted(p.name for p in (site / "en").iterdir() if not p.name.startswith(".")) == [
        "index.html",
        "ntrk-inhibitors.html",
        "ntrk-inhibitors.md",
        "ntrk-talk-clip.html",
        "ntrk-talk-clip.srt",
    ]
    assert not (site / "en" / "ntrk-talk-asr.html").exists()
    page = (site / "en" / "ntrk-inhibitors.html").read_text("utf-8")
    assert '<html lang="en" dir="ltr">' in page
    assert (
        "<title>The “diamond target” NTRK fusion gene: new hope from a next-generation TRK" in page
    )
    assert '<time datetime="2026-10-18">October 18, 2026</time>' in page
    assert (
        '<link rel="alternate" hreflang="zh-Hans" '
        'href="https://example.org/med/zh_Hans/ntrk-inhibitors.html">' in page
    )
    assert (
        "Translated from Chinese (Simplified) (sources/ntrk-inhibitors.md) into English; "
        "approved on November 2, 2026." in page
    )
    assert "89.1%" in page and "90.8%" in page and "3.04%" in page and "285-fold" in page
    source_page = (site / "zh_Hans" / "ntrk-inhibitors.html").read_text("utf-8")
    assert '<html lang="zh-Hans" dir="ltr">' in source_page
    assert "2026年10月18日" in source_page  # the date, formatted by Babel for the page's locale


def test_manifest_lists_hashes_approvals_withheld_and_tool(config: Config) -> None:
    publish_site(config, candidates(config))
    manifest = json.loads((config.site_dir / "manifest.json").read_text("utf-8"))
    import hashlib

    from pipeline import __version__

    english = next(
        p for p in manifest["pages"] if (p["slug"], p["locale"]) == ("ntrk-inhibitors", "en")
    )
    catalog = config.catalog_path("ntrk-inhibitors", "en").read_bytes()
    assert english["catalog"] == "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
    assert english["catalog_sha256"] == hashlib.sha256(catalog).hexdigest()
    assert english["approvals"] == [{"by": "Tom Baker", "at": "2026-11-02T10:15:00Z"}]
    assert english["files"] == ["en/ntrk-inhibitors.html", "en/ntrk-inhibitors.md"]
    assert manifest["tool"] == {"name": "medical-translation-pipeline", "version": __version__}
    assert manifest["withheld"] == [
        {"slug": "ntrk-talk-asr", "locale": "en", "reason": "23 untranslated"}
    ]


def test_sitemap_has_every_page_with_its_hreflang_alternates(config: Config) -> None:
    publish_site(config, candidates(config))
    tree = ElementTree.parse(config.site_dir / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {
        url.findtext("s:loc", namespaces=ns): [
            (link.get("hreflang"), link.get("href")) for link in url.findall("x:link", ns)
        ]
        for url in tree.getroot().findall("s:url", ns)
    }
    base = "https://example.org/med/"
    assert sorted(urls) == [
        f"{base}en/ntrk-inhibitors.html",
        f"{base}en/ntrk-talk-clip.html",
        f"{base}zh_Hans/ntrk-inhibitors.html",
        f"{base}zh_Hans/ntrk-talk-clip.html",
    ]
    assert urls[f"{base}en/ntrk-talk-clip.html"] == [
        ("zh-Hans", f"{base}zh_Hans/ntrk-talk-clip.html"),
        ("en", f"{base}en/ntrk-talk-clip.html"),
        ("x-default", f"{base}zh_Hans/ntrk-talk-clip.html"),
    ]


def test_indexes_list_locales_and_articles(config: Config) -> None:
    publish_site(config, candidates(config))
    root = (config.site_dir / "index.html").read_text("utf-8")
    assert '<a href="en/index.html" hreflang="en" lang="en">English</a> (2)' in root
    assert '<a href="zh_Hans/index.html" hreflang="zh-Hans" lang="zh-Hans">中文 (简体)</a>' in root
    english = (config.site_dir / "en" / "index.html").read_text("utf-8")
    assert '<a href="ntrk-inhibitors.html">The “diamond target” NTRK fusion gene' in english
    assert '<a href="ntrk-talk-clip.html">' in english


def test_nothing_changed_means_no_byte_and_no_mtime_changes(config: Config) -> None:
    publish_site(config, candidates(config))
    target = os.readlink(config.site_dir)
    before = files_under(config.root)

    report = publish_site(config, candidates(config))

    assert not report.changed and report.rendered == 0
    assert os.readlink(config.site_dir) == target
    assert files_under(config.root) == before


def test_a_withdrawn_approval_removes_the_page_and_says_why(config: Config) -> None:
    publish_site(config, candidates(config))
    assert (config.site_dir / "en" / "ntrk-talk-clip.srt").is_file()

    report = publish_site(
        config, candidates(config, ntrk_talk_clip="1 entry changed since approval")
    )

    assert report.removed == (
        "en/ntrk-talk-clip.html",
        "en/ntrk-talk-clip.srt",
        "zh_Hans/ntrk-talk-clip.html",
        "zh_Hans/ntrk-talk-clip.srt",
    )
    assert not (config.site_dir / "en" / "ntrk-talk-clip.html").exists()
    assert not (config.site_dir / "zh_Hans" / "ntrk-talk-clip.html").exists()
    assert "withheld en/ntrk-talk-clip: 1 entry changed since approval" in report.lines()
    # The unchanged article was carried over, not rendered again.
    assert [(p.slug, p.rendered) for p in report.published] == [("ntrk-inhibitors", False)]
    assert (config.site_dir / "en" / "ntrk-inhibitors.html").is_file()
    index = (config.site_dir / "en" / "index.html").read_text("utf-8")
    assert "ntrk-talk-clip" not in index and "ntrk-inhibitors.html" in index


def test_a_fuzzy_entry_is_never_published_whatever_the_verdict_says(config: Config) -> None:
    path = config.catalog_path("ntrk-talk-clip", "en")
    catalog = read_po_file(path)
    catalog.entries = [
        entry.with_flag("fuzzy") if "0.3%" in entry.msgid else entry for entry in catalog.entries
    ]
    write_po_file(path, catalog)

    report = publish_site(config, candidates(config))

    assert [w.slug for w in report.withheld] == ["ntrk-talk-asr", "ntrk-talk-clip"]
    assert report.withheld[1].reason == (
        "1 sentence(s) of the source have no finished translation in "
        "locales/en/LC_MESSAGES/ntrk-talk-clip.po (first: sources/ntrk-talk-clip.srt:13); run "
        "pipeline segment, then translate and approve them"
    )
    assert not (config.site_dir / "en" / "ntrk-talk-clip.srt").exists()


def test_a_failed_render_leaves_the_previous_site_whole(config: Config) -> None:
    publish_site(config, candidates(config))
    before = files_under(config.site_dir)
    target = os.readlink(config.site_dir)
    path = config.catalog_path("ntrk-inhibitors", "en")
    catalog = read_po_file(path)
    catalog.entries = [  # the bold markup's placeholder lost (the checks would refuse this)
        entry.replace(msgstr=entry.msgstr.replace("<1>fusion protein</1>", "fusion protein"))
        for entry in catalog.entries
    ]
    write_po_file(path, catalog)

    with pytest.raises(CatalogError, match="broken placeholders"):
        publish_site(config, candidates(config))

    assert os.readlink(config.site_dir) == target
    assert files_under(config.site_dir) == before
    leftovers = [p.name for p in config.root.iterdir() if p.name.startswith(".site.")]
    assert leftovers == [target]


def test_a_crashed_publish_leaves_debris_that_the_next_one_removes(config: Config) -> None:
    publish_site(config, candidates(config))
    debris = config.root / ".site.0123456789abcdef"
    (debris / "en").mkdir(parents=True)
    (debris / "en" / "half.html").write_text("<p>half", "utf-8")

    publish_site(config, candidates(config, ntrk_talk_clip="1 untranslated"))

    assert not debris.exists()
    assert len([p for p in config.root.iterdir() if p.name.startswith(".site.")]) == 1


@pytest.mark.parametrize("site", [".", "sources", "locales", ".."])
def test_the_site_folder_cannot_replace_the_project(config: Config, site: str) -> None:
    with pytest.raises(UsageError, match="choose a folder of its own"):
        publish_site(config, candidates(config), site=config.root / site)
    assert (config.root / "sources" / "ntrk-inhibitors.md").is_file()


def test_a_folder_that_was_not_published_is_never_replaced(config: Config) -> None:
    other = config.root / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(UsageError, match="holds files that pipeline publish did not write"):
        publish_site(config, candidates(config), site=other)
    assert (other / "notes.txt").read_text("utf-8") == "keep me"


def test_a_site_folder_from_an_older_publish_is_replaced_by_the_link(config: Config) -> None:
    publish_site(config, candidates(config))
    real = config.root / "copied-site"
    shutil.copytree(config.site_dir, real)  # e.g. a site folder restored from a backup

    publish_site(config, candidates(config, ntrk_talk_clip="1 untranslated"), site=real)

    assert real.is_symlink()
    assert not (real / "en" / "ntrk-talk-clip.html").exists()
    assert (real / "en" / "ntrk-inhibitors.html").is_file()


def test_bad_names_in_a_candidate_cannot_leave_the_site(config: Config) -> None:
    evil = Candidate(
        slug="../../escape",
        locale="en",
        source_path=config.sources_dir / "ntrk-inhibitors.md",
        catalog_path=config.catalog_path("ntrk-inhibitors", "en"),
        publishable=True,
    )
    with pytest.raises(UsageError, match="bad name"):
        publish_site(config, [evil])
    assert not (config.root.parent / "escape.html").exists()
    assert not config.site_dir.exists()


def test_references_in_a_catalog_never_choose_where_files_are_written(config: Config) -> None:
    path = config.catalog_path("ntrk-talk-clip", "en")
    catalog = read_po_file(path)
    catalog.entries = [
        entry.replace(references=("../../../../tmp/owned.html:1", "/etc/passwd:1"))
        for entry in catalog.entries
    ]
    write_po_file(path, catalog)

    publish_site(config, candidates(config))

    written = {
        str(p.relative_to(config.root))
        for p in config.root.rglob("*")
        if p.is_file() and p.stat().st_mtime > path.stat().st_mtime - 1
    }
    assert all(
        name.startswith((".site.", "locales/", "sources/", "glossary", "pyproject"))
        for name in written
    ), written
    assert not Path("/tmp/owned.html").exists()


def test_base_url_must_be_an_http_url(config: Config) -> None:
    (config.root / "pyproject.toml").write_text(
        '[tool.pipeline]\n\n[tool.pipeline.publish]\nbase_url = "javascript:alert(1)"\n', "utf-8"
    )
    with pytest.raises(UsageError, match="base_url in \\[tool.pipeline.publish\\] must be"):
        publish_site(load_config(config.root), candidates(config))
