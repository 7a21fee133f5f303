"""The figures as the paper reports them, on a page (/services/stats/) and as JSON (?format=json) —
the same sections as ``yiwang services stats`` (:func:`.stats.collect_stats`).

Public: aggregates only, nothing about any person.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .stats import collect_stats


def _pct(value) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def _rows(stats: dict) -> list[tuple[str, str, str]]:
    """(figure, from the catalogue, from the applications) as the paper lists them."""
    cat = stats.get("catalogue", {})
    app = stats.get("applications", {})
    issued = cat.get("government_issued_materials", {})
    limits = cat.get("time_limits", {})
    situations = cat.get("situations") or 0
    spot = cat.get("on_the_spot", {})
    visits = cat.get("at_most_one_visit", {})
    none = cat.get("no_material", {})
    promised = limits.get("promised_days")
    statutory = limits.get("statutory_days")
    return [
        (_("Items 事项 / situations 情形 / materials 材料"),
         f"{cat.get('items', 0)} / {situations} / {cat.get('materials', 0)}", f"{app.get('applications', 0)}"),
        (_("Government-issued materials exempted 政府核发材料免交"),
         f"{issued.get('exemptible', 0)} / {issued.get('count', 0)} ({_pct(issued.get('exemptible_share'))})",
         _pct(app.get("government_materials_exempted_share"))),
        (_("Items needing no material 零材料事项"), f"{none.get('items', 0)}", ""),
        (_("Situations needing no material 零材料情形"), f"{none.get('situations', 0)}", ""),
        (_("Promised vs statutory time (working days) 承诺时限与法定时限"),
         f"{promised / situations:.1f} / {statutory / situations:.1f}" if situations else "—",
         f"{app.get('average_promised_days') or '—'} / {app.get('average_statutory_days') or '—'}"),
        (_("Time limits shortened by 时限压缩"), _pct(limits.get("average_reduction")),
         _pct(app.get("promised_shorter_share"))),
        (_("Materials per application 每件材料数"), "", f"{app.get('materials_per_application') or '—'}"),
        (_("Done on the spot 当场办结"), _pct(spot.get("share")), _pct(app.get("on_the_spot_share"))),
        (_("At most one visit 最多跑一次"),
         f"{_pct(visits.get('share'))} · {_('items')} {_pct(visits.get('items_share'))}",
         _pct(app.get("at_most_one_visit_share"))),
    ]  # fmt: skip


def stats_page(request):
    stats = collect_stats()
    if request.GET.get("format") == "json":
        body = json.dumps(stats, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        return HttpResponse(body, content_type="application/json; charset=utf-8")
    extra = {name: section for name, section in stats.items() if name not in ("catalogue", "applications")}
    return render(
        request,
        "catalogue/stats.html",
        {"rows": _rows(stats), "extra": extra, "by_licence_type": _by_licence_type(stats)},
    )


def _by_licence_type(stats: dict) -> list[tuple[str, int]]:
    counts = stats.get("catalogue", {}).get("government_issued_materials", {}).get("by_licence_type", {})
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
