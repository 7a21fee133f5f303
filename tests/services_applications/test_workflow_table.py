"""The application lifecycle table: each transition allowed for its roles, refused for others, and
every transition absent from the table refused with a message naming the allowed states."""

import pytest

from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.roles import Role
from yiwang.services.applications import workflow as wf
from yiwang.services.applications.states import Status as S

ALL_ROLES = {r.value for r in Role} | {wf.APPLICANT, wf.SYSTEM}


@pytest.mark.parametrize("transition", list(wf.TRANSITIONS.values()), ids=lambda t: f"{t.source}-{t.action}")
def test_each_transition_is_allowed_for_its_roles_and_refused_for_the_others(transition):
    for role in transition.roles:
        target = wf.check(transition.source, transition.action, {role})
        expected = transition.source if transition.target == wf.SAME else transition.target
        assert target == expected
    for role in ALL_ROLES - transition.roles:
        with pytest.raises(PermissionDenied) as refused:
            wf.check(transition.source, transition.action, {role})
        assert "Only " in str(refused.value.message)


def _illegal_pairs():
    for state in S:
        for action in wf.ACTIONS:
            if (state.value, action) not in wf.TRANSITIONS:
                yield state.value, action


@pytest.mark.parametrize("state,action", list(_illegal_pairs()))
def test_an_illegal_transition_is_refused_naming_the_states_where_it_is_possible(state, action):
    with pytest.raises(ActionError) as refused:
        wf.check(state, action, ALL_ROLES)
    assert refused.value.code == "illegal_transition"
    message = str(refused.value.message)
    assert str(S(state).label) in message
    for source in wf.sources_of(action):
        assert str(S(source).label) in message


def test_the_happy_path_reaches_delivery_through_correction():
    path = [
        (wf.A.SUBMIT, wf.APPLICANT, S.SUBMITTED),
        (wf.A.ACCEPT, Role.WINDOW_CLERK, S.ACCEPTED),
        (wf.A.REQUEST_CORRECTION, Role.APPROVER, S.CORRECTION_REQUESTED),
        (wf.A.CORRECT, wf.APPLICANT, S.SUBMITTED),
        (wf.A.ACCEPT, Role.WINDOW_CLERK, S.ACCEPTED),
        (wf.A.START_REVIEW, Role.APPROVER, S.UNDER_REVIEW),
        (wf.A.APPROVE, Role.APPROVER, S.APPROVED),
        (wf.A.DELIVER, Role.WINDOW_CLERK, S.DELIVERED),
    ]
    state = S.DRAFT
    for action, role, expected in path:
        state = wf.check(state, action, {role})
        assert state == expected
    assert state in wf.TERMINAL_STATES


def test_no_action_leaves_a_terminal_state():
    for state in wf.TERMINAL_STATES:
        assert wf.allowed_actions(state, ALL_ROLES) == []


def test_withdrawal_is_possible_only_before_a_decision():
    for state in S:
        allowed = wf.A.WITHDRAW in wf.allowed_actions(state, {wf.APPLICANT})
        assert allowed == (state not in wf.DECIDED_STATES and state not in wf.TERMINAL_STATES)


def test_an_unknown_action_is_named():
    with pytest.raises(ActionError) as refused:
        wf.check(S.DRAFT, "teleport", ALL_ROLES)
    assert refused.value.code == "unknown_action"
    assert "teleport" in str(refused.value.message)
