"""Adversarial cases for approval: forged comments, tampered logs, hostile names, and two
revisers approving at the same moment. Each test names the attack it defeats (SECURITY.md
cites them). Everything goes through the installed commands and real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from support.review_project import PO, TRANSLATOR, run, translated_project

from pipeline.po.read import read_po_file
from pipeline.review import content_hash, parse_approvals

SOURCE = """\
# 拉罗替尼的疗效

在一项II期研究中，客观缓解率达到了89.1%，颅内客观缓解率为90.8%。

最常见的不良反应为1-2级头晕，发生率为3.04%。

对于出现TRKA G595R突变的患者，这是一个好消息。
"""
TRANSLATIONS = [
    "The efficacy of larotrectinib",
    "In a Phase 2 study, the objective response rate reached 89.1%, and the intracranial "
    "objective response rate was 90.8%.",
    "The most common adverse reaction was grade 1-2 dizziness, with an incidence of 3.04%.",
    "For patients with the TRKA G595R mutation, this is good news.",
]
LOG = "locales/en/approvals.jsonl"


def status(project: Path) -> dict[str, object]:
    code, out = run(project, "status", "--format", "json")
    assert code == 0, out
    row: dict[str, object] = json.loads(out)["catalogs"][0]
    return row


def demo_project(root: Path, pyproject: str = "[tool.pipeline]\n") -> Path:
    """One article, translated (not fuzzy) by TRANSLATOR, nothing approved yet."""
    return translated_project(
        root, source=SOURCE, translations=TRANSLATIONS, pyproject=pyproject
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Translated by Zhang Wei and approved by Li Na: publishable."""
    root = demo_project(tmp_path / "content")
    code, out = run(root, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert code == 0, out
    assert status(root)["publishable"] is True
    return root


def comment_lines(project: Path) -> list[int]:
    """The line numbers of the approval comments in the catalog."""
    lines = (project / PO).read_text("utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if line.startswith("# approved:")]


def test_forged_comment_copied_onto_another_entry_counts_for_nothing(project: Path) -> None:
    """Copying a valid approval comment from an approved entry onto another entry (whose own
    approval was removed) does not approve the other entry."""
    text = (project / PO).read_text("utf-8")
    first, second = [line for line in text.splitlines() if line.startswith("# approved:")][:2]
    (project / PO).write_text(text.replace(second, first), "utf-8")
    row = status(project)
    assert (row["approved"], row["translated"], row["stale"]) == (3, 1, 1)
    assert row["publishable"] is False
    assert row["blocking_reason"] == "1 awaiting approval"


def test_forged_comment_with_an_invented_stamp_is_an_error_in_check_and_audit(
    project: Path,
) -> None:
    """A translator edits an approved sentence and writes a fresh approval comment with the
    correct hash of the new text (anyone can compute a SHA-256) but no log record."""
    po = polib.pofile(str(project / PO))
    entry = po[2]
    entry.msgstr = entry.msgstr.replace("grade 1-2 dizziness", "mild dizziness (grade 1-2)")
    edited = next(e for e in read_po_file(project / PO).active if e.msgctxt == entry.msgctxt)
    fixed = edited.replace(msgstr=entry.msgstr)
    entry.tcomment = (
        f"approved: by=Li%20Na at=2026-12-07T09:00:00Z sha256={content_hash(fixed)}"
    )
    po.save()
    line = comment_lines(project)[2]
    row = status(project)
    assert (row["approved"], row["forged"], row["publishable"]) == (3, 1, False)
    assert row["blocking_reason"] == "1 forged approval"
    code, out = run(project, "check")
    assert code == 1
    assert f"{PO}:{line}: error: approval: approval comment has no matching record" in out
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{PO}:{line}: approval comment of {entry.msgctxt} has no record in {LOG} (forged, or "
        "the record was lost)"
    )


def test_forged_comment_reusing_a_real_stamp_for_edited_text_is_stale(project: Path) -> None:
    """Keeping the logged comment but editing the translation: the hash no longer matches."""
    po = polib.pofile(str(project / PO))
    po[1].msgstr = po[1].msgstr.replace("89.1%", "98.1%")
    po.save()
    row = status(project)
    assert (row["approved"], row["translated"], row["stale"]) == (3, 1, 1)
    code, out = run(project, "audit")
    assert code == 0  # a stale approval is work for a reviser, not a broken record
    line = comment_lines(project)[1]
    assert f"note: {PO}:{line}: approval of " in out
    assert "is stale (given for other text: the translation or its source changed since); it " \
        "needs approving again" in out


def test_approval_record_of_another_article_does_not_approve_this_one(tmp_path: Path) -> None:
    """The log is per locale; a stamp recorded for one slug does not vouch for another."""
    root = demo_project(tmp_path / "content")
    (root / "sources" / "copy.md").write_text(SOURCE, "utf-8")
    assert run(root, "segment")[0] == 0
    assert run(root, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 0
    demo = (root / PO).read_text("utf-8")
    copy = polib.pofile(str(root / "locales/en/LC_MESSAGES/copy.po"))
    copy_text = (root / "locales/en/LC_MESSAGES/copy.po").read_text("utf-8")
    # Same msgctxt (segment ids come from the text), so the same content hash: paste the
    # approval comments of demo.po into copy.po.
    assert {e.msgctxt for e in copy} == {e.msgctxt for e in polib.pofile(str(root / PO))}
    forged = polib.pofile(str(root / PO))
    forged.save(str(root / "locales/en/LC_MESSAGES/copy.po"))
    assert (root / "locales/en/LC_MESSAGES/copy.po").read_text("utf-8") != copy_text
    code, out = run(root, "status", "--format", "json")
    rows = {row["slug"]: row for row in json.loads(out)["catalogs"]}
    assert rows["demo"]["approved"] == 4 and rows["copy"]["approved"] == 0
    assert rows["copy"]["forged"] == 4
    assert run(root, "audit")[0] == 1
    assert (root / PO).read_text("utf-8") == demo


def test_editing_a_record_in_the_middle_of_the_log_breaks_the_chain(project: Path) -> None:
    """Rewriting who approved (or any field) of an earlier record is caught at the next line."""
    po = polib.pofile(str(project / PO))
    po[0].msgstr = "Efficacy of larotrectinib"
    po.save()
    assert run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 0
    records = (project / LOG).read_text("utf-8").splitlines(keepends=True)
    assert len(records) == 2
    tampered = records[0].replace('"by":"Li Na"', '"by":"Wang Fang"')
    (project / LOG).write_text(tampered + records[1], "utf-8")
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{LOG}:2: hash chain broken: prev does not match line 1 (a record was edited, "
        "reordered or deleted); restore the log from git"
    )
    row = status(project)
    assert (row["publishable"], row["log_intact"]) == (False, False)
    assert row["blocking_reason"] == f"audit log broken at {LOG}:2"


def test_reordered_records_break_the_chain(project: Path) -> None:
    po = polib.pofile(str(project / PO))
    po[0].msgstr = "Efficacy of larotrectinib"
    po.save()
    assert run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 0
    first, second = (project / LOG).read_text("utf-8").splitlines(keepends=True)
    (project / LOG).write_text(second + first, "utf-8")
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{LOG}:1: hash chain broken: prev does not match the first record (a record was "
        "edited, reordered or deleted); restore the log from git"
    )


def test_a_deleted_log_voids_every_approval_and_audit_fails(project: Path) -> None:
    (project / LOG).unlink()
    row = status(project)
    assert (row["approved"], row["translated"], row["forged"]) == (0, 4, 4)
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[-1] == (
        "audited 0 log records, 4 approval comments in 1 catalog: 4 problems"
    )


def test_a_truncated_last_record_is_reported_and_approve_refuses_to_extend_it(
    project: Path,
) -> None:
    data = (project / LOG).read_bytes()
    (project / LOG).write_bytes(data[:-20])  # an interrupted append, or a hand edit
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{LOG}:1: the last record is incomplete (no final newline): an append was "
        "interrupted or the file was edited; restore the log from git"
    )
    po = polib.pofile(str(project / PO))
    po[0].msgstr = "Efficacy of larotrectinib"
    po.save()
    before = (project / PO).read_bytes()
    code, out = run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")
    assert code == 1
    assert out == (
        f"{LOG}:1: the audit log is broken (the last record is incomplete (no final newline): "
        "an append was interrupted or the file was edited; restore the log from git); run "
        "`pipeline audit`\n"
    )
    assert (project / PO).read_bytes() == before


@pytest.mark.parametrize(
    "name",
    [
        "Li Na sha256=" + "0" * 64,
        "李娜 <li.na@example.org>",
        "x at=2020-01-01T00:00:00Z by=Zhang%20Wei",
        "O'Brien (QA) <ob@example.org>",
    ],
)
def test_a_name_that_looks_like_fields_cannot_inject_into_the_comment(
    tmp_path: Path, name: str
) -> None:
    root = demo_project(tmp_path / "content")
    code, out = run(root, "approve", "demo", "--locale", "en", "--by", name)
    assert code == 0, out
    stamps = {a for e in read_po_file(root / PO).active for a in parse_approvals(
        e.translator_comments)}
    assert {(stamp.by, stamp.at) for stamp in stamps} == {
        (name, json.loads((root / LOG).read_text("utf-8"))["at"])}
    assert status(root)["approved"] == 4
    assert run(root, "audit")[0] == 0


def test_the_translator_cannot_approve_under_another_spelling_of_their_name(
    tmp_path: Path,
) -> None:
    root = demo_project(tmp_path / "content")
    before = (root / PO).read_bytes()
    for spelling in ("zhang wei", "ZHANG.WEI@example.org", "Zhang  Wei <zhang.wei@example.org>"):
        code, out = run(root, "approve", "demo", "--locale", "en", "--by", spelling)
        assert code == 2, out
        assert "is this catalog's Last-Translator" in out
    assert (root / PO).read_bytes() == before and not (root / LOG).exists()


def test_only_listed_reviewers_may_approve(tmp_path: Path) -> None:
    root = demo_project(
        tmp_path / "content",
        '[tool.pipeline]\n[tool.pipeline.review]\nreviewers = ["Li Na <li.na@example.org>"]\n',
    )
    code, out = run(root, "approve", "demo", "--locale", "en", "--by", "Wang Fang")
    assert code == 2
    assert out == (
        f"{PO}: 'Wang Fang' is not a listed reviewer (reviewers: Li Na <li.na@example.org>); "
        "ask one of them, or add the name to reviewers in [tool.pipeline.review]\n"
    )
    assert not (root / LOG).exists()
    code, out = run(root, "approve", "demo", "--locale", "en", "--by", "li.na@example.org")
    assert code == 0, out


def test_a_relaxed_second_person_rule_is_recorded_in_the_log_and_shown(tmp_path: Path) -> None:
    root = demo_project(
        tmp_path / "content",
        "[tool.pipeline]\n[tool.pipeline.review]\nrequire_second_person = false\n",
    )
    code, out = run(root, "approve", "demo", "--locale", "en", "--by", TRANSLATOR)
    assert code == 0
    assert out == (
        f"{PO}: approved 4 entries as {TRANSLATOR}; 0 already approved; 0 refused "
        "(self-approved: second-person rule relaxed in [tool.pipeline.review])\n"
    )
    record = json.loads((root / LOG).read_text("utf-8"))
    assert (record["second_person"], record["self_approved"], record["last_translator"]) == (
        "relaxed", True, TRANSLATOR)
    row = status(root)
    assert (row["approved"], row["self_approved"], row["publishable"]) == (4, 4, True)
    code, out = run(root, "status")
    assert out.splitlines() == [
        f"{PO}: demo [en]: 4/4 approved, 0 translated, 0 draft, 0 untranslated, 4 self-approved;"
        " publishable",
        "note: glossary.yaml not found: the glossary and forbidden checks had no terms, dnt "
        "checked identifiers only",
        "note: the second-person rule is relaxed ([tool.pipeline.review] require_second_person "
        "= false): translators may approve their own work",
    ]
    assert json.loads(run(root, "status", "--format", "json")[1])["second_person_rule"] == (
        "relaxed")


def test_concurrent_approves_by_two_revisers_lose_no_approval(tmp_path: Path) -> None:
    """Two revisers approve different entries at the same moment, in two processes: the
    project lock serialises them, so both approvals reach the catalog and the log, and the
    chain stays whole (without the lock the second write would drop the first's comments)."""
    root = demo_project(tmp_path / "content")
    ids = [entry.msgctxt for entry in read_po_file(root / PO).active]
    assert all(ids)
    halves = [ids[:2], ids[2:]]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline", "-C", str(root), "approve", "demo", "--locale",
             "en", "--by", by, *(arg for ident in half for arg in ("--entry", str(ident)))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for by, half in zip(("Li Na", "Wang Fang"), halves, strict=True)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert sorted(out for out, _err in results) == [
        f"{PO}: approved 2 entries as Li Na; 0 already approved; 0 refused\n",
        f"{PO}: approved 2 entries as Wang Fang; 0 already approved; 0 refused\n",
    ]
    records = [json.loads(line) for line in (root / LOG).read_text("utf-8").splitlines()]
    assert len(records) == 2 and records[1]["prev"] is not None
    assert sorted(e["id"] for r in records for e in r["entries"]) == sorted(ids)
    row = status(root)
    assert (row["approved"], row["publishable"]) == (4, True)
    assert run(root, "audit")[0] == 0


def test_the_same_approve_run_twice_at_once_writes_one_record(tmp_path: Path) -> None:
    root = demo_project(tmp_path / "content")
    command = [sys.executable, "-m", "pipeline", "-C", str(root), "approve", "demo",
               "--locale", "en", "--by", "Li Na"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = sorted(process.communicate(timeout=120)[0] for process in processes)
    assert [process.returncode for process in processes] == [0, 0]
    assert outputs == [
        f"{PO}: approved 0 entries as Li Na; 4 already approved; 0 refused\n",
        f"{PO}: approved 4 entries as Li Na; 0 already approved; 0 refused\n",
    ]
    assert len((root / LOG).read_text("utf-8").splitlines()) == 1
    assert run(root, "audit")[0] == 0


def test_the_memory_ranks_by_review_rule_and_drops_approvals_when_the_log_goes(
    project: Path,
) -> None:
    """The TM asks review's one rule; a catalog whose bytes are unchanged is re-fed when the
    log changes, so deleting the log (every approval forged) demotes its units."""
    from pipeline.config import load_config
    from pipeline.review import approval_rule
    from pipeline.tm import open_memory, sync_catalogs

    config = load_config(project)
    with open_memory(config) as memory:
        assert sync_catalogs(memory, config, approval=approval_rule(config)) == 1
        assert {unit.status for unit in memory.units()} == {"approved"}
        assert sync_catalogs(memory, config, approval=approval_rule(config)) == 0
        (project / LOG).unlink()
        assert sync_catalogs(memory, config, approval=approval_rule(config)) == 1
        assert {unit.status for unit in memory.units()} == {"translated"}


def append_by_hand(project: Path, **fields: object) -> None:
    """Append a record as a forger would: copy the last one, change fields, chain it right."""
    import hashlib

    lines = (project / LOG).read_bytes().splitlines()
    record = json.loads(lines[-1])
    record.update(fields, prev=hashlib.sha256(lines[-1]).hexdigest())
    line = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with (project / LOG).open("a", encoding="utf-8") as stream:
        stream.write(line + "\n")


def test_a_record_appended_by_hand_for_the_translators_own_work_breaks_the_log(
    project: Path,
) -> None:
    """The translator edits a sentence, stamps it and appends a correctly chained record
    naming themselves: `approve` would have refused, so the record is a break."""
    po = polib.pofile(str(project / PO))
    po[3].msgstr = "For patients with the TRKA G595R mutation, this is great news."
    stamp_at = "2026-12-07T10:00:00Z"
    edited = next(e for e in read_po_file(project / PO).active if e.msgctxt == po[3].msgctxt)
    digest = content_hash(edited.replace(msgstr=po[3].msgstr))
    po[3].tcomment = f"approved: by=Zhang%20Wei%20%3Czhang.wei%40example.org%3E at={stamp_at} " \
        f"sha256={digest}"
    po.save()
    append_by_hand(project, by=TRANSLATOR, at=stamp_at,
                   entries=[{"id": po[3].msgctxt, "sha256": digest}])
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{LOG}:2: record says '{TRANSLATOR}' approved their own translation (Last-Translator "
        f"'{TRANSLATOR}') under the second-person rule, which `pipeline approve` refuses: the "
        "record was written by hand; restore the log from git"
    )
    row = status(project)
    assert (row["publishable"], row["approved"]) == (False, 3)
    assert row["blocking_reason"] == f"audit log broken at {LOG}:2"


def test_a_record_whose_self_approved_flag_was_edited_breaks_the_log(project: Path) -> None:
    po = polib.pofile(str(project / PO))
    po[0].msgstr = "Efficacy of larotrectinib"
    po.save()
    assert run(project, "approve", "demo", "--locale", "en", "--by", "Li Na")[0] == 0
    append_by_hand(project, self_approved=True)
    code, out = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{LOG}:3: record's self_approved (true) contradicts its approver and Last-Translator: "
        "the record was written or edited by hand; restore the log from git"
    )
