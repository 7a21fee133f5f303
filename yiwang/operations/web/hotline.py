"""The 12345 hotline operator's entry form: keyboard only, in a handful of keystrokes plus the description.

Focus starts in the caller's phone (their earlier cases appear as soon as the number is complete), the
category is found by typing Chinese, pinyin initials or English (↑ ↓ Enter), the place by typing a
residential area, POI or address (or a click on the map), then the description; Ctrl+Enter records the
case (channel 12345 hotline, passive discovery) through ``report_case``.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.core.actions import ActionError, action, record_event
from yiwang.core.actor import Actor
from yiwang.core.masking import mask_phone
from yiwang.core.permissions import may_report_on_behalf
from yiwang.territory import services as territory
from yiwang.territory.models import PoiKind, UnitKind

from ..actions import Reporter
from ..catalog import query_tokens
from ..models import Case, CaseChannel, Discovery
from ..permissions import reporter_contact
from ..queries import search_categories
from . import places, story
from .fields import validate_phone
from .forms import HotlineForm, apply_action_error
from .resident import map_config
from .submit import submit

CALLER_CASES_LIMIT = 10
KIND_LABELS = {**dict(UnitKind.choices), **dict(PoiKind.choices)}


def hotline_required(view):
    """Hotline operators (and the operations centre on emergency duty); others are refused."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_report_on_behalf(request.user):
            raise HttpForbidden(_("Only 12345 hotline operators record cases on behalf of callers."))
        return view(request, *args, **kwargs)

    return wrapper


def _reporter(form) -> Reporter:
    data = form.cleaned_data
    if data.get("anonymous"):
        return Reporter(anonymous=True)
    return Reporter(name=data.get("name") or "", phone=data.get("phone") or "")


@never_cache
@hotline_required
@require_http_methods(["GET", "POST"])
def entry_page(request):
    form = HotlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = submit(
                Actor.from_request(request),
                form,
                channel=CaseChannel.HOTLINE,
                discovery=Discovery.PASSIVE,
                reporter=_reporter(form),
                priority=form.cleaned_data.get("priority"),
            )
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            if case.suspected_duplicate_of_id:
                messages.warning(
                    request,
                    _("It may repeat case %(code)s, reported nearby; the dispatcher will decide.")
                    % {"code": case.suspected_duplicate_of.code},
                )
            return redirect(reverse("hotline") + "?recorded=" + case.code)
    config = {
        "categoriesUrl": reverse("hotline-categories"),
        "placesUrl": reverse("hotline-places"),
        "callerUrl": reverse("hotline-caller"),
        "questionsUrl": reverse("hotline-questions"),
        "locateUrl": reverse("api:territory-locate"),
        "trackUrl": reverse("report-track"),
        "map": map_config(),
        "strings": {
            "noCategory": _("No category matches; try other words, pinyin initials or English."),
            "noPlace": _("No place matches; click the place on the map."),
            "mapPoint": _("Point clicked on the map"),
            "outside": _("Outside the district"),
            "noCases": _("No earlier cases from this number."),
            "earlier": _("Earlier cases from this number"),
            "anonymous": _("anonymous"),
        },
    }
    status = 400 if request.method == "POST" else 200
    recorded = request.GET.get("recorded", "")
    context = {"form": form, "config": config, "recorded": recorded}
    return render(request, "operations/hotline/entry.html", context, status=status)


def _rank(category, tokens: list[str]) -> tuple:
    """Exact term first (井盖 = jg = manhole cover), then a term starting with the query, then the rest."""
    terms = (category.search_text or "").split()
    parent_terms = (category.parent.search_text or "").split() if category.parent_id else []
    best = 3
    for token in tokens:
        if token in terms:
            rank = 0
        elif any(term.startswith(token) for term in terms):
            rank = 1
        elif token in parent_terms or any(term.startswith(token) for term in parent_terms):
            rank = 2
        else:
            rank = 3
        best = min(best, rank)
    return (best, len(category.name))


@hotline_required
@require_GET
def categories_json(request):
    text = request.GET.get("q", "")
    tokens = query_tokens(text)
    found = sorted(search_categories(text, limit=50), key=lambda c: _rank(c, tokens))[:12]
    items = [
        {
            "id": c.pk,
            "name": c.name,
            "name_en": c.name_en,
            "group": c.parent.name if c.parent_id else "",
            "pillar": c.get_pillar_display(),
            "label": f"{c.parent.name} / {c.name}" if c.parent_id else c.name,
            "questions": len(c.questions or []),
        }
        for c in found
    ]
    return JsonResponse({"query": text, "items": items})


def _where(place) -> str:
    placement = territory.locate(place.lon, place.lat)
    if placement.outside:
        return _("Outside the district")
    return " · ".join(u.name for u in (placement.subdistrict, placement.grid) if u is not None)


@hotline_required
@require_GET
def places_json(request):
    text = request.GET.get("q", "")
    found = places.search(text, limit=8)
    best = places.best_match(text)
    items = [{**p.to_dict(), "kind_label": str(KIND_LABELS.get(p.kind, p.kind)), "where": _where(p)} for p in found]
    return JsonResponse({"query": text, "items": items, "best": best.code if best else ""})


def caller_cases(phone: str, viewer, *, limit: int = CALLER_CASES_LIMIT) -> list[dict]:
    """The caller's earlier (not anonymous) cases, newest first, their contact as ``viewer`` may see it."""
    rows = (
        Case.objects.filter(Q(reporter_phone=phone) | Q(reporter__phone=phone), reporter_anonymous=False)
        .select_related("category", "reporter")
        .order_by("-created_at", "-id")[:limit]
    )
    out = []
    for case in rows:
        contact = reporter_contact(case, viewer)
        out.append(
            {
                "code": case.code,
                "reported": timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                "category": case.category.name,
                "status": case.get_status_display(),
                "status_words": story.status_words(case.status),
                "address": case.address,
                "description": case.description[:120],
                "name": contact["name"],
                "phone": contact["phone"],
                "masked": contact["masked"],
            }
        )
    return out


@action
def audit_caller_history(actor: Actor, phone: str, items: list[dict]) -> None:
    """A full read of callers' contacts by staff leaves one audit row (masked number, the case codes)."""
    record_event(
        actor,
        "operations.case.read_personal_data",
        ("operations.caller", mask_phone(phone)),
        after={"purpose": "hotline", "cases": [i["code"] for i in items]},
    )


@hotline_required
@require_GET
def caller_json(request):
    raw = request.GET.get("phone", "")
    try:
        phone = validate_phone(raw, local_allowed=True)
    except ValidationError:  # an incomplete number while typing: nothing to show yet
        phone = ""
    items = caller_cases(phone, request.user) if phone else []
    if any(not i["masked"] for i in items):
        audit_caller_history(Actor.from_request(request), phone, items)
    return JsonResponse({"phone": phone, "complete": bool(phone), "items": items})


@hotline_required
@require_GET
def questions_fragment(request):
    form = HotlineForm(initial={"category": request.GET.get("category", "")})
    return render(request, "operations/resident/_questions.html", {"form": form})
