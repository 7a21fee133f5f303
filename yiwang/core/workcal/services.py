"""The work calendar as configured for this district: settings + published overrides + chinese-calendar.

Other contexts call these read-only helpers (deadline clocks are in :mod:`.actions`)::

    from yiwang.core.workcal.services import add_working_time, working_time_between, is_working_day

    result = add_working_time(case.reported_at, "5wd")    # Deadline(due_at, provisional, years)
    add_working_time(t, "8wh", strict=True).due_at         # raises CalendarNotCovered for uncovered years
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext

from .calendar import CalendarNotCovered, Probe, WorkCalendar, YearSchedule, parse_amount

__all__ = [
    "CalendarNotCovered",
    "Deadline",
    "add_working_time",
    "coverage_warning",
    "get_calendar",
    "is_working_day",
    "working_time_between",
]

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None
_checked = 0.0  # time.monotonic() of the last check against the database


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    provisional: bool = False
    provisional_years: tuple[int, ...] = ()


def _office_hours() -> str:
    return getattr(settings, "WORKCAL", {}).get("OFFICE_HOURS", "08:30-12:00,13:00-17:30")


def get_calendar() -> WorkCalendar:
    """The calendar, rebuilt when a year is published or the office hours change.

    Whether a year changed is asked of the database (one cheap query) at most every
    ``WORKCAL["FRESHNESS_SECONDS"]`` (default 5 s) per process; 0 asks every time.
    """
    global _cached
    from .models import CalendarYear

    global _checked
    settled = (_office_hours(), settings.TIME_ZONE)
    now = time.monotonic()
    current = _cached
    if current is not None and current[0][3:] == settled and now - _checked < _freshness_seconds():
        return current[1]  # checked against the database a moment ago (saving a year here clears it at once)
    published = CalendarYear.objects.filter(published=True)
    stamp = published.aggregate(n=Count("id"), last=Max("updated_at"), last_pub=Max("published_at"))
    key = (stamp["n"], stamp["last"], stamp["last_pub"], *settled)
    with _lock:
        if _cached is not None and _cached[0] == key:
            _checked = now
            return _cached[1]
    overrides = {}
    for row in published:
        source = gettext("override published %(when)s by %(who)s") % {
            "when": timezone.localtime(row.published_at).strftime("%Y-%m-%d") if row.published_at else "?",
            "who": row.published_by or "?",
        }
        overrides[row.year] = YearSchedule(
            row.year, frozenset(row.holiday_dates()), frozenset(row.workday_dates()), source=source
        )
    calendar = WorkCalendar(_office_hours(), settings.TIME_ZONE, overrides)
    with _lock:
        _cached, _checked = (key, calendar), now
    return calendar


def _freshness_seconds() -> float:
    """How long a process trusts its calendar before asking the database again (``WORKCAL["FRESHNESS_SECONDS"]``)."""
    return float(getattr(settings, "WORKCAL", {}).get("FRESHNESS_SECONDS", 5))


def invalidate_calendar(**_kwargs) -> None:
    global _cached
    with _lock:
        _cached = None


# a year saved or deleted in this process is seen at once; in other processes within FRESHNESS_SECONDS
post_save.connect(invalidate_calendar, sender="workcal.CalendarYear", dispatch_uid="workcal-calendar-save")
post_delete.connect(invalidate_calendar, sender="workcal.CalendarYear", dispatch_uid="workcal-calendar-delete")


def add_working_time(start: datetime | date, amount: str | tuple[float, str], *, strict: bool = False) -> Deadline:
    """``amount`` is ``"5wd"``, ``"8wh"``, ``"4ch"`` or ``(5, "wd")``.

    A date start with working days gives the close of office on the Nth working day after it.
    Not strict (the default for deadlines): uncovered years count weekdays and the result is provisional.
    Strict: raises :class:`CalendarNotCovered`.
    """
    value, unit = parse_amount(amount) if isinstance(amount, str) else amount
    calendar = get_calendar()
    if not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time(), calendar.tz)
    probe = None if strict else Probe()
    due = calendar.deadline(start, unit, value, probe)
    if probe is None:
        return Deadline(due)
    return Deadline(due, probe.provisional, tuple(sorted(probe.years)))


def working_time_between(start: datetime, end: datetime, *, strict: bool = True) -> timedelta:
    """Working time (office hours on working days) between two instants."""
    return get_calendar().working_time_between(start, end, None if strict else Probe())


def is_working_day(day: date, *, strict: bool = True) -> bool:
    return get_calendar().is_working_day(day, None if strict else Probe())


def coverage_warning(today: date | None = None) -> str | None:
    """A warning for administrators when coverage ends within ``WORKCAL["COVERAGE_WARNING_DAYS"]``."""
    today = today or timezone.localdate()
    calendar = get_calendar()
    days = int(getattr(settings, "WORKCAL", {}).get("COVERAGE_WARNING_DAYS", 60))
    end = calendar.covered_until(today)
    if end is None:
        return gettext(
            "The work calendar does not cover %(year)s: deadlines in %(year)s are provisional (weekdays only). "
            "Publish %(year)s's holidays and adjusted working days in the work calendar years table."
        ) % {"year": today.year}
    left = (end - today).days
    if left > days:
        return None
    return gettext(
        "The work calendar covers dates up to %(end)s (%(left)s days left). Publish %(next)s's holidays and "
        "adjusted working days; deadlines after %(end)s are provisional (weekdays only) until you do."
    ) % {"end": end.isoformat(), "left": left, "next": end.year + 1}
