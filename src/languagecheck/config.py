"""User configuration: [tool.languagecheck] in pyproject.toml or .languagecheck.toml, found upward."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

FAIL_LEVELS = ("error", "warning", "info", "never")
QUOTE_POLICIES = ("info", "ignore", "flag")


@dataclass(frozen=True)
class Config:
    packs: tuple[str, ...] = ()  # empty: every pack in lexicons/
    extra_packs: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()  # rule ids never reported
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|info
    allow: tuple[str, ...] = ()  # rule ids or exact phrases accepted by the team
    quotes: str = "info"  # quoted words: "info" (report as info), "ignore", "flag"
    fail_on: str = "warning"
    model: str | None = None  # model directory; default: models/languagecheck-minilm
    source: str | None = None  # where this configuration was read from

    def lexicon_config(self) -> dict[str, Any]:
        # `allow` is passed whole: the components holding the rules decide which items are their rule ids
        return {
            "packs": list(self.packs) or None,
            "extra_packs": list(self.extra_packs),
            "disabled": sorted(set(self.disabled)),
            "severity": dict(self.severity),
            "allow": list(self.allow),
            "quotes": self.quotes,
        }


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name != "source"}


def find_config(start: Path | None = None) -> Path | None:
    directory = (start or Path.cwd()).resolve()
    for folder in [directory, *directory.parents]:
        dedicated = folder / ".languagecheck.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "languagecheck" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration ({exc})") from exc


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Configuration from `path`, or the nearest config file upward from `start`, or the defaults.

    Relative paths in it (extra-packs, pack files, model) are read from the config file's folder.
    """
    path = path or find_config(start)
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("languagecheck", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.languagecheck] must be a table of settings")
    folder = path.resolve().parent
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown setting '{key}' (known: {', '.join(sorted(_KEYS))})")
        name = _KEYS[key]
        if name in _LISTS:
            values[name] = _string_list(path, key, value)
        elif name == "severity":
            values[name] = _severity_table(path, key, value)
        else:
            if not isinstance(value, str):
                raise ConfigError(f"{path}: {key} must be a string, not {_kind(value)}")
            values[name] = value
    if "extra_packs" in values:
        values["extra_packs"] = tuple(_relative_to(folder, p) for p in values["extra_packs"])
    if "packs" in values:
        values["packs"] = tuple(_relative_to(folder, p) if p.endswith((".yaml", ".yml")) else p
                                for p in values["packs"])
    if "model" in values:
        values["model"] = _relative_to(folder, values["model"])
    config = Config(**values, source=str(path))
    if config.quotes not in QUOTE_POLICIES:
        raise ConfigError(f"{path}: quotes must be info, ignore or flag, not '{config.quotes}'")
    if config.fail_on not in FAIL_LEVELS:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_LEVELS)}, not '{config.fail_on}'")
    return config


_LISTS = {"packs", "extra_packs", "disabled", "allow"}
_LEVELS = ("error", "warning", "info")


def _kind(value: Any) -> str:
    return {str: "a string", list: "a list", dict: "a table", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _string_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        hint = f' (write {key} = ["{value}"])' if isinstance(value, str) else ""
        raise ConfigError(f"{path}: {key} must be a list of strings, not {_kind(value)}{hint}")
    for item in value:
        if not isinstance(item, str):
            raise ConfigError(f"{path}: {key} must be a list of strings; it holds {_kind(item)}")
    return tuple(value)


def _severity_table(path: Path, key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f'{path}: {key} must be a table of rule = level, e.g. {key} = {{ "rule-id" = "info" }}, '
                          f"not {_kind(value)}")
    for rule, level in value.items():
        if level not in _LEVELS:
            raise ConfigError(f"{path}: {key} for '{rule}' must be error, warning or info, not {level!r}")
    return dict(value)


def _relative_to(folder: Path, value: str) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else folder / path)
