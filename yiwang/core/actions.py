"""Shared helpers for actions — the only write path of every context.

An action checks permission, applies the change, writes its audit row and queues its side effects,
all in one transaction::

    @action("territory.unit.rename")
    def rename_unit(actor, unit, name):
        require(permissions.may_edit_territory(actor.user), _("You may not edit the territory."))
        before = {"name": unit.name}
        unit.name = name
        unit.save()
        record_event(actor, "territory.unit.rename", unit, before=before, after={"name": name})
"""

from __future__ import annotations

import functools

from django.db import transaction

from yiwang.core.audit.hashing import BatchDigest
from yiwang.core.audit.trail import record_batch, record_event


class ActionError(Exception):
    """An action refused: bad input or a state that does not allow it. The message is user-facing."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class PermissionDenied(ActionError):
    def __init__(self, message):
        super().__init__(message, code="forbidden")


class Conflict(ActionError):
    """Someone else changed the object first (optimistic concurrency)."""

    def __init__(self, message):
        super().__init__(message, code="conflict")


def require(condition: bool, message) -> None:
    if not condition:
        raise PermissionDenied(message)


def action(func):
    """Run the action in one transaction (audit row included)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def on_commit(fn) -> None:
    """Queue a side effect (notification, task) to run only if the action commits."""
    transaction.on_commit(fn)


__all__ = [
    "ActionError",
    "BatchDigest",
    "Conflict",
    "PermissionDenied",
    "action",
    "on_commit",
    "record_batch",
    "record_event",
    "require",
]
