"""Hash algorithms by name (recorded per row, so the trail can move to SM3 later) and canonical form."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ALGORITHMS = {"sha256": _sha256}
# SM3 can be registered here (e.g. ALGORITHMS["sm3"] = ...) without touching rows already written.


def digest(algorithm: str, data: bytes) -> str:
    try:
        return ALGORITHMS[algorithm](data)
    except KeyError:
        raise ValueError(f"unknown audit hash algorithm {algorithm!r}") from None


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_payload(row) -> dict:
    """The hashed content of an audit row (everything but its own hash)."""
    return {
        "chain": row.chain,
        "seq": row.seq,
        "at": iso_utc(row.at),
        "actor_id": row.actor_id,
        "actor_label": row.actor_label,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "summary": row.summary,
        "channel": row.channel,
        "client_ip": row.client_ip,
        "batch_count": row.batch_count,
        "digest": row.digest,
        "algorithm": row.algorithm,
        "prev_hash": row.prev_hash,
    }


def event_hash(row, *, seq: int | None = None) -> str:
    """The hash of an audit row; ``seq`` recomputes it as if the row had that sequence number."""
    payload = event_payload(row)
    if seq is not None:
        payload["seq"] = seq
    return digest(row.algorithm, canonical(payload))


def anchor_hash(anchor) -> str:
    payload = {"at": iso_utc(anchor.at), "heads": anchor.heads, "prev_hash": anchor.prev_hash}
    return digest(anchor.algorithm, canonical(payload))


class BatchDigest:
    """Running digest of a batch's content: one audit row for many records."""

    def __init__(self, algorithm: str = "sha256"):
        if algorithm != "sha256":
            raise ValueError("batch digests use sha256")
        self._h = hashlib.sha256()
        self.count = 0

    def add(self, record) -> None:
        self._h.update(canonical(record))
        self._h.update(b"\n")
        self.count += 1

    def hexdigest(self) -> str:
        return self._h.hexdigest()
