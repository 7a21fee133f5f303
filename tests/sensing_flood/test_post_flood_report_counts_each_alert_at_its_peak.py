"""The post-flood report counts each alert at the highest level it reached, not the level it had last:
the alerts' update path keeps the peak on the alert."""

from datetime import timedelta

import pytest

from tests.operations.conftest import IN_G2A
from tests.sensing_flood.conftest import T0, raise_alert
from yiwang.core.actor import Actor
from yiwang.sensing.alerts import rules as pure
from yiwang.sensing.alerts.actions import apply_transition
from yiwang.sensing.alerts.models import Alert
from yiwang.sensing.flood.report import Period, build_report

pytestmark = pytest.mark.django_db


def step(rule, device, kind, level, minutes, value=0.3):
    t = pure.Transition(device=device.code, condition=rule.condition, kind=kind, level=level, previous=None,
                        at=T0 + timedelta(minutes=minutes), value=value)  # fmt: skip
    return apply_transition(Actor.system(), rule, device, t)


def test_an_alert_that_went_yellow_red_yellow_counts_as_red(world, gauge, rule):
    from yiwang.sensing.models import Device

    other = Device.objects.create(
        code="wl-002", name="Market gauge", type=gauge.type, lon=IN_G2A[0], lat=IN_G2A[1],
        key_hash="1" * 64, mqtt_password_hash="x", subdistrict_code="S2", grid_code="G2a",
    )  # fmt: skip
    peaked = raise_alert(rule, gauge, "yellow", T0, value=0.25)
    step(rule, gauge, pure.UPDATE, "red", 20, value=0.6)
    step(rule, gauge, pure.UPDATE, "yellow", 50, value=0.3)  # the water goes down
    step(rule, gauge, pure.CLEAR, None, 90, value=0.02)
    rising = raise_alert(rule, other, "blue", T0 + timedelta(minutes=5), value=0.12)
    step(rule, other, pure.UPDATE, "yellow", 30, value=0.22)
    peaked.refresh_from_db()
    rising.refresh_from_db()
    assert (peaked.level, peaked.peak_level, peaked.state) == ("yellow", "red", "cleared")
    assert (rising.level, rising.peak_level) == ("yellow", "yellow")
    report = build_report(Period(T0 - timedelta(hours=1), T0 + timedelta(days=1)))
    assert report["alerts"] == {"total": 2, "by_level": {"blue": 0, "yellow": 1, "orange": 0, "red": 1}}


def test_an_alert_without_a_recorded_peak_counts_at_its_level(world, gauge, rule):
    Alert.objects.create(device=gauge, rule=rule, condition="water-level", level="orange", raised_at=T0,
                         updated_at=T0)  # fmt: skip
    assert Alert.objects.get().peak_level == "orange"  # a new row's peak is its level
    Alert.objects.update(peak_level="")  # a row from before the peak was kept
    report = build_report(Period(T0 - timedelta(hours=1), T0 + timedelta(days=1)))
    assert report["alerts"]["by_level"]["orange"] == 1
