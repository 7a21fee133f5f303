"""The staff case page: the whole timeline, the deadline, and exactly the actions this person may take.

The actions shown come from ``queries.allowed_actions_for`` (the transition table narrowed by the
person's roles and scope); each is a small form that carries the version the page showed. A post for an
action the person may not take is refused (403) whatever the form says; a post on a case someone else
changed in the meantime gets the conflict message on the page (409) and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yiwang.core.actions import ActionError, Conflict, PermissionDenied
from yiwang.core.actor import Actor

from ..models import CaseAttachment
from ..queries import allowed_actions_for, duplicate_candidates, explain_route
from ..workflow import A
from . import staff_reads
from .staff_access import render_page, staff_page, visible_case
from .staff_forms import FORMS, make_form
from .staff_timeline import deadline, story, unit_names

# the order the actions are offered in: the main road first, the side roads after
ORDER = [
    A.ACCEPT, A.REGISTER, A.DISPATCH, A.START_HANDLING, A.MARK_HANDLED, A.VERIFY_PASS, A.VERIFY_FAIL, A.CLOSE,
    A.GRANT_EXTENSION, A.REFUSE_EXTENSION, A.REQUEST_EXTENSION, A.RETURN, A.SUPERVISE, A.SUSPEND, A.RESUME,
    A.REOPEN, A.EVALUATE, A.REJECT, A.MERGE, A.SPLIT,
]  # fmt: skip
DONE = {
    A.ACCEPT: _("The case was accepted."),
    A.REGISTER: _("The case was registered."),
    A.DISPATCH: _("The case was dispatched."),
    A.START_HANDLING: _("You took the case in hand."),
    A.MARK_HANDLED: _("The case was marked as handled; it now waits for verification."),
    A.VERIFY_PASS: _("Verification passed."),
    A.VERIFY_FAIL: _("Verification failed; the case is back with its handlers."),
    A.RETURN: _("The case was returned to the dispatcher."),
    A.REQUEST_EXTENSION: _("The extension was requested."),
}


def allowed_for(actor: Actor, case) -> list[str]:
    """Actions the person may take now that the page offers a form for, in the page's order."""
    allowed = set(allowed_actions_for(actor, case)) & set(FORMS)
    return [a for a in ORDER if a in allowed]


def _route_hint(case):
    try:
        explanation = explain_route(case.category, case.lon, case.lat, priority=case.priority)
    except Exception:  # a hint only: never break the page over it
        return None
    return explanation


def case_context(request, case, *, bound=None, conflict=None, contact=None) -> dict:
    actor = Actor.from_request(request)
    actions = allowed_for(actor, case)
    forms = []
    for name in actions:
        form = bound if bound is not None and bound.action == name else make_form(name, case)
        forms.append({"name": name, "form": form, "label": ACTION_LABEL(name)})
    candidates = duplicate_candidates(case, limit=10) if A.MERGE in actions else []
    units = unit_names([case.district_code, case.subdistrict_code, case.grid_code])
    pending = case.extension_requests.filter(status="pending").order_by("-at").first()
    return {
        "case": case,
        "actions": forms,
        "timeline": story(case),
        "deadline": deadline(case),
        "candidates": candidates,
        "route": _route_hint(case) if A.DISPATCH in actions else None,
        "pending_extension": pending,
        "units": [(code, units.get(code, code)) for code in (case.subdistrict_code, case.grid_code) if code],
        "contact": contact or staff_reads.masked_contact(case),
        "may_reveal": contact is None and staff_reads.may_reveal(request.user, case),
        "conflict": conflict,
        "children": list(case.children.order_by("id").values_list("code", flat=True)),
        "photos": case.attachments.filter(purpose="report").order_by("at", "id"),
    }


def ACTION_LABEL(name: str) -> str:  # noqa: N802  (reads as a table lookup)
    from ..workflow import ACTION_LABELS

    return str(ACTION_LABELS.get(name, name))


def _case_or_404(request, code: str):
    case = visible_case(request.user, code)
    if case is None:
        raise Http404(_("There is no such case, or it is not yours to see."))
    return case


@never_cache
@require_GET
@staff_page()
def case_page(request, code: str):
    case = _case_or_404(request, code)
    return render_page(request, "operations/staff/case.html", case_context(request, case))


@never_cache
@require_POST
@staff_page()
def act(request, code: str, action: str):
    case = _case_or_404(request, code)
    actor = Actor.from_request(request)
    if action not in FORMS:
        raise Http404(_("There is no such action."))
    if action not in allowed_for(actor, case):
        context = case_context(request, case)
        context["refused"] = _("You may not %(action)s this case now.") % {"action": ACTION_LABEL(action)}
        return render_page(request, "operations/staff/case.html", context, status=403)
    form = make_form(action, case, request.POST, request.FILES)
    if not form.is_valid():
        return render_page(request, "operations/staff/case.html", case_context(request, case, bound=form), status=400)
    try:
        form.perform(actor)
    except Conflict as exc:
        fresh = visible_case(request.user, code) or case
        return render_page(
            request, "operations/staff/case.html", case_context(request, fresh, conflict=exc.message), status=409
        )
    except PermissionDenied as exc:
        context = case_context(request, case)
        context["refused"] = exc.message
        return render_page(request, "operations/staff/case.html", context, status=403)
    except ActionError as exc:
        form.add_action_error(exc)
        return render_page(request, "operations/staff/case.html", case_context(request, case, bound=form), status=400)
    messages.success(request, DONE.get(action, _("Done: %(action)s.") % {"action": ACTION_LABEL(action)}))
    target = case_after(request, case, action)
    return redirect(target)


def case_after(request, case, action: str) -> str:
    """Where to go after a successful action: back to the page one came from, else the case page."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    if action == A.MERGE:
        case.refresh_from_db()
        if case.merged_into_id:
            return reverse("ops-staff:case", args=[case.merged_into.code])
    return reverse("ops-staff:case", args=[case.code])


@never_cache
@require_POST
@staff_page()
def reveal_contact(request, code: str):
    """Show the reporter's full contact once, on this response only; the read is audited."""
    case = _case_or_404(request, code)
    try:
        contact = staff_reads.read_reporter_contact(Actor.from_request(request), case)
    except PermissionDenied as exc:
        context = case_context(request, case)
        context["refused"] = exc.message
        return render_page(request, "operations/staff/case.html", context, status=403)
    return render_page(request, "operations/staff/case.html", case_context(request, case, contact=contact))


@require_GET
@staff_page()
def photo(request, code: str, attachment_id: int, size: str):
    """A case photo for the staff who may see the case: the clean copy (no EXIF/GPS) or its thumbnail."""
    from yiwang.core.uploads.storage import private_storage, public_storage

    case = _case_or_404(request, code)
    row = CaseAttachment.objects.select_related("file").filter(case=case, pk=attachment_id).first()
    if row is None or not row.file.is_image:
        raise Http404(_("There is no such photo."))
    stored = row.file
    name = stored.thumbnail_name if size == "thumb" else stored.public_name
    if not name:
        raise Http404(_("There is no such photo."))
    storage = public_storage() if stored.public else private_storage()
    response = FileResponse(storage.open(name, "rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
