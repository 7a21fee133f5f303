"""GET requests: cases as Open311 service requests, filtered, paged, and stripped of personal data.

Never returned: the reporter's name, phone, e-mail, device and account; staff names. Cases of
non-public categories are listed without description, address, media or note texts, and with their
lat/long rounded (``OPEN311['PUBLIC_COORD_DECIMALS']``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.operations.models import Case, CaseAttachment, CaseNote, CaseStatus, CaseStatusChange
from yiwang.operations.workflow import OPEN_STATES, TERMINAL_STATES

from .conf import conf
from .services import Open311Error, category_name, iso

STATUS_STATES = {"open": sorted(OPEN_STATES), "closed": sorted(TERMINAL_STATES)}
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")  # "+08:00" that arrived as " 08:00" (an unencoded +)


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATES else "closed"


def parse_datetime(name: str, raw: str) -> datetime:
    """An aware datetime from ISO 8601 (a date alone is midnight; no zone is the district's zone)."""
    text = _SPACED_OFFSET.sub(r"+\1", raw.strip())
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(
            400,
            _("%(field)s “%(value)s” is not a date and time in ISO 8601 (e.g. 2026-11-28T09:30:00+08:00).")
            % {"field": name, "value": raw[:40]},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@dataclass(frozen=True)
class Query:
    ids: list[str]
    service_codes: list[str]
    statuses: list[str]
    start: datetime | None
    end: datetime | None
    page: int
    page_size: int
    extensions: bool


def _list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _positive(params, name: str, default: int, maximum: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise Open311Error(400, _("%(field)s must be a whole number of at least 1.") % {"field": name})
    return min(int(raw), maximum)


def read_query(params) -> Query:
    """The filters of a GET requests call, checked (400 with the reason)."""
    statuses = [s.lower() for s in _list(params.get("status"))]
    unknown = [s for s in statuses if s not in STATUS_STATES]
    if unknown:
        raise Open311Error(400, _("status “%(value)s” is unknown: use open or closed.") % {"value": unknown[0][:20]})
    start = parse_datetime("start_date", params["start_date"]) if params.get("start_date") else None
    end = parse_datetime("end_date", params["end_date"]) if params.get("end_date") else None
    window = timedelta(days=conf("WINDOW_DAYS"))
    if start and end and start > end:
        raise Open311Error(400, _("start_date is later than end_date."))
    if start and end and end - start > window:
        raise Open311Error(
            400, _("start_date and end_date may be at most %(days)s days apart.") % {"days": window.days}
        )
    if start and not end:
        end = start + window
    elif end and not start:
        start = end - window
    elif not start and not end:
        end = timezone.now()
        start = end - window
    size = conf("PAGE_SIZE")
    return Query(
        ids=_list(params.get("service_request_id")),
        service_codes=_list(params.get("service_code")),
        statuses=statuses,
        start=start,
        end=end,
        page=_positive(params, "page", 1, 1_000_000),
        page_size=_positive(params, "page_size", size, size),
        extensions=(params.get("extensions") or "").strip().lower() in {"true", "1", "yes"},
    )


def find_cases(query: Query) -> list[Case]:
    """One page of cases, newest first. ``service_request_id`` overrides every other filter (spec)."""
    qs = Case.objects.select_related("category", "department", "merged_into", "open311")
    if query.ids:
        qs = qs.filter(code__in=[i.upper() for i in query.ids[: conf("PAGE_SIZE")]])
    else:
        qs = qs.filter(created_at__gte=query.start, created_at__lte=query.end)
        if query.service_codes:
            qs = qs.filter(category__code__in=query.service_codes)
        if query.statuses:
            states = sorted({s for name in query.statuses for s in STATUS_STATES[name]})
            qs = qs.filter(status__in=states)
    offset = (query.page - 1) * query.page_size
    return list(qs.order_by("-created_at", "-id")[offset : offset + query.page_size])


def case_by_id(service_request_id: str) -> Case | None:
    return (
        Case.objects.select_related("category", "department", "merged_into", "open311")
        .filter(code=(service_request_id or "").strip().upper())
        .first()
    )


def _public_notes(cases: list[Case]) -> dict[int, list[CaseNote]]:
    notes: dict[int, list[CaseNote]] = {}
    rows = CaseNote.objects.filter(case__in=[c.pk for c in cases], internal=False).order_by("at", "id")
    for row in rows:
        notes.setdefault(row.case_id, []).append(row)
    return notes


def _media(cases: list[Case], base_url: str) -> dict[int, str]:
    """The first public report photo of each public case without a client-sent media_url."""
    wanted = [c.pk for c in cases if c.public and not _submission_value(c, "media_url")]
    media: dict[int, str] = {}
    if not wanted:
        return media
    rows = (
        CaseAttachment.objects.filter(case__in=wanted, purpose="report", file__public=True)
        .select_related("file")
        .order_by("at", "id")
    )
    for row in rows:
        url = row.file.public_url
        if url and row.case_id not in media:
            media[row.case_id] = url if url.startswith("http") else base_url.rstrip("/") + "/" + url.lstrip("/")
    return media


def _submission_value(case: Case, name: str) -> str:
    try:
        submission = case.open311
    except Case.open311.RelatedObjectDoesNotExist:
        return ""
    return getattr(submission, name) or ""


def status_notes(case: Case, notes: list[CaseNote]) -> str:
    if case.status == CaseStatus.MERGED and case.merged_into_id:
        return str(_("Merged into %(code)s, which deals with the same problem.") % {"code": case.merged_into.code})
    if not case.public:
        return ""
    return notes[-1].text if notes else ""


def _timeline(cases: list[Case], notes: dict[int, list[CaseNote]]) -> dict[int, list[dict]]:
    """The status changes (and, for public cases, public notes) of each case, oldest first."""
    public = {c.pk: c.public for c in cases}
    entries: dict[int, list[tuple]] = {}
    for row in CaseStatusChange.objects.filter(case__in=list(public)).order_by("at", "id"):
        entries.setdefault(row.case_id, []).append(
            (
                row.at,
                0,
                row.pk,
                {
                    "type": "status",
                    "datetime": iso(row.at),
                    "status": open311_status(row.to_status),
                    "detailed_status": row.to_status,
                    "description": str(CaseStatus(row.to_status).label),
                },
            )
        )
    for case_id, rows in notes.items():
        for row in rows:
            text = row.text if public.get(case_id) else ""
            item = {"type": "note", "datetime": iso(row.at), "kind": row.kind, "description": text}
            entries.setdefault(case_id, []).append((row.at, 1, row.pk, item))
    return {case_id: [e[3] for e in sorted(items, key=lambda e: e[:3])] for case_id, items in entries.items()}


def _coord(value: float, public: bool) -> float:
    return value if public else round(value, conf("PUBLIC_COORD_DECIMALS"))


def request_dicts(cases: list[Case], *, extensions: bool = False, base_url: str = "") -> list[dict]:
    """The spec's fields of each case (in the spec's order), with ``extended_attributes`` if asked."""
    notes = _public_notes(cases)
    media = _media(cases, base_url)
    timeline = _timeline(cases, notes) if extensions else {}
    items = []
    for case in cases:
        public = case.public
        item = {
            "service_request_id": case.code,
            "status": open311_status(case.status),
            "status_notes": status_notes(case, notes.get(case.pk, [])),
            "service_name": category_name(case.category),
            "service_code": case.category.code,
            "description": case.description if public else "",
            "agency_responsible": case.department.name if case.department_id else "",
            "service_notice": "",
            "requested_datetime": iso(case.created_at),
            "updated_datetime": iso(case.updated_at),
            "expected_datetime": iso(case.due_at) if case.is_open else None,
            "address": case.address if public else "",
            "address_id": _submission_value(case, "address_id") if public else "",
            "zipcode": _submission_value(case, "zipcode") if public else "",
            "lat": _coord(case.lat, public),
            "long": _coord(case.lon, public),
            "media_url": (_submission_value(case, "media_url") or media.get(case.pk, "")) if public else "",
        }
        if extensions:
            item["extended_attributes"] = {
                "detailed_status": case.status,
                "channel": case.channel,
                "priority": case.priority,
                "notes": timeline.get(case.pk, []),
            }
        items.append(item)
    return items


def token_dict(token: str, case: Case) -> dict:
    """``tokens/{token}``: the request id once staff have looked at the report (it left "reported")."""
    ready = case.status != CaseStatus.REPORTED
    return {"service_request_id": case.code if ready else None, "token": token}


def queued_token_dict(row) -> dict:
    """``tokens/{token}`` of a queued report: no id yet; a refused one says why (``service_notice``)."""
    from .models import QueueState

    item = {"service_request_id": None, "token": row.token}
    if row.state == QueueState.REFUSED:
        item["service_notice"] = str(_("Not registered: %(reason)s") % {"reason": row.refusal})
    return item
