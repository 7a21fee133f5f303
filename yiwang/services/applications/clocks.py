"""The two deadline clocks of an accepted application: promised (承诺时限) and statutory (法定时限).

Both count working days from acceptance (the situation's time limits); a correction request pauses
them, the correction resumes them, a decision or a withdrawal stops them.
"""

from __future__ import annotations

from django.utils import timezone

from yiwang.core.audit.trail import chain_for
from yiwang.core.workcal.actions import pause_clock, resume_clock, start_clocks_in_bulk, stop_clock, subject_ref
from yiwang.core.workcal.models import OPEN_STATES, ClockState
from yiwang.core.workcal.queries import clocks_for, open_clock

KINDS = ("promised", "statutory")
_start_in_bulk = start_clocks_in_bulk.__wrapped__  # the action's body, without its nested atomic block
WARN_SHARE = 0.75  # the workcal default: the warning at three quarters of the time


def _amounts(application) -> dict[str, int]:
    return {"promised": application.promised_days, "statutory": application.statutory_days}


def audit_chain(application) -> int:
    """The audit chain of the bulk start's row (labelled with the application, see below)."""
    subject_type, subject_id = subject_ref(application)
    return chain_for("workcal.clock", f"{subject_type}:{subject_id}")


def start_or_resume(actor, application, *, first_acceptance: bool = False) -> None:
    """At acceptance: resume the paused clocks, start the missing ones (one query to find both kinds;
    none at the first acceptance, since clocks start only at acceptance).

    The missing clocks start together through workcal's bulk start (one schedule, one insert, one audit
    row labelled with the application): the accept action holds the application's row lock and has
    just seen that no clock of these kinds is open.
    """
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
    if fresh:
        # inside the accept action's transaction, which fails whole if this does: no savepoint of its own
        _start_in_bulk(actor, fresh, label=f"{subject_type}:{subject_id}")


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
