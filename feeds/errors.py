"""One exception hierarchy for the whole library.

Third-party errors are wrapped at the boundary and chained (`raise X from e`),
so callers catch `NewsbriefError` and still see the cause in tracebacks.
"""


class NewsbriefError(Exception):
    """Base class of every error newsbrief raises on purpose."""


class StorageError(NewsbriefError):
    """The database refused an operation or is unreachable."""


class NotFoundError(StorageError):
    """A row the caller named does not exist."""


class AlreadyExistsError(StorageError):
    """A row with the same natural key already exists."""


class InvalidInputError(NewsbriefError, ValueError):
    """Input from a user or a file is malformed; the message says what and where."""


class NotAvailableError(NewsbriefError):
    """A command or capability that this version does not provide yet."""
