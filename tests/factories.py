"""Factory functions for tests (plain functions, no magic)."""

import itertools

from yiwang.core.models import OrgUnit, RoleAssignment, User
from yiwang.core.roles import OrgKind

_seq = itertools.count(1)


def make_org(kind=OrgKind.DEPARTMENT, name=None, territory_code="", parent=None, code=None):
    n = next(_seq)
    return OrgUnit.objects.create(
        code=code or f"ORG{n}",
        name=name or f"Org {n}",
        kind=kind,
        territory_code=territory_code,
        parent=parent,
    )


def make_user(*roles, org=None, username=None, password="pw-yiwang-test", **fields):
    """A user holding ``roles`` (Role values), each scoped to ``org`` (an OrgUnit or None)."""
    n = next(_seq)
    user = User.objects.create_user(username=username or f"user{n}", password=password, **fields)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, org_unit=org)
    return user
