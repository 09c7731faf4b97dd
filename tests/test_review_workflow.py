"""A reviser's day, end to end, through the installed commands and real files.

Segment the shipped example, pre-translate it (TM + the tiny real MT model), translate by
editing the PO as a PO editor saves it, approve as a second person, see the article
publishable; edit one source sentence and see exactly that entry drop out; try to approve as
the translator; forge an approval comment by hand; delete a line from the middle of the log.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from support.cli import main
from support.tiny_argos import cached_package

from pipeline.po.read import read_po_file
from pipeline.review import content_hash

REPO = Path(__file__).resolve().parent.parent
SLUG = "ntrk-talk-clip"
PO = f"locales/en/LC_MESSAGES/{SLUG}.po"
LOG = "locales/en/approvals.jsonl"
TRANSLATOR = "Zhang Wei <zhang.wei@example.org>"
REVISER = "Li Na <li.na@example.org>"
TRANSLATIONS = {
    "大家好，我是王明医生。": "Hello everyone, I am Dr Wang Ming.",
    "今天我们来聊一聊NTRK融合基因，以及第二代TRK抑制剂如何克服耐药。":
        "Today we will talk about NTRK fusion genes and how second-generation TRK inhibitors "
        "overcome resistance.",
    "在一项II期研究中，客观缓解率达到了89.1%，颅内客观缓解率为90.8%。":
        "In a Phase 2 study, the objective response rate reached 89.1%, and the intracranial "
        "objective response rate was 90.8%.",
    "对于出现TRKA G595R突变的患者，这是一个好消息。":
        "For patients with the TRKA G595R mutation, this is good news.",
}


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-C", str(project), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped example, with the tiny zh→en model installed for MT."""
    root = tmp_path / "content"
    root.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', "utf-8"
    )
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    code, out, err = run(root, "models", "install", str(cached_package()))
    assert code == 0, out + err
    return root


def translate_as_an_editor(project: Path, translations: dict[str, str]) -> None:
    """What Poedit does on save: the translator's text, fuzzy and #| cleared,
    Last-Translator and PO-Revision-Date set; every other comment kept."""
    po = polib.pofile(str(project / PO), wrapwidth=79)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entry.previous_msgid = entry.previous_msgctxt = None
    po.metadata["Last-Translator"] = TRANSLATOR
    po.metadata["PO-Revision-Date"] = "2026-12-06 10:00+0000"
    po.save()


def status_of(project: Path) -> dict[str, dict[str, object]]:
    code, out, _ = run(project, "status", "--format", "json")
    assert code == 0
    return {row["slug"]: row for row in json.loads(out)["catalogs"]}


def test_a_reviser_approves_an_article_and_only_a_changed_sentence_drops_out(
    project: Path,
) -> None:
    assert run(project, "segment")[0] == 0
    code, out, err = run(project, "pretranslate", SLUG)
    assert code == 0, out + err
    drafts = read_po_file(project / PO).active
    assert all(entry.is_fuzzy for entry in drafts)  # MT drafts, never approved text
    assert status_of(project)[SLUG]["draft"] == 4

    translate_as_an_editor(project, TRANSLATIONS)
    assert status_of(project)[SLUG]["translated"] == 4

    # The translator may not approve their own work (second-person rule); nothing is written.
    before = (project / PO).read_bytes()
    code, out, err = run(project, "approve", SLUG, "--locale", "en", "--by",
                         "zhang.wei@example.org")
    assert code == 2
    assert err == (
        f"{PO}: 'zhang.wei@example.org' is this catalog's Last-Translator ({TRANSLATOR}); a "
        "second person must approve (a one-person team may set require_second_person = false "
        "in [tool.pipeline.review])\n"
    )
    assert (project / PO).read_bytes() == before and not (project / LOG).exists()

    # A second person approves: first one entry, then the rest.
    first_id = read_po_file(project / PO).active[0].msgctxt
    code, out, _ = run(project, "approve", SLUG, "--locale", "en", "--by", REVISER,
                       "--entry", first_id)
    assert code == 0
    assert out == f"{PO}: approved 1 entry as {REVISER}; 0 already approved; 0 refused\n"
    code, out, _ = run(project, "approve", SLUG, "--locale", "en", "--by", REVISER)
    assert code == 0
    assert out == f"{PO}: approved 3 entries as {REVISER}; 1 already approved; 0 refused\n"
    status = status_of(project)[SLUG]
    assert (status["approved"], status["publishable"], status["blocking_reason"]) == (
        4, True, None)
    assert run(project, "audit")[0] == 0
    assert run(project, "queue", "--for", "revise")[1] == "nothing to revise\n"

    # The approval is bound to the text: the other entries keep theirs through a re-segment.
    assert run(project, "segment")[0] == 0
    assert status_of(project)[SLUG]["approved"] == 4

    # One source sentence changes: exactly that entry drops out, fuzzy with #| previous text.
    source = project / "sources" / f"{SLUG}.srt"
    source.write_text(
        source.read_text("utf-8").replace("对于出现TRKA G595R突变的患者，",
                                          "对于出现TRKA G595R突变的患者来说，"), "utf-8")
    assert run(project, "segment")[0] == 0
    changed = next(e for e in read_po_file(project / PO).active if "来说" in e.msgid)
    assert changed.is_fuzzy
    assert changed.previous_msgid == "对于出现TRKA G595R突变的患者，这是一个好消息。"
    status = status_of(project)[SLUG]
    assert (status["approved"], status["draft"], status["changed_since_approval"]) == (3, 1, 1)
    assert status["publishable"] is False
    assert status["blocking_reason"] == "1 entry changed since approval"
    code, out, _ = run(project, "queue")
    first_line = out.splitlines()[0]
    assert first_line.startswith(f"{PO}:") and first_line.endswith(
        ": changed since approval: 1 entry")
    line = int(first_line.split(":")[1])
    assert (project / PO).read_text("utf-8").splitlines()[line - 1].startswith("msgid ")

    # The translator fixes it and, instead of asking a reviser, writes an approval by hand
    # with the right hash: it counts for nothing and is reported everywhere.
    translate_as_an_editor(project, {changed.msgid: "For patients with the TRKA G595R "
                                     "mutation, this is good news indeed."})
    fixed = next(e for e in read_po_file(project / PO).active if "来说" in e.msgid)
    forged = f"# approved: by=Li%20Na at=2026-12-06T12:00:00Z sha256={content_hash(fixed)}"
    text = (project / PO).read_text("utf-8")
    anchor = f'msgctxt "{fixed.msgctxt}"'
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line == anchor)
    while index > 0 and lines[index - 1].startswith("#"):
        index -= 1
    lines.insert(index, forged)
    (project / PO).write_text("\n".join(lines) + "\n", "utf-8")
    forged_line = index + 1
    status = status_of(project)[SLUG]
    assert (status["approved"], status["translated"], status["forged"]) == (3, 1, 1)
    assert status["blocking_reason"] == "1 forged approval"
    code, out, _ = run(project, "check", SLUG)
    assert code == 1
    assert f"{PO}:{forged_line}: error: approval: approval comment has no matching record in " \
        "the audit log" in out
    code, out, _ = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{PO}:{forged_line}: approval comment of {fixed.msgctxt} has no record in {LOG} "
        "(forged, or the record was lost)"
    )

    # The reviser approves the fixed sentence properly; the forged comment is replaced.
    code, out, _ = run(project, "approve", SLUG, "--locale", "en", "--by", REVISER)
    assert code == 0, out
    assert status_of(project)[SLUG]["publishable"] is True
    assert run(project, "audit")[0] == 0
    assert forged not in (project / PO).read_text("utf-8")

    # Deleting a line from the middle of the log is caught, at the line after it.
    records = (project / LOG).read_text("utf-8").splitlines(keepends=True)
    assert len(records) == 3
    (project / LOG).write_text(records[0] + records[2], "utf-8")
    code, out, _ = run(project, "audit")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{LOG}:2: hash chain broken: prev does not match line 1 (a record was edited, "
        "reordered or deleted); restore the log from git"
    )
    status = status_of(project)[SLUG]
    assert status["publishable"] is False
    assert status["blocking_reason"] == f"audit log broken at {LOG}:2"
