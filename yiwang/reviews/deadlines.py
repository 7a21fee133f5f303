"""The rectification deadline: 5 working days on the work calendar, watched by a deadline clock.

A bad rating under the "rectify" policy opens a rectification due at the close of office hours on the
5th working day after the rating (``yiwang.core.workcal``: holidays and adjusted working days count).
The clock's overdue handler escalates the rectification; a periodic sweep does the same for any
rectification past its deadline, so an escalation is never missed (escalating is idempotent).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings

logger = logging.getLogger("yiwang.reviews")

SUBJECT_TYPE = "reviews.rectification"
CLOCK_KIND = "rectification"
WORKING_DAYS = 5
SWEEP_SECONDS = 300


def work_calendar():
    """The district's work calendar (with the published overrides when the workcal service offers them)."""
    try:
        from yiwang.core.workcal import services

        return services.get_calendar()
    except (ImportError, AttributeError):
        from yiwang.core.workcal.calendar import WorkCalendar

        return WorkCalendar(office_hours=settings.WORKCAL["OFFICE_HOURS"], tz=settings.TIME_ZONE)


def due_after(start: datetime) -> datetime:
    """When a rectification opened at ``start`` is due (provisional for years the calendar lacks)."""
    return work_calendar().schedule(start, "wd", WORKING_DAYS).due_at


def _clocks():
    try:
        from yiwang.core.workcal import clocks
    except ImportError:
        return None
    return clocks


def start_clock(actor, rectification) -> datetime:
    """Start the rectification's deadline clock; returns the due instant."""
    clocks = _clocks()
    if clocks is None:
        return due_after(rectification.opened_at)
    clock = clocks.start_clock(
        actor,
        subject=(SUBJECT_TYPE, str(rectification.pk)),
        kind=CLOCK_KIND,
        unit="wd",
        amount=WORKING_DAYS,
        started_at=rectification.opened_at,
    )
    return clock.due_at


def stop_clock(actor, rectification) -> None:
    clocks = _clocks()
    if clocks is None:
        return
    clocks.stop_clock(actor, subject=(SUBJECT_TYPE, str(rectification.pk)), kind=CLOCK_KIND)


def _rectification_of(clock):
    from .models import Rectification

    return Rectification.objects.select_related("org_unit").filter(pk=clock.subject_id).first()


def on_overdue(clock) -> None:
    """The clock ran out: escalate the rectification (once)."""
    from yiwang.core.actor import Actor, Channel

    from .rectification import escalate_overdue

    rectification = _rectification_of(clock)
    if rectification is not None:
        escalate_overdue(Actor.system(Channel.WORKER), rectification)


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
    """Register the clock handlers and the periodic sweep (called from the app's ``ready``)."""
    clocks = _clocks()
    register = getattr(clocks, "register_clock_handler", None) if clocks else None
    if register is not None:
        register(SUBJECT_TYPE, on_warning, on_overdue)
    try:
        from yiwang.core.periodic import periodic
    except ImportError:
        return
    periodic("reviews.rectification_overdue", every_seconds=SWEEP_SECONDS)(sweep_overdue)
