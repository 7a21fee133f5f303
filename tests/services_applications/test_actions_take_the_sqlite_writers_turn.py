"""On SQLite, applying and accepting queue on the writers' file lock (core.writeturn) before their
transaction — a writer holding the turn holds them back — and the checks that need no lock (a refusal)
never wait for it."""

import subprocess
import sys
import time

import pytest

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core import writeturn
from yiwang.core.actions import ActionError
from yiwang.services.applications import actions
from yiwang.services.applications.models import Application

pytestmark = pytest.mark.django_db(transaction=True)


def _hold_turn(path: str, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            "import fcntl, os, time\n"
            f"fd = os.open({path!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            f"time.sleep({seconds})\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_applying_and_accepting_wait_for_the_writer_holding_the_turn(tmp_path, monkeypatch):
    path = str(tmp_path / "db.sqlite3.writers.lock")
    monkeypatch.setattr(writeturn, "lock_path", lambda: path)
    situation = make_situation(materials=())
    resident, desk = as_actor(make_user()), as_actor(clerk(), channel="window")

    holder = _hold_turn(path, 0.6)
    t0 = time.monotonic()
    application = actions.create_application(resident, situation=situation, channel="online", submit_at_once=True)
    assert time.monotonic() - t0 >= 0.3
    holder.wait(timeout=10)

    holder = _hold_turn(path, 0.6)
    t0 = time.monotonic()
    actions.accept(desk, application)
    assert time.monotonic() - t0 >= 0.3
    holder.wait(timeout=10)
    assert Application.objects.get(pk=application.pk).status == "accepted"


def test_a_refused_application_does_not_wait_for_the_turn(tmp_path, monkeypatch):
    path = str(tmp_path / "db.sqlite3.writers.lock")
    monkeypatch.setattr(writeturn, "lock_path", lambda: path)
    situation = make_situation(materials=("Application form",))  # required, not provided: refused
    holder = _hold_turn(path, 1.0)
    try:
        t0 = time.monotonic()
        with pytest.raises(ActionError):
            actions.create_application(
                as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
            )
        assert time.monotonic() - t0 < 0.5
    finally:
        holder.wait(timeout=10)
    assert not Application.objects.exists()


def test_clocks_computed_before_the_turn_start_at_the_acceptance_with_the_rows_days(tmp_path, monkeypatch):
    from yiwang.core.audit.models import AuditEvent
    from yiwang.core.workcal.queries import clocks_for
    from yiwang.core.workcal.services import get_calendar

    monkeypatch.setattr(writeturn, "lock_path", lambda: str(tmp_path / "db.sqlite3.writers.lock"))
    situation = make_situation(promised=3, statutory=12, materials=())
    application = actions.create_application(
        as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
    )
    accepted = actions.accept(as_actor(clerk(), channel="window"), Application(code=application.code, version=1))
    started = {clock.kind: clock for clock in clocks_for(accepted)}
    assert {kind: clock.amount for kind, clock in started.items()} == {"promised": 3, "statutory": 12}
    for clock in started.values():
        assert clock.started_at == accepted.accepted_at
        expected = get_calendar().schedule(accepted.accepted_at, "wd", clock.amount, warn_share=0.75)
        assert (clock.due_at, clock.warn_at) == (expected.due_at, expected.warn_at)
    row = AuditEvent.objects.get(action="applications.application.accept", object_id=str(accepted.pk))
    assert set(row.summary["after"]["clocks"]) == {"promised", "statutory"}


def test_clocks_planned_for_other_days_than_the_locked_rows_are_not_used():
    from django.db import transaction
    from django.utils import timezone

    from yiwang.core.workcal.queries import clocks_for
    from yiwang.services.applications import clocks

    situation = make_situation(promised=3, statutory=12, materials=())
    application = actions.create_application(
        as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
    )
    stale = clocks.plan_first_start(Application(pk=application.pk, promised_days=9, statutory_days=30), timezone.now())
    with transaction.atomic():
        clocks.start_or_resume(None, application, first_acceptance=True, planned=stale)
    assert sorted(clock.amount for clock in clocks_for(application)) == [3, 12]
