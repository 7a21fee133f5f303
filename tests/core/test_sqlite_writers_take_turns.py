"""On SQLite, hot writers (Open311 POSTs, applications) queue on a file lock (woken at once, no busy-handler sleeps)."""

import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from yiwang.core import writeturn as writer


def test_a_writer_waits_for_another_process_holding_the_turn(tmp_path, monkeypatch):
    path = str(tmp_path / "db.sqlite3.writers.lock")
    monkeypatch.setattr(writer, "lock_path", lambda: path)
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({path!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(0.6)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with writer.writer_turn():
            waited = time.monotonic() - t0
        assert waited >= 0.3  # it could not write while the other process had its turn
    finally:
        holder.wait(timeout=10)


def test_threads_of_one_process_take_turns_too(tmp_path, monkeypatch):
    path = str(tmp_path / "db.sqlite3.writers.lock")
    monkeypatch.setattr(writer, "lock_path", lambda: path)
    inside, overlaps = [], []

    def write():
        for _ in range(20):
            with writer.writer_turn():
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(len(inside))
                time.sleep(0.001)
                inside.pop()

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not overlaps


@pytest.mark.django_db
def test_the_turn_is_a_file_beside_the_sqlite_database_and_postgresql_needs_none():
    if connection.vendor == "postgresql":
        assert writer.lock_path() is None  # row locks, no busy handler
    else:
        assert writer.lock_path() == str(connection.settings_dict["NAME"]) + ".writers.lock"
