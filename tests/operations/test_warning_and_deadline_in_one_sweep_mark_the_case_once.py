"""A case whose warning and deadline both fire in one sweep (after a weekend, an outage) is marked by one UPDATE."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.operations.conftest import advance, report
from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification
from yiwang.core.workcal.actions import open_clock
from yiwang.core.workcal.models import ClockState
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.operations.models import Case, Supervision

pytestmark = pytest.mark.django_db
DUE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")


def dispatched_case(world):
    case = advance(world, report(world, category=world.flood), "dispatched")
    return case, open_clock(("operations.case", str(case.pk)), "handle")


def messages(case):
    rows = Notification.objects.filter(subject_id=str(case.pk)).order_by("id")
    return sorted((n.recipient_id, DUE.sub("DUE", n.body.replace(case.code, "CODE"))) for n in rows)


def test_a_case_past_warning_and_deadline_is_warned_overdue_and_escalated_by_one_update(world):
    case, clock = dispatched_case(world)
    Notification.objects.all().delete()
    table = Case._meta.db_table
    with CaptureQueriesContext(connection) as ctx:
        result = sweep_clocks(now=clock.due_at + timedelta(seconds=1))
    assert (result.warned, result.overdue, result.failed) == (1, 1, 0)
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]
    assert len(updates) == 1, updates
    case = Case.objects.get(pk=case.pk)
    assert case.warned and case.overdue and case.escalation_level == 1 and case.escalated_at is not None
    assert Supervision.objects.filter(case=case, automatic=True, level=1, by_org=world.team_g1a).count() == 1
    for action in ("operations.case.deadline_warning", "operations.case.escalate"):
        assert AuditEvent.objects.get(action=action).batch_count == 1
    for action in ("workcal.clock.warning", "workcal.clock.overdue"):
        assert AuditEvent.objects.get(action=action).batch_count == 1
    assert clock.__class__.objects.get(pk=clock.pk).state == ClockState.OVERDUE
    # nothing fires twice
    again = sweep_clocks(now=clock.due_at + timedelta(minutes=1))
    assert (again.warned, again.overdue) == (0, 0)
    assert Supervision.objects.filter(case=case).count() == 1


def test_the_notifications_are_those_of_a_warning_then_a_deadline_in_two_sweeps(world):
    two, clock_two = dispatched_case(world)
    one, clock_one = dispatched_case(world)
    assert clock_one.warn_at > clock_two.warn_at
    Notification.objects.all().delete()
    sweep_clocks(now=clock_two.warn_at)  # case two: warned in one sweep …
    assert not Case.objects.get(pk=one.pk).warned
    sweep_clocks(now=clock_one.due_at + timedelta(seconds=1))  # … overdue in the next; case one: both at once
    assert Case.objects.get(pk=two.pk).escalation_level == Case.objects.get(pk=one.pk).escalation_level == 1
    assert messages(one) == messages(two)
    bodies = [body for _r, body in messages(one)]
    assert any("is due" in b for b in bodies) and any("escalated to you" in b for b in bodies)
    assert any(r == world.grid_worker.pk for r, _b in messages(one))
