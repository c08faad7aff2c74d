"""The one exception family every room raises for a user's mistake.

Each error carries where it happened, so the CLI can print ``file:line: message``
and exit with the status the error class names, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class ClinicgraphError(Exception):
    """A user's mistake (bad input, bad usage): exit status 2."""

    exit_code = 2

    def __init__(
        self, message: str, path: str | Path | None = None, line: int | None = None, column: int | None = None
    ):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column

    def __reduce__(self):
        """Pickled with its place and any attributes set on it (a forked validation
        sends its errors back to the parent so)."""
        return (self.__class__, (self.message, self.path, self.line, self.column), self.__dict__)

    def location(self) -> str:
        if self.path is None:
            return ""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class SourceError(ClinicgraphError):
    """A source file cannot be read or understood."""


class OutputError(ClinicgraphError):
    """An output cannot be written."""
