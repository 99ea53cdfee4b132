"""Who is acting, and under which request id, for the audit rows a service writes.

The middleware sets these for a web request; management commands set them with
``acting_as``. Services still take the acting user explicitly: the context only
supplies the request id and a fallback for code paths outside a request.
"""

from __future__ import annotations

import contextvars
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
