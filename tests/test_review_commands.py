"""`queue`, `status` and `approve` on one article in every state, through the installed
commands: most urgent work first, each item at the msgid line an editor jumps to; `approve`
changes nothing but approval comment lines; refusals as `path:line: reason`."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import polib
import pytest
from support.review_project import PO, run, translated_project

SOURCE = """\
# 拉罗替尼的疗效

在一项II期研究中，客观缓解率达到了89.1%，颅内客观缓解率为90.8%。

最常见的不良反应为1-2级头晕，发生率为3.04%。

对于出现TRKA G595R突变的患者，这是一个好消息。

中位缓解持续时间尚未达到。
"""
TRANSLATIONS = [
    "The efficacy of larotrectinib",
    "In a Phase 2 study, the objective response rate reached 89.1%, and the intracranial "
    "objective response rate was 90.8%.",
    "The most common adverse reaction was grade 1-2 dizziness, with an incidence of 3.04%.",
    "For patients with the TRKA G595R mutation, this is good news.",
    "The median duration of response has not been reached.",
]


def msgid_line(project: Path, msgid_start: str) -> int:
    lines = (project / PO).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f'msgid "{msgid_start}'))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return translated_project(tmp_path, source=SOURCE, translations=TRANSLATIONS)


def test_approve_changes_only_approval_comment_lines(project: Path) -> None:
    assert run(project, "segment")[0] == 0  # canonical form first, as the pipeline writes it
    before = (project / PO).read_text("utf-8").splitlines()
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert (code, out) == (0, f"{PO}: approved 5 entries as Li Na; 0 already approved; "
                              "0 refused\n")
    after = (project / PO).read_text("utf-8").splitlines()
    changed = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert len(changed) == 5
    assert all(line.startswith("+ # approved: by=Li%20Na at=") for line in changed)
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert (code, out) == (0, f"{PO}: approved 0 entries as Li Na; 5 already approved; "
                              "0 refused\n")
    assert (project / PO).read_text("utf-8").splitlines() == after


def test_approve_lists_refusals_at_their_msgid_lines(project: Path) -> None:
    po = polib.pofile(str(project / PO))
    po[2].msgstr = po[2].msgstr.replace("3.04%", "3.4%")  # a numbers error
    po[3].flags.append("fuzzy")
    po[4].msgstr = ""
    po.save()
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert code == 1
    assert out.splitlines() == [
        f"{PO}:{msgid_line(project, '最常见')}: not approved: error: numbers: source has 3.04, "
        "translation has 3.4; fix the translation or waive the check with a reason "
        "(# ignore-numbers: why)",
        f"{PO}:{msgid_line(project, '对于出现')}: not approved: draft (fuzzy); finish the "
        "translation and clear fuzzy first",
        f"{PO}:{msgid_line(project, '中位缓解')}: not approved: untranslated",
        f"{PO}: approved 2 entries as Li Na; 0 already approved; 3 refused",
    ]


def test_approve_rejects_an_unknown_entry_id_and_writes_nothing(project: Path) -> None:
    before = (project / PO).read_bytes()
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na",
                    "--entry", "s-000000000000")
    assert code == 2
    assert out == (f"{PO}: no entry 's-000000000000' in this catalog; entry ids are the msgctxt "
                   "values (`pipeline queue --for revise` shows where to look)\n")
    assert (project / PO).read_bytes() == before
    assert not (project / "locales/en/approvals.jsonl").exists()


def test_queue_puts_the_most_urgent_work_first(project: Path) -> None:
    assert run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 0
    source = project / "sources" / "demo.md"
    source.write_text(source.read_text("utf-8").replace("这是一个好消息", "这无疑是一个好消息"),
                      "utf-8")
    assert run(project, "segment")[0] == 0
    po = polib.pofile(str(project / PO))
    def starting(text: str) -> polib.POEntry:
        return next(entry for entry in po if entry.msgid.startswith(text))

    starting("拉罗").msgstr = ""  # the heading: untranslated
    lost = starting("在一项")
    lost.flags.append("fuzzy")
    lost.comment += "\nmt missing: number 90.8"  # what pretranslate writes on a lossy draft
    starting("最常见").flags.append("fuzzy")
    po.save()
    code, out = run(project, "queue")
    assert code == 0
    assert out.splitlines() == [
        f"{PO}:{msgid_line(project, '对于出现')}: changed since approval: 1 entry",
        f"{PO}:{msgid_line(project, '在一项')}: draft lost a term or number: 1 entry",
        f"{PO}:{msgid_line(project, '最常见')}: draft: 1 entry",
        f"{PO}:{msgid_line(project, '拉罗')}: untranslated: 1 entry",
    ]
    code, out = run(project, "queue", "--for", "revise")
    assert (code, out) == (0, "nothing to revise\n")
    document = json.loads(run(project, "queue", "--format", "json")[1])
    assert document["for"] == "translate"
    assert [item["kind"] for item in document["items"]] == [
        "changed since approval", "draft lost a term or number", "draft", "untranslated"]
    assert set(document["items"][0]) == {
        "path", "line", "slug", "locale", "kind", "count", "priority", "ids"}


def test_queue_for_revisers_lists_translated_entries_awaiting_approval(project: Path) -> None:
    assert run(project, "approve", "demo", "--locale", "en", "--by", "Li Na", "--entry",
               polib.pofile(str(project / PO))[0].msgctxt)[0] == 0
    code, out = run(project, "queue", "--for", "revise")
    assert (code, out) == (0, f"{PO}:{msgid_line(project, '在一项')}: awaiting approval: "
                              "4 entries\n")


def test_status_json_has_the_documented_shape(project: Path) -> None:
    code, out = run(project, "status", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert set(document) == {"catalogs", "issues", "second_person_rule", "reviewers", "logs",
                             "publishable", "notes"}
    assert document["catalogs"] == [{
        "slug": "demo", "locale": "en", "path": PO, "entries": 5, "untranslated": 0,
        "draft": 0, "translated": 5, "approved": 0, "changed_since_approval": 0, "errors": {},
        "forged": 0, "stale": 0, "malformed": 0, "self_approved": 0, "log_intact": True,
        "publishable": False, "blocking_reason": "5 awaiting approval",
    }]
    assert (document["second_person_rule"], document["publishable"]) == ("enforced", 0)
    assert document["logs"] == {
        "en": {"path": "locales/en/approvals.jsonl", "records": 0, "intact": True}}


def test_status_prints_plain_lines_in_logs_and_exits_0_when_not_publishable(
    project: Path,
) -> None:
    po = polib.pofile(str(project / PO))
    po[2].msgstr = po[2].msgstr.replace("3.04%", "3.4%")
    po.save()
    assert run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 1
    code, out = run(project, "status")
    assert code == 0
    assert out.splitlines()[0] == (
        f"{PO}: demo [en]: 4/5 approved, 1 translated, 0 draft, 0 untranslated, 1 error; "
        "not publishable: 1 error: numbers"
    )


def test_approving_a_waived_finding_records_it_in_the_log(project: Path) -> None:
    po = polib.pofile(str(project / PO))
    po[2].msgstr = po[2].msgstr.replace("3.04%", "3.4%")
    po[2].tcomment = "ignore-numbers: the source misprints 3.4 (confirmed with the author)"
    po.save()
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert code == 0, out
    record = json.loads((project / "locales/en/approvals.jsonl").read_text("utf-8"))
    assert record["waived"] == [{
        "id": po[2].msgctxt, "check": "numbers",
        "message": "source has 3.04, translation has 3.4",
        "note": "the source misprints 3.4 (confirmed with the author)",
    }]
    text = (project / PO).read_text("utf-8")
    assert "# ignore-numbers: the source misprints 3.4 (confirmed with the author)\n# approved:" \
        in text
    assert json.loads(run(project, "status", "--format", "json")[1])["catalogs"][0][
        "publishable"] is True


def test_status_draws_a_table_for_people_at_a_terminal(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.config import load_config
    from pipeline.review.project import load_review
    from pipeline.review.report import status_table

    monkeypatch.setenv("COLUMNS", "160")
    status_table(load_review(load_config(project)))
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "article" in line)
    assert header.split() == ["┃", "article", "┃", "locale", "┃", "approved", "┃", "translated",
                              "┃", "draft", "┃", "untranslated", "┃", "errors", "┃",
                              "publishable", "┃"]
    row = next(line for line in out.splitlines() if "demo" in line)
    assert row.split() == ["│", "demo", "│", "en", "│", "0/5", "│", "5", "│", "0", "│", "0",
                           "│", "0", "│", "no:", "5", "awaiting", "approval", "│"]


def test_a_translation_with_a_hidden_bidi_override_is_refused_and_shown_on_the_sheet(
    project: Path,
) -> None:
    """"Trojan Source" in a msgstr: the text displays in another order than it reads, so
    `approve` refuses it and the review sheet shows the invisible character as U+202E."""
    po = polib.pofile(str(project / PO))
    po[1].msgstr = po[1].msgstr.replace("89.1%", "\u202e%1.98\u202c")
    po.save()
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{PO}:{msgid_line(project, '在一项')}: not approved: the translation holds the "
        "invisible bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE), which makes it "
        "display in another order than it reads; delete it"
    )
    assert run(project, "review")[0] == 0
    html = (project / ".pipeline/review/en/demo.html").read_text("utf-8")
    assert '<mark class="invisible">U+202E</mark>' in html
    assert '<mark class="invisible">U+202C</mark>' in html
    assert "\u202e" not in html
