"""The shared transition-table engine: rows expand per source state, SAME keeps the state, refusals
name the action, the state and the allowed states, and roles are checked after existence."""

import pytest

from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.workflow import SAME, TransitionTable, Wording

WORDS = Wording(
    unknown="Unknown step %(action)s.",
    illegal="Cannot %(action)s when %(state)s; only when %(allowed)s.",
    forbidden="Only %(roles)s may %(action)s.",
    action_label=lambda action: action.upper(),
    state_label=lambda state: f"<{state}>",
    role_label=lambda role: role.title(),
)
ROWS = [
    ("start", ("new",), "running", {"clerk"}),
    ("poke", ("new", "running"), SAME, {"clerk", "boss"}),
    ("stop", ("running", "paused"), "done", {"boss"}),
]
TABLE = TransitionTable(ROWS, wording=WORDS)


def test_rows_expand_to_one_transition_per_source_in_table_order():
    assert list(TABLE.transitions) == [
        ("new", "start"),
        ("new", "poke"),
        ("running", "poke"),
        ("running", "stop"),
        ("paused", "stop"),
    ]
    assert TABLE.actions == ("start", "poke", "stop")
    assert TABLE.sources_of("stop") == ["running", "paused"]
    assert TABLE.transition("running", "stop").roles == frozenset({"boss"})
    assert TABLE.transition("new", "stop") is None


def test_allowed_actions_with_and_without_roles():
    assert TABLE.allowed_actions("running") == ["poke", "stop"]
    assert TABLE.allowed_actions("running", {"clerk"}) == ["poke"]
    assert TABLE.allowed_actions("done", {"clerk", "boss"}) == []


def test_check_returns_the_new_state_and_same_keeps_it():
    assert TABLE.check("new", "start", {"clerk"}) == "running"
    assert TABLE.check("running", "poke", {"boss"}) == "running"
    step = TABLE.transition("new", "poke")
    assert (step.state, step.new_state) == ("new", "new")


def test_an_action_not_possible_from_the_state_names_the_state_and_the_allowed_states():
    with pytest.raises(ActionError) as refused:
        TABLE.check("new", "stop", {"boss"})
    assert refused.value.code == "illegal_transition"
    assert refused.value.message == "Cannot STOP when <new>; only when <running>, <paused>."


def test_an_unknown_action_is_named_as_given():
    with pytest.raises(ActionError) as refused:
        TABLE.check("new", "fly", {"boss"})
    assert refused.value.code == "unknown_action" and refused.value.message == "Unknown step fly."


def test_a_possible_step_for_other_roles_is_a_permission_refusal_naming_the_roles():
    with pytest.raises(PermissionDenied) as refused:
        TABLE.check("running", "stop", {"clerk"})
    assert refused.value.message == "Only Boss may STOP."


def test_a_source_listed_twice_for_one_action_is_refused_when_the_table_is_built():
    with pytest.raises(ValueError, match="twice"):
        TransitionTable([("a", ("x",), "y", {"r"}), ("a", ("x",), "z", {"r"})])


def test_labellers_name_states_roles_and_markers_and_show_unknown_values_as_they_are():
    from yiwang.core.roles import Role
    from yiwang.core.workflow import choice_labeller, role_labeller
    from yiwang.operations.models import CaseStatus

    state = choice_labeller(CaseStatus)
    assert state(CaseStatus.DISPATCHED) == str(CaseStatus.DISPATCHED.label) != "dispatched"
    assert state("no-such-state") == "no-such-state"
    role = role_labeller({"@system": "the system"})
    assert role("@system") == "the system"
    assert role(Role.DISPATCHER) == str(Role.DISPATCHER.label)
    assert role("no-such-role") == "no-such-role"
