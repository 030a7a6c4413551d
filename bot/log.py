"""The one place that configures logging."""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Libraries that are chatty at INFO; their warnings still come through.
_NOISY = ("discord", "aiohttp.access", "apscheduler", "alembic", "trafilatura", "htmldate")


def configure_logging(
    level: str | int = "INFO", *, verbosity: int = 0, quiet: bool = False
) -> None:
    """Log to stderr at `level`; -v shows DEBUG (-vv for libraries too), -q only errors."""
    if isinstance(level, str):
        level = logging.getLevelNamesMapping()[level.upper()]
    if quiet:
        level = logging.ERROR
    elif verbosity:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, datefmt="%H:%M:%S"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    library_level = logging.DEBUG if verbosity >= 2 else max(level, logging.WARNING)
    for name in _NOISY:
        logging.getLogger(name).setLevel(library_level)
