"""Duplicates within the category's radius and window, merging, and splitting across departments."""

from datetime import timedelta

import pytest

from tests.operations.conftest import IN_G1A, actor, advance, report
from yiwang.core.actions import ActionError
from yiwang.core.notify.models import Notification
from yiwang.operations import actions as ops
from yiwang.operations.duplicates import haversine_m
from yiwang.operations.models import Case
from yiwang.operations.queries import duplicate_candidates

pytestmark = pytest.mark.django_db

NEAR = (IN_G1A[0] + 0.0003, IN_G1A[1])  # about 28 m east
FAR = (IN_G1A[0] + 0.0010, IN_G1A[1])  # about 95 m east


def test_haversine_matches_a_known_distance():
    # one hundredth of a degree of latitude is about 1,112 m
    assert haversine_m(121.4, 31.2, 121.4, 31.21) == pytest.approx(1111.95, rel=1e-3)


def test_a_nearby_report_of_the_same_category_is_a_candidate_far_or_other_category_is_not(world):
    first = report(world)
    near = report(world, at=NEAR)
    far = report(world, at=FAR)
    other = report(world, at=NEAR, category=world.unlicensed)
    candidates = duplicate_candidates(near)
    assert [c.case.pk for c in candidates] == [first.pk]
    assert 20 < candidates[0].distance_m < 40
    assert duplicate_candidates(far) == []
    assert duplicate_candidates(other) == []
    assert Case.objects.get(pk=near.pk).suspected_duplicate_of_id == first.pk


def test_an_old_or_finished_case_is_no_candidate(world):
    advance(world, report(world), "closed")
    assert duplicate_candidates(report(world, at=NEAR)) == []  # the only other case near is the one above
    old = Case.objects.filter(status="reported").get()
    Case.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=73))
    newest = report(world, at=NEAR)
    assert old.pk not in [c.case.pk for c in duplicate_candidates(newest)]
    assert duplicate_candidates(newest) == []


def test_reporter_of_a_public_category_is_told_it_was_already_reported(world):
    first = report(world)
    second = report(world, at=NEAR)
    told = Notification.objects.filter(subject_id=str(second.pk)).get()
    assert first.code in told.body


def test_merged_reporters_are_told_when_the_case_closes(world):
    first = report(world)
    second = report(world, at=NEAR, reporter={"name": "王五", "phone": "13700000000"})
    merged = ops.merge_into(actor(world.dispatcher), second, first, reason="Same heap")
    assert (merged.status, merged.merged_into_id) == ("merged", first.pk)
    Notification.objects.all().delete()
    advance(world, Case.objects.get(pk=first.pk), "closed")
    to_second = Notification.objects.filter(address="13700000000")
    assert to_second.count() == 1 and first.code in to_second.get().body


def test_merge_refuses_a_finished_target_and_itself(world):
    done = advance(world, report(world), "closed")
    case = report(world, at=NEAR)
    with pytest.raises(ActionError):
        ops.merge_into(actor(world.dispatcher), case, done)
    with pytest.raises(ActionError):
        ops.merge_into(actor(world.dispatcher), case, case)
    assert Case.objects.get(pk=case.pk).status == "reported"


def test_split_creates_dispatched_children_and_the_parent_closes_with_the_last_child(world):
    parent = advance(world, report(world), "registered")
    children = ops.split_case(
        actor(world.dispatcher),
        parent,
        [{"department": world.urban}, {"department": world.market, "description": "Unlicensed stall"}],
        reason="Two departments",
    )
    assert [c.status for c in children] == ["dispatched", "dispatched"]
    assert [c.department for c in children] == [world.urban, world.market]
    assert all(c.parent_id == parent.pk and c.code != parent.code for c in children)
    assert all(c.grid_code == "G1a" for c in children)
    assert Case.objects.get(pk=parent.pk).status == "split"
    first = ops.start_handling(actor(world.handler), children[0])
    advance(world, first, "closed")
    assert Case.objects.get(pk=parent.pk).status == "split"
    second = ops.start_handling(actor(world.market_handler), children[1])
    second = ops.mark_handled(actor(world.market_handler), second, notes="Stall removed")
    second = ops.verify(actor(world.grid_worker), second, passed=True)
    ops.close(actor(world.dispatcher), second)
    parent = Case.objects.get(pk=parent.pk)
    assert parent.status == "closed" and parent.closed_at is not None


def test_split_needs_at_least_two_parts(world):
    parent = advance(world, report(world), "registered")
    with pytest.raises(ActionError):
        ops.split_case(actor(world.dispatcher), parent, [{"department": world.urban}], reason="one")
