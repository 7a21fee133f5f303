"""Who may do what in the reviews context: one named question each, one condition per line."""

from __future__ import annotations

import secrets

from yiwang.core.roles import Role
from yiwang.core.scope import has_role, is_active_user, is_district_wide, is_system_admin, org_units_for, unit_within

from . import workflow

# staff roles whose actions (closing a case, serving at a window, deciding an application) offer a rating
OPENER_ROLES = (
    Role.HOTLINE_OPERATOR,
    Role.GRID_WORKER,
    Role.DISPATCHER,
    Role.DEPARTMENT_HANDLER,
    Role.OPERATIONS_CENTRE,
    Role.WINDOW_CLERK,
    Role.APPROVER,
)
STATS_ROLES = (Role.OPERATIONS_CENTRE, Role.LEADER, Role.DEPARTMENT_HANDLER, Role.WINDOW_CLERK, Role.APPROVER)


def may_open_opportunity(actor, rater=None) -> bool:
    """Offer a rating: the system (another context's action), staff, or a resident for their own matter."""
    user = actor.user
    if user is None:
        return True
    if not is_active_user(user):
        return False
    if has_role(user, *OPENER_ROLES):
        return True
    return rater is not None and rater.pk == user.pk


def token_matches(opportunity, token: str | None) -> bool:
    """The presented token is the opportunity's (compared in constant time)."""
    if not token:
        return False
    return secrets.compare_digest(str(token), opportunity.token)


def may_rate(actor, opportunity, token: str | None = None) -> bool:
    """Rate an opportunity: whoever holds its token (QR code, SMS link), or the rater it was opened for."""
    if token_matches(opportunity, token):
        return True
    user = actor.user if actor is not None else None
    if not is_active_user(user):
        return False
    if opportunity.rater_id is None:
        return False
    return opportunity.rater_id == user.pk


def acts_for_unit(user, org_unit, roles) -> bool:
    """The user holds one of ``roles`` for ``org_unit`` or for a unit above it."""
    if org_unit is None:
        return False
    return any(unit_within(org_unit, unit) for unit in org_units_for(user, *roles))


def may_take_step(actor, rectification, step: workflow.Transition) -> bool:
    """Take a lifecycle step on a rectification (the roles come from the transition table)."""
    user = actor.user
    if user is None:
        return workflow.SYSTEM in step.roles
    if not is_active_user(user):
        return False
    if step.roles & workflow.CENTRE_ROLES and is_district_wide(user):
        return True
    return acts_for_unit(user, rectification.org_unit, step.roles & workflow.DEPARTMENT_ROLES)


def may_view_rectifications(user, org_unit=None) -> bool:
    """See a department's rectifications: its staff (or staff of a unit above it), or the operations centre."""
    if not is_active_user(user):
        return False
    if is_district_wide(user):
        return True
    if org_unit is None:
        return bool(org_units_for(user, *workflow.DEPARTMENT_ROLES))
    return acts_for_unit(user, org_unit, workflow.DEPARTMENT_ROLES)


def may_view_stats(user) -> bool:
    """Read rating statistics: the operations centre, leaders, department and service staff, administrators."""
    if not is_active_user(user):
        return False
    if is_system_admin(user):
        return True
    return has_role(user, *STATS_ROLES)
