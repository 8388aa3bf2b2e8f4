"""User configuration: [tool.languagecheck] in pyproject.toml or .languagecheck.toml, found upward."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

FAIL_LEVELS = ("error", "warning", "info", "never")


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
        rules = [a for a in self.allow if _looks_like_rule(a)]
        return {
            "packs": list(self.packs) or None,
            "extra_packs": list(self.extra_packs),
            "disabled": sorted(set(self.disabled) | set(rules)),
            "severity": dict(self.severity),
            "allow": [a for a in self.allow if not _looks_like_rule(a)],
            "quotes": self.quotes,
        }


def _looks_like_rule(value: str) -> bool:
    return " " not in value and "-" in value and value == value.lower()


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
    """Configuration from `path`, or the nearest config file upward from `start`, or the defaults."""
    path = path or find_config(start)
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("languagecheck", {})
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown setting '{key}' (known: {', '.join(sorted(_KEYS))})")
        name = _KEYS[key]
        values[name] = tuple(value) if isinstance(value, list) else value
    config = Config(**values, source=str(path))
    if config.quotes not in ("info", "ignore", "flag"):
        raise ConfigError(f"{path}: quotes must be info, ignore or flag")
    if config.fail_on not in FAIL_LEVELS:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_LEVELS)}")
    for rule, level in config.severity.items():
        if level not in ("error", "warning", "info"):
            raise ConfigError(f"{path}: severity for '{rule}' must be error, warning or info")
    return config
