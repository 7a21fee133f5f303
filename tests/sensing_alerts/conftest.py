"""Alert fixtures: the operations test district, a water-level device in grid G1a, alert rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.operations.conftest import IN_G1A, build_world

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    from yiwang.operations import codes, lookups
    from yiwang.territory import services

    for clear in (lookups.invalidate, codes.forget, services.invalidate):
        clear()
    yield
    for clear in (lookups.invalidate, codes.forget, services.invalidate):
        clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def device(world):
    from yiwang.sensing.models import Device, DeviceType

    kind = DeviceType.objects.create(code="water-level", name="Water level gauge", unit="m", interval_seconds=300)
    return Device.objects.create(
        code="wl-001",
        type=kind,
        lon=IN_G1A[0],
        lat=IN_G1A[1],
        address="S1 road 1 underpass",
        key_hash="0" * 64,
        mqtt_password_hash="x",
    )


@pytest.fixture
def make_rule(device):
    from yiwang.sensing.alerts.models import Rule

    def make(**fields):
        fields.setdefault("name", "Underpass water level")
        fields.setdefault("device_type", device.type)
        fields.setdefault("kind", "threshold")
        fields.setdefault("condition", "water-level")
        fields.setdefault("params", {"levels": {"yellow": 0.2, "red": 0.5}, "hysteresis": 0.05})
        fields.setdefault("category_code", "SAFE-FLOOD")
        rule = Rule(**fields)
        rule.full_clean()
        rule.save()
        return rule

    return make


@pytest.fixture
def observe(device):
    """Store readings of the device (minutes after T0 → value)."""
    from yiwang.sensing.models import Observation

    def add(*points, dev=None):
        for minutes, value in points:
            Observation.objects.create(device=dev or device, ts=T0 + timedelta(minutes=minutes), value=value)

    return add
