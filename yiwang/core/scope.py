"""Whom a user acts for: the subdistricts, grids and departments of their active role assignments.

A role assignment gives a role for an org unit; the org unit's ``territory_code`` names the
subdistrict (for a grid centre) or the grid (for a grid team) it is responsible for, and its
``parent`` gives the hierarchy (a department's sections, a subdistrict's grid teams).

Only *acting* assignments count: the assignment is active, the user is active, and its org unit (if
any) exists today. Territory codes are plain strings here — this module never imports the territory
context; callers pass the codes they already know.

The assignments are read once per user object and cached on it (``forget(user)`` drops the cache), and
per process for ``PERMISSIONS["ROLE_SECONDS"]`` (default 5 s; 0 turns it off) in a
:class:`~yiwang.core.lookups.TTLCache` keyed by the user's id — a request's fresh user object then costs
no query. Saving or deleting a role assignment, an org unit or a user clears that process's cache at once
(signals, :func:`connect`); other processes see the change within the seconds (a revoked role may act
that long in another worker). ``QuerySet.update()`` sends no signal: call :func:`invalidate` after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .lookups import TTLCache
from .roles import OrgKind, Role

_CACHE_ATTR = "_acting_assignments_cache"


@dataclass(frozen=True)
class Acting:
    """One acting assignment: a role, and the org unit it is held for (None for unscoped roles)."""

    role: str
    org_unit: object | None  # OrgUnit

    @property
    def territory_code(self) -> str:
        return self.org_unit.territory_code if self.org_unit is not None else ""

    @property
    def org_kind(self) -> str:
        return self.org_unit.kind if self.org_unit is not None else ""


def is_active_user(user) -> bool:
    if user is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_active)


def acting_assignments(user) -> tuple[Acting, ...]:
    """Every role the user acts in now, with its org unit (empty for anonymous or inactive users)."""
    if not is_active_user(user):
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    acting = _PROCESS_CACHE.get(("acting", user.pk), lambda: _load(user))
    setattr(user, _CACHE_ATTR, acting)
    return acting


def _load(user) -> tuple[Acting, ...]:
    rows = user.role_assignments.filter(active=True).select_related("org_unit", "org_unit__parent")
    return tuple(
        Acting(role=row.role, org_unit=row.org_unit)
        for row in rows
        if row.org_unit is None or row.org_unit.is_current()
    )


def _seconds() -> float:
    return float(getattr(settings, "PERMISSIONS", {}).get("ROLE_SECONDS", 5))


_PROCESS_CACHE = TTLCache(_seconds)
invalidate = _PROCESS_CACHE.invalidate


def connect() -> None:
    """Clear the per-process cache whenever a role assignment, an org unit or a user is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    from .models import OrgUnit, RoleAssignment, User

    for model in (RoleAssignment, OrgUnit, User):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"scope-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"scope-{model.__name__}-delete")


def forget(user) -> None:
    """Drop the cached assignments (after changing a user's roles in the same request)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    invalidate()


def acting_roles(user) -> frozenset[str]:
    """The roles the user acts in now, whatever the org unit (empty for anonymous or inactive users)."""
    return frozenset(a.role for a in acting_assignments(user))


def has_role(user, *roles: str) -> bool:
    """The user acts in at least one of ``roles`` (for any org unit)."""
    return any(a.role in roles for a in acting_assignments(user))


def org_units_for(user, *roles: str) -> list:
    """The org units the user holds any of ``roles`` for."""
    return [a.org_unit for a in acting_assignments(user) if a.role in roles and a.org_unit is not None]


def subdistrict_codes(user, role: str = Role.DISPATCHER) -> set[str]:
    """Codes of the subdistricts the user acts for in ``role`` (through grid-centre org units)."""
    return {
        a.territory_code
        for a in acting_assignments(user)
        if a.role == role and a.org_kind == OrgKind.GRID_CENTRE and a.territory_code
    }


def grid_codes(user, role: str = Role.GRID_WORKER) -> set[str]:
    """Codes of the grids the user acts for in ``role`` (through grid-team org units)."""
    return {
        a.territory_code
        for a in acting_assignments(user)
        if a.role == role and a.org_kind == OrgKind.GRID_TEAM and a.territory_code
    }


def department_units(user, role: str = Role.DEPARTMENT_HANDLER) -> list:
    """The department org units the user acts for in ``role``."""
    return [u for u in org_units_for(user, role) if u.kind == OrgKind.DEPARTMENT]


def unit_within(unit, scope_unit) -> bool:
    """``unit`` is ``scope_unit`` or one of its descendants (a section of a department)."""
    if unit is None or scope_unit is None:
        return False
    if unit.pk == scope_unit.pk:
        return True
    return any(parent.pk == scope_unit.pk for parent in unit.ancestors())


def is_district_wide(user) -> bool:
    """The operations centre acts for the whole district."""
    return has_role(user, Role.OPERATIONS_CENTRE)


def is_system_admin(user) -> bool:
    """A system administrator: the role, or Django's superuser flag (configuration only, not personal data)."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, Role.SYSTEM_ADMIN)
