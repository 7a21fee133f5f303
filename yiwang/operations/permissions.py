"""Who may act on which case: the roles of the transition table, narrowed to the case's area and department.

``workflow.check`` decides whether a *role* may take an action at all; the functions here decide whether
this person holds that role *for this case* (its subdistrict, grid, department or handling team). One
named question each, one condition per line; the general checks live in ``yiwang.core.permissions``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions as core_perms
from yiwang.core.actions import PermissionDenied
from yiwang.core.masking import mask_name, mask_phone
from yiwang.core.roles import OrgKind, Role
from yiwang.core.scope import (
    acting_assignments,
    grid_codes,
    is_active_user,
    org_units_for,
    subdistrict_codes,
    unit_within,
)

from .models.cases import CaseChannel
from .workflow import REPORTER, SYSTEM, TRANSITIONS


def held_roles(actor, case=None) -> set[str]:
    """The roles the actor acts in (plus ``system`` and ``reporter`` where they apply)."""
    if actor.user is None:
        return {SYSTEM}
    roles = {a.role for a in acting_assignments(actor.user)}
    if case is not None and case.reporter_id and case.reporter_id == actor.user.pk:
        roles.add(REPORTER)
    return roles


def handles_team(user, team) -> bool:
    """The user works in the case's handling team (a grid team or a subdistrict grid centre)."""
    if team is None:
        return False
    if any(unit_within(team, unit) for unit in org_units_for(user, Role.GRID_WORKER, Role.DEPARTMENT_HANDLER)):
        return True
    if team.kind == OrgKind.GRID_TEAM and team.territory_code:
        return team.territory_code in grid_codes(user, Role.GRID_WORKER)
    if team.kind == OrgKind.GRID_CENTRE and team.territory_code:
        return team.territory_code in subdistrict_codes(user, Role.GRID_WORKER)
    return False


def may_handle_case(user, case) -> bool:
    """Handle a dispatched case: a handler of its department, or a member of its handling team."""
    if not is_active_user(user):
        return False
    if core_perms.may_handle_for_department(user, case.department):
        return True
    return handles_team(user, case.team)


def role_covers_case(user, role: str, case, action: str) -> bool:
    """Whether ``user`` holds ``role`` for this case's area or assignment (the scope half of a permission)."""
    if role in (Role.OPERATIONS_CENTRE, Role.HOTLINE_OPERATOR, Role.LEADER):
        return True
    if role == REPORTER:
        return case.reporter_id == user.pk
    if role == Role.DISPATCHER:
        return core_perms.may_dispatch_in(user, case.subdistrict_code)
    if role == Role.DEPARTMENT_HANDLER:
        return may_handle_case(user, case)
    if role == Role.GRID_WORKER and action in ("verify_pass", "verify_fail"):
        return core_perms.may_verify_in_grid(user, case.grid_code, case.subdistrict_code)
    if role == Role.GRID_WORKER:
        return handles_team(user, case.team)
    return False


def require_case_action(actor, case, action: str) -> set[str]:
    """Raise unless the actor holds one of the action's roles *for this case*; return the roles that do."""
    roles = held_roles(actor, case)
    if SYSTEM in roles:
        return roles
    transition = TRANSITIONS.get((case.status, action))
    wanted = roles & set(transition.roles) if transition else roles
    covering = {role for role in wanted if role_covers_case(actor.user, role, case, action)}
    if wanted and not covering:
        raise PermissionDenied(
            _("Case %(code)s lies outside your area or department (subdistrict %(sub)s, grid %(grid)s).")
            % {"code": case.code, "sub": case.subdistrict_code or "—", "grid": case.grid_code or "—"}
        )
    return covering | (roles - wanted)


# --- reporting ------------------------------------------------------------------------------------


def may_report_via(actor, channel: str, *, subdistrict_code: str = "", grid_code: str = "") -> bool:
    """Record a new case through ``channel``: who may speak for each intake channel."""
    user = actor.user
    if channel == CaseChannel.IOT:
        return user is None
    if user is None:
        return True  # other contexts (Open311 gateway, simulators) report as the system
    if channel == CaseChannel.PHOTO_REPORT:
        return is_active_user(user)
    if channel == CaseChannel.HOTLINE:
        return core_perms.may_report_on_behalf(user)
    if channel == CaseChannel.GRID_PATROL:
        return core_perms.may_patrol_in_grid(user, grid_code, subdistrict_code) or core_perms.may_dispatch_in(
            user, subdistrict_code
        )
    if channel == CaseChannel.LEADER_INSTRUCTION:
        return core_perms.may_instruct(user)
    if channel in (CaseChannel.JOINT_DUTY, CaseChannel.EMERGENCY_DUTY):
        return core_perms.may_dispatch_in(user, subdistrict_code) or core_perms.may_report_on_behalf(user)
    return False


# --- personal data --------------------------------------------------------------------------------


def may_see_reporter_contact(user, case) -> bool:
    """Read the reporter's unmasked name and phone: the reporter, the hotline, and staff handling this case."""
    if user is None:
        return False
    if case.reporter_id and case.reporter_id == user.pk:
        return True
    if core_perms.may_view_personal_data(user, core_perms.Purpose.HOTLINE):
        return True
    if not core_perms.may_view_personal_data(user, core_perms.Purpose.CASE_HANDLING, case.reporter):
        return False
    roles = {a.role for a in acting_assignments(user)}
    return any(role_covers_case(user, role, case, "view") for role in roles)


def reporter_contact(case, viewer) -> dict:
    """The reporter as ``viewer`` may see it: full for those who need it, masked for everyone else."""
    if case.reporter_anonymous:
        return {"name": str(_("anonymous 匿名")), "phone": "", "masked": True, "anonymous": True}
    name = case.reporter_name or (case.reporter.display_name if case.reporter_id and case.reporter else "")
    phone = case.reporter_phone or (case.reporter.phone if case.reporter_id and case.reporter else "")
    if may_see_reporter_contact(viewer, case):
        return {"name": name, "phone": phone, "masked": False, "anonymous": False}
    return {"name": mask_name(name), "phone": mask_phone(phone), "masked": True, "anonymous": False}
