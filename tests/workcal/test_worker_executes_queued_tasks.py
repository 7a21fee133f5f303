"""``yiwang worker`` also executes django-tasks queued in the database, and stops cleanly on SIGINT."""

import os
import signal
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from yiwang.core.workcal.models import CalendarYear


@task()
def note_year(year: int) -> int:
    CalendarYear.objects.create(year=year, note="written by a queued task")
    return year


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_queued_task_then_stops_on_sigint():
    result = note_year.enqueue(2031)
    done = threading.Event()

    def stop_when_done():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if DBTaskResult.objects.filter(id=result.id, status="SUCCESSFUL").exists():
                break
            time.sleep(0.1)
        done.set()
        os.kill(os.getpid(), signal.SIGINT)

    watcher = threading.Thread(target=stop_when_done, daemon=True)
    watcher.start()
    out = StringIO()
    call_command("worker", "--tick", "0.2", "--interval", "0.1", stdout=out)
    watcher.join(5)
    assert done.is_set()
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert CalendarYear.objects.filter(year=2031).exists()
    assert out.getvalue().splitlines()[-1].endswith("stopped")
