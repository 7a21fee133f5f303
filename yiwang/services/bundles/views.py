"""The bundle page: the parts, the time and materials saved, one form, one status for the applicant."""

from __future__ import annotations

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
    }
    return render(request, "bundles/detail.html", context)


@login_required
def mine(request, pk: int):
    bundled = get_object_or_404(BundleApplication.objects.select_related("bundle"), pk=pk, applicant=request.user)
    parts = list(bundled.parts.select_related("item", "department").order_by("id"))
    status = plan.derived_status(p.status for p in parts)
    label = dict(parts[0]._meta.get_field("status").choices).get(status, status) if parts else ""
    return render(request, "bundles/mine.html", {"bundled": bundled, "parts": parts, "status": status, "label": label})
