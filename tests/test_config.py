"""Configuration files: types checked with clear messages, relative paths read from the file's folder."""

from pathlib import Path

import pytest

from languagecheck.config import Config, load_config
from languagecheck.errors import ConfigError


@pytest.mark.parametrize("body, message", [
    ('disabled = "put-self-at-risk"', 'disabled must be a list of strings, not a string (write disabled = ["'),
    ("allow = [1, 2]", "allow must be a list of strings; it holds a number"),
    ('packs = "choice-agency"', "packs must be a list of strings"),
    ('extra-packs = {a = 1}', "extra-packs must be a list of strings, not a table"),
    ('severity = "error"', "severity must be a table of rule = level"),
    ('severity = { "put-self-at-risk" = "loud" }', "severity for 'put-self-at-risk' must be error, warning or info"),
    ('severity = { "put-self-at-risk" = 3 }', "severity for 'put-self-at-risk' must be error, warning or info"),
    ('quotes = ["info"]', "quotes must be a string, not a list"),
    ('quotes = "shout"', "quotes must be info, ignore or flag"),
    ('fail-on = true', "fail-on must be a string, not true/false"),
    ('model = 3', "model must be a string, not a number"),
    ('colour = "red"', "unknown setting 'colour'"),
])
def test_bad_values_name_the_file_and_key(tmp_path, body, message):
    path = tmp_path / ".languagecheck.toml"
    path.write_text(body + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_relative_paths_are_read_from_the_config_files_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.languagecheck]\nextra-packs = ["team/extra.yaml"]\npacks = ["choice-agency", "team/mine.yaml"]\n'
        'model = "models/ours"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(project / "pyproject.toml")
    root = project.resolve()
    assert config.extra_packs == (str(root / "team" / "extra.yaml"),)
    assert config.packs == ("choice-agency", str(root / "team" / "mine.yaml"))
    assert config.model == str(root / "models" / "ours")
    found = load_config(start=project)
    assert found.extra_packs == config.extra_packs


def test_absolute_paths_are_kept(tmp_path):
    path = tmp_path / ".languagecheck.toml"
    target = Path(tmp_path / "x" / "extra.yaml").resolve()
    path.write_text(f'extra-packs = ["{target.as_posix()}"]\n')
    assert load_config(path).extra_packs == (target.as_posix(),)


def test_allow_is_passed_whole_to_the_components():
    config = Config(allow=("put-self-at-risk", "safe and well"), disabled=("awol",))
    settings = config.lexicon_config()
    assert settings["allow"] == ["put-self-at-risk", "safe and well"]
    assert settings["disabled"] == ["awol"]
