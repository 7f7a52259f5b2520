"""User-facing errors.

A user's mistake (a bad file, a malformed guideline, an empty request string) is reported as one line
naming the input and the problem, never as a traceback. Code raises `InputError`; the CLI and the API
turn it into a one-line message or a 4xx response.
"""

from __future__ import annotations


class OpenIMRError(Exception):
    """Base class for errors OpenIMR reports to a user."""


class InputError(OpenIMRError):
    """An input (file, string, record) that cannot be used, with the reason.

    `source` names the input (a path, a field, a request string shortened for display);
    `problem` says what is wrong in a few words.
    """

    def __init__(self, source: str, problem: str):
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


class GuidelineDataError(InputError):
    """A guideline knowledge-base file that fails validation: file, field and problem."""

    def __init__(self, path: str, field: str, problem: str):
        self.field = field
        super().__init__(path, f"{field}: {problem}" if field else problem)
