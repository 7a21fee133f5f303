"""Deadlines on the work calendar: dispatch and handle clocks, warnings, overdue escalation, suspension."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations.conftest import actor, advance, report
from yiwang.core.notify.models import Notification
from yiwang.core.workcal.actions import open_clock
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.operations import actions as ops
from yiwang.operations.deadlines import sweep_escalations
from yiwang.operations.models import Case, Supervision

pytestmark = pytest.mark.django_db


def clock(case, kind):
    return open_clock(("operations.case", str(case.pk)), kind)


def test_registration_starts_the_dispatch_clock_and_dispatch_the_handle_clock(world):
    case = advance(world, report(world), "registered")
    dispatch_clock = clock(case, "dispatch")
    assert (dispatch_clock.unit, dispatch_clock.amount) == ("wh", world.garbage.dispatch_within_hours)
    assert case.clock_kind == "dispatch" and case.due_at == dispatch_clock.due_at
    case = ops.dispatch(actor(world.dispatcher), case, department=world.urban)
    assert Clock.objects.get(pk=dispatch_clock.pk).state == ClockState.STOPPED
    handle_clock = clock(case, "handle")
    assert (handle_clock.unit, handle_clock.amount, handle_clock.warn_share) == ("wd", 3, 0.75)
    assert Case.objects.get(pk=case.pk).due_at == handle_clock.due_at


def test_emergency_categories_count_calendar_hours(world):
    case = advance(world, report(world, category=world.flood), "registered")
    c = clock(case, "dispatch")
    assert (c.unit, c.amount) == ("ch", 1)
    assert c.due_at - c.started_at == timedelta(hours=1)


def test_warning_tells_the_handlers_and_overdue_escalates_with_supervision(world):
    case = advance(world, report(world, category=world.flood), "dispatched")
    c = clock(case, "handle")
    Notification.objects.all().delete()
    sweep_clocks(now=c.warn_at + timedelta(seconds=1))
    case = Case.objects.get(pk=case.pk)
    assert case.warned and not case.overdue
    assert Notification.objects.filter(subject_id=str(case.pk), subject__contains=case.code).exists()

    sweep_clocks(now=c.due_at + timedelta(seconds=1))
    case = Case.objects.get(pk=case.pk)
    assert case.overdue and case.escalation_level == 1
    supervision = Supervision.objects.get(case=case)
    assert supervision.automatic and supervision.level == 1
    assert supervision.by_org == world.team_g1a  # the grid's responsible team
    assert Notification.objects.filter(recipient=world.grid_worker).exists()


def test_a_case_still_overdue_climbs_to_the_subdistrict_then_the_district(world, settings):
    settings.OPERATIONS = {**settings.OPERATIONS, "ESCALATE_EVERY_HOURS": 0}
    case = advance(world, report(world, category=world.flood), "dispatched")
    c = clock(case, "handle")
    sweep_clocks(now=c.due_at + timedelta(seconds=1))
    later = timezone.now() + timedelta(days=3)
    assert sweep_escalations(now=later) == 1
    assert sweep_escalations(now=later) == 1
    assert sweep_escalations(now=later) == 0  # already at the district
    levels = list(Supervision.objects.filter(case=case).order_by("at", "id").values_list("level", "by_org"))
    assert levels == [(1, world.team_g1a.pk), (2, world.gc_s1.pk), (3, world.centre.pk)]


def test_suspension_pauses_the_clock_and_resume_returns_to_the_previous_state(world):
    case = advance(world, report(world), "handling")
    case = ops.suspend(actor(world.dispatcher), case, reason="Waiting for the owner")
    assert case.status == "suspended"
    assert clock(case, "handle").state == ClockState.PAUSED
    case = ops.resume(actor(world.dispatcher), case)
    assert case.status == "handling"
    resumed = clock(case, "handle")
    assert resumed.state == ClockState.RUNNING and len(resumed.pauses) == 1
    assert Case.objects.get(pk=case.pk).due_at == resumed.due_at


def test_granted_extension_moves_the_deadline_refused_one_does_not(world):
    case = advance(world, report(world), "handling")
    due = Case.objects.get(pk=case.pk).due_at
    case = ops.request_extension(actor(world.handler), case, reason="Parts", working_days=2)
    assert case.status == "extension_requested"
    case = ops.refuse_extension(actor(world.dispatcher), case, reason="No")
    assert (case.status, Case.objects.get(pk=case.pk).due_at) == ("handling", due)
    ops.request_extension(actor(world.handler), case, reason="Parts", working_days=2)
    case = ops.grant_extension(actor(world.dispatcher), case)
    assert case.status == "handling"
    assert Case.objects.get(pk=case.pk).due_at > due
    assert clock(case, "handle").extended_amount == 2


def test_handled_case_waits_for_verification_on_a_paused_clock_and_closure_stops_it(world):
    case = advance(world, report(world), "handled")
    assert clock(case, "handle").state == ClockState.PAUSED
    case = ops.verify(actor(world.grid_worker), case, passed=False, notes="Still dirty")
    assert case.status == "handling" and clock(case, "handle").state == ClockState.RUNNING
    case = advance(world, case, "closed")
    assert clock(case, "handle") is None
    assert Case.objects.get(pk=case.pk).due_at is None
