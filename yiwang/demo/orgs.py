"""The demo district's organisation and its one-user-per-role staff (pure data, derived from the district)."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.core.roles import OrgKind, Role

from .codes import OPS_CENTRE, grid_centre_code, grid_team_code, neighbourhood_code

DEMO_PASSWORD = "yiwang-demo"  # noqa: S105 - the published password of the demo accounts
LEADERSHIP = "ORG-LEAD"
DATA_CENTRE = "ORG-BDC"
SERVICE_CENTRE = "ORG-SVC"
WINDOWS = 18

# (key, Chinese name, English name) of the functional departments (职能部门)
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("CGZF", "区城管执法局", "Urban Management and Law Enforcement Bureau"),
    ("SCJG", "区市场监管局", "Market Regulation Bureau"),
    ("FG", "区房管局", "Housing Administration Bureau"),
    ("LHSR", "区绿化市容局", "Greening and City Appearance Bureau"),
    ("SWU", "区水务局", "Water Affairs Bureau"),
    ("MZ", "区民政局", "Civil Affairs Bureau"),
    ("WJW", "区卫健委", "Health Commission"),
    ("GA", "公安分局", "Public Security Sub-bureau"),
    ("YJGL", "区应急管理局", "Emergency Management Bureau"),
    ("STHJ", "区生态环境局", "Ecology and Environment Bureau"),
    ("JGW", "区建管委", "Construction and Management Commission"),
    ("JTW", "区交通委", "Transport Commission"),
    ("JY", "区教育局", "Education Bureau"),
    ("RS", "区人社局", "Human Resources and Social Security Bureau"),
    ("WL", "区文旅局", "Culture and Tourism Bureau"),
    ("SWJ", "区税务局", "Taxation Bureau"),
    ("FGW", "区发改委", "Development and Reform Commission"),
    ("SWW", "区商务委", "Commerce Commission"),
    ("GHZY", "区规划资源局", "Planning and Natural Resources Bureau"),
    ("XFJY", "区消防救援支队", "Fire and Rescue Detachment"),
    ("TY", "区体育局", "Sports Bureau"),
)


def department_code(key: str) -> str:
    return f"ORG-DEP-{key}"


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    name_en: str
    kind: str
    parent: str | None = None
    territory_code: str = ""


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    org: str | None  # org unit code giving the role's scope
    display_name: str
    opens: tuple[str, ...]  # candidate pages to open first, best first (the first that exists is shown)
    is_superuser: bool = False
    is_staff: bool = False


def org_specs(district) -> list[OrgSpec]:
    """Every org unit of the demo district, parents before children."""
    specs = [
        OrgSpec(LEADERSHIP, "区领导", "District leadership", OrgKind.LEADERSHIP),
        OrgSpec(OPS_CENTRE, "区城市运行管理中心", "District Operations Centre", OrgKind.OPERATIONS_CENTRE),
        OrgSpec(DATA_CENTRE, "区大数据中心", "District Big Data Centre", OrgKind.DATA_CENTRE),
        OrgSpec(SERVICE_CENTRE, "区行政服务中心", "District Administrative Service Centre", OrgKind.SERVICE_CENTRE),
    ]
    specs += [
        OrgSpec(f"{SERVICE_CENTRE}-W{n:02d}", f"综合窗口{n}号", f"Comprehensive window {n}", OrgKind.SERVICE_WINDOW,
                SERVICE_CENTRE)
        for n in range(1, WINDOWS + 1)
    ]  # fmt: skip
    specs += [OrgSpec(department_code(key), zh, en, OrgKind.DEPARTMENT) for key, zh, en in DEPARTMENTS]
    for sub in district.level(2):
        centre = grid_centre_code(sub.code)
        short_en = sub.name_en.removesuffix(" Subdistrict")
        specs.append(
            OrgSpec(centre, f"{sub.name}网格化综合管理中心", f"{short_en} Grid Management Centre", OrgKind.GRID_CENTRE,
                    OPS_CENTRE, sub.code)
        )  # fmt: skip
        for grid in district.children(sub.code):
            specs.append(
                OrgSpec(grid_team_code(grid.code), f"{grid.name}工作站", f"{grid.name_en} team", OrgKind.GRID_TEAM,
                        centre, grid.code)
            )  # fmt: skip
            for home in district.children(grid.code):
                if home.kind != "residential":
                    continue
                specs.append(
                    OrgSpec(neighbourhood_code(home.code), f"{home.name}居民委员会",
                            f"{home.name_en} Neighbourhood Committee", OrgKind.NEIGHBOURHOOD, centre, home.code)
                )  # fmt: skip
    return specs


# candidate pages each demo user opens first, best first (the first one this installation has is shown)
OPENS: dict[str, tuple[str, ...]] = {
    "resident": ("/report/", "/"),
    "operator": ("/hotline/", "/"),
    "gridworker": ("/ops/verify/", "/territory/map/"),
    "dispatcher": ("/ops/queue/", "/territory/map/"),
    "handler": ("/ops/inbox/", "/"),
    "opscentre": ("/ops/queue/", "/flood/", "/ops/stats/", "/territory/map/"),
    "clerk": ("/services/window/", "/services/", "/"),
    "approver": ("/services/approvals/", "/services/", "/"),
    "leader": ("/screen/", "/flood/", "/ops/stats/", "/territory/map/"),
    "datasteward": ("/datahub/", "/admin/"),
    "admin": ("/admin/",),
}


def user_specs(district) -> list[UserSpec]:
    """One memorable user per role, each scoped to a sensible org unit of the district."""
    sub = district.level(2)[0]
    grid = district.children(sub.code)[0]
    rows = [
        ("resident", Role.RESIDENT, None, "演示居民"),
        ("operator", Role.HOTLINE_OPERATOR, OPS_CENTRE, "12345话务员"),
        ("gridworker", Role.GRID_WORKER, grid_team_code(grid.code), "网格员"),
        ("dispatcher", Role.DISPATCHER, grid_centre_code(sub.code), "街镇派遣员"),
        ("handler", Role.DEPARTMENT_HANDLER, department_code("CGZF"), "城管执法局处置员"),
        ("opscentre", Role.OPERATIONS_CENTRE, OPS_CENTRE, "城运中心值班员"),
        ("clerk", Role.WINDOW_CLERK, f"{SERVICE_CENTRE}-W01", "综合窗口受理员"),
        ("approver", Role.APPROVER, department_code("SCJG"), "市场监管局审批员"),
        ("leader", Role.LEADER, LEADERSHIP, "区领导"),
        ("datasteward", Role.DATA_STEWARD, DATA_CENTRE, "数据管理员"),
        ("admin", Role.SYSTEM_ADMIN, None, "系统管理员"),
    ]
    staff = {"datasteward", "admin"}
    return [
        UserSpec(name, role, org, display, OPENS[name], is_superuser=name == "admin", is_staff=name in staff)
        for name, role, org, display in rows
    ]
