"""Starting, pausing, resuming, extending and stopping deadline clocks: audited, optimistic, exact."""

from datetime import timedelta

import pytest

from tests.workcal.conftest import local
from yiwang.core.actions import ActionError, Conflict
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal.actions import (
    extend_clock,
    open_clock,
    pause_clock,
    resume_clock,
    start_clock,
    stop_clock,
)
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.services import get_calendar

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()
CASE = ("operations.case", "42")


def audit_actions(clock):
    return list(
        AuditEvent.objects.filter(object_type="workcal.clock", object_id=str(clock.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_start_clock_stores_due_and_warning_points_and_audits():
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 5, started_at=local(2025, 9, 30, 10))
    stored = Clock.objects.get(pk=clock.pk)
    assert stored.due_at == local(2025, 10, 14, 17, 30)
    assert stored.warn_at is not None and stored.started_at < stored.warn_at < stored.due_at
    assert stored.state == ClockState.RUNNING and stored.provisional is False
    assert audit_actions(clock) == ["workcal.clock.start"]
    assert open_clock(CASE, "handle") == stored


def test_a_subject_has_one_open_clock_per_kind():
    first = start_clock(SYSTEM, CASE, "handle", "wd", 5, started_at=local(2025, 9, 30, 10))
    with pytest.raises(Conflict):
        start_clock(SYSTEM, CASE, "handle", "wd", 3, started_at=local(2025, 9, 30, 11))
    start_clock(SYSTEM, CASE, "dispatch", "wh", 2, started_at=local(2025, 9, 30, 11))  # another kind is fine
    stop_clock(SYSTEM, first, at=local(2025, 10, 9, 9))
    again = start_clock(SYSTEM, CASE, "handle", "wd", 3, started_at=local(2025, 10, 9, 10))
    assert again.pk != first.pk


@pytest.mark.parametrize("unit,amount", [("xx", 3), ("wd", 0), ("wh", 1.5)])
def test_start_clock_refuses_bad_units_and_amounts(unit, amount):
    with pytest.raises(ActionError):
        start_clock(SYSTEM, CASE, "handle", unit, amount, started_at=local(2025, 9, 30, 10))
    assert not Clock.objects.exists()


def test_resume_moves_the_deadline_by_exactly_the_working_time_spent_paused():
    clock = start_clock(SYSTEM, CASE, "handle", "wh", 16, started_at=local(2025, 9, 29, 9))
    due_before = clock.due_at
    pause_clock(SYSTEM, clock, at=local(2025, 9, 29, 10), reason="waiting for the resident")
    assert Clock.objects.get(pk=clock.pk).state == ClockState.PAUSED
    resume_clock(SYSTEM, clock, at=local(2025, 10, 9, 11))
    stored = Clock.objects.get(pk=clock.pk)
    paused = timedelta(hours=6.5 + 8 + 2.5)  # rest of 29 Sep, all of 30 Sep, 9 Oct 08:30–11:00
    assert stored.paused_seconds == paused.total_seconds()
    assert get_calendar().working_time_between(due_before, stored.due_at) == paused
    assert stored.due_at > due_before
    assert stored.paused_at is None
    assert audit_actions(clock) == ["workcal.clock.start", "workcal.clock.pause", "workcal.clock.resume"]


def test_two_pauses_add_up():
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 3, started_at=local(2025, 9, 29, 9))
    due_before = clock.due_at
    for day in (29, 30):
        pause_clock(SYSTEM, clock, at=local(2025, 9, day, 9, 30))
        resume_clock(SYSTEM, clock, at=local(2025, 9, day, 10, 30))
    assert get_calendar().working_time_between(due_before, clock.due_at) == timedelta(hours=2)


def test_calendar_hour_clocks_move_by_the_calendar_time_paused():
    clock = start_clock(SYSTEM, CASE, "emergency", "ch", 4, started_at=local(2025, 10, 1, 9))
    pause_clock(SYSTEM, clock, at=local(2025, 10, 1, 10))
    resume_clock(SYSTEM, clock, at=local(2025, 10, 1, 12, 30))
    assert clock.due_at == local(2025, 10, 1, 15, 30)


def test_pause_and_resume_only_from_the_right_states():
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 3, started_at=local(2025, 9, 29, 9))
    with pytest.raises(ActionError):
        resume_clock(SYSTEM, clock, at=local(2025, 9, 29, 10))
    pause_clock(SYSTEM, clock, at=local(2025, 9, 29, 10))
    with pytest.raises(ActionError):
        pause_clock(SYSTEM, clock, at=local(2025, 9, 29, 11))
    with pytest.raises(ActionError):
        resume_clock(SYSTEM, clock, at=local(2025, 9, 29, 9, 30))  # before the pause
    stop_clock(SYSTEM, clock, at=local(2025, 9, 29, 12))
    with pytest.raises(ActionError):
        extend_clock(SYSTEM, clock, 1)


def test_extend_adds_units_of_the_clocks_own_kind():
    start = local(2025, 9, 30, 10)
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 5, started_at=start)
    extend_clock(SYSTEM, clock, 2, reason="approved", at=local(2025, 10, 9, 9))
    stored = Clock.objects.get(pk=clock.pk)
    assert stored.due_at == get_calendar().deadline(start, "wd", 7) == local(2025, 10, 16, 17, 30)
    assert (stored.amount, stored.extended_amount, stored.extensions) == (5, 2, 1)
    assert audit_actions(clock)[-1] == "workcal.clock.extend"


def test_extending_an_overdue_clock_into_the_future_makes_it_run_again():
    clock = start_clock(SYSTEM, CASE, "handle", "wh", 2, started_at=local(2025, 9, 30, 9))
    Clock.objects.filter(pk=clock.pk).update(state=ClockState.OVERDUE, overdue_at=local(2025, 9, 30, 11))
    clock.refresh_from_db()
    extend_clock(SYSTEM, clock, 8, at=local(2025, 9, 30, 12))
    assert clock.state == ClockState.RUNNING and clock.overdue_at is None
    assert clock.due_at == local(2025, 10, 9, 11)


def test_a_stale_copy_cannot_overwrite_a_newer_change():
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 5, started_at=local(2025, 9, 30, 10))
    stale = Clock.objects.get(pk=clock.pk)
    pause_clock(SYSTEM, clock, at=local(2025, 9, 30, 11))
    with pytest.raises(Conflict):
        stop_clock(SYSTEM, stale, at=local(2025, 9, 30, 12))
    assert Clock.objects.get(pk=clock.pk).state == ClockState.PAUSED
    assert audit_actions(clock) == ["workcal.clock.start", "workcal.clock.pause"]


def test_stop_records_when_and_leaves_nothing_to_fire():
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 5, started_at=local(2025, 9, 30, 10))
    stop_clock(SYSTEM, clock, at=local(2025, 10, 9, 9))
    stored = Clock.objects.get(pk=clock.pk)
    assert stored.state == ClockState.STOPPED and stored.stopped_at == local(2025, 10, 9, 9)
    assert stored.warn_at is None
    assert open_clock(CASE, "handle") is None


def test_clock_on_a_model_instance_uses_its_label_and_pk(django_user_model):
    user = django_user_model.objects.create(username="someone")
    clock = start_clock(SYSTEM, user, "promised", "wd", 1, started_at=local(2025, 9, 30, 10))
    assert (clock.subject_type, clock.subject_id) == ("core.user", str(user.pk))


def test_provisional_clocks_say_so_wherever_they_are_shown():
    clock = start_clock(SYSTEM, CASE, "handle", "wd", 5, started_at=local(2026, 12, 28, 10))
    assert clock.provisional is True
    assert clock.due_at == local(2027, 1, 4, 17, 30)
    assert "暂定" in clock.display_due() and "2027-01-04 17:30" in clock.display_due()
    assert "暂定" in str(clock)
    covered = start_clock(SYSTEM, ("operations.case", "43"), "handle", "wd", 3, started_at=local(2026, 12, 28, 10))
    assert "暂定" not in covered.display_due()
