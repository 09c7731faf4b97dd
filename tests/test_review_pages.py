"""`pipeline review`: bilingual sheets and a dashboard, rendered in headless Chromium.

The pages are opened from disk in Debian's chromium (driven by Playwright): they render,
log no console error, run no script, and show translator text (a ``<script>`` in a msgstr) as
text. A screenshot of each page is kept as a test artifact under the test's tmp_path, and
copied to ``$PIPELINE_TEST_ARTIFACTS`` when that variable names a folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from support.cli import main

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
)
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SOURCE = """\
# 拉罗替尼的疗效

在一项II期研究中，客观缓解率达到了89.1%，颅内客观缓解率为90.8%。

最常见的不良反应为1-2级头晕，发生率为3.04%。

对于出现TRKA G595R突变的患者，这是一个好消息。
"""
PAYLOAD = '<script>alert("xss")</script><img src=x onerror="alert(2)">'


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(project), *args])
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """One article: an approved entry, a translated one carrying an XSS payload and a number
    error, a draft, and a sentence changed after approval."""
    root = tmp_path / "content"
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "demo.md").write_text(SOURCE, "utf-8")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    (root / "pyproject.toml").write_text("[tool.pipeline]\n", "utf-8")
    assert run(root, "segment")[0] == 0
    po_path = root / "locales/en/LC_MESSAGES/demo.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "The efficacy of larotrectinib"
    po[1].msgstr = ("In a Phase 2 study, the objective response rate reached 89.1%, and the "
                    "intracranial objective response rate was 90.8%.")
    po[2].msgstr = f"The most common adverse reaction was dizziness in 3.4% {PAYLOAD}"
    po[3].msgstr = "For patients with the TRKA G595R mutation, this is good news."
    po.metadata["Last-Translator"] = "Zhang Wei"
    po.save()
    assert run(root, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 1  # 1 refused
    source = root / "sources" / "demo.md"
    source.write_text(source.read_text("utf-8").replace("这是一个好消息", "这无疑是一个好消息"),
                      "utf-8")
    assert run(root, "segment")[0] == 0
    return root


def test_review_writes_pages_under_the_state_folder_and_says_where(project: Path) -> None:
    code, out = run(project, "review")
    assert code == 0, out
    assert out.splitlines() == [
        "wrote .pipeline/review/en/demo.html",
        "wrote .pipeline/review/index.html (dashboard of 1 review sheet); open it in a browser",
    ]
    assert not (project / "site").exists()


def test_review_refuses_to_write_into_the_published_site(project: Path) -> None:
    code, out = run(project, "review", "--output", str(project / "site" / "review"))
    assert code == 2
    assert out == ("review pages hold unapproved text and must not go into the published site "
                   "(site); choose another --output folder\n")


def test_the_sheet_escapes_translator_text_and_marks_terms_and_numbers(project: Path) -> None:
    assert run(project, "review")[0] == 0
    html = (project / ".pipeline/review/en/demo.html").read_text("utf-8")
    assert PAYLOAD not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    assert '<mark class="number">89.1</mark>' in html
    assert '<mark class="term">objective response rate</mark>' in html
    assert '<mark class="term">客观缓解率</mark>' in html


@needs_chromium
def test_pages_render_in_chromium_without_errors_and_show_scripts_as_text(
    project: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    assert run(project, "review")[0] == 0
    pages = project / ".pipeline" / "review"
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                              dialog.dismiss()))

            page.goto((pages / "index.html").as_uri())
            dashboard = page.inner_text("body")
            assert "demo" in dashboard and "1 entry changed since approval" in dashboard
            assert page.locator(".bar span").count() == 3  # approved, translated, draft
            page.screenshot(path=str(tmp_path / "review-dashboard.png"), full_page=True)

            page.click("text=demo")
            assert page.url.endswith("/en/demo.html")
            rows = page.locator("tr.entry")
            assert rows.count() == 4  # document order
            states = [rows.nth(i).locator(".state").inner_text() for i in range(4)]
            assert states == ["approved", "approved", "translated", "changed since approval"]
            payload_row = rows.nth(2)
            assert PAYLOAD in payload_row.locator("td.translation").inner_text()
            assert "error: numbers" in payload_row.inner_text()
            assert page.locator("script").count() == 0 and page.locator("img").count() == 0
            changed = rows.nth(3)
            assert "previous source: 对于出现TRKA G595R突变的患者，这是一个好消息。" in (
                changed.inner_text())
            assert page.locator("td.source mark.number").first.inner_text() == "II"
            page.screenshot(path=str(tmp_path / "review-sheet.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []
    for name in ("review-dashboard.png", "review-sheet.png"):
        assert (tmp_path / name).stat().st_size > 10_000
        artifacts = os.environ.get("PIPELINE_TEST_ARTIFACTS")
        if artifacts:
            Path(artifacts).mkdir(parents=True, exist_ok=True)
            shutil.copy(tmp_path / name, Path(artifacts) / name)
