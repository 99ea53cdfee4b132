"""Who is acting, and under which request id, for the audit rows a service writes.

The middleware sets the id for a web request; management commands set one with
``new_request_id``. Services take the acting user explicitly; the context only
supplies the id that ties their audit rows and log lines together.
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("tiendo_request_id", default="")


def current_request_id() -> str:
    return request_id_var.get()


@contextmanager
def new_request_id(value: str | None = None) -> Iterator[str]:
    token = request_id_var.set(value or str(uuid.uuid4()))
    try:
        yield request_id_var.get()
    finally:
        request_id_var.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Puts the current request id on every log record, so logs and audit rows match."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True
