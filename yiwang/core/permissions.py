"""Permission checks: one named question each, one condition per line (as Zulip's ``access_*``).

Every check takes the user first and returns a bool; actions call them through
``yiwang.core.actions.require(...)``. Rules common to all of them:

* anonymous users, inactive users and inactive role assignments never pass, nor do assignments to an
  org unit that is closed (``valid_to`` reached);
* the district operations centre acts district-wide;
* system administrators (the role, or Django's superuser flag) manage configuration but do not see
  personal data unless ``settings.PRIVACY["ADMINS_SEE_PERSONAL_DATA"]`` says so.

Territory codes are passed in by the caller (the territory context knows a grid's subdistrict), so
this module never imports the territory context.
"""

from __future__ import annotations

from django.conf import settings

from .roles import Role
from .scope import (
    department_units,
    grid_codes,
    has_role,
    is_active_user,
    is_district_wide,
    is_system_admin,
    org_units_for,
    subdistrict_codes,
    unit_within,
)


class Purpose:
    """Why someone wants to read a person's full (unmasked) personal data."""

    CASE_HANDLING = "case_handling"  # contact a reporter, visit on site
    HOTLINE = "hotline"  # call a caller back
    APPLICATION = "application"  # accept or decide an application
    ASSISTANCE = "assistance"  # social assistance, eldercare follow-up
    ACCOUNT = "account"  # look after a user account in the back office


PURPOSE_ROLES: dict[str, frozenset[str]] = {
    Purpose.CASE_HANDLING: frozenset(
        {Role.DISPATCHER, Role.DEPARTMENT_HANDLER, Role.GRID_WORKER, Role.OPERATIONS_CENTRE}
    ),
    Purpose.HOTLINE: frozenset({Role.HOTLINE_OPERATOR, Role.OPERATIONS_CENTRE}),
    Purpose.APPLICATION: frozenset({Role.WINDOW_CLERK, Role.APPROVER}),
    Purpose.ASSISTANCE: frozenset({Role.DEPARTMENT_HANDLER, Role.OPERATIONS_CENTRE}),
    Purpose.ACCOUNT: frozenset(),
}


def _admins_see_personal_data() -> bool:
    return bool(getattr(settings, "PRIVACY", {}).get("ADMINS_SEE_PERSONAL_DATA", False))


# --- city operations (一网统管) -------------------------------------------------------------------


def may_dispatch_in(user, subdistrict_code: str) -> bool:
    """Register and dispatch cases of a subdistrict (its grid centre dispatcher, or the operations centre)."""
    if not is_active_user(user):
        return False
    if is_district_wide(user):
        return True
    if not subdistrict_code:
        return False
    return subdistrict_code in subdistrict_codes(user, Role.DISPATCHER)


def may_supervise_in(user, subdistrict_code: str) -> bool:
    """Supervise overdue cases of a subdistrict (督办): its dispatchers, the operations centre, leaders."""
    if not is_active_user(user):
        return False
    if has_role(user, Role.LEADER):
        return True
    return may_dispatch_in(user, subdistrict_code)


def may_handle_for_department(user, org_unit) -> bool:
    """Handle cases/applications dispatched to ``org_unit`` (a department or one of its sections)."""
    if not is_active_user(user):
        return False
    if org_unit is None:
        return False
    return any(unit_within(org_unit, unit) for unit in department_units(user, Role.DEPARTMENT_HANDLER))


def may_verify_in_grid(user, grid_code: str, subdistrict_code: str = "") -> bool:
    """Verify on site that a case in a grid was fixed: that grid's workers, or the subdistrict's floating workers."""
    if not is_active_user(user):
        return False
    if grid_code and grid_code in grid_codes(user, Role.GRID_WORKER):
        return True
    if not subdistrict_code:
        return False
    return subdistrict_code in subdistrict_codes(user, Role.GRID_WORKER)


def may_patrol_in_grid(user, grid_code: str, subdistrict_code: str = "") -> bool:
    """Report problems found on patrol in a grid (same scope as verifying)."""
    return may_verify_in_grid(user, grid_code, subdistrict_code)


def may_report_on_behalf(user) -> bool:
    """Record a case on behalf of a caller: 12345 hotline operators, the operations centre on emergency duty."""
    if not is_active_user(user):
        return False
    if has_role(user, Role.HOTLINE_OPERATOR):
        return True
    return is_district_wide(user)


def may_manage_dispatch_rules(user) -> bool:
    """Edit dispatch rules, categories and escalation: the operations centre, system administrators."""
    if not is_active_user(user):
        return False
    if is_district_wide(user):
        return True
    return is_system_admin(user)


# --- government services (一网通办) ---------------------------------------------------------------


def may_accept_applications(user) -> bool:
    """Accept any application at a comprehensive window (zero-difference acceptance): any window clerk."""
    if not is_active_user(user):
        return False
    return has_role(user, Role.WINDOW_CLERK)


def may_approve_for(user, department) -> bool:
    """Decide applications of ``department`` (or one of its sections): its approvers."""
    if not is_active_user(user):
        return False
    if department is None:
        return False
    return any(unit_within(department, unit) for unit in org_units_for(user, Role.APPROVER))


# --- personal data --------------------------------------------------------------------------------


def may_view_personal_data(user, purpose: str, subject=None) -> bool:
    """Read someone's full (unmasked) personal data for ``purpose`` (see :class:`Purpose`).

    Everyone may read their own. System administrators may not, unless the deployment allows it.
    The caller audits every full read of a record by staff.
    """
    if not is_active_user(user):
        return False
    if subject is not None and getattr(subject, "pk", None) == user.pk:
        return True
    if purpose == Purpose.ACCOUNT and _admins_see_personal_data():
        return is_system_admin(user)
    roles = PURPOSE_ROLES.get(purpose)
    if not roles:
        return False
    return has_role(user, *roles)


# --- configuration and oversight ------------------------------------------------------------------


def may_manage_territory(user) -> bool:
    """Edit the grid: units, polygons, points of interest."""
    if not is_active_user(user):
        return False
    return is_system_admin(user)


may_edit_territory = may_manage_territory


def may_manage_calendar(user) -> bool:
    """Edit the work calendar's overrides: system administrators and the operations centre."""
    if not is_active_user(user):
        return False
    if is_system_admin(user):
        return True
    return is_district_wide(user)


def may_manage_catalogue(user) -> bool:
    """Edit the service catalogue (items, situations, materials): system administrators."""
    if not is_active_user(user):
        return False
    return is_system_admin(user)


def may_manage_devices(user) -> bool:
    """Register sensors and cameras: system administrators and the operations centre."""
    if not is_active_user(user):
        return False
    if is_system_admin(user):
        return True
    return is_district_wide(user)


def may_view_audit(user) -> bool:
    """Read the audit trail: system administrators and the operations centre."""
    if not is_active_user(user):
        return False
    if is_system_admin(user):
        return True
    return is_district_wide(user)


def may_manage_users(user) -> bool:
    """Create users, org units and role assignments: system administrators."""
    if not is_active_user(user):
        return False
    return is_system_admin(user)


def may_view_screen(user) -> bool:
    """Watch the big screen (城运大屏): district leaders and the operations centre."""
    if not is_active_user(user):
        return False
    if has_role(user, Role.LEADER):
        return True
    return is_district_wide(user)


def may_instruct(user) -> bool:
    """Issue instructions on a case or scene from the big screen: district leaders."""
    if not is_active_user(user):
        return False
    return has_role(user, Role.LEADER)


def may_manage_datasets(user) -> bool:
    """Run the data catalogue, sharing grants and data quality: data stewards."""
    if not is_active_user(user):
        return False
    return has_role(user, Role.DATA_STEWARD)


def may_use_back_office(user) -> bool:
    """Open the Django admin at all (it then asks each model's own check)."""
    if not is_active_user(user):
        return False
    if not user.is_staff:
        return False
    return True
