"""Pages: the resident's one-tap rating page (no login with a token), its QR code, the staff work list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yiwang.core.actions import ActionError, Conflict, PermissionDenied
from yiwang.core.actor import Actor

from . import access, actions, queries, workflow
from .models import (
    ContactMethod,
    ContactOutcome,
    Level,
    Network,
    Rating,
    RatingChannel,
    Rectification,
    RectificationState,
)

# what the resident sees: a face (drawn in reviews/_face.html) and a plain word per level, best first
CHOICES = (
    (Level.VERY_SATISFIED, _("Very satisfied")),
    (Level.SATISFIED, _("Satisfied")),
    (Level.BASICALLY_SATISFIED, _("Basically satisfied")),
    (Level.DISSATISFIED, _("Dissatisfied")),
    (Level.VERY_DISSATISFIED, _("Very dissatisfied")),
)
LABELS = dict(CHOICES)


def _opportunity(token: str):
    opportunity = queries.opportunity_by_token(token)
    if opportunity is None:
        raise Http404(_("No rating exists for this link."))
    return opportunity


def _choices():
    return [{"value": int(v), "label": label} for v, label in CHOICES]


def _rated_context(opportunity, rating, **extra):
    can_comment = (
        rating is not None and not rating.comment and timezone.now() - rating.rated_at <= actions.COMMENT_WINDOW
    )
    return {
        "opportunity": opportunity,
        "rating": rating,
        "level_label": LABELS.get(rating.level, "") if rating else "",
        "can_comment": can_comment,
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def rate_page(request, token: str):
    opportunity = _opportunity(token)
    rating = Rating.objects.filter(opportunity=opportunity).first()
    if rating is not None:
        return render(request, "reviews/already_rated.html", _rated_context(opportunity, rating))
    if opportunity.is_expired():
        return render(request, "reviews/expired.html", {"opportunity": opportunity}, status=410)
    error, comment = None, ""
    if request.method == "POST":
        comment = request.POST.get("comment", "")
        try:
            actions.rate(
                token,
                opportunity,
                request.POST.get("level"),
                comment,
                actor=Actor.from_request(request),
                channel=_via(request),
            )
        except actions.AlreadyRated:
            rating = Rating.objects.filter(opportunity=opportunity).first()
            return render(request, "reviews/already_rated.html", _rated_context(opportunity, rating))
        except actions.Expired:
            return render(request, "reviews/expired.html", {"opportunity": opportunity}, status=410)
        except ActionError as exc:
            error = exc.message
        else:
            return redirect("reviews:thanks", token=token)
    context = {
        "opportunity": opportunity,
        "choices": _choices(),
        "error": error,
        "comment": comment,
        "via": _via(request) or "",
    }
    return render(request, "reviews/rate.html", context, status=400 if error else 200)


# the channels a rating link can be handed out through (``?via=``): the rating records it
LINK_CHANNELS = (RatingChannel.ON_SPOT, RatingChannel.QR_CODE, RatingChannel.SMS)


def _via(request) -> str | None:
    via = request.POST.get("via") or request.GET.get("via") or ""
    return via if via in LINK_CHANNELS else None


@never_cache
@require_http_methods(["GET", "POST"])
def thanks_page(request, token: str):
    opportunity = _opportunity(token)
    rating = Rating.objects.filter(opportunity=opportunity).first()
    if rating is None:
        return redirect("reviews:rate", token=token)
    error = None
    if request.method == "POST":
        try:
            actions.add_comment(token, opportunity, request.POST.get("comment", ""), actor=Actor.from_request(request))
        except ActionError as exc:
            error = exc.message
        else:
            messages.success(request, _("Thank you, we received your comment."))
            return redirect("reviews:thanks", token=token)
    context = _rated_context(opportunity, rating, error=error, comment=request.POST.get("comment", ""))
    return render(request, "reviews/thanks.html", context, status=400 if error else 200)


def qr_code(request, token: str):
    opportunity = _opportunity(token)
    response = HttpResponse(opportunity.qr_svg(), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- staff: a department's rectifications ----------------------------------------------------------


@login_required
def rectification_list(request):
    if not access.may_view_rectifications(request.user):
        raise HttpForbidden
    state = request.GET.get("state", "active")
    if state not in ("active", "all", *RectificationState.values):
        state = "active"
    rows = queries.rectifications_for(request.user, state=None if state == "all" else state)[:500]
    states = [("active", _("to do")), *RectificationState.choices, ("all", _("all"))]
    return render(request, "reviews/rectification_list.html", {"rows": rows, "state": state, "states": states})


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request, pk: int):
    rectification = get_object_or_404(
        Rectification.objects.select_related("org_unit", "rating", "rating__opportunity"), pk=pk
    )
    if not access.may_view_rectifications(request.user, rectification.org_unit):
        raise HttpForbidden
    errors, contact_phone = {}, ""
    if request.method == "POST" and request.POST.get("step") == "reveal":
        try:
            contact_phone = actions.reveal_rater_contact(Actor.from_request(request), rectification)
        except ActionError as exc:
            messages.error(request, exc.message)
    elif request.method == "POST":
        actor = Actor.from_request(request)
        step = request.POST.get("step")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            if step == workflow.CONTACT:
                actions.contact_resident(
                    actor,
                    rectification,
                    method=request.POST.get("method", ""),
                    outcome=request.POST.get("outcome", ""),
                    note=request.POST.get("note", ""),
                    expected_version=version,
                )
                messages.success(request, _("The contact was logged."))
            elif step == workflow.CLOSE:
                satisfied = {"yes": True, "no": False}.get(request.POST.get("resident_satisfied", ""))
                actions.close_rectification(
                    actor,
                    rectification,
                    action_taken=request.POST.get("action_taken", ""),
                    resident_response=request.POST.get("resident_response", ""),
                    resident_satisfied=satisfied,
                    expected_version=version,
                )
                messages.success(request, _("The rectification was closed."))
            else:
                raise ActionError(_("Unknown step."))
            return redirect("reviews:rectification", pk=rectification.pk)
        except (PermissionDenied, Conflict) as exc:
            messages.error(request, exc.message)
        except ActionError as exc:
            errors[exc.field or "general"] = exc.message
    context = {
        "r": rectification,
        "rating": rectification.rating,
        "opportunity": rectification.rating.opportunity,
        "contacts": rectification.contacts.select_related("by"),
        "escalations": rectification.escalations.select_related("to_org_unit"),
        "methods": ContactMethod.choices,
        "outcomes": ContactOutcome.choices,
        "can_contact": workflow.transition(rectification.state, workflow.CONTACT) is not None,
        "can_close": workflow.transition(rectification.state, workflow.CLOSE) is not None,
        "errors": errors,
        "contact_phone": contact_phone,
        "post": request.POST if request.method == "POST" else {},
    }
    return render(request, "reviews/rectification_detail.html", context, status=400 if errors else 200)


@login_required
def stats_page(request):
    """Ratings by department, item, window, clerk or network — the two networks side by side — and
    rectifications on time, for a period; ``?format=csv`` (ratings) or ``?format=csv&table=rectifications``."""
    if not access.may_view_stats(request.user):
        raise HttpForbidden
    since, until = _date(request.GET.get("since")), _date(request.GET.get("until"))
    by = request.GET.get("by", "department")
    if by not in queries.DIMENSIONS:
        by = "department"
    network = request.GET.get("network") or None
    if network not in Network.values:
        network = None
    if request.GET.get("format") == "csv":
        return _csv(request, by, since=since, until=until)
    context = {
        "rows": queries.rating_stats(by=by, since=since, until=until, network=network),
        "overall": queries.rating_stats(since=since, until=until, network=network)[0],
        "networks_rows": queries.side_by_side(by=by, since=since, until=until) if by != "network" else [],
        "network_summary": _network_summary(since, until),
        "timeliness": queries.rectification_timeliness(by="department", since=since, until=until),
        "by": by,
        "dimensions": [
            ("department", _("department")),
            ("item", _("item")),
            ("window", _("window")),
            ("clerk", _("clerk")),
            ("network", _("network")),
        ],
        "networks": Network.choices,
        "network": network or "",
        "since": since,
        "until": until,
        "levels": CHOICES,
        "csv_query": _csv_query(by, since, until),
    }
    context["by_label"] = dict(context["dimensions"])[by]
    return render(request, "reviews/stats.html", context)


def _network_summary(since, until) -> list[dict]:
    """Per network: its ratings and its rectifications on time (zeros for a network without any)."""
    ratings = {row.key: row for row in queries.rating_stats(by="network", since=since, until=until)}
    timeliness = {t.key: t for t in queries.rectification_timeliness(by="network", since=since, until=until)}
    return [
        {
            "network": value,
            "label": label,
            "ratings": ratings.get(value) or queries.RatingStats(key=value, label=label),
            "rectifications": timeliness.get(value) or queries.Timeliness(key=value, label=label),
        }
        for value, label in Network.choices
    ]


def _csv_query(by, since, until) -> str:
    from django.utils.http import urlencode

    params = {"by": by, "format": "csv"}
    if since:
        params["since"] = since.isoformat()
    if until:
        params["until"] = until.isoformat()
    return urlencode(params)


def _csv(request, by, **period):
    from . import export

    if request.GET.get("table") == "rectifications":
        body, name = (
            export.timeliness_csv(by="network" if by == "network" else "department", **period),
            "rectifications",
        )
    else:
        body, name = export.ratings_csv(by=by, **period), f"ratings-by-{by}"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _date(value):
    from django.utils.dateparse import parse_date

    try:
        return parse_date(value or "")
    except ValueError:
        return None
