"""The rectification lifecycle as data: (state, action) → new state, and who may take each step.

    open ──contact──▶ contacted ──contact──▶ contacted ──close──▶ closed

A rectification is closed only after the resident was contacted at least once (the closing record
holds what was done and the resident's response). Two flags run beside the states: ``overdue`` (the
5-working-day deadline passed while not closed) and ``escalated`` (raised to the parent unit, once).
Plain Python: no Django import (the shared engine, ``yiwang.core.workflow``, is plain Python too), so the
table is easy to read and to walk in tests. The roles are checked by ``access.may_take_step``, scoped
to the responsible unit, so the table is asked only whether a step exists (:func:`transition`).
"""

from __future__ import annotations

from yiwang.core import workflow

OPEN = "open"
CONTACTED = "contacted"
CLOSED = "closed"
STATES = (OPEN, CONTACTED, CLOSED)
ACTIVE_STATES = (OPEN, CONTACTED)

CONTACT = "contact"
CLOSE = "close"
MARK_OVERDUE = "mark_overdue"
ESCALATE = "escalate"

# roles (values of yiwang.core.roles.Role) that act for the responsible department
DEPARTMENT_ROLES = frozenset({"department_handler", "window_clerk", "approver", "dispatcher"})
CENTRE_ROLES = frozenset({"operations_centre"})
SYSTEM = "system"  # the deadline clock / periodic sweep


class Transition(workflow.Transition):
    """A step; its roles are role values or SYSTEM (department roles are scoped to the responsible unit)."""

    @property
    def is_flag(self) -> bool:
        return self.state == self.new_state and self.action in (MARK_OVERDUE, ESCALATE)


STEP_ROLES = DEPARTMENT_ROLES | CENTRE_ROLES

# (action, from states, to state, roles) — flags keep the state and set a flag
TABLE = workflow.TransitionTable(
    [
        (CONTACT, (OPEN, CONTACTED), CONTACTED, STEP_ROLES),
        (CLOSE, (CONTACTED,), CLOSED, STEP_ROLES),
        (MARK_OVERDUE, (OPEN, CONTACTED), workflow.SAME, frozenset({SYSTEM})),
        (ESCALATE, (OPEN, CONTACTED), workflow.SAME, frozenset({SYSTEM}) | CENTRE_ROLES),
    ],
    transition_class=Transition,
)
TRANSITIONS: tuple[Transition, ...] = tuple(TABLE)


def transition(state: str, action: str) -> Transition | None:
    """The transition of ``action`` from ``state``, or None when the lifecycle does not allow it."""
    return TABLE.transition(state, action)


def allowed_actions(state: str) -> list[str]:
    return TABLE.allowed_actions(state)


def is_active(state: str) -> bool:
    return state in ACTIVE_STATES
