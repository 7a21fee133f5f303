"""Writing, anchoring and verifying the audit trail.

Every action calls :func:`record_event` (or :func:`record_batch` for bulk paths) *inside* its own
transaction: a rolled-back action leaves no audit row, and no row exists without its change.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from yiwang.core.actor import Actor
from yiwang.core.masking import contains_raw_personal_data

from .hashing import GENESIS, BatchDigest, canonical, digest, event_hash
from .models import AuditAnchor, AuditChainHead, AuditEvent


class AuditError(RuntimeError):
    pass


def chain_count() -> int:
    return max(1, int(settings.AUDIT.get("CHAINS", 16)))


def chain_for(object_type: str, object_id: str) -> int:
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % chain_count()


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
    chain = chain_for(object_type, object_id)
    algorithm = settings.AUDIT.get("ALGORITHM", "sha256")

    head, _ = AuditChainHead.objects.select_for_update().get_or_create(chain=chain)
    row = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
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
        prev_hash=head.hash or GENESIS,
    )
    # JSON round-trip so the hash covers exactly what the database will give back
    row.summary = _roundtrip(row.summary)
    row.hash = event_hash(row)
    row.save(force_insert=True)
    AuditChainHead.objects.filter(chain=chain).update(seq=row.seq, hash=row.hash)
    return row


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
        heads = {str(h.chain): [h.seq, h.hash] for h in AuditChainHead.objects.order_by("chain")}
        last = AuditAnchor.objects.order_by("-id").first()
        algorithm = settings.AUDIT.get("ALGORITHM", "sha256")
        at = timezone.now()
        prev = last.hash if last else GENESIS
        anchor = AuditAnchor(at=at, heads=heads, algorithm=algorithm, prev_hash=prev)
        anchor.hash = _anchor_hash(anchor)
        anchor.save()
        return anchor


def _anchor_hash(anchor: AuditAnchor) -> str:
    from .hashing import iso_utc

    payload = {"at": iso_utc(anchor.at), "heads": anchor.heads, "prev_hash": anchor.prev_hash}
    return digest(anchor.algorithm, canonical(payload))


# --- verification ---------------------------------------------------------------------------------


@dataclass
class Problem:
    chain: int | None
    seq: int | None
    row_id: int | None
    kind: str  # edited | inserted | deleted | reordered | head | anchor
    detail: str

    def __str__(self) -> str:
        where = f"chain {self.chain} seq {self.seq}" if self.chain is not None else "anchors"
        rid = f" (row id {self.row_id})" if self.row_id else ""
        return f"{self.kind}: {where}{rid}: {self.detail}"


@dataclass
class VerifyReport:
    rows: int = 0
    chains: int = 0
    anchors: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(progress=None) -> VerifyReport:
    """Walk every chain and the anchors; report every edited, inserted or deleted row."""
    report = VerifyReport()
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    anchored: dict[int, dict[int, str]] = {}
    _verify_anchors(report, anchored)
    chains = sorted(set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct()))
    for chain in chains:
        report.chains += 1
        _verify_chain(report, chain, heads.get(chain), anchored.get(chain, {}))
        if progress:
            progress(chain, report)
    return report


def _verify_chain(report: VerifyReport, chain: int, head, anchored: dict[int, str]) -> None:
    expected_seq = 1
    prev_hash = GENESIS
    qs = AuditEvent.objects.filter(chain=chain).order_by("seq", "id")
    for row in qs.iterator(chunk_size=5000):
        report.rows += 1
        if row.seq < expected_seq:
            report.problems.append(Problem(chain, row.seq, row.id, "inserted", "duplicate sequence number"))
            continue
        if row.seq > expected_seq:
            report.problems.append(
                Problem(chain, expected_seq, None, "deleted", f"rows {expected_seq}–{row.seq - 1} are missing")
            )
            prev_hash = row.prev_hash  # resynchronise to keep checking the rest
        if row.prev_hash != prev_hash:
            report.problems.append(
                Problem(chain, row.seq, row.id, "inserted", "does not link to the previous row's hash")
            )
        if event_hash(row) != row.hash:
            report.problems.append(Problem(chain, row.seq, row.id, "edited", "content does not match its hash"))
        if row.seq in anchored and anchored[row.seq] != row.hash:
            report.problems.append(Problem(chain, row.seq, row.id, "edited", "hash differs from the anchored head"))
        prev_hash = row.hash
        expected_seq = row.seq + 1
    last_seq = expected_seq - 1
    if head is not None and head.seq > last_seq:
        report.problems.append(
            Problem(chain, last_seq + 1, None, "deleted", f"rows {last_seq + 1}–{head.seq} at the end are missing")
        )
    elif head is not None and head.seq < last_seq:
        report.problems.append(Problem(chain, head.seq + 1, None, "inserted", "rows past the recorded head"))
    elif head is not None and last_seq and head.hash != prev_hash:
        report.problems.append(Problem(chain, last_seq, None, "head", "chain head hash does not match"))
    for seq in anchored:
        if seq > last_seq:
            report.problems.append(Problem(chain, seq, None, "deleted", "an anchored row is missing"))


def _verify_anchors(report: VerifyReport, anchored: dict[int, dict[int, str]]) -> None:
    prev = GENESIS
    for anchor in AuditAnchor.objects.order_by("id").iterator():
        report.anchors += 1
        if anchor.prev_hash != prev or _anchor_hash(anchor) != anchor.hash:
            report.problems.append(Problem(None, None, anchor.id, "anchor", f"anchor {anchor.id} was altered"))
        for chain, (seq, hash_) in anchor.heads.items():
            if seq:
                anchored.setdefault(int(chain), {})[int(seq)] = hash_
        prev = anchor.hash
