"""Two people act on one case at the same moment: one wins, the other gets Conflict — no lost update.

The threaded races need PostgreSQL (the in-memory SQLite test database locks whole tables); on both
databases the interleaving test proves that the version check at commit time refuses the loser.
"""

import threading

import pytest
from django.db import connection

from tests.operations.conftest import actor, advance, build_world, report
from yiwang.core.actions import ActionError, Conflict
from yiwang.operations import actions as ops
from yiwang.operations.models import Case, CaseAssignment, CaseStatusChange


def race(*calls):
    """Run each call in its own thread (own database connection), released together; return results/errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=20)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_dispatching_the_same_version_one_wins_one_conflicts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    case = advance(world, report(world), "registered")
    seen = case.version
    results = race(
        lambda: ops.dispatch(actor(world.dispatcher), case.pk, department=world.urban, expected_version=seen),
        lambda: ops.dispatch(actor(world.ops), case.pk, department=world.market, expected_version=seen),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert case.code in str(losers[0].message)
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == seen + 1
    assert stored.department_id == winners[0].department_id
    assert CaseAssignment.objects.filter(case=case).count() == 1
    assert CaseStatusChange.objects.filter(case=case, action="dispatch").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_handlers_acting_at_once_without_a_version_cannot_both_move_the_case(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    case = advance(world, report(world), "handling")
    results = race(
        lambda: ops.mark_handled(actor(world.handler), case.pk, notes="Cleared by A"),
        lambda: ops.return_case(actor(world.handler), case.pk, reason="Not ours, says B"),
    )
    winners = [r for r in results if isinstance(r, Case)]
    refused = [r for r in results if isinstance(r, ActionError)]
    assert len(winners) == 1 and len(refused) == 1, results
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == winners[0].status
    assert CaseStatusChange.objects.filter(case=case).count() == 6  # reported … handling + the one winner


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_a_clear_message_and_nothing_written(world):
    case = advance(world, report(world), "registered")
    seen = case.version
    ops.dispatch(actor(world.dispatcher), case, department=world.urban, expected_version=seen)
    rows = CaseStatusChange.objects.filter(case=case).count()
    with pytest.raises(Conflict) as err:
        ops.dispatch(actor(world.ops), case, department=world.market, expected_version=seen)
    assert case.code in str(err.value.message)
    assert str(seen) in str(err.value.message)
    stored = Case.objects.get(pk=case.pk)
    assert stored.department == world.urban
    assert CaseStatusChange.objects.filter(case=case).count() == rows


@pytest.mark.django_db
def test_a_change_committed_between_the_check_and_the_write_makes_the_loser_conflict(world, monkeypatch):
    """The winner writes after the loser checked the state (SQLite takes no row lock): the loser's
    conditional UPDATE (WHERE version = n) finds no row and raises Conflict; its writes roll back."""
    from yiwang.operations.actions import _base

    case = advance(world, report(world), "handling")
    original = _base.require_case_action

    def winner_writes_meanwhile(actor_, row, action):
        roles = original(actor_, row, action)
        Case.objects.filter(pk=row.pk).update(version=row.version + 1, status="returned")
        return roles

    monkeypatch.setattr(_base, "require_case_action", winner_writes_meanwhile)
    before = CaseStatusChange.objects.filter(case=case).count()
    with pytest.raises(Conflict):
        ops.mark_handled(actor(world.handler), case, notes="Cleared")
    assert CaseStatusChange.objects.filter(case=case).count() == before
