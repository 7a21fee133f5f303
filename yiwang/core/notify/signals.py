"""How other contexts learn that a person acknowledged a message.

Two equivalent ways, both called inside the acknowledgement's transaction (so a handler may call its
own actions and they commit or roll back together with the acknowledgement):

* the Django signal ``notification_acknowledged(sender=Notification, notification=…)``;
* the registry: ``on_acknowledged("operations.case", fn)`` calls ``fn(notification)`` for every
  acknowledged notification whose ``subject_type`` is ``"operations.case"`` (``"*"`` matches all).

Each handler runs in its own savepoint: a handler that raises is logged with its traceback and its
writes are rolled back, but the acknowledgement itself and the other handlers stand — the resident who
clicked "I confirm" is never shown an error because of a bug elsewhere.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger("yiwang.notify")

notification_acknowledged = Signal()  # kwargs: notification

_handlers: dict[str, list[Callable]] = defaultdict(list)


def on_acknowledged(subject_type: str, fn: Callable | None = None):
    """Register ``fn(notification)`` for acknowledgements about ``subject_type`` (usable as a decorator).

    Registering the same function twice for the same type has no further effect.
    """

    def register(func: Callable) -> Callable:
        if func not in _handlers[subject_type]:
            _handlers[subject_type].append(func)
        return func

    return register(fn) if fn is not None else register


def off_acknowledged(subject_type: str, fn: Callable) -> None:
    """Remove a handler registered with :func:`on_acknowledged` (for tests)."""
    if fn in _handlers.get(subject_type, []):
        _handlers[subject_type].remove(fn)


def dispatch_acknowledged(notification) -> None:
    """Tell everyone: the signal's receivers, then the handlers of its subject type, then ``"*"``."""
    from .models import Notification

    for receiver in notification_acknowledged._live_receivers(Notification)[0]:
        _run(receiver, signal=notification_acknowledged, sender=Notification, notification=notification)
    for key in (notification.subject_type, "*"):
        for fn in list(_handlers.get(key, [])) if key else []:
            _run(fn, notification)


def _run(fn: Callable, *args, **kwargs) -> None:
    try:
        with transaction.atomic():
            fn(*args, **kwargs)
    except Exception:
        logger.exception("acknowledgement handler %r failed", fn)
