"""Weather warnings: the list, entering one, importing a file (with its report), cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from ..actions import WarningsRefused, cancel_warning, enter_warning, import_warnings
from ..forms import ImportForm, WarningForm
from ..models import WeatherWarning
from ..permissions import may_manage_flood
from .access import flood_page, render_page


def _page(request, *, form=None, upload=None, problems=None, status=200):
    context = {
        "warnings": WeatherWarning.objects.select_related("entered_by")[:100],
        "form": form or WarningForm(),
        "upload": upload or ImportForm(),
        "problems": problems or [],
    }
    return render_page(request, "flood/warnings.html", context, status=status)


@never_cache
@flood_page(may_manage_flood)
def warnings_page(request):
    if request.method != "POST":
        return _page(request)
    form = WarningForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        enter_warning(Actor.from_request(request), **form.fields_for_action())
    except WarningsRefused as exc:
        return _page(request, form=form, problems=exc.problems, status=400)
    messages.success(request, _("The warning was recorded."))
    return redirect("flood:warnings")


@never_cache
@require_POST
@flood_page(may_manage_flood)
def import_page(request):
    upload = ImportForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, upload=upload, status=400)
    try:
        result = import_warnings(Actor.from_request(request), upload.cleaned_data["file"].read(), upload.fmt)
    except WarningsRefused as exc:
        return _page(request, upload=upload, problems=exc.problems, status=400)
    messages.success(
        request,
        _("Imported: %(created)s new warning(s), %(unchanged)s already recorded.") % result.summary(),
    )
    return redirect("flood:warnings")


@never_cache
@require_POST
@flood_page(may_manage_flood)
def cancel_page(request, pk: int):
    warning = get_object_or_404(WeatherWarning, pk=pk)
    try:
        cancel_warning(Actor.from_request(request), warning)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The warning was cancelled."))
    return redirect("flood:warnings")
