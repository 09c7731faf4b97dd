"""Published pages in a real browser: XSS payloads render inert.

Payloads sit where hostile or careless hands put them: a translator's msgstr (a paragraph, a
heading, the front-matter title and description, a bold span and a link's text), raw HTML and
a ``javascript:`` link in the source article, and a glossary note. The article is approved by
a second person and published with the real CLI; headless Chromium (Debian's ``chromium``,
driven by Playwright) then opens every page while listening for dialogs (``alert``), console
errors and uncaught page errors. Any of them fails the test; the payload text must be shown
as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.approving import approve
from support.cli import main

from pipeline.config import load_config
from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SOURCE = """\
---
title: 钻石靶点
description: 关于NTRK融合基因的介绍。
date: 2026-10-18
---

# 钻石靶点

NTRK融合只占大约0.3%。

它的发生率最高可达**90%**。

详情见[试验登记](https://clinicaltrials.gov/search?term=NTRK)。

<div onclick="alert('source-div')">原文里的HTML<script>alert('source-script')</script></div>

<img alt="示意图" onerror="alert('source-img')" onload="alert('source-load')">

[点这里](javascript:alert('source-link'))
"""

GLOSSARY = """\
source_locale: zh_Hans
terms:
  - source: 钻石靶点
    target: {en: diamond target}
    note: <script>alert('glossary-note')</script><img src=x onerror=alert('note-img')>
"""

#: msgid -> the translator's msgstr, each carrying a payload.
TRANSLATIONS = {
    "钻石靶点": "The diamond target <script>alert('title')</script>",
    "关于NTRK融合基因的介绍。": "An introduction \"><img src=x onerror=alert('description')>",
    "NTRK融合只占大约0.3%。": (
        "NTRK fusions account for only about 0.3%. <script>alert('paragraph')</script>"
    ),
    "它的发生率最高可达<1>90%</1>。": (
        "Its frequency can be as high as <1>90%<img src=x onerror=alert('bold')></1>."
    ),
    "详情见<1>试验登记</1>。": (
        "See the <1>trial registry</1><a href=\"javascript:alert('link')\">here</a>."
    ),
    # markdown-it refuses the javascript: link, so the source line is text; so is this.
    "[点这里](javascript:alert('source-link'))": (
        "[Click here](javascript:alert('link-text')) <svg onload=alert('svg')>"
    ),
}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "xss.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', encoding="utf-8"
    )
    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(tmp_path), "segment"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "xss.po"
    catalog = read_po_file(path)
    assert {e.msgid for e in catalog.entries if not e.obsolete} == set(TRANSLATIONS)
    catalog.entries = [
        entry.replace(
            msgstr=TRANSLATIONS[entry.msgid],
            # Markup the source does not have is an error of the markup check; the reviser
            # accepted it here, so that the page is published and the renderer alone must
            # keep the text inert.
            flags=("ignore-markup",),
        )
        for entry in catalog.entries
    ]
    catalog.metadata["Last-Translator"] = "Mallory <mallory@example.org>"
    write_po_file(path, catalog)
    approve(load_config(tmp_path), "xss", "en", by="Tom Baker")
    result = runner.invoke(main, ["-C", str(tmp_path), "publish"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "site/en/xss.html: published" in result.output.splitlines(), result.output
    return tmp_path / "site"


@needs_chromium
def test_payloads_render_inert_in_headless_chromium(published: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    errors: list[str] = []
    pages = sorted(str(p.relative_to(published)) for p in published.rglob("*.html"))
    assert "en/xss.html" in pages and "zh_Hans/xss.html" in pages and "index.html" in pages
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()

            def on_dialog(dialog: object) -> None:
                dialogs.append(dialog.message)  # type: ignore[attr-defined]
                dialog.dismiss()  # type: ignore[attr-defined]

            page.on("dialog", on_dialog)
            page.on(
                "console",
                lambda message: errors.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: errors.append(str(error)))
            for name in pages:
                page.goto((published / name).resolve().as_uri())
                page.wait_for_load_state("load")
            page.goto((published / "en" / "xss.html").resolve().as_uri())
            body = page.inner_text("main")
            title = page.title()
            scripts = page.eval_on_selector_all("script", "nodes => nodes.length")
            handlers = page.eval_on_selector_all(
                "*",
                "nodes => nodes.flatMap(n => [...n.attributes].map(a => a.name))"
                ".filter(name => name.startsWith('on'))",
            )
            hrefs = page.eval_on_selector_all("a", "nodes => nodes.map(n => n.href)")
            page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
        finally:
            browser.close()

    assert dialogs == []
    assert errors == []
    assert scripts == 0 and handlers == []
    assert not [href for href in hrefs if href.lower().startswith("javascript:")]
    # The translator's payloads are shown as the text they are.
    assert "<script>alert('paragraph')</script>" in body
    assert "<img src=x onerror=alert('bold')>" in body
    assert title == "The diamond target <script>alert('title')</script>"
    # The source's own raw HTML keeps its text, never its script or handlers.
    # (nh3 keeps the div and its text, drops the script with its content and the handlers).
    assert "原文里的HTML" in body and "source-script" not in body
    assert (tmp_path / "xss.png").stat().st_size > 0
