"""The two deadline clocks of an accepted application: promised (承诺时限) and statutory (法定时限).

Both count working days from acceptance (the situation's time limits); a correction request pauses
them, the correction resumes them, a decision or a withdrawal stops them.
"""

from __future__ import annotations

from django.utils import timezone

from yiwang.core.workcal.actions import pause_clock, resume_clock, stop_clock, subject_ref
from yiwang.core.workcal.bulk import clock_rows, insert_clock_rows, insert_clocks
from yiwang.core.workcal.models import OPEN_STATES, ClockState
from yiwang.core.workcal.queries import clocks_for, open_clock

KINDS = ("promised", "statutory")
WARN_SHARE = 0.75  # the workcal default: the warning at three quarters of the time


def _amounts(application) -> dict[str, int]:
    return {"promised": application.promised_days, "statutory": application.statutory_days}


class Planned:
    """The first acceptance's clocks computed ahead (:func:`plan_first_start`), for the days they assumed."""

    def __init__(self, days: dict, now, rows: list):
        self.days, self.now, self.rows = days, now, rows


def plan_first_start(application, now) -> Planned:
    """The clocks a first acceptance at ``now`` starts, schedules computed (the calendar arithmetic) but
    nothing written: the accept action computes them before SQLite's write turn and uses them if the
    locked row still asks for the same days."""
    subject_type, subject_id = subject_ref(application)
    specs = [
        (subject_type, subject_id, kind, "wd", days, now, WARN_SHARE)
        for kind, days in _amounts(application).items()
        if days >= 1
    ]
    return Planned(_amounts(application), now, clock_rows(specs))


def start_or_resume(actor, application, *, first_acceptance: bool = False, planned: Planned | None = None) -> dict:
    """At acceptance: resume the paused clocks, start the missing ones (one query to find both kinds;
    none at the first acceptance, since clocks start only at acceptance).

    The missing clocks start together through workcal's ``insert_clocks`` (one schedule, one insert) as
    part of the acceptance, whose audit row names them: returned as ``{"clocks": {kind: {"days": n,
    "due": iso}}}`` for that row (empty when none started). The accept action holds the application's
    row lock and has just seen that no clock of these kinds is open. A resumed clock writes its own row.
    ``planned``: the first acceptance's clocks computed before the transaction, used when they are for
    this application's days.
    """
    if first_acceptance and planned is not None and planned.days == _amounts(application):
        return _named(application, insert_clock_rows(planned.rows))
    open_clocks = {}
    if not first_acceptance:
        open_clocks = {c.kind: c for c in clocks_for(application).filter(kind__in=KINDS, state__in=OPEN_STATES)}
    subject_type, subject_id = subject_ref(application)
    now = timezone.now()
    fresh = []
    for kind, days in _amounts(application).items():
        clock = open_clocks.get(kind)
        if clock is None:
            if days >= 1:  # 0 days: done on the spot, nothing to count
                fresh.append((subject_type, subject_id, kind, "wd", days, now, WARN_SHARE))
        elif clock.state == ClockState.PAUSED:
            resume_clock(actor, clock)
    if not fresh:
        return {}
    # inside the accept action's transaction, which fails whole if this does: no savepoint of its own
    return _named(application, insert_clocks(fresh))


def _named(application, started: list[tuple]) -> dict:
    """What the acceptance's audit row says of the clocks it started."""
    if not started:
        return {}
    days = _amounts(application)
    return {"clocks": {kind: {"days": days[kind], "due": due.isoformat()} for kind, due in started}}


def pause_all(actor, application, reason: str = "") -> None:
    for kind in KINDS:
        clock = open_clock(application, kind)
        if clock is not None and clock.state != ClockState.PAUSED:
            pause_clock(actor, clock, reason=reason)


def resume_all(actor, application) -> None:
    for kind in KINDS:
        clock = open_clock(application, kind)
        if clock is not None and clock.state == ClockState.PAUSED:
            resume_clock(actor, clock)


def stop_all(actor, application) -> None:
    for kind in KINDS:
        clock = open_clock(application, kind)
        if clock is not None:
            stop_clock(actor, clock)
