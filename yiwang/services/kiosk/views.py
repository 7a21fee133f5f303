"""The 24-hour self-service kiosk (自助终端): big type, at most six choices a screen, the card reader.

Flow: home (popular categories) → the items of a category → guidance, one question a screen → place
the ID card → materials (exempted ones shown as 免交 with the reason) → submit through the
applications actions (channel "kiosk") → receipt (PDF) → a one-tap rating. Every page is sent with
``Cache-Control: no-store`` and checks the idle clock (:mod:`.session`).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel
from yiwang.core.identity.accounts import account_for_card
from yiwang.core.identity.cardreader import CardReadError
from yiwang.core.identity.session import complete_login
from yiwang.core.models import OrgUnit
from yiwang.services.applications import actions
from yiwang.services.applications.models import Application, MaterialState
from yiwang.services.applications.states import ApplyChannel, Status
from yiwang.services.catalogue.guide import guide
from yiwang.services.catalogue.models import Item, Situation
from yiwang.services.catalogue.queries import item_for_guide

from . import rating, receipt
from . import session as ks

PER_SCREEN = 6


def kiosk_page(view):
    """No caching anywhere (the back button must not show the last person), and the idle clock."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if ks.touch(request):
            return redirect("kiosk:home")
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _actor(request) -> Actor:
    return Actor.from_request(request, channel=Channel.KIOSK)


def _page(request, rows, per_screen: int = PER_SCREEN):
    return Paginator(rows, per_screen).get_page(request.GET.get("page"))


def _kiosk_items():
    return Item.objects.filter(active=True, situations__kiosk=True).distinct()


def _render(request, template, context):
    idle, warn = ks.timing()
    context = {**context, "kiosk_idle": idle, "kiosk_warn": warn, "kiosk_card": ks.card(request)}
    return render(request, template, context)


@kiosk_page
def home(request):
    """The popular categories: departments by number of items offered at the kiosk."""
    counts = {}
    for dept_id in _kiosk_items().values_list("department_id", flat=True):
        counts[dept_id] = counts.get(dept_id, 0) + 1
    departments = sorted(OrgUnit.objects.filter(pk__in=counts), key=lambda d: (-counts[d.pk], d.name))
    from .bundles import kiosk_bundles

    # the one-thing bundles take one of the six tiles on every screen of categories
    with_bundles = kiosk_bundles().exists()
    page = _page(request, departments, PER_SCREEN - 1 if with_bundles else PER_SCREEN)
    return _render(request, "kiosk/home.html", {"page": page, "with_bundles": with_bundles})


@kiosk_page
def category(request, dept_id: int):
    department = get_object_or_404(OrgUnit, pk=dept_id)
    items = _kiosk_items().filter(department=department).order_by("code")
    return _render(request, "kiosk/category.html", {"department": department, "page": _page(request, items)})


@kiosk_page
def item(request, item_code: str):
    """Guidance, one question a screen; then the situation's summary and the start button."""
    found = item_for_guide(item_code)
    if found is None:
        raise Http404(_("No such item."))
    answers = {k[2:]: v for k, v in request.GET.items() if k.startswith("q_")}
    guidance = guide(found, answers)
    query = "&".join(f"q_{k}={v}" for k, v in answers.items())
    options = _page(request, guidance.options) if guidance.question else None
    return _render(
        request,
        "kiosk/item.html",
        {"item": found, "guidance": guidance, "options": options, "query": query, "answers": answers},
    )


@kiosk_page
def card(request):
    """ "Place your ID card on the reader": reads it, signs the holder in at assurance id_card."""
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("kiosk:home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("kiosk:home")
    device = ks.reader()
    if request.method == "POST" and device is not None:
        try:
            data = device.read(timeout=5)
            user = account_for_card(_actor(request), data.id_number, data.name)
            complete_login(request, user, method="id_card", assurance="id_card")
            ks.remember_card(request, data)
            return redirect(next_url)
        except (CardReadError, ActionError) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc))
    return _render(
        request,
        "kiosk/card.html",
        {"next": next_url, "has_reader": device is not None, "simulated": ks.simulated_reader()},
    )


@never_cache
def simulated_reader(request):
    """The demo's stand-in for the reader hardware: a button that puts a demo card on the reader."""
    device = ks.simulated_reader()
    if device is None:
        raise Http404(_("No simulated card reader is configured."))
    if request.method == "POST":
        device.insert(ks.DEMO_CARD)
        messages.success(request, _("A demo ID card is on the reader."))
        return redirect("kiosk:reader")
    return render(request, "kiosk/reader.html", {"demo": ks.DEMO_CARD})


@kiosk_page
@require_POST
def start(request, situation_id: int):
    situation = get_object_or_404(Situation.objects.select_related("item"), pk=situation_id, kiosk=True)
    held = ks.card(request)
    if held is None:  # read the card first, then come back to the same answers
        back = request.POST.get("next", "")
        if not back.startswith(reverse("kiosk:item", args=[situation.item.code])):
            back = reverse("kiosk:item", args=[situation.item.code])
        return redirect(f"{reverse('kiosk:card')}?{urlencode({'next': back})}")
    try:
        application = actions.create_application(
            _actor(request), situation=situation, channel=ApplyChannel.KIOSK, card=held
        )
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("kiosk:item", item_code=situation.item.code)
    return redirect("kiosk:application", code=application.code)


def _mine(request, code: str) -> Application:
    if not request.user.is_authenticated or ks.card(request) is None:
        raise Http404(_("No such application."))
    return get_object_or_404(
        Application.objects.select_related("item", "situation", "department"),
        code=code,
        applicant=request.user,
        channel=ApplyChannel.KIOSK,
    )


@kiosk_page
def application(request, code: str):
    """Materials (exempted ones as 免交 with the reason), uploads from the scanner, and submit."""
    app = _mine(request, code)
    if request.method == "POST":
        actor = _actor(request)
        try:
            if request.POST.get("action") == "upload":
                row = get_object_or_404(app.materials.select_related("material"), pk=request.POST.get("row"))
                upload = request.FILES.get("file")
                if upload is None:
                    raise ActionError(_("Choose a file to upload."), field="file")
                actions.attach_material(actor, app, row.material, upload)
            elif request.POST.get("action") == "submit":
                with transaction.atomic():  # the submission and its rating together, or neither
                    actions.submit(actor, app)
                    rating.offer(actor, app)
                return redirect("kiosk:receipt", code=app.code)
        except ActionError as exc:
            messages.error(request, exc.message)
        return redirect("kiosk:application", code=app.code)
    if app.status != Status.DRAFT:
        return redirect("kiosk:receipt", code=app.code)
    rows = list(app.materials.select_related("material").order_by("material__position", "id"))
    return _render(
        request, "kiosk/application.html", {"application": app, "rows": rows, "EXEMPTED": MaterialState.EXEMPTED}
    )


@kiosk_page
def receipt_page(request, code: str):
    app = _mine(request, code)
    opportunity = rating.opportunity_for(app)
    return _render(
        request,
        "kiosk/receipt.html",
        {
            "application": app,
            "opportunity": opportunity,
            "levels": rating.LEVELS,
            "rated": rating.is_rated(opportunity),
        },
    )


@kiosk_page
def receipt_pdf(request, code: str):
    app = _mine(request, code)
    response = HttpResponse(receipt.render(app), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{app.code}.pdf"'
    return response


@kiosk_page
@require_POST
def rate(request, code: str):
    app = _mine(request, code)
    try:
        rating.rate(_actor(request), app, request.POST.get("level"))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("kiosk:receipt", code=app.code)


@never_cache
@require_POST
def wipe(request):
    """The idle countdown ran out, or the person pressed "finish": forget everything."""
    ks.wipe(request)
    return redirect("kiosk:home")
