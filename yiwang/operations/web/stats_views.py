"""The statistics page (tables with SVG charts beside them) and the CSV export of every table."""

from __future__ import annotations

import csv
from datetime import timedelta

from django import forms
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .staff_access import STATS_ROLES, render_page, staff_page
from .staff_filters import unit_choices
from .stats_charts import table_chart
from .stats_queries import TABLES, Period, build_table, hours, percent

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class StatsFilter(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        until = data.get("until") or today
        since = data.get("since") or until - timedelta(days=DEFAULT_DAYS - 1)
        if since > until:
            self.add_error("until", _("“To” must not be before “From”."))
        elif (until - since).days >= MAX_DAYS:
            self.add_error("since", _("Choose a period of at most %(n)d days.") % {"n": MAX_DAYS})
        data["since"], data["until"] = since, until
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(since=data["since"], until=data["until"], unit=data.get("unit") or "")

    def query_string(self) -> str:
        from django.http import QueryDict

        qd = QueryDict(mutable=True)
        data = self.cleaned_data
        qd["since"], qd["until"] = data["since"].isoformat(), data["until"].isoformat()
        if data.get("unit"):
            qd["unit"] = data["unit"]
        return qd.urlencode()


def with_defaults(query):
    """The query with the default period (the last 30 days) filled in, so the form shows what is counted."""
    data = query.copy()
    today = timezone.localdate()
    if not data.get("until"):
        data["until"] = today.isoformat()
    if not data.get("since"):
        data["since"] = (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    return data


@never_cache
@require_GET
@staff_page(STATS_ROLES)
def stats_page(request):
    filt = StatsFilter(with_defaults(request.GET))
    if not filt.is_valid():
        return render_page(request, "operations/stats/stats.html", {"filter": filt, "tables": []}, status=400)
    period = filt.period()
    tables = []
    for key in TABLES:
        table = build_table(key, request.user, period)
        tables.append({"table": table, "chart": table_chart(table, f"chart-{key}")})
    context = {
        "filter": filt,
        "tables": tables,
        "query": filt.query_string(),
        "period": period,
    }
    perf = next(t["table"].summary for t in tables if t["table"].key == "performance")
    sat = next(t["table"].summary for t in tables if t["table"].key == "satisfaction")
    context["kpis"] = {
        "cases": perf["cases"],
        "on_time": percent(perf["on_time_rate"]) or "—",
        "median": hours(perf["median_hours"]) or "—",
        "p90": hours(perf["p90_hours"]) or "—",
        "satisfaction": percent(sat["rate"]) or "—",
        "ratings": sat["total"],
    }
    return render_page(request, "operations/stats/stats.html", context)


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@never_cache
@require_GET
@staff_page(STATS_ROLES)
def stats_csv(request, table: str):
    """One statistics table as CSV: UTF-8 with a BOM (so Excel reads the Chinese), labels and numbers only."""
    if table not in TABLES:
        raise Http404(_("There is no such table."))
    filt = StatsFilter(request.GET)
    if not filt.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filt.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = filt.period()
    data = build_table(table, request.user, period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"yiwang-{table}-{period.since:%Y%m%d}-{period.until:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(c) for c in data.columns])
    for row in data.rows:
        writer.writerow([safe_cell(c) for c in row])
    return response
