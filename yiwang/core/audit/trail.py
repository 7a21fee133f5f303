"""Writing, anchoring and verifying the audit trail.

Every action calls :func:`record_event` (or :func:`record_batch` for bulk paths) *inside* its own
transaction: a rolled-back action leaves no audit row, and no row exists without its change.
"""

from __future__ import annotations

import threading
import zlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from yiwang.core.actor import Actor
from yiwang.core.bulkinsert import insert_objects, insert_statement, mark_saved
from yiwang.core.masking import contains_raw_personal_data

from .hashing import GENESIS, BatchDigest, anchor_hash, canonical, event_hash
from .models import AuditAnchor, AuditChainHead, AuditEvent


class AuditError(RuntimeError):
    pass


def chain_count() -> int:
    return max(1, int(settings.AUDIT.get("CHAINS", 16)))


def chain_for(object_type: str, object_id: str) -> int:
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % chain_count()


def _outer_block():
    """The outermost atomic block of this connection that is not a test case's wrapper (None: none)."""
    for block in connection.atomic_blocks:
        if not getattr(block, "_from_testcase", False):
            return block
    return None


def _transaction_chain(chain: int) -> int:
    """The chain every audit row of the current transaction goes on: that of its first row.

    A transaction that appended on two chains would hold two heads, and two such transactions taking
    them in opposite orders deadlock (PostgreSQL aborts one). On one chain a transaction holds one head,
    so writers only ever queue behind each other. Which chain a row lands on changes nothing else: an
    object's history is found by its type and id, and ``yiwang audit verify`` walks every chain.
    """
    outer = _outer_block()
    if outer is None:
        return chain
    held = getattr(connection, "_yiwang_audit_chain", None)
    if held is not None and held[0] is outer:
        return held[1]
    connection._yiwang_audit_chain = (outer, chain)
    # forget it when the transaction commits; after a rollback the next transaction of the same block
    # object may reuse it, which is as safe (any one chain per transaction is)
    transaction.on_commit(_forget_chain)
    return chain


def _forget_chain() -> None:
    connection._yiwang_audit_chain = None


def _object_ref(obj) -> tuple[str, str]:
    if isinstance(obj, tuple):
        return str(obj[0]), str(obj[1])
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk)


def record_event(
    actor: Actor,
    action: str,
    obj,
    *,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    batch_count: int = 1,
    batch_digest: str = "",
) -> AuditEvent:
    """Append one audit row for ``obj`` (a model instance or an ``(object_type, object_id)`` pair).

    Must run inside the caller's transaction. ``before``/``after`` hold masked values or references
    only: raw ID numbers or phone numbers are refused, because a hash chain can never be purged.
    """
    if not connection.in_atomic_block:
        raise AuditError("record_event must run inside the action's transaction (transaction.atomic)")
    summary: dict = {}
    if before:
        summary["before"] = before
    if after:
        summary["after"] = after
    if note:
        summary["note"] = note
    if contains_raw_personal_data(summary):
        raise AuditError(f"audit summary of {action} holds unmasked personal data; mask it first")
    object_type, object_id = _object_ref(obj)
    chain = _transaction_chain(chain_for(object_type, object_id))
    algorithm = settings.AUDIT.get("ALGORITHM", "sha256")

    pending = getattr(_bulk, "rows", None)
    seq, prev_hash = (0, "") if pending is not None else _advance_head(chain)
    row = AuditEvent(
        chain=chain,
        seq=seq,
        at=timezone.now(),
        actor_id=actor.user.pk if actor.user is not None else None,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        channel=actor.channel,
        client_ip=actor.client_ip or "",
        batch_count=batch_count,
        digest=batch_digest,
        algorithm=algorithm,
        prev_hash=prev_hash or GENESIS,
    )
    # JSON round-trip so the hash covers exactly what the database will give back
    row.summary = _roundtrip(row.summary)
    if pending is not None:
        pending.append(row)  # chained, hashed and inserted when chained_in_bulk() ends
        return row
    row.hash = event_hash(row)
    if connection.vendor == "postgresql":
        # the row and the head's new hash in one round trip
        sql, params, _ = insert_statement([row])
        with connection.cursor() as cursor:
            folded = f"WITH e AS ({sql}) {_SQL['set_hash']} RETURNING (SELECT id FROM e)"  # noqa: S608
            cursor.execute(folded, [*params, row.hash, chain])
            mark_saved([row], [cursor.fetchone()[0]])
    else:
        insert_objects([row])
        with connection.cursor() as cursor:
            cursor.execute(_SQL["set_hash"], [row.hash, chain])
    return row


# The chain head is claimed with one UPDATE that moves its sequence on and hands back the previous hash:
# the UPDATE takes the row's write lock (PostgreSQL) or the database's (SQLite, BEGIN IMMEDIATE) until the
# action's transaction ends, so two writers of one chain follow each other exactly as with
# SELECT … FOR UPDATE, in one statement instead of an ORM get_or_create and an ORM update.
_HEAD = AuditChainHead._meta.db_table
_SQL = {
    "advance": f'UPDATE "{_HEAD}" SET "seq" = "seq" + %s WHERE "chain" = %s RETURNING "seq", "hash"',  # noqa: S608
    "create": f'INSERT INTO "{_HEAD}" ("chain", "seq", "hash") VALUES (%s, 0, %s) ON CONFLICT DO NOTHING',  # noqa: S608
    "set_hash": f'UPDATE "{_HEAD}" SET "hash" = %s WHERE "chain" = %s',  # noqa: S608
}


def _advance_head(chain: int, count: int = 1) -> tuple[int, str]:
    """Lock chain ``chain``'s head, move it on by ``count``; the last new row's seq and the previous hash."""
    with connection.cursor() as cursor:
        for _attempt in range(2):
            if connection.features.can_return_columns_from_insert:  # UPDATE … RETURNING too (SQLite ≥ 3.35)
                cursor.execute(_SQL["advance"], [count, chain])
            else:
                cursor.execute(_SQL["advance"].split(" RETURNING ")[0], [count, chain])
                cursor.execute(f'SELECT "seq", "hash" FROM "{_HEAD}" WHERE "chain" = %s', [chain])  # noqa: S608
            found = cursor.fetchall()
            if found:
                return int(found[0][0]), found[0][1]
            cursor.execute(_SQL["create"], [chain, ""])  # a chain's first row: its head appears
    raise AuditError(f"the head of audit chain {chain} could not be created")


_bulk = threading.local()  # .rows: a list while audit.bulk.chained_in_bulk() collects (that module appends)


def _roundtrip(value):
    import json

    return json.loads(canonical(value))


def record_batch(
    actor: Actor, action: str, object_type: str, batch: BatchDigest, *, label: str = "", note: str = ""
) -> AuditEvent:
    """One audit row for a bulk write (import, seed, sensor batch), with a digest of its content."""
    object_id = label or f"batch:{batch.hexdigest()[:16]}"
    return record_event(
        actor,
        action,
        (object_type, object_id),
        note=note,
        after={"records": batch.count},
        batch_count=batch.count,
        batch_digest=batch.hexdigest(),
    )


# --- anchoring ------------------------------------------------------------------------------------


def anchor_heads() -> AuditAnchor:
    """Snapshot every chain head into the anchor chain."""
    with transaction.atomic():
        # locking the heads gives a consistent snapshot and serialises concurrent anchoring (no fork)
        locked = AuditChainHead.objects.select_for_update().order_by("chain")
        heads = {str(h.chain): [h.seq, h.hash] for h in locked}
        last = AuditAnchor.objects.order_by("-id").first()
        algorithm = settings.AUDIT.get("ALGORITHM", "sha256")
        at = timezone.now()
        prev = last.hash if last else GENESIS
        anchor = AuditAnchor(at=at, heads=heads, algorithm=algorithm, prev_hash=prev)
        anchor.hash = _anchor_hash(anchor)
        anchor.save()
        return anchor


def _anchor_hash(anchor: AuditAnchor) -> str:
    return anchor_hash(anchor)


# --- verification (in verify.py; re-exported here) --------------------------------------------------

from .verify import Problem, VerifyReport, verify  # noqa: E402

__all__ = [
    "AuditError",
    "Problem",
    "VerifyReport",
    "anchor_heads",
    "chain_count",
    "chain_for",
    "record_batch",
    "record_event",
    "verify",
]
