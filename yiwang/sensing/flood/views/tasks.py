"""Checklists: issuing a round (operations centre) and doing a task on a phone (grid workers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.core.roles import Role
from yiwang.core.scope import grid_codes, has_role, subdistrict_codes

from ..actions import complete_task, issue_checklist
from ..forms import IssueForm
from ..models import InspectionTask, TaskStatus
from ..permissions import may_do_task, may_manage_flood
from ..queries import active_warnings
from .access import flood_page, render_page


@never_cache
@flood_page(may_manage_flood)
def issue_page(request):
    form = IssueForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = issue_checklist(
                Actor.from_request(request), data["template"], due_on=data["due_on"], subdistricts=data["subdistricts"]
            )
        except ActionError as exc:
            error = exc.message
        else:
            messages.success(request, _("%(n)s inspection tasks issued.") % {"n": issued.tasks.count()})
            return redirect("flood:scene")
    status = 400 if request.method == "POST" else 200
    return render_page(request, "flood/issue.html", {"form": form, "error": error}, status=status)


def _is_grid_worker(user) -> bool:
    return has_role(user, Role.GRID_WORKER)


def my_tasks_queryset(user):
    grids = grid_codes(user, Role.GRID_WORKER)
    subs = subdistrict_codes(user, Role.GRID_WORKER)
    from django.db.models import Q

    return InspectionTask.objects.filter(Q(grid_code__in=grids) | Q(subdistrict_code__in=subs)).select_related("round")


@never_cache
@flood_page(_is_grid_worker)
def task_list(request):
    tasks = my_tasks_queryset(request.user)
    context = {
        "open": list(tasks.filter(status=TaskStatus.OPEN).order_by("round__due_on", "grid_code", "poi_code")[:200]),
        "done": list(tasks.filter(status=TaskStatus.DONE).order_by("-done_at")[:20]),
        "warnings": active_warnings(),
    }
    return render_page(request, "flood/tasks.html", context)


@never_cache
@flood_page(_is_grid_worker)
def task_page(request, pk: int):
    task = InspectionTask.objects.select_related("round").filter(pk=pk).first()
    if task is None or not may_do_task(request.user, task):
        raise Http404(_("There is no such task, or it is not yours."))
    items = [{"index": str(i), "text": text} for i, text in enumerate(task.round.items)]
    error, field, answers, note = None, None, {}, ""
    if request.method == "POST":
        answers = {item["index"]: request.POST.get(f"item-{item['index']}", "") for item in items}
        note = request.POST.get("note", "")
        try:
            done = complete_task(
                Actor.from_request(request), task, results=answers, note=note, photo=request.FILES.get("photo")
            )
        except ActionError as exc:
            error, field = exc.message, exc.field
        else:
            messages.success(request, _("The inspection was recorded. Thank you."))
            if done.opened_cases:
                codes = ", ".join(c.code for c in done.opened_cases)
                messages.info(request, _("Cases opened for the problems found: %(codes)s") % {"codes": codes})
            return redirect("flood:tasks")
    for item in items:
        item["answer"] = answers.get(item["index"], task.results.get(item["index"], ""))
    context = {"task": task, "items": items, "error": error, "error_field": field, "note": note or task.note}
    return render_page(request, "flood/task.html", context, status=400 if error else 200)
