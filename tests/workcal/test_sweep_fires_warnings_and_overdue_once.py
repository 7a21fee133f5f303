"""The clock sweep fires each warning and each overdue once, to the handlers of the clock's subject type."""

import pytest

from tests.workcal.conftest import local
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal.actions import pause_clock, start_clock, stop_clock
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.sweep import sweep_clocks

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()
START = local(2025, 9, 29, 8, 30)  # Monday; 16 working hours end at 17:30 on Tuesday 30 September


def clock(subject_id, amount=16, subject_type="tests.thing", unit="wh"):
    return start_clock(SYSTEM, (subject_type, subject_id), "handle", unit, amount, started_at=START, warn_share=0.75)


@pytest.fixture
def calls(clock_handlers):
    seen = []
    clock_handlers(
        "tests.thing",
        on_warning=lambda c: seen.append(("warning", c.subject_id, c.warned_at is not None)),
        on_overdue=lambda c: seen.append(("overdue", c.subject_id, c.state)),
    )
    return seen


def test_warning_then_overdue_each_fire_exactly_once(calls):
    c = clock("1")
    assert c.warn_at == local(2025, 9, 30, 13, 30)  # 12 of 16 working hours
    sweep_clocks(local(2025, 9, 30, 13, 29))
    assert calls == []
    first = sweep_clocks(local(2025, 9, 30, 13, 30))
    assert (first.warned, first.overdue) == (1, 0)
    assert calls == [("warning", "1", True)]
    sweep_clocks(local(2025, 9, 30, 14))
    assert calls == [("warning", "1", True)]
    late = sweep_clocks(local(2025, 9, 30, 17, 30))
    assert (late.warned, late.overdue) == (0, 1)
    assert calls[-1] == ("overdue", "1", ClockState.OVERDUE)
    sweep_clocks(local(2025, 10, 20))
    assert len(calls) == 2
    stored = Clock.objects.get(pk=c.pk)
    assert stored.state == ClockState.OVERDUE and stored.overdue_at == local(2025, 9, 30, 17, 30)
    assert stored.warned_at == local(2025, 9, 30, 13, 30) and stored.warn_at is None
    fired = AuditEvent.objects.filter(action__in=["workcal.clock.warning", "workcal.clock.overdue"])
    assert sorted(fired.values_list("action", flat=True)) == ["workcal.clock.overdue", "workcal.clock.warning"]


def test_a_late_sweep_fires_the_warning_before_the_overdue(calls):
    clock("1")
    result = sweep_clocks(local(2025, 10, 20))
    assert (result.warned, result.overdue) == (1, 1)
    assert [event for event, *_ in calls] == ["warning", "overdue"]


def test_paused_and_stopped_clocks_do_not_fire(calls):
    paused, stopped, running = clock("p"), clock("s"), clock("r")
    pause_clock(SYSTEM, paused, at=local(2025, 9, 29, 9))
    stop_clock(SYSTEM, stopped, at=local(2025, 9, 29, 9))
    sweep_clocks(local(2025, 10, 20))
    assert {subject for _, subject, _ in calls} == {running.subject_id}


def test_handlers_are_called_only_for_their_subject_type(calls, clock_handlers):
    other = []
    clock_handlers("tests.other", on_overdue=lambda c: other.append(c.subject_id))
    clock("case-1")
    clock("app-1", subject_type="tests.other")
    clock("nobody-listens", subject_type="tests.unheard")
    result = sweep_clocks(local(2025, 10, 20))
    assert (result.warned, result.overdue) == (3, 3)  # fired (and marked) even without a handler
    assert other == ["app-1"]
    assert {subject for _, subject, _ in calls} == {"case-1"}


def test_a_failing_handler_leaves_its_clock_to_be_retried(clock_handlers):
    attempts = []

    def flaky(c):
        attempts.append(c.subject_id)
        Clock.objects.filter(pk=c.pk).update(kind="touched-by-handler")  # rolled back with the failure
        if len(attempts) == 1:
            raise RuntimeError("downstream unavailable")

    clock_handlers("tests.thing", on_overdue=flaky)
    failing, fine = clock("1"), clock("2")
    result = sweep_clocks(local(2025, 10, 20))
    assert result.overdue == 1 and result.failed == 1
    assert Clock.objects.get(pk=failing.pk).state == ClockState.RUNNING
    assert Clock.objects.get(pk=failing.pk).kind == "handle"
    assert Clock.objects.get(pk=fine.pk).state == ClockState.OVERDUE
    retry = sweep_clocks(local(2025, 10, 20, 0, 1))
    assert retry.overdue == 1 and retry.failed == 0
    assert Clock.objects.get(pk=failing.pk).state == ClockState.OVERDUE
    assert len(attempts) == 3


def test_sweep_is_a_few_queries_however_many_clocks_are_waiting(django_assert_max_num_queries, clock_handlers):
    for n in range(60):
        clock(str(n), amount=400)
    with django_assert_max_num_queries(6):  # per event: savepoint, one indexed select, release
        result = sweep_clocks(local(2025, 10, 1))
    assert (result.warned, result.overdue) == (0, 0)


def test_sweep_marks_many_clocks_with_bulk_updates(django_assert_max_num_queries, clock_handlers):
    for n in range(50):
        clock(str(n))
    # fetch + bulk update + audit for each of the two events, plus savepoints: not one query per clock
    with django_assert_max_num_queries(30):
        result = sweep_clocks(local(2025, 10, 20))
    assert (result.warned, result.overdue) == (50, 50)
    assert Clock.objects.filter(state=ClockState.OVERDUE).count() == 50
