"""The chain head is claimed by one UPDATE: it is created on a chain's first row, held until commit,
and every row's stored content is what its hash covers."""

import threading

import pytest
from django.db import connection, transaction
from django.db.utils import OperationalError

from yiwang.core.actor import Actor
from yiwang.core.audit.hashing import GENESIS, event_hash
from yiwang.core.audit.models import AuditChainHead, AuditEvent
from yiwang.core.audit.trail import chain_for, record_event, verify


@pytest.mark.django_db
def test_a_chain_without_a_head_gets_one_and_its_rows_link_from_genesis():
    obj = ("test.thing", "first")
    AuditChainHead.objects.all().delete()
    with transaction.atomic():
        first = record_event(Actor.system(), "test.touch", obj, after={"n": 1, "名": "值"})
        second = record_event(Actor.system(), "test.touch", obj, after={"n": 2})
    head = AuditChainHead.objects.get(chain=chain_for(*obj))
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert (head.seq, head.hash) == (2, second.hash)
    stored = AuditEvent.objects.get(pk=first.pk)  # read back: the hash covers exactly what was stored
    assert stored.summary == {"after": {"n": 1, "名": "值"}}
    assert event_hash(stored) == stored.hash == first.hash
    assert verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_first_writers_of_a_fresh_chain_race_without_losing_a_row():
    obj = ("test.thing", "fresh")
    AuditChainHead.objects.filter(chain=chain_for(*obj)).delete()
    errors, barrier = [], threading.Barrier(3)

    def writer(n):
        try:
            barrier.wait(timeout=10)
            for i in range(10):
                with transaction.atomic():
                    record_event(Actor.system(), "test.touch", obj, after={"w": n, "i": i})
        except Exception as exc:  # surfaced by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    seqs = list(AuditEvent.objects.filter(chain=chain_for(*obj)).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 31))
    assert AuditChainHead.objects.get(chain=chain_for(*obj)).seq == 30
    assert verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_second_writer_of_the_same_chain_waits_for_the_first_to_commit():
    obj = ("test.thing", "held")
    with transaction.atomic():
        record_event(Actor.system(), "test.touch", obj)  # the head exists
    holding, release, errors = threading.Event(), threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                record_event(Actor.system(), "test.touch", obj)
                holding.set()
                release.wait(timeout=20)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(timeout=20)
    try:
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '500ms'")
            record_event(Actor.system(), "test.touch", obj)
    finally:
        release.set()
        thread.join(timeout=20)
    assert not errors, errors
    with transaction.atomic():
        third = record_event(Actor.system(), "test.touch", obj)
    assert third.seq == 3  # the refused writer took no number
    assert verify().ok
