"""Errors a user can see: each names the input and the reason, in one line."""

from __future__ import annotations


class DatelineError(Exception):
    """Base class for errors that reach the user as one line on stderr."""


class InputError(DatelineError):
    """An input (file, line of a JSONL file, HTML page) that cannot become a document.

    `source` names the input as the user gave it (a path, or `path:line` inside a JSONL file);
    `reason` says why, in words a user can act on.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):
        # Errors cross process boundaries (ingest workers, Spark tasks): rebuild from both parts.
        return (InputError, (self.source, self.reason))


class PublishedDateError(ValueError):
    """A publication date that does not parse (`date 2023-13`)."""


class SetupError(DatelineError):
    """Something dateline needs is not installed; the message says how to fix it."""
