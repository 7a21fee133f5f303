"""Read paths: rating statistics across both networks, rectification timeliness, staff work lists.

Definitions (as the national 好差评 system counts them):

* ``satisfaction_rate`` = ratings at "basically satisfied" or better ÷ all ratings (None when no ratings);
* ``bad`` = ratings "dissatisfied" or "very dissatisfied" (差评);
* rectifications ``on_time_rate`` = closed by their deadline ÷ rectifications whose outcome is known
  (closed, or still open past the deadline); open ones not yet due are ``pending`` and not counted.

Periods: ``since`` is inclusive, ``until`` exclusive; a ``date`` means local midnight of that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, F, Q
from django.utils import timezone

from yiwang.core.models import OrgUnit, User

from . import workflow
from .models import Level, Rating, Rectification

# dimension name → (field on Rating, field on Rectification)
DIMENSIONS = {
    "department": ("opportunity__org_unit", "org_unit"),
    "item": ("opportunity__item_code", "rating__opportunity__item_code"),
    "window": ("opportunity__window_code", "rating__opportunity__window_code"),
    "clerk": ("opportunity__clerk", "rating__opportunity__clerk"),
    "network": ("opportunity__network", "rating__opportunity__network"),
}
LEVELS = tuple(sorted(Level.values, reverse=True))  # 5 … 1


@dataclass
class RatingStats:
    key: object
    label: str
    total: int = 0
    levels: dict[int, int] = field(default_factory=dict)

    @property
    def bad(self) -> int:
        return self.levels.get(Level.DISSATISFIED, 0) + self.levels.get(Level.VERY_DISSATISFIED, 0)

    @property
    def good(self) -> int:
        return self.total - self.bad

    @property
    def satisfaction_rate(self) -> float | None:
        return self.good / self.total if self.total else None


@dataclass
class Timeliness:
    key: object
    label: str
    total: int = 0
    closed: int = 0
    closed_on_time: int = 0
    open_overdue: int = 0
    escalated: int = 0

    @property
    def closed_late(self) -> int:
        return self.closed - self.closed_on_time

    @property
    def known(self) -> int:
        return self.closed + self.open_overdue

    @property
    def pending(self) -> int:
        return self.total - self.known

    @property
    def on_time_rate(self) -> float | None:
        return self.closed_on_time / self.known if self.known else None


def _instant(value):
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    raise TypeError("since/until must be a date or a datetime")


def _period(qs, field_name: str, since, until):
    since, until = _instant(since), _instant(until)
    if since is not None:
        qs = qs.filter(**{f"{field_name}__gte": since})
    if until is not None:
        qs = qs.filter(**{f"{field_name}__lt": until})
    return qs


def _labels(by: str | None, keys) -> dict:
    keys = [k for k in keys if k not in (None, "")]
    if by == "department":
        return {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=keys)}
    if by == "clerk":
        return {u.pk: str(u) for u in User.objects.filter(pk__in=keys)}
    if by == "network":
        from .models import Network

        return {k: str(Network(k).label) for k in keys if k in Network.values}
    if by == "item":
        return _item_labels(keys)
    return {k: str(k) for k in keys}


def _item_labels(keys) -> dict:
    """Item codes → "code name" from the service catalogue (and one-thing bundles), where installed."""
    from django.apps import apps

    labels = {k: str(k) for k in keys}
    if apps.is_installed("yiwang.services.catalogue"):
        from yiwang.services.catalogue.models import Item

        for code, name in Item.objects.filter(code__in=keys).values_list("code", "name"):
            labels[code] = f"{code} {name}"
    bundles = {k.split(":", 1)[1]: k for k in keys if str(k).startswith("bundle:")}
    if bundles and apps.is_installed("yiwang.services.bundles"):
        from yiwang.services.bundles.models import Bundle

        for code, name in Bundle.objects.filter(code__in=bundles).values_list("code", "name"):
            labels[bundles[code]] = name
    return labels


def _dimension(by: str | None, index: int) -> str | None:
    if by is None:
        return None
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; one of {sorted(DIMENSIONS)}")
    return DIMENSIONS[by][index]


def ratings(*, since=None, until=None, network: str | None = None, org_unit=None, item_code: str | None = None):
    """Ratings filtered by period (rated at), network, department (with its sections) and item."""
    qs = _period(Rating.objects.all(), "rated_at", since, until)
    if network:
        qs = qs.filter(opportunity__network=network)
    if org_unit is not None:
        qs = qs.filter(opportunity__org_unit__in=units_below([org_unit]))
    if item_code:
        qs = qs.filter(opportunity__item_code=item_code)
    return qs


def rating_stats(*, by: str | None = None, **filters) -> list[RatingStats]:
    """Counts per level, satisfaction rate and bad reviews, grouped by ``by`` (department, item, window,
    clerk, network) or overall (one row) when ``by`` is None; across both networks unless filtered."""
    dim = _dimension(by, 0)
    qs = ratings(**filters)
    aggregates = {f"l{level}": Count("id", filter=Q(level=level)) for level in LEVELS}
    if dim is None:
        rows = [{"key": None, **qs.aggregate(**aggregates)}]
    else:
        rows = list(qs.values(key=F(dim)).annotate(**aggregates).order_by("key"))
    labels = _labels(by, [row["key"] for row in rows])
    result = []
    for row in rows:
        levels = {level: row[f"l{level}"] or 0 for level in LEVELS}
        label = labels.get(row["key"], "") if by else ""
        result.append(RatingStats(key=row["key"], label=label, total=sum(levels.values()), levels=levels))
    return result


@dataclass
class NetworksRow:
    """One group's ratings in each network, side by side (a group rated in one network only has zeros in
    the other)."""

    key: object
    label: str
    operations: RatingStats
    services: RatingStats

    @property
    def total(self) -> int:
        return self.operations.total + self.services.total


def side_by_side(*, by: str = "department", **filters) -> list[NetworksRow]:
    """Ratings by ``by`` with the two networks (一网统管, 一网通办) in columns, most rated groups first."""
    from .models import Network

    per = {net: {row.key: row for row in rating_stats(by=by, network=net, **filters)} for net in Network.values}
    keys = set(per[Network.OPERATIONS]) | set(per[Network.SERVICES])
    rows = []
    for key in keys:
        ops = per[Network.OPERATIONS].get(key) or RatingStats(key=key, label="")
        svc = per[Network.SERVICES].get(key) or RatingStats(key=key, label="")
        rows.append(NetworksRow(key=key, label=ops.label or svc.label, operations=ops, services=svc))
    return sorted(rows, key=lambda r: (-r.total, str(r.label)))


def rectification_timeliness(
    *, by: str | None = "department", since=None, until=None, org_unit=None, now=None
) -> list[Timeliness]:
    """Share of rectifications closed within their deadline, by dimension, for rectifications opened in the period."""
    now = now or timezone.now()
    dim = _dimension(by, 1)
    qs = _period(Rectification.objects.all(), "opened_at", since, until)
    if org_unit is not None:
        qs = qs.filter(org_unit__in=units_below([org_unit]))
    closed = Q(state=workflow.CLOSED)
    aggregates = {
        "total": Count("id"),
        "closed": Count("id", filter=closed),
        "closed_on_time": Count("id", filter=closed & Q(closed_at__lte=F("due_at"))),
        "open_overdue": Count("id", filter=Q(state__in=workflow.ACTIVE_STATES, due_at__lt=now)),
        "escalated": Count("id", filter=Q(escalated_at__isnull=False)),
    }
    if dim is None:
        rows = [{"key": None, **qs.aggregate(**aggregates)}]
    else:
        rows = list(qs.values(key=F(dim)).annotate(**aggregates).order_by("key"))
    labels = _labels(by, [row["key"] for row in rows])
    fields = ("total", "closed", "closed_on_time", "open_overdue", "escalated")
    return [
        Timeliness(key=row["key"], label=labels.get(row["key"], "") if by else "", **{f: row[f] or 0 for f in fields})
        for row in rows
    ]


def units_below(units, depth: int = 8) -> list[int]:
    """Primary keys of ``units`` and every unit below them (a department's sections)."""
    ids = {u.pk for u in units if u is not None}
    frontier = set(ids)
    for _ in range(depth):
        if not frontier:
            break
        frontier = set(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return sorted(ids)


def rectifications_for(user, *, state: str | None = None, org_unit=None):
    """The rectifications a staff user works on: their departments' (and sections'), or all for the centre."""
    from yiwang.core.scope import is_district_wide, org_units_for

    qs = Rectification.objects.select_related("org_unit", "rating", "rating__opportunity")
    if not is_district_wide(user):
        qs = qs.filter(org_unit__in=units_below(org_units_for(user, *workflow.DEPARTMENT_ROLES)))
    if org_unit is not None:
        qs = qs.filter(org_unit__in=units_below([org_unit]))
    if state == "active":
        qs = qs.filter(state__in=workflow.ACTIVE_STATES)
    elif state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "due_at", "pk")


def opportunity_by_token(token: str):
    from .models import RatingOpportunity

    return RatingOpportunity.objects.select_related("org_unit").filter(token=token).first()
