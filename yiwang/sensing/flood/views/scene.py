"""The scene page (防汛防台): the season, active warnings, duty, checklist progress, alerts and the map."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yiwang.core.masking import mask_phone

from ..cameras import cameras_for_alert
from ..conf import flood_setting
from ..permissions import may_manage_flood, may_see_duty_contacts, may_view_scene
from ..queries import (
    active_warnings,
    flood_alerts,
    map_features,
    newest_round_id,
    on_duty,
    open_flood_alerts,
    open_flood_cases,
    season_for,
    task_progress,
)
from .access import flood_page, render_page

PHASES = {
    "off": _("outside the flood season 非汛期"),
    "preparation": _("pre-flood preparation 汛前准备"),
    "season": _("flood season 主汛期"),
    "extended": _("flood season extended 延长汛期"),
    "after": _("after the flood season 汛后"),
}


def _duty_rows(user) -> list[dict]:
    full = may_see_duty_contacts(user)
    return [
        {"role": d.get_role_display(), "name": d.name, "org": d.org_unit.name if d.org_unit else "",
         "phone": d.phone if full else mask_phone(d.phone), "shift": d.get_shift_display(), "until": d.ends_at}
        for d in on_duty()
    ]  # fmt: skip


@never_cache
@require_GET
@flood_page(may_view_scene)
def scene(request):
    season, phase = season_for()
    alerts = list(open_flood_alerts()[:50])
    config = {
        "dataUrl": reverse("flood:map-data"),
        "unitsUrl": reverse("api:territory-units") + "?level=2",
        "strings": {
            "capacity": str(_("capacity")),
            "occupancy": str(_("occupancy")),
            "open": str(_("open")),
            "level": str(_("level")),
            "shown": str(_("%(n)s points on the map")),
        },
    }
    context = {
        "season": season,
        "phase": phase,
        "phase_label": PHASES.get(phase, ""),
        "warnings": active_warnings(),
        "duty": _duty_rows(request.user),
        "progress": task_progress(),
        "round_id": newest_round_id(),
        "alerts": alerts,
        "open_cases": open_flood_cases(request.user).count(),
        "config": config,
        "may_manage": may_manage_flood(request.user),
        "now": timezone.now(),
    }
    return render_page(request, "flood/scene.html", context)


@never_cache
@require_GET
@flood_page(may_view_scene)
def map_data(request):
    data = map_features(
        request.user,
        alert_url=lambda a: reverse("flood:alert", args=[a.pk]),
        case_url=lambda c: reverse("ops-staff:case", args=[c.code]),
    )
    return JsonResponse(data)


@never_cache
@require_GET
@flood_page(may_view_scene)
def alert_page(request, pk: int):
    alert = get_object_or_404(flood_alerts(), pk=pk)
    context = {
        "alert": alert,
        "device": alert.device,
        "cameras": cameras_for_alert(alert),
        "radius": flood_setting("CAMERA_RADIUS_M"),
    }
    return render_page(request, "flood/alert.html", context)
