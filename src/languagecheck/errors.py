"""Every user-facing error message in one place, numbered, so wording stays consistent and testable.

Messages name the file and the problem; they never contain note text.
"""

from __future__ import annotations


class LanguagecheckError(Exception):
    """Base class: `code` is stable, `str()` is the one-line message shown to users."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"{message} [{self.code}]")


class InputError(LanguagecheckError):
    """A document could not be read (binary, empty, too large, undecodable, not a file...)."""

    code = "E100"

    def __init__(self, path: str, problem: str, code: str | None = None):
        self.path = path
        self.problem = problem
        if code:
            self.code = code
        super().__init__(f"{path}: {problem}")


class LexiconError(LanguagecheckError):
    """A lexicon pack is invalid; `problems` holds one 'file:line: message' string per problem."""

    code = "E200"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid lexicon pack:\n  " + "\n  ".join(problems))


class ConfigError(LanguagecheckError):
    code = "E300"


class ModelError(LanguagecheckError):
    """The classifier model is missing or corrupt."""

    code = "E400"


class StoreError(LanguagecheckError):
    """The results store cannot be opened, read or written."""

    code = "E500"


# Input problems: code -> message template (path is prefixed by InputError).
NOT_A_FILE = ("E101", "is a directory, not a file")
NOT_FOUND = ("E102", "no such file")
EMPTY = ("E103", "is empty")
BINARY = ("E104", "looks like binary data, not text")
UNDECODABLE = ("E105", "could not be decoded as text in any known encoding")
TOO_LARGE = ("E106", "is {size_mb:.0f} MB, over the {limit_mb:.0f} MB limit (raise it with --max-size-mb)")
UNREADABLE = ("E107", "could not be read ({reason})")
UNSUPPORTED = ("E108", "has an unsupported file type '{suffix}'")
NO_TEXT_LAYER = ("E109", "is a PDF with no text layer (a scanned image?); run OCR on it first")
CORRUPT = ("E110", "could not be read as {kind} ({reason})")
ENCRYPTED = ("E111", "is an encrypted PDF that needs a password")
NO_COLUMN = ("E112", "has no {what} column '{column}' (columns: {columns})")
UNCLEAR_TEXT_COLUMN = ("E113", "cannot tell which column holds the note text; name it with --text-column "
                               "(columns: {columns})")
BAD_RECORD = ("E114", "{problem}")
NO_RECORDS = ("E115", "has no records")
SCAN_FAILED = ("E116", "could not be scanned ({error}); please report this")
WORKER_DIED = ("E117", "stopped the worker process scanning it (crash or out of memory)")
RESUMED = ("E118", "is unchanged since run {run} with the same lexicon and model (--resume)")

# Documents in these states are skipped (nothing to scan); every other input problem is a failure.
SKIP_CODES = frozenset({EMPTY[0], UNSUPPORTED[0], NO_TEXT_LAYER[0], NO_RECORDS[0], RESUMED[0]})


def input_error(path: str, spec: tuple[str, str], **values: object) -> InputError:
    code, template = spec
    return InputError(path, template.format(**values), code=code)
