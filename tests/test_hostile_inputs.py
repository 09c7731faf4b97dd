"""The adversarial suite: hostile and careless inputs, each refused the same way.

Every case below is a file an attacker or a careless colleague could put into a content
repository (or a model package handed over on a USB stick). For each one the real CLI runs in
a subprocess under memory, CPU and file-size limits, and the test asserts what SECURITY.md
promises: exit code 2, exactly one ``path:line: message`` line that names the problem and the
fix, no traceback, and the project tree (state folder included) and everything outside it
byte for byte as before.
"""

from __future__ import annotations

import csv
import shutil
import stat
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.hostile import (
    assert_one_located_line,
    example_project,
    isolated_env,
    run_cli,
    tree_digest,
)

CATALOG = "locales/en/LC_MESSAGES/ntrk-inhibitors.po"
SECRET = "# 机密\n\n患者姓名：张三。身份证号：110101199003071234。\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example project after one successful ``pipeline build`` (catalogs, TM, lock file),
    and the home folder its commands run with."""
    base = tmp_path_factory.mktemp("hostile")
    home = base / "home"
    home.mkdir()
    project = example_project(base / "project")
    result = run_cli(project, "build", env=isolated_env(home))
    assert result.code == 0, result.stderr
    return project, home


@dataclass(frozen=True)
class Place:
    """Where a case runs: the project, a folder outside it, the home folder (packages)."""

    project: Path
    outside: Path
    home: Path


@pytest.fixture
def place(built: tuple[Path, Path], tmp_path: Path) -> Place:
    template, home_template = built
    project = tmp_path / "project"
    shutil.copytree(template, project, symlinks=True)
    home = tmp_path / "home"
    shutil.copytree(home_template, home, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    return Place(project=project, outside=outside, home=home)


def refused(
    place: Place,
    args: tuple[str, ...],
    *,
    path: str,
    line: int | None,
    says: str,
    env_extra: dict[str, str] | None = None,
) -> None:
    """Run ``args``; assert the one-line refusal and that no byte changed anywhere."""
    before = tree_digest(place.project.parent)
    env = isolated_env(place.home)
    env.update(env_extra or {})
    result = run_cli(place.project, *args, env=env)
    assert_one_located_line(result, path=path, line=line, says=says)
    assert tree_digest(place.project.parent) == before


def _config(place: Place, text: str) -> None:
    (place.project / "pyproject.toml").write_text(text, encoding="utf-8")


def _with_table(extra: str) -> str:
    return f'[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n{extra}'


def _catalog_lines(place: Place) -> list[str]:
    return (place.project / CATALOG).read_text(encoding="utf-8").split("\n")


def _set_catalog(place: Place, data: bytes) -> None:
    (place.project / CATALOG).write_bytes(data)


def _first_entry_line(place: Place) -> int:
    """The 1-based line of the first ``msgid`` after the header."""
    lines = _catalog_lines(place)
    return next(n for n, text in enumerate(lines, 1) if text.startswith("msgid ") and n > 3)


# -- the cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Place], None]
    args: tuple[str, ...]
    path: str
    line: int | None
    says: str
    line_of: Callable[[Place], int] | None = None
    env: Callable[[Place], dict[str, str]] | None = None


def _source_link_to_outside(place: Place) -> None:
    (place.project / "sources" / "evil.md").symlink_to(place.outside / "secret.md")


def _sources_folder_outside(place: Place) -> None:
    shutil.rmtree(place.project / "sources")
    (place.project / "sources").symlink_to(place.outside)


def _catalog_link_to_outside(place: Place) -> None:
    (place.project / CATALOG).unlink()
    (place.project / CATALOG).symlink_to(place.outside / "secret.md")


def _glossary_link_to_outside(place: Place) -> None:
    (place.project / "glossary.yaml").unlink()
    (place.project / "glossary.yaml").symlink_to(place.outside / "secret.md")


def _locales_link_to_outside(place: Place) -> None:
    shutil.rmtree(place.project / "locales")
    (place.project / "locales").symlink_to(place.outside)


def _glossary(text: str) -> Callable[[Place], None]:
    def setup(place: Place) -> None:
        (place.project / "glossary.yaml").write_text(text, encoding="utf-8")

    return setup


def _glossary_bytes(data: bytes) -> Callable[[Place], None]:
    def setup(place: Place) -> None:
        (place.project / "glossary.yaml").write_bytes(data)

    return setup


def _source_bytes(name: str, data: bytes) -> Callable[[Place], None]:
    def setup(place: Place) -> None:
        (place.project / "sources" / name).write_bytes(data)

    return setup


def _billion_laughs() -> str:
    lines = ["source_locale: zh_Hans", 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines.append("terms: []")
    return "\n".join(lines) + "\n"


def _replace_in_catalog(old: str, new: str) -> Callable[[Place], None]:
    def setup(place: Place) -> None:
        text = (place.project / CATALOG).read_text(encoding="utf-8")
        assert old in text
        _set_catalog(place, text.replace(old, new, 1).encode("utf-8"))

    return setup


def _after_header(addition: bytes) -> Callable[[Place], None]:
    """Insert ``addition`` as the lines just before the first entry's msgid block."""

    def setup(place: Place) -> None:
        data = (place.project / CATALOG).read_bytes()
        head, sep, rest = data.partition(b"\n\n")
        _set_catalog(place, head + sep + addition + rest)

    return setup


def _header_end_line(place: Place) -> int:
    data = (place.project / CATALOG).read_bytes()
    return data.partition(b"\n\n")[0].count(b"\n") + 3


def _one_plural_form_and_msgstr5(place: Place) -> None:
    _replace_in_catalog("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")(place)
    entry = 'msgctxt "p1"\nmsgid "一个"\nmsgid_plural "多个"\nmsgstr[0] "one"\nmsgstr[5] "five"\n'
    _after_header(f"{entry}\n".encode())(place)


def _sparse(path: Path) -> None:
    """A 65 MiB file that takes no disk space (a hole): only its size is ever looked at."""
    with open(path, "wb") as stream:
        stream.truncate(65 * 1024 * 1024)


def _po_folder(place: Place) -> None:
    (place.project / CATALOG).unlink()
    (place.project / CATALOG).mkdir()
    (place.project / CATALOG / "x").write_text("x", encoding="utf-8")


def _state_is_a_file(place: Place) -> None:
    shutil.rmtree(place.project / ".pipeline")
    (place.project / ".pipeline").write_text("not a folder\n", encoding="utf-8")


METADATA = (
    b'{"package_version": "1.0", "argos_version": "1.9", "from_code": "zh", "to_code": "en", '
    b'"type": "translate"}'
)


def _package(members: dict[str, bytes | str], *, name: str = "model.argosmodel",
             level: int = 9) -> Callable[[Place], None]:
    """A .argosmodel (zip) in the project root holding ``members``; a ``str`` value makes a
    symbolic link to that target."""

    def setup(place: Place) -> None:
        with zipfile.ZipFile(place.project / name, "w", zipfile.ZIP_DEFLATED,
                             compresslevel=level) as archive:
            for member, content in members.items():
                if isinstance(content, str):
                    info = zipfile.ZipInfo(member)
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                    archive.writestr(info, content)
                else:
                    archive.writestr(member, content)

    return setup


def _zeros_package(place: Place) -> None:
    """8 MiB of zeros as the model: about 8 KiB compressed, a ratio near 1000."""
    with zipfile.ZipFile(place.project / "model.argosmodel", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pkg/metadata.json", METADATA)
        with archive.open("pkg/model/model.bin", "w") as sink:
            for _ in range(8):
                sink.write(bytes(1024 * 1024))
        archive.writestr("pkg/sentencepiece.model", b"sp")


def _declared_huge_package(place: Place) -> None:
    """Two members whose central directory declares 3 GiB each (6 GiB in all)."""
    _package({"pkg/metadata.json": METADATA, "pkg/model/model.bin": b"m" * 64,
              "pkg/sentencepiece.model": b"s" * 64})(place)
    path = place.project / "model.argosmodel"
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start >= 0:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        name = bytes(data[start + 46:start + 46 + name_length])
        if name != b"pkg/metadata.json":
            struct.pack_into("<I", data, start + 24, 3 * 1024**3)
        start = data.find(b"PK\x01\x02", start + 4)
    path.write_bytes(bytes(data))


def _packages_dir_is_a_file(place: Place) -> dict[str, str]:
    (place.home / "a-file").write_text("not a folder\n", encoding="utf-8")
    return {"ARGOS_PACKAGES_DIR": str(place.home / "a-file")}


def _csv_with_a_huge_field(place: Place) -> None:
    with open(place.project / "terms.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["zh-Hans", "en"])
        writer.writerow(["血脑屏障", "blood-brain barrier"])
        writer.writerow(["脉络丛", "x" * 200_000])


TBX_BOMB = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<martif type="TBX" xml:lang="zh-Hans"><text><body>
<termEntry><langSet xml:lang="zh-Hans"><tig><term>&f;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry>
</body></text></martif>
"""

TBX_XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif type="TBX"><text><body><termEntry><langSet xml:lang="zh-Hans"><tig>
<term>&secret;</term></tig></langSet></termEntry></body></text></martif>
"""


def _file(name: str, text: str) -> Callable[[Place], None]:
    def setup(place: Place) -> None:
        (place.project / name).write_text(text, encoding="utf-8")

    return setup


CASES = [
    # Links and paths out of the project (issue 9, items 1 and 2).
    Case(
        "source link to a file outside",
        _source_link_to_outside,
        ("segment",),
        "sources/evil.md",
        None,
        "outside the project",
    ),
    Case(
        "sources folder is a link outside",
        _sources_folder_outside,
        ("segment",),
        "sources",
        None,
        "outside the project",
    ),
    Case(
        "catalog link to a file outside",
        _catalog_link_to_outside,
        ("segment",),
        CATALOG,
        None,
        "outside the project",
    ),
    Case(
        "catalog link read by check",
        _catalog_link_to_outside,
        ("check",),
        CATALOG,
        None,
        "outside the project",
    ),
    Case(
        "catalog link read by tm rebuild",
        _catalog_link_to_outside,
        ("tm", "rebuild"),
        CATALOG,
        None,
        "outside the project",
    ),
    Case(
        "glossary link to a file outside",
        _glossary_link_to_outside,
        ("glossary", "check"),
        "glossary.yaml",
        None,
        "outside the project",
    ),
    Case(
        "locales folder is a link outside",
        _locales_link_to_outside,
        ("segment",),
        "locales",
        None,
        "outside the project",
    ),
    Case(
        "locales = ../../x",
        lambda p: _config(p, _with_table('locales = "../../x"\n')),
        ("segment",),
        "pyproject.toml",
        4,
        "outside the project folder",
    ),
    Case(
        "state = ../../x",
        lambda p: _config(p, _with_table('state = "../../x"\n')),
        ("segment",),
        "pyproject.toml",
        4,
        "outside the project folder",
    ),
    Case(
        "sources = an absolute path",
        lambda p: _config(p, _with_table(f'sources = "{p.outside}"\n')),
        ("segment",),
        "pyproject.toml",
        4,
        "outside the project folder",
    ),
    Case(
        "site = /",
        lambda p: _config(p, _with_table('site = "/"\n')),
        ("segment",),
        "pyproject.toml",
        4,
        "outside the project folder",
    ),
    Case(
        "glossary = the project folder itself",
        lambda p: _config(p, _with_table('glossary = "."\n')),
        ("glossary", "check"),
        "pyproject.toml",
        4,
        "outside the project folder",
    ),
    # Glossary bombs and odd YAML (items 3 and 8).
    Case(
        "glossary alias bomb",
        _glossary(_billion_laughs()),
        ("glossary", "check"),
        "glossary.yaml",
        3,
        "YAML alias '*a' is not allowed",
    ),
    Case(
        "glossary alias bomb read by segment",
        _glossary(_billion_laughs()),
        ("segment",),
        "glossary.yaml",
        3,
        "YAML alias '*a' is not allowed",
    ),
    Case(
        "glossary nested 20,000 deep",
        _glossary("terms: " + "[" * 20000 + "]" * 20000 + "\n"),
        ("glossary", "check"),
        "glossary.yaml",
        1,
        "nested more than",
    ),
    Case(
        "glossary nested deep in block style",
        _glossary("terms:\n" + "".join("  " * i + "- \n" for i in range(1, 60))),
        ("segment",),
        "glossary.yaml",
        25,
        "nested more than",
    ),
    Case(
        "glossary python object tag",
        _glossary(
            "source_locale: zh_Hans\nterms:\n  - source: !!python/object:os.system "
            "{}\n    target: {en: x}\n"
        ),
        ("glossary", "check"),
        "glossary.yaml",
        3,
        "YAML tag '!!python/object:os.system'",
    ),
    Case(
        "glossary custom tag",
        _glossary(
            "source_locale: zh_Hans\nterms:\n  - source: !term "
            "血脑屏障\n    target: {en: blood-brain barrier}\n"
        ),
        ("glossary", "check"),
        "glossary.yaml",
        3,
        "YAML tag '!term' is not allowed",
    ),
    Case(
        "glossary not UTF-8",
        _glossary_bytes("source_locale: zh_Hans\nterms:\n  - source: 血脑屏障\n".encode("gb18030")),
        ("glossary", "check"),
        "glossary.yaml",
        3,
        "not valid UTF-8",
    ),
    Case(
        "glossary not UTF-8 in glossary add",
        _glossary_bytes("source_locale: zh_Hans\nterms:\n  - source: 血脑屏障\n".encode("gb18030")),
        ("glossary", "add", "脉络丛", "--target", "en=choroid plexus"),
        "glossary.yaml",
        3,
        "not valid UTF-8",
    ),
    Case(
        "glossary duplicate key",
        _glossary(
            "source_locale: zh_Hans\nterms:\n  - source: 血脑屏障\n    source: 脉络丛\n"
            "    target: {en: x}\n"
        ),
        ("glossary", "check"),
        "glossary.yaml",
        4,
        "key 'source' appears twice",
    ),
    Case(
        "glossary terms not a list",
        _glossary("source_locale: zh_Hans\nterms: 血脑屏障\n"),
        ("glossary", "check"),
        "glossary.yaml",
        2,
        "terms",
    ),
    Case(
        "glossary is a folder",
        lambda p: ((p.project / "glossary.yaml").unlink(), (p.project / "glossary.yaml").mkdir()),
        ("segment",),
        "glossary.yaml",
        None,
        "is a folder, but glossary must be a file",
    ),
    # Bad catalogs (items 6 and 8).
    Case("catalog is a folder (segment)", _po_folder, ("segment",), CATALOG, None, "is a folder"),
    Case(
        "catalog is a folder (tm rebuild)",
        _po_folder,
        ("tm", "rebuild"),
        CATALOG,
        None,
        "is a folder",
    ),
    Case(
        "catalog not UTF-8",
        _after_header("# 译者：张三\n".encode("gb18030")),
        ("check",),
        CATALOG,
        None,
        "not valid UTF-8",
        line_of=_header_end_line,
    ),
    Case(
        "catalog with a NUL byte",
        _after_header(b"# note\x00\n"),
        ("segment",),
        CATALOG,
        None,
        "contains a NUL byte",
        line_of=_header_end_line,
    ),
    Case(
        "catalog unterminated string",
        _after_header(b'#. x\nmsgctxt "abc\n'),
        ("check",),
        CATALOG,
        None,
        "",
        line_of=lambda p: _header_end_line(p) + 1,
    ),
    Case(
        "catalog msgstr[5] with nplurals=1",
        _one_plural_form_and_msgstr5,
        ("check",),
        CATALOG,
        None,
        "msgstr[5] is beyond the header's Plural-Forms (nplurals=1",
        line_of=lambda p: _header_end_line(p) + 4,
    ),
    # Bad sources.
    Case(
        "source not UTF-8",
        _source_bytes("gbk.md", "# 标题\n\n正文。\n".encode("gb18030")),
        ("segment",),
        "sources/gbk.md",
        1,
        "not valid UTF-8",
    ),
    Case(
        "source in UTF-16",
        _source_bytes("wide.txt", "第一句。\n".encode("utf-16")),
        ("segment",),
        "sources/wide.txt",
        1,
        "not valid UTF-8",
    ),
    Case("source with a NUL byte", _source_bytes("nul.md", "# 标题\n\n正文\x00。\n".encode()),
         ("segment",), "sources/nul.md", 3, "contains a NUL byte"),
    Case("source with a bidi override (Trojan Source)",
         _source_bytes("bidi.md", "# 标题\n\n剂量为\u202e0.5\u202cmg。\n".encode()),
         ("segment",), "sources/bidi.md", 3, "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    Case("source link loop", lambda p: (p.project / "sources" / "loop.md").symlink_to("loop.md"),
         ("segment",), "sources/loop.md", None, "leads back to itself (a loop)"),
    Case("source over 64 MiB", lambda p: _sparse(p.project / "sources" / "huge.md"),
         ("segment",), "sources/huge.md", None, "over the 64 MiB the pipeline reads"),
    # Bad configuration (items 6 and 8).
    Case(
        "[tool.pipeline] not a table",
        lambda p: _config(p, "[tool]\npipeline = 3\n"),
        ("segment",),
        "pyproject.toml",
        2,
        "[tool.pipeline] must be a table",
    ),
    Case(
        "min_score = high",
        lambda p: _config(p, _with_table('[tool.pipeline.tm]\nmin_score = "high"\n')),
        ("pretranslate", "--engine", "tm"),
        "pyproject.toml",
        5,
        "min_score",
    ),
    Case("state folder is a file", _state_is_a_file, ("segment",), ".pipeline", None, "is a file"),
    Case(
        "pyproject.toml not UTF-8",
        lambda p: (p.project / "pyproject.toml").write_bytes(
            _with_table("# 项目\n").encode("gb18030")
        ),
        ("segment",),
        "pyproject.toml",
        4,
        "not valid UTF-8",
    ),
    # Model packages (items 6 and 7; what held must keep holding).
    Case("sources folder link loop",
         lambda p: (shutil.rmtree(p.project / "sources"),
                    (p.project / "sources").symlink_to("sources")),
         ("segment",), "pyproject.toml", None, "leads back to itself (a loop)"),
    Case("pyproject.toml not TOML", lambda p: _config(p, _with_table("target_locales = [\n")),
         ("segment",), "pyproject.toml", 4, ""),
    Case("target_locales a string", lambda p: _config(
        p, '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = "en"\n'),
         ("segment",), "pyproject.toml", 3, "target_locales"),
    Case("unknown locale", lambda p: _config(
        p, '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["klingon"]\n'),
         ("segment",), "pyproject.toml", 3, "unknown locale 'klingon'"),
    Case("glossary over 64 MiB", lambda p: _sparse(p.project / "glossary.yaml"),
         ("glossary", "check"), "glossary.yaml", None, "over the 64 MiB the pipeline reads"),
    Case("catalog over 64 MiB", lambda p: _sparse(p.project / CATALOG), ("check",),
         CATALOG, None, "over the 64 MiB the pipeline reads"),
    Case("model package zip bomb (ratio)", _zeros_package,
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "times its compressed size"),
    Case("model package zip bomb (total size)", _declared_huge_package,
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "unpacks to 6.0 GiB"),
    Case("model.bin both a file and a folder",
         _package({"pkg/metadata.json": METADATA, "pkg/model/model.bin": b"m",
                   "pkg/model/model.bin/x": b"x", "pkg/sentencepiece.model": b"s"}),
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "'pkg/model/model.bin' is both a file and a folder"),
    Case("model package zip slip",
         _package({"pkg/metadata.json": METADATA, "pkg/../../evil.txt": b"x"}),
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "would be written outside the package directory"),
    Case("model package symlink member",
         _package({"pkg/metadata.json": METADATA, "pkg/model/model.bin": "/etc/passwd"}),
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "is a symbolic link"),
    Case("model package broken metadata",
         _package({"pkg/metadata.json": b"{not json", "pkg/model/model.bin": b"m",
                   "pkg/sentencepiece.model": b"s"}),
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "pkg/metadata.json is not valid JSON"),
    Case("model package not a zip", _file("model.argosmodel", "血脑屏障\n"),
         ("models", "install", "model.argosmodel"), "model.argosmodel", None,
         "not a zip archive"),
    Case("ARGOS_PACKAGES_DIR is a file",
         _package({"pkg/metadata.json": METADATA, "pkg/model/model.bin": b"m",
                   "pkg/sentencepiece.model": b"s"}),
         ("models", "install", "model.argosmodel"), "<home>/a-file", None,
         "is a file, but ARGOS_PACKAGES_DIR must name the folder", env=_packages_dir_is_a_file),
    # Exchange files (items 4 and 6).
    Case("TBX entity expansion", _file("bomb.tbx", TBX_BOMB), ("glossary", "import", "bomb.tbx"),
         "bomb.tbx", 3, "XML entity declarations (<!ENTITY …>)"),
    Case("TBX external entity", _file("xxe.tbx", TBX_XXE), ("glossary", "import", "xxe.tbx"),
         "xxe.tbx", 2, "XML entity declarations (<!ENTITY …>)"),
    Case("CSV field over the csv module's limit", _csv_with_a_huge_field,
         ("glossary", "import", "terms.csv"), "terms.csv", 3, "not a readable CSV row"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_with_one_line_and_nothing_changes(
    case: Case, place: Place
) -> None:
    case.setup(place)
    line = case.line_of(place) if case.line_of else case.line
    env = case.env(place) if case.env else None
    path = case.path.replace("<home>", str(place.home))
    refused(place, case.args, path=path, line=line, says=case.says, env_extra=env)


# -- odd but valid: accepted, within the same limits -----------------------------------------

MARKER = "Translated by hand before the odd edit."


def _translate_first_entry(place: Place) -> str:
    text = (place.project / CATALOG).read_text(encoding="utf-8")
    head, separator, rest = text.partition('msgstr ""\n\n')
    at = rest.index('msgstr ""\n')
    return head + separator + rest[:at] + f'msgstr "{MARKER}"\n' + rest[at + 10 :]


def _crlf(place: Place) -> None:
    _set_catalog(place, _translate_first_entry(place).replace("\n", "\r\n").encode())


def _bom(place: Place) -> None:
    _set_catalog(place, b"\xef\xbb\xbf" + _translate_first_entry(place).encode())


def _long_line(place: Place) -> None:
    text = _translate_first_entry(place)
    _set_catalog(place, text.replace(f'"{MARKER}"', f'"{MARKER} {"长" * 700_000}"').encode())


def _long_paragraph(place: Place) -> None:
    _translate_first_entry_and(place)
    (place.project / "sources" / "long.md").write_text(
        "# 长段\n\n" + "患者服药后症状缓解，" * 100_000 + "。\n", encoding="utf-8"
    )


def _zero_width(place: Place) -> None:
    _translate_first_entry_and(place)
    (place.project / "sources" / "pasted.md").write_text(
        "# 粘贴\n\n患者\u200b每天\u200d服药两次。\n", encoding="utf-8"
    )


def _translate_first_entry_and(place: Place) -> None:
    _set_catalog(place, _translate_first_entry(place).encode())


ODD_BUT_VALID = {
    "catalog with CRLF line ends": _crlf,
    "catalog with a BOM": _bom,
    "catalog with a 2 MB line": _long_line,
    "source with a 1 MB paragraph": _long_paragraph,
    "source with zero-width characters pasted from the web": _zero_width,
}


@pytest.mark.parametrize("setup", ODD_BUT_VALID.values(), ids=list(ODD_BUT_VALID))
def test_odd_but_valid_input_is_accepted_within_bounds_and_keeps_translations(
    setup: Callable[[Place], None], place: Place
) -> None:
    setup(place)
    result = run_cli(place.project, "segment", env=isolated_env(place.home))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.code == 0, result.stderr
    catalog = (place.project / CATALOG).read_bytes()
    assert MARKER.encode() in catalog  # the translation survived the merge (maybe re-wrapped)
    assert b"\r" not in catalog and not catalog.startswith(b"\xef\xbb\xbf")  # canonical again
