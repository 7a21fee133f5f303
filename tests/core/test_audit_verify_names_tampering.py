"""`verify` finds each kind of tampering with the audit trail and names the chain, seq and row."""

import pytest
from django.db import connection, transaction

from yiwang.core.actor import Actor
from yiwang.core.audit.hashing import anchor_hash, event_hash
from yiwang.core.audit.models import AuditAnchor, AuditChainHead, AuditEvent
from yiwang.core.audit.trail import anchor_heads, chain_for, record_event, verify

OBJ = ("test.thing", "1")
CHAIN = chain_for(*OBJ)
TABLE = AuditEvent._meta.db_table


def write(count, obj=OBJ):
    with transaction.atomic():
        for i in range(count):
            record_event(Actor.system(), "test.touch", obj, after={"n": i})


def row(seq):
    return AuditEvent.objects.get(chain=CHAIN, seq=seq)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def problems(report):
    return [(p.kind, p.chain, p.seq, p.row_id) for p in report.problems]


@pytest.fixture
def trail(db):
    write(6)
    write(3, ("test.other", "2"))
    assert chain_for("test.other", "2") != CHAIN
    report = verify()
    assert report.ok, report.problems
    assert (report.rows, report.chains) == (9, 2)


def test_an_edited_row_is_named(trail):
    target = row(3)
    sql(f"UPDATE {TABLE} SET actor_label = %s WHERE id = %s", ["someone else", target.id])  # noqa: S608
    assert problems(verify()) == [("edited", CHAIN, 3, target.id)]


def test_a_row_rewritten_with_a_fresh_hash_is_named(trail):
    target = row(3)
    target.actor_label = "someone else"
    new_hash = event_hash(target)
    sql(f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE id = %s", ["someone else", new_hash, target.id])  # noqa: S608
    assert problems(verify()) == [("edited", CHAIN, 3, target.id)]


def test_a_row_inserted_past_the_head_is_named(trail):
    last = row(6)
    forged = AuditEvent(
        chain=CHAIN,
        seq=7,
        at=last.at,
        actor_label="intruder",
        action="test.touch",
        object_type=OBJ[0],
        object_id=OBJ[1],
        summary={},
        channel="web",
        algorithm="sha256",
        prev_hash=last.hash,
    )
    forged.hash = event_hash(forged)
    forged.save()
    assert problems(verify()) == [("inserted", CHAIN, 7, forged.id)]


def test_a_row_squeezed_into_the_middle_is_named_and_the_renumbering_reported_once(trail):
    before = row(3)
    sql(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE chain = %s AND seq >= 4", [CHAIN])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = seq - 999 WHERE chain = %s AND seq >= 1000", [CHAIN])  # noqa: S608
    forged = AuditEvent(
        chain=CHAIN,
        seq=4,
        at=before.at,
        actor_label="intruder",
        action="test.touch",
        object_type=OBJ[0],
        object_id=OBJ[1],
        summary={},
        channel="web",
        algorithm="sha256",
        prev_hash=before.hash,
    )
    forged.hash = event_hash(forged)
    forged.save()
    found = problems(verify())
    assert found[0] == ("inserted", CHAIN, 4, forged.id)
    assert [p[0] for p in found] == ["inserted", "renumbered"]


def test_a_row_deleted_in_the_middle_is_named(trail):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [row(3).id])  # noqa: S608
    assert problems(verify()) == [("deleted", CHAIN, 3, None)]


def test_a_row_deleted_with_later_rows_renumbered_down_is_named(trail):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [row(3).id])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = seq + 999 WHERE chain = %s AND seq > 3", [CHAIN])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = seq - 1000 WHERE chain = %s AND seq > 1000", [CHAIN])  # noqa: S608
    AuditChainHead.objects.filter(chain=CHAIN).update(seq=5)
    moved = row(3)
    found = problems(verify())
    assert found[0] == ("deleted", CHAIN, 3, moved.id)
    assert [p[0] for p in found] == ["deleted", "renumbered"]


def test_a_deleted_tail_row_is_named(trail):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [row(6).id])  # noqa: S608
    assert problems(verify()) == [("deleted", CHAIN, 6, None)]


def test_a_deleted_tail_with_the_head_rewound_is_caught_by_the_anchor(trail):
    anchor_heads()
    fifth = row(5)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [row(6).id])  # noqa: S608
    AuditChainHead.objects.filter(chain=CHAIN).update(seq=5, hash=fifth.hash)
    assert problems(verify()) == [("deleted", CHAIN, 6, None)]
    assert "anchored" in str(verify().problems[0])


def test_a_tampered_anchor_is_named(trail):
    first = anchor_heads()
    write(1)
    second = anchor_heads()
    heads = dict(first.heads)
    heads[str(CHAIN)] = [2, heads[str(CHAIN)][1]]
    AuditAnchor.objects.filter(pk=first.pk).update(heads=heads)
    found = problems(verify())
    assert ("anchor", None, None, first.pk) in found
    assert ("anchor", None, None, second.pk) not in found  # the next anchor still links to the stored hash


def test_an_anchor_rewritten_with_a_fresh_hash_breaks_the_next_anchor(trail):
    first = anchor_heads()
    second = anchor_heads()
    first.heads = {}
    AuditAnchor.objects.filter(pk=first.pk).update(heads={}, hash=anchor_hash(first))
    assert ("anchor", None, None, second.pk) in problems(verify())


def test_a_rewritten_last_row_is_caught_by_head_and_anchor(trail):
    anchor_heads()
    target = row(6)
    target.actor_label = "someone else"
    sql(
        f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE id = %s", ["someone else", event_hash(target), target.id]
    )  # noqa: S608
    found = problems(verify())
    assert ("edited", CHAIN, 6, target.id) in found
    assert ("head", CHAIN, 6, target.id) in found
