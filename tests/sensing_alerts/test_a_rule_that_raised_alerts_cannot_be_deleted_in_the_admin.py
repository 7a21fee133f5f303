"""A rule with alerts is kept in the admin (deactivated, not deleted), so its alerts keep their rule."""

from __future__ import annotations

from django.utils import timezone

from tests.factories import make_user
from yiwang.sensing.alerts.models import Alert, Rule


def _root(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


def test_a_rule_that_raised_alerts_cannot_be_deleted(client, world, device, make_rule):
    rule = make_rule()
    now = timezone.now()
    Alert.objects.create(device=device, rule=rule, condition="water-level", level="red", raised_at=now, updated_at=now)
    root = _root(client)
    response = root.post(f"/admin/alerts/rule/{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Rule.objects.filter(pk=rule.pk).exists()
    assert Alert.objects.get().rule_id == rule.pk


def test_a_rule_without_alerts_can_be_deleted(client, world, make_rule):
    rule = make_rule()
    root = _root(client)
    response = root.post(f"/admin/alerts/rule/{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()


def test_rules_are_not_deleted_in_bulk(client, world, make_rule):
    make_rule()
    response = _root(client).get("/admin/alerts/rule/")
    assert response.status_code == 200
    assert 'value="delete_selected"' not in response.content.decode()
