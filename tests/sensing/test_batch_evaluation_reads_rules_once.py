"""The alert listener judges a whole batch with a fixed number of queries: the rules and open alerts of
all its devices at once, and threshold rules from the batch's newest value — the same verdicts as
judging each device alone from its stored readings (what keeps publish-to-case latency low)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from yiwang.sensing.alerts import engine
from yiwang.sensing.alerts.models import Alert, Rule
from yiwang.sensing.models import Observation

pytestmark = pytest.mark.django_db
AT = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def gauges(make_device, device_type):
    Rule.objects.create(
        name="depth", kind="threshold", condition="depth", params={"levels": {"yellow": 0.15, "red": 0.4}},
        category_code="X", escalation="notify_first", device_type=device_type, contact_channel="sms",
        contact_address="13800138000",
    )  # fmt: skip
    return [make_device(f"g-{n:02d}") for n in range(20)]


def batch(devices, values, at=AT):
    rows = []
    for device, value in zip(devices, values, strict=True):
        for k, v in enumerate((0.0, value)):  # an older reading, then the newest
            ts = at + timedelta(minutes=k)
            Observation.objects.create(device=device, ts=ts, value=v)
            rows.append(SimpleNamespace(device_id=device.id, ts=ts, value=v))
    return rows


def test_quiet_devices_cost_a_fixed_number_of_queries(gauges, django_assert_max_num_queries):
    rows = batch(gauges, [0.01] * len(gauges))
    with django_assert_max_num_queries(4):  # devices, rules, open alerts (+ a savepoint at most)
        engine.on_batch(rows)
    assert not Alert.objects.exists()


def test_batch_verdicts_equal_judging_each_device_from_its_readings(gauges):
    values = [0.01, 0.2, 0.5, 0.3] * 5
    engine.on_batch(batch(gauges, values))
    batched = dict(Alert.objects.values_list("device__code", "level"))
    expected = {d.code: ("red" if v >= 0.4 else "yellow") for d, v in zip(gauges, values, strict=True) if v >= 0.15}
    assert batched == expected

    Alert.objects.all().delete()
    for device in gauges:  # the slow path: rules, open alert and readings queried per device
        engine.evaluate_device(device, now=AT + timedelta(minutes=1, microseconds=1))
    assert dict(Alert.objects.values_list("device__code", "level")) == batched


def test_an_open_alert_read_with_the_batch_is_updated_and_cleared(gauges):
    engine.on_batch(batch(gauges[:2], [0.5, 0.2]))
    engine.on_batch(batch(gauges[:2], [0.2, 0.01], at=AT + timedelta(minutes=10)))
    alerts = {a.device.code: a for a in Alert.objects.all()}
    assert alerts["g-00"].level == "yellow" and alerts["g-00"].state == "updated"
    assert alerts["g-01"].state == "cleared"
