"""The case page offers exactly the actions the transition table and the person's scope allow — per role."""

import pytest

from tests.operations_web.staff_world import case_in, client_for, offered_actions
from yiwang.core.actor import Actor
from yiwang.operations.queries import allowed_actions_for
from yiwang.operations.workflow import A


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def page_of(world, user, case):
    response = client_for(user).get(f"/ops/cases/{case.code}/")
    return response


# (state, user attribute, the actions the page must offer) — written out, not derived from the code under test
EXPECTED = [
    ("reported", "dispatcher", [A.ACCEPT, A.REJECT, A.MERGE]),
    ("reported", "hotline", [A.ACCEPT, A.REJECT]),
    ("accepted", "dispatcher", [A.REGISTER, A.REJECT, A.MERGE]),
    ("registered", "dispatcher", [A.DISPATCH, A.SUPERVISE, A.SUSPEND, A.MERGE, A.SPLIT]),
    ("registered", "leader", [A.SUPERVISE]),
    ("dispatched", "handler", [A.START_HANDLING, A.RETURN]),
    ("dispatched", "ops", [A.DISPATCH, A.SUPERVISE, A.SUSPEND, A.MERGE]),
    ("handling", "handler", [A.MARK_HANDLED, A.REQUEST_EXTENSION, A.RETURN]),
    ("handled", "grid_worker", [A.VERIFY_PASS, A.VERIFY_FAIL]),
    ("handled", "handler", []),
    ("verified", "dispatcher", [A.CLOSE]),
    ("closed", "hotline", [A.EVALUATE, A.REOPEN]),
    ("closed", "dispatcher", []),
]


@pytest.mark.parametrize("state,who,expected", EXPECTED)
def test_the_page_offers_exactly_these_actions(world, state, who, expected):
    case = case_in(world, state)
    user = getattr(world, who)
    response = page_of(world, user, case)
    assert response.status_code == 200
    offered = offered_actions(response)
    assert sorted(offered) == sorted(expected)
    # and they are what the core says this person may do now
    assert sorted(offered) == sorted(a for a in allowed_actions_for(Actor(user=user), case) if a != A.ESCALATE)


def test_someone_of_another_subdistrict_does_not_see_the_case_at_all(world):
    case = case_in(world, "registered")
    assert page_of(world, world.dispatcher_s2, case).status_code == 404


def test_a_resident_cannot_open_staff_pages(world):
    case = case_in(world, "registered")
    assert client_for(world.resident).get(f"/ops/cases/{case.code}/").status_code == 403
    assert client_for(world.resident).get("/ops/queue/").status_code == 403


def test_posting_an_action_one_may_not_take_is_refused_and_changes_nothing(world):
    case = case_in(world, "dispatched")
    seen = case.version
    response = client_for(world.handler).post(
        f"/ops/cases/{case.code}/act/{A.DISPATCH}/", {"dispatch-version": case.version, "dispatch-department": ""}
    )
    assert response.status_code == 403
    assert "You may not" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "dispatched" and case.version == seen


def test_the_page_shows_the_deadline_and_marks_a_provisional_one(world):
    from yiwang.core.workcal.models import Clock

    case = case_in(world, "dispatched")
    body = client_for(world.dispatcher).get(f"/ops/cases/{case.code}/").content.decode()
    assert 'id="deadline"' in body and case.due_at is not None
    assert 'id="provisional"' not in body
    Clock.objects.filter(subject_type="operations.case", subject_id=str(case.pk), kind="handle").update(
        provisional=True
    )
    body = client_for(world.dispatcher).get(f"/ops/cases/{case.code}/").content.decode()
    assert 'id="provisional"' in body


def test_the_timeline_holds_status_assignment_place_and_notes(world):
    case = case_in(world, "handled")
    body = client_for(world.dispatcher).get(f"/ops/cases/{case.code}/").content.decode()
    for kind in ("status", "assignment", "place", "note"):
        assert f"entry-{kind}" in body, kind
    assert "Cleared" in body  # the handler's note
    assert "Urban management" in body  # the assignment
