"""Every permission check, branch by branch: who passes, who does not, and why (table-driven)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.utils import timezone

from tests.factories import (
    assign_role,
    make_department,
    make_grid_team,
    make_org,
    make_subdistrict_centre,
    make_user,
)
from yiwang.core import permissions as p
from yiwang.core.models import User
from yiwang.core.roles import OrgKind, Role


@pytest.fixture
def world(db):
    s1 = make_subdistrict_centre("S1")
    s2 = make_subdistrict_centre("S2")
    g11 = make_grid_team("S1-G1", centre=s1)
    g21 = make_grid_team("S2-G1", centre=s2)
    dept = make_department("Housing")
    section = make_department("Housing · repairs", parent=dept)
    other_dept = make_department("Market")
    closed = make_subdistrict_centre("S9")
    closed.valid_to = timezone.localdate() - timedelta(days=1)
    closed.save()
    ops = make_org(OrgKind.OPERATIONS_CENTRE, territory_code="")
    users = {
        "anonymous": AnonymousUser(),
        "nobody": make_user(),
        "resident": make_user(Role.RESIDENT),
        "hotline": make_user(Role.HOTLINE_OPERATOR),
        "dispatcher_s1": make_user(Role.DISPATCHER, org=s1),
        "dispatcher_closed": make_user(Role.DISPATCHER, org=closed),
        "dispatcher_inactive_role": make_user(),
        "dispatcher_inactive_user": make_user(Role.DISPATCHER, org=s1, is_active=False),
        "worker_g11": make_user(Role.GRID_WORKER, org=g11),
        "worker_floating_s1": make_user(Role.GRID_WORKER, org=s1),
        "handler_dept": make_user(Role.DEPARTMENT_HANDLER, org=dept),
        "handler_section": make_user(Role.DEPARTMENT_HANDLER, org=section),
        "ops": make_user(Role.OPERATIONS_CENTRE, org=ops),
        "clerk": make_user(Role.WINDOW_CLERK),
        "approver_dept": make_user(Role.APPROVER, org=dept),
        "leader": make_user(Role.LEADER),
        "steward": make_user(Role.DATA_STEWARD),
        "admin": make_user(Role.SYSTEM_ADMIN),
        "superuser": User.objects.create_superuser("root", password="pw-yiwang-test"),
    }
    assign_role(users["dispatcher_inactive_role"], Role.DISPATCHER, org=s1, active=False)
    units = {"s1": s1, "s2": s2, "g11": g11, "g21": g21, "dept": dept, "section": section, "other": other_dept}
    return users, units


def fresh(users, key):
    user = users[key]
    return user if isinstance(user, AnonymousUser) else User.objects.get(pk=user.pk)


DISPATCH = [
    ("ops", "S2", True),  # district-wide
    ("dispatcher_s1", "S1", True),
    ("dispatcher_s1", "S2", False),  # another subdistrict
    ("dispatcher_s1", "", False),  # no code given
    ("dispatcher_closed", "S9", False),  # its org unit is closed
    ("dispatcher_inactive_role", "S1", False),
    ("dispatcher_inactive_user", "S1", False),
    ("worker_floating_s1", "S1", False),  # a grid worker does not dispatch
    ("anonymous", "S1", False),
]


@pytest.mark.parametrize(("who", "code", "expected"), DISPATCH)
def test_may_dispatch_in(world, who, code, expected):
    users, _ = world
    assert p.may_dispatch_in(fresh(users, who), code) is expected


SUPERVISE = [
    ("leader", "S1", True),
    ("dispatcher_s1", "S1", True),
    ("dispatcher_s1", "S2", False),
    ("clerk", "S1", False),
    ("nobody", "S1", False),
    ("anonymous", "S1", False),
]


@pytest.mark.parametrize(("who", "code", "expected"), SUPERVISE)
def test_may_supervise_in(world, who, code, expected):
    users, _ = world
    assert p.may_supervise_in(fresh(users, who), code) is expected


VERIFY = [
    ("worker_g11", "S1-G1", "S1", True),
    ("worker_g11", "S1-G1", "", True),  # the grid alone suffices
    ("worker_g11", "S2-G1", "S2", False),
    ("worker_floating_s1", "S1-G1", "S1", True),  # floating worker of the subdistrict
    ("worker_floating_s1", "S1-G1", "", False),  # subdistrict not given
    ("worker_floating_s1", "S2-G1", "S2", False),
    ("dispatcher_s1", "S1-G1", "S1", False),  # verification is on-site work of grid workers
    ("ops", "S1-G1", "S1", False),
    ("anonymous", "S1-G1", "S1", False),
]


@pytest.mark.parametrize(("who", "grid", "subdistrict", "expected"), VERIFY)
def test_may_verify_in_grid(world, who, grid, subdistrict, expected):
    users, _ = world
    assert p.may_verify_in_grid(fresh(users, who), grid, subdistrict) is expected
    assert p.may_patrol_in_grid(fresh(users, who), grid, subdistrict) is expected


DEPARTMENT = [
    ("handler_dept", "dept", True),
    ("handler_dept", "section", True),  # a section of their department
    ("handler_section", "section", True),
    ("handler_section", "dept", False),  # not the whole department
    ("handler_dept", "other", False),
    ("handler_dept", None, False),
    ("approver_dept", "dept", False),  # approving is not handling
    ("ops", "dept", False),
    ("anonymous", "dept", False),
]


@pytest.mark.parametrize(("who", "unit", "expected"), DEPARTMENT)
def test_may_handle_for_department(world, who, unit, expected):
    users, units = world
    assert p.may_handle_for_department(fresh(users, who), units.get(unit)) is expected


APPROVE = [
    ("approver_dept", "dept", True),
    ("approver_dept", "section", True),
    ("approver_dept", "other", False),
    ("approver_dept", None, False),
    ("handler_dept", "dept", False),
    ("clerk", "dept", False),
    ("anonymous", "dept", False),
]


@pytest.mark.parametrize(("who", "unit", "expected"), APPROVE)
def test_may_approve_for(world, who, unit, expected):
    users, units = world
    assert p.may_approve_for(fresh(users, who), units.get(unit)) is expected


# checks of one argument: which users pass (every other user of the world fails)
UNSCOPED = [
    (p.may_report_on_behalf, {"hotline", "ops"}),
    (p.may_accept_applications, {"clerk"}),
    (p.may_manage_territory, {"admin", "superuser"}),
    (p.may_manage_calendar, {"admin", "superuser", "ops"}),
    (p.may_manage_catalogue, {"admin", "superuser"}),
    (p.may_manage_devices, {"admin", "superuser", "ops"}),
    (p.may_manage_dispatch_rules, {"admin", "superuser", "ops"}),
    (p.may_view_audit, {"admin", "superuser", "ops"}),
    (p.may_manage_users, {"admin", "superuser"}),
    (p.may_view_screen, {"leader", "ops"}),
    (p.may_instruct, {"leader"}),
    (p.may_manage_datasets, {"steward"}),
]


@pytest.mark.parametrize(("check", "allowed"), UNSCOPED, ids=[c.__name__ for c, _ in UNSCOPED])
def test_unscoped_checks_pass_exactly_their_roles(world, check, allowed):
    users, _ = world
    passed = {key for key in users if check(fresh(users, key))}
    assert passed == allowed


def test_an_inactive_user_passes_no_check_even_as_superuser(world):
    users, _ = world
    root = fresh(users, "superuser")
    root.is_active = False
    assert not any(check(root) for check, _ in UNSCOPED)


PERSONAL = [
    ("dispatcher_s1", p.Purpose.CASE_HANDLING, True),
    ("worker_g11", p.Purpose.CASE_HANDLING, True),
    ("hotline", p.Purpose.HOTLINE, True),
    ("hotline", p.Purpose.CASE_HANDLING, False),
    ("clerk", p.Purpose.APPLICATION, True),
    ("approver_dept", p.Purpose.APPLICATION, True),
    ("handler_dept", p.Purpose.ASSISTANCE, True),
    ("clerk", p.Purpose.ASSISTANCE, False),
    ("admin", p.Purpose.ACCOUNT, False),  # administrators do not see personal data by default
    ("superuser", p.Purpose.ACCOUNT, False),
    ("admin", p.Purpose.CASE_HANDLING, False),
    ("leader", p.Purpose.CASE_HANDLING, False),
    ("ops", "no-such-purpose", False),
    ("anonymous", p.Purpose.HOTLINE, False),
]


@pytest.mark.parametrize(("who", "purpose", "expected"), PERSONAL)
def test_may_view_personal_data_by_purpose(world, who, purpose, expected):
    users, _ = world
    assert p.may_view_personal_data(fresh(users, who), purpose) is expected


def test_everyone_may_view_their_own_personal_data_but_not_another_residents(world):
    users, _ = world
    resident = fresh(users, "resident")
    assert p.may_view_personal_data(resident, p.Purpose.ACCOUNT, subject=resident)
    assert not p.may_view_personal_data(resident, p.Purpose.ACCOUNT, subject=fresh(users, "clerk"))


@override_settings(PRIVACY={"ADMINS_SEE_PERSONAL_DATA": True})
def test_a_deployment_may_let_administrators_see_account_data(world):
    users, _ = world
    assert p.may_view_personal_data(fresh(users, "admin"), p.Purpose.ACCOUNT)
    assert not p.may_view_personal_data(fresh(users, "clerk"), p.Purpose.ACCOUNT)
    assert not p.may_view_personal_data(fresh(users, "admin"), p.Purpose.HOTLINE)


def test_back_office_needs_an_active_staff_account(world):
    users, _ = world
    staff = make_user(is_staff=True)
    assert p.may_use_back_office(staff)
    assert not p.may_use_back_office(fresh(users, "admin"))  # not staff
    assert not p.may_use_back_office(AnonymousUser())
