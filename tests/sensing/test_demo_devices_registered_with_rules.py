"""The demo's "devices" step registers the district's sensors and water-steward meters with their rules,
through the actions, quickly, and a second run changes nothing."""

import time

import pytest

from yiwang.core.audit.models import AuditEvent
from yiwang.demo.seed import QUICK_STEPS, seed_demo
from yiwang.sensing.alerts.models import Escalation, Rule
from yiwang.sensing.alerts.rules import make_rule
from yiwang.sensing.demo import (
    DRAIN_LEVEL,
    MANHOLE_TILT,
    RAIN_GAUGE,
    WATER_LEVEL,
    WATER_LEVELS,
    WATER_METER,
    demo_key,
    demo_plan,
)
from yiwang.sensing.devices import device_cache
from yiwang.sensing.models import Device

pytestmark = pytest.mark.django_db
SEED = 11


@pytest.fixture
def seeded():
    seed_demo(SEED, steps=QUICK_STEPS)
    t0 = time.perf_counter()
    report = seed_demo(SEED, steps=(*QUICK_STEPS, "devices"))
    return report, time.perf_counter() - t0


def test_devices_of_every_kind_placed_in_the_district(seeded):
    report, seconds = seeded
    assert report.done == ["devices"]
    assert seconds < 5, f"the devices step took {seconds:.1f} s"
    plan = demo_plan(report.district)
    by_type = {t: Device.objects.filter(type__code=t).count() for t in (WATER_LEVEL, DRAIN_LEVEL, MANHOLE_TILT)}
    assert all(n >= 20 for n in by_type.values()), by_type
    assert Device.objects.filter(type__code=RAIN_GAUGE).count() == len(report.district.level(2))
    assert Device.objects.count() == len(plan.rows) == report.summaries["devices"]["created"]
    assert not Device.objects.filter(outside_territory=True).exists()
    assert not Device.objects.filter(grid_code="").exists()
    # one batch audit row for the import and one for types, rules and enrolments (plus the step marker)
    assert AuditEvent.objects.filter(action="sensing.device.import").get().batch_count == len(plan.rows)
    assert AuditEvent.objects.filter(action="sensing.demo.seed").count() == 1


def test_each_device_can_authenticate_with_its_demo_key(seeded):
    device_cache.clear()
    for device in Device.objects.all()[:40]:
        assert device_cache.by_device_key(demo_key(SEED, device.code)).code == device.code
    assert device_cache.by_device_key(demo_key(SEED + 1, "WM-0001")) is None


def test_water_level_has_graded_thresholds_and_a_case_at_once_red_rule(seeded):
    graded = Rule.objects.get(device_type__code=WATER_LEVEL, condition="waterlogging")
    levels = make_rule(graded.kind, graded.params).levels
    assert [name for name, _ in levels] == ["blue", "yellow", "orange"]
    assert graded.escalation == Escalation.NOTIFY_FIRST and graded.contact_user.username == "opscentre"
    red = Rule.objects.get(device_type__code=WATER_LEVEL, condition="deep-water")
    assert red.escalation == Escalation.CASE_NOW and red.params["levels"] == {"red": WATER_LEVELS["red"]}
    assert Rule.objects.filter(device_type__code=MANHOLE_TILT, escalation=Escalation.CASE_NOW).exists()


def test_every_enrolled_meter_calls_its_emergency_contact_first(seeded):
    report, _ = seeded
    meters = Device.objects.filter(type__code=WATER_METER)
    enrolments = demo_plan(report.district).enrolments
    assert 24 <= meters.count() == len(enrolments) <= 60
    phones = {e.meter: e.contact_phone for e in enrolments}
    for meter in meters:
        rules = {r.kind: r for r in Rule.objects.filter(device=meter)}
        assert {"no_consumption", "quiet_likelihood"} <= set(rules)
        for rule in rules.values():
            assert rule.escalation == Escalation.NOTIFY_FIRST
            assert rule.contact_address == phones[meter.code] and rule.category_code == "LV-CARE-ELDER"
        assert rules["no_consumption"].params == {"max_total": 0.01, "hours": 12}
        # the fixed 12-hour rule is offered but off: with the presets on, a contact is called ≤ 1 time a month
        assert not rules["no_consumption"].active
        assert rules["quiet_likelihood"].active and rules["flow_likelihood"].active
        assert meter.belongs_to.startswith("WS-")
    assert all(e.consent_on and e.contact_relation for e in enrolments)
    # the audit holds no phone number
    audit = AuditEvent.objects.get(action="sensing.demo.seed")
    assert not any(p in str(audit.__dict__) for p in phones.values())


def test_a_second_run_changes_nothing(seeded):
    before = (Device.objects.count(), Rule.objects.count(), AuditEvent.objects.count())
    again = seed_demo(SEED, steps=(*QUICK_STEPS, "devices"))
    assert again.done == []
    assert (Device.objects.count(), Rule.objects.count(), AuditEvent.objects.count()) == before
