"""Statistics of city operations for a period and an area, as tables (the page, the charts and the CSV share them).

Definitions:

* the cases of a period are those **reported** in it (``from`` and ``to`` inclusive, local dates), in the
  area (a unit of any level) and within what the viewer may see (``queries.visible_to``);
* **on time**: a handled case is on time when it was marked handled by the deadline of its (last)
  handling clock, extensions included; a case still open past that deadline counts as late; open cases
  not yet due are pending and not counted. On-time rate = on time ÷ (handled + open overdue);
* **handling time**: from dispatch to "handled", in calendar hours; median and 90th percentile
  (nearest rank) over handled cases;
* **satisfaction** (from the reviews context, 好差评): ratings of these areas' cases *given* in the
  period; rate = ratings "basically satisfied" or better ÷ all ratings.

Tables hold labels and numbers only: never a person's name, phone or address.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import CaseChannel, CaseStatus, Category
from ..queries import filter_cases, visible_to
from ..workflow import OPEN_STATES
from .staff_timeline import unit_names

SUBJECT_TYPE = "operations.case"


@dataclass(frozen=True)
class Period:
    since: date | None = None
    until: date | None = None  # inclusive
    unit: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: tuple[int, int] | None = (0, 1)  # (label column, value column) drawn as bars
    note: str = ""
    summary: dict = field(default_factory=dict)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def cases_in(viewer, period: Period) -> QuerySet:
    qs = filter_cases(viewer=viewer, unit=period.unit or None)
    if period.since:
        qs = qs.filter(created_at__gte=_start(period.since))
    if period.until:
        qs = qs.filter(created_at__lt=_start(period.until + timedelta(days=1)))
    return qs


def _sorted_rows(counts: dict, labels: dict) -> list[list]:
    rows = [[labels.get(key, key or "—"), n] for key, n in counts.items()]
    rows.sort(key=lambda r: (-r[1], str(r[0])))
    return rows


def count_table(viewer, period: Period, group: str) -> Table:
    qs = cases_in(viewer, period)
    counts = {row[0]: row[1] for row in _group(qs, group)}
    labels: dict = {}
    if group == "channel":
        labels = {c.value: str(c.label) for c in CaseChannel}
    elif group == "status":
        labels = {c.value: str(c.label) for c in CaseStatus}
    elif group == "category":
        cats = Category.objects.filter(pk__in=[k for k in counts if k]).select_related("parent")
        labels = {c.pk: f"{c.parent.name} › {c.name}" if c.parent_id else c.name for c in cats}
    elif group in ("subdistrict", "grid"):
        labels = {code: f"{name} · {code}" for code, name in unit_names(counts).items()}
    titles = {
        "channel": _("Cases by channel"),
        "status": _("Cases by status"),
        "category": _("Cases by category"),
        "subdistrict": _("Cases by subdistrict"),
        "grid": _("Cases by grid"),
    }
    heads = {
        "channel": _("Channel"),
        "status": _("Status"),
        "category": _("Category"),
        "subdistrict": _("Subdistrict"),
        "grid": _("Grid"),
    }
    return Table(group, str(titles[group]), [str(heads[group]), str(_("Cases"))], _sorted_rows(counts, labels))


COLUMNS = {
    "channel": "channel",
    "status": "status",
    "category": "category_id",
    "subdistrict": "subdistrict_code",
    "grid": "grid_code",
}


def _group(qs: QuerySet, group: str):
    column = COLUMNS[group]
    return qs.order_by().values_list(column).annotate(n=Count("id"))


def nearest_rank(values: list[float], share: float) -> float | None:
    """The ``share`` percentile by the nearest-rank method (p90 of [1..10] is 9)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Performance:
    label: str
    cases: int = 0
    handled: int = 0
    on_time: int = 0
    open_overdue: int = 0
    hours: list[float] = field(default_factory=list)

    @property
    def late(self) -> int:
        return self.handled - self.on_time + self.open_overdue

    @property
    def on_time_rate(self) -> float | None:
        known = self.handled + self.open_overdue
        return self.on_time / known if known else None

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    @property
    def p90_hours(self) -> float | None:
        return nearest_rank(self.hours, 0.9)


def _handle_due():
    """The deadline of each case's last handling clock (work calendar), as a subquery."""
    from yiwang.core.workcal.models import Clock

    clocks = Clock.objects.filter(
        subject_type=SUBJECT_TYPE, subject_id=Cast(OuterRef("pk"), CharField()), kind="handle"
    ).order_by("-started_at", "-id")
    return Subquery(clocks.values("due_at")[:1])


def performance(viewer, period: Period, *, now: datetime | None = None) -> tuple[Performance, list[Performance]]:
    """On time and handling time, overall and by subdistrict."""
    now = now or timezone.now()
    rows = (
        cases_in(viewer, period)
        .annotate(handle_due=_handle_due())
        .values_list("subdistrict_code", "status", "dispatched_at", "handled_at", "handle_due", "clock_kind", "due_at")
    )
    total = Performance(str(_("All")))
    by_sub: dict[str, Performance] = {}
    for sub, status, dispatched, handled, handle_due, clock_kind, due in rows.iterator():
        bucket = by_sub.setdefault(sub or "", Performance(sub or "—"))
        for p in (total, bucket):
            p.cases += 1
            if handled is not None:
                p.handled += 1
                if handle_due is None or handled <= handle_due:
                    p.on_time += 1
                if dispatched is not None and handled >= dispatched:
                    p.hours.append((handled - dispatched).total_seconds() / 3600)
            elif status in OPEN_STATES and clock_kind == "handle" and due is not None and due < now:
                p.open_overdue += 1
    names = unit_names(by_sub)
    for code, p in by_sub.items():
        p.label = f"{names[code]} · {code}" if code in names else (code or "—")
    return total, sorted(by_sub.values(), key=lambda p: (-p.cases, p.label))


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def performance_table(viewer, period: Period) -> Table:
    total, rows = performance(viewer, period)
    columns = [
        _("Subdistrict"),
        _("Cases"),
        _("Handled"),
        pgettext_lazy("cases handled by the deadline", "On time"),
        _("Late"),
        _("On-time rate"),
        _("Median handling time (h)"),
        _("90th percentile (h)"),
    ]

    def line(p: Performance) -> list:
        return [p.label, p.cases, p.handled, p.on_time, p.late, percent(p.on_time_rate), hours(p.median_hours),
                hours(p.p90_hours)]  # fmt: skip

    table = Table(
        "performance",
        str(_("On time and handling time")),
        [str(c) for c in columns],
        [line(p) for p in rows] + [line(total)],
        chart=None,
        note=str(
            _(
                "On time: handled by the deadline of the handling clock (extensions included); open cases past "
                "their deadline count as late. Handling time: from dispatch to handled, calendar hours."
            )
        ),
    )
    table.summary = {
        "on_time_rate": total.on_time_rate,
        "median_hours": total.median_hours,
        "p90_hours": total.p90_hours,
        "handled": total.handled,
        "cases": total.cases,
    }
    return table


def _ratings(viewer, period: Period):
    from yiwang.reviews.queries import ratings

    qs = ratings(
        since=period.since,
        until=period.until + timedelta(days=1) if period.until else None,
        network="operations",
    ).filter(opportunity__subject_type=SUBJECT_TYPE)
    if period.unit or visible_to(viewer) is not None:
        ids = filter_cases(viewer=viewer, unit=period.unit or None).annotate(sid=Cast("pk", CharField()))
        qs = qs.filter(opportunity__subject_id__in=ids.values("sid"))
    return qs


def satisfaction_table(viewer, period: Period) -> Table:
    from yiwang.reviews.models import Level

    counts = dict(_ratings(viewer, period).order_by().values_list("level").annotate(n=Count("id")))
    levels = sorted(Level, key=lambda lv: -lv.value)
    rows = [[str(lv.label), counts.get(lv.value, 0)] for lv in levels]
    total = sum(counts.values())
    good = sum(n for level, n in counts.items() if level >= Level.BASICALLY_SATISFIED)
    table = Table(
        "satisfaction",
        str(_("Satisfaction of reporters (好差评)")),
        [str(_("Rating")), str(_("Ratings"))],
        rows,
        note=str(_("Ratings given in the period; satisfied = “basically satisfied” or better.")),
    )
    table.summary = {"total": total, "good": good, "rate": good / total if total else None}
    return table


TABLES = ("channel", "status", "category", "subdistrict", "grid", "performance", "satisfaction")


def build_table(key: str, viewer, period: Period) -> Table:
    if key == "performance":
        return performance_table(viewer, period)
    if key == "satisfaction":
        return satisfaction_table(viewer, period)
    if key in COLUMNS:
        return count_table(viewer, period, key)
    raise KeyError(key)


__all__ = ["TABLES", "Period", "Table", "build_table", "cases_in", "nearest_rank", "performance"]
