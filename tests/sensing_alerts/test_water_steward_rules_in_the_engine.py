"""The water-steward rules on stored meter readings: the default rules, local hours, the admin replay."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.sensing_alerts.test_leak_rule_judges_flow_per_household import resident
from yiwang.sensing.alerts.engine import evaluate_device, preview
from yiwang.sensing.alerts.models import Alert
from yiwang.sensing.alerts.presets import WATER_STEWARD

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY0 = datetime(2026, 3, 2, 0, 0, tzinfo=SHANGHAI)  # local midnight
DAYS = 21
LEAK_FROM = (DAYS - 2) * 24 + 23  # 23:00 local on the day before last


@pytest.fixture
def meter(world):
    from tests.operations.conftest import IN_G1A
    from yiwang.operations.models import Category, Pillar
    from yiwang.sensing.models import Device, DeviceType

    care = Category.objects.create(
        code="LV-CARE", name="民生服务", name_en="Welfare and care", pillar=Pillar.LIVELIHOOD
    )
    elder = Category.objects.create(
        code="LV-CARE-ELDER", name="独居老人关爱", name_en="Elderly living alone", parent=care, pillar=Pillar.LIVELIHOOD
    )
    elder.departments.add(world.urban)

    kind = DeviceType.objects.create(code="water-meter", name="Smart water meter", unit="m³", interval_seconds=3600)
    return Device.objects.create(
        code="wm-001",
        type=kind,
        lon=IN_G1A[0],
        lat=IN_G1A[1],
        address="Lane 3, No. 12",
        key_hash="1" * 64,
        mqtt_password_hash="x",
    )


def store_hours(meter, values):
    """One reading per local hour (at hh:59) from DAY0: ``values[k]`` is hour k's volume (None: missing)."""
    from yiwang.sensing.models import Observation

    Observation.objects.bulk_create(
        Observation(device=meter, ts=DAY0 + timedelta(hours=k, minutes=59), value=v)
        for k, v in enumerate(values)
        if v is not None
    )


def preset_rule(condition, meter, **fields):
    from yiwang.sensing.alerts.models import Rule

    preset = next(p for p in WATER_STEWARD if p["condition"] == condition)
    rule = Rule(device_type=meter.type, contact_address="13800138000", **{**preset, **fields})
    rule.full_clean()
    rule.save()
    return rule


def at_hour(k: int) -> datetime:
    return DAY0 + timedelta(hours=k)


def test_the_default_leak_rule_raises_on_a_night_time_running_cistern(meter):
    rule = preset_rule("leak", meter, escalation="case_now")
    hours = [resident(k // 24, k % 24) + (0.01 if k >= LEAK_FROM else 0.0) for k in range(DAYS * 24)]
    store_hours(meter, hours)
    before = evaluate_device(meter, now=at_hour(LEAK_FROM))
    assert before == [] and not Alert.objects.exists()
    evaluate_device(meter, now=at_hour(LEAK_FROM + 5))
    alert = Alert.objects.get()
    assert (alert.rule, alert.condition, alert.state) == (rule, "leak", "raised")
    assert alert.case is not None and alert.case.category.code == "LV-CARE-ELDER"


def test_the_default_rules_stay_quiet_on_normal_days_and_the_inactivity_rule_sees_a_quiet_day(meter):
    preset_rule("leak", meter)
    preset_rule("inactivity", meter)
    quiet_from = (DAYS - 1) * 24 + 6
    store_hours(meter, [0.0 if k >= quiet_from else resident(k // 24, k % 24) for k in range(DAYS * 24)])
    for k in range(16 * 24, quiet_from + 1, 3):
        evaluate_device(meter, now=at_hour(k))
    assert not Alert.objects.exists()
    evaluate_device(meter, now=at_hour(quiet_from + 12))  # 18:00: a whole quiet day so far
    assert list(Alert.objects.values_list("condition", flat=True)) == ["inactivity"]


def test_daytime_windows_are_the_districts_local_hours(meter):
    from yiwang.sensing.alerts.models import Rule

    rule = Rule(
        name="No water in 4 daytime hours",
        device_type=meter.type,
        kind="no_consumption",
        condition="inactivity",
        params={"max_total": 0.01, "hours": 4, "day_start": 8, "day_end": 20},
        category_code="LV-CARE-ELDER",
    )
    rule.full_clean()
    rule.save()
    # water every hour except local 08:00–12:00 of the last day (00:00–04:00 UTC)
    quiet = range((DAYS - 1) * 24 + 8, (DAYS - 1) * 24 + 12)
    store_hours(meter, [0.0 if k in quiet else 0.02 for k in range(DAYS * 24)])
    fired = preview(rule, meter, days=2, until=at_hour(DAYS * 24))
    raises = [t for t in fired if t.kind == "raise"]
    assert len(raises) == 1 and raises[0].at == at_hour(quiet.stop)
    assert raises[0].at.astimezone(UTC).hour == 4


def test_admin_replay_shows_the_leak_rule_on_a_meter(client, world, meter):
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import login_as
    from yiwang.sensing.models import Observation

    rule = preset_rule("leak", meter)
    zone = timezone.get_default_timezone()
    now = timezone.now().astimezone(zone)
    first = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DAYS)
    opened = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=4)  # a tap left open
    Observation.objects.bulk_create(
        Observation(
            device=meter,
            ts=first + timedelta(hours=k, minutes=59),
            value=resident(k // 24, k % 24) + (0.4 if first + timedelta(hours=k) >= opened else 0.0),
        )
        for k in range(int((now - first) / timedelta(hours=1)))
    )
    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])
    login_as(client, world.admin)
    page = client.get(reverse("admin:alerts_rule_replay", args=[rule.pk]), {"device": meter.pk, "days": 3})
    assert page.status_code == 200
    assert page.context["raised"] == 1
    raised = [t for t in page.context["transitions"] if t.kind == "raise"]
    assert raised[0].at == opened + timedelta(hours=2)
    assert Alert.objects.count() == 0  # a replay changes nothing


def test_the_admin_adds_a_leak_rule_and_names_a_bad_parameter(client, world, meter):
    from django.urls import reverse

    from tests.factories import login_as
    from yiwang.sensing.alerts.models import Rule

    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])
    login_as(client, world.admin)
    form = {
        "name": "Leak",
        "device_type": meter.type.pk,
        "kind": "flow_likelihood",
        "condition": "leak",
        "category_code": "LV-CARE-ELDER",
        "escalation": "case_now",
        "ack_timeout_minutes": 60,
        "contact_channel": "sms",
        "active": "on",
    }
    url = reverse("admin:alerts_rule_add")
    page = client.post(url, {**form, "params": '{"alpha": 1e-3, "max_p": 0.7, "max_hours": 48}'})
    assert page.status_code == 200 and "max_p ** max_hours" in page.content.decode()
    assert not Rule.objects.exists()
    page = client.post(url, {**form, "params": '{"alpha": 1e-4}'})
    assert page.status_code == 302
    assert Rule.objects.get().engine().alpha == 1e-4


def test_an_hourly_meters_reading_completes_its_hour_for_the_live_engine(meter):
    from yiwang.sensing.models import Observation

    preset_rule("leak", meter, escalation="case_now")
    opened = (DAYS - 1) * 24 + 10  # a tap left open at 10:00 on the last day
    store_hours(meter, [resident(k // 24, k % 24) + (0.4 if k >= opened else 0.0) for k in range(opened + 2)])
    second = Observation.objects.filter(device=meter).latest("ts").ts  # 11:59, the tap's second hour
    evaluate_device(meter, now=second - timedelta(hours=1) + timedelta(microseconds=1))
    assert not Alert.objects.exists()  # one hour of flow is not enough
    evaluate_device(meter, now=second + timedelta(microseconds=1))  # as the ingestion listener does
    alert = Alert.objects.get()
    assert alert.condition == "leak" and alert.raised_at == second + timedelta(microseconds=1)
