"""The GeoReport v2 endpoints under ``/open311/v2/`` (docs/api.md, "Open311").

Every resource ends in ``.xml`` or ``.json``; errors come back as the spec's error list in the same
format with status 400, 403, 404 (405 for a wrong method). GETs are public; POST needs an api_key.
"""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from yiwang.operations.models import DeadlineMode

from . import conf as c
from . import intake, keys, listing
from .models import QueuedRequest, Submission
from .render import errors, render
from .services import Open311Error, definition_dict, service_by_code, service_dict, services


def _client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None


def _param(request, name: str) -> str:
    value = request.POST.get(name) if request.method == "POST" else None
    return (value if value is not None else request.GET.get(name, "")).strip()


def _check_jurisdiction(request) -> None:
    wanted = _param(request, "jurisdiction_id")
    if wanted and wanted != c.conf("JURISDICTION_ID"):
        raise Open311Error(404, _("jurisdiction_id “%(value)s” was not found.") % {"value": wanted[:64]})


def endpoint(*methods: str):
    """Wrap a view: format check, allowed methods, jurisdiction, and Open311Error → error list."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def inner(request, fmt: str, **kwargs):
            if request.method not in methods:
                response = errors(fmt, 405, [_("%(method)s is not allowed here.") % {"method": request.method[:10]}])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return errors(fmt, exc.status, exc.messages)

        return inner

    return wrap


@endpoint("GET", "HEAD")
def discovery(request, fmt: str):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": c.CHANGESET,
        "contact": c.conf("CONTACT"),
        "key_service": c.conf("KEY_SERVICE"),
        "endpoints": [
            {
                "specification": c.SPECIFICATION,
                "url": base,
                "changeset": c.CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


@endpoint("GET", "HEAD")
def service_list(request, fmt: str):
    return render(fmt, "services", [service_dict(s) for s in services()])


@endpoint("GET", "HEAD")
def service_definition(request, fmt: str, service_code: str):
    category = service_by_code(service_code)
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": service_code[:64]})
    return render(fmt, "service_definition", definition_dict(category))


def _notice(case) -> str:
    other = ""
    if case.suspected_duplicate_of_id:
        # report_case hands back the duplicate's code with the new case (no query)
        other = getattr(case, "duplicate_code", "") or getattr(case.suspected_duplicate_of, "code", "")
    if other:
        return str(
            _("Received as %(code)s. The same problem may have been reported as %(other)s; both are followed up.")
            % {"code": case.code, "other": other}
        )
    category = case.category
    if category.deadline_mode == DeadlineMode.CALENDAR:
        within = _("%(n)s hours") % {"n": category.dispatch_within_hours}
    else:
        within = _("%(n)s working hours") % {"n": category.dispatch_within_hours}
    return str(
        _("Received as %(code)s. It will be dispatched within %(within)s.") % {"code": case.code, "within": within}
    )


def _post_request(request, fmt: str):
    raw_key = _param(request, "api_key")
    if not raw_key:
        raise Open311Error(403, _("api_key is required to post a service request."))
    key = keys.authenticate(raw_key)
    if key is None:
        raise Open311Error(403, _("api_key is not valid (unknown or revoked)."))
    submission = intake.submit(request.POST, key, _client_ip(request))
    if isinstance(submission, QueuedRequest):
        notice = _("Received and queued. Follow it under tokens/%(token)s.") % {"token": submission.token}
        item = {"token": submission.token, "service_notice": str(notice), "account_id": submission.account_id or None}
        return render(fmt, "service_requests", [item])
    case = submission.case
    item = {"service_notice": _notice(case), "account_id": submission.account_id or None}
    if key.reply_with_token:
        item = {"token": submission.token, **item}
    else:
        item = {"service_request_id": case.code, **item}
    return render(fmt, "service_requests", [item])


@endpoint("GET", "HEAD", "POST")
def requests(request, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    query = listing.read_query(request.GET)
    cases = listing.find_cases(query)
    items = listing.request_dicts(cases, extensions=query.extensions, base_url=request.build_absolute_uri("/"))
    return render(fmt, "service_requests", items)


@endpoint("GET", "HEAD")
def request_detail(request, fmt: str, service_request_id: str):
    case = listing.case_by_id(service_request_id)
    if case is None:
        raise Open311Error(404, _("service_request_id “%(id)s” was not found.") % {"id": service_request_id[:64]})
    extensions = (request.GET.get("extensions") or "").strip().lower() in {"true", "1", "yes"}
    items = listing.request_dicts([case], extensions=extensions, base_url=request.build_absolute_uri("/"))
    return render(fmt, "service_requests", items)


@endpoint("GET", "HEAD")
def token_detail(request, fmt: str, token: str):
    token = token.strip().lower()
    submission = Submission.objects.select_related("case").filter(token=token).first()
    if submission is not None:
        return render(fmt, "service_requests", [listing.token_dict(submission.token, submission.case)])
    waiting = QueuedRequest.objects.filter(token=token).only("token", "state", "refusal").first()
    if waiting is None:
        raise Open311Error(404, _("token “%(token)s” was not found.") % {"token": token[:64]})
    return render(fmt, "service_requests", [listing.queued_token_dict(waiting)])


@csrf_exempt
def not_found(request, rest: str = ""):
    fmt = "json" if rest.endswith(".json") else "xml"
    return errors(fmt, 404, [_("There is no Open311 resource at “%(path)s”.") % {"path": rest[:100]}])
