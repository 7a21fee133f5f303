"""Many audit rows of one batch appended to their chains together (additive to :mod:`.trail`).

For batch actions that audit each object with its own row (the Open311 intake queue registers hundreds of
cases per transaction, each with the events ``report_case`` records): inside :func:`chained_in_bulk`,
:func:`~yiwang.core.audit.trail.record_event` only builds its row; when the block ends, the chain's head
is locked and moved on once (one transaction writes on one chain: ``trail._transaction_chain``; rows of
several chains would be grouped, heads taken in ascending order), the rows
are hashed in the order they were recorded and inserted together (one COPY on PostgreSQL). Rows are
byte-for-byte what one ``record_event`` each would have written; ``yiwang audit verify`` cannot tell.
"""

from __future__ import annotations

import contextlib

from django.db import connection

from yiwang.core.bulkinsert import insert_many_objects

from .hashing import GENESIS, event_hash
from .trail import _SQL, AuditError, _advance_head, _bulk


@contextlib.contextmanager
def chained_in_bulk():
    """Collect the audit rows recorded in the block; append them to their chains when it ends.

    Must run inside the batch's transaction. Rows recorded in the block have no id, seq or hash until it
    ends. An exception in the block appends nothing (and the transaction rolls back).
    """
    if not connection.in_atomic_block:
        raise AuditError("chained_in_bulk must run inside the batch's transaction (transaction.atomic)")
    if getattr(_bulk, "rows", None) is not None:
        yield  # nested: the outer block appends
        return
    _bulk.rows = rows = []
    try:
        yield
    finally:
        _bulk.rows = None
    append_many(rows)


def append_many(rows: list) -> None:
    """Give ``rows`` (unsaved ``AuditEvent``s, chain set) their seq, prev_hash and hash; insert them."""
    by_chain: dict[int, list] = {}
    for row in rows:
        by_chain.setdefault(row.chain, []).append(row)
    chains = sorted(by_chain)
    for chain in chains:  # heads locked in ascending order
        members = by_chain[chain]
        last_seq, prev_hash = _advance_head(chain, len(members))
        first = last_seq - len(members) + 1
        for offset, row in enumerate(members):
            row.seq = first + offset
            row.prev_hash = prev_hash or GENESIS
            row.hash = prev_hash = event_hash(row)
    insert_many_objects([row for chain in chains for row in by_chain[chain]])
    with connection.cursor() as cursor:
        for chain in chains:
            cursor.execute(_SQL["set_hash"], [by_chain[chain][-1].hash, chain])
