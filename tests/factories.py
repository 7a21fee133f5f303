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


# --- org units by kind, and staff scoped to them (core) -------------------------------------------


def make_subdistrict_centre(territory_code, name=None, parent=None):
    """The grid management centre of a subdistrict (its dispatchers act for ``territory_code``)."""
    return make_org(
        OrgKind.GRID_CENTRE, name=name or f"Grid centre {territory_code}", territory_code=territory_code, parent=parent
    )


def make_grid_team(territory_code, centre=None, name=None):
    """The team of one grid (its grid workers act for the grid ``territory_code``)."""
    return make_org(
        OrgKind.GRID_TEAM, name=name or f"Grid team {territory_code}", territory_code=territory_code, parent=centre
    )


def make_department(name=None, parent=None, code=None):
    return make_org(OrgKind.DEPARTMENT, name=name, parent=parent, code=code)


def assign_role(user, role, org=None, active=True):
    """Give ``user`` one more role (scoped to ``org``); clears the user's cached scope."""
    from yiwang.core.scope import forget

    assignment = RoleAssignment.objects.create(user=user, role=role, org_unit=org, active=active)
    forget(user)
    return assignment


def login_as(client, user, assurance="password"):
    """Log ``user`` in on a Django test client at ``assurance`` (session key read by Actor.from_request)."""
    client.force_login(user)
    session = client.session
    session["assurance"] = str(assurance)
    session.save()
    return client
