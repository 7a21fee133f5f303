"""Taking turns to write on SQLite: writers of one server queue on an OS file lock instead of polling.

SQLite lets one transaction write at a time. A second writer that finds the database locked does not
wait on the lock: its busy handler sleeps and retries (1, 2, 5, 10, 15, 20, 25 … ms), so under a steady
stream of reports each worker loses several milliseconds per collision while the lock is long free.
Hot write paths (the Open311 POST, applications' actions) therefore take an exclusive ``flock`` on a file
beside the database before their write transaction: the next worker is woken the moment the previous
one commits. Only the ordering changes — the transaction, its audit row and SQLite's own locking are as
before (other writers still meet the busy handler). PostgreSQL locks rows and needs none of this.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading

from django.db import connection

_locks: dict[str, tuple[int, threading.Lock]] = {}
_guard = threading.Lock()


def _lock(path: str) -> tuple[int, threading.Lock]:
    """The file (shared by this process) and a thread lock: a flock does not exclude threads of one process."""
    with _guard:
        found = _locks.get(path)
        if found is None:
            found = (os.open(path, os.O_RDWR | os.O_CREAT, 0o600), threading.Lock())
            _locks[path] = found
        return found


def lock_path() -> str | None:
    """The lock file of the default SQLite database (None: not a file-backed SQLite database)."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or connection.is_in_memory_db():
        return None
    return name + ".writers.lock"


@contextlib.contextmanager
def writer_turn():
    """Hold this process's turn to write (SQLite only; a no-op on PostgreSQL and in-memory databases)."""
    path = lock_path()
    if path is None or connection.in_atomic_block:
        yield  # nested in a caller's transaction: the caller already writes
        return
    fd, in_process = _lock(path)
    with in_process:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
