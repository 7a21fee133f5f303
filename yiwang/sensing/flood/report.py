"""The post-flood report (汛后总结) of a period or an event: alerts, cases, response times, hot spots.

* alerts by level: flood alerts raised in the period, by the highest level each reached (an alert that
  went yellow → red → yellow counts as red: ``Alert.peak_level``, kept by the alerts' update path; an
  alert without one counts at its level);
* cases: flood cases opened in the period, and closed in it;
* response times: alert → case (the case's report time minus the alert's raise time, for alerts of the
  period that opened or joined a case) and case → handled (handled time minus report time, for cases
  of the period handled so far) — count, median and nearest-rank 90th percentile, in minutes;
* hot spots: the grids with most alerts + cases in the period (with their subdistrict).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from .models import LEVEL_RANK, WeatherWarning
from .queries import flood_alerts, flood_cases


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime  # exclusive


def event_period(warning) -> Period:
    """An event's period: from the warning's start to its end (its valid_to or cancellation, else now), plus
    ``FLOOD["EVENT_TAIL_HOURS"]`` (24) for the water to go down and the cases to come in."""
    from django.utils import timezone

    from .conf import flood_setting

    ends = [t for t in (warning.valid_to, warning.cancelled_at) if t is not None]
    end = min(ends) if ends else timezone.now()
    return Period(
        warning.valid_from, max(end, warning.valid_from) + dt.timedelta(hours=flood_setting("EVENT_TAIL_HOURS"))
    )


def _minutes(deltas: list[dt.timedelta]) -> dict:
    values = sorted(max(0.0, d.total_seconds() / 60) for d in deltas)
    if not values:
        return {"count": 0, "median_min": None, "p90_min": None}
    n = len(values)
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    p90 = values[max(0, math.ceil(0.9 * n) - 1)]
    return {"count": n, "median_min": round(median, 1), "p90_min": round(p90, 1)}


def build_report(period: Period, *, hot_spots: int = 10) -> dict:
    from yiwang.territory.services import units_in_force

    alerts = list(
        flood_alerts()
        .filter(raised_at__gte=period.start, raised_at__lt=period.end)
        .values("level", "peak_level", "raised_at", "device__grid_code", "device__subdistrict_code", "case__created_at")
    )
    opened = list(
        flood_cases()
        .filter(created_at__gte=period.start, created_at__lt=period.end)
        .values("grid_code", "subdistrict_code", "created_at", "handled_at")
    )
    closed = flood_cases().filter(closed_at__gte=period.start, closed_at__lt=period.end).count()
    by_level = Counter(a["peak_level"] or a["level"] for a in alerts)
    grid_counts: Counter = Counter()
    sub_of: dict[str, str] = {}
    for a in alerts:
        if a["device__grid_code"]:
            grid_counts[a["device__grid_code"]] += 1
            sub_of[a["device__grid_code"]] = a["device__subdistrict_code"]
    case_counts: Counter = Counter()
    for c in opened:
        if c["grid_code"]:
            case_counts[c["grid_code"]] += 1
            sub_of[c["grid_code"]] = c["subdistrict_code"]
    names = dict(units_in_force().filter(code__in=list(sub_of) + list(sub_of.values())).values_list("code", "name"))
    totals = grid_counts + case_counts
    spots = sorted(totals, key=lambda g: (-totals[g], g))[:hot_spots]
    warnings = WeatherWarning.objects.filter(valid_from__lt=period.end).exclude(valid_to__lte=period.start)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "warnings": [
            {"kind": w.kind, "level": w.level, "valid_from": w.valid_from.isoformat(), "source": w.source}
            for w in warnings.order_by("valid_from")
        ],
        "alerts": {
            "total": len(alerts),
            "by_level": {level: by_level.get(level, 0) for level in sorted(LEVEL_RANK, key=LEVEL_RANK.get)},
        },
        "cases": {"opened": len(opened), "closed": closed},
        "response": {
            "alert_to_case": _minutes(
                [a["case__created_at"] - a["raised_at"] for a in alerts if a["case__created_at"]]
            ),
            "case_to_handled": _minutes([c["handled_at"] - c["created_at"] for c in opened if c["handled_at"]]),
        },
        "hot_spots": [
            {
                "grid": g,
                "grid_name": names.get(g, g),
                "subdistrict": sub_of.get(g, ""),
                "subdistrict_name": names.get(sub_of.get(g, ""), sub_of.get(g, "")),
                "alerts": grid_counts.get(g, 0),
                "cases": case_counts.get(g, 0),
                "total": totals[g],
            }
            for g in spots
        ],
    }


def report_rows(report: dict) -> list[list]:
    """The report as CSV rows: section, item, value(s) — labels and numbers only."""
    rows: list[list] = [["section", "item", "value", "extra"]]
    rows.append(["period", "start", report["period"]["start"], ""])
    rows.append(["period", "end", report["period"]["end"], ""])
    rows.append(["alerts", "total", report["alerts"]["total"], ""])
    for level, n in report["alerts"]["by_level"].items():
        rows.append(["alerts", f"level {level}", n, ""])
    rows.append(["cases", "opened", report["cases"]["opened"], ""])
    rows.append(["cases", "closed", report["cases"]["closed"], ""])
    for name, r in report["response"].items():
        rows.append(["response", f"{name} count", r["count"], ""])
        rows.append(["response", f"{name} median (min)", "" if r["median_min"] is None else r["median_min"], ""])
        rows.append(["response", f"{name} p90 (min)", "" if r["p90_min"] is None else r["p90_min"], ""])
    for i, spot in enumerate(report["hot_spots"], start=1):
        label = f"{spot['grid']} {spot['grid_name']} ({spot['subdistrict_name']})"
        rows.append(["hot spot", f"{i}. {label}", spot["total"], f"alerts {spot['alerts']}, cases {spot['cases']}"])
    for w in report["warnings"]:
        rows.append(["warning", f"{w['kind']} {w['level']}", w["valid_from"], w["source"]])
    return rows
