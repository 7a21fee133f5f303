"""Concurrent writers: one chain never hands out a seq twice; different chains do not wait for each other."""

import threading

import pytest
from django.db import connection, transaction

from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import chain_for, record_event, verify


def _writer(obj, count, errors, barrier):
    try:
        barrier.wait(timeout=10)
        for i in range(count):
            with transaction.atomic():
                record_event(Actor.system(), "test.touch", obj, after={"n": i})
    except Exception as exc:  # surfaced by the test
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_to_one_chain_never_duplicate_a_seq():
    obj = ("test.thing", "shared")
    errors, barrier = [], threading.Barrier(2)
    threads = [threading.Thread(target=_writer, args=(obj, 25, errors, barrier)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    seqs = list(AuditEvent.objects.filter(chain=chain_for(*obj)).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 51))
    assert verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_holding_one_chain_does_not_block_a_writer_of_another_chain():
    a, b = ("test.thing", "a"), ("test.thing", "b")
    n = 0
    while chain_for(*b) == chain_for(*a):
        n += 1
        b = ("test.thing", f"b{n}")
    holding, release, errors = threading.Event(), threading.Event(), []

    def hold_chain_a():
        try:
            with transaction.atomic():
                record_event(Actor.system(), "test.touch", a)
                holding.set()
                release.wait(timeout=20)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_chain_a)
    thread.start()
    assert holding.wait(timeout=20)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            record_event(Actor.system(), "test.touch", b)  # would time out if it waited on chain a
    finally:
        release.set()
        thread.join(timeout=20)
    assert not errors, errors
    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_transactions_touching_two_objects_in_opposite_orders_do_not_deadlock():
    a, b = ("test.thing", "a"), ("test.thing", "b")
    n = 0
    while chain_for(*b) == chain_for(*a):
        n += 1
        b = ("test.thing", f"b{n}")
    first_done, errors = [threading.Event(), threading.Event()], []

    def write(i, objects):
        # each appends on its first object, waits until the other has too, then appends on its second:
        # with one chain per object, each would hold one head and wait for the other's (a deadlock)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                record_event(Actor.system(), "test.touch", objects[0])
                first_done[i].set()
                first_done[1 - i].wait(timeout=1)
                record_event(Actor.system(), "test.touch", objects[1])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(0, (a, b))), threading.Thread(target=write, args=(1, (b, a)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert AuditEvent.objects.filter(action="test.touch").count() == 4
    assert verify().ok
