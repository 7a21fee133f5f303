"""Walk the transition table: every transition allowed for its roles, refused for the others,
and every (state, action) pair missing from the table refused with a message naming both."""

import pytest

from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.roles import Role
from yiwang.operations import workflow
from yiwang.operations.models import CaseStatus

ALL_ROLES = [r.value for r in Role] + [workflow.SYSTEM, workflow.REPORTER]
ALL_STATES = [s.value for s in CaseStatus]


@pytest.mark.parametrize(("state", "action"), sorted(workflow.TRANSITIONS))
def test_each_transition_is_allowed_for_exactly_its_roles(state, action):
    transition = workflow.TRANSITIONS[(state, action)]
    for role in ALL_ROLES:
        if role in transition.roles:
            target = workflow.check(state, action, {role}, previous=CaseStatus.DISPATCHED)
            if transition.target == workflow.SAME:
                assert target == state
            elif transition.target == workflow.PREVIOUS:
                assert target == CaseStatus.DISPATCHED
            else:
                assert target == transition.target
        else:
            with pytest.raises(PermissionDenied) as refused:
                workflow.check(state, action, {role})
            assert str(workflow.ACTION_LABELS[action]) in str(refused.value.message)


def test_every_pair_missing_from_the_table_is_refused_naming_state_and_allowed_states():
    refused = 0
    for state in ALL_STATES:
        for action in workflow.ACTIONS:
            if (state, action) in workflow.TRANSITIONS:
                continue
            with pytest.raises(ActionError) as err:
                workflow.check(state, action, set(ALL_ROLES))
            assert err.value.code == "illegal_transition"
            message = str(err.value.message)
            assert str(CaseStatus(state).label) in message
            for source in workflow.sources_of(action):
                assert str(CaseStatus(source).label) in message
            refused += 1
    assert refused == len(ALL_STATES) * len(workflow.ACTIONS) - len(workflow.TRANSITIONS)


def test_unknown_action_is_refused():
    with pytest.raises(ActionError) as err:
        workflow.check(CaseStatus.REPORTED, "teleport", set(ALL_ROLES))
    assert err.value.code == "unknown_action"


def test_terminal_states_have_no_way_out_except_reopen():
    for state in (CaseStatus.REJECTED, CaseStatus.MERGED):
        assert workflow.allowed_actions(state, set(ALL_ROLES)) == []
    assert workflow.allowed_actions(CaseStatus.CLOSED, set(ALL_ROLES)) == ["evaluate", "reopen"]
    assert workflow.allowed_actions(CaseStatus.EVALUATED, set(ALL_ROLES)) == ["reopen"]


def test_main_loop_is_reachable_in_order():
    state = CaseStatus.REPORTED
    path = ["accept", "register", "dispatch", "start_handling", "mark_handled", "verify_pass", "close", "evaluate"]
    for action in path:
        state = workflow.check(state, action, set(ALL_ROLES))
    assert state == CaseStatus.EVALUATED
