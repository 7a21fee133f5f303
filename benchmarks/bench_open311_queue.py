"""Queued-intake runs of ``bench_open311.py`` (a token key, ``OPEN311['INTAKE'] = "queued"``): end to end.

Not a benchmark itself. The POSTs only queue; the drainer of ``yiwang serve --with-worker`` registers them
on the same two cores. So the figures are:

* POST requests/s, p50/p99 (wrk, closed loop) — the queue's intake;
* cases registered during the window and afterwards until the queue is empty (the drain lag), and
  cases/s over window + lag — the end-to-end throughput; the largest queue depth seen;
* at a fixed rate (100/s): the POST's p99 and the p99 of POST → case registered, measured in the database
  (the case's ``created_at`` minus its submission's ``created_at``, the instant the POST was received).

The queue and the cases are read straight from the database (sqlite3 / psycopg), every 0.2 s.
"""

from __future__ import annotations

import threading
import time


class Probe:
    """Counts in the database under test: queued rows, registered submissions; the largest queue seen."""

    def __init__(self, db_url: str | None, sqlite_path: str | None):
        self.db_url, self.sqlite_path = db_url, sqlite_path
        self.max_depth = 0
        self._stop = threading.Event()
        self._thread = None

    def _connect(self):
        if self.sqlite_path:
            import sqlite3

            return sqlite3.connect(self.sqlite_path, timeout=30)
        import psycopg

        return psycopg.connect(self.db_url, autocommit=True)

    def counts(self, conn=None) -> tuple[int, int]:
        """(rows still queued, submissions registered)."""
        own = conn is None
        conn = conn or self._connect()
        try:
            queued = conn.execute("SELECT COUNT(*) FROM open311_queuedrequest WHERE state = 'queued'").fetchone()[0]
            done = conn.execute("SELECT COUNT(*) FROM open311_submission").fetchone()[0]
            return int(queued), int(done)
        finally:
            if own:
                conn.close()

    def lags_ms(self, since_submission_id: int) -> list[float]:
        """POST received → case registered (ms) of the submissions after ``since_submission_id``."""
        conn = self._connect()
        try:
            since = int(since_submission_id)  # an int: safe to place in the statement
            rows = conn.execute(
                "SELECT s.created_at, c.created_at FROM open311_submission s "  # noqa: S608
                f"JOIN operations_case c ON c.id = s.case_id WHERE s.id > {since}"
            ).fetchall()
        finally:
            conn.close()
        return [(_when(c) - _when(s)) * 1000 for s, c in rows]

    def last_submission_id(self) -> int:
        conn = self._connect()
        try:
            return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM open311_submission").fetchone()[0])
        finally:
            conn.close()

    def watch(self) -> None:
        """Sample the queue depth every 0.2 s until :meth:`stop`."""
        self.max_depth = 0
        self._stop.clear()

        def run():
            conn = self._connect()
            try:
                while not self._stop.is_set():
                    self.max_depth = max(self.max_depth, self.counts(conn)[0])
                    self._stop.wait(0.2)
            finally:
                conn.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def wait_empty(self, timeout: float = 600) -> float:
        """Seconds until nothing is queued (the drain lag)."""
        t0 = time.perf_counter()
        conn = self._connect()
        try:
            while self.counts(conn)[0] and time.perf_counter() - t0 < timeout:
                time.sleep(0.05)
        finally:
            conn.close()
        return time.perf_counter() - t0


def _when(value) -> float:
    """A timestamp from either database as epoch seconds (SQLite stores UTC text)."""
    from datetime import UTC, datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def run_closed(probe: Probe, load) -> dict:
    """``load()`` (the closed-loop POSTs, returning the wrk figures), then the drain: the end-to-end figures."""
    _, done0 = probe.counts()
    probe.watch()
    t0 = time.perf_counter()
    result = load()
    window = time.perf_counter() - t0
    queued, done1 = probe.counts()
    lag = probe.wait_empty()
    probe.stop()
    _, done2 = probe.counts()
    result.update(
        window_s=window,
        in_window=done1 - done0,
        lag_s=lag,
        registered=done2 - done0,
        cases_per_s=(done2 - done0) / (window + lag),
        max_depth=max(probe.max_depth, queued),
    )
    return result


def run_fixed(probe: Probe, load) -> dict:
    """``load()`` (the fixed-rate POSTs), then the p50/p99 of POST → case registered."""
    from _serve import pct

    since = probe.last_submission_id()
    probe.watch()
    result = load()
    lag = probe.wait_empty()
    probe.stop()
    lags = probe.lags_ms(since)
    result.update(
        lag_s=lag,
        max_depth=probe.max_depth,
        registered=len(lags),
        e2e_p50_ms=pct([x / 1000 for x in lags], 50),
        e2e_p99_ms=pct([x / 1000 for x in lags], 99),
    )
    return result
