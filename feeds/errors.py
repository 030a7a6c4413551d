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


class FeedError(NewsbriefError):
    """Polling one feed (or one article page) failed; `reason` is a short typed code.

    Reasons are stable strings that the chat shows and the database keeps
    (Feed.last_error_reason, Feed.disabled_reason, Article.full_text_status):
    http_404, http_410, http_429, http_4xx, http_5xx, too_large, not_a_feed,
    ssrf_blocked, timeout, connection, too_many_redirects, bad_url, …
    """

    reason = "error"

    def __init__(
        self, message: str, *, reason: str | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        if reason is not None:
            self.reason = reason
        # Seconds the server asked us to wait (Retry-After), if it said.
        self.retry_after = retry_after


class FetchError(FeedError):
    """The HTTP exchange failed: network, status, size, redirects or URL."""


class BlockedAddressError(FetchError):
    """The host resolves to an address that this feed may not reach (SSRF guard)."""

    reason = "ssrf_blocked"


class ParseError(FeedError):
    """The body is not a feed newsbrief can read."""

    reason = "not_a_feed"
