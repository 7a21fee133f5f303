"""Personal data retention: every context registers a purger for the personal data it keeps.

Retention periods are per data class, in days, in ``settings.RETENTION_DAYS`` (contact, identity,
location, notification). A context registers, usually in its ``AppConfig.ready()``::

    from yiwang.core.retention import register_purger

    def purge_old_deliveries(cutoff) -> int:      # cutoff: an aware datetime
        return Delivery.objects.filter(sent_at__lt=cutoff).update(address="")

    register_purger("notify.delivery_addresses", "notification", purge_old_deliveries)

``purge_expired(now)`` runs every purger with ``cutoff = now - period`` of its class, all in one
transaction, and writes one batch audit row listing the counts. A purger must only change the
database (a dry run rolls its transaction back) and returns how many records it purged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.hashing import BatchDigest
from yiwang.core.audit.trail import record_batch

DATA_CLASSES = ("contact", "identity", "location", "notification")


@dataclass(frozen=True)
class Purger:
    name: str
    data_class: str
    fn: Callable[[datetime], int]


_registry: dict[str, Purger] = {}


def register_purger(name: str, data_class: str, fn: Callable[[datetime], int]) -> None:
    """Register (or replace, by name) the purger ``fn(cutoff) -> int`` for data of ``data_class``."""
    if data_class not in DATA_CLASSES:
        raise ValueError(f"unknown retention class {data_class!r}; expected one of {', '.join(DATA_CLASSES)}")
    if not callable(fn):
        raise TypeError("a purger must be callable as fn(cutoff_datetime) -> int")
    _registry[name] = Purger(name, data_class, fn)


def unregister_purger(name: str) -> None:
    _registry.pop(name, None)


def purgers() -> list[Purger]:
    return sorted(_registry.values(), key=lambda p: p.name)


def retention_days(data_class: str) -> int:
    try:
        return int(settings.RETENTION_DAYS[data_class])
    except KeyError:
        raise ValueError(f"settings.RETENTION_DAYS has no period for {data_class!r}") from None


def cutoff_for(data_class: str, now: datetime) -> datetime:
    return now - timedelta(days=retention_days(data_class))


class _DryRun(Exception):
    pass


def purge_expired(now: datetime | None = None, *, dry_run: bool = False, progress=None) -> dict[str, int]:
    """Run every purger; return ``{name: count}``. A dry run counts and then rolls everything back."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            for purger in purgers():
                cutoff = cutoff_for(purger.data_class, now)
                count = int(purger.fn(cutoff) or 0)
                counts[purger.name] = count
                if progress:
                    progress(purger, cutoff, count)
            if dry_run:
                raise _DryRun
            _audit(counts, now)
    except _DryRun:
        pass
    return counts


def _audit(counts: dict[str, int], now: datetime) -> None:
    batch = BatchDigest()
    for name, count in sorted(counts.items()):
        batch.add({"purger": name, "count": count})
    note = ", ".join(f"{name}={count}" for name, count in sorted(counts.items()))
    record_batch(
        Actor.system(Channel.WORKER),
        "core.retention.purge",
        "core.retention",
        batch,
        label=f"purge:{now:%Y%m%dT%H%M%S}",
        note=note[:2000],
    )


# --- core's own personal data ---------------------------------------------------------------------


def purge_login_addresses(cutoff: datetime) -> int:
    """Client addresses of logins older than the location period are blanked (the login stays)."""
    from yiwang.core.models import LoginRecord

    return LoginRecord.objects.filter(at__lt=cutoff, client_ip__isnull=False).update(client_ip=None)


def purge_login_records(cutoff: datetime) -> int:
    """Login records older than the identity period are deleted."""
    from yiwang.core.models import LoginRecord

    deleted, _ = LoginRecord.objects.filter(at__lt=cutoff).delete()
    return deleted


def purge_login_lockouts(cutoff: datetime) -> int:
    """Lockouts that ended before the location period are deleted (an IP lockout keys on the address)."""
    from yiwang.core.models import LoginLockout

    deleted, _ = LoginLockout.objects.filter(until__lt=cutoff).delete()
    return deleted


def register_core_purgers() -> None:
    register_purger("core.login_addresses", "location", purge_login_addresses)
    register_purger("core.login_lockouts", "location", purge_login_lockouts)
    register_purger("core.login_records", "identity", purge_login_records)
    register_purger("core.admin_log", "contact", purge_admin_log)


def purge_admin_log(cutoff: datetime) -> int:
    """Django's own admin log ("recent actions") names objects, people included; entries older than the
    contact period are deleted. The audit trail, not this log, is the record of who changed what."""
    from django.contrib.admin.models import LogEntry

    deleted, _ = LogEntry.objects.filter(action_time__lt=cutoff).delete()
    return deleted
