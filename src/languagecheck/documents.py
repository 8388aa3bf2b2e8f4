"""Read one document's text safely: never modify it, never echo it, fail with a clear named reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors

DEFAULT_MAX_MB = 20.0
_SNIFF = 8192
_BOMS = (((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "utf-32"), ((b"\xff\xfe", b"\xfe\xff"), "utf-16"))


@dataclass(frozen=True)
class Document:
    """A text to scan and where it came from: `path` for files, `id` for records in an export."""

    text: str
    path: str | None = None
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.id or self.path or "<text>"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer finds; binary is refused."""
    if not data.strip():
        raise errors.input_error(name, errors.EMPTY)
    for boms, encoding in _BOMS:  # UTF-32 first: its little-endian BOM starts with UTF-16's
        if data.startswith(boms):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise errors.input_error(name, errors.UNDECODABLE) from None
    if b"\x00" in data[:_SNIFF]:
        raise errors.input_error(name, errors.BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise errors.input_error(name, errors.UNDECODABLE)
    text = str(best)
    if _looks_binary(text):
        raise errors.input_error(name, errors.BINARY)
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:_SNIFF]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return control > max(2, len(sample) // 100)


def read_bytes(path: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    name = str(path)
    if path.is_dir():
        raise errors.input_error(name, errors.NOT_A_FILE)
    if not path.exists():
        raise errors.input_error(name, errors.NOT_FOUND)
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise errors.input_error(name, errors.TOO_LARGE, size_mb=size / 1024 / 1024, limit_mb=max_mb)
        return path.read_bytes()
    except OSError as exc:
        raise errors.input_error(name, errors.UNREADABLE, reason=exc.strerror or exc.__class__.__name__) from None


def read_text_file(path: Path, max_mb: float = DEFAULT_MAX_MB) -> Document:
    text = decode(read_bytes(path, max_mb), str(path))
    if not text.strip():
        raise errors.input_error(str(path), errors.EMPTY)
    return Document(text=text, path=str(path))
