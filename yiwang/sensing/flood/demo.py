"""The demo's flood scene: this year's season (covering the demo's date), two checklists (one issued), a
week's duty roster, two shelters open, and a blue rainstorm (or typhoon) warning in force — all through the
flood actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yiwang.core.actions import ActionError

from . import actions
from .models import DEFAULT_PROBLEM_CATEGORY, ChecklistItem, ChecklistTemplate, FloodSeason
from .queries import usual_season

# (item, the category of the case a problem opens; "" = the default, 排水不畅 blocked drain)
GRID_ITEMS = (
    ("雨水口、窨井畅通无堵塞 Storm drains and inlets clear", "CM-GREEN-DRAIN"),
    ("窨井盖完好 Manhole covers in place and whole", "CM-ROAD-MANHOLE"),
    ("地下车库、地下空间挡水板到位 Flood barriers at underground garages", ""),
    ("低洼易涝点已标识 Low-lying spots marked", ""),
    ("危墙、广告牌已加固 Walls and billboards secured", "PS-SAFETY-STRUCT"),
    ("行道树已修剪加固 Street trees pruned and staked", "CM-GREEN-TREE"),
    ("居民区防汛物资（沙袋）到位 Sandbags in place in residential areas", ""),
)
DEPOT_ITEMS = (
    ("物资数量与台账一致 Stock matches the ledger", ""),
    ("抽水泵试机正常 Pumps start and run", ""),
    ("值守人员与钥匙到位 Keeper and keys on hand", ""),
)
ROSTER = (  # role, shift, name, phone (demo numbers)
    ("leader", "full", "王带班", "13900000001"),
    ("chief", "day", "李值班长", "13900000002"),
    ("chief", "night", "赵值班长", "13900000003"),
    ("officer", "day", "陈值班员", "13900000004"),
    ("officer", "night", "周值班员", "13900000005"),
    ("rescue", "full", "区排水抢险队", "02160000000"),
)


def _template(code, name, target, items, poi_kind="") -> tuple[ChecklistTemplate, bool]:
    # configuration data (as the back office would enter it), not an event: no action of its own
    template, created = ChecklistTemplate.objects.get_or_create(
        code=code, defaults={"name": name, "target": target, "poi_kind": poi_kind}
    )
    if created:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(template=template, position=i, text=text, category_code=code or DEFAULT_PROBLEM_CATEGORY)
            for i, (text, code) in enumerate(items)
        )
    return template, created


def demo_season_dates(today: dt.date) -> dict:
    """This year's season on the usual calendar (1 Apr / 1 Jun – 30 Sep), stretched so the demo's date is
    in it and the scene looks alive: before April the preparation starts early (提前开展汛前准备, a week
    ago); after September the season is extended (延长汛期, as for a late typhoon) for the coming fortnight."""
    usual = usual_season(today.year)
    dates = {"prep_from": usual.prep_from, "starts_on": usual.starts_on, "ends_on": usual.ends_on, "extended_to": None}
    if today < usual.prep_from:
        dates["prep_from"] = today - dt.timedelta(days=7)
    elif today > usual.ends_on:
        dates["extended_to"] = min(today + dt.timedelta(days=14), dt.date(today.year, 12, 31))
    return dates


def seed_flood(actor, district=None) -> dict:
    today = timezone.localdate()
    created = 0
    season, made = FloodSeason.objects.update_or_create(year=today.year, defaults=demo_season_dates(today))
    created += made
    phase = season.phase(today)
    grid_list, made = _template("pre-flood-grid", "汛前网格检查 Pre-flood grid inspection", "grid", GRID_ITEMS)
    created += made
    _depots, made = _template(
        "pre-flood-depot", "防汛物资仓库检查 Flood depot check", "poi", DEPOT_ITEMS, poi_kind="material_depot"
    )
    created += made
    summary = {"created": created}
    try:
        title = grid_list.name if phase == "preparation" else "汛期网格巡查 Flood-season grid inspection"
        issued = actions.issue_checklist(actor, grid_list, due_on=today + dt.timedelta(days=7), title=title)
        summary["tasks"] = issued.tasks.count()
    except ActionError as exc:  # a territory without grid teams: the rest of the scene still seeds
        summary["tasks_refused"] = str(exc.message)
    for offset in range(-1, 7):
        for role, shift, name, phone in ROSTER:
            actions.add_duty_shift(actor, date=today + dt.timedelta(days=offset), shift=shift, role=role, name=name,
                                   phone=phone)  # fmt: skip
            created += 1
    from yiwang.territory.models import PointOfInterest

    for code, capacity in (
        PointOfInterest.objects.filter(kind="shelter").order_by("code").values_list("code", "capacity")[:2]
    ):
        actions.set_shelter_status(actor, code, is_open=True, occupancy=min(capacity or 0, 120))
        created += 1
    now = timezone.now()
    typhoon = phase == "extended"  # a season extended for a late typhoon
    actions.enter_warning(
        actor,
        kind="typhoon" if typhoon else "rainstorm",
        level="blue",
        issued_at=now.isoformat(),
        valid_from=now.isoformat(),
        valid_to=(now + dt.timedelta(hours=12)).isoformat(),
        area="全区 whole district",
        text=(
            "台风外围影响，预计未来12小时内本区将出现大风和强降雨 A typhoon's outer bands: gales and heavy rain "
            "expected within 12 hours (demo)"
            if typhoon
            else "预计未来12小时内本区将出现暴雨 Heavy rain expected within 12 hours (demo)"
        ),
        source="演示气象台 demo weather office",
        reference=f"DEMO-{today:%Y%m%d}-01",
    )
    summary["created"] = created + 1
    return summary
