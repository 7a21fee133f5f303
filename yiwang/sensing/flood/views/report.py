"""The post-flood report as a page and as CSV."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..forms import ReportForm
from ..permissions import may_view_scene
from ..report import build_report, report_rows
from .access import flood_page, render_page

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (negative numbers stay numbers)."""
    if isinstance(value, int | float):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@never_cache
@require_GET
@flood_page(may_view_scene)
def report_page(request):
    form = ReportForm(request.GET)  # empty: the season so far (or the last 30 days)
    report = build_report(form.period()) if form.is_valid() else None
    return render_page(
        request,
        "flood/report.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
        status=200 if report is not None else 400,
    )


@never_cache
@require_GET
@flood_page(may_view_scene)
def report_csv(request):
    form = ReportForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(" ".join(v) for v in form.errors.values())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = form.period()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"yiwang-flood-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in report_rows(build_report(period)):
        writer.writerow([safe_cell(c) for c in row])
    return response
