"""One exception tree for the tracker; the CLI turns each into a one-line message and an exit code.

Each error also inherits the builtin it refines (a bad input is a ``ValueError``), as geopy's do,
so callers that already catch builtins keep working.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error the tracker raises on purpose. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(TrackerError, ValueError):
    """An input file, folder, corpus row or text cannot be read as an article."""

    exit_code = 3


class MissingInputError(InputError, FileNotFoundError):
    """A named input path does not exist."""

    exit_code = 2


class DataError(TrackerError, RuntimeError):
    """Bundled data (the gazetteer, the language model) is missing or unreadable."""

    exit_code = 4


class GeocoderError(TrackerError, RuntimeError):
    """A chosen online geocoder could not be set up or answered with an error."""

    exit_code = 5


class OutputError(TrackerError, OSError):
    """An output file cannot be written, or its format is not one we write."""

    exit_code = 6


class UsageError(TrackerError, ValueError):
    """Options that cannot go together, or a value out of range."""

    exit_code = 2
