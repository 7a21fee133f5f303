"""The clock sweep: fires each clock's warning and overdue event once, to handlers per subject type.

Other contexts register handlers when their app loads (``AppConfig.ready``)::

    from yiwang.core.workcal.sweep import register_clock_handler

    register_clock_handler("operations.case", on_warning=warn_handler, on_overdue=escalate)

A handler gets the :class:`~yiwang.core.workcal.models.Clock` (already marked ``warned_at`` or
``overdue``) and runs inside the sweep's transaction, in a savepoint of its own: when it raises, its
writes are rolled back, the error is logged and the clock is left unmarked, so the next sweep retries.

Cost: a few set-based queries over the indexes (state, warn_at) and (state, due_at); only the clocks
that fire are loaded into Python. The worker runs the sweep every 30 s (``workcal.sweep``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.core.actions import BatchDigest, record_batch
from yiwang.core.actor import Actor, Channel

from .models import Clock, ClockState

log = logging.getLogger("yiwang.workcal")

Handler = Callable[[Clock], object]
BatchHandler = Callable[[list[Clock]], object]
BATCH_SIZE = 2000
MAX_FAILURES_PER_SWEEP = 500

_handlers: dict[str, list[tuple[Handler | None, Handler | None]]] = {}
_batch_handlers: dict[str, list[tuple[BatchHandler | None, BatchHandler | None]]] = {}


def register_clock_handler(
    subject_type: str, on_warning: Handler | None = None, on_overdue: Handler | None = None
) -> None:
    """Call ``on_warning(clock)`` / ``on_overdue(clock)`` when a clock on ``subject_type`` fires."""
    pair = (on_warning, on_overdue)
    entries = _handlers.setdefault(subject_type, [])
    if pair not in entries:
        entries.append(pair)


def unregister_clock_handler(subject_type: str, on_warning=None, on_overdue=None) -> None:
    entries = _handlers.get(subject_type, [])
    if (on_warning, on_overdue) in entries:
        entries.remove((on_warning, on_overdue))


def register_batch_clock_handler(
    subject_type: str, on_warning: BatchHandler | None = None, on_overdue: BatchHandler | None = None
) -> None:
    """Call ``on_warning(clocks)`` / ``on_overdue(clocks)`` once per sweep batch with the clocks of ``subject_type``.

    For set-based handlers (thousands of clocks firing at once). The list is handled in one savepoint:
    if the handler raises, every clock of the list is left unmarked and retried by the next sweep.
    """
    pair = (on_warning, on_overdue)
    entries = _batch_handlers.setdefault(subject_type, [])
    if pair not in entries:
        entries.append(pair)


def unregister_batch_clock_handler(subject_type: str, on_warning=None, on_overdue=None) -> None:
    entries = _batch_handlers.get(subject_type, [])
    if (on_warning, on_overdue) in entries:
        entries.remove((on_warning, on_overdue))


def batch_handlers_for(subject_type: str, event: str) -> list[BatchHandler]:
    index = 0 if event == "warning" else 1
    return [pair[index] for pair in _batch_handlers.get(subject_type, []) if pair[index] is not None]


def handlers_for(subject_type: str, event: str) -> list[Handler]:
    index = 0 if event == "warning" else 1
    return [pair[index] for pair in _handlers.get(subject_type, []) if pair[index] is not None]


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    failed: int = 0
    failed_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.warned} warned, {self.overdue} overdue, {self.failed} handler failures"


def sweep_clocks(now: datetime | None = None) -> SweepResult:
    """Fire warnings (``now >= warn_at``) then overdue (``now >= due_at``) of running clocks, once each."""
    now = now or timezone.now()
    result = SweepResult()
    result.warned = _fire("warning", now, result)
    result.overdue = _fire("overdue", now, result)
    if result.warned or result.overdue or result.failed:
        log.info("clock sweep at %s: %s", now.isoformat(), result)
    return result


def _due(event: str, now: datetime):
    if event == "warning":
        return Clock.objects.filter(state=ClockState.RUNNING, warn_at__lte=now).order_by("warn_at")
    return Clock.objects.filter(state=ClockState.RUNNING, due_at__lte=now).order_by("due_at")


def _fire(event: str, now: datetime, result: SweepResult) -> int:
    fired = 0
    failed: set[int] = set()
    actor = Actor.system(Channel.WORKER)
    while len(failed) < MAX_FAILURES_PER_SWEEP:
        with transaction.atomic():
            query = _due(event, now)
            if failed:
                query = query.exclude(pk__in=failed)
            if connection.features.has_select_for_update_skip_locked:
                query = query.select_for_update(skip_locked=True)
            clocks = list(query[:BATCH_SIZE])
            if not clocks:
                break
            ids = [clock.pk for clock in clocks]
            if event == "warning":
                marks = {"warned_at": now, "warn_at": None}
            else:
                marks = {"state": ClockState.OVERDUE, "overdue_at": now}
            Clock.objects.filter(pk__in=ids).update(**marks, version=F("version") + 1)
            digest = BatchDigest()
            originals = {}
            grouped: dict[str, list[Clock]] = {}
            for clock in clocks:
                originals[clock.pk] = {name: getattr(clock, name) for name in marks}
                for name, value in marks.items():
                    setattr(clock, name, value)
                clock.version += 1
                if batch_handlers_for(clock.subject_type, event):
                    grouped.setdefault(clock.subject_type, []).append(clock)
            refused = set()
            for subject_type, group in grouped.items():
                if not _call_batch_handlers(event, subject_type, group):
                    refused.update(clock.pk for clock in group)
            for clock in clocks:
                if clock.pk not in refused and _call_handlers(event, clock):
                    digest.add({"id": clock.pk, "subject": f"{clock.subject_type}:{clock.subject_id}"})
                else:
                    Clock.objects.filter(pk=clock.pk).update(**originals[clock.pk])
                    failed.add(clock.pk)
            if digest.count:
                record_batch(actor, f"workcal.clock.{event}", "workcal.clock", digest, note=now.isoformat())
            fired += digest.count
        if len(clocks) < BATCH_SIZE:
            break
    result.failed += len(failed)
    result.failed_ids.extend(sorted(failed))
    return fired


def _call_batch_handlers(event: str, subject_type: str, clocks: list[Clock]) -> bool:
    """The set-based handlers of one subject type, for its clocks of this batch, in one savepoint."""
    handler = None
    try:
        with transaction.atomic():
            for handler in batch_handlers_for(subject_type, event):
                handler(clocks)
    except Exception:
        log.exception("clock %s batch handler %r failed for %s clocks; retried next sweep", event, handler, len(clocks))
        return False
    return True


def _call_handlers(event: str, clock: Clock) -> bool:
    """All handlers of one clock in one savepoint: all of their writes stand, or none."""
    handlers = handlers_for(clock.subject_type, event)
    if not handlers:
        return True
    handler = None
    try:
        with transaction.atomic():
            for handler in handlers:
                handler(clock)
    except Exception:
        log.exception("clock %s handler %r failed for clock %s; retried next sweep", event, handler, clock.pk)
        return False
    return True
