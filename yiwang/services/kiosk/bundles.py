"""One-thing bundles (一件事) at the kiosk: the same rules as the rest of the kiosk.

Bundles list → a bundle's screen (its departments, the time and materials saved) → the ID card →
one screen of materials (免交 shown with the licence that stands in; the others scanned) → one
submission (``bundles.actions.submit_bundle``, channel "kiosk") → one status, the part numbers and
a one-tap rating of the kiosk session. At most six choices a screen (longer lists are paged).

Only bundles whose every part is offered at the kiosk are listed here.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.services.applications.materials import verified_identity
from yiwang.services.applications.states import ApplyChannel
from yiwang.services.bundles import actions as bundle_actions
from yiwang.services.bundles import guidance, plan
from yiwang.services.bundles.models import Bundle, BundleApplication, BundlePart

from . import rating, receipt
from . import session as ks
from .views import _actor, _page, _render, kiosk_page


def kiosk_bundles():
    """Active bundles with at least two parts, every one offered at the kiosk."""
    not_at_kiosk = BundlePart.objects.filter(bundle=OuterRef("pk"), situation__kiosk=False)
    any_part = BundlePart.objects.filter(bundle=OuterRef("pk"))
    return Bundle.objects.filter(active=True).filter(Exists(any_part)).exclude(Exists(not_at_kiosk)).order_by("code")


def _bundle(code: str) -> Bundle:
    return get_object_or_404(kiosk_bundles(), code=code)


def _exempted(request, situations) -> dict[str, str]:
    """Merged material key → why it is exempt (免交), for the card on the reader."""
    from yiwang.services.licences.exemption import exempt_materials

    identity = verified_identity(_actor(request), ks.card(request))
    if identity is None:
        return {}
    reasons = {}
    for situation in situations:
        for exemption in exempt_materials(identity, situation):
            reasons.setdefault(plan.material_key(exemption.material), exemption.reason)
    return reasons


@kiosk_page
def bundle_list(request):
    return _render(request, "kiosk/bundles.html", {"page": _page(request, kiosk_bundles())})


@kiosk_page
def bundle_detail(request, code: str):
    bundle = _bundle(code)
    situations = bundle_actions._situations(bundle)
    return _render(
        request,
        "kiosk/bundle.html",
        {"bundle": bundle, "situations": situations, "compare": plan.comparison(situations)},
    )


@kiosk_page
def bundle_apply(request, code: str):
    """With the card read: the merged materials on one screen, and one submission for every part."""
    bundle = _bundle(code)
    if ks.card(request) is None:
        return redirect(f"{reverse('kiosk:card')}?{urlencode({'next': reverse('kiosk:bundle-apply', args=[code])})}")
    defaults = bundle_actions._situations(bundle)
    questions = guidance.merged_questions([s.item for s in defaults])
    data = request.POST if request.method == "POST" else request.GET
    resolution = guidance.resolve(defaults, questions, data)
    answers = {q.field: data[q.field] for q in questions if data.get(q.field)}
    if not resolution.complete:  # the bundle's questions first, one a screen
        if request.method == "POST":
            messages.error(request, _("Please answer the questions first: each item needs its situation."))
        question = resolution.unanswered[0] if resolution.unanswered else None
        return _render(
            request,
            "kiosk/bundle_question.html",
            {
                "bundle": bundle,
                "question": question,
                "options": _page(request, question.options) if question else None,
                "query": urlencode(answers),
                "resolution": resolution,
            },
        )
    situations = resolution.situations
    merged = plan.merged_materials(situations)
    if request.method == "POST":
        uploads = {m.key: request.FILES[m.field_name] for m in merged if m.field_name in request.FILES}
        actor = _actor(request)
        try:
            with transaction.atomic():  # the submission and its rating together, or neither
                bundled = bundle_actions.submit_bundle(
                    actor,
                    bundle,
                    channel=ApplyChannel.KIOSK,
                    uploads=uploads,
                    card=ks.card(request),
                    situations=situations,
                )
                rating.offer_bundle(actor, bundled)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("kiosk:bundle-receipt", pk=bundled.pk)
    exempted = _exempted(request, situations)
    rows = [
        {"material": m, "required": any(x.required for x in m.materials), "exempt": exempted.get(m.key)} for m in merged
    ]
    return _render(request, "kiosk/bundle_apply.html", {"bundle": bundle, "rows": rows, "answers": answers})


def _mine(request, pk: int) -> BundleApplication:
    if not request.user.is_authenticated or ks.card(request) is None:
        raise Http404(_("No such application."))
    return get_object_or_404(BundleApplication.objects.select_related("bundle"), pk=pk, applicant=request.user)


@kiosk_page
def bundle_receipt_pdf(request, pk: int):
    bundled = _mine(request, pk)
    response = HttpResponse(receipt.render_bundle(bundled), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-bundle-{bundled.pk}.pdf"'
    return response


@kiosk_page
def bundle_receipt(request, pk: int):
    bundled = _mine(request, pk)
    if request.method == "POST":
        try:
            rating.rate_bundle(_actor(request), bundled, request.POST.get("level"))
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("kiosk:bundle-receipt", pk=bundled.pk)
    parts = list(bundled.parts.select_related("item", "department").order_by("id"))
    status = plan.derived_status(p.status for p in parts)
    label = dict(parts[0]._meta.get_field("status").choices).get(status, status) if parts else ""
    opportunity = rating.opportunity_for_bundle(bundled)
    return _render(
        request,
        "kiosk/bundle_receipt.html",
        {
            "bundled": bundled,
            "parts": parts,
            "label": label,
            "opportunity": opportunity,
            "levels": rating.LEVELS,
            "rated": rating.is_rated(opportunity),
        },
    )
