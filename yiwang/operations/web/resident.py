"""Resident pages (随身拍), phone-sized: report a problem, see the code, track it, a map of public reports."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from ..actions import Reporter
from ..models import Case, CaseChannel, CaseStatus, Discovery
from ..queries import case_by_code
from . import story
from .fields import max_photos
from .forms import ResidentReportForm, apply_action_error, leaf_categories
from .submit import submit

PUBLIC_MAP_DAYS = 90
PUBLIC_MAP_LIMIT = 3000


def picker_tree() -> list[dict]:
    """Groups (top-level categories) and their problems, for the two-step picker."""
    groups: dict[int, dict] = {}
    for category in leaf_categories().order_by("parent__pillar", "parent__position", "position", "code"):
        parent = category.parent
        if parent is None:
            continue
        group = groups.setdefault(
            parent.pk, {"id": parent.pk, "name": parent.name, "pillar": parent.get_pillar_display(), "items": []}
        )
        group["items"].append({"id": category.pk, "name": category.name, "public": category.public})
    return list(groups.values())


def map_config() -> dict:
    return {
        "unitsUrl": reverse("api:territory-units") + "?level=3&simplify=5",
        "tileUrl": settings.MAP.get("TILE_URL", ""),
        "tileAttribution": settings.MAP.get("TILE_ATTRIBUTION", ""),
    }


def _reporter(form, user) -> Reporter:
    data = form.cleaned_data
    if data.get("anonymous"):
        return Reporter(user=user, anonymous=True)
    return Reporter(user=user, name=data.get("name") or "", phone=data.get("phone") or "")


@never_cache
@require_http_methods(["GET", "POST"])
def report_page(request):
    user = request.user if request.user.is_authenticated else None
    form = ResidentReportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = submit(
                Actor.from_request(request),
                form,
                channel=CaseChannel.PHOTO_REPORT,
                discovery=Discovery.PASSIVE,
                reporter=_reporter(form, user),
                photos=form.cleaned_data.get("photos") or [],
            )
        except ActionError as exc:
            apply_action_error(form, exc, {"attachments": "photos"})
        else:
            story.remember_report(request, case)
            return redirect("report-done", code=case.code)
    config = {
        "tree": picker_tree(),
        "map": map_config(),
        "questionsUrl": reverse("report-questions"),
        "maxPhotos": max_photos(),
        "strings": {
            "locating": _("Finding your position…"),
            "located": _("Your position is marked on the map."),
            "noGeolocation": _(
                "This browser cannot tell your position (it needs a secure https:// connection and your "
                "permission). Tap the map instead, or type the name of the residential area."
            ),
            "denied": _("Your position could not be read: %(reason)s. Tap the map instead."),
            "picked": _("The place you tapped is marked on the map."),
            "tooManyPhotos": _("At most %(max)s photos, please.") % {"max": max_photos()},
        },
    }
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "operations/resident/report.html",
        {"form": form, "config": config, "max_photos": max_photos()},
        status=status,
    )


@require_GET
def questions_fragment(request):
    """The chosen category's extra questions as form fields (fetched when the category changes)."""
    form = ResidentReportForm(initial={"category": request.GET.get("category", "")})
    return render(request, "operations/resident/_questions.html", {"form": form})


@never_cache
@require_GET
def done_page(request, code: str):
    case = case_by_code(code)
    if case is None or not story.is_reporter(request, case):
        return redirect(reverse("report-track") + "?code=" + code)
    duplicate = case.suspected_duplicate_of if case.public else None
    return render(
        request,
        "operations/resident/done.html",
        {"case": case, "duplicate": duplicate, "track_url": reverse("report-track") + "?code=" + case.code},
    )


@never_cache
@require_GET
def track_page(request):
    code = (request.GET.get("code") or "").strip().upper()
    context = {"code": code, "view": None, "error": ""}
    if code:
        case = case_by_code(code)
        if case is None:
            context["error"] = _(
                "No report has the code “%(code)s”. Check it against the message you received "
                "(it looks like YW-20250101-000123)."
            ) % {"code": code}
        else:
            context["view"] = story.view_of(request, case)
    status = 404 if context["error"] else 200
    return render(request, "operations/resident/track.html", context, status=status)


@require_GET
def public_map_page(request):
    config = {"map": map_config(), "casesUrl": reverse("report-map-json"), "trackUrl": reverse("report-track")}
    config["strings"] = {"empty": _("No public reports in the last %(days)s days.") % {"days": PUBLIC_MAP_DAYS}}
    return render(request, "operations/resident/map.html", {"config": config, "days": PUBLIC_MAP_DAYS})


def public_cases(now=None) -> list[dict]:
    """Recent reports of public categories: what, where, status words — no description, no person."""
    since = (now or timezone.now()) - timedelta(days=PUBLIC_MAP_DAYS)
    rows = (
        Case.objects.filter(public=True, category__public=True, created_at__gte=since, outside=False)
        .exclude(status__in=[CaseStatus.MERGED, CaseStatus.REJECTED, CaseStatus.SPLIT])
        .select_related("category")
        .order_by("-created_at", "-id")[:PUBLIC_MAP_LIMIT]
    )
    return [
        {
            "code": c.code,
            "category": c.category.name,
            "status": c.status,
            "status_words": story.status_words(c.status),
            "done": c.status in story.DONE_STATES,
            "reported": timezone.localdate(c.created_at).isoformat(),
            "lon": round(c.lon, 5),
            "lat": round(c.lat, 5),
        }
        for c in rows
    ]


@require_GET
def public_map_json(request):
    response = JsonResponse({"days": PUBLIC_MAP_DAYS, "cases": public_cases()})
    response["Cache-Control"] = "public, max-age=60"
    return response
