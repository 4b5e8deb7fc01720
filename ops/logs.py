"""Log records as operators read them: each stamped with its request id, secrets scrubbed, JSON in production.

`settings.LOGGING` puts both filters on the console handler; `LOG_FORMAT` chooses `text` (one readable line,
the default of local settings) or `json` (one object per line, the default of production settings).
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from typing import Any

from ops.request_id import current_request_id, current_task

# The attributes every LogRecord has; anything else on a record was passed in `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "task_name",
    "task_id",
}
_SENSITIVE_KEY = re.compile(r"pass|token|secret|authori|cookie|card|cvc|address|phone|email|session", re.I)

# What must never reach a log line, even from a message or a traceback that carries it by mistake.
_SCRUBBERS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JSON Web Tokens (ours and anyone's): three base64url parts, the first a JSON header.
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "[jwt]"),
    (re.compile(r"(?i)\b(bearer|jwt)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [redacted]"),
    # name=value and "name": "value" pairs whose name says secret.
    (
        re.compile(
            r"(?i)(\b[\w-]*(?:password|passwd|token|secret|api_key|cvc)[\w-]*\b[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+"
        ),
        r"\1[redacted]",
    ),
    # Card numbers: 13 to 19 digits, spaces or dashes between groups allowed.
    (re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), "[number]"),
)


def scrub(text: str) -> str:
    for pattern, replacement in _SCRUBBERS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Sets `record.request_id`: the id of the request (or of the request that queued the task), else "-";
    and in a Celery task `record.task_name` and `record.task_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        task = current_task()
        if task is not None and not hasattr(record, "task_id"):
            record.task_name, record.task_id = task
        return True


class ScrubFilter(logging.Filter):
    """Renders the message once, scrubbed; scrubs the traceback too. The last guard, not the first: the code
    logs ids, never secrets (tests/ops/test_logs.py captures the logs of the flows that handle them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template, drop the arguments
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            record.exc_info = None  # formatters print exc_text, which is now scrubbed
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the record's simple
    `extra=` values (never those whose name says secret or personal), and the exception's traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-") if getattr(record, "request_id", "-") != "-" else None,
        }
        task_id = getattr(record, "task_id", None)
        if task_id:
            entry["task"] = {"name": getattr(record, "task_name", ""), "id": task_id}
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRIBUTES or key.startswith("_") or _SENSITIVE_KEY.search(key):
                continue
            if isinstance(value, str | int | float | bool) or value is None:
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)
