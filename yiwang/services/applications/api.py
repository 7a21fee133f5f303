"""JSON API of applications (办件), mounted at /api/v1/applications/ — the same actions as the pages.

POST /                    {"situation": id, "submit": true|false} → 201: a draft for the logged-in
                          applicant (channel "online"); with "submit" it is submitted in the same
                          transaction (refused whole, nothing saved, while a required material is missing)
GET  /{code}              the application (masked), its version and the materials still missing
POST /{code}/submit       {"version": n} — the applicant (or a window clerk on a resident's behalf)
POST /{code}/accept       {"version": n} — a window clerk (受理); starts the two deadline clocks

Session authentication (the browser's login) with Django's CSRF check: send the ``csrftoken`` cookie's
value as ``X-CSRFToken``. Refusals: 400 bad input or a state that does not allow it, 403 not allowed,
404 unknown (or not yours to see), 409 changed by someone else since ``version`` — each with
``{"detail": "…", "code": "…", "field": "…"}``. ``version`` is optional: without it the action applies to
the application as it is now.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import Field

from yiwang.core.actions import ActionError, Conflict, PermissionDenied
from yiwang.core.actor import Actor, Channel

from . import access, actions, lookups, queries
from .models import Application

router = Router(tags=["applications"], auth=django_auth)


class CreateRequest(Schema):
    situation: int = Field(..., description="the situation (办理情形) applied for, by id")
    submit: bool = Field(False, description="submit at once (only when no required material is missing)")


class ActRequest(Schema):
    version: int | None = Field(None, ge=0, description="the version the caller acted on (optimistic check)")


class ApplicationOut(Schema):
    code: str
    item: str
    situation: str
    status: str
    version: int
    channel: str
    applicant: str
    id_number: str
    missing: list[str]


def _out(application: Application, status: int = 200) -> JsonResponse:
    body = actions.summary(application)
    body["version"] = application.version
    editable = application.status in actions.materials.EDITABLE
    missing = actions.materials.missing_required(application) if editable else []
    body["missing"] = [str(row.material.name) for row in missing]
    return JsonResponse(body, status=status)


def _refused(error: ActionError) -> JsonResponse:
    status = 403 if isinstance(error, PermissionDenied) else 409 if isinstance(error, Conflict) else 400
    return JsonResponse({"detail": str(error.message), "code": error.code, "field": error.field}, status=status)


def _not_found() -> JsonResponse:
    return JsonResponse({"detail": _("No such application."), "code": "not_found", "field": None}, status=404)


def _actor(request) -> Actor:
    return Actor.from_request(request, channel=Channel.API)


def _visible(request, code: str) -> Application | None:
    application = queries.with_related(Application.objects.all()).filter(code=code).first()
    if application is None or not access.may_view(request.user, application):
        return None
    return application


@router.post("/", response={201: ApplicationOut}, summary="Apply online for a situation (and submit at once)")
def create(request, body: CreateRequest):
    situation = lookups.situation(body.situation)  # per-process catalogue cache (cleared on change)
    if situation is None:
        return JsonResponse({"detail": _("No such situation."), "code": "not_found", "field": "situation"}, status=404)
    try:
        application = actions.create_application(
            _actor(request), situation=situation, channel="online", submit_at_once=body.submit
        )
    except ActionError as error:
        return _refused(error)
    return _out(application, status=201)


@router.get("/{code}", response={200: ApplicationOut}, summary="One application (masked), its version and gaps")
def detail(request, code: str):
    application = _visible(request, code)
    return _not_found() if application is None else _out(application)


def _act(request, code: str, body: ActRequest, name: str):
    application = _visible(request, code)
    if application is None:
        return _not_found()
    if body.version is not None:
        application.version = body.version
    try:
        application = getattr(actions, name)(_actor(request), application)
    except ActionError as error:
        return _refused(error)
    return _out(application)


@router.post("/{code}/submit", response={200: ApplicationOut}, summary="Submit a draft (or a correction)")
def submit(request, code: str, body: ActRequest):
    return _act(request, code, body, "submit")


@router.post("/{code}/accept", response={200: ApplicationOut}, summary="Accept (受理) at a window")
def accept(request, code: str, body: ActRequest):
    # the action finds and locks the row by its code (one read); visibility only matters on a refusal
    # (every window clerk may see every application): a refused stranger learns nothing
    try:
        application = actions.accept(_actor(request), Application(code=code, version=body.version))
    except Application.DoesNotExist:
        return _not_found()
    except ActionError as error:
        if isinstance(error, PermissionDenied) and _visible(request, code) is None:
            return _not_found()
        return _refused(error)
    return _out(application)
