"""``yiwang worker``: periodic jobs run once per period across workers, --once runs them all, signals stop it."""

import os
import signal
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.workcal.conftest import local
from yiwang.core import periodic
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditAnchor
from yiwang.core.workcal.actions import start_clock
from yiwang.core.workcal.models import Clock, ClockState, PeriodicRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_registry():
    """Register extra jobs for one test only."""
    saved = dict(periodic._registry)
    yield periodic.periodic
    periodic._registry.clear()
    periodic._registry.update(saved)


def test_builtin_jobs_are_registered_with_their_periods():
    jobs = {job.name: job.every_seconds for job in periodic.registered_jobs()}
    assert jobs["workcal.sweep"] == 30
    assert jobs["audit.anchor_heads"] == 600
    assert jobs["workcal.coverage"] == 86400


def test_once_runs_every_periodic_job_and_exits(clock_handlers):
    clock = start_clock(Actor.system(), ("tests.thing", "1"), "handle", "wh", 2, started_at=local(2025, 9, 30, 9))
    anchors = AuditAnchor.objects.count()
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    lines = out.getvalue().splitlines()
    names = {job.name for job in periodic.registered_jobs()}
    assert {line.split(":")[0] for line in lines} == names
    assert any(line.startswith("workcal.sweep: ok") and "1 overdue" in line for line in lines)
    assert AuditAnchor.objects.count() == anchors + 1
    assert Clock.objects.get(pk=clock.pk).state == ClockState.OVERDUE
    runs = PeriodicRun.objects.get(name="workcal.sweep")
    assert runs.runs == 1 and runs.last_ok and runs.lease_until is None


def test_once_can_run_a_single_job():
    out = StringIO()
    call_command("worker", "--once", "--job", "audit.anchor_heads", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("audit.anchor_heads: ok")
    assert list(PeriodicRun.objects.values_list("name", flat=True)) == ["audit.anchor_heads"]


def test_a_job_that_ran_recently_is_not_run_again_by_another_or_a_restarted_worker(job_registry):
    calls = []
    job_registry("tests.count", every_seconds=600)(lambda: calls.append(1))
    first = periodic.run_due_jobs("worker-a", only=["tests.count"])
    again = periodic.run_due_jobs("worker-b", only=["tests.count"])
    assert [o.ran for o in first] == [True] and [o.ran for o in again] == [False]
    assert calls == [1]
    # once the period has passed it is due again
    PeriodicRun.objects.filter(name="tests.count").update(next_due_at=timezone.now() - timedelta(seconds=1))
    assert [o.ran for o in periodic.run_due_jobs("worker-b", only=["tests.count"])] == [True]
    assert calls == [1, 1]


def test_a_job_held_by_another_worker_is_not_run_even_when_forced(job_registry):
    job = periodic.PeriodicJob("tests.held", 30, lambda: None, 60)
    job_registry("tests.held", every_seconds=30)(job.func)
    assert periodic.claim(job, "worker-a", force=True)
    assert not periodic.claim(job, "worker-b", force=True)
    # a worker that died keeps its claim only until the lease runs out
    later = timezone.now() + timedelta(seconds=61)
    assert periodic.claim(job, "worker-b", now=later, force=True)
    assert PeriodicRun.objects.get(name="tests.held").claimed_by == "worker-b"


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(job_registry):
    def broken():
        raise RuntimeError("disk full")

    job_registry("tests.broken", every_seconds=3600)(broken)
    job_registry("tests.fine", every_seconds=3600)(lambda: "done")
    outcomes = {o.name: o for o in periodic.run_due_jobs("w", only=["tests.broken", "tests.fine"])}
    assert not outcomes["tests.broken"].ok and outcomes["tests.fine"].ok
    row = PeriodicRun.objects.get(name="tests.broken")
    assert row.last_ok is False and "disk full" in row.last_error and row.lease_until is None
    assert row.next_due_at <= timezone.now() + timedelta(seconds=300)  # retried sooner than an hour
    assert PeriodicRun.objects.get(name="tests.fine").last_result == "done"


def test_worker_runs_due_jobs_in_a_loop_and_stops_cleanly_on_sigterm(job_registry):
    calls = []
    job_registry("tests.tick", every_seconds=3600)(lambda: calls.append(1))
    killer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    previous = signal.getsignal(signal.SIGTERM)
    out = StringIO()
    killer.start()
    try:
        call_command("worker", "--no-tasks", "--tick", "0.1", stdout=out)
    finally:
        killer.cancel()
    assert "stopped" in out.getvalue().splitlines()[-1]
    assert calls == [1]  # due once, then not again within its period
    assert PeriodicRun.objects.get(name="workcal.sweep").runs >= 1
    assert signal.getsignal(signal.SIGTERM) is previous
