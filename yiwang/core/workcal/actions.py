"""Deadline clocks: the only write path (each action audited in its own transaction).

Clocks are a shared service: the calling context's own action checks who may act on its subject
(a case, an application, …) and then calls these inside the same transaction::

    from yiwang.core.workcal.actions import start_clock, pause_clock, resume_clock, extend_clock, stop_clock

    clock = start_clock(actor, ("operations.case", case.pk), "handle", "wd", 5)
    pause_clock(actor, clock)          # e.g. waiting for the resident
    resume_clock(actor, clock)         # the deadline moves by exactly the working time spent paused
    extend_clock(actor, clock, 2, reason="approved extension")
    stop_clock(actor, clock)

Every write is optimistic: a clock changed by someone else since it was loaded raises ``Conflict``.
Rules of the arithmetic (working days, office hours, provisional years): :mod:`.calendar`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions
from yiwang.core.actions import ActionError, BatchDigest, Conflict, action, record_batch, record_event, require
from yiwang.core.actor import Actor

from .calendar import UNITS, Probe, WorkCalendar
from .models import OPEN_STATES, CalendarYear, Clock, ClockState, parse_date_list
from .queries import _ref, open_clock  # noqa: F401  (re-exported: callers of actions often need it)
from .services import get_calendar, invalidate_calendar


def subject_ref(subject) -> tuple[str, str]:
    """``("operations.case", "42")`` from a pair or a model instance."""
    return _ref(subject)


def clock_summary(clock: Clock) -> dict:
    return {
        "subject": f"{clock.subject_type}:{clock.subject_id}",
        "kind": clock.kind,
        "amount": f"{clock.total_amount}{clock.unit}",
        "state": clock.state,
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
        "provisional": clock.provisional,
    }


def _now(at: datetime | None) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ActionError(_("Times must carry a time zone."))
    return at


def reschedule(clock: Clock, calendar: WorkCalendar, now: datetime) -> dict:
    """Recompute due/warn instants and the provisional flag from the clock's start, amount and pauses."""
    probe = Probe()
    paused = timedelta(0)
    for paused_at, resumed_at in clock.pauses:
        paused += calendar.measure(parse_datetime(paused_at), parse_datetime(resumed_at), clock.unit, probe)
    schedule = calendar.schedule(clock.started_at, clock.unit, clock.total_amount, paused, clock.warn_share)
    changes = {
        "due_at": schedule.due_at,
        "provisional": schedule.provisional or probe.provisional,
        "paused_seconds": int(paused.total_seconds()),
    }
    if clock.warned_at is None:
        changes["warn_at"] = schedule.warn_at
    if clock.state == ClockState.OVERDUE and schedule.due_at > now:
        changes.update(state=ClockState.RUNNING, overdue_at=None)
    return changes


def _commit(clock: Clock, expected_version: int | None, changes: dict) -> Clock:
    expected = clock.version if expected_version is None else expected_version
    updated = Clock.objects.filter(pk=clock.pk, version=expected).update(**changes, version=F("version") + 1)
    if not updated:
        raise Conflict(_("This deadline clock was changed by someone else; reload it and try again."))
    for name, value in changes.items():
        setattr(clock, name, value)
    clock.version = expected + 1
    return clock


def _require_state(clock: Clock, allowed, message) -> None:
    if clock.state not in allowed:
        raise ActionError(message, code="state")


@action
def start_clock(
    actor: Actor,
    subject,
    kind: str,
    unit: str,
    amount: int,
    *,
    started_at: datetime | None = None,
    warn_share: float | None = 0.75,
) -> Clock:
    """Start a clock of ``amount`` ``unit`` ("wd", "wh" or "ch") on ``subject`` (pair or model instance)."""
    subject_type, subject_id = subject_ref(subject)
    started_at = _now(started_at)
    if unit not in UNITS:
        raise ActionError(_("Unknown time unit."), field="unit")
    if int(amount) != amount or amount < 1:
        raise ActionError(_("A deadline needs a whole amount of at least 1."), field="amount")
    if warn_share is not None and not 0 < warn_share < 1:
        raise ActionError(_("The warning share must lie between 0 and 1."), field="warn_share")
    open_clocks = Clock.objects.filter(subject_type=subject_type, subject_id=subject_id, kind=kind)
    if open_clocks.filter(state__in=OPEN_STATES).exists():
        raise Conflict(_("This subject already has a running clock of this kind."))
    schedule = get_calendar().schedule(started_at, unit, amount, timedelta(0), warn_share)
    clock = Clock(
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        unit=unit,
        amount=int(amount),
        started_at=started_at,
        due_at=schedule.due_at,
        provisional=schedule.provisional,
        warn_share=warn_share,
        warn_at=schedule.warn_at,
    )
    try:
        with transaction.atomic():
            clock.save(force_insert=True)
    except IntegrityError:
        raise Conflict(_("This subject already has a running clock of this kind."))
    record_event(actor, "workcal.clock.start", clock, after=clock_summary(clock))
    return clock


@action
def pause_clock(
    actor: Actor, clock: Clock, *, at: datetime | None = None, reason: str = "", expected_version: int | None = None
) -> Clock:
    """Stop counting time (e.g. waiting for the resident); the deadline moves when the clock resumes."""
    at = _now(at)
    _require_state(clock, (ClockState.RUNNING, ClockState.OVERDUE), _("Only a running clock can be paused."))
    if at < clock.started_at:
        raise ActionError(_("A clock cannot be paused before it started."), field="at")
    before = clock_summary(clock)
    _commit(clock, expected_version, {"state": ClockState.PAUSED, "paused_at": at})
    record_event(actor, "workcal.clock.pause", clock, before=before, after=clock_summary(clock), note=reason[:200])
    return clock


@action
def resume_clock(
    actor: Actor, clock: Clock, *, at: datetime | None = None, expected_version: int | None = None
) -> Clock:
    """Count time again; the deadline moves later by exactly the working time spent paused."""
    at = _now(at)
    _require_state(clock, (ClockState.PAUSED,), _("Only a paused clock can be resumed."))
    if at < clock.paused_at:
        raise ActionError(_("A clock cannot resume before it was paused."), field="at")
    before = clock_summary(clock)
    clock.pauses = [*clock.pauses, [clock.paused_at.isoformat(), at.isoformat()]]
    changes = reschedule(clock, get_calendar(), at)
    overdue_still = clock.overdue_at is not None and changes["due_at"] <= at
    changes.update(
        pauses=clock.pauses,
        paused_at=None,
        state=ClockState.OVERDUE if overdue_still else ClockState.RUNNING,
    )
    if not overdue_still:
        changes["overdue_at"] = None
    _commit(clock, expected_version, changes)
    record_event(actor, "workcal.clock.resume", clock, before=before, after=clock_summary(clock))
    return clock


@action
def extend_clock(
    actor: Actor,
    clock: Clock,
    amount: int,
    *,
    reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Clock:
    """Add ``amount`` more units (of the clock's own unit) to an open clock."""
    at = _now(at)
    _require_state(clock, OPEN_STATES, _("Only an open clock can be extended."))
    if int(amount) != amount or amount < 1:
        raise ActionError(_("An extension needs a whole amount of at least 1."), field="amount")
    before = clock_summary(clock)
    clock.extended_amount += int(amount)
    warned_at = clock.warned_at
    clock.warned_at = None  # a new warning point for the longer budget, if it is still ahead
    changes = reschedule(clock, get_calendar(), at)
    if changes.get("warn_at") is not None and changes["warn_at"] <= at and warned_at is not None:
        changes["warn_at"] = None
        changes["warned_at"] = warned_at
    else:
        changes["warned_at"] = None
    changes.update(extended_amount=clock.extended_amount, extensions=clock.extensions + 1)
    _commit(clock, expected_version, changes)
    record_event(actor, "workcal.clock.extend", clock, before=before, after=clock_summary(clock), note=reason[:200])
    return clock


@action
def stop_clock(actor: Actor, clock: Clock, *, at: datetime | None = None, expected_version: int | None = None) -> Clock:
    """The subject is done (or the deadline no longer applies)."""
    at = _now(at)
    _require_state(clock, OPEN_STATES, _("Only an open clock can be stopped."))
    before = clock_summary(clock)
    _commit(clock, expected_version, {"state": ClockState.STOPPED, "stopped_at": at, "warn_at": None})
    record_event(actor, "workcal.clock.stop", clock, before=before, after=clock_summary(clock))
    return clock


# --- the override table: a year's published schedule ---------------------------------------------


def may_manage_calendar(actor: Actor) -> bool:
    if actor.user is None:
        return True  # the system itself (a command run by an operator on the server)
    return permissions.may_manage_calendar(actor.user)


def validate_year(year: int, holidays: str, workdays: str) -> tuple[list, list]:
    if not 1900 <= int(year) <= 2200:
        raise ActionError(_("Enter a year between 1900 and 2200."), field="year")
    try:
        holiday_dates = parse_date_list(holidays)
    except ValueError as exc:
        raise ActionError(_("Not a date or date range: %(value)s") % {"value": exc}, field="holidays")
    try:
        workday_dates = parse_date_list(workdays)
    except ValueError as exc:
        raise ActionError(_("Not a date or date range: %(value)s") % {"value": exc}, field="workdays")
    for field, days in (("holidays", holiday_dates), ("workdays", workday_dates)):
        stray = [d for d in days if d.year != year]
        if stray:
            raise ActionError(_("%(day)s is not in %(year)s.") % {"day": stray[0], "year": year}, field=field)
    both = set(holiday_dates) & set(workday_dates)
    if both:
        raise ActionError(
            _("%(day)s cannot be both a holiday and a working day.") % {"day": min(both)}, field="workdays"
        )
    weekdays = [d for d in workday_dates if d.weekday() < 5]
    if weekdays:
        raise ActionError(
            _("%(day)s is a weekday, already a working day: list only weekend days here.") % {"day": weekdays[0]},
            field="workdays",
        )
    return holiday_dates, workday_dates


@action
def save_calendar_year(
    actor: Actor, *, year: int, holidays: str = "", workdays: str = "", note: str = "", row: CalendarYear | None = None
) -> CalendarYear:
    """Create or edit a year's schedule. Editing a published year publishes the change at once."""
    require(may_manage_calendar(actor), _("Only a system administrator may edit the work calendar."))
    validate_year(int(year), holidays, workdays)
    row = row or CalendarYear.objects.filter(year=year).first() or CalendarYear(year=year)
    before = {"year": row.year, "published": row.published} if row.pk else None
    row.year, row.holidays, row.workdays, row.note = int(year), holidays, workdays, note
    row.save()
    record_event(actor, "workcal.year.save", row, before=before, after=_year_summary(row))
    if row.published:
        _publish(actor, row)
    return row


@action
def publish_calendar_year(actor: Actor, row: CalendarYear) -> int:
    """Publish a year's schedule: the calendar uses it at once and affected clocks are recomputed.

    Returns how many clocks were recomputed (every provisional clock, and every open clock whose span
    touches the year).
    """
    require(may_manage_calendar(actor), _("Only a system administrator may publish the work calendar."))
    validate_year(row.year, row.holidays, row.workdays)
    return _publish(actor, row)


def _year_summary(row: CalendarYear) -> dict:
    return {
        "year": row.year,
        "holidays": len(row.holiday_dates()),
        "workdays": len(row.workday_dates()),
        "published": row.published,
    }


def _publish(actor: Actor, row: CalendarYear) -> int:
    row.published = True
    row.published_at = timezone.now()
    row.published_by = actor.label[:150]
    row.save()
    invalidate_calendar()
    record_event(actor, "workcal.year.publish", row, after=_year_summary(row))
    return recompute_clocks(actor, year=row.year)


@action
def recompute_clocks(actor: Actor, *, year: int | None = None) -> int:
    """Recompute every provisional clock (and open clocks touching ``year``); one audit row per batch."""
    calendar = get_calendar()
    now = timezone.now()
    affected = Q(provisional=True)
    if year is not None:
        first = datetime(year, 1, 1, tzinfo=calendar.tz)
        affected |= Q(state__in=OPEN_STATES, due_at__gte=first, started_at__lt=first.replace(year=year + 1))
    digest = BatchDigest()
    changed = []
    for clock in Clock.objects.select_for_update().filter(affected).order_by("id").iterator(chunk_size=2000):
        changes = reschedule(clock, calendar, now)
        for name, value in changes.items():
            setattr(clock, name, value)
        clock.version += 1
        changed.append(clock)
        digest.add(clock_summary(clock) | {"id": clock.pk})
    fields = ["due_at", "warn_at", "provisional", "paused_seconds", "state", "overdue_at", "version"]
    Clock.objects.bulk_update(changed, fields, batch_size=1000)
    if changed:
        record_batch(actor, "workcal.clock.recompute", "workcal.clock", digest, note=f"year {year}")
    return len(changed)
