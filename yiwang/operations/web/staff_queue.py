"""The dispatcher's and operations centre's queue: filters, deadline order, paging, the map, bulk dispatch."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from .. import actions as ops
from ..queries import case_list, filter_cases
from .staff_access import DISPATCH_ROLES, QUEUE_ROLES, home_url_name, render_page, roles_of, staff_page
from .staff_fields import department_field, team_field
from .staff_filters import PAGE_SIZE, QueueFilter
from .staff_timeline import unit_names

BULK_MAX = 100
MAP_MAX = 2000


@never_cache
@staff_page()
def staff_home(request):
    return redirect(home_url_name(request.user))


def may_bulk_dispatch(user) -> bool:
    return bool(roles_of(user) & DISPATCH_ROLES)


class BulkDispatchForm(forms.Form):
    pick = forms.MultipleChoiceField(label=_("Cases"), error_messages={"required": _("Select at least one case.")})
    note = forms.CharField(label=_("Note to the handler (optional)"), required=False, max_length=2000, strip=True)
    back = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = department_field()
        self.fields["team"] = team_field()
        self.order_fields(["department", "team", "note"])
        # the choices are whatever was posted; each pick is "id:version" and is checked in clean_pick
        self.fields["pick"].choices = [(v, v) for v in (self.data.getlist("pick") if self.is_bound else [])]

    def clean_pick(self):
        picks = []
        for value in self.cleaned_data["pick"]:
            pk, _sep, version = value.partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(_("The selection is damaged; reload the queue and select again."))
            picks.append((int(pk), int(version)))
        if len(picks) > BULK_MAX:
            raise forms.ValidationError(
                _("Dispatch at most %(max)d cases at once (you selected %(n)d).") % {"max": BULK_MAX, "n": len(picks)}
            )
        return picks


@never_cache
@require_GET
@staff_page(QUEUE_ROLES)
def queue(request):
    filt = QueueFilter(request.GET or None)
    if filt.is_bound and not filt.is_valid():
        page = None
    else:
        page = case_list(
            viewer=request.user, page=filt.page_number(), page_size=PAGE_SIZE, sort="due", **filt.filters()
        )
        name_areas(page.items)
    context = {
        "filter": filt,
        "page": page,
        "query": filt.query_string(),
        "prev_query": filt.query_string(page=page.page - 1) if page and page.page > 1 else "",
        "next_query": filt.query_string(page=page.page + 1) if page and page.has_next else "",
        "bulk": BulkDispatchForm() if may_bulk_dispatch(request.user) else None,
        "now": timezone.now(),
    }
    return render_page(request, "operations/staff/queue.html", context, status=400 if page is None else 200)


def name_areas(cases) -> None:
    """Give each case ``area`` — [(code, name), …] for its subdistrict and grid — from one query for the page."""
    names = unit_names({code for c in cases for code in (c.subdistrict_code, c.grid_code)})
    for c in cases:
        c.area = [(code, names.get(code, code)) for code in (c.subdistrict_code, c.grid_code) if code]


@dataclass
class Outcome:
    case_id: int
    code: str
    ok: bool
    message: str


def dispatch_each(actor: Actor, viewer, picks, *, department, team, note: str) -> list[Outcome]:
    """Dispatch every picked case through the action (each its own transaction and audit row)."""
    visible = dict(filter_cases(viewer=viewer).filter(pk__in=[pk for pk, _v in picks]).values_list("pk", "code"))
    outcomes = []
    for pk, version in picks:
        code = visible.get(pk)
        if code is None:
            outcomes.append(Outcome(pk, f"#{pk}", False, str(_("There is no such case, or it is not yours to see."))))
            continue
        try:
            ops.dispatch(actor, pk, department=department, team=team, note=note, expected_version=version)
        except ActionError as exc:
            outcomes.append(Outcome(pk, code, False, str(exc.message)))
        else:
            outcomes.append(Outcome(pk, code, True, str(_("Dispatched."))))
    return outcomes


@never_cache
@require_POST
@staff_page(DISPATCH_ROLES)
def bulk_dispatch(request):
    form = BulkDispatchForm(request.POST)
    back = request.POST.get("back", "")
    back_url = reverse("ops-staff:queue") + (f"?{back}" if back and "//" not in back else "")
    if not form.is_valid():
        return render_page(
            request, "operations/staff/bulk_result.html", {"form": form, "back_url": back_url}, status=400
        )
    data = form.cleaned_data
    outcomes = dispatch_each(
        Actor.from_request(request),
        request.user,
        data["pick"],
        department=data["department"],
        team=data["team"],
        note=data["note"],
    )
    context = {
        "form": form,
        "outcomes": outcomes,
        "done": sum(1 for o in outcomes if o.ok),
        "failed": sum(1 for o in outcomes if not o.ok),
        "back_url": back_url,
    }
    return render_page(request, "operations/staff/bulk_result.html", context)


@never_cache
@require_GET
@staff_page(QUEUE_ROLES)
def queue_map(request):
    filt = QueueFilter(request.GET or None)
    filt.is_valid()
    config = {
        "casesUrl": reverse("ops-staff:map-data") + "?" + filt.query_string(),
        "unitsUrl": reverse("api:territory-units") + "?level=2",
        "gridsUrl": reverse("api:territory-units") + "?level=3",
        "strings": {
            "due": str(_("due")),
            "overdue": str(_("overdue")),
            "none": str(_("No case matches these filters.")),
            "shown": str(_("%(n)s cases on the map")),
        },
    }
    return render_page(
        request, "operations/staff/map.html", {"filter": filt, "config": config, "query": filt.query_string()}
    )


@never_cache
@require_GET
@staff_page(QUEUE_ROLES)
def map_data(request):
    """The filtered cases as GeoJSON points (code, status, category, deadline; no personal data)."""
    filt = QueueFilter(request.GET or None)
    if filt.is_bound and not filt.is_valid():
        return JsonResponse({"error": filt.errors.get_json_data()}, status=400)
    qs = filter_cases(viewer=request.user, **filt.filters()).select_related("category")
    rows = list(qs.order_by("due_at", "id")[: MAP_MAX + 1])
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
            "properties": {
                "code": c.code,
                "status": c.get_status_display(),
                "category": c.category.name,
                "due": timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M") if c.due_at else "",
                "overdue": c.overdue,
                "url": reverse("ops-staff:case", args=[c.code]),
            },
        }
        for c in rows[:MAP_MAX]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features, "truncated": len(rows) > MAP_MAX})
