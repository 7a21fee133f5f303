"""Audit rows and histories are read-only in the back office, for superusers too: no change, no delete,
no bulk delete, no add."""

import pytest
from django.db import transaction

from tests.factories import make_user
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import record_event
from yiwang.core.models import LoginMethod, LoginRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def audit_row(db):
    with transaction.atomic():
        return record_event(Actor.system(), "test.touch", ("test.thing", "1"), after={"n": 1})


@pytest.fixture
def login_record(db):
    return LoginRecord.objects.create(method=LoginMethod.PASSWORD, username_masked="r***t")


@pytest.mark.parametrize("what", ["audit_row", "login_record"])
def test_a_history_row_cannot_be_changed_or_deleted(root, request, what):
    row = request.getfixturevalue(what)
    meta = row._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    before = {f.attname: getattr(row, f.attname) for f in meta.concrete_fields}
    events = AuditEvent.objects.count()

    assert root.post(f"{base}{row.pk}/change/", {"username_masked": "x", "action": "forged"}).status_code == 403
    assert root.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert root.post(f"{base}add/", {"username_masked": "x", "action": "forged"}).status_code == 403
    root.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})

    assert type(row).objects.filter(pk=row.pk).exists()
    row.refresh_from_db()
    assert {f.attname: getattr(row, f.attname) for f in meta.concrete_fields} == before
    assert AuditEvent.objects.count() == events
