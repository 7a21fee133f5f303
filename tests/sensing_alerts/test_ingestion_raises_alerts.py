"""A committed observation batch runs the device's rules (the observation listener)."""

from datetime import timedelta

import pytest

from tests.sensing_alerts.conftest import T0
from yiwang.core.actor import Actor
from yiwang.sensing.alerts.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)


def test_stored_batch_raises_and_clears_the_alert(device, make_rule):
    from yiwang.sensing.parsing import Entry
    from yiwang.sensing.store import store_batch

    make_rule(escalation="notify_first", contact_address="13800138000", contact_channel="sms")
    rows = [(device.pk, Entry(T0 + timedelta(minutes=m), v, None)) for m, v in ((0, 0.1), (5, 0.3), (10, 0.6))]
    store_batch(Actor.system("mqtt"), rows)
    alert = Alert.objects.get()
    assert (alert.level, alert.state) == ("red", "raised") and alert.notified_at is not None
    store_batch(Actor.system("mqtt"), [(device.pk, Entry(T0 + timedelta(minutes=15), 0.0, None))])
    alert.refresh_from_db()
    assert alert.state == "cleared"
