"""Hourly/daily rollups match the raw rows (late data included), silent devices go offline, old raw rows go."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from yiwang.core.actor import Actor
from yiwang.sensing.jobs import flag_silent_devices, purge_raw_observations, rollups_job
from yiwang.sensing.models import Device, Observation, ObservationRollup
from yiwang.sensing.parsing import Entry
from yiwang.sensing.store import store_batch

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 7, 2, 12, 30, tzinfo=UTC)


def _store(device, points):
    store_batch(Actor.system(), [(device.id, Entry(ts, v, None)) for ts, v in points])


def test_hourly_and_daily_rollups_equal_aggregates_of_raw_rows(make_device):
    rng = random.Random(3)
    devices = [make_device() for _ in range(2)]
    points = {
        d.id: [(NOW - timedelta(minutes=m), rng.uniform(-5, 5)) for m in rng.sample(range(1, 30 * 60), 200)]
        for d in devices
    }
    for d in devices:
        _store(d, points[d.id])
    rollups_job(now=NOW)
    late = (NOW - timedelta(hours=3, minutes=1, seconds=7), 99.0)  # late data for an hour already rolled up
    _store(devices[0], [late])
    points[devices[0].id].append(late)
    rollups_job(now=NOW)

    for d in devices:
        values = {}
        for ts, v in points[d.id]:
            values.setdefault(ts.replace(minute=0, second=0, microsecond=0), []).append(v)
        hourly = {r.start: r for r in ObservationRollup.objects.filter(device=d, period="hour")}
        assert set(hourly) == set(values)
        for start, vs in values.items():
            r = hourly[start]
            assert r.count == len(vs) and r.min == min(vs) and r.max == max(vs)
            assert r.sum == pytest.approx(sum(vs)) and r.avg == pytest.approx(sum(vs) / len(vs))
        daily = ObservationRollup.objects.filter(device=d, period="day")
        assert sum(r.count for r in daily) == len(points[d.id])


@override_settings(SENSING={**__import__("django.conf").conf.settings.SENSING, "OFFLINE_AFTER_INTERVALS": 3})
def test_devices_silent_longer_than_n_intervals_are_flagged_offline(make_device):
    quiet = make_device()  # interval 60 s: offline after 180 s
    recent = make_device()
    Device.objects.filter(pk=quiet.pk).update(last_seen_at=NOW - timedelta(seconds=181))
    Device.objects.filter(pk=recent.pk).update(last_seen_at=NOW - timedelta(seconds=179))
    retired = make_device(status="retired")
    assert flag_silent_devices(now=NOW) == "1 devices flagged offline"
    statuses = dict(Device.objects.values_list("code", "status"))
    assert statuses[quiet.code] == "offline" and statuses[recent.code] == "active"
    assert statuses[retired.code] == "retired"
    # a message from an offline device brings it back
    _store(quiet, [(NOW, 1.0)])
    assert Device.objects.get(pk=quiet.pk).status == "active"


def test_raw_observations_older_than_retention_are_purged(make_device, settings):
    settings.SENSING = {**settings.SENSING, "RAW_RETENTION_DAYS": 10}
    device = make_device()
    _store(device, [(NOW - timedelta(days=11), 1.0), (NOW - timedelta(days=9), 2.0)])
    assert purge_raw_observations(now=NOW) == "1 raw observations purged"
    assert list(Observation.objects.values_list("value", flat=True)) == [2.0]
