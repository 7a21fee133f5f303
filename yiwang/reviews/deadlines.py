"""The rectification deadline: 5 working days on the work calendar, watched by a deadline clock.

A bad rating under the "rectify" policy opens a rectification due at the close of office hours on the
5th working day after the rating (``yiwang.core.workcal``: holidays and adjusted working days count).
The clock's overdue handler escalates the rectification; a periodic sweep does the same for any
rectification past its deadline, so an escalation is never missed (escalating is idempotent).
"""

from __future__ import annotations

import logging
from datetime import datetime

logger = logging.getLogger("yiwang.reviews")

SUBJECT_TYPE = "reviews.rectification"
CLOCK_KIND = "rectification"
WORKING_DAYS = 5
SWEEP_SECONDS = 300


def work_calendar():
    """The district's work calendar (chinese-calendar plus the published overrides)."""
    from yiwang.core.workcal.services import get_calendar

    return get_calendar()


def due_after(start: datetime) -> datetime:
    """When a rectification opened at ``start`` is due (provisional for years the calendar lacks)."""
    return work_calendar().schedule(start, "wd", WORKING_DAYS).due_at


def start_clock(actor, rectification):
    """Start the rectification's deadline clock (kind "rectification", 5 working days)."""
    from yiwang.core.workcal.actions import start_clock as start

    return start(
        actor, (SUBJECT_TYPE, str(rectification.pk)), CLOCK_KIND, "wd", WORKING_DAYS, started_at=rectification.opened_at
    )


def clock_of(rectification):
    from yiwang.core.workcal.actions import open_clock

    return open_clock((SUBJECT_TYPE, str(rectification.pk)), CLOCK_KIND)


def stop_clock(actor, rectification) -> None:
    from yiwang.core.workcal.actions import stop_clock as stop

    clock = clock_of(rectification)
    if clock is not None:
        stop(actor, clock)


def _rectification_of(clock):
    from .models import Rectification

    return Rectification.objects.select_related("org_unit").filter(pk=clock.subject_id).first()


def on_overdue(clock) -> None:
    """The clock ran out: escalate the rectification (once)."""
    from yiwang.core.actor import Actor, Channel

    from .rectification import escalate_overdue

    rectification = _rectification_of(clock)
    if rectification is not None:
        # the sweep's instant (it may run for a past or simulated "now"), not the wall clock
        escalate_overdue(Actor.system(Channel.WORKER), rectification, now=getattr(clock, "overdue_at", None))


def on_warning(clock) -> None:
    """Most of the 5 working days have passed: remind the department."""
    from yiwang.core.actor import Actor, Channel

    from .rectification import remind_department

    rectification = _rectification_of(clock)
    if rectification is not None:
        remind_department(Actor.system(Channel.WORKER), rectification)


def sweep_overdue(now=None) -> int:
    """Escalate every active rectification past its deadline that was not escalated yet; returns how many."""
    from django.utils import timezone

    from yiwang.core.actor import Actor, Channel

    from . import workflow
    from .models import Rectification
    from .rectification import escalate_overdue

    now = now or timezone.now()
    due = Rectification.objects.filter(state__in=workflow.ACTIVE_STATES, due_at__lt=now, escalated_at__isnull=True)
    count = 0
    for rectification in due.select_related("org_unit").order_by("due_at")[:500]:
        if escalate_overdue(Actor.system(Channel.WORKER), rectification, now=now) is not None:
            count += 1
    return count


def connect() -> None:
    """Register the clock handlers (called from the app's ``ready``); the sweep job is in ``jobs.py``."""
    from yiwang.core.workcal.sweep import register_clock_handler

    register_clock_handler(SUBJECT_TYPE, on_warning=on_warning, on_overdue=on_overdue)
