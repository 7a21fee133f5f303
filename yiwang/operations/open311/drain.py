"""The drainer of the Open311 intake queue: queued reports registered as cases, many per transaction.

:func:`drain_once` claims up to ``OPEN311['QUEUE_BATCH']`` queued rows (oldest first; on PostgreSQL
``FOR UPDATE SKIP LOCKED``, so several drainers share the queue and never take one row twice) and, in
ONE transaction, registers them with :func:`yiwang.operations.actions.intake_batch.report_cases` — each
report through ``report_case``'s own steps (checks, place resolved to its units at every level, routing
and the auto-intake policy, deadline clocks, duplicate suspicion, which sees the earlier reports of the
same batch too, first status, audit event, notifications), each table's rows written by one statement
for the batch, the audit rows appended to their chains together at the end — then writes the batch's
``Submission`` rows (token → case) and deletes the queue rows. On SQLite the batch is planned before the
process's turn to write (:func:`_batch`), so POSTs wait for the drainer only while it writes.

A report the case action refuses (its category was retired since the POST, …) is marked refused with the
reason in the same transaction; ``tokens/{token}`` says so. Anything else that fails rolls the whole
batch back (nothing is lost: the rows stay queued); the batch is then retried one row per transaction,
and a row that still fails has its ``attempts`` counted and is left queued for an operator after
``MAX_ATTEMPTS`` (logged).

:func:`run` is the loop ``yiwang worker`` runs in a thread (and ``yiwang open311 drain``): LISTEN/NOTIFY
on PostgreSQL, short polling on SQLite.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from yiwang.core.actions import ActionError
from yiwang.core.actor import Channel
from yiwang.core.bulkinsert import insert_many_objects
from yiwang.operations.actions import Reporter
from yiwang.operations.actions.intake_batch import plan_reports, write_reports
from yiwang.operations.models import Category, Discovery

from .conf import conf
from .intake import CASE_CHANNEL, ClientActor
from .models import CLIENT_FIELDS, ApiKey, QueuedRequest, QueueState, Submission
from .queued import CHANNEL
from .writer import writer_turn

log = logging.getLogger("yiwang.open311.drain")
MAX_ATTEMPTS = 5
POLL_SECONDS = 0.05  # SQLite: how often an idle drainer looks at the queue
LISTEN_SECONDS = 1.0  # PostgreSQL: the longest wait for a NOTIFY before looking anyway
GATHER_SECONDS = 0.05  # PostgreSQL: after a NOTIFY wakes an idle drainer, let a few more reports arrive


@dataclass
class Drained:
    registered: int = 0
    refused: int = 0
    failed: int = 0

    @property
    def taken(self) -> int:
        return self.registered + self.refused + self.failed

    def __iadd__(self, other: Drained) -> Drained:
        self.registered += other.registered
        self.refused += other.refused
        self.failed += other.failed
        return self


def _claim(limit: int, ids: list[int] | None = None) -> list[QueuedRequest]:
    rows = QueuedRequest.objects.filter(state=QueueState.QUEUED, attempts__lt=MAX_ATTEMPTS)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    rows = rows.order_by("id")
    if connection.vendor == "postgresql":
        rows = rows.select_for_update(skip_locked=True)
    return list(rows[:limit])


def _reports(rows: list[QueuedRequest]) -> list[dict]:
    """``report_case``'s arguments for each queued row, as the direct POST passes them."""
    categories = Category.objects.in_bulk({r.category_id for r in rows})
    keys = ApiKey.objects.only("name").in_bulk({r.api_key_id for r in rows})
    reports = []
    for row in rows:
        client = keys[row.api_key_id].name
        reports.append(
            {
                "actor": ClientActor(channel=Channel.OPEN311, client_ip=row.client_ip or None, client=client),
                "channel": CASE_CHANNEL,
                "discovery": Discovery.PASSIVE,
                "category": categories.get(row.category_id) or str(row.category_id),
                "lon": row.lon,
                "lat": row.lat,
                "coord_system": row.coord_system,
                "address": row.address,
                "description": row.description,
                "reporter": Reporter(name=row.reporter_name, phone=row.reporter_phone),
                "answers": row.answers,
                "external_ref": f"open311:{row.token}",
            }
        )
    return reports


def _register(rows: list[QueuedRequest], plan=None) -> Drained:
    """Register ``rows`` (claimed for this transaction) as cases; mark the refused ones."""
    plan = plan or plan_reports(_reports(rows))
    submissions, done, refused = [], [], []
    for row, case in zip(rows, write_reports(plan), strict=True):
        if isinstance(case, ActionError):  # refused before anything of it was written
            refused.append((row, str(case.message)))
            continue
        done.append(row.pk)
        submissions.append(
            Submission(
                case=case,
                api_key_id=row.api_key_id,
                token=row.token,
                **{name: getattr(row, name) for name in CLIENT_FIELDS},
                created_at=row.received_at,
            )
        )
    if submissions:
        insert_many_objects(submissions)
        QueuedRequest.objects.filter(pk__in=done).delete()
    for row, reason in refused:
        QueuedRequest.objects.filter(pk=row.pk).update(state=QueueState.REFUSED, refusal=reason[:1000])
    return Drained(registered=len(done), refused=len(refused))


def _waiting() -> bool:
    return QueuedRequest.objects.filter(state=QueueState.QUEUED, attempts__lt=MAX_ATTEMPTS).exists()


def _batch(limit: int, ids: list[int] | None = None, taken: list[int] | None = None) -> Drained:
    """One transaction: claim (``taken`` receives the ids) and register.

    SQLite: the batch is read and planned (checks, places, routing, duplicates, rows) before this
    process's turn to write, which then covers only the writes — the POSTs wait for the drainer only that
    long. In the turn the rows are checked to be still queued (another drainer may have taken them).
    """
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    plan = None
    if sqlite:
        rows = _claim(limit, ids)
        if taken is not None:
            taken.extend(r.pk for r in rows)
        if not rows:
            return Drained()
        plan = plan_reports(_reports(rows))
    with writer_turn(), transaction.atomic():
        if not sqlite:
            rows = _claim(limit, ids)
            if taken is not None:
                taken.extend(r.pk for r in rows)
        elif len(_claim(len(rows), [r.pk for r in rows])) != len(rows):
            return Drained()  # taken meanwhile: the next round plans again
        return _register(rows, plan) if rows else Drained()


def drain_once(limit: int | None = None) -> Drained:
    """Register one batch of the queue (at most ``limit`` rows). A failing batch is retried row by row."""
    taken: list[int] = []
    if connection.vendor == "sqlite" and not connection.in_atomic_block and not _waiting():
        return Drained()  # an idle poll takes no write lock
    try:
        return _batch(int(limit or conf("QUEUE_BATCH")), taken=taken)
    except Exception:
        if not taken:
            raise
        log.exception("a batch of %s queued Open311 reports failed; retrying them one by one", len(taken))
    outcome = Drained()
    for pk in taken:
        try:
            outcome += _batch(1, [pk])
        except Exception:
            log.exception("queued Open311 report #%s could not be registered", pk)
            QueuedRequest.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
            outcome.failed += 1
    return outcome


def drain_all(limit: int | None = None) -> Drained:
    """Drain until the queue holds nothing this drainer can take (tests, ``yiwang intake --once``)."""
    total = Drained()
    while True:
        outcome = drain_once(limit)
        total += outcome
        if not outcome.taken or outcome.registered + outcome.refused == 0:
            return total


def _waiter():
    """A function that waits (at most ``timeout`` s) until new rows may be queued."""
    if connection.vendor != "postgresql":
        return lambda timeout: time.sleep(min(timeout, POLL_SECONDS))
    connection.ensure_connection()
    raw = connection.connection
    raw.execute(f"LISTEN {CHANNEL}")

    def wait(timeout: float) -> None:
        woken = False
        for _note in raw.notifies(timeout=min(timeout, LISTEN_SECONDS), stop_after=1):
            woken = True  # (the backlog received while draining comes first, all of it: no sleep in here)
        if woken:
            # one report per batch would cost a batch's ~15 statements each: gather a few first
            time.sleep(GATHER_SECONDS)

    return wait


def run(stop, limit: int | None = None, on_batch=None) -> None:
    """Drain until ``stop`` (a ``threading.Event``) is set; between batches wait for new work."""
    wait = None
    try:
        _loop(stop, limit, on_batch, wait)
    finally:
        connection.close()


def start_thread(stop, limit: int | None = None):
    """:func:`run` in a daemon thread of its own (its own database connection); returns the thread."""
    import threading

    thread = threading.Thread(target=run, args=(stop, limit), name="yiwang-open311-intake", daemon=True)
    thread.start()
    return thread


def _loop(stop, limit, on_batch, wait) -> None:
    while not stop.is_set():
        try:
            if wait is None:
                wait = _waiter()
            outcome = drain_once(limit)
            if on_batch is not None and outcome.taken:
                on_batch(outcome)
            if not outcome.taken:
                wait(LISTEN_SECONDS)
        except Exception:  # a lost connection must not end the loop
            log.exception("the Open311 intake drainer failed; retrying in 1 s")
            wait = None
            connection.close()
            stop.wait(1.0)
