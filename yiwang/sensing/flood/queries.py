"""Read paths of the flood scene: what is active now, progress, the duty, the map's layers."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from .conf import flood_setting
from .models import DutyShift, FloodSeason, InspectionTask, ShelterStatus, TaskStatus, WeatherWarning


def active_warnings(at: dt.datetime | None = None) -> list[WeatherWarning]:
    """Warnings in force at ``at`` (now), the most severe first."""
    from .models import LEVEL_RANK

    at = at or timezone.now()
    rows = WeatherWarning.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at), valid_from__lte=at).filter(
        Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=at)
    )
    return sorted(rows, key=lambda w: (-LEVEL_RANK[w.level], -w.valid_from.timestamp()))


def usual_season(year: int) -> FloodSeason:
    """The year's season on the usual calendar (``FLOOD["SEASON"]``), unsaved."""
    dates = {key: dt.date(year, *month_day) for key, month_day in flood_setting("SEASON").items()}
    return FloodSeason(year=year, **dates)


def season_for(day: dt.date | None = None) -> tuple[FloodSeason, str]:
    """The season of ``day``'s year (its row, else the usual calendar) and ``day``'s phase in it:
    off | preparation | season | extended | after."""
    day = day or timezone.localdate()
    season = FloodSeason.objects.filter(year=day.year).first() or usual_season(day.year)
    return season, season.phase(day)


def on_duty(at: dt.datetime | None = None) -> list[DutyShift]:
    at = at or timezone.now()
    return list(DutyShift.objects.filter(starts_at__lte=at, ends_at__gt=at).select_related("org_unit"))


def newest_round_id() -> int | None:
    from .models import InspectionRound

    return InspectionRound.objects.order_by("-issued_at", "-id").values_list("id", flat=True).first()


def task_progress(round_id: int | None = None) -> list[dict]:
    """Per subdistrict: tasks, done, done with a problem found, percentage (newest round, or ``round_id``)."""
    from yiwang.territory.services import units_in_force

    if round_id is None:
        round_id = newest_round_id()
    if round_id is None:
        return []
    rows = (
        InspectionTask.objects.filter(round_id=round_id)
        .values("subdistrict_code")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)))
        .order_by("subdistrict_code")
    )
    names = dict(units_in_force().filter(level=2).values_list("code", "name"))
    problems: dict[str, int] = {}
    done = InspectionTask.objects.filter(round_id=round_id, status=TaskStatus.DONE)
    for code, results in done.values_list("subdistrict_code", "results"):
        if "problem" in (results or {}).values():
            problems[code] = problems.get(code, 0) + 1
    return [
        {
            "code": r["subdistrict_code"],
            "name": names.get(r["subdistrict_code"], r["subdistrict_code"]),
            "total": r["total"],
            "done": r["done"],
            "problems": problems.get(r["subdistrict_code"], 0),
            "percent": round(100 * r["done"] / r["total"]) if r["total"] else 0,
        }
        for r in rows
    ]


# --- flood alerts and cases ---------------------------------------------------------------------


def flood_alert_q() -> Q:
    return Q(device__type__code__in=flood_setting("DEVICE_TYPES")) | Q(
        rule__category_code__in=flood_setting("CATEGORY_CODES")
    )


def flood_alerts():
    from yiwang.sensing.alerts.models import Alert

    return Alert.objects.filter(flood_alert_q()).select_related("device", "device__type", "rule", "case")


def open_flood_alerts():
    from yiwang.sensing.alerts.models import OPEN_ALERT

    return flood_alerts().filter(OPEN_ALERT).order_by("-raised_at")


def flood_case_q() -> Q:
    """Cases of the flood categories (or their children), or opened from a flood alert. The categories are
    resolved to ids first: a filter on the case's own column lets the database use the case indexes by
    category (a join on the category's code and parent made it scan every case)."""
    from yiwang.operations.models import Category
    from yiwang.sensing.alerts.models import Alert

    codes = flood_setting("CATEGORY_CODES")
    ids = list(Category.objects.filter(Q(code__in=codes) | Q(parent__code__in=codes)).values_list("pk", flat=True))
    alert_cases = Alert.objects.filter(flood_alert_q(), case__isnull=False).values("case_id")
    return Q(category_id__in=ids) | Q(pk__in=alert_cases)


def flood_cases(viewer=None):
    from yiwang.operations.models import Case
    from yiwang.operations.queries.cases import visible_to

    qs = Case.objects.filter(flood_case_q())
    if viewer is not None:
        scope = visible_to(viewer)
        if scope is not None:
            qs = qs.filter(scope)
    return qs


def open_flood_cases(viewer=None):
    from yiwang.operations.models.cases import OPEN_CONDITION

    return flood_cases(viewer).filter(OPEN_CONDITION).select_related("category").order_by("-created_at")


# --- map ----------------------------------------------------------------------------------------


def _point(lon, lat, props: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def map_features(viewer, *, alert_url, case_url) -> dict:
    """Shelters and depots (capacity, occupancy), open flood alerts and open flood cases, as GeoJSON."""
    from yiwang.territory.models import PointOfInterest

    status = {s.poi_code: s for s in ShelterStatus.objects.all()}
    features = []
    for p in PointOfInterest.objects.filter(kind__in=("shelter", "material_depot", "pumping_station")):
        s = status.get(p.code)
        capacity = p.capacity if p.capacity is not None else (p.properties or {}).get("capacity")
        features.append(
            _point(p.lon, p.lat, {"layer": p.kind, "code": p.code, "name": p.name, "capacity": capacity,
                                  "occupancy": s.occupancy if s else None, "open": bool(s and s.is_open)})
        )  # fmt: skip
    for a in open_flood_alerts()[:500]:
        features.append(
            _point(a.device.lon, a.device.lat, {"layer": "alert", "code": a.device.code, "level": a.level,
                                                "condition": a.condition, "url": alert_url(a)})
        )  # fmt: skip
    for c in open_flood_cases(viewer)[:500]:
        features.append(
            _point(c.lon, c.lat, {"layer": "case", "code": c.code, "status": c.get_status_display(),
                                  "category": c.category.name, "url": case_url(c)})
        )  # fmt: skip
    return {"type": "FeatureCollection", "features": features}
