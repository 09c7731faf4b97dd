"""argostranslate packages: validation, installation, discovery, and the CTranslate2 engine.

The packages are real ``.argosmodel`` files with random weights (tests/support/tiny_argos.py).
"""

from __future__ import annotations

import http.server
import io
import json
import os
import shutil
import stat
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main
from support.tiny_argos import cached_package

from pipeline.errors import InputError
from pipeline.mt import (
    ArgosTranslator,
    InstalledPackage,
    MTSettings,
    MTUnavailable,
    PivotTranslator,
    argos_code,
    find_route,
    install_from_index,
    install_package_file,
    list_packages,
    load_translator,
    packages_dir,
)
from pipeline.mt.argos import model_digest


@pytest.fixture
def package_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    return directory


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# --- where packages live ----------------------------------------------------------------


def test_packages_dir_honours_argos_packages_dir(package_dir: Path) -> None:
    assert packages_dir() == package_dir


def test_packages_dir_defaults_under_xdg_data_home(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("pipeline.mt.argos._argos_settings", lambda: None)
    assert packages_dir() == tmp_path / "argos-translate" / "packages"


@pytest.mark.parametrize(
    ("locale", "code"),
    [("zh_Hans", "zh"), ("zh", "zh"), ("zh_Hant", "zt"), ("zh_TW", "zt"), ("en_NZ", "en"),
     ("pt_BR", "pb"), ("pt", "pt"), ("ko", "ko")],
)
def test_argos_code(locale: str, code: str) -> None:
    assert argos_code(locale) == code


def package(
    from_code: str, to_code: str, version: str = "1.0", problem: str = ""
) -> InstalledPackage:
    return InstalledPackage(path=Path(f"{from_code}_{to_code}_{version}"), from_code=from_code,
                            to_code=to_code, package_version=version, problem=problem)


def test_find_route_prefers_direct_newest_then_pivots_through_english() -> None:
    packages = [package("zh", "en", "1.2"), package("zh", "en", "1.10"), package("en", "ko"),
                package("zh", "ja"), package("ja", "ko"), package("zh", "de", problem="broken"),
                package("de", "fr")]
    assert [p.package_version for p in find_route("zh", "en", packages)] == ["1.10"]
    assert [(p.from_code, p.to_code) for p in find_route("zh", "ko", packages)] == [
        ("zh", "en"), ("en", "ko")]
    assert find_route("zh", "fr", packages) is None
    assert find_route("ko", "zh", packages) is None


# --- validation and installation ----------------------------------------------------------


def rezip(source: Path, target: Path, *, rename=None, drop=(), add=None, symlink=None) -> Path:
    """Copy a package zip, changing some entries."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            if info.filename in drop:
                continue
            name = rename(info.filename) if rename else info.filename
            copy.writestr(name, original.read(info.filename))
        for name, data in (add or {}).items():
            copy.writestr(name, data)
        if symlink:
            link = zipfile.ZipInfo(symlink)
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            copy.writestr(link, "/etc/passwd")
    return target


TOP = "translate-zh_en-1_0"


def bad_packages(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = cached_package()
    not_zip = tmp_path / "not-a-zip.argosmodel"
    not_zip.write_text("hello")
    return {
        "not a zip": (not_zip, "not an argostranslate package (not a zip archive)"),
        "no metadata": (rezip(good, tmp_path / "a.argosmodel", drop={f"{TOP}/metadata.json"}),
                        f"missing {TOP}/metadata.json"),
        "bad json": (rezip(good, tmp_path / "b.argosmodel", drop={f"{TOP}/metadata.json"},
                           add={f"{TOP}/metadata.json": "{not json"}),
                     "metadata.json is not valid JSON"),
        "no codes": (rezip(good, tmp_path / "c.argosmodel", drop={f"{TOP}/metadata.json"},
                           add={f"{TOP}/metadata.json": json.dumps({"package_version": "1"})}),
                     "metadata.json has no from_code"),
        "dot dot": (rezip(good, tmp_path / "d.argosmodel", add={f"{TOP}/../../evil.txt": "x"}),
                    "would be written outside the package directory"),
        "absolute": (rezip(good, tmp_path / "e.argosmodel", add={"/tmp/evil.txt": "x"}),
                     "would be written outside the package directory"),
        "symlink": (rezip(good, tmp_path / "f.argosmodel", symlink=f"{TOP}/link"),
                    "is a symbolic link"),
        "two folders": (rezip(good, tmp_path / "g.argosmodel", add={"other/x.txt": "x"}),
                        "exactly one top-level folder"),
        "no model": (rezip(good, tmp_path / "h.argosmodel", drop={f"{TOP}/model/model.bin"}),
                     "missing translate-zh_en-1_0/model/model.bin"),
        "bpe": (rezip(good, tmp_path / "i.argosmodel", drop={f"{TOP}/sentencepiece.model"},
                      add={f"{TOP}/bpe.model": "x"}),
                "BPE tokenizer are not supported"),
    }


@pytest.mark.parametrize(
    "case", ["not a zip", "no metadata", "bad json", "no codes", "dot dot", "absolute",
             "symlink", "two folders", "no model", "bpe"],
)
def test_install_refuses_invalid_packages_with_exit_2_and_installs_nothing(
    case: str, tmp_path: Path, package_dir: Path
) -> None:
    path, message = bad_packages(tmp_path)[case]
    result = run("models", "install", str(path))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{path}: ")
    assert message in result.output
    assert "Traceback" not in result.output
    assert not package_dir.exists() or list(package_dir.iterdir()) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_install_from_file_then_list(package_dir: Path) -> None:
    result = run("models", "install", str(cached_package()))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"installed translate-zh_en 1.0 (zh→en) in {package_dir / TOP}\n")
    listing = run("models", "list", "--format", "json")
    document = json.loads(listing.output)
    assert document["directory"] == str(package_dir)
    assert [(p["name"], p["version"], p["problem"]) for p in document["packages"]] == [
        ("translate-zh_en", "1.0", "")]
    text = run("models", "list").output
    assert "translate-zh_en 1.0: zh → en" in text


def test_reinstalling_replaces_the_package_in_place(package_dir: Path) -> None:
    install_package_file(cached_package())
    marker = package_dir / TOP / "stale.txt"
    marker.write_text("old")
    install_package_file(cached_package())
    assert not marker.exists()
    assert [p.path.name for p in list_packages()] == [TOP]
    assert [p.name for p in package_dir.iterdir()] == [TOP]  # no staging leftovers


def test_a_broken_installed_folder_is_listed_as_unusable(package_dir: Path) -> None:
    (package_dir / "half-copied").mkdir(parents=True)
    listing = run("models", "list")
    assert "half-copied: unusable (no metadata.json)" in listing.output


def test_install_without_arguments_explains(package_dir: Path) -> None:
    result = run("models", "install")
    assert result.exit_code == 2
    assert "pipeline models install --from zh --to en" in result.output


def test_install_from_the_index_without_network_says_so(package_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # nothing listens there
    result = run("models", "install", "--from", "zh_Hans", "--to", "en")
    assert result.exit_code == 2
    assert result.output.startswith(
        "cannot reach the argostranslate package index at http://127.0.0.1:9/index.json")
    assert "no network?" in result.output
    assert "pipeline models install FILE.argosmodel" in result.output


@pytest.fixture
def index_server(tmp_path: Path) -> Iterator[str]:
    """A local package index serving the tiny packages, as the real one serves real ones."""
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(cached_package("zh", "en"), root / "zh_en.argosmodel")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(root)),
    )
    base = f"http://127.0.0.1:{server.server_port}/"
    index = [{"from_code": "zh", "to_code": "en", "package_version": "1.0", "type": "translate",
              "links": [base + "zh_en.argosmodel"]}]
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_install_from_the_index(package_dir: Path, index_server: str,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http.server.SimpleHTTPRequestHandler, "log_message", lambda *a: None)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server)
    result = run("models", "install", "--from", "zh", "--to", "en")
    assert result.exit_code == 0, result.output
    assert [p.package_name for p in list_packages()] == ["translate-zh_en"]
    with pytest.raises(Exception, match="no package for zh→ko"):
        install_from_index("zh", "ko")


# --- the engine ----------------------------------------------------------------------------


@pytest.fixture
def installed(package_dir: Path) -> Path:
    install_package_file(cached_package())
    return package_dir


class CountingModel:
    """Wraps a ctranslate2.Translator to count and record translate_batch calls."""

    def __init__(self, model) -> None:
        self.model = model
        self.calls: list[dict] = []

    def translate_batch(self, tokens, **options):
        self.calls.append({"size": len(tokens), **options})
        return self.model.translate_batch(tokens, **options)


SETTINGS = MTSettings(beam_size=2, max_decoding_length=8, max_batch_size=64)


def test_one_translate_batch_call_for_all_sentences(installed: Path) -> None:
    engine = load_translator("zh_Hans", "en", options=SETTINGS)
    assert isinstance(engine, ArgosTranslator)
    engine.load()
    counter = CountingModel(engine._model)
    engine._model = counter
    sentences = ["拉罗替尼是一种TRK抑制剂。", "", "颅内客观缓解率为90.8%。"] * 20
    outputs = engine.translate_batch(sentences)
    assert len(outputs) == len(sentences)
    assert outputs[1] == ""
    assert all(outputs[i] for i in range(len(sentences)) if sentences[i])
    assert outputs[0] == outputs[3]  # deterministic
    [call] = counter.calls
    assert call["size"] == 40
    assert call["batch_type"] == "tokens"
    assert call["max_batch_size"] == 64
    assert call["beam_size"] == 2
    assert call["max_decoding_length"] == 8


def test_progress_reports_every_sentence(installed: Path) -> None:
    engine = load_translator("zh_Hans", "en", options=SETTINGS)
    reported: list[int] = []
    engine.translate_batch(["拉罗替尼是一种TRK抑制剂。"] * 12, progress=reported.append)
    assert sum(reported) == 12


def test_engine_name_version_and_settings(installed: Path) -> None:
    engine = load_translator("zh_Hans", "en", options=SETTINGS)
    assert (engine.name, engine.version) == ("argos zh→en", "1.0")
    assert engine.settings["beam_size"] == 2
    assert engine.settings["compute_type"] == "int8"
    assert engine.settings["model"] == model_digest(engine.package.path)


def test_pivot_through_english(package_dir: Path) -> None:
    install_package_file(cached_package("zh", "en"))
    install_package_file(cached_package("en", "ko", seed=1))
    engine = load_translator("zh_Hans", "ko", options=SETTINGS)
    assert isinstance(engine, PivotTranslator)
    assert engine.name == "argos zh→en + argos en→ko"
    [output] = engine.translate_batch(["颅内客观缓解率为90.8%。"])
    assert output


def test_no_model_for_the_pair_names_the_install_command(package_dir: Path) -> None:
    with pytest.raises(MTUnavailable) as caught:
        load_translator("zh_Hans", "en")
    assert "pipeline models install --from zh --to en" in caught.value.message


def test_missing_mt_extra_names_the_install_command(installed: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def without_ctranslate2(name, *args, **kwargs):
        if name == "ctranslate2":
            raise ImportError("No module named 'ctranslate2'", name="ctranslate2")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_ctranslate2)
    with pytest.raises(MTUnavailable) as caught:
        load_translator("zh_Hans", "en")
    assert "pip install 'medical-translation-pipeline[mt]'" in caught.value.message


def test_a_damaged_model_is_an_input_error(installed: Path) -> None:
    (installed / TOP / "model" / "model.bin").write_bytes(b"garbage")
    engine = load_translator("zh_Hans", "en", options=SETTINGS)
    with pytest.raises(InputError, match="reinstall the package"):
        engine.translate_batch(["你好。"])


def test_validation_reads_only_the_archive(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x/metadata.json", json.dumps(
            {"from_code": "zh", "to_code": "en", "package_version": "1", "type": "sbd"}))
    path = tmp_path / "sbd.argosmodel"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="only translation packages can be installed"):
        install_package_file(path, target_dir=tmp_path / "never")
    assert not (tmp_path / "never" / "x").exists()


def test_install_with_a_file_and_a_pair_is_a_usage_error(package_dir: Path,
                                                        tmp_path: Path) -> None:
    result = run("models", "install", str(tmp_path / "x.argosmodel"), "--from", "zh")
    assert result.exit_code == 2
    assert "give either PACKAGE_FILE or --from/--to, not both" in result.output
    assert not package_dir.exists()


def test_model_digest_reads_an_unchanged_package_once(installed: Path) -> None:
    [package] = list_packages()
    known: dict[str, str] = {}
    digest = model_digest(package.path, known=known)
    assert list(known.values()) == [digest]
    [stamp] = known
    known[stamp] = "remembered"
    assert model_digest(package.path, known=known) == "remembered"  # not read again
    weights = package.path / "model" / "model.bin"
    os.utime(weights, ns=(1, 1))  # same size, another time: read again
    assert model_digest(package.path, known=known) == digest
    weights.write_bytes(bytes(reversed(weights.read_bytes())))  # other weights, same size
    assert model_digest(package.path) not in (digest, "remembered")
