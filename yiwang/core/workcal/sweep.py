"""The clock sweep: fires each clock's warning and overdue event once, to handlers per subject type.

Other contexts register handlers when their app loads (``AppConfig.ready``)::

    from yiwang.core.workcal.sweep import register_clock_handler

    register_clock_handler("operations.case", on_warning=warn_handler, on_overdue=escalate)

A handler gets the :class:`~yiwang.core.workcal.models.Clock` (already marked ``warned_at`` or
``overdue``) and runs inside the sweep's transaction, in a savepoint of its own: when it raises, its
writes are rolled back, the error is logged and the clock is left unmarked, so the next sweep retries.

A clock whose warning and deadline have both passed (after a weekend, an outage) fires both in the
warning pass, marked once: its warning handlers, then its overdue handlers, get the clock marked both
ways — or, for batch handlers, the subject type's :func:`register_both_clock_handler` handler instead.

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
_both_handlers: dict[str, list[BatchHandler]] = {}


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


def register_both_clock_handler(subject_type: str, handler: BatchHandler) -> None:
    """Call ``handler(clocks)`` for the clocks of ``subject_type`` whose warning and deadline fire in one sweep.

    Such clocks (after a weekend or an outage) are marked warned and overdue at once; ``handler`` does
    the work of both batch handlers in one go (e.g. one ``UPDATE`` of the subjects instead of two). A
    subject type without one gets its batch warning handlers, then its batch overdue handlers.
    """
    entries = _both_handlers.setdefault(subject_type, [])
    if handler not in entries:
        entries.append(handler)


def unregister_both_clock_handler(subject_type: str, handler: BatchHandler) -> None:
    entries = _both_handlers.get(subject_type, [])
    if handler in entries:
        entries.remove(handler)


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
    """Fire warnings (``now >= warn_at``) then overdue (``now >= due_at``) of running clocks, once each.

    A clock whose warning and deadline have both passed (after a weekend, an outage) fires both in the
    warning pass: one mark of the clock, and its subject type's "both" handler if it has one.
    """
    now = now or timezone.now()
    result = SweepResult()
    result.warned, both = _fire("warning", now, result)
    fired, _ = _fire("overdue", now, result, exclude=set(result.failed_ids))
    result.overdue = both + fired
    if result.warned or result.overdue or result.failed:
        log.info("clock sweep at %s: %s", now.isoformat(), result)
    return result


EVENTS = {"warning": ("warning",), "overdue": ("overdue",), "both": ("warning", "overdue")}


def _due(event: str, now: datetime):
    if event == "warning":
        return Clock.objects.filter(state=ClockState.RUNNING, warn_at__lte=now).order_by("warn_at")
    return Clock.objects.filter(state=ClockState.RUNNING, due_at__lte=now).order_by("due_at")


def _marks(event: str, now: datetime) -> dict:
    marks = {}
    if event in ("warning", "both"):
        marks.update(warned_at=now, warn_at=None)
    if event in ("overdue", "both"):
        marks.update(state=ClockState.OVERDUE, overdue_at=now)
    return marks


def _has_batch_handlers(event: str, subject_type: str) -> bool:
    if event == "both" and _both_handlers.get(subject_type):
        return True
    return any(batch_handlers_for(subject_type, name) for name in EVENTS[event])


def _parts(event: str, clocks: list[Clock], now: datetime) -> dict[str, list[Clock]]:
    """The warning pass splits off the clocks whose deadline has passed too ("both")."""
    if event != "warning":
        return {event: clocks}
    parts: dict[str, list[Clock]] = {"both": [], "warning": []}
    for clock in clocks:
        parts["both" if clock.due_at is not None and clock.due_at <= now else "warning"].append(clock)
    return parts


def _fire(event: str, now: datetime, result: SweepResult, exclude: set[int] = frozenset()) -> tuple[int, int]:
    """Fire ``event`` in batches; returns how many clocks fired and how many of them fired "both"."""
    fired = both = 0
    failed: set[int] = set()
    actor = Actor.system(Channel.WORKER)
    while len(failed) < MAX_FAILURES_PER_SWEEP:
        with transaction.atomic():
            query = _due(event, now)
            if failed or exclude:
                query = query.exclude(pk__in=failed | exclude)
            if connection.features.has_select_for_update_skip_locked:
                query = query.select_for_update(skip_locked=True)
            clocks = list(query[:BATCH_SIZE])
            if not clocks:
                break
            digests = {"warning": BatchDigest(), "overdue": BatchDigest()}
            for part, group in _parts(event, clocks, now).items():
                if group:
                    done = _fire_part(part, now, group, failed)
                    for name in EVENTS[part]:
                        for clock in done:
                            digests[name].add({"id": clock.pk, "subject": f"{clock.subject_type}:{clock.subject_id}"})
                    fired += len(done)
                    both += len(done) if part == "both" else 0
            for name, digest in digests.items():
                if digest.count:
                    record_batch(actor, f"workcal.clock.{name}", "workcal.clock", digest, note=now.isoformat())
        if len(clocks) < BATCH_SIZE:
            break
    result.failed += len(failed)
    result.failed_ids.extend(sorted(failed))
    return fired, both


def _fire_part(event: str, now: datetime, clocks: list[Clock], failed: set[int]) -> list[Clock]:
    """Mark ``clocks`` (one UPDATE), call their handlers; a clock whose handlers fail is restored into ``failed``."""
    marks = _marks(event, now)
    Clock.objects.filter(pk__in=[clock.pk for clock in clocks]).update(**marks, version=F("version") + 1)
    originals = {}
    grouped: dict[str, list[Clock]] = {}
    for clock in clocks:
        originals[clock.pk] = {name: getattr(clock, name) for name in marks}
        for name, value in marks.items():
            setattr(clock, name, value)
        clock.version += 1
        if _has_batch_handlers(event, clock.subject_type):
            grouped.setdefault(clock.subject_type, []).append(clock)
    refused = set()
    for subject_type, group in grouped.items():
        if not _call_batch_handlers(event, subject_type, group):
            refused.update(clock.pk for clock in group)
    done = []
    for clock in clocks:
        if clock.pk not in refused and _call_handlers(event, clock):
            done.append(clock)
        else:
            Clock.objects.filter(pk=clock.pk).update(**originals[clock.pk])
            failed.add(clock.pk)
    return done


def _call_batch_handlers(event: str, subject_type: str, clocks: list[Clock]) -> bool:
    """The set-based handlers of one subject type, for its clocks of this batch, in one savepoint."""
    handler = None
    both = _both_handlers.get(subject_type, []) if event == "both" else []
    try:
        with transaction.atomic():
            for handler in both or [h for name in EVENTS[event] for h in batch_handlers_for(subject_type, name)]:
                handler(clocks)
    except Exception:
        log.exception("clock %s batch handler %r failed for %s clocks; retried next sweep", event, handler, len(clocks))
        return False
    return True


def _call_handlers(event: str, clock: Clock) -> bool:
    """All handlers of one clock in one savepoint: all of their writes stand, or none."""
    handlers = [handler for name in EVENTS[event] for handler in handlers_for(clock.subject_type, name)]
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
