"""audit.bulk.chained_in_bulk: a batch's rows appended together form the same verifiable chains."""

import pytest
from django.db import transaction

from yiwang.core.actor import Actor
from yiwang.core.audit.bulk import chained_in_bulk
from yiwang.core.audit.models import AuditChainHead, AuditEvent
from yiwang.core.audit.trail import record_event, verify

pytestmark = pytest.mark.django_db


def test_rows_recorded_in_bulk_follow_single_rows_and_verify():
    with transaction.atomic():
        record_event(Actor.system(), "test.before", ("test.thing", "0"))
    with transaction.atomic(), chained_in_bulk():
        rows = [record_event(Actor.system(), "test.touch", ("test.thing", str(n)), after={"n": n}) for n in range(40)]
        assert all(row.pk is None for row in rows)  # nothing written until the block ends
    with transaction.atomic():
        record_event(Actor.system(), "test.after", ("test.thing", "1"))
    assert AuditEvent.objects.filter(action="test.touch").count() == 40
    for head in AuditChainHead.objects.all():
        seqs = list(AuditEvent.objects.filter(chain=head.chain).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, head.seq + 1))  # no gap, no repeat
    stored = {e.summary["after"]["n"]: e for e in AuditEvent.objects.filter(action="test.touch")}
    assert all(stored[n].seq == rows[n].seq and stored[n].hash == rows[n].hash for n in range(40))
    report = verify()
    assert report.ok and report.rows == 42


def test_an_error_in_the_block_appends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), chained_in_bulk():
        record_event(Actor.system(), "test.touch", ("test.thing", "1"))
        raise RuntimeError("the batch failed")
    assert not AuditEvent.objects.filter(action="test.touch").exists()
    assert not AuditChainHead.objects.filter(seq__gt=0).exists()
