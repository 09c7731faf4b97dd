"""Machine translation: one ``Translator`` interface, an argostranslate/CTranslate2 engine and a
fake, plus glossary protection around them (``pipeline.mt.protect``: ``protect``, ``verify``).

Importing this package is cheap: ctranslate2, sentencepiece and argostranslate are imported
only when a model is loaded or a package is installed.
"""

from pipeline.mt.argos import (
    INSTALL_HINT,
    ArgosTranslator,
    InstalledPackage,
    MTSettings,
    MTUnavailable,
    argos_code,
    find_route,
    install_from_index,
    install_package_file,
    list_packages,
    load_translator,
    packages_dir,
    read_package_file,
)
from pipeline.mt.engine import FakeTranslator, PivotTranslator, Progress, Translator
from pipeline.mt.protect import Draft, Expectation, Protected

__all__ = [
    "INSTALL_HINT",
    "ArgosTranslator",
    "Draft",
    "Expectation",
    "FakeTranslator",
    "InstalledPackage",
    "MTSettings",
    "MTUnavailable",
    "PivotTranslator",
    "Progress",
    "Protected",
    "Translator",
    "argos_code",
    "find_route",
    "install_from_index",
    "install_package_file",
    "list_packages",
    "load_translator",
    "packages_dir",
    "read_package_file",
]
