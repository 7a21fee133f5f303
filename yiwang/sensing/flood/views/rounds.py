"""An issued checklist round for the scene's viewers: every task, what was found, the note and the photo."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..models import InspectionRound, InspectionTask
from ..permissions import may_do_task, may_view_scene
from .access import flood_page, render_page


def _rows(issued: InspectionRound, subdistrict: str) -> list[dict]:
    tasks = (
        issued.tasks.select_related("done_by")
        .prefetch_related("cases")
        .order_by("subdistrict_code", "grid_code", "poi_code")
    )
    if subdistrict:
        tasks = tasks.filter(subdistrict_code=subdistrict)
    out = []
    for t in tasks:
        found = [
            issued.items[int(i)] for i, v in sorted(t.results.items()) if v == "problem" and int(i) < len(issued.items)
        ]
        out.append(
            {
                "task": t,
                "problems": found,
                "cases": sorted(t.cases.all(), key=lambda c: c.code),
                "by": t.done_by.get_full_name() or t.done_by.get_username() if t.done_by else "",
            }
        )
    return out


@never_cache
@require_GET
@flood_page(may_view_scene)
def round_page(request, pk: int):
    issued = get_object_or_404(InspectionRound.objects.select_related("template"), pk=pk)
    subdistrict = request.GET.get("subdistrict", "")[:64]
    context = {"round": issued, "rows": _rows(issued, subdistrict), "subdistrict": subdistrict}
    return render_page(request, "flood/round.html", context)


def _may_see_photo(user, task) -> bool:
    return may_view_scene(user) or may_do_task(user, task)


@never_cache
@require_GET
@flood_page(lambda user: True)
def task_photo(request, pk: int, size: str):
    """The clean copy (no EXIF/GPS) of an inspection photo, or its thumbnail."""
    from yiwang.core.uploads.storage import private_storage, public_storage

    task = InspectionTask.objects.select_related("photo").filter(pk=pk).first()
    if task is None or task.photo is None or not _may_see_photo(request.user, task):
        raise Http404(_("There is no such photo."))
    stored = task.photo
    name = stored.thumbnail_name if size == "thumb" else stored.public_name
    if not name or not stored.is_image:
        raise Http404(_("There is no such photo."))
    storage = public_storage() if stored.public else private_storage()
    response = FileResponse(storage.open(name, "rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
