"""The emergency duty roster (应急值守) for the coming week; the operations centre adds and removes shifts."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.core.masking import mask_phone

from ..actions import add_duty_shift, remove_duty_shift
from ..forms import DutyForm
from ..models import DutyShift
from ..permissions import may_manage_flood, may_see_duty_contacts, may_view_scene
from .access import flood_page, render_page

DAYS = 8


def _days(user, start: dt.date) -> list[dict]:
    full = may_see_duty_contacts(user)
    rows = DutyShift.objects.filter(date__gte=start, date__lt=start + dt.timedelta(days=DAYS)).select_related(
        "org_unit"
    )
    return [
        {
            "date": day,
            "shifts": [
                {
                    "pk": s.pk,
                    "shift": s.get_shift_display(),
                    "role": s.get_role_display(),
                    "name": s.name,
                    "org": s.org_unit.name if s.org_unit else "",
                    "phone": s.phone if full else mask_phone(s.phone),
                }
                for s in shifts
            ],
        }  # fmt: skip
        for day, shifts in groupby(rows.order_by("date", "starts_at", "role", "name"), key=lambda s: s.date)
    ]


@never_cache
@flood_page(may_view_scene)
def roster_page(request):
    form, error, status = DutyForm(initial={"date": timezone.localdate()}), None, 200
    if request.method == "POST":
        if not may_manage_flood(request.user):
            raise HttpForbidden(_("Only the operations centre changes the roster."))
        form = DutyForm(request.POST)
        if form.is_valid():
            try:
                add_duty_shift(Actor.from_request(request), **form.cleaned_data)
            except ActionError as exc:
                error = exc.message
            else:
                messages.success(request, _("The shift was added to the roster."))
                return redirect("flood:roster")
        status = 400
    context = {
        "days": _days(request.user, timezone.localdate() - dt.timedelta(days=1)),
        "form": form,
        "error": error,
        "may_manage": may_manage_flood(request.user),
    }
    return render_page(request, "flood/roster.html", context, status=status)


@never_cache
@require_POST
@flood_page(may_manage_flood)
def remove_page(request, pk: int):
    remove_duty_shift(Actor.from_request(request), get_object_or_404(DutyShift, pk=pk))
    messages.success(request, _("The shift was removed from the roster."))
    return redirect("flood:roster")
