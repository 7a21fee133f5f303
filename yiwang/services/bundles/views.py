"""The bundle page: the parts, the time and materials saved, one form, one status for the applicant."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from . import actions, guidance, plan
from .models import Bundle, BundleApplication


def index(request):
    """The bundles offered; in elder mode (长辈模式) a few a screen, with a pager."""
    from django.core.paginator import Paginator

    from yiwang.services.kiosk.elder import PER_SCREEN, is_on

    bundles = Bundle.objects.filter(active=True).order_by("code")
    page = Paginator(bundles, PER_SCREEN).get_page(request.GET.get("page")) if is_on(request) else None
    return render(request, "bundles/index.html", {"bundles": list(page) if page else bundles, "page": page})


def detail(request, code: str):
    """The bundle: its questionnaire (the items' guidance questions, each asked once), then what the
    answers lead to — each item's situation, the time and materials saved — and one form."""
    bundle = get_object_or_404(Bundle, code=code, active=True)
    defaults = actions._situations(bundle)
    questions = guidance.merged_questions([s.item for s in defaults])
    data = request.POST if request.method == "POST" else request.GET
    resolution = guidance.resolve(defaults, questions, data)
    situations = resolution.situations if resolution.complete else defaults
    merged = plan.merged_materials(situations)
    answers = {q.field: data[q.field] for q in questions if data.get(q.field)}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        uploads = {m.key: request.FILES[m.field_name] for m in merged if m.field_name in request.FILES}
        try:
            if not resolution.complete:
                raise ActionError(_("Please answer the questions first: each item needs its situation."))
            bundled = actions.submit_bundle(
                Actor.from_request(request), bundle, uploads=uploads, situations=resolution.situations
            )
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Submitted: one application per department, followed here as one."))
            return redirect("bundles:mine", pk=bundled.pk)
    context = {
        "bundle": bundle,
        "situations": situations,
        "merged": merged,
        "compare": plan.comparison(situations),
        "questions": questions,
        "answers": answers,
        "resolution": resolution,
        "ready": resolution.complete,
        **_elder_screens(request, resolution, merged, answers),
    }
    return render(request, "bundles/detail.html", context)


def _elder_screens(request, resolution, merged, answers) -> dict:
    """Elder mode (长辈模式): one question a screen — the next one still needed, its answers as big links,
    a few a screen — and the materials in steps of a few (``bundles/steps.js`` shows one step at a time;
    without scripts every step shows, and the one form still sends every file at once)."""
    from django.core.paginator import Paginator

    from yiwang.services.kiosk.elder import PER_SCREEN, is_on

    if not is_on(request):
        return {"elder": False}
    asked = resolution.unanswered[0] if resolution.unanswered and not resolution.contradictory else None
    options_page = Paginator(asked.options, PER_SCREEN).get_page(request.GET.get("page")) if asked else None
    return {
        "elder": True,
        "asked": asked,
        "asked_options": list(options_page) if options_page else [],
        "options_page": options_page,
        "query": urlencode(answers),
        "material_steps": [merged[i : i + PER_SCREEN] for i in range(0, len(merged), PER_SCREEN)],
    }


@login_required
def mine(request, pk: int):
    bundled = get_object_or_404(BundleApplication.objects.select_related("bundle"), pk=pk, applicant=request.user)
    parts = list(bundled.parts.select_related("item", "department").order_by("id"))
    status = plan.derived_status(p.status for p in parts)
    label = dict(parts[0]._meta.get_field("status").choices).get(status, status) if parts else ""
    return render(request, "bundles/mine.html", {"bundled": bundled, "parts": parts, "status": status, "label": label})
