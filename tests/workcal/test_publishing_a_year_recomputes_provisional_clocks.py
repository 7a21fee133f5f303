"""An administrator publishes 2027's schedule: the calendar covers 2027 and provisional clocks are recomputed."""

from datetime import date

import pytest

from tests.factories import make_user
from tests.workcal.conftest import local
from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.core.workcal.actions import (
    pause_clock,
    publish_calendar_year,
    resume_clock,
    save_calendar_year,
    start_clock,
)
from yiwang.core.workcal.calendar import CalendarNotCovered
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.services import add_working_time, get_calendar, is_working_day

pytestmark = pytest.mark.django_db

# 2027 as an administrator might enter it (New Year and Spring Festival only, for the test)
HOLIDAYS_2027 = "2027-01-01\n2027-02-06..2027-02-12  # Spring Festival"
WORKDAYS_2027 = "2027-02-13, 2027-02-14"  # Sat + Sun adjusted working days


@pytest.fixture
def admin_actor():
    return Actor(user=make_user(Role.SYSTEM_ADMIN))


def test_publishing_2027_makes_a_provisional_clock_exact_and_audits_it(admin_actor):
    clock = start_clock(Actor.system(), ("tests.thing", "1"), "handle", "wd", 5, started_at=local(2026, 12, 28, 10))
    assert clock.provisional and clock.due_at == local(2027, 1, 4, 17, 30)  # 1 Jan guessed as working

    row = save_calendar_year(admin_actor, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027)
    assert Clock.objects.get(pk=clock.pk).provisional, "a draft year is not used yet"
    with pytest.raises(CalendarNotCovered):
        is_working_day(date(2027, 1, 1))

    recomputed = publish_calendar_year(admin_actor, row)
    stored = Clock.objects.get(pk=clock.pk)
    assert recomputed == 1
    assert stored.provisional is False
    assert stored.due_at == local(2027, 1, 5, 17, 30)  # 29, 30, 31 Dec, 4 and 5 Jan
    assert stored.version == clock.version + 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"workcal.year.save", "workcal.year.publish", "workcal.clock.recompute"} <= actions
    recompute = AuditEvent.objects.get(action="workcal.clock.recompute")
    assert recompute.batch_count == 1 and recompute.actor_id == admin_actor.user.pk


def test_published_year_is_used_by_the_strict_api_with_its_adjusted_days(admin_actor):
    row = save_calendar_year(admin_actor, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027)
    publish_calendar_year(admin_actor, row)
    assert is_working_day(date(2027, 1, 1)) is False
    assert is_working_day(date(2027, 2, 14)) is True  # an adjusted Sunday
    assert is_working_day(date(2027, 2, 8)) is False
    result = add_working_time(date(2027, 2, 5), "2wd", strict=True)
    assert result.due_at == local(2027, 2, 14, 17, 30) and not result.provisional
    assert get_calendar().coverage()[2027].startswith("override")


def test_recompute_also_reschedules_pauses_measured_with_guessed_days(admin_actor):
    clock = start_clock(Actor.system(), ("tests.thing", "2"), "handle", "wh", 8, started_at=local(2026, 12, 31, 9))
    pause_clock(Actor.system(), clock, at=local(2026, 12, 31, 10))
    resume_clock(Actor.system(), clock, at=local(2027, 1, 4, 8, 30))  # 1 Jan guessed as a working day
    assert clock.provisional
    row = save_calendar_year(admin_actor, year=2027, holidays=HOLIDAYS_2027)
    publish_calendar_year(admin_actor, row)
    stored = Clock.objects.get(pk=clock.pk)
    # 1 h before the pause, then 7 h: 31 Dec 10:00–17:30 is paused, 1 Jan is a holiday
    assert stored.paused_seconds == 6.5 * 3600
    assert stored.due_at == local(2027, 1, 4, 16, 30)
    assert stored.provisional is False


def test_an_overdue_clock_whose_deadline_moves_ahead_runs_again(admin_actor):
    clock = start_clock(Actor.system(), ("tests.thing", "3"), "handle", "wd", 4, started_at=local(2026, 12, 29, 9))
    assert clock.due_at == local(2027, 1, 4, 17, 30)
    Clock.objects.filter(pk=clock.pk).update(state=ClockState.OVERDUE, overdue_at=local(2027, 1, 4, 17, 30))
    row = save_calendar_year(admin_actor, year=2027, holidays="2027-01-01..2027-01-05")
    publish_calendar_year(admin_actor, row)
    stored = Clock.objects.get(pk=clock.pk)
    assert stored.due_at == local(2027, 1, 7, 17, 30)
    # "now" (the real clock) is before 2027-01-07 only until then; the rule: a future deadline runs again
    from django.utils import timezone

    expected = ClockState.RUNNING if stored.due_at > timezone.now() else ClockState.OVERDUE
    assert stored.state == expected


@pytest.mark.parametrize(
    "holidays,workdays,field",
    [
        ("2027-13-01", "", "holidays"),
        ("2026-12-31", "", "holidays"),
        ("", "2027-02-10", "workdays"),  # a Wednesday is already a working day
        ("2027-02-13", "2027-02-13", "workdays"),
        ("2027-02-12..2027-02-10", "", "holidays"),
    ],
)
def test_a_malformed_schedule_is_refused(admin_actor, holidays, workdays, field):
    with pytest.raises(ActionError) as raised:
        save_calendar_year(admin_actor, year=2027, holidays=holidays, workdays=workdays)
    assert raised.value.field == field


def test_only_administrators_may_edit_or_publish_the_calendar(admin_actor):
    clerk = Actor(user=make_user(Role.WINDOW_CLERK))
    with pytest.raises(PermissionDenied):
        save_calendar_year(clerk, year=2027, holidays=HOLIDAYS_2027)
    row = save_calendar_year(admin_actor, year=2027, holidays=HOLIDAYS_2027)
    with pytest.raises(PermissionDenied):
        publish_calendar_year(clerk, row)
    row.refresh_from_db()
    assert row.published is False


def test_editing_a_published_year_republishes_and_recomputes(admin_actor):
    row = save_calendar_year(admin_actor, year=2027, holidays="")
    publish_calendar_year(admin_actor, row)
    clock = start_clock(Actor.system(), ("tests.thing", "4"), "handle", "wd", 1, started_at=local(2026, 12, 31, 9))
    assert clock.due_at == local(2027, 1, 1, 17, 30) and not clock.provisional
    save_calendar_year(admin_actor, year=2027, holidays=HOLIDAYS_2027, row=row)
    assert Clock.objects.get(pk=clock.pk).due_at == local(2027, 1, 4, 17, 30)
