"""The one definition of "approved": content hash, approval comment, states, audit log chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.po.catalog import Entry
from pipeline.review import (
    Approval,
    ApprovalProblem,
    ApprovalRecord,
    ApprovedEntry,
    EntryState,
    Ledger,
    content_hash,
    entry_state,
    format_approval,
    is_approved,
    parse_approvals,
    read_log,
    review_entry,
)
from pipeline.review.log import append_record
from pipeline.review.state import without_approvals

AT = "2026-12-06T13:00:00Z"
ENTRY = Entry(
    msgctxt="s-0a1b2c3d4e5f",
    msgid="二代TRK抑制剂对G595R突变的客观缓解率为89.1%。",
    msgstr="Second-generation TRK inhibitors achieved an objective response rate of 89.1% "
    "against the G595R mutation.",
)


def approved(entry: Entry, by: str = "Li Na") -> tuple[Entry, Ledger]:
    stamp = Approval(by=by, at=AT, sha256=content_hash(entry))
    ledger = Ledger(stamps={(by, AT, stamp.sha256): frozenset({entry.msgctxt or ""})},
                    approved_ids=frozenset({entry.msgctxt or ""}))
    return entry.replace(translator_comments=(format_approval(stamp),)), ledger


def test_hash_covers_content_only() -> None:
    dressed = ENTRY.replace(
        flags=("ignore-numbers",), references=("sources/a.md:3",),
        extracted_comments=("paragraph",), translator_comments=("checked twice",), lineno=40,
    )
    assert content_hash(dressed) == content_hash(ENTRY)


@pytest.mark.parametrize(
    "change",
    [
        {"msgstr": ENTRY.msgstr.replace("89.1%", "98.1%")},
        {"msgctxt": "s-ffffffffffff"},
        {"msgctxt": None},
        {"msgid": ENTRY.msgid.replace("89.1", "98.1")},
        {"msgid_plural": ENTRY.msgid, "msgstr_plural": (ENTRY.msgstr, ENTRY.msgstr)},
    ],
)
def test_any_content_change_changes_the_hash(change: dict[str, object]) -> None:
    assert content_hash(ENTRY.replace(**change)) != content_hash(ENTRY)


def test_no_two_splits_of_the_same_characters_hash_alike() -> None:
    assert content_hash(Entry(msgctxt="ab", msgid="c", msgstr="d")) != content_hash(
        Entry(msgctxt="a", msgid="bc", msgstr="d")
    )
    assert content_hash(Entry(msgctxt="", msgid="x", msgstr="y")) != content_hash(
        Entry(msgctxt=None, msgid="x", msgstr="y")
    )


def test_the_comment_round_trips_a_name_with_spaces_and_an_email() -> None:
    stamp = Approval(by="Li Na <li.na@example.org>", at=AT, sha256="a" * 64)
    text = format_approval(stamp)
    assert text == f"approved: by=Li%20Na%20<li.na@example.org> at={AT} sha256={'a' * 64}"
    assert parse_approvals([text]) == (stamp,)


def test_an_approval_wrapped_over_two_comment_lines_by_babel_still_parses() -> None:
    stamp = Approval(by="bob", at=AT, sha256="b" * 64)
    first, _, rest = format_approval(stamp).rpartition(" ")
    assert parse_approvals(["keep this note", first, rest]) == (stamp,)
    assert without_approvals(("keep this note", first, rest)) == ("keep this note",)


@pytest.mark.parametrize(
    "comment",
    [
        "approved: by=bob at=2026-12-06 sha256=" + "a" * 64,  # not UTC ISO time
        "approved: by=bob at=2026-12-06T13:00:00Z sha256=abc",  # short hash
        "approved: at=2026-12-06T13:00:00Z sha256=" + "a" * 64,  # nobody
        "approved: yes",
    ],
)
def test_a_malformed_approval_counts_for_nothing_and_is_reported(comment: str) -> None:
    review = review_entry(ENTRY.replace(translator_comments=(comment,)))
    assert review.state is EntryState.TRANSLATED
    assert review.problems == ((0, ApprovalProblem.MALFORMED),)


def test_states_from_text_comment_and_log() -> None:
    entry, ledger = approved(ENTRY)
    assert entry_state(ENTRY.replace(msgstr="")) is EntryState.UNTRANSLATED
    assert entry_state(ENTRY.with_flag("fuzzy")) is EntryState.DRAFT
    assert entry_state(ENTRY) is EntryState.TRANSLATED
    assert entry_state(entry, ledger) is EntryState.APPROVED
    assert is_approved(entry, ledger)


def test_a_right_hash_without_its_log_record_is_forged() -> None:
    entry, _ledger = approved(ENTRY)
    review = review_entry(entry, Ledger())
    assert review.state is EntryState.TRANSLATED
    assert review.problems == ((0, ApprovalProblem.FORGED),)


def test_an_edit_after_approval_voids_it_as_stale() -> None:
    entry, ledger = approved(ENTRY)
    edited = entry.replace(msgstr=entry.msgstr.replace("89.1%", "98.1%"))
    review = review_entry(edited, ledger)
    assert review.state is EntryState.TRANSLATED
    assert review.problems == ((0, ApprovalProblem.STALE),)


def test_a_fuzzy_entry_whose_previous_source_was_approved_changed_since_approval() -> None:
    _entry, ledger = approved(ENTRY)
    merged = Entry(
        msgctxt="s-99887766aabb",
        msgid=ENTRY.msgid.replace("89.1", "90.8"),
        msgstr=ENTRY.msgstr,
        flags=("fuzzy",),
        previous_msgctxt=ENTRY.msgctxt,
        previous_msgid=ENTRY.msgid,
    )
    review = review_entry(merged, ledger)
    assert review.state is EntryState.DRAFT and review.changed_since_approval
    assert not review_entry(merged, Ledger()).changed_since_approval


def record(by: str = "Li Na", slug: str = "ntrk", sha: str = "c" * 64) -> ApprovalRecord:
    return ApprovalRecord(
        by=by, at=AT, slug=slug, locale="en", entries=(ApprovedEntry(id="s-1", sha256=sha),),
        tool="test",
    )


def write_log(path: Path, count: int) -> list[str]:
    lines = []
    for number in range(count):
        lines.append(append_record(read_log(path), record(sha=f"{number:064x}")))
    return lines


def test_the_log_chains_each_record_to_the_previous_line(tmp_path: Path) -> None:
    path = tmp_path / "approvals.jsonl"
    lines = write_log(path, 3)
    documents = [json.loads(line) for line in lines]
    assert documents[0]["prev"] is None
    log = read_log(path)
    assert log.is_intact and len(log.records) == 3
    assert documents[2]["prev"] == log.records[1].digest
    assert path.read_text(encoding="utf-8") == "".join(line + "\n" for line in lines)
    assert log.ledger("ntrk").is_logged(Approval(by="Li Na", at=AT, sha256=f"{2:064x}"))
    assert not log.ledger("other").is_logged(Approval(by="Li Na", at=AT, sha256=f"{2:064x}"))


def test_deleting_a_middle_line_breaks_the_chain_at_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "approvals.jsonl"
    lines = write_log(path, 4)
    path.write_text("".join(line + "\n" for i, line in enumerate(lines) if i != 1), "utf-8")
    log = read_log(path)
    assert [(b.line, b.message) for b in log.breaks] == [
        (2, "hash chain broken: prev does not match line 1 (a record was edited, reordered or "
         "deleted); restore the log from git"),
    ]
    assert len(log.records) == 1  # nothing from the break on is trusted


def test_editing_reordering_and_truncating_are_all_detected(tmp_path: Path) -> None:
    path = tmp_path / "approvals.jsonl"
    lines = write_log(path, 3)
    path.write_text(lines[0].replace("Li Na", "Wang") + "\n" + lines[1] + "\n" + lines[2] + "\n",
                    "utf-8")
    assert [b.line for b in read_log(path).breaks] == [2]
    path.write_text(lines[1] + "\n" + lines[0] + "\n" + lines[2] + "\n", "utf-8")
    assert [b.line for b in read_log(path).breaks] == [1, 2, 3]
    path.write_text(lines[0] + "\n" + lines[1][:40], "utf-8")
    assert read_log(path).breaks[0].message.startswith("the last record is incomplete")
    path.write_text("not json\n", "utf-8")
    assert read_log(path).breaks[0].message == "not a JSON record; restore the log from git"


def test_a_broken_log_is_never_extended(tmp_path: Path) -> None:
    from pipeline.errors import NotReady

    path = tmp_path / "approvals.jsonl"
    path.write_text("garbage\n", "utf-8")
    with pytest.raises(NotReady) as caught:
        append_record(read_log(path), record(), shown="locales/en/approvals.jsonl")
    assert caught.value.location_message() == (
        "locales/en/approvals.jsonl:1: the audit log is broken (not a JSON record; restore the "
        "log from git); run `pipeline audit`"
    )
    assert path.read_text("utf-8") == "garbage\n"


@pytest.mark.parametrize("module", ["pipeline.review", "pipeline.review.state"])
def test_the_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
