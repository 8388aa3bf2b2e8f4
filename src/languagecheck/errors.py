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


# Input problems: code -> message template (path is prefixed by InputError).
NOT_A_FILE = ("E101", "is a directory, not a file")
NOT_FOUND = ("E102", "no such file")
EMPTY = ("E103", "is empty")
BINARY = ("E104", "looks like binary data, not text")
UNDECODABLE = ("E105", "could not be decoded as text in any known encoding")
TOO_LARGE = ("E106", "is {size_mb:.0f} MB, over the {limit_mb:.0f} MB limit (raise it with --max-size-mb)")
UNREADABLE = ("E107", "could not be read ({reason})")
UNSUPPORTED = ("E108", "has an unsupported file type '{suffix}'")


def input_error(path: str, spec: tuple[str, str], **values: object) -> InputError:
    code, template = spec
    return InputError(path, template.format(**values), code=code)
