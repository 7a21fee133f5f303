"""The case's deadline clocks (work calendar), mirrored into the denormalised ``due_at``/``overdue`` columns.

The dispatch clock runs from registration to dispatch; the handle clock from dispatch until the case is
handled (paused while it waits for verification, resumed if verification fails, stopped at closure).
"""

from __future__ import annotations

from django.conf import settings

from yiwang.core.workcal.actions import extend_clock, open_clock, pause_clock, resume_clock, start_clock, stop_clock
from yiwang.core.workcal.models import ClockState

from .. import sla

SUBJECT_TYPE = "operations.case"


def conf(key: str):
    return getattr(settings, "OPERATIONS", {}).get(key, sla.DEFAULTS[key])


def subject(case) -> tuple[str, str]:
    return (SUBJECT_TYPE, str(case.pk))


def _mirror(step, clock) -> None:
    step.set(
        clock_kind=clock.kind,
        due_at=clock.due_at,
        warned=clock.warned_at is not None,
        overdue=clock.state == ClockState.OVERDUE or clock.overdue_at is not None,
    )


def _clear(step) -> None:
    step.set(clock_kind="", due_at=None, warned=False, overdue=False)


def start(step, kind: str) -> None:
    """Start a fresh ``kind`` clock (closing any open one of that kind first) and mirror it."""
    stop(step, kind, clear=False)
    spec = sla.clock_spec(step.case.category, kind, default_share=float(conf("WARNING_SHARE")))
    clock = start_clock(
        step.actor, subject(step.case), kind, spec.unit, spec.amount, started_at=step.now, warn_share=spec.warn_share
    )
    _mirror(step, clock)
    step.set(escalation_level=0, escalated_at=None)


def stop(step, kind: str, *, clear: bool = True) -> None:
    clock = open_clock(subject(step.case), kind)
    if clock is not None:
        stop_clock(step.actor, clock, at=step.now)
    if clear and step.case.clock_kind == kind:
        _clear(step)


def stop_all(step) -> None:
    for kind in (sla.DISPATCH, sla.HANDLE):
        stop(step, kind)
    _clear(step)


def pause(step, reason: str = "") -> None:
    """Pause whichever clock runs (suspension, waiting for verification)."""
    kind = step.case.clock_kind
    clock = open_clock(subject(step.case), kind) if kind else None
    if clock is not None and clock.state in (ClockState.RUNNING, ClockState.OVERDUE):
        pause_clock(step.actor, clock, at=step.now, reason=reason)
        _mirror(step, clock)


def resume(step) -> None:
    kind = step.case.clock_kind
    clock = open_clock(subject(step.case), kind) if kind else None
    if clock is not None and clock.state == ClockState.PAUSED:
        resume_clock(step.actor, clock, at=step.now)
        _mirror(step, clock)


def extend(step, amount: int, reason: str = "") -> None:
    clock = open_clock(subject(step.case), sla.HANDLE)
    if clock is None:
        return
    extend_clock(step.actor, clock, amount, reason=reason, at=step.now)
    _mirror(step, clock)


def handle_unit(case) -> str:
    return sla.clock_spec(case.category, sla.HANDLE).unit
