"""Sending one message to one target through apprise, with the outcome and apprise's failure reason."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import apprise

from wxwatch.notify.render import Message
from wxwatch.notify.targets import Target
from wxwatch.secrets import mask_secrets

logger = logging.getLogger(__name__)

FORMATS = {"text": apprise.NotifyFormat.TEXT, "markdown": apprise.NotifyFormat.MARKDOWN,
           "html": apprise.NotifyFormat.HTML}
MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class SendOutcome:
    """Whether the target accepted the message; `error` (secrets masked) says why not."""

    ok: bool
    status: str  # the AppriseResult status name: SUCCESS, FAILURE, TIMEOUT, NOMATCH, PARTIAL
    error: str | None = None


class TargetSender:
    """Sends messages to one target through its own apprise.Apprise, so each target's outcome is known."""

    def __init__(self, target: Target, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self.apprise = apprise.Apprise()
        self.apprise.add(target.service)

    def send(self, message: Message) -> SendOutcome:
        """Send one message; never raises (apprise 2.x reports failures in its result and its log)."""
        try:
            with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
                result = self.apprise.notify(
                    body=message.body, title=message.title, body_format=FORMATS[message.body_format],
                    timeout=self.timeout,
                )
            log_text = captured.getvalue()
        except Exception as exc:  # a plugin bug must not stop delivery to the other targets
            return self._outcome(False, "FAILURE", f"{type(exc).__name__}: {exc}")
        status = result.status.name
        return self._outcome(bool(result), status, None if result else failure_reason(log_text, status))

    def _outcome(self, ok: bool, status: str, error: str | None) -> SendOutcome:
        error = mask_secrets(error) if error else None
        if ok:
            logger.info("delivered a message to %s", self.target.label)
        else:
            logger.warning("delivery to %s failed: %s", self.target.label, error)
        return SendOutcome(ok, status, error)


def failure_reason(log_text: str, status: str) -> str:
    """The last lines apprise logged about a failed send (secrets masked), or the bare status."""
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    reason = " | ".join(lines[-3:]) if lines else f"apprise reported {status}"
    return mask_secrets(reason)[:MAX_ERROR_CHARS]
