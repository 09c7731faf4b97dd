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
    "大家好，我是复旦大学附属肿瘤医院的邱立新医生。":
        "Hello everyone, I am Dr Qiu Lixin from Fudan University Shanghai Cancer Center.",
    "今天和大家聊一聊被称为“钻石靶点”的NTRK融合基因。":
        "Today let’s talk about the NTRK fusion gene, which is known as the “diamond target”.",
    "它在全部实体瘤中只占大约0.3%，但在一些罕见肿瘤中，发生率最高可达90%。":
        "It accounts for only about 0.3% of all solid tumours, but in some rare tumours its "
        "frequency can be as high as 90%.",
    "一款国产新一代TRK抑制剂的数据显示，89.1%的患者肿瘤缩小或消失，24个月总生存率达到90.8%。":
        "Data on a next-generation TRK inhibitor developed in China show that 89.1% of "
        "patients saw their tumours shrink or disappear, and the 24-month overall survival "
        "rate reached 90.8%.",
    "目前，这款药物的三期临床试验正在招募患者。":
        "The Phase 3 trial of this drug is now recruiting patients.",
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
    assert status_of(project)[SLUG]["draft"] == 5

    translate_as_an_editor(project, TRANSLATIONS)
    assert status_of(project)[SLUG]["translated"] == 5

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
    assert out == f"{PO}: approved 4 entries as {REVISER}; 1 already approved; 0 refused\n"
    status = status_of(project)[SLUG]
    assert (status["approved"], status["publishable"], status["blocking_reason"]) == (
        5, True, None)
    assert run(project, "audit")[0] == 0
    assert run(project, "queue", "--for", "revise")[1] == "nothing to revise\n"

    # The approval is bound to the text: the other entries keep theirs through a re-segment.
    assert run(project, "segment")[0] == 0
    assert status_of(project)[SLUG]["approved"] == 5

    # One source sentence changes: exactly that entry drops out, fuzzy with #| previous text.
    source = project / "sources" / f"{SLUG}.srt"
    source.write_text(
        source.read_text("utf-8").replace("正在招募患者", "正在招募更多患者"), "utf-8")
    assert run(project, "segment")[0] == 0
    changed = next(e for e in read_po_file(project / PO).active if "更多" in e.msgid)
    assert changed.is_fuzzy
    assert changed.previous_msgid == "目前，这款药物的三期临床试验正在招募患者。"
    status = status_of(project)[SLUG]
    assert (status["approved"], status["draft"], status["changed_since_approval"]) == (4, 1, 1)
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
    translate_as_an_editor(project, {changed.msgid: "The Phase 3 trial of this drug is now "
                                     "recruiting more patients."})
    fixed = next(e for e in read_po_file(project / PO).active if "更多" in e.msgid)
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
    assert (status["approved"], status["translated"], status["forged"]) == (4, 1, 1)
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
