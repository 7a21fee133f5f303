"""What a person may do with a case now (the case page's buttons)."""

from __future__ import annotations

from yiwang.core.actor import Actor

from .. import workflow
from ..permissions import held_roles, role_covers_case


def allowed_actions_for(actor: Actor, case) -> list[str]:
    """The transition-table actions ``actor`` may take on ``case`` in its current state, scope included."""
    roles = held_roles(actor, case)
    if workflow.SYSTEM in roles:
        return workflow.allowed_actions(case.status, roles)
    result = []
    for name in workflow.allowed_actions(case.status, roles):
        wanted = roles & set(workflow.TRANSITIONS[(case.status, name)].roles)
        if any(role_covers_case(actor.user, role, case, name) for role in wanted):
            result.append(name)
    return result
