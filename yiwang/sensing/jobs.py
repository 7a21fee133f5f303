"""Periodic jobs of sensing ingestion: rollups, device health, raw-data retention."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Max, Min, Q, Sum
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from yiwang.core.actions import BatchDigest, record_batch
from yiwang.core.actor import Actor, Channel
from yiwang.core.periodic import periodic

from .models import Device, DeviceStatus, DeviceType, Observation, ObservationRollup, RollupPeriod

TRUNC = {RollupPeriod.HOUR: TruncHour, RollupPeriod.DAY: TruncDay}


def rollup(period: str, since: datetime, until: datetime | None = None) -> int:
    """(Re)compute count/min/max/sum/avg per device and hour (or local day) for buckets from ``since``.

    Buckets are recomputed whole from the raw rows, so late data within the look-back is included and
    rerunning is harmless. Returns the number of rollup rows written.
    """
    trunc = TRUNC[period]
    since = _bucket_start(period, since)
    rows = Observation.objects.filter(ts__gte=since)
    if until is not None:
        rows = rows.filter(ts__lt=until)
    groups = (
        rows.annotate(bucket=trunc("ts"))
        .values("device_id", "bucket")
        .annotate(n=Count("id"), lo=Min("value"), hi=Max("value"), total=Sum("value"), mean=Avg("value"))
    )
    objs = [
        ObservationRollup(
            device_id=g["device_id"],
            period=period,
            start=g["bucket"],
            count=g["n"],
            min=g["lo"],
            max=g["hi"],
            sum=g["total"],
            avg=g["mean"],
        )
        for g in groups
    ]
    with transaction.atomic():
        ObservationRollup.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["device", "period", "start"],
            update_fields=["count", "min", "max", "sum", "avg"],
        )
    return len(objs)


def _bucket_start(period: str, moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    if period == RollupPeriod.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@periodic("sensing.rollups", every_seconds=300)
def rollups_job(now: datetime | None = None) -> str:
    now = now or timezone.now()
    lookback = timedelta(hours=settings.SENSING.get("ROLLUP_LOOKBACK_HOURS", 48))
    hours = rollup(RollupPeriod.HOUR, now - lookback)
    days = rollup(RollupPeriod.DAY, now - lookback)
    return f"{hours} hourly, {days} daily rollups"


@periodic("sensing.device_health", every_seconds=60)
def flag_silent_devices(now: datetime | None = None) -> str:
    """Active devices silent for more than N × their type's interval become offline (one UPDATE per type)."""
    now = now or timezone.now()
    factor = settings.SENSING["OFFLINE_AFTER_INTERVALS"]
    digest = BatchDigest()
    with transaction.atomic():
        for type_id, interval in DeviceType.objects.values_list("id", "interval_seconds"):
            cutoff = now - timedelta(seconds=interval * factor)
            silent = Device.objects.filter(type_id=type_id, status=DeviceStatus.ACTIVE).filter(
                Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True, created_at__lt=cutoff)
            )
            codes = list(silent.values_list("code", flat=True))
            if codes:
                Device.objects.filter(code__in=codes, status=DeviceStatus.ACTIVE).update(status=DeviceStatus.OFFLINE)
                for code in codes:
                    digest.add({"code": code, "status": DeviceStatus.OFFLINE})
        if digest.count:
            record_batch(Actor.system(Channel.WORKER), "sensing.device.offline", "sensing.device", digest)
    return f"{digest.count} devices flagged offline"


@periodic("sensing.purge_raw", every_seconds=3600)
def purge_raw_observations(now: datetime | None = None, chunk: int = 50_000) -> str:
    """Delete raw observations older than SENSING["RAW_RETENTION_DAYS"] (rollups are kept)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SENSING["RAW_RETENTION_DAYS"])
    total = 0
    while True:
        with transaction.atomic():
            ids = list(Observation.objects.filter(ts__lt=cutoff).values_list("id", flat=True)[:chunk])
            if not ids:
                break
            deleted, _ = Observation.objects.filter(id__in=ids).delete()
            digest = BatchDigest()
            digest.add({"before": cutoff.isoformat(), "deleted": deleted})
            record_batch(Actor.system(Channel.WORKER), "sensing.observation.purge", "sensing.observation", digest)
            total += deleted
    return f"{total} raw observations purged"
