"""Which alerts and cases belong to the flood scene: by device type, by the rule's category, by the case's
category, and any case opened from a flood alert."""

import pytest

from tests.operations.conftest import IN_G2A, report
from tests.sensing_flood.conftest import T0, raise_alert
from yiwang.sensing.flood.queries import flood_alerts, flood_cases, open_flood_alerts

pytestmark = pytest.mark.django_db


def device(code, type_code):
    from yiwang.sensing.models import Device, DeviceType

    kind, _ = DeviceType.objects.get_or_create(code=type_code, defaults={"name": type_code, "unit": "x"})
    return Device.objects.create(code=code, type=kind, lon=IN_G2A[0], lat=IN_G2A[1], key_hash=code.ljust(64, "0"),
                                 mqtt_password_hash="x")  # fmt: skip


def rule_for(dev, category):
    from yiwang.sensing.alerts.models import Rule

    return Rule.objects.create(name=f"rule {dev.code}", device=dev, kind="threshold", condition="level",
                               params={"levels": {"red": 1}}, category_code=category)  # fmt: skip


def test_the_demo_sensor_types_and_flood_categories_make_flood_alerts(world):
    drain = device("dp-1", "drain-level")  # the demo's drainage-pipe sensors
    tilt = device("mh-1", "manhole-tilt")
    meter = device("wm-1", "water-meter")
    a_drain = raise_alert(rule_for(drain, "ENV-GARBAGE"), drain, "red", T0)  # flood by its device type
    a_meter_flood = raise_alert(rule_for(meter, "SAFE-FLOOD"), meter, "red", T0)  # flood by its rule's category
    a_tilt = raise_alert(rule_for(tilt, "ENV-GARBAGE"), tilt, "red", T0)
    other = device("wm-2", "water-meter")
    a_other = raise_alert(rule_for(other, "ENV-GARBAGE"), other, "red", T0)
    assert set(flood_alerts()) == {a_drain, a_meter_flood, a_tilt}
    assert a_other not in set(open_flood_alerts())
    # a case opened from a flood alert is a flood case whatever its category; a plain garbage case is not
    garbage = report(world)
    flooded_road = report(world, category=world.flood, at=IN_G2A)
    assert set(flood_cases()) == {a_drain.case, a_meter_flood.case, a_tilt.case, flooded_road}
    assert garbage not in set(flood_cases()) and a_other.case not in set(flood_cases())


def test_dispatchers_count_only_the_flood_cases_they_may_see(world):
    s1 = report(world, category=world.flood)  # in S1
    s2 = report(world, category=world.flood, at=IN_G2A)
    assert set(flood_cases(world.dispatcher)) == {s1}
    assert set(flood_cases(world.ops)) == {s1, s2}
