"""The clock sweep marks and escalates many overdue cases with a bounded number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.operations.actions import HistoryCase, seed_history
from yiwang.operations.models import Case, Supervision

pytestmark = pytest.mark.django_db


def dispatched_long_ago(world, count, *, start=0):
    base = timezone.now() - timedelta(days=40)
    return [
        HistoryCase(
            category_id=world.garbage.pk, channel="hotline", discovery="passive", lon=121.406, lat=31.206,
            reported_at=base - timedelta(minutes=30 + i), registered_at=base - timedelta(minutes=20 + i),
            dispatched_at=base - timedelta(minutes=i), department_id=world.urban.pk, team_id=world.team_g1a.pk,
            district_code="D1", subdistrict_code="S1", grid_code="G1a",
        )
        for i in range(start, start + count)
    ]  # fmt: skip


def sweep_queries(now):
    with CaptureQueriesContext(connection) as ctx:
        result = sweep_clocks(now)
    return result, len(ctx.captured_queries)


def test_overdue_cases_are_marked_escalated_supervised_and_audited_in_batches(world):
    seed_history(Actor.system(), dispatched_long_ago(world, 30), history=False)
    now = timezone.now()
    result = sweep_clocks(now)
    assert (result.warned, result.overdue, result.failed) == (30, 30, 0)
    cases = Case.objects.all()
    assert all(c.overdue and c.warned and c.escalation_level == 1 for c in cases)
    supervisions = Supervision.objects.all()
    assert supervisions.count() == 30 and all(s.automatic and s.by_org_id == world.team_g1a.pk for s in supervisions)
    assert AuditEvent.objects.filter(action="operations.case.escalate").get().batch_count == 30
    assert AuditEvent.objects.filter(action="operations.case.deadline_warning").get().batch_count == 30
    # the handler hears once per batch (a digest), not thirty times
    assert Notification.objects.filter(recipient=world.handler).count() == 2  # warning digest + overdue digest
    assert sweep_clocks(now).overdue == 0  # fired once


def test_the_number_of_queries_does_not_grow_with_the_cases(world):
    seed_history(Actor.system(), dispatched_long_ago(world, 5), history=False)
    _, few = sweep_queries(timezone.now())
    seed_history(Actor.system(), dispatched_long_ago(world, 60, start=100), history=False)
    result, many = sweep_queries(timezone.now())
    assert result.overdue == 60
    assert many <= few + 5, (few, many)
