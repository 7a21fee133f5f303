"""Clocks in bulk: many clocks started with one schedule per distinct start and one insert.

For imports, the demo's history and benchmarks (:func:`start_clocks_in_bulk`, one audit row per call),
and for an action that records the clocks it starts in its own audit row (:func:`insert_clocks`, or
:func:`clock_rows` before its transaction and :func:`insert_clock_rows` inside it).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from yiwang.core import bulkinsert
from yiwang.core.actions import ActionError, BatchDigest, action, record_batch
from yiwang.core.actor import Actor

from .actions import _now
from .calendar import UNITS
from .models import Clock, ClockState
from .services import get_calendar


@action
def start_clocks_in_bulk(actor: Actor, specs, *, label: str = "") -> int:
    """Bulk path (imports, the demo's history, benchmarks): start many clocks, one audit row per call.

    ``specs``: ``(subject_type, subject_id, kind, unit, amount, started_at, warn_share)`` tuples for fresh
    subjects (no clock of that kind open yet — the partial unique index refuses a second one). Schedules
    are computed once per distinct (start, unit, amount, share); rows go in through
    ``yiwang.core.bulkinsert`` (COPY on PostgreSQL). Returns how many clocks were started.
    """
    rows, digest = _clock_rows(specs)
    _write_clock_rows(rows)
    if rows:
        record_batch(actor, "workcal.clock.start", "workcal.clock", digest, label=label)
    return len(rows)


def insert_clocks(specs) -> list[tuple]:
    """Part of a caller's action that records the clocks in its own audit row (an application's acceptance
    names the clocks it started): the clocks of ``specs`` (as :func:`start_clocks_in_bulk`) inserted
    with no audit row of their own. Only inside the caller's transaction. Returns ``(kind, due_at)`` per
    clock started."""
    return insert_clock_rows(clock_rows(specs))


def clock_rows(specs) -> list[tuple]:
    """The rows :func:`insert_clocks` would insert, schedules computed, nothing written: a caller may
    compute them before its transaction (the calendar arithmetic outside SQLite's write turn)."""
    rows, _digest = _clock_rows(specs)
    return rows


def insert_clock_rows(rows: list[tuple]) -> list[tuple]:
    """Insert rows from :func:`clock_rows` (inside the caller's transaction); ``(kind, due_at)`` per clock."""
    _write_clock_rows(rows)
    return [(row[2], row[8]) for row in rows]


def _clock_rows(specs) -> tuple[list[tuple], BatchDigest]:
    calendar = get_calendar()
    memo: dict = {}
    rows: list[tuple] = []
    digest = BatchDigest()
    for subject_type, subject_id, kind, unit, amount, started_at, share in specs:
        if unit not in UNITS or int(amount) != amount or amount < 1:
            raise ActionError(_("Unknown time unit."), field="unit")
        key = (started_at, unit, amount, share)
        schedule = memo.get(key)
        if schedule is None:
            schedule = memo[key] = calendar.schedule(_now(started_at), unit, amount, timedelta(0), share)
        rows.append(
            (subject_type, str(subject_id), kind, unit, int(amount), 0, 0, started_at, schedule.due_at,
             schedule.provisional, ClockState.RUNNING, 0, [], share, schedule.warn_at, 1)
        )  # fmt: skip
        digest.add([subject_type, str(subject_id), kind, unit, int(amount), started_at.isoformat()])
    return rows, digest


def _write_clock_rows(rows: list[tuple]) -> None:
    if not rows:
        return
    names = (
        "subject_type", "subject_id", "kind", "unit", "amount", "extended_amount", "extensions", "started_at",
        "due_at", "provisional", "state", "paused_seconds", "pauses", "warn_share", "warn_at", "version",
    )  # fmt: skip
    bulkinsert.insert(Clock, names, rows)
