"""`pipeline review`: bilingual sheets and a dashboard, rendered in headless Chromium.

The pages are opened from disk in Debian's chromium (driven by Playwright): they render,
log no console error, run no script, and show translator text (a ``<script>`` in a msgstr) as
text. A screenshot of each page is kept as a test artifact under the test's tmp_path, and
copied to ``$PIPELINE_TEST_ARTIFACTS`` when that variable names a folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner
from support.cli import main
from support.example import clone_example

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
)
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium_page(problems: list[str]) -> Iterator[Any]:
    """A page of headless Chromium whose console errors, page errors and dialogs (dismissed)
    are collected in ``problems``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "dialog",
                lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
            )
            yield page
        finally:
            browser.close()


def keep_screenshot(path: Path) -> None:
    """A screenshot is a real image; copied to $PIPELINE_TEST_ARTIFACTS when set."""
    assert path.stat().st_size > 10_000
    artifacts = os.environ.get("PIPELINE_TEST_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(artifacts) / path.name)
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
    assert run(project, "review")[0] == 0
    pages = project / ".pipeline" / "review"
    problems: list[str] = []
    with chromium_page(problems) as page:
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
    assert problems == []
    for name in ("review-dashboard.png", "review-sheet.png"):
        keep_screenshot(tmp_path / name)


# --- dictionary hints ---------------------------------------------------------------------------

HINT_RE = re.compile(r'<li><span class="hint-word">([^<]*)</span> — ([^<]*)</li>')


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the shipped example: two approved English articles and the untranslated
    transcript (ntrk-talk-asr)."""
    return clone_example(tmp_path / "clone")


def entry_id(project: Path, slug: str, msgid: str) -> str:
    po = polib.pofile(str(project / f"locales/en/LC_MESSAGES/{slug}.po"))
    return str(po.find(msgid).msgctxt)


def sheet_row(project: Path, slug: str, msgid: str) -> str:
    """The HTML of one entry's row in the sheet that `pipeline review` wrote."""
    html = (project / f".pipeline/review/en/{slug}.html").read_text("utf-8")
    start = html.index(f'<tr id="{entry_id(project, slug, msgid)}"')
    return html[start : html.index("</tr>", start)]


ARTICLE = "ntrk-inhibitors"
FREQUENCY = "在婴儿纤维肉瘤、分泌性乳腺癌等少见肿瘤中，它的发生率最高可达90%。"
BARRIER = ("大脑有一道天然屏障，叫作<1>血脑屏障</1>，它能挡住有害物质，也会把很多化疗药和"
           "大分子药物挡在外面，所以脑转移一直很难治疗。")
PRICE = ("新上市的靶向药物往往价格不菲，而符合条件的患者可以通过参加临床试验免费用上这类"
         "新药。")


def test_the_sheet_lists_dictionary_hints_of_source_words_no_check_reads(example: Path) -> None:
    assert run(example, "review")[0] == 0
    row = sheet_row(example, ARTICLE, FREQUENCY)
    # "its frequency": CC-CEDICT's one sense of 发生率 is not there. Not listed: the glossary
    # terms (婴儿纤维肉瘤, 分泌性乳腺癌), the contrast lexicon's 少见 (the coverage check
    # reads it), the quantity 最高可达90% and the grammatical 它的.
    assert HINT_RE.findall(row) == [("发生率", "rate of occurrence")]
    assert ('<div class="t">在<mark class="term">婴儿纤维肉瘤</mark>、'
            '<mark class="term">分泌性乳腺癌</mark>等少见肿瘤中，它的'
            '<mark class="hint">发生率</mark>最高可达<mark class="number">90</mark>%。</div>'
            ) in row
    assert "Dictionary hints (CC-CEDICT; not checked):" in row
    assert 'class="finding' not in row  # a hint is not a finding
    # 缓解 inside the glossary term 颅内客观缓解率 is the glossary's business: no hint.
    row = sheet_row(example, ARTICLE, "在有脑转移的患者中，它的颅内客观缓解率达到了100%。")
    assert 'class="hints"' not in row and 'class="hint"' not in row


def test_a_word_the_translation_dropped_is_hinted_and_never_a_finding(example: Path) -> None:
    po_path = example / "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
    po = polib.pofile(str(po_path))
    entry = po.find(BARRIER)
    assert "keeps out harmful substances" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("harmful substances", "substances")
    po.save()
    code, out = run(example, "check", ARTICLE)
    assert code == 0 and "有害" not in out, out
    assert run(example, "review")[0] == 0
    assert HINT_RE.findall(sheet_row(example, ARTICLE, BARRIER)) == [
        ("叫作", "to call; to be called"),
        ("挡住", "to obstruct"),
        ("有害", "destructive; harmful; damaging"),
        ("大分子", "macromolecule (chemistry)"),
    ]
    # The edit voided the approval (1 awaiting approval); no hint adds an error anywhere.
    code, out = run(example, "status", "--format", "json")
    catalog = next(c for c in json.loads(out)["catalogs"] if c["slug"] == ARTICLE)
    assert (catalog["errors"], catalog["translated"], catalog["blocking_reason"]) == (
        {}, 1, "1 awaiting approval")


def test_the_sheet_lists_five_hints_and_counts_the_others(example: Path) -> None:
    assert run(example, "review")[0] == 0
    row = sheet_row(example, ARTICLE, PRICE)
    assert HINT_RE.findall(row) == [
        ("上市", "to hit the market (of a new product); to float (a company on the stock market)"),
        ("往往", "usually; in many cases; more often than not"),
        ("价格", "price"),
        ("不菲", "considerable (cost etc); bountiful (crop etc); high (social status etc)"),
        ("符合", "in keeping with; in accordance with; tallying with"),
    ]
    assert '<span class="small">and 2 more, dotted in the source</span>' in row
    assert re.findall(r'<mark class="hint">([^<]*)</mark>', row) == [
        "上市", "往往", "价格", "不菲", "符合", "条件", "这类"]


def test_untranslated_entries_get_no_dictionary_hints(example: Path) -> None:
    po_path = example / "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
    po = polib.pofile(str(po_path))
    po.find(FREQUENCY).msgstr = ""
    po.save()
    assert run(example, "review")[0] == 0
    row = sheet_row(example, ARTICLE, FREQUENCY)
    assert 'class="entry untranslated"' in row
    assert 'class="hints"' not in row and '<mark class="hint">' not in row
    assert HINT_RE.findall(sheet_row(example, ARTICLE, BARRIER))[0] == (
        "叫作", "to call; to be called")
    # The transcript: 22 untranslated entries, none with a hint; its one draft (a TM
    # suggestion, fuzzy) has a translation to compare, so it has hints.
    html = (example / ".pipeline/review/en/ntrk-talk-asr.html").read_text("utf-8")
    rows = re.findall(r'<tr id="[^"]*" class="entry (\w+)">(.*?)</tr>', html, re.S)
    assert [state for state, _ in rows].count("untranslated") == 22
    assert [(state, HINT_RE.findall(row)) for state, row in rows if 'class="hints"' in row] == [
        ("draft", [("附属", "subsidiary; auxiliary; attached"), ("肿瘤", "tumor"),
                   ("医院", "hospital")])
    ]


@needs_chromium
def test_hints_show_in_chromium_apart_from_findings(example: Path, tmp_path: Path) -> None:
    po_path = example / "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
    po = polib.pofile(str(po_path))
    po.find(BARRIER).msgstr = po.find(BARRIER).msgstr.replace("harmful substances", "substances")
    po.find(FREQUENCY).msgstr = po.find(FREQUENCY).msgstr.replace("90%", "19%")  # an error
    po.save()
    assert run(example, "review")[0] == 0
    pages = example / ".pipeline" / "review"
    problems: list[str] = []
    with chromium_page(problems) as page:
        page.goto((pages / "en" / f"{ARTICLE}.html").as_uri())
        barrier = page.locator(f"#{entry_id(example, ARTICLE, BARRIER)}")
        hints = barrier.locator(".hints")
        assert hints.is_visible()
        assert hints.inner_text().splitlines() == [
            "Dictionary hints (CC-CEDICT; not checked):",
            "叫作 — to call; to be called",
            "挡住 — to obstruct",
            "有害 — destructive; harmful; damaging",
            "大分子 — macromolecule (chemistry)",
        ]
        marked = barrier.locator("td.source mark.hint")
        assert marked.all_inner_texts() == ["叫作", "挡住", "有害", "大分子"]
        assert barrier.locator(".finding").count() == 0
        # The entry with the wrong number: its error is a finding, its hint is not.
        frequency = page.locator(f"#{entry_id(example, ARTICLE, FREQUENCY)}")
        assert frequency.locator(".finding").all_inner_texts() == [
            frequency.locator(".finding.error").inner_text()
        ]
        assert frequency.locator(".finding").first.inner_text().startswith("error: numbers")
        assert frequency.locator(".hints li").all_inner_texts() == [
            "发生率 — rate of occurrence"
        ]
        # A hint looks unlike a finding: grey, not the error's red or the warning's brown.
        colour = hints.evaluate("e => getComputedStyle(e).color")
        error = frequency.locator(".finding.error").evaluate("e => getComputedStyle(e).color")
        assert (colour, error) == ("rgb(75, 85, 99)", "rgb(165, 17, 17)")
        meta = page.locator("p.meta").inner_text()
        assert "not publishable: 1 error: numbers" in meta, meta
        page.screenshot(path=str(tmp_path / "review-hints.png"), full_page=True)
    assert problems == []
    keep_screenshot(tmp_path / "review-hints.png")
