"""A small district with its people, org units and categories, and helpers to walk a case along the loop."""

from types import SimpleNamespace

import pytest

from tests.factories import make_org, make_user
from tests.territory.builders import find, small_territory
from yiwang.core.actor import Actor
from yiwang.core.roles import OrgKind, Role

IN_G1A = (121.406, 31.206)  # D1 / S1 / G1a, inside level-4 units R1 and M1
IN_G2A = (121.43, 31.21)  # D1 / S2 / G2a
OUTSIDE = (121.50, 31.22)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # make_user hashes a password; PBKDF2 costs ~1 s per user on the shared 2-core machine
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_operations_caches():
    from yiwang.operations import codes, lookups

    lookups.invalidate()
    codes.forget()
    yield
    lookups.invalidate()
    codes.forget()


@pytest.fixture(autouse=True)
def _fresh_territory_caches():
    from yiwang.territory import services

    services.invalidate()
    yield
    services.invalidate()


def build_world():
    from yiwang.operations.models import Category, Pillar
    from yiwang.territory.actions import import_territory

    w = SimpleNamespace()
    w.centre = make_org(OrgKind.OPERATIONS_CENTRE, name="District operations centre", code="OPS")
    w.gc_s1 = make_org(OrgKind.GRID_CENTRE, name="S1 grid centre", territory_code="S1", code="GC-S1", parent=w.centre)
    w.gc_s2 = make_org(OrgKind.GRID_CENTRE, name="S2 grid centre", territory_code="S2", code="GC-S2", parent=w.centre)
    w.team_g1a = make_org(OrgKind.GRID_TEAM, name="G1a team", territory_code="G1a", code="GT-G1a", parent=w.gc_s1)
    w.urban = make_org(OrgKind.DEPARTMENT, name="Urban management 城管", code="DEPT-URBAN")
    w.market = make_org(OrgKind.DEPARTMENT, name="Market regulation 市场监管", code="DEPT-MARKET")
    w.water = make_org(OrgKind.DEPARTMENT, name="Water authority 水务", code="DEPT-WATER")

    data = small_territory()
    find(data, "D1")["properties"]["org_unit"] = "OPS"
    find(data, "S1")["properties"]["org_unit"] = "GC-S1"
    find(data, "S2")["properties"]["org_unit"] = "GC-S2"
    find(data, "G1a")["properties"]["org_unit"] = "GT-G1a"
    import_territory(Actor.system(), data)

    w.hotline = make_user(Role.HOTLINE_OPERATOR, username="hotline")
    w.dispatcher = make_user(Role.DISPATCHER, org=w.gc_s1, username="dispatcher_s1")
    w.dispatcher_s2 = make_user(Role.DISPATCHER, org=w.gc_s2, username="dispatcher_s2")
    w.handler = make_user(Role.DEPARTMENT_HANDLER, org=w.urban, username="handler_urban")
    w.market_handler = make_user(Role.DEPARTMENT_HANDLER, org=w.market, username="handler_market")
    w.grid_worker = make_user(Role.GRID_WORKER, org=w.team_g1a, username="grid_g1a")
    w.ops = make_user(Role.OPERATIONS_CENTRE, org=w.centre, username="ops")
    w.leader = make_user(Role.LEADER, username="leader")
    w.resident = make_user(Role.RESIDENT, username="resident", phone="13800138000", display_name="张三")
    w.other_resident = make_user(Role.RESIDENT, username="resident2")
    w.admin = make_user(Role.SYSTEM_ADMIN, username="sysadmin")

    w.environment = Category.objects.create(
        code="ENV", name="市容环境", name_en="City appearance", pillar=Pillar.CONSTRUCTION
    )
    w.garbage = Category.objects.create(
        code="ENV-GARBAGE",
        name="暴露垃圾",
        name_en="Exposed garbage",
        parent=w.environment,
        pillar=Pillar.CONSTRUCTION,
        keywords="垃圾, rubbish, litter",
        dispatch_within_hours=2,
        handle_within_days=3,
        public=True,
        duplicate_radius_m=50,
        duplicate_window_hours=72,
        questions=[
            {"code": "volume", "datatype": "singlevaluelist", "required": False, "values": ["small", "large"]},
        ],
    )
    w.garbage.departments.add(w.urban)
    w.shops = Category.objects.create(code="MKT", name="市场秩序", name_en="Market order", pillar=Pillar.MARKET)
    w.unlicensed = Category.objects.create(
        code="MKT-UNLICENSED", name="无证经营", name_en="Unlicensed business", parent=w.shops, pillar=Pillar.MARKET
    )
    w.unlicensed.departments.add(w.market)
    w.safety = Category.objects.create(
        code="SAFE", name="公共安全", name_en="Public safety", pillar=Pillar.PUBLIC_SAFETY
    )
    w.flood = Category.objects.create(
        code="SAFE-FLOOD",
        name="道路积水",
        name_en="Road flooding",
        parent=w.safety,
        pillar=Pillar.PUBLIC_SAFETY,
        deadline_mode="calendar",
        dispatch_within_hours=1,
        handle_within_hours=4,
    )
    w.flood.departments.add(w.water)
    return w


@pytest.fixture
def world(db):
    return build_world()


def actor(user) -> Actor:
    return Actor(user=user, channel="web")


def report(world, user=None, *, category=None, at=IN_G1A, channel="hotline", **kwargs):
    from yiwang.operations.actions import Reporter, report_case

    kwargs.setdefault("reporter", Reporter(name="李四", phone="13912345678"))
    kwargs.setdefault("discovery", "passive")
    return report_case(
        actor(user or world.hotline),
        channel=channel,
        category=category or world.garbage,
        lon=at[0],
        lat=at[1],
        address="S1 road 1",
        description="A heap of rubbish by the gate",
        **kwargs,
    )


def advance(world, case, to: str):
    """Walk ``case`` along the main loop with the right people until it reaches state ``to``."""
    from yiwang.operations import actions as ops

    disp = world.dispatcher_s2 if case.subdistrict_code == "S2" else world.dispatcher
    verifier = world.grid_worker if case.grid_code == "G1a" else world.ops
    steps = [
        ("accepted", lambda c: ops.accept(actor(disp), c)),
        ("registered", lambda c: ops.register(actor(disp), c)),
        ("dispatched", lambda c: ops.dispatch(actor(disp), c, department=world.urban)),
        ("handling", lambda c: ops.start_handling(actor(world.handler), c)),
        ("handled", lambda c: ops.mark_handled(actor(world.handler), c, notes="Cleared")),
        ("verified", lambda c: ops.verify(actor(verifier), c, passed=True)),
        ("closed", lambda c: ops.close(actor(disp), c)),
        ("evaluated", lambda c: ops.evaluate(actor(world.hotline), c, level=5)),
    ]
    order = ["reported"] + [state for state, _ in steps]
    steps = steps[order.index(case.status) :]
    for state, step in steps:
        if case.status == to:
            return case
        case = step(case)
        assert case.status == state
    assert case.status == to
    return case
