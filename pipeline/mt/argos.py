"""argostranslate packages on disk, and the CTranslate2 engine that runs them.

Packages are the ``.argosmodel`` files argostranslate installs (a zip holding one folder with
``metadata.json``, a CTranslate2 ``model/`` and ``sentencepiece.model``). They live where
argostranslate keeps them, so an existing user's installs are found: ``ARGOS_PACKAGES_DIR``
(environment or argostranslate's ``settings.json``), else
``$XDG_DATA_HOME/argos-translate/packages`` (default ``~/.local/share/...``).

Inference does not go through ``argostranslate.translate`` (which imports torch and stanza,
splits sentences with a model it downloads, and translates one sentence per call): the
pipeline's segments already are sentences, so :class:`ArgosTranslator` encodes them with the
package's SentencePiece model and hands all of them to one CTranslate2 ``translate_batch``.

ctranslate2, sentencepiece and argostranslate are imported inside functions only: listing
packages never loads ctranslate2, and everything here works without the ``mt`` extra until a
model actually has to run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pipeline.errors import ConfigError, InputError, MTUnavailable, UsageError
from pipeline.mt.engine import PivotTranslator, Progress, Translator

__all__ = [
    "COMPUTE_TYPES",
    "INSTALL_HINT",
    "ArgosTranslator",
    "IndexPackage",
    "InstalledPackage",
    "MTSettings",
    "MTUnavailable",
    "argos_code",
    "find_route",
    "install_from_index",
    "install_package_file",
    "list_packages",
    "load_translator",
    "model_digest",
    "package_search_dirs",
    "packages_dir",
    "read_package_file",
]

INSTALL_HINT = "pip install 'medical-translation-pipeline[mt]'"
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
#: The most a package may unpack to: real argostranslate packages are 50-500 MB.
_MAX_UNPACKED_BYTES = 4 * 1024**3
_MAX_MEMBERS = 20_000
#: Model weights, vocabularies and SentencePiece models compress 1-4 times; a member that
#: shrinks more than this (zeros, repeated blocks) is a zip bomb, not a model. Small members
#: (metadata, READMEs) may compress well and are exempt.
_MAX_COMPRESSION_RATIO = 50
_RATIO_EXEMPT_BYTES = 1024 * 1024
_SAFE_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: CTranslate2's compute types: the one list the config and the command line accept.
COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
_Pkg = TypeVar("_Pkg", "InstalledPackage", "IndexPackage")


@dataclass(frozen=True, kw_only=True)
class MTSettings:
    """How CTranslate2 decodes. Defaults suit a 2-core CPU (see NOTES.md).

    ``inter_threads`` 0 means one translation worker per available core, each with
    ``intra_threads`` OpenMP threads (1: small batches parallelise better across workers).
    ``max_batch_size`` counts tokens; a random or runaway model stops at
    ``max_decoding_length`` tokens.
    """

    beam_size: int = 4
    compute_type: str = "int8"
    inter_threads: int = 0
    intra_threads: int = 1
    max_batch_size: int = 1024
    max_decoding_length: int = 256
    length_penalty: float = 0.2
    device: str = "cpu"

    def __post_init__(self) -> None:
        for name in ("beam_size", "max_batch_size", "max_decoding_length"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise UsageError(f"{name} must be a whole number of at least 1, not {value!r}")
        for name in ("inter_threads", "intra_threads"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise UsageError(f"{name} must be a whole number (0 = automatic), not {value!r}")
        if self.compute_type not in COMPUTE_TYPES:
            raise UsageError(
                f"unknown compute_type {self.compute_type!r}; use one of "
                + ", ".join(COMPUTE_TYPES)
            )
        if self.device not in ("cpu", "cuda", "auto"):
            raise UsageError(f"device must be cpu, cuda or auto, not {self.device!r}")

    @property
    def workers(self) -> int:
        return self.inter_threads or available_cores()

    def output_settings(self) -> dict[str, object]:
        """The settings that change the translation (part of the MT cache key)."""
        return {
            "beam_size": self.beam_size,
            "compute_type": self.compute_type,
            "max_decoding_length": self.max_decoding_length,
            "length_penalty": self.length_penalty,
            "device": self.device,
        }


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# --- where packages live ------------------------------------------------------------------


def packages_dir() -> Path:
    """The directory argostranslate installs packages into (and so do we); a file in its
    place is a :class:`ConfigError` naming the setting."""
    from_environment = os.environ.get("ARGOS_PACKAGES_DIR")
    if from_environment:
        return _packages_folder(Path(from_environment).expanduser(), "ARGOS_PACKAGES_DIR")
    settings = _argos_settings()
    if settings is not None:
        configured = settings.get_setting("ARGOS_PACKAGES_DIR")  # also reads settings.json
        if configured:
            return _packages_folder(
                Path(configured).expanduser(), "ARGOS_PACKAGES_DIR in argostranslate's settings"
            )
    return _packages_folder(_data_home() / "argos-translate" / "packages", "XDG_DATA_HOME")


def _packages_folder(path: Path, setting: str) -> Path:
    if path.exists() and not path.is_dir():
        raise ConfigError(
            f"is a file, but {setting} must name the folder that holds the translation models; "
            "point it at a folder (it is created when needed) or unset it",
            path=path,
        )
    return path


def package_search_dirs() -> list[Path]:
    """Every directory argostranslate looks in: the packages dir plus snap bundles."""
    found = [packages_dir()]
    snap = os.environ.get("SNAP")
    if snap:
        bundled = Path(snap) / "snap_custom" / "packages"
        if bundled.is_dir():
            found.append(bundled)
        content = Path(snap) / "snap_custom" / "content_snap_packages"
        if content.is_dir():
            found.extend(sorted(p for p in content.iterdir() if p.is_dir()))
    return found


def _data_home() -> Path:
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")


def _argos_settings() -> Any:
    try:
        from argostranslate import settings
    except ImportError:
        return None
    return settings


# --- installed packages ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class InstalledPackage:
    """One package folder. ``problem`` says why it cannot be used ("" when it can)."""

    path: Path
    from_code: str = ""
    to_code: str = ""
    from_name: str = ""
    to_name: str = ""
    package_version: str = ""
    argos_version: str = ""
    type: str = "translate"
    target_prefix: str = ""
    problem: str = ""

    @property
    def name(self) -> str:
        """Shown in origin comments: ``argos zh→en``."""
        return f"argos {self.from_code}→{self.to_code}"

    @property
    def package_name(self) -> str:
        """argospm's name: ``translate-zh_en``."""
        return f"{self.type}-{self.from_code}_{self.to_code}"

    @property
    def is_usable(self) -> bool:
        return not self.problem and self.type == "translate"

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.package_name,
            "from": self.from_code,
            "to": self.to_code,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "version": self.package_version,
            "path": str(self.path),
            "problem": self.problem,
        }


def list_packages() -> list[InstalledPackage]:
    """Installed packages, sorted by pair and version; broken folders carry a ``problem``."""
    packages = []
    for directory in package_search_dirs():
        if not directory.is_dir():
            continue
        for folder in sorted(directory.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                packages.append(_read_installed(folder))
    return sorted(
        packages, key=lambda p: (p.from_code, p.to_code, _version_key(p.package_version))
    )


def _read_installed(folder: Path) -> InstalledPackage:
    metadata_path = folder / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return InstalledPackage(path=folder, problem="no metadata.json")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return InstalledPackage(path=folder, problem=f"unreadable metadata.json ({exc})")
    problem = _metadata_problem(metadata)
    if problem:
        return InstalledPackage(path=folder, problem=problem)
    package = _package_from_metadata(folder, metadata)
    if package.type != "translate":
        return package
    if not (folder / "model" / "model.bin").is_file():
        return replace(package, problem="no model/model.bin")
    if not (folder / "sentencepiece.model").is_file():
        return replace(package, problem="no sentencepiece.model (BPE packages are not supported)")
    return package


def _metadata_problem(metadata: object) -> str:
    if not isinstance(metadata, dict):
        return "metadata.json is not a JSON object"
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"metadata.json has no {key}"
    version = metadata.get("package_version")
    if not isinstance(version, str | int | float) or isinstance(version, bool):
        return "metadata.json has no package_version"
    if not isinstance(metadata.get("type", "translate"), str):
        return "metadata.json: type must be a string"
    return ""


def _package_from_metadata(folder: Path, metadata: dict[str, Any]) -> InstalledPackage:
    return InstalledPackage(
        path=folder,
        from_code=metadata["from_code"].strip(),
        to_code=metadata["to_code"].strip(),
        from_name=str(metadata.get("from_name", "")),
        to_name=str(metadata.get("to_name", "")),
        package_version=str(metadata["package_version"]),
        argos_version=str(metadata.get("argos_version", "")),
        type=metadata.get("type", "translate"),
        target_prefix=str(metadata.get("target_prefix", "") or ""),
    )


def _version_key(version: str) -> tuple[tuple[int, object], ...]:
    parts = re.split(r"[._-]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def find_route(
    from_code: str, to_code: str, packages: Iterable[InstalledPackage]
) -> list[InstalledPackage] | None:
    """The packages that translate ``from_code`` to ``to_code``: one, or two through a pivot.

    The newest package wins; a pivot goes through English when it can (as argostranslate's
    own pivoting would find), else through any language both sides share.
    """
    usable = [p for p in packages if p.is_usable]
    direct = _newest(usable, from_code, to_code)
    if direct is not None:
        return [direct]
    pivots = sorted({p.to_code for p in usable if p.from_code == from_code})
    for pivot in sorted(pivots, key=lambda code: code != "en"):
        first, second = _newest(usable, from_code, pivot), _newest(usable, pivot, to_code)
        if first is not None and second is not None:
            return [first, second]
    return None


def _newest(packages: Iterable[_Pkg], from_code: str, to_code: str) -> _Pkg | None:
    """The highest ``package_version`` among ``packages`` for one pair, or ``None``."""
    matches = [p for p in packages if p.from_code == from_code and p.to_code == to_code]
    return max(matches, key=lambda p: _version_key(p.package_version), default=None)


def argos_code(locale: str) -> str:
    """The argostranslate language code for a CLDR locale.

    >>> argos_code("zh_Hans"), argos_code("zh_Hant"), argos_code("pt_BR"), argos_code("en_NZ")
    ('zh', 'zt', 'pb', 'en')
    """
    from babel import Locale

    sep = "-" if "-" in locale else "_"
    parsed = Locale.parse(locale, sep=sep)
    if parsed.language == "zh" and (
        parsed.script == "Hant"
        or (parsed.script is None and parsed.territory in {"TW", "HK", "MO"})
    ):
        return "zt"
    if parsed.language == "pt" and parsed.territory == "BR":
        return "pb"
    return parsed.language


# --- installing -------------------------------------------------------------------------------


def read_package_file(path: Path) -> InstalledPackage:
    """Validate a ``.argosmodel`` without extracting it; raise :class:`InputError` if invalid.

    Refuses what is not a zip, what lacks a valid ``metadata.json``, a model or a SentencePiece
    model, and any entry that could land outside the package folder (``..``, absolute paths,
    drive letters, symbolic links).
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise InputError("no such file; give the path of a .argosmodel package", path=shown)
    if not zipfile.is_zipfile(path):
        raise InputError(
            "not an argostranslate package (not a zip archive); download a .argosmodel file "
            "from the argostranslate package index",
            path=shown,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            return _validate_archive(archive, shown)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"damaged zip archive ({exc}); download it again", path=shown) from exc
    except (NotImplementedError, RuntimeError) as exc:  # a compression method, a password
        raise InputError(
            f"cannot unpack this archive ({exc}); repack it as a plain zip file", path=shown
        ) from exc


def _validate_archive(archive: zipfile.ZipFile, shown: str) -> InstalledPackage:
    members = archive.infolist()
    if not members:
        raise InputError("the archive is empty; it is not an argostranslate package", path=shown)
    if len(members) > _MAX_MEMBERS:
        raise InputError(
            f"the archive holds {len(members)} files; too many for a model", path=shown
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > _MAX_UNPACKED_BYTES:
        raise InputError(
            f"the archive unpacks to {unpacked / 1024**3:.1f} GiB, more than the "
            f"{_MAX_UNPACKED_BYTES // 1024**3} GiB of any real model (a zip bomb?); refusing "
            "to install it",
            path=shown,
        )
    files: set[str] = set()
    for member in members:
        if (
            member.file_size > _RATIO_EXEMPT_BYTES
            and member.file_size > _MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise InputError(
                f"archive entry {member.filename!r} unpacks to "
                f"{member.file_size // max(member.compress_size, 1)} times its compressed size; "
                "no model compresses like that (a zip bomb?): refusing to install it",
                path=shown,
            )
        name = member.filename.rstrip("/")
        if name in files:
            raise InputError(
                f"archive entry {name!r} appears twice; refusing to install this file",
                path=shown,
            )
        if not member.is_dir():
            files.add(name)
    for member in members:
        folders = member.filename.rstrip("/").split("/")[:-1]
        for depth in range(1, len(folders) + 1):
            folder = "/".join(folders[:depth])
            if folder in files:
                raise InputError(
                    f"archive entry {folder!r} is both a file and a folder (it holds "
                    f"{member.filename!r}); refusing to install this file",
                    path=shown,
                )
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        if (
            name.startswith(("/", "\\"))
            or re.match(r"[A-Za-z]:", name)
            or "\\" in name
            or ".." in parts
            or "\x00" in name
        ):
            raise InputError(
                f"archive entry {name!r} would be written outside the package directory; "
                "refusing to install this file",
                path=shown,
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise InputError(
                f"archive entry {name!r} is a symbolic link; refusing to install this file",
                path=shown,
            )
    tops = sorted({m.filename.split("/")[0] for m in members})
    if len(tops) != 1 or all("/" not in m.filename for m in members):
        raise InputError(
            "an argostranslate package holds exactly one top-level folder with metadata.json "
            f"in it; this archive holds: {', '.join(tops[:5])}",
            path=shown,
        )
    top = tops[0]
    if not _SAFE_FOLDER.fullmatch(top):
        raise InputError(f"package folder name {top!r} is not a safe directory name", path=shown)
    names = {m.filename for m in members}
    if f"{top}/metadata.json" not in names:
        raise InputError(f"missing {top}/metadata.json; not an argostranslate package", path=shown)
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{top}/metadata.json is not valid JSON ({exc})", path=shown) from exc
    problem = _metadata_problem(metadata)
    if problem:
        raise InputError(
            f"{problem}; a package needs from_code, to_code and package_version", path=shown
        )
    package = _package_from_metadata(Path(top), metadata)
    if package.type != "translate":
        raise InputError(
            f"this is a {package.type!r} package; only translation packages can be installed",
            path=shown,
        )
    if f"{top}/model/model.bin" not in names:
        raise InputError(f"missing {top}/model/model.bin (the CTranslate2 model)", path=shown)
    if f"{top}/sentencepiece.model" not in names:
        raise InputError(
            f"missing {top}/sentencepiece.model; packages with a BPE tokenizer are not supported",
            path=shown,
        )
    damaged = archive.testzip()
    if damaged is not None:
        raise InputError(f"archive entry {damaged!r} is damaged; download it again", path=shown)
    return package


def install_package_file(path: Path, *, target_dir: Path | None = None) -> InstalledPackage:
    """Validate and install a ``.argosmodel``; replaces an installed copy of the same folder.

    Nothing is installed unless the whole archive is valid: it is unpacked into a hidden
    folder next to the packages and moved into place in one rename.
    """
    package = read_package_file(path)
    destination_root = target_dir or packages_dir()
    try:
        return _unpack(Path(path), package, destination_root)
    except OSError as exc:
        raise InputError(
            f"cannot install into {destination_root} ({exc.strerror}); check that the folder "
            "is writable and the disk has room",
            path=str(path),
        ) from exc


def _unpack(path: Path, package: InstalledPackage, destination_root: Path) -> InstalledPackage:
    destination_root.mkdir(parents=True, exist_ok=True)
    destination = destination_root / package.path.name
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=destination_root))
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                target = staging / member.filename
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
        unpacked = staging / package.path.name
        retired = staging / ".previous"
        if destination.exists():
            os.replace(destination, retired)
        try:
            os.replace(unpacked, destination)
        except OSError:
            if retired.exists():
                os.replace(retired, destination)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _read_installed(destination)


@dataclass(frozen=True, kw_only=True)
class IndexPackage:
    from_code: str
    to_code: str
    package_version: str
    links: tuple[str, ...]

    @property
    def package_name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}"


def fetch_index(*, url: str | None = None, timeout: float = 20.0) -> list[IndexPackage]:
    """The argostranslate package index; :class:`MTUnavailable` when it cannot be reached."""
    index_url = url or index_url_setting()
    try:
        data = _download(index_url, timeout=timeout)
        document = json.loads(data.decode("utf-8"))
    except OSError as exc:  # URLError and TimeoutError included
        raise MTUnavailable(
            f"cannot reach the argostranslate package index at {index_url} ({_reason(exc)}); "
            "no network? Download the .argosmodel file on a connected machine and run "
            "'pipeline models install FILE.argosmodel'"
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MTUnavailable(f"the package index at {index_url} is not valid JSON") from exc
    found = []
    for entry in document if isinstance(document, list) else []:
        if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
            continue
        if _metadata_problem(entry):
            continue
        links = tuple(str(link) for link in entry.get("links", []) if isinstance(link, str))
        found.append(
            IndexPackage(
                from_code=entry["from_code"],
                to_code=entry["to_code"],
                package_version=str(entry["package_version"]),
                links=links,
            )
        )
    return found


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str | None = None,
    timeout: float = 60.0,
    target_dir: Path | None = None,
) -> list[InstalledPackage]:
    """Download and install the package(s) for a pair: direct, else both legs of a pivot."""
    index = fetch_index(url=index_url, timeout=timeout)
    direct = _newest(index, from_code, to_code)
    chosen = (
        [direct] if direct else [_newest(index, from_code, "en"), _newest(index, "en", to_code)]
    )
    if not all(chosen):
        raise UsageError(
            f"the argostranslate package index has no package for {from_code}→{to_code}, "
            "directly or through English"
        )
    installed = []
    for package in chosen:
        assert package is not None
        installed.append(_download_and_install(package, timeout=timeout, target_dir=target_dir))
    return installed


def _download_and_install(
    package: IndexPackage, *, timeout: float, target_dir: Path | None
) -> InstalledPackage:
    if not package.links:
        raise MTUnavailable(f"the package index lists no download link for {package.package_name}")
    errors = []
    for link in package.links:
        try:
            data = _download(link, timeout=timeout)
        except OSError as exc:  # URLError and TimeoutError included
            errors.append(f"{link}: {_reason(exc)}")
            continue
        with tempfile.TemporaryDirectory() as work:
            file = Path(work) / f"{package.package_name}.argosmodel"
            file.write_bytes(data)
            return install_package_file(file, target_dir=target_dir)
    raise MTUnavailable(
        f"could not download {package.package_name} ({'; '.join(errors)}); no network? "
        "Download it on a connected machine and run 'pipeline models install FILE.argosmodel'"
    )


def index_url_setting() -> str:
    """argostranslate's ``ARGOS_PACKAGE_INDEX`` (environment or settings.json) + ``index.json``."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    if not base:
        settings = _argos_settings()
        if settings is not None:
            base = settings.get_setting("ARGOS_PACKAGE_INDEX")
    base = base or DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def _download(url: str, *, timeout: float) -> bytes:
    import urllib.request  # only the network paths pay for it

    request = urllib.request.Request(url, headers={"User-Agent": "medical-translation-pipeline"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc) or type(exc).__name__


# --- the engine -------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ArgosTranslator:
    """One package run straight on CTranslate2: every sentence in one ``translate_batch`` call.

    The model loads on first use. Sentences are SentencePiece-encoded here; CTranslate2 sorts
    them by length and cuts batches of ``max_batch_size`` tokens, which its ``inter_threads``
    workers translate in parallel.
    """

    package: InstalledPackage
    options: MTSettings = field(default_factory=MTSettings)
    known_digests: MutableMapping[str, str] | None = field(default=None, repr=False)
    _digest: str | None = field(default=None, init=False, repr=False)
    _model: Any = field(default=None, init=False, repr=False)
    _tokenizer: Any = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.package.name

    @property
    def version(self) -> str:
        return self.package.package_version

    @property
    def settings(self) -> Mapping[str, object]:
        if self._digest is None:
            self._digest = model_digest(self.package.path, known=self.known_digests)
        return {**self.options.output_settings(), "model": self._digest}

    def load(self) -> None:
        """Load the model and tokenizer now (otherwise on the first translation)."""
        if self._model is not None:
            return
        ctranslate2, sentencepiece = _import_engine()
        try:
            self._tokenizer = sentencepiece.SentencePieceProcessor(
                model_file=str(self.package.path / "sentencepiece.model")
            )
            self._model = ctranslate2.Translator(
                str(self.package.path / "model"),
                device=self.options.device,
                compute_type=self.options.compute_type,
                inter_threads=self.options.workers,
                intra_threads=self.options.intra_threads,
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise InputError(
                f"cannot load the model ({exc}); reinstall the package with "
                "'pipeline models install'",
                path=str(self.package.path),
            ) from exc

    def encode(self, sentences: Sequence[str]) -> list[list[str]]:
        self.load()
        return [self._tokenizer.encode(sentence, out_type=str) for sentence in sentences]

    def translate_batch(
        self, sentences: Sequence[str], *, progress: Progress | None = None
    ) -> list[str]:
        outputs = [""] * len(sentences)
        wanted = [i for i, sentence in enumerate(sentences) if sentence.strip()]
        if not wanted:
            return outputs
        tokens = self.encode([sentences[i] for i in wanted])
        hypotheses = self.translate_tokens(tokens, progress=progress)
        prefix = self.package.target_prefix
        for index, pieces in zip(wanted, hypotheses, strict=True):
            if prefix and pieces and pieces[0] == prefix:
                pieces = pieces[1:]
            outputs[index] = self._tokenizer.decode(pieces).strip()
        return outputs

    def translate_tokens(
        self, tokens: Sequence[list[str]], *, progress: Progress | None = None
    ) -> list[list[str]]:
        """The bare CTranslate2 call on pre-tokenized input (also used by the benchmark)."""
        self.load()
        prefix = self.package.target_prefix
        options = self.options
        results = self._model.translate_batch(
            list(tokens),
            target_prefix=[[prefix]] * len(tokens) if prefix else None,
            max_batch_size=options.max_batch_size,
            batch_type="tokens",
            beam_size=options.beam_size,
            length_penalty=options.length_penalty,
            max_decoding_length=options.max_decoding_length,
            replace_unknowns=True,
            asynchronous=progress is not None,
        )
        if progress is not None:
            results = _wait_with_progress(results, progress)
        return [result.hypotheses[0] for result in results]


def _wait_with_progress(pending: list[Any], progress: Progress) -> list[Any]:
    """Poll asynchronous results, reporting each finished sentence once."""
    waiting = list(range(len(pending)))
    while waiting:
        still = [i for i in waiting if not pending[i].done()]
        if len(still) < len(waiting):
            progress(len(waiting) - len(still))
        waiting = still
        if waiting:
            time.sleep(0.05)
    return [result.result() for result in pending]


def model_digest(folder: Path, *, known: MutableMapping[str, str] | None = None) -> str:
    """SHA-256 over the names and contents of every file of an installed package.

    This is the model's identity in the MT cache key: two packages of one architecture (equal
    file sizes) but other weights never share cached drafts. Reading a real package costs
    about 0.2 s per 100 MB, so ``known`` (the MT cache's table) remembers each digest under
    the files' paths, sizes and modification times: an unchanged package is read once.
    """
    folder = Path(folder)
    try:
        files = sorted(path for path in folder.rglob("*") if path.is_file())
        listing = [
            (path.relative_to(folder).as_posix(), path.stat()) for path in files
        ]
    except OSError as exc:
        raise InputError(
            f"cannot read the model ({exc.strerror or exc}); reinstall the package with "
            "'pipeline models install'",
            path=str(folder),
        ) from exc
    stamp = hashlib.sha256(
        json.dumps(
            [str(folder.resolve()), [[name, st.st_size, st.st_mtime_ns] for name, st in listing]]
        ).encode("utf-8")
    ).hexdigest()
    if known is not None and stamp in known:
        return known[stamp]
    total = hashlib.sha256()
    for path, (name, st) in zip(files, listing, strict=True):
        try:
            with path.open("rb") as stream:
                content = hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as exc:
            raise InputError(
                f"cannot read the model ({exc.strerror or exc}); reinstall the package with "
                "'pipeline models install'",
                path=str(path),
            ) from exc
        total.update(f"{name}\0{st.st_size}\0{content}\n".encode())
    digest = total.hexdigest()
    if known is not None:
        known[stamp] = digest
    return digest


def _import_engine() -> tuple[Any, Any]:
    try:
        import ctranslate2
        import sentencepiece
    except ImportError as exc:
        raise MTUnavailable(
            f"machine translation needs the mt extra ({exc.name} is not installed); "
            f"install it with: {INSTALL_HINT}"
        ) from exc
    return ctranslate2, sentencepiece


def load_translator(
    source_locale: str,
    target_locale: str,
    *,
    options: MTSettings | None = None,
    packages: Sequence[InstalledPackage] | None = None,
    factory: Callable[[InstalledPackage, MTSettings], Translator] | None = None,
    known_digests: MutableMapping[str, str] | None = None,
) -> Translator:
    """The engine for a locale pair: one package, or two chained through a pivot.

    ``known_digests`` remembers the models' content digests between runs (see
    :func:`model_digest`).

    Raises :class:`MTUnavailable` (with the command that fixes it) when the ``mt`` extra or a
    package for the pair is missing.
    """
    options = options or MTSettings()
    from_code, to_code = argos_code(source_locale), argos_code(target_locale)
    route = find_route(from_code, to_code, list_packages() if packages is None else packages)
    if route is None:
        raise MTUnavailable(
            f"no machine-translation model for {from_code}→{to_code} is installed in "
            f"{packages_dir()}; run 'pipeline models install --from {from_code} --to {to_code}' "
            "(needs a network) or 'pipeline models install FILE.argosmodel'"
        )
    if factory is None:
        _import_engine()  # fail here, with the install hint, rather than mid-run
    make = factory or (
        lambda package, settings: ArgosTranslator(
            package=package, options=settings, known_digests=known_digests
        )
    )
    engines = [make(package, options) for package in route]
    if len(engines) == 1:
        return engines[0]
    return PivotTranslator(first=engines[0], second=engines[1])
