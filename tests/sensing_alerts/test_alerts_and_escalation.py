"""Alerts from stored observations: one open alert and one open case per (device, condition), escalation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.sensing_alerts.conftest import T0
from yiwang.sensing.alerts.engine import evaluate_device, preview
from yiwang.sensing.alerts.models import Alert, AlertState

pytestmark = pytest.mark.django_db


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def test_case_now_opens_one_iot_case_per_device_and_condition(device, make_rule, observe):
    from yiwang.operations.models import Case

    make_rule(escalation="case_now")
    observe((0, 0.1), (5, 0.3))
    evaluate_device(device, now=at(5))
    observe((10, 0.6))
    evaluate_device(device, now=at(10))  # yellow → red: the same alert, updated
    alert = Alert.objects.get()
    assert (alert.level, alert.state) == ("red", AlertState.UPDATED)
    case = Case.objects.get()
    assert (case.channel, case.discovery, case.category.code) == ("iot", "intelligent", "SAFE-FLOOD")
    assert alert.case == case and case.subdistrict_code == "S1"
    # cleared, then raised again while the case is still open: a new alert, the same case
    observe((15, 0.0))
    evaluate_device(device, now=at(15))
    observe((20, 0.7))
    evaluate_device(device, now=at(20))
    assert Alert.objects.filter(state=AlertState.CLEARED).count() == 1
    assert Alert.objects.exclude(state=AlertState.CLEARED).count() == 1
    assert Case.objects.count() == 1
    assert set(Alert.objects.values_list("case", flat=True)) == {case.pk}


def test_database_refuses_a_second_open_alert_for_the_same_condition(device, make_rule):
    from django.db import IntegrityError, transaction

    rule = make_rule()
    Alert.objects.create(device=device, rule=rule, condition="water-level", level="red", raised_at=T0, updated_at=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            device=device, rule=rule, condition="water-level", level="blue", raised_at=T0, updated_at=T0
        )


def notify_rule(make_rule):
    return make_rule(
        escalation="notify_first", ack_timeout_minutes=30, contact_channel="sms", contact_address="13800138000"
    )


def test_notify_first_acknowledged_in_time_opens_no_case(device, make_rule, observe):
    from django.utils import timezone

    from yiwang.core.actor import Actor
    from yiwang.core.notify.ack import acknowledge
    from yiwang.core.notify.models import Notification
    from yiwang.operations.models import Case
    from yiwang.sensing.alerts.actions import escalate_overdue

    notify_rule(make_rule)
    observe((0, 0.6))
    evaluate_device(device, now=at(0))
    alert = Alert.objects.get()
    note = Notification.objects.get(subject_type="alerts.alert", subject_id=str(alert.pk))
    assert note.ack_token and Case.objects.count() == 0
    acknowledge(Actor.system(channel="web"), note.ack_token)
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert escalate_overdue(timezone.now() + timedelta(hours=2)) == 0
    assert Case.objects.count() == 0


def test_notify_first_opens_the_case_when_nobody_acknowledges(device, make_rule, observe):
    from django.utils import timezone

    from yiwang.operations.models import Case
    from yiwang.sensing.alerts.actions import escalate_overdue

    notify_rule(make_rule)
    observe((0, 0.6))
    evaluate_device(device, now=at(0))
    assert escalate_overdue(timezone.now() + timedelta(minutes=10)) == 0  # not yet due
    assert escalate_overdue(timezone.now() + timedelta(minutes=31)) == 1
    case = Case.objects.get()
    assert case.channel == "iot" and Alert.objects.get().case == case
    assert escalate_overdue(timezone.now() + timedelta(hours=5)) == 0  # never twice


def test_transitions_are_audited(device, make_rule, observe):
    from yiwang.core.audit.models import AuditEvent

    make_rule(escalation="case_now")
    observe((0, 0.6), (5, 0.0))
    evaluate_device(device, now=at(0))
    evaluate_device(device, now=at(5))
    actions = list(AuditEvent.objects.filter(action__startswith="alerts.").values_list("action", flat=True))
    assert actions.count("alerts.alert.raise") == 1 and actions.count("alerts.alert.clear") == 1
    assert "alerts.alert.open_case" in actions


def test_rule_parameters_are_validated_per_kind(make_rule):
    with pytest.raises(ValidationError):
        make_rule(kind="no_consumption", params={"hours": -3})
    with pytest.raises(ValidationError):
        make_rule(escalation="notify_first")  # no contact


def test_preview_replays_a_rule_over_stored_observations(device, make_rule, observe):
    rule = make_rule()
    observe((0, 0.1), (60, 0.3), (120, 0.6), (180, 0.1))
    fired = preview(rule, device, days=1, until=at(200))
    assert [(t.kind, t.level, t.at) for t in fired] == [
        ("raise", "yellow", at(60)),
        ("update", "red", at(120)),
        ("clear", None, at(180)),
    ]
    assert Alert.objects.count() == 0  # a preview changes nothing


def test_admin_replay_page_shows_when_the_rule_would_have_fired(client, world, device, make_rule, observe):
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import login_as
    from yiwang.sensing.models import Observation

    rule = make_rule()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for hours, value in ((30, 0.1), (20, 0.6), (10, 0.1), (5, 0.7)):
        Observation.objects.create(device=device, ts=now - timedelta(hours=hours), value=value)
    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])
    login_as(client, world.admin)
    url = reverse("admin:alerts_rule_replay", args=[rule.pk])
    page = client.get(url, {"device": device.pk, "days": 2})
    assert page.status_code == 200
    assert page.context["raised"] == 2
    assert [t.kind for t in page.context["transitions"]] == ["raise", "clear", "raise"]
    login_as(client, world.resident)
    assert client.get(url, {"device": device.pk, "days": 2}).status_code in (302, 403)


def test_a_device_rule_overrides_its_type_rule_for_the_same_condition(device, make_rule, observe):
    make_rule(name="type-wide", escalation="case_now")  # yellow at 0.2
    own = make_rule(
        name="this underpass",
        device=device,
        device_type=None,
        params={"levels": {"red": 0.5}},
        category_code="SAFE-FLOOD",
    )
    observe((0, 0.3))
    evaluate_device(device, now=at(0))
    assert Alert.objects.count() == 0  # 0.3 is below the device's own red level; the type's yellow does not apply
    observe((5, 0.6))
    evaluate_device(device, now=at(5))
    assert Alert.objects.get().rule == own
