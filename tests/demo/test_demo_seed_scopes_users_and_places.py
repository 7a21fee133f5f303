"""The demo users hold one role each, scoped sensibly, and the seeded territory locates points."""

import pytest
from django.contrib.auth import authenticate

from yiwang.core import permissions
from yiwang.core.models import User
from yiwang.core.roles import OrgKind, Role
from yiwang.demo.orgs import DEMO_PASSWORD
from yiwang.demo.seed import QUICK_STEPS, seed_demo
from yiwang.territory import services


@pytest.fixture
def seeded(db):
    return seed_demo(11, steps=QUICK_STEPS).district


def test_one_user_per_role_who_can_log_in(seeded):
    roles = {}
    for user in User.objects.prefetch_related("role_assignments"):
        for ra in user.role_assignments.all():
            roles.setdefault(ra.role, []).append(user.username)
    assert set(roles) == set(Role.values)
    assert all(len(names) == 1 for names in roles.values())
    assert authenticate(username="dispatcher", password=DEMO_PASSWORD) is not None
    assert authenticate(username="dispatcher", password="wrong-password") is None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and Role.SYSTEM_ADMIN in admin.roles


def test_staff_are_scoped_to_their_subdistrict_grid_and_department(seeded):
    first_sub = seeded.level(2)[0]
    other_sub = seeded.level(2)[1]
    first_grid = seeded.children(first_sub.code)[0]
    dispatcher = User.objects.get(username="dispatcher")
    assert permissions.may_dispatch_in(dispatcher, first_sub.code)
    assert not permissions.may_dispatch_in(dispatcher, other_sub.code)
    gridworker = User.objects.get(username="gridworker")
    assert permissions.may_patrol_in_grid(gridworker, first_grid.code, first_sub.code)
    other_grid = seeded.children(first_sub.code)[1]
    assert not permissions.may_patrol_in_grid(gridworker, other_grid.code, first_sub.code)
    handler = User.objects.get(username="handler")
    (unit,) = [ra.org_unit for ra in handler.role_assignments.all()]
    assert unit.kind == OrgKind.DEPARTMENT and unit.name_en.startswith("Urban Management")
    assert permissions.may_dispatch_in(User.objects.get(username="opscentre"), other_sub.code)


def test_seeded_territory_places_a_point_at_all_four_levels(seeded):
    home = next(u for u in seeded.level(4) if u.kind == "residential")
    p = home.geometry.representative_point()
    placement = services.locate(p.x, p.y)
    grid = seeded.unit(home.parent)
    assert [u.code for u in placement.chain] == [
        grid.parent and seeded.unit(grid.parent).parent,
        grid.parent,
        grid.code,
    ]
    assert home.code in [u.code for u in placement.level4]
    assert placement.responsible_org_unit_id is not None  # the grid team of that grid
    metro = next(u for u in seeded.level(4) if u.kind == "metro_station")
    above = max(seeded.level(4), key=lambda u: 0 if u is metro else u.geometry.intersection(metro.geometry).area)
    q = above.geometry.intersection(metro.geometry).representative_point()
    # the underground station lies under a residential area: a point there belongs to both
    assert {u.code for u in services.locate(q.x, q.y).level4} == {metro.code, above.code}
