"""The one write path of observations: a batch in one transaction, idempotent, one audit row.

``store_batch(actor, rows, dead=...)`` inserts (device_id, Entry) pairs with
``INSERT … ON CONFLICT (ts, device_id) DO NOTHING RETURNING ts, device_id`` in chunks, so that it
knows exactly which rows were new (those go to the listeners) and which were duplicates (redelivered
or resent data), writes the dead letters of the same batch, marks the devices seen, and records one
batch audit row — all in one transaction. Listeners registered with
``register_observation_listener(fn)`` are called with the new observations after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from yiwang.core.actions import BatchDigest, record_batch
from yiwang.core.actor import Actor

from .models import DeadLetter, Device, DeviceStatus, Observation
from .parsing import Entry

log = logging.getLogger("yiwang.sensing")

CHUNK = 5000
PAYLOAD_LIMIT = 2000

_listeners: list[Callable[[list[Observation]], None]] = []


def register_observation_listener(fn: Callable[[list[Observation]], None]) -> None:
    """Call ``fn(batch)`` with the newly stored observations after each committed batch.

    Observations carry ``device_id``, ``ts``, ``value``, ``seq`` (not their primary key). A failing
    listener is logged and does not affect ingestion or the other listeners.
    """
    if fn not in _listeners:
        _listeners.append(fn)


def unregister_observation_listener(fn) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


def _notify(batch: list[Observation]) -> None:
    for fn in list(_listeners):
        try:
            fn(batch)
        except Exception:
            log.exception("observation listener %r failed", fn)


@dataclass
class StoreResult:
    accepted: int = 0  # newly stored
    duplicate: int = 0  # already stored (or repeated within the batch)
    dead: int = 0  # dead letters written
    new: list[Observation] = field(default_factory=list)  # filled only while listeners are registered


def dead_letter(source: str, reason: str, payload: bytes | str = b"", *, topic: str = "", device_code: str = ""):
    if isinstance(payload, bytes):
        payload = payload[:PAYLOAD_LIMIT].decode("utf-8", errors="replace")
    return DeadLetter(
        source=source,
        topic=topic[:300],
        device_code=device_code[:64],
        reason=str(reason)[:300],
        payload=payload[:PAYLOAD_LIMIT],
    )


def _norm(ts) -> datetime:
    """A timestamp as the database returns it (a datetime, or text on SQLite) as an aware UTC datetime."""
    if isinstance(ts, str):
        ts = datetime.fromisoformat(ts)
    return ts.astimezone(UTC) if ts.tzinfo else ts.replace(tzinfo=UTC)


def _observation(device_id: int, entry: Entry) -> Observation:
    """An unsaved Observation without Model.__init__ (its per-field work dominated large batches)."""
    obs = Observation.__new__(Observation)
    obs._state = ModelState()
    obs.__dict__.update(id=None, ts=entry.ts, device_id=device_id, value=entry.value, seq=entry.seq)
    return obs


def _insert(pairs: list[tuple[int, Entry]]) -> list[tuple[int, Entry]]:
    """Insert; return the pairs that were new."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    if connection.vendor == "sqlite":  # Django's own text form of a UTC datetime, without its per-call checks

        def adapt(ts):
            return ts.replace(tzinfo=None).isoformat(" ")

    else:
        adapt = connection.ops.adapt_datetimefield_value
    new = []
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            params, keyed = [], {}
            for device_id, entry in chunk:
                params += (adapt(entry.ts), device_id, entry.value, entry.seq)
                keyed[(entry.ts, device_id)] = (device_id, entry)
            values = ",".join(["(%s,%s,%s,%s)"] * len(chunk))
            sql = f"INSERT INTO {table} (ts, device_id, value, seq) VALUES {values} "  # noqa: S608 (placeholders)
            cursor.execute(sql + "ON CONFLICT (ts, device_id) DO NOTHING RETURNING ts, device_id", params)
            for ts, device_id in cursor.fetchall():
                new.append(keyed[(_norm(ts), device_id)])
    return new


def store_batch(actor: Actor, rows: list[tuple[int, Entry]], *, dead: list[DeadLetter] = (), source: str = "mqtt"):
    """Store observations (device id, entry) and dead letters in one transaction; see the module doc."""
    result = StoreResult(dead=len(dead))
    unique: dict[tuple, tuple[int, Entry]] = {}
    for device_id, entry in rows:
        unique.setdefault((entry.ts, device_id), (device_id, entry))
    result.duplicate = len(rows) - len(unique)
    now = timezone.now()
    with transaction.atomic():
        new_pairs = _insert(list(unique.values())) if unique else []
        result.accepted = len(new_pairs)
        result.duplicate += len(unique) - len(new_pairs)
        if dead:
            DeadLetter.objects.bulk_create(dead)
        if unique:
            device_ids = {device_id for device_id, _entry in unique.values()}
            Device.objects.filter(id__in=device_ids).update(last_seen_at=now)
            Device.objects.filter(id__in=device_ids, status=DeviceStatus.OFFLINE).update(status=DeviceStatus.ACTIVE)
        if new_pairs:
            digest = BatchDigest()
            for device_id, entry in new_pairs:
                digest.add((device_id, entry.ts.isoformat(), entry.value, entry.seq))
            record_batch(actor, "sensing.observation.ingest", "sensing.observation", digest, note=source)
        if new_pairs and _listeners:  # the objects are only for the listeners
            result.new = [_observation(d, e) for d, e in new_pairs]
            batch = result.new
            transaction.on_commit(lambda: _notify(batch))
    return result
