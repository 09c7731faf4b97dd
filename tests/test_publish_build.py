"""`pipeline build` and `pipeline publish` end to end: review's verdicts decide what reaches
the site, a second build changes no byte, `--check` reports without writing, concurrent and
killed builds leave a whole site.

Each test works on a copy of the shipped example (what a fresh clone holds: sources, the
English catalogs approved by a second person, the audit log, the glossary).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.approving import approve
from support.cli import main
from support.example import clone_example

from pipeline.config import load_config
from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return clone_example(tmp_path / "clone")


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root`` (links followed, the state folder aside): digest and mtime."""
    found = {}
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            path = Path(folder) / name
            if ".pipeline" in path.relative_to(root).parts:
                continue
            found[str(path.relative_to(root))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return found


def site_files(project: Path) -> dict[str, str]:
    site = project / "site"
    return (
        {
            name.removeprefix("site/"): digest
            for name, (digest, _) in snapshot(project).items()
            if name.startswith("site/")
        }
        if site.exists()
        else {}
    )


def edit_translation(project: Path, slug: str, old: str, new: str) -> None:
    """Change a msgstr as a translator's editor would (the approval comment stays)."""
    path = project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"
    catalog = read_po_file(path)
    catalog.entries = [
        entry.replace(msgstr=entry.msgstr.replace(old, new)) if old in entry.msgstr else entry
        for entry in catalog.entries
    ]
    write_po_file(path, catalog)


def test_a_fresh_clone_publishes_the_example_and_withholds_the_transcript(project: Path) -> None:
    code, out, _ = run(project, "build")

    assert code == 0, out
    lines = out.splitlines()
    assert "published: en/ntrk-inhibitors, en/ntrk-talk-clip" in lines
    withheld = [line for line in lines if line.startswith("withheld: ")]
    assert len(withheld) == 1 and withheld[0].startswith("withheld: en/ntrk-talk-asr: ")
    assert "untranslated" in withheld[0]
    site = project / "site"
    page = (site / "en" / "ntrk-inhibitors.html").read_text("utf-8")
    assert '<html lang="en" dir="ltr">' in page
    assert "24-month overall survival rate" in page and "90.8%" in page
    assert "<strong>fusion protein</strong>" in page
    assert 'hreflang="zh-Hans"' in page
    assert "approved on" in page and "Translated from" in page
    # The project translates the speaker and source lines too ([tool.pipeline.markdown]):
    # no Chinese is left on the English page but the link to the original's language.
    assert (
        "<dt>Speaker</dt><dd>Qiu Lixin, Associate Chief Physician (Fudan University Shanghai "
        "Cancer Center)</dd>" in page
    )
    assert re.findall(r"[\u4e00-\u9fff]+", page) == ["中文", "简体"]
    original = (site / "zh_Hans" / "ntrk-inhibitors.html").read_text("utf-8")
    assert (
        '<dt>Speaker</dt><dd lang="zh-Hans">邱立新 副主任医师（复旦大学附属肿瘤医院）</dd>'
        in original
    )
    subtitles = (site / "en" / "ntrk-talk-clip.srt").read_text("utf-8")
    assert "00:00:00,500 --> 00:00:03,800" in subtitles
    assert "Hello everyone, I am Dr Qiu Lixin from" in subtitles
    assert not (site / "en" / "ntrk-talk-asr.html").exists()
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    english = {p["slug"]: p for p in manifest["pages"] if p["locale"] == "en"}
    assert set(english) == {"ntrk-inhibitors", "ntrk-talk-clip"}
    assert english["ntrk-inhibitors"]["approvals"][0]["by"] == "Tom Baker"
    assert manifest["withheld"][0]["slug"] == "ntrk-talk-asr"
    assert manifest["tool"]["version"]


def test_a_fresh_clone_build_leaves_every_shipped_file_as_it_was(project: Path) -> None:
    """The shipped catalogs are what a build makes of the shipped sources: `git status` stays
    clean after the README's first command."""
    shipped = {
        name: digest
        for name, (digest, _) in snapshot(project).items()
        if name.startswith(("sources/", "locales/"))
    }

    assert run(project, "build")[0] == 0

    after = {
        name: digest
        for name, (digest, _) in snapshot(project).items()
        if name.startswith(("sources/", "locales/"))
    }
    assert after == shipped


def test_a_second_build_changes_no_byte_and_check_then_passes(project: Path) -> None:
    code, out, _ = run(project, "build")
    assert code == 0, out
    before = snapshot(project)
    link = os.readlink(project / "site")

    code, out, _ = run(project, "build")

    assert code == 0, out
    assert snapshot(project) == before
    assert os.readlink(project / "site") == link
    lines = out.splitlines()
    assert lines[0].startswith("nothing changed since the build of ")
    assert "published: en/ntrk-inhibitors, en/ntrk-talk-clip" in lines

    # A file touched (a git checkout, an editor's save of the same bytes) runs every stage,
    # which then find nothing to do.
    os.utime(project / "locales" / "en" / "LC_MESSAGES" / "ntrk-talk-clip.po")
    before = snapshot(project)
    code, out, _ = run(project, "build")
    assert code == 0, out
    assert snapshot(project) == before
    assert "site/: 2 article page(s), 1 withheld, unchanged" in out.splitlines()

    code, out, _ = run(project, "build", "--check")
    assert code == 0, out
    assert snapshot(project) == before


def test_check_reports_unpublished_work_and_changes_nothing(project: Path) -> None:
    before = snapshot(project)

    code, out, _ = run(project, "build", "--check", "--format", "json")

    assert code == 1
    report = json.loads(out)
    assert report["stale"] is True and report["dry_run"] is True
    assert [(p["locale"], p["slug"]) for p in report["publish"]["published"]] == [
        ("en", "ntrk-inhibitors"),
        ("en", "ntrk-talk-clip"),
    ]
    assert snapshot(project) == before
    assert not (project / "site").exists()


def test_check_figures_are_those_of_the_merged_catalogs(project: Path) -> None:
    """A source sentence changed since the catalogs were merged: --check counts the entry
    the merge would make fuzzy, as the build would, without writing anything."""
    run(project, "build")
    source = project / "sources" / "ntrk-inhibitors.md"
    source.write_text(source.read_text("utf-8").replace("只有0.7%", "仅为0.7%"), encoding="utf-8")
    before = snapshot(project)

    code, out, _ = run(project, "build", "--check", "--format", "json")

    assert code == 1
    report = json.loads(out)
    assert report["segment"]["changed"] is True
    queue = {item["slug"]: item for item in report["queue"]["items"]}
    assert queue["ntrk-inhibitors"]["changed_since_approval"] == 1
    assert [w["slug"] for w in report["publish"]["withheld"]] == [
        "ntrk-inhibitors",
        "ntrk-talk-asr",
    ]
    assert report["publish"]["withheld"][0]["reason"] == "1 entry changed since approval"
    assert snapshot(project) == before


def test_an_edit_voids_the_approval_and_the_next_publish_removes_the_page(
    project: Path,
) -> None:
    run(project, "build")
    assert (project / "site" / "en" / "ntrk-talk-clip.srt").is_file()
    edit_translation(project, "ntrk-talk-clip", "is now recruiting", "is recruiting")

    code, out, _ = run(project, "publish")

    assert code == 0, out
    assert "withheld en/ntrk-talk-clip: 1 awaiting approval" in out.splitlines()
    assert "site/en/ntrk-talk-clip.srt: removed (no longer publishable)" in out.splitlines()
    site = project / "site"
    assert not (site / "en" / "ntrk-talk-clip.srt").exists()
    assert not (site / "en" / "ntrk-talk-clip.html").exists()
    assert not (site / "zh_Hans" / "ntrk-talk-clip.html").exists()
    assert "ntrk-talk-clip" not in (site / "en" / "index.html").read_text("utf-8")
    assert "ntrk-talk-clip" not in (site / "sitemap.xml").read_text("utf-8")
    assert (site / "en" / "ntrk-inhibitors.html").is_file()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("draft", "1 draft (fuzzy)"),
        ("unapproved", "5 awaiting approval"),
        ("forged", "5 forged approvals"),
        ("error", "1 error: glossary"),
    ],
)
def test_only_fully_approved_check_clean_catalogs_reach_the_site(
    project: Path, change: str, reason: str
) -> None:
    path = project / "locales" / "en" / "LC_MESSAGES" / "ntrk-talk-clip.po"
    catalog = read_po_file(path)
    if change == "draft":
        catalog.entries = [
            entry.with_flag("fuzzy") if "0.3%" in entry.msgid else entry
            for entry in catalog.entries
        ]
        write_po_file(path, catalog)
    elif change in ("unapproved", "forged"):
        (project / "locales" / "en" / "approvals.jsonl").write_text(
            "".join(
                line + "\n"
                for line in (project / "locales/en/approvals.jsonl").read_text("utf-8").splitlines()
                if '"slug":"ntrk-talk-clip"' not in line
            ),
            encoding="utf-8",
        )
        if change == "unapproved":
            catalog.entries = [entry.replace(translator_comments=()) for entry in catalog.entries]
            write_po_file(path, catalog)
    else:  # the glossary now asks for another rendering than the approved one
        glossary = project / "glossary.yaml"
        glossary.write_text(
            glossary.read_text("utf-8") + "  - source: 罕见肿瘤\n    target: {en: orphan tumour}\n",
            encoding="utf-8",
        )

    code, out, _ = run(project, "publish")

    assert code == 0, out
    assert f"withheld en/ntrk-talk-clip: {reason}" in out.splitlines()
    assert not any("ntrk-talk-clip" in name for name in site_files(project))
    assert "en/ntrk-inhibitors.html" in site_files(project)


def test_approval_comments_copied_from_another_entry_count_for_nothing(
    project: Path,
) -> None:
    """Approval comments copied from another entry (right format, wrong text) count for
    nothing: the hash binds each approval to its own entry."""
    path = project / "locales" / "en" / "LC_MESSAGES" / "ntrk-talk-asr.po"
    donor = read_po_file(project / "locales" / "en" / "LC_MESSAGES" / "ntrk-talk-clip.po")
    stamp = next(e.translator_comments for e in donor.entries if e.translator_comments)
    catalog = read_po_file(path)
    catalog.entries = [
        entry.replace(msgstr="Hello.", translator_comments=stamp) for entry in catalog.entries
    ]
    write_po_file(path, catalog)

    code, out, _ = run(project, "publish")

    assert code == 0
    assert not any("ntrk-talk-asr" in name for name in site_files(project)), out


@contextmanager
def lock_held_elsewhere(project: Path) -> Iterator[None]:
    """Another process (an editor's command, a build) holds the project lock."""
    state = project / ".pipeline"
    state.mkdir(exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock\n"
            "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True)\n"
            "time.sleep(120)",
            str(state / "pipeline.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_second_build_waits_for_the_lock_then_gives_up_with_a_message(project: Path) -> None:
    with lock_held_elsewhere(project):
        code, _, err = run(project, "build", "--wait", "0.2")
    assert code == 1
    assert err == (
        ".pipeline/pipeline.lock: another pipeline command has been writing to this "
        "project for over 0.2 s; wait for it to finish, or delete the lock if it crashed\n"
    )
    assert not (project / "site").exists()


def test_lock_timeout_is_configurable(project: Path) -> None:
    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.pipeline.build]\nlock_timeout = 0.2\n")
    with lock_held_elsewhere(project):
        code, _, err = run(project, "build")
    assert code == 1 and "pipeline.lock" in err
    assert run(project, "build")[0] == 0


def test_a_negative_lock_timeout_is_refused(project: Path) -> None:
    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.pipeline.build]\nlock_timeout = -1\n")
    code, _, err = run(project, "build")
    assert code == 2
    assert "lock_timeout in [tool.pipeline.build] must be a number of seconds" in err


def _cli(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "-C", str(project), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CI": "1"},
    )


def test_concurrent_builds_leave_the_site_a_serial_build_leaves(
    project: Path, tmp_path: Path
) -> None:
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    assert run(serial, "build")[0] == 0
    assert run(serial, "build")[0] == 0

    runs = [_cli(project, "build") for _ in range(3)]
    results = [(process.wait(timeout=300), process.stderr.read()) for process in runs]
    for process in runs:
        process.stdout.close()
        process.stderr.close()

    assert [code for code, _ in results] == [0, 0, 0], results
    assert site_files(project) == site_files(serial)
    assert len([p for p in project.iterdir() if p.name.startswith(".site.")]) == 1


_KILL_DURING_PUBLISH = textwrap.dedent(
    """
    import os, signal, sys
    import pipeline.publish.site as site
    written = []
    real = site._write
    def write(path, text):
        real(path, text)
        written.append(path)
        if len(written) == 3:  # some pages of the new site are on disk, not all
            os.kill(os.getpid(), signal.SIGKILL)
    site._write = write
    from importlib.metadata import entry_points
    (script,) = entry_points(group="console_scripts", name="pipeline")  # the installed script
    sys.argv = ["pipeline", "-C", sys.argv[1], "publish"]
    script.load()()
    """
)


def test_a_build_killed_mid_publish_leaves_the_previous_site_whole(project: Path) -> None:
    assert run(project, "build")[0] == 0
    before = site_files(project)
    link = os.readlink(project / "site")
    edit_translation(project, "ntrk-inhibitors", "0.7%", "0.70%")  # a change to publish
    approve(load_config(project), "ntrk-inhibitors", "en", by="Tom Baker")

    killed = subprocess.run(
        [sys.executable, "-c", _KILL_DURING_PUBLISH, str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert os.readlink(project / "site") == link
    assert site_files(project) == before
    debris = [p for p in project.iterdir() if p.name.startswith(".site.")]
    assert len(debris) == 2  # the half-built folder, never visible as the site

    code, out, _ = run(project, "publish")

    assert code == 0, out
    assert "0.70%" in (project / "site" / "en" / "ntrk-inhibitors.html").read_text("utf-8")
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == [
        os.readlink(project / "site")
    ]


def test_publish_reports_json_with_the_queue(project: Path) -> None:
    code, out, _ = run(project, "publish", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["changed"] is True
    assert [w["slug"] for w in report["withheld"]] == ["ntrk-talk-asr"]
    assert report["queue"]["items"][0]["slug"] == "ntrk-talk-asr"


def test_publish_into_a_folder_of_someone_elses_files_is_refused(project: Path) -> None:
    other = project / "docs"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")

    code, _, err = run(project, "publish", "--site", str(other))

    assert code == 2
    assert "holds files that pipeline publish did not write" in err
    assert (other / "notes.txt").read_text("utf-8") == "keep me"


def test_the_readme_shows_what_a_newcomer_sees(project: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```\n== summary\n", 1)[1].split("```", 1)[0].splitlines()

    code, out, _ = run(project, "build")

    assert code == 0
    assert out.splitlines()[-len(shown) :] == shown
