"""Who may do what with an application: one named question each, one condition per line."""

from __future__ import annotations

from yiwang.core import permissions
from yiwang.core.scope import acting_assignments, is_active_user

from . import workflow as wf


def roles_for(actor, application) -> set[str]:
    """The roles ``actor`` acts in on ``application`` (with the pseudo-roles applicant and system)."""
    user = actor.user
    if user is None:
        return {wf.SYSTEM}
    if not is_active_user(user):
        return set()
    roles = {a.role for a in acting_assignments(user)}
    if application.applicant_id is not None and application.applicant_id == user.pk:
        roles.add(wf.APPLICANT)
    elif application.applicant_id is None and application.channel == "window" and is_front_desk(user):
        roles.add(wf.APPLICANT)  # a resident without an account acts through the clerk at the window
    return roles


def is_front_desk(user) -> bool:
    """Any window clerk, for any item (zero-difference acceptance 无差别受理)."""
    return permissions.may_accept_applications(user)


def is_back_office_for(user, application) -> bool:
    """An approver of the item's department (or of a unit above it)."""
    return permissions.may_approve_for(user, application.department)


def may_view(user, application) -> bool:
    """The applicant, any window clerk, the department's approvers."""
    if not is_active_user(user):
        return False
    if application.applicant_id == user.pk:
        return True
    if is_front_desk(user):
        return True
    return is_back_office_for(user, application)


def may_consult(user, application) -> bool:
    """Write in the consult thread: window clerks and the department's specialists (approvers)."""
    if not is_active_user(user):
        return False
    if is_front_desk(user):
        return True
    return is_back_office_for(user, application)


def has_approver_role(user) -> bool:
    from yiwang.core.roles import Role
    from yiwang.core.scope import has_role

    return is_active_user(user) and has_role(user, Role.APPROVER)
