"""Property: whichever row of a chain is edited, and whichever field, verify names exactly that row."""

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditChainHead, AuditEvent
from yiwang.core.audit.trail import chain_for, record_event, verify

OBJ = ("test.thing", "p")
FIELDS = {
    "actor_label": "forged",
    "action": "forged.action",
    "object_id": "p2",
    "channel": "forged",
    "client_ip": "9.9.9.9",
}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(length=st.integers(min_value=1, max_value=12), data=st.data())
def test_any_single_field_edit_is_named_at_its_row(length, data):
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    with transaction.atomic():
        for i in range(length):
            record_event(Actor.system(), "test.touch", OBJ, after={"i": i})
    seq = data.draw(st.integers(min_value=1, max_value=length))
    field = data.draw(st.sampled_from(sorted(FIELDS)))
    target = AuditEvent.objects.get(chain=chain_for(*OBJ), seq=seq)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET {field} = %s WHERE id = %s", [FIELDS[field], target.id])  # noqa: S608
    found = [(p.kind, p.seq, p.row_id) for p in verify().problems]
    assert found == [("edited", seq, target.id)]


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(length=st.integers(min_value=1, max_value=12), data=st.data())
def test_any_single_deleted_row_is_named_at_its_seq(length, data):
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    with transaction.atomic():
        for i in range(length):
            record_event(Actor.system(), "test.touch", OBJ, after={"i": i})
    seq = data.draw(st.integers(min_value=1, max_value=length))
    AuditEvent.objects.filter(chain=chain_for(*OBJ), seq=seq).delete()
    found = [(p.kind, p.seq) for p in verify().problems]
    assert found == [("deleted", seq)]
