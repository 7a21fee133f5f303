"""Who may do what in the flood scene: one named question each, one condition per line.

* the scene, the map, the alert pages and the post-flood report: the operations centre, district
  leaders and subdistrict dispatchers (who see the duty contacts masked, and only their own cases);
* warnings, checklists issued, the duty roster, shelter occupancy: the operations centre (and system
  administrators for the configuration in the back office);
* an inspection task: the workers of the task's grid (or the subdistrict's floating workers).
"""

from __future__ import annotations

from yiwang.core.permissions import may_patrol_in_grid
from yiwang.core.roles import Role
from yiwang.core.scope import has_role, is_active_user, is_district_wide, is_system_admin

SCENE_ROLES = (Role.OPERATIONS_CENTRE, Role.LEADER, Role.DISPATCHER)


def may_view_scene(user) -> bool:
    """See the flood scene, its map, alerts with their cameras and the report."""
    if not is_active_user(user):
        return False
    return has_role(user, *SCENE_ROLES)


def may_manage_flood(user) -> bool:
    """Enter and import warnings, issue checklists, keep the roster and shelter occupancy."""
    if not is_active_user(user):
        return False
    return is_district_wide(user)


def may_configure_flood(user) -> bool:
    """Edit checklist templates, seasons and the roster in the back office."""
    if not is_active_user(user):
        return False
    if is_system_admin(user):
        return True
    return is_district_wide(user)


def may_see_duty_contacts(user) -> bool:
    """Read the on-duty people's full phone numbers (others see them masked)."""
    if not is_active_user(user):
        return False
    if has_role(user, Role.LEADER):
        return True
    return is_district_wide(user)


def may_do_task(user, task) -> bool:
    """Check off an inspection task: the workers of its grid or the subdistrict's floating workers."""
    if not is_active_user(user):
        return False
    return may_patrol_in_grid(user, task.grid_code, task.subdistrict_code)


def actor_may_manage(actor) -> bool:
    """The platform itself (the command line, the demo seed, a worker) or the operations centre."""
    if actor.user is None:
        return True
    return may_manage_flood(actor.user)
