"""[tool.pipeline] configuration: defaults, Babel-validated locales, exact error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_config, parse_locale, plural_forms
from pipeline.errors import ConfigError


def write_config(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "content"\n\n[tool.pipeline]\n' + body, encoding="utf-8"
    )
    return tmp_path


def test_defaults_work_without_any_configuration(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source_locale == "zh_Hans"
    assert config.target_locales == ("en",)
    assert config.sources_dir == tmp_path.resolve() / "sources"
    assert config.catalog_path("ntrk", "en") == (
        tmp_path.resolve() / "locales" / "en" / "LC_MESSAGES" / "ntrk.po"
    )
    assert config.template_path("ntrk") == tmp_path.resolve() / "locales/templates/ntrk.pot"


def test_front_matter_fields_default_and_project_list(tmp_path: Path) -> None:
    assert load_config(tmp_path).front_matter == ("title", "subtitle", "description", "summary")
    write_config(
        tmp_path,
        '\n[tool.pipeline.markdown]\nfront_matter = ["title", "speaker", "source", "title"]\n',
    )
    assert load_config(tmp_path).front_matter == ("title", "speaker", "source")


def test_locales_are_canonicalised_by_babel(tmp_path: Path) -> None:
    write_config(tmp_path, 'source_locale = "zh-Hans"\ntarget_locales = ["en-NZ", "ko"]\n')
    config = load_config(tmp_path)
    assert config.source_locale == "zh_Hans"
    assert config.target_locales == ("en_NZ", "ko")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'source_locale = "zh_Hans"\ntarget_locales = ["en", "klingon"]\n',
            "pyproject.toml:6: unknown locale 'klingon'; use a CLDR code such as 'en', 'en_NZ', "
            "'ko' or 'zh_Hans'",
        ),
        (
            'target_locales = "en"\n',
            'pyproject.toml:5: target_locales must be a non-empty list such as ["en"]',
        ),
        (
            'target_locales = ["en", "en"]\n',
            "pyproject.toml:5: target locale 'en' is listed twice in target_locales",
        ),
        (
            'target_locales = ["zh_Hans"]\n',
            "pyproject.toml:5: target locale 'zh_Hans' is the source locale; remove it from "
            "target_locales",
        ),
        (
            'sources = "sources"\ntarget_locale = ["en"]\n',
            "pyproject.toml:6: unknown key 'target_locale' in [tool.pipeline]; known keys: "
            "build, contrast, glossary, locales, markdown, mt, publish, review, site, "
            "source_locale, sources, state, target_locales, tm",
        ),
        (
            '\n[tool.pipeline.markdown]\nfront_matter = "title"\n',
            "pyproject.toml:7: front_matter in [tool.pipeline.markdown] must be a list of the "
            'front matter fields to translate, such as ["title", "description", "speaker"]',
        ),
        (
            '\n[tool.pipeline.markdown]\nfront_matter = ["title", ""]\n',
            "pyproject.toml:7: front_matter in [tool.pipeline.markdown] must be a list of the "
            'front matter fields to translate, such as ["title", "description", "speaker"]',
        ),
        (
            '\n[tool.pipeline.markdown]\nfront_matter = ["title"]\nfrontmatter = ["x"]\n',
            "pyproject.toml:8: unknown key 'frontmatter' in [tool.pipeline.markdown]; known "
            "keys: front_matter",
        ),
        (
            'markdown = "title"\n',
            "pyproject.toml:5: [tool.pipeline.markdown] must be a table, such as: front_matter "
            '= ["title", "description"]',
        ),
        (
            'source_locale = 5\n',
            "pyproject.toml:5: locale must be a non-empty string such as 'en' or 'zh_Hans', "
            "not 5",
        ),
        (
            'source_locale = "zh_Hans\n',
            "pyproject.toml:5: not valid TOML (Illegal character '\\n'); fix the syntax",
        ),
    ],
)
def test_bad_configuration_names_the_line_and_the_fix(
    tmp_path: Path, body: str, message: str
) -> None:
    write_config(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2


def test_plural_forms_come_from_babel() -> None:
    assert plural_forms("en") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("ko") == "nplurals=1; plural=0;"


def test_plural_forms_agree_with_babels_get_plural_for_every_locale() -> None:
    # plural_forms loads babel.messages.plurals' file on its own (without Babel's catalog
    # machinery): it must answer exactly what the ordinary import answers.
    from babel.localedata import locale_identifiers
    from babel.messages.plurals import get_plural

    codes = locale_identifiers()
    assert len(codes) > 700
    expected = [get_plural(code).plural_forms for code in codes]
    assert [plural_forms(code) for code in codes] == expected


def test_parse_locale_rejects_unknown_codes() -> None:
    assert parse_locale("en_NZ") == "en_NZ"
    with pytest.raises(ConfigError, match="unknown locale 'xx'"):
        parse_locale("xx")
