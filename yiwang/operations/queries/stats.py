"""Counts for dashboards and statistics: by channel, status, category, pillar or unit."""

from __future__ import annotations

from django.db.models import Count

from .cases import filter_cases

GROUPS = {
    "channel": "channel",
    "status": "status",
    "category": "category_id",
    "pillar": "category__pillar",
    "discovery": "discovery",
    "district": "district_code",
    "subdistrict": "subdistrict_code",
    "grid": "grid_code",
    "department": "department_id",
    "priority": "priority",
}


def counts_by(group: str, **filters) -> dict:
    """``{value: count}`` of the cases matching ``filters`` (see ``filter_cases``), grouped by ``group``."""
    column = GROUPS.get(group)
    if column is None:
        raise ValueError(f"unknown grouping {group!r}; one of {', '.join(GROUPS)}")
    rows = filter_cases(**filters).order_by().values(column).annotate(n=Count("id"))
    return {row[column]: row["n"] for row in rows}


def counts_by_two(first: str, second: str, **filters) -> dict:
    """``{(a, b): count}`` for a cross table (e.g. subdistrict × status)."""
    a, b = GROUPS[first], GROUPS[second]
    rows = filter_cases(**filters).order_by().values(a, b).annotate(n=Count("id"))
    return {(row[a], row[b]): row["n"] for row in rows}
