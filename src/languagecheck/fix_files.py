"""--fix-dir: rewritten copies of plain-text inputs, first suggestions applied, plus a unified diff each.

Inputs are never changed: the output folder may not be, or lie inside, a folder being scanned, and a
target that is an input file is refused. Copies are written as UTF-8 with the input's line endings.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .documents import Document
from .errors import ConfigError
from .fix import apply_first_suggestions
from .readers import TEXT_SUFFIXES
from .store import StoredDocument


class FixWriter:
    """Called once per scanned document; writes OUT/<path relative to its input folder> and a .diff."""

    def __init__(self, out_dir: Path, inputs: list[str]):
        self.out_dir = out_dir
        self.roots = [Path(i) for i in inputs if Path(i).is_dir()]
        resolved = out_dir.resolve()
        for root in self.roots:
            if resolved == root.resolve() or root.resolve() in resolved.parents:
                raise ConfigError(f"--fix-dir {out_dir} is inside the folder being scanned ({root}); "
                                  "choose a folder outside it so inputs are never touched")
        self.written = 0
        self._taken: set[Path] = set()

    def target(self, path: Path) -> Path:
        for root in self.roots:
            if path.is_relative_to(root):
                return path.relative_to(root)
        return Path(path.name)

    def __call__(self, doc: Document, stored: StoredDocument) -> None:
        if doc.id is not None or doc.path is None or Path(doc.path).suffix.lower() not in TEXT_SUFFIXES:
            return
        fixed = apply_first_suggestions(doc.text, stored.findings)
        if fixed == doc.text:
            return
        relative = self.target(Path(doc.path))
        n = 1
        while relative in self._taken:  # two file arguments with the same name
            n += 1
            relative = relative.with_name(f"{relative.stem}.{n}{relative.suffix}")
        self._taken.add(relative)
        destination = self.out_dir / relative
        if destination.exists() and destination.samefile(doc.path):
            raise ConfigError(f"--fix-dir would overwrite the input {doc.path}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("w", encoding="utf-8", newline="") as fh:
            fh.write(fixed)
        diff = difflib.unified_diff(doc.text.splitlines(keepends=True), fixed.splitlines(keepends=True),
                                    fromfile=f"a/{relative.as_posix()}", tofile=f"b/{relative.as_posix()}")
        with destination.with_name(destination.name + ".diff").open("w", encoding="utf-8", newline="") as fh:
            for line in diff:
                fh.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        self.written += 1
