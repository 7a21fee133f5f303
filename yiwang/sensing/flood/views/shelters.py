"""Shelters (避难场所) and material depots (防汛物资仓库) with their capacity; shelters' occupancy updated here."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from ..actions import set_shelter_status
from ..forms import ShelterForm
from ..models import ShelterStatus
from ..permissions import may_manage_flood, may_view_scene
from .access import flood_page, render_page


def _sites():
    from yiwang.territory.models import PointOfInterest

    status = {s.poi_code: s for s in ShelterStatus.objects.all()}
    rows = PointOfInterest.objects.filter(kind__in=("shelter", "material_depot")).order_by("kind", "code")
    return [
        {"code": p.code, "name": p.name, "kind": p.get_kind_display(), "shelter": p.kind == "shelter",
         "capacity": p.capacity, "status": status.get(p.code), "subdistrict": p.subdistrict_code}
        for p in rows
    ]  # fmt: skip


@never_cache
@flood_page(may_view_scene)
def sites_page(request, *, error=None, status=200):
    context = {"sites": _sites(), "may_manage": may_manage_flood(request.user), "error": error}
    return render_page(request, "flood/sites.html", context, status=status)


@never_cache
@require_POST
@flood_page(may_manage_flood)
def shelter_update(request, code: str):
    form = ShelterForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(" ".join(v) for v in form.errors.values())
        return sites_page(request, error=f"{code}: {errors}", status=400)
    try:
        set_shelter_status(Actor.from_request(request), code, **form.cleaned_data)
    except ActionError as exc:
        return sites_page(request, error=f"{code}: {exc.message}", status=400)
    messages.success(request, _("Shelter %(code)s updated.") % {"code": code})
    return redirect("flood:sites")
