"""Routing rules from the database into the pure matcher (``routing.py``); the admin's "which rule?" tool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from yiwang.core.models import OrgUnit
from yiwang.core.roles import OrgKind

from . import lookups, routing
from .models import Case, CaseArea, CasePlace, Category, RoutingRule


def load_rules() -> list[routing.Rule]:
    rules = []
    for row in RoutingRule.objects.filter(active=True).prefetch_related("categories").order_by("position", "id"):
        rules.append(
            routing.Rule(
                id=row.pk,
                name=row.name,
                position=row.position,
                category_ids=frozenset(c.pk for c in row.categories.all()),
                area_codes=frozenset(row.area_codes or ()),
                time_from=row.time_from,
                time_to=row.time_to,
                priorities=frozenset(int(p) for p in row.priorities or ()),
                department_id=row.department_id,
                team_mode=row.team_mode,
                team_id=row.team_id,
            )
        )
    return rules


def operations_centre_id() -> int | None:
    today = timezone.localdate()
    row = (
        OrgUnit.objects.filter(kind=OrgKind.OPERATIONS_CENTRE, valid_from__lte=today)
        .exclude(valid_to__lte=today)
        .order_by("id")
        .first()
    )
    return row.pk if row else None


def build_request(category: Category, unit_codes, responsible: dict, at: datetime, priority: int) -> routing.Request:
    return routing.Request(
        category_id=category.pk,
        category_parent_id=category.parent_id,
        unit_codes=frozenset(c for c in unit_codes if c),
        local_time=timezone.localtime(at).time(),
        priority=int(priority),
        category_department_ids=lookups.department_ids(category),
        subdistrict_centre_id=(responsible or {}).get("subdistrict"),
        grid_team_id=(responsible or {}).get("grid"),
    )


def route_case(case: Case, at: datetime | None = None) -> routing.Decision:
    """Where the rules send ``case`` now."""
    place = CasePlace.objects.filter(case=case).order_by("-at", "-id").first()
    codes = list(CaseArea.objects.filter(case=case).values_list("unit_code", flat=True))
    req = build_request(case.category, codes, place.responsible if place else {}, at or timezone.now(), case.priority)
    return routing.decide(lookups.routing_rules(), req, operations_centre_id=lookups.operations_centre_id())


def route_placement(category: Category, placement, at: datetime, priority: int) -> routing.Decision:
    """Where the rules send a case of ``category`` at a freshly resolved ``placement`` (no queries when cached)."""
    from .actions._place import responsible

    codes = [u.code for u in placement.chain] + [u.code for u in placement.level4]
    req = build_request(category, codes, responsible(placement), at, priority)
    return routing.decide(lookups.routing_rules(), req, operations_centre_id=lookups.operations_centre_id())


@dataclass(frozen=True)
class RouteExplanation:
    placement: object  # territory Placement
    decision: routing.Decision
    rules: dict  # id -> RoutingRule row (for names in the admin tool)
    department: OrgUnit | None
    team: OrgUnit | None


def explain_route(
    category: Category,
    lon: float,
    lat: float,
    at: datetime | None = None,
    priority: int | None = None,
    *,
    coord_system: str = "wgs84",
) -> RouteExplanation:
    """Which rule matches this point and category at ``at`` with ``priority`` — and why the others did not."""
    from .actions._place import resolve, responsible

    at = at or timezone.now()
    placement = resolve(lon, lat, coord_system, at=at)
    codes = [u.code for u in placement.chain] + [u.code for u in placement.level4]
    req = build_request(category, codes, responsible(placement), at, priority or category.default_priority)
    decision = routing.decide(load_rules(), req, operations_centre_id=operations_centre_id())
    ids = [v.rule.id for v in decision.verdicts]
    rules = RoutingRule.objects.in_bulk(ids)
    orgs = OrgUnit.objects.in_bulk([i for i in (decision.department_id, decision.team_id) if i])
    return RouteExplanation(
        placement=placement,
        decision=decision,
        rules=rules,
        department=orgs.get(decision.department_id),
        team=orgs.get(decision.team_id),
    )
