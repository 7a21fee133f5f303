"""A per-process cache of the status rows verification reads, kept exact by PostgreSQL LISTEN/NOTIFY.

Verification needs, per token, the licence's status and its signing key's kid, algorithm and status
(one indexed query). On PostgreSQL that query is a round trip to another process: most of the time of a
verification on a busy machine. This cache keeps those rows in the web worker's memory and forgets them
as soon as the database says they changed:

* triggers on the licence and signing-key tables (migration ``0002``) ``NOTIFY yiwang_licences`` with the
  licence's ``jti`` on every update or delete of a licence, and ``*`` on any change of a key; PostgreSQL
  delivers a notification at commit, to every listening session;
* each process holds one listening connection (opened lazily, again after a fork or a lost connection);
  before every look-up it reads whatever notifications have arrived (a non-blocking read of the socket)
  and forgets those licences (all of them for ``*``);
* a row read from the database is kept only if no notification arrived while it was being read;
* the process that revokes forgets the licence itself when its transaction commits.

So a revocation or a retired key takes effect in the revoking process at commit, and in every other
process as soon as PostgreSQL has delivered the notification to it (within a millisecond on one machine;
see docs/benchmarks.md). The cache is not used inside a transaction (a transaction may hold changes not yet
committed, so never announced), on SQLite (no notifications; its query is local and cheap), while the
listening connection is down (every look-up queries, and the cache is emptied when it comes back), or when
``YIWANG_LICENCE_STATUS_CACHE`` is false. Entries also expire after ``MAX_AGE`` seconds, in case a
connection died without the socket saying so. Tests that verify outside a transaction on PostgreSQL call
:func:`reset` afterwards: the listening connection would keep the test database open.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger("yiwang.services.licences")

CHANNEL = "yiwang_licences"
EVERYTHING = "*"
MAX_ENTRIES = 200_000
MAX_AGE = 60.0  # seconds
RETRY_AFTER = 5.0  # seconds between attempts to reopen a lost listening connection

_lock = threading.RLock()
_entries: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
_generation = 0  # bumped by every notification processed and every reconnection
_listener = None  # (pid, psycopg connection)
_last_failure = 0.0
_inherited: list = []
stats = {"hits": 0, "misses": 0, "notifications": 0, "connects": 0}


def enabled() -> bool:
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "YIWANG_LICENCE_STATUS_CACHE", True)
        and not connection.in_atomic_block
    )


def _listen_params() -> dict:
    params = connection.get_connection_params()
    for private in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(private, None)
    # a dead peer is noticed by the kernel within about a minute even when no FIN/RST arrives
    params.setdefault("keepalives", 1)
    params.setdefault("keepalives_idle", 20)
    params.setdefault("keepalives_interval", 5)
    params.setdefault("keepalives_count", 3)
    params.setdefault("application_name", "yiwang licence status listener")
    return params


def _forget_everything() -> None:
    global _generation
    _entries.clear()
    _generation += 1


def _connect():
    """The listening connection of this process, opened if needed; None while it cannot be had."""
    global _listener, _last_failure
    pid = os.getpid()
    if _listener is not None and _listener[0] == pid:
        return _listener[1]
    if _listener is not None:  # inherited through fork: the parent's session — never close it from here
        _inherited.append(_listener[1])  # (freeing it would send the server a Terminate for the parent)
    _listener = None
    _forget_everything()
    if time.monotonic() - _last_failure < RETRY_AFTER:
        return None
    import psycopg

    try:
        conn = psycopg.connect(**_listen_params(), autocommit=True, connect_timeout=3)
        conn.execute(f"LISTEN {CHANNEL}")
    except psycopg.Error as error:
        _last_failure = time.monotonic()
        logger.warning("licence status listener: cannot connect (%s); verifying without the cache", error)
        return None
    conn.add_notice_handler(_on_notice)
    stats["connects"] += 1
    _listener = (pid, conn)
    return conn


_broken = False


def _on_notice(diagnostic) -> None:
    """An error reaching an idle listener (the server terminating it) arrives as a notice before the EOF."""
    global _broken
    severity = diagnostic.severity_nonlocalized or diagnostic.severity or ""
    if severity.upper() in ("ERROR", "FATAL", "PANIC"):
        _broken = True


def _drop_listener() -> None:
    global _listener, _last_failure, _broken
    _broken = False
    if _listener is not None:
        try:
            _listener[1].close()
        except Exception:  # noqa: BLE001 - it is already broken
            pass
    _listener = None
    _last_failure = time.monotonic()
    _forget_everything()


def _drain() -> bool:
    """Apply every notification that has arrived; False when there is no working listener."""
    global _generation
    conn = _connect()
    if conn is None:
        return False
    import psycopg
    from psycopg import pq

    pgconn = conn.pgconn
    try:
        pgconn.consume_input()  # non-blocking: reads what the socket holds
        while (note := pgconn.notifies()) is not None:
            stats["notifications"] += 1
            payload = note.extra.decode()
            _generation += 1
            if payload == EVERYTHING:
                _entries.clear()
            else:
                _entries.pop(payload, None)
    except psycopg.Error as error:
        logger.warning("licence status listener lost (%s); verifying without the cache until it is back", error)
        _drop_listener()
        return False
    if _broken or pgconn.status != pq.ConnStatus.OK:
        logger.warning("licence status listener lost; verifying without the cache until it is back")
        _drop_listener()
        return False
    return True


def lookup(jti: str, fetch: Callable[[], tuple | None]) -> tuple | None:
    """The status row of licence ``jti``: from the cache when it is exact, else ``fetch()`` (and kept)."""
    if not enabled():
        return fetch()
    with _lock:
        if not _drain():
            return fetch()
        hit = _entries.get(jti)
        if hit is not None and time.monotonic() - hit[0] < MAX_AGE:
            stats["hits"] += 1
            return hit[1]
        generation = _generation
    row = fetch()
    stats["misses"] += 1
    if row is None:
        return None
    with _lock:
        if _drain() and _generation == generation:  # nothing changed while we read: the row is current
            _entries[jti] = (time.monotonic(), row)
            if len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return row


def forget(jti: str | None = None) -> None:
    """Forget one licence (or every one): now, and again when the current transaction commits."""

    def _forget():
        global _generation
        with _lock:
            _generation += 1
            if jti is None:
                _entries.clear()
            else:
                _entries.pop(str(jti), None)

    _forget()
    transaction.on_commit(_forget)


def listener_backend_pid() -> int | None:
    """The database server's process id of this process's listening connection (None without one)."""
    with _lock:
        if _listener is None or _listener[0] != os.getpid():
            return None
        return _listener[1].info.backend_pid


def reset() -> None:
    """Close the listener and empty the cache (tests; the next look-up starts afresh)."""
    global _last_failure
    with _lock:
        _drop_listener()
        _last_failure = 0.0
