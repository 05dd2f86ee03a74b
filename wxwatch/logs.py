"""Logging for the entry point: journald-friendly lines on stderr, verbosity levels, secrets masked."""

from __future__ import annotations

import logging
import sys

from wxwatch.secrets import mask_secrets

FORMAT = "%(levelname)s %(name)s: %(message)s"
NOISY_LOGGERS = ("scrapy", "twisted", "trafilatura", "htmldate", "filelock", "asyncio", "apprise", "apscheduler")
# Libraries whose warnings repeat what wxwatch reports in its own line (pypdf on a broken PDF): -v shows them.
QUIET_LOGGERS = ("pypdf",)
# Per-request download failures: wxwatch reports each failed source in one line; these details need -v.
DETAIL_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


class DefaultLevelFilter(logging.Filter):
    """At the default level: one line per problem. Tracebacks and per-request download details need -v."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(DETAIL_LOGGERS):
            return False
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class MaskSecretsFilter(logging.Filter):
    """Rewrite every record's message with secrets masked (after %-formatting)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(verbosity: int) -> None:
    """-q: errors only; default: warnings; -v: info; -vv: debug including Scrapy's own logs."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskSecretsFilter())
    if verbosity < 1:
        handler.addFilter(DefaultLevelFilter())
    handler.setLevel(level)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    noisy_level = logging.DEBUG if verbosity >= 2 else max(level, logging.WARNING)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(noisy_level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(noisy_level if verbosity >= 1 else logging.ERROR)

