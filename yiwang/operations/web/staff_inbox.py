"""The department handler's inbox, and the grid worker's phone pages: cases to verify, and verifying one."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yiwang.core.actions import ActionError, Conflict
from yiwang.core.actor import Actor
from yiwang.core.models import OrgUnit
from yiwang.core.roles import Role
from yiwang.core.scope import acting_assignments, department_units

from ..models import CaseStatus
from ..queries import allowed_actions_for, filter_cases
from ..workflow import A
from .staff_access import render_page, staff_page, visible_case
from .staff_forms import make_form
from .staff_timeline import deadline, photo_url

TO_HANDLE = [CaseStatus.DISPATCHED, CaseStatus.HANDLING, CaseStatus.EXTENSION_REQUESTED]
WAITING = [CaseStatus.HANDLED]
LIST_MAX = 200


def _below(units) -> list[int]:
    ids = {u.pk for u in units}
    frontier = set(ids)
    for _depth in range(6):
        frontier = set(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        if not frontier:
            break
        ids |= frontier
    return sorted(ids)


def assigned_to(user):
    """Cases assigned to the user's departments (and their sections) or to their handling teams."""
    departments = _below(department_units(user, Role.DEPARTMENT_HANDLER))
    teams = [a.org_unit.pk for a in acting_assignments(user) if a.org_unit is not None and a.role == Role.GRID_WORKER]
    return filter_cases(viewer=user).filter(Q(department_id__in=departments) | Q(team_id__in=teams))


def _sorted(qs):
    from django.db.models import F

    return list(
        qs.select_related("category", "department", "team").order_by(F("due_at").asc(nulls_last=True), "id")[:LIST_MAX]
    )


@never_cache
@staff_page({Role.DEPARTMENT_HANDLER, Role.GRID_WORKER})
def inbox(request):
    mine = assigned_to(request.user)
    context = {
        "to_handle": _sorted(mine.filter(status__in=TO_HANDLE)),
        "waiting": _sorted(mine.filter(status__in=WAITING)),
    }
    return render_page(request, "operations/staff/inbox.html", context)


def to_verify(user) -> list:
    """Handled cases the user may verify (their grid, or their subdistrict for floating workers)."""
    actor = Actor(user=user)
    rows = _sorted(filter_cases(viewer=user, status=CaseStatus.HANDLED))
    return [c for c in rows if A.VERIFY_PASS in allowed_actions_for(actor, c)]


@never_cache
@staff_page({Role.GRID_WORKER, Role.DISPATCHER, Role.OPERATIONS_CENTRE})
def verify_list(request):
    return render_page(request, "operations/staff/verify_list.html", {"cases": to_verify(request.user)})


VERIFY_OUTCOMES = {"pass": A.VERIFY_PASS, "fail": A.VERIFY_FAIL}


@never_cache
@require_http_methods(["GET", "POST"])
@staff_page({Role.GRID_WORKER, Role.DISPATCHER, Role.OPERATIONS_CENTRE})
def verify_page(request, code: str):
    """核查 on a phone: what was done (notes, photos), then pass or fail with a photo taken on site."""
    case = visible_case(request.user, code)
    if case is None:
        raise Http404(_("There is no such case, or it is not yours to see."))
    actor = Actor.from_request(request)
    allowed = A.VERIFY_PASS in allowed_actions_for(actor, case)
    outcome = request.POST.get("outcome", "") if request.method == "POST" else ""
    form = make_form(VERIFY_OUTCOMES.get(outcome, A.VERIFY_PASS), case, require_photo=True, prefix="verify")
    status, conflict, outcome_error = 200, None, None
    if request.method == "POST" and not allowed:
        status = 403
    elif request.method == "POST" and outcome not in VERIFY_OUTCOMES:
        outcome_error, status = _("Choose whether the problem is fixed."), 400
    elif request.method == "POST":
        form = make_form(
            VERIFY_OUTCOMES[outcome], case, request.POST, request.FILES, require_photo=True, prefix="verify"
        )
        if form.is_valid():
            try:
                form.perform(actor)
            except Conflict as exc:
                conflict, status = exc.message, 409
                case = visible_case(request.user, code) or case
                allowed = A.VERIFY_PASS in allowed_actions_for(actor, case)
                form = make_form(A.VERIFY_PASS, case, require_photo=True, prefix="verify")
            except ActionError as exc:
                form.add_action_error(exc)
                status = 400
            else:
                done = _("Verification passed.") if outcome == "pass" else _("Sent back to the handlers.")
                messages.success(request, f"{case.code}: {done}")
                return redirect("ops-staff:verify-list")
        else:
            status = 400
    handling = list(case.notes.filter(kind="handling").order_by("-at", "-id")[:3])
    photos = [photo_url(case, a.pk) for a in case.attachments.filter(purpose="handling").order_by("at", "id")]
    context = {
        "case": case,
        "form": form,
        "allowed": allowed,
        "outcome": outcome,
        "outcome_error": outcome_error,
        "conflict": conflict,
        "handling": handling,
        "photos": photos,
        "deadline": deadline(case),
    }
    return render_page(request, "operations/staff/verify.html", context, status=status)
