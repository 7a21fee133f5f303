"""Seeding the demo district into the database, through actions only, step by step.

Each step (org units, users, territory, points of interest) runs in its own transaction and is
remembered in ``SeedStep``: a second run of the same seed skips finished steps and writes nothing.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel

from . import actions
from .district import DEFAULT_SEED, GENERATOR_VERSION, District, build_district
from .models import SeedStep
from .orgs import DEMO_PASSWORD, org_specs, user_specs

STEPS = ("org_units", "users", "territory", "pois", "catalogue", "bundles")
# city operations: the category tree, the sensors and their rules, a year of cases (``yiwang demo`` runs
# them after STEPS); then ratings (好差评) of service acts and of closed cases, for both networks' statistics
OPERATIONS_STEPS = ("categories", "devices", "history", "flood", "ratings")
QUICK_STEPS = ("org_units", "users", "territory")  # enough to log in and see the map


@dataclass
class SeedReport:
    seed: int
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    summaries: dict[str, dict] = field(default_factory=dict)
    seconds: float = 0.0
    district: District | None = None


def _org_units(actor: Actor, district: District) -> dict:
    result = actions.seed_org_units(actor, org_specs(district))
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def _users(actor: Actor, district: District) -> dict:
    result = actions.seed_users(actor, user_specs(district), DEMO_PASSWORD)
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def _territory(actor: Actor, district: District) -> dict:
    from yiwang.territory.actions import import_territory

    return import_territory(actor, district.territory_geojson()).summary()


def _pois(actor: Actor, district: District) -> dict:
    from yiwang.territory.actions import import_pois

    return import_pois(actor, district.poi_geojson()).summary()


def _catalogue(actor: Actor, district: District) -> dict:
    from yiwang.services.catalogue.demo import build_catalogue
    from yiwang.services.catalogue.importing import import_catalogue

    return import_catalogue(actor, build_catalogue(district.seed)).summary()


def _bundles(actor: Actor, district: District) -> dict:
    from yiwang.services.bundles.demo import seed_bundles

    return seed_bundles(actor)


def _devices(actor: Actor, district: District) -> dict:
    from yiwang.sensing.demo import seed_devices

    return seed_devices(actor, district)


def _categories(actor: Actor, district: District) -> dict:
    from yiwang.operations.seed_categories import seed_categories

    return seed_categories(actor)


def _history(actor: Actor, district: District) -> dict:
    from . import history

    return history.seed(actor, district)


def _flood(actor: Actor, district: District) -> dict:
    from yiwang.sensing.flood.demo import seed_flood

    return seed_flood(actor, district)


def _ratings(actor: Actor, district: District) -> dict:
    from yiwang.reviews.demo import seed

    return seed(actor, district)


STEP_FUNCTIONS: dict[str, Callable[[Actor, District], dict]] = {
    "org_units": _org_units,
    "users": _users,
    "territory": _territory,
    "pois": _pois,
    "catalogue": _catalogue,
    "bundles": _bundles,
    "devices": _devices,
    "categories": _categories,
    "history": _history,
    "flood": _flood,
    "ratings": _ratings,
}


def columns(text: str) -> int:
    """Terminal columns ``text`` takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns, with at least one space after it."""
    return text + " " * max(1, width - columns(text))


STEP_LABELS = {
    "org_units": "org units 组织机构",
    "users": "users 用户",
    "territory": "territory 网格",
    "pois": "points of interest 兴趣点",
    "catalogue": "service catalogue 事项目录",
    "bundles": "one-thing bundles 一件事",
    "devices": "sensors 感知设备",
    "categories": "case categories 案件类别",
    "history": "a year of cases 一年案件",
    "flood": "flood scene 防汛防台",
    "ratings": "ratings 好差评",
}


def seeded_with_other_seed(seed: int) -> int | None:
    return SeedStep.objects.exclude(seed=seed).values_list("seed", flat=True).first()


def seed_demo(
    seed: int = DEFAULT_SEED,
    *,
    steps: tuple[str, ...] = STEPS,
    actor: Actor | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> SeedReport:
    """Seed the demo district of ``seed``; steps already done for this seed and version are skipped."""
    actor = actor or Actor.system(Channel.CLI)
    other = seeded_with_other_seed(seed)
    if other is not None:
        raise ActionError(
            _(
                "This database already holds the demo district of seed %(other)s;"
                " use a fresh database for seed %(seed)s."
            )
            % {"other": other, "seed": seed}
        )
    start = time.perf_counter()
    report = SeedReport(seed=seed)
    done = set(SeedStep.objects.filter(seed=seed, version=GENERATOR_VERSION).values_list("step", flat=True))
    todo = [s for s in steps if s not in done]
    report.skipped = [s for s in steps if s in done]
    for step in report.skipped:
        progress(f"{pad(STEP_LABELS[step], 28)}already seeded, skipped")
    if not todo:
        report.seconds = time.perf_counter() - start
        return report
    district = build_district(seed, with_pois="pois" in todo)
    report.district = district
    counts = ", ".join(
        f"{len(district.level(level))} {label}" for level, label in ((2, "subdistricts"), (3, "grids"), (4, "level-4"))
    )
    progress(f"{pad('generated 生成', 28)}{counts}, {len(district.pois)} POIs  ({time.perf_counter() - start:.1f} s)")
    for step in todo:
        t0 = time.perf_counter()
        with transaction.atomic():
            summary = STEP_FUNCTIONS[step](actor, district)
            actions.mark_step_done(actor, seed, GENERATOR_VERSION, step, summary)
        report.done.append(step)
        report.summaries[step] = summary
        shown = ", ".join(f"{k} {v}" for k, v in summary.items() if k in ("created", "updated", "changed", "unchanged"))
        progress(f"{pad(STEP_LABELS[step], 28)}{shown}  ({time.perf_counter() - t0:.1f} s)")
    report.seconds = time.perf_counter() - start
    return report
