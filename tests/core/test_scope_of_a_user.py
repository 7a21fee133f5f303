"""Which subdistricts, grids and departments a user acts for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import assign_role, make_department, make_grid_team, make_subdistrict_centre, make_user
from yiwang.core import scope
from yiwang.core.roles import Role


@pytest.mark.django_db
def test_codes_and_units_come_from_active_assignments_by_org_kind():
    s1, s2 = make_subdistrict_centre("S1"), make_subdistrict_centre("S2")
    g1 = make_grid_team("S1-G1", centre=s1)
    dept = make_department("Housing")
    user = make_user(Role.DISPATCHER, org=s1)
    assign_role(user, Role.DISPATCHER, org=s2)
    assign_role(user, Role.GRID_WORKER, org=g1)
    assign_role(user, Role.DEPARTMENT_HANDLER, org=dept)
    assign_role(user, Role.DISPATCHER, org=make_subdistrict_centre("S3"), active=False)
    assert scope.subdistrict_codes(user) == {"S1", "S2"}
    assert scope.grid_codes(user) == {"S1-G1"}
    assert scope.subdistrict_codes(user, Role.GRID_WORKER) == set()
    assert scope.department_units(user) == [dept]
    assert scope.has_role(user, Role.DISPATCHER, Role.LEADER)
    assert not scope.has_role(user, Role.LEADER)


@pytest.mark.django_db
def test_a_unit_not_yet_open_or_already_closed_gives_no_scope():
    today = timezone.localdate()
    future = make_subdistrict_centre("S-NEW")
    future.valid_from = today + timedelta(days=3)
    future.save()
    closing = make_subdistrict_centre("S-OLD")
    closing.valid_to = today
    closing.save()
    still = make_subdistrict_centre("S-STILL")
    still.valid_to = today + timedelta(days=1)
    still.save()
    user = make_user(Role.DISPATCHER, org=future)
    for unit in (closing, still):
        assign_role(user, Role.DISPATCHER, org=unit)
    assert scope.subdistrict_codes(user) == {"S-STILL"}


@pytest.mark.django_db
def test_unit_within_follows_the_parent_chain():
    bureau = make_department("Bureau")
    division = make_department("Division", parent=bureau)
    section = make_department("Section", parent=division)
    assert scope.unit_within(section, bureau)
    assert scope.unit_within(bureau, bureau)
    assert not scope.unit_within(bureau, section)
    assert not scope.unit_within(None, bureau)


@pytest.mark.django_db
def test_the_scope_is_cached_per_user_object_until_forgotten():
    s1 = make_subdistrict_centre("S1")
    user = make_user()
    assert scope.subdistrict_codes(user) == set()
    from yiwang.core.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role=Role.DISPATCHER, org_unit=s1)
    assert scope.subdistrict_codes(user) == set()  # cached for this request's user object
    scope.forget(user)
    assert scope.subdistrict_codes(user) == {"S1"}


@pytest.mark.django_db
def test_user_roles_are_the_acting_roles_like_has_role():
    today = timezone.localdate()
    closed = make_subdistrict_centre("S-CLOSED")
    closed.valid_to = today
    closed.save()
    user = make_user(Role.GRID_WORKER, org=make_grid_team("S1-G1", centre=make_subdistrict_centre("S1")))
    assign_role(user, Role.DISPATCHER, org=closed)
    assign_role(user, Role.LEADER, active=False)
    assert user.roles == scope.acting_roles(user) == {Role.GRID_WORKER}
    assert not scope.has_role(user, Role.DISPATCHER, Role.LEADER)
    user.is_active = False
    scope.forget(user)
    assert user.roles == frozenset() and not scope.has_role(user, Role.GRID_WORKER)
