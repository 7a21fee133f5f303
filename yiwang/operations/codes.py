"""Case codes (案件编号) without a second write: ``YW-20261129-000123`` = prefix, local day, number of the day.

Numbers come from a per-day counter row (:class:`~yiwang.operations.models.CaseCodeCounter`), claimed in
blocks: one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` reserves ``OPERATIONS["CODE_BLOCK"]`` numbers
(default 20) for this process and thread, and the next reports of the same day take numbers from the
block without touching the database. So a report writes its case row once, with its code.

Correctness:

* Unique under concurrency (PostgreSQL and SQLite): the upsert locks the day's row until the claiming
  transaction ends, so two claims never overlap; the ``code`` column's unique constraint is the backstop.
* A block claimed in a transaction that rolls back was never reserved in the database, so it must not be
  used afterwards: a block counts as ours only once its transaction committed (``on_commit``), or while
  that same transaction is still open (its callback still waits in the connection's on-commit list).
* Numbers are unique and increase within a process, but are not gap-free and not ordered across
  processes (a worker that stops loses the rest of its block). Nobody may read meaning into gaps.
"""

from __future__ import annotations

import threading
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import sla

_local = threading.local()


def _conf(key: str, default):
    return getattr(settings, "OPERATIONS", {}).get(key, default)


def block_size() -> int:
    return max(1, int(_conf("CODE_BLOCK", 20)))


class _Block:
    __slots__ = ("day", "next", "last", "confirmed", "callback")

    def __init__(self, day: date, first: int, last: int):
        self.day, self.next, self.last = day, first, last
        self.confirmed = False

        def confirm() -> None:
            self.confirmed = True

        self.callback = confirm

    def valid(self) -> bool:
        if self.confirmed:
            return True
        # still inside the transaction that claimed it? (a rollback drops the callback)
        return any(entry[1] is self.callback for entry in connection.run_on_commit)


def _blocks() -> dict:
    blocks = getattr(_local, "blocks", None)
    if blocks is None:
        blocks = _local.blocks = {}
    return blocks


def _claim(day: date, size: int) -> _Block:
    table = _table()
    # the table name is our model's, quoted; the values are parameters
    sql = (
        f'INSERT INTO {table} ("day", "last") VALUES (%s, %s) '  # noqa: S608
        f'ON CONFLICT ("day") DO UPDATE SET "last" = {table}."last" + %s RETURNING "last"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, size, size])
        last = int(cursor.fetchone()[0])
    block = _Block(day, last - size + 1, last)
    transaction.on_commit(block.callback)
    return block


def _table() -> str:
    from .models import CaseCodeCounter

    return connection.ops.quote_name(CaseCodeCounter._meta.db_table)


def next_number(day: date) -> int:
    """The next free number of ``day`` for this process (claims a new block when needed)."""
    key = (connection.alias, connection.settings_dict.get("NAME"), day)
    blocks = _blocks()
    block = blocks.get(key)
    if block is None or block.next > block.last or not block.valid():
        block = blocks[key] = _claim(day, block_size())
        if len(blocks) > 8:  # keep only recent days
            for old in sorted(blocks, key=lambda k: k[2])[:-8]:
                blocks.pop(old, None)
    number = block.next
    block.next += 1
    return number


def format_code(day: date, number: int) -> str:
    prefix = _conf("CODE_PREFIX", sla.DEFAULTS["CODE_PREFIX"])
    return f"{prefix}-{day:%Y%m%d}-{number:06d}"


def new_code(at: datetime) -> str:
    """A fresh unique case code for a case reported at ``at`` (its local day)."""
    day = timezone.localtime(at).date()
    return format_code(day, next_number(day))


def reserve(day: date, count: int) -> int:
    """Reserve ``count`` consecutive numbers of ``day`` at once (bulk paths); returns the first one."""
    block = _claim(day, max(1, int(count)))
    return block.next


def forget() -> None:
    """Drop this thread's blocks (tests that reset the database)."""
    _blocks().clear()
