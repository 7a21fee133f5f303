"""The statistics page as CSV (UTF-8 with a BOM, so that spreadsheet programs read the Chinese).

``ratings_csv(by, **filters)``: one row per group and network — both networks, side by side in the
page, stacked here — with the count per level, the total, the satisfaction rate and the bad reviews.
``timeliness_csv(by, **filters)``: rectifications on time per group.
"""

from __future__ import annotations

import csv
import io

from . import queries
from .models import Network

LEVEL_COLUMNS = [f"level_{level}" for level in queries.LEVELS]


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _document(header: list[str], rows) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def ratings_csv(*, by: str = "department", **filters) -> str:
    header = ["dimension", "key", "group", "network", *LEVEL_COLUMNS, "total", "satisfaction_rate", "bad"]
    rows = []
    for row in queries.side_by_side(by=by, **filters):
        for network, stats in ((Network.OPERATIONS, row.operations), (Network.SERVICES, row.services)):
            levels = [stats.levels.get(level, 0) for level in queries.LEVELS]
            key = "" if row.key is None else row.key
            rows.append([by, key, row.label, network, *levels, stats.total, _rate(stats.satisfaction_rate), stats.bad])
    return _document(header, rows)


def timeliness_csv(*, by: str = "department", **filters) -> str:
    header = ["dimension", "key", "group", "opened", "closed_on_time", "closed_late", "open_overdue", "pending"]
    header += ["escalated", "on_time_rate"]
    rows = [
        [by, "" if t.key is None else t.key, t.label, t.total, t.closed_on_time, t.closed_late, t.open_overdue]
        + [t.pending, t.escalated, _rate(t.on_time_rate)]
        for t in queries.rectification_timeliness(by=by, **filters)
    ]
    return _document(header, rows)
