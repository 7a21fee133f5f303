"""The rectification lifecycle as data: (state, action) → new state, and who may take each step.

    open ──contact──▶ contacted ──contact──▶ contacted ──close──▶ closed

A rectification is closed only after the resident was contacted at least once (the closing record
holds what was done and the resident's response). Two flags run beside the states: ``overdue`` (the
5-working-day deadline passed while not closed) and ``escalated`` (raised to the parent unit, once).
Plain Python: no Django import, so the table is easy to read and to walk in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    new_state: str
    roles: frozenset  # role values, or SYSTEM; department roles are scoped to the responsible unit

    @property
    def is_flag(self) -> bool:
        return self.state == self.new_state and self.action in (MARK_OVERDUE, ESCALATE)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(OPEN, CONTACT, CONTACTED, DEPARTMENT_ROLES | CENTRE_ROLES),
    Transition(CONTACTED, CONTACT, CONTACTED, DEPARTMENT_ROLES | CENTRE_ROLES),
    Transition(CONTACTED, CLOSE, CLOSED, DEPARTMENT_ROLES | CENTRE_ROLES),
    # flags: the state stays, a flag is set
    Transition(OPEN, MARK_OVERDUE, OPEN, frozenset({SYSTEM})),
    Transition(CONTACTED, MARK_OVERDUE, CONTACTED, frozenset({SYSTEM})),
    Transition(OPEN, ESCALATE, OPEN, frozenset({SYSTEM}) | CENTRE_ROLES),
    Transition(CONTACTED, ESCALATE, CONTACTED, frozenset({SYSTEM}) | CENTRE_ROLES),
)

_TABLE = {(t.state, t.action): t for t in TRANSITIONS}


def transition(state: str, action: str) -> Transition | None:
    """The transition of ``action`` from ``state``, or None when the lifecycle does not allow it."""
    return _TABLE.get((state, action))


def allowed_actions(state: str) -> list[str]:
    return [t.action for t in TRANSITIONS if t.state == state]


def is_active(state: str) -> bool:
    return state in ACTIVE_STATES
