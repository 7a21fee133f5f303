"""Pages: the resident portal, the window clerk's desk and the approver's queue — one backend.

Every page posts to the same actions (:mod:`.actions`) with the channel of its place: ``online`` for
the portal, ``window`` at the desk. The application page offers the buttons the transition table allows
the viewer, and posts the version it showed, so two clerks acting at once get a clear conflict.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.services.catalogue.guide import guide
from yiwang.services.catalogue.models import Situation
from yiwang.services.catalogue.queries import item_for_guide, search_items

from . import access, actions, queries
from . import workflow as wf
from .models import Application, MaterialState
from .states import ApplyChannel

AREAS = {
    "portal": "applications-portal-detail",
    "window": "applications-window-detail",
    "approvals": "applications-approvals-detail",
}
REASON_ACTIONS = {wf.A.NOT_ACCEPT, wf.A.REQUEST_CORRECTION, wf.A.DENY}


def _actor(request) -> Actor:
    return Actor.from_request(request)


def _application(request, code: str) -> Application:
    application = get_object_or_404(queries.with_related(Application.objects.all()), code=code)
    if not access.may_view(request.user, application):
        raise Http404(_("No such application."))
    return application


def _per_screen(request) -> int | None:
    """Elder mode (长辈模式): how many choices a screen of the portal may offer; None = no limit."""
    from yiwang.services.kiosk.elder import PER_SCREEN, is_on

    return PER_SCREEN if is_on(request) else None


def _screen(request, rows, per: int | None, param: str = "page"):
    """One screen of ``rows``: all of them, or ``per`` a page (elder mode) with a pager."""
    if per is None:
        return None, rows
    page = Paginator(rows, per).get_page(request.GET.get(param))
    return page, list(page)


def _require(condition: bool) -> None:
    if not condition:
        raise HttpForbidden(_("This page is for other roles."))


# --- the resident portal --------------------------------------------------------------------------


@login_required
def portal(request):
    text = request.GET.get("q", "")
    per = _per_screen(request)
    items_page, items = _screen(request, search_items(text)[:50] if text else [], per)
    mine_page, mine = _screen(request, queries.mine(request.user)[:50], per, "mine")
    return render(
        request,
        "applications/portal.html",
        {
            "applications": mine,
            "mine_page": mine_page,
            "items": items,
            "items_page": items_page,
            "q": text,
            "search_query": urlencode({"q": text}) if text else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_item(request, item_code: str):
    """Guidance: the answers narrow the item to one situation; then the applicant starts the application."""
    item = item_for_guide(item_code)
    if item is None:
        raise Http404(_("No such item."))
    answers = {k[2:]: v for k, v in request.GET.items() if k.startswith("q_")}
    guidance = guide(item, answers)
    if request.method == "POST":
        situation = get_object_or_404(Situation, pk=request.POST.get("situation"), item=item)
        try:
            application = actions.create_application(_actor(request), situation=situation, channel=ApplyChannel.ONLINE)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("applications-portal-detail", code=application.code)
    per = _per_screen(request)
    options_page, options = _screen(request, guidance.options if guidance.question else [], per)
    query = urlencode({f"q_{k}": v for k, v in answers.items()})
    return render(
        request,
        "applications/item.html",
        {
            "item": item,
            "guidance": guidance,
            "answers": answers,
            "options": options,
            "options_page": options_page,
            "query": query,
            "elder": per is not None,
        },
    )


# --- the application page (all three places) ------------------------------------------------------


def _perform(request, application, name: str) -> None:
    actor = _actor(request)
    reason = request.POST.get("reason", "")
    if name == "upload":
        row = get_object_or_404(application.materials.select_related("material"), pk=request.POST.get("row"))
        upload = request.FILES.get("file")
        if upload is None:
            raise ActionError(_("Choose a file to upload."), field="file")
        actions.attach_material(actor, application, row.material, upload)
    elif name == wf.A.CONSULT:
        actions.call_specialist(actor, application, request.POST.get("message", ""))
    elif name == "message":
        actions.post_consult_message(actor, application, request.POST.get("message", ""))
    elif name == "rating_sms":
        from yiwang.reviews.actions import send_rating_link

        opportunity = _rating_opportunity(application)
        if opportunity is None:
            raise ActionError(_("This application cannot be rated yet."))
        send_rating_link(actor, opportunity, phone=request.POST.get("phone", ""))
    elif name in REASON_ACTIONS:
        getattr(actions, name)(actor, application, reason=reason)
    elif name in wf.ACTIONS:
        getattr(actions, name)(actor, application)
    else:
        raise ActionError(_("Unknown action."))


def _rating_opportunity(application):
    """The rating (好差评) of this service act, opened when it was delivered or not accepted; or None."""
    from yiwang.reviews.models import RatingOpportunity

    return (
        RatingOpportunity.objects.filter(subject_type="applications.application", subject_id=str(application.pk))
        .order_by("round")
        .first()
    )


def _detail(request, code: str, area: str):
    application = _application(request, code)
    if request.method == "POST":
        try:
            application.version = int(request.POST.get("version", application.version))
        except ValueError:
            pass
        name = request.POST.get("action", "")
        try:
            _perform(request, application, name)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            done = wf.ACTION_LABELS.get(name, _("saved"))
            if name == "rating_sms":
                done = _("the rating link was sent by SMS")
            messages.success(request, _("Done: %(action)s.") % {"action": done})
        return redirect(AREAS[area], code=code)
    roles = access.roles_for(_actor(request), application)
    allowed = [a for a in wf.allowed_actions(application.status, roles)]
    editable = application.status in ("draft", "correction_requested") and (
        application.applicant_id == request.user.pk or access.is_front_desk(request.user)
    )
    rows = application.materials.select_related("material", "file")
    per = _per_screen(request) if area == "portal" else None
    materials_page = None
    if per is not None and editable:
        # elder mode: the uploads and the actions together at most ``per`` choices a screen —
        # the materials a few a screen (those still missing first), the actions on every screen
        actions_shown = len([a for a in allowed if a != wf.A.CONSULT])
        rows = sorted(rows, key=lambda r: (r.state != MaterialState.MISSING, r.material.position, r.pk))
        materials_page, rows = _screen(request, rows, max(1, per - actions_shown), "m")
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "area": area,
            "history": application.history.select_related("actor"),
            "materials": rows,
            "materials_page": materials_page,
            "elder": per is not None,
            "allowed": [(a, wf.ACTION_LABELS[a]) for a in allowed if a != wf.A.CONSULT],
            "reason_actions": REASON_ACTIONS,
            "can_consult": wf.A.CONSULT in allowed,
            "consult": application.consult_messages.select_related("author") if area != "portal" else [],
            "can_reply": area != "portal" and access.may_consult(request.user, application),
            "editable": editable,
            "MISSING": MaterialState.MISSING,
            "clocks": _clocks(application),
            "rating_opportunity": _rating_opportunity(application) if area in ("portal", "window") else None,
        },
    )


def _clocks(application):
    from yiwang.core.workcal.queries import clocks_for

    return list(clocks_for(application))


@login_required
@require_http_methods(["GET", "POST"])
def portal_detail(request, code: str):
    return _detail(request, code, "portal")


@login_required
@require_http_methods(["GET", "POST"])
def window_detail(request, code: str):
    _require(access.is_front_desk(request.user))
    return _detail(request, code, "window")


@login_required
@require_http_methods(["GET", "POST"])
def approvals_detail(request, code: str):
    return _detail(request, code, "approvals")


# --- the window clerk's desk ----------------------------------------------------------------------


@login_required
def window_desk(request):
    _require(access.is_front_desk(request.user))
    text = request.GET.get("q", "")
    situations = []
    if text:
        items = search_items(text)[:30]
        situations = Situation.objects.filter(item__in=items, window=True).select_related("item", "item__department")
    return render(
        request,
        "applications/window.html",
        {"queue": queries.front_desk_queue()[:100], "situations": situations, "q": text},
    )


@login_required
@require_POST
def window_apply(request):
    """Apply on the resident's behalf: the card reader identifies them, or the clerk types name and ID."""
    from yiwang.core.identity.cardreader import CardReadError, configured_reader

    _require(access.is_front_desk(request.user))
    situation = get_object_or_404(Situation.objects.select_related("item"), pk=request.POST.get("situation"))
    card = None
    if request.POST.get("use_card"):
        reader = configured_reader()
        try:
            if reader is None:
                raise CardReadError(_("No card reader is configured at this window."))
            card = reader.read(timeout=5)
        except CardReadError as exc:
            messages.error(request, str(exc))
            return redirect(reverse("applications-window") + f"?q={situation.item.code}")
    try:
        application = actions.create_application(
            Actor.from_request(request),
            situation=situation,
            channel=ApplyChannel.WINDOW,
            card=card,
            applicant_name=request.POST.get("applicant_name", ""),
            applicant_id_number=request.POST.get("applicant_id_number", ""),
            window_code=request.POST.get("window_code", ""),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("applications-window") + f"?q={situation.item.code}")
    return redirect("applications-window-detail", code=application.code)


# --- the approver's queue -------------------------------------------------------------------------


@login_required
def approvals(request):
    queue = list(queries.approval_queue(request.user))
    _require(bool(queue) or access.has_approver_role(request.user))
    groups: dict = {}
    for application in queue:
        groups.setdefault(application.item, []).append(application)
    return render(request, "applications/approvals.html", {"groups": groups.items()})
