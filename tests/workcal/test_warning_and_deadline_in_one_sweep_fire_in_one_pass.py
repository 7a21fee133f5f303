"""A clock past its warning and its deadline fires both in the warning pass: one mark, handlers in order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workcal.conftest import local
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal import sweep
from yiwang.core.workcal.actions import start_clock
from yiwang.core.workcal.models import Clock, ClockState

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()
START = local(2025, 9, 29, 8, 30)  # 16 working hours: warned 13:30 on 30 September, due 17:30


def clock(subject_id, subject_type="tests.both"):
    return start_clock(SYSTEM, (subject_type, subject_id), "handle", "wh", 16, started_at=START, warn_share=0.75)


@pytest.fixture
def batch_calls():
    seen = []
    warn = lambda clocks: seen.append(("warning", sorted(c.subject_id for c in clocks)))  # noqa: E731
    over = lambda clocks: seen.append(("overdue", sorted(c.subject_id for c in clocks)))  # noqa: E731
    sweep.register_batch_clock_handler("tests.both", on_warning=warn, on_overdue=over)
    yield seen
    sweep.unregister_batch_clock_handler("tests.both", on_warning=warn, on_overdue=over)


def test_without_a_both_handler_the_warning_then_the_overdue_batch_handler_run_once(batch_calls):
    late, early = clock("late"), clock("early")
    Clock.objects.filter(pk=early.pk).update(due_at=local(2025, 10, 30))  # only its warning has passed
    with CaptureQueriesContext(connection) as ctx:
        result = sweep.sweep_clocks(local(2025, 10, 20))
    assert (result.warned, result.overdue, result.failed) == (2, 1, 0)
    assert batch_calls == [("warning", ["late"]), ("overdue", ["late"]), ("warning", ["early"])]
    marks = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "workcal_clock"')]
    assert len(marks) == 2, marks  # one for the clock firing both, one for the warning only
    late = Clock.objects.get(pk=late.pk)
    assert late.state == ClockState.OVERDUE and late.warned_at is not None and late.warn_at is None
    assert Clock.objects.get(pk=early.pk).state == ClockState.RUNNING
    assert AuditEvent.objects.get(action="workcal.clock.overdue").batch_count == 1
    assert AuditEvent.objects.get(action="workcal.clock.warning").batch_count == 2
    again = sweep.sweep_clocks(local(2025, 10, 20, 0, 1))
    assert (again.warned, again.overdue) == (0, 0)


def test_a_both_handler_takes_the_place_of_the_two(batch_calls):
    both = []
    handler = lambda clocks: both.append(sorted(c.subject_id for c in clocks))  # noqa: E731
    sweep.register_both_clock_handler("tests.both", handler)
    try:
        clock("a"), clock("b")
        result = sweep.sweep_clocks(local(2025, 10, 20))
    finally:
        sweep.unregister_both_clock_handler("tests.both", handler)
    assert (result.warned, result.overdue) == (2, 2)
    assert both == [["a", "b"]] and batch_calls == []
