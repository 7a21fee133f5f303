"""Read paths of applications: work lists, the status page, and statistics from the records.

Statistics (BRIEF §3), all computed from the applications themselves::

    application_stats(since=None, until=None) -> {
        "applications", "materials_per_application", "submitted_per_application",
        "government_materials", "government_materials_exempted_share",
        "delivered", "on_the_spot_share", "at_most_one_visit_share",
        "average_promised_days", "average_statutory_days", "promised_shorter_share",
    }

Registered as the ``applications`` section of ``yiwang services stats``.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet

from yiwang.core.roles import Role
from yiwang.core.scope import org_units_for

from .models import Application, ApplicationMaterial, MaterialState
from .states import Status
from .workflow import TERMINAL_STATES

QUEUE_STATES = (Status.ACCEPTED, Status.UNDER_REVIEW, Status.APPROVED, Status.DENIED)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _period(qs, since, until):
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def application_stats(since=None, until=None) -> dict:
    apps = _period(Application.objects.exclude(status=Status.DRAFT), since, until)
    total = apps.count()
    rows = ApplicationMaterial.objects.filter(application__in=apps)
    counts = rows.aggregate(
        listed=Count("id"),
        submitted=Count("id", filter=Q(state=MaterialState.UPLOADED)),
        government=Count("id", filter=Q(material__source="licence")),
        exempted=Count("id", filter=Q(material__source="licence", state=MaterialState.EXEMPTED)),
    )
    delivered = apps.filter(status=Status.DELIVERED)
    delivered_counts = delivered.aggregate(
        n=Count("id"), spot=Count("id", filter=Q(on_the_spot=True)), one=Count("id", filter=Q(visits__lte=1))
    )
    accepted = apps.filter(accepted_at__isnull=False)
    times = accepted.aggregate(promised=Avg("promised_days"), statutory=Avg("statutory_days"))
    promised, statutory = times["promised"], times["statutory"]
    return {
        "applications": total,
        "materials_per_application": round(counts["listed"] / total, 2) if total else None,
        "submitted_per_application": round(counts["submitted"] / total, 2) if total else None,
        "government_materials": counts["government"],
        "government_materials_exempted_share": _share(counts["exempted"], counts["government"]),
        "delivered": delivered_counts["n"],
        "on_the_spot_share": _share(delivered_counts["spot"], delivered_counts["n"]),
        "at_most_one_visit_share": _share(delivered_counts["one"], delivered_counts["n"]),
        "average_promised_days": round(promised, 2) if promised is not None else None,
        "average_statutory_days": round(statutory, 2) if statutory is not None else None,
        "promised_shorter_share": round(1 - promised / statutory, 4) if statutory else None,
    }


# --- work lists -----------------------------------------------------------------------------------


def with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("item", "situation", "department")


def mine(user) -> QuerySet:
    """The applicant's own applications, newest first."""
    return with_related(Application.objects.filter(applicant=user))


def front_desk_queue() -> QuerySet:
    """Waiting at any window (zero difference): submitted, newest last."""
    return with_related(Application.objects.filter(status=Status.SUBMITTED)).order_by("submitted_at", "id")


def approval_queue(user, department=None) -> QuerySet:
    """The back office's list by category: applications of the items of the approver's departments."""
    units = [u for u in org_units_for(user, Role.APPROVER) if department is None or u.pk == department.pk]
    if not units:
        return Application.objects.none()
    ids = [u.pk for u in units]
    qs = Application.objects.filter(Q(department_id__in=ids) | Q(department__parent_id__in=ids))
    qs = qs.filter(status__in=QUEUE_STATES)
    return with_related(qs).order_by("item__code", "accepted_at", "id")


def visible(user, application) -> bool:
    from .access import may_view

    return may_view(user, application)


def is_open(application) -> bool:
    return application.status not in TERMINAL_STATES


__all__ = ["application_stats", "approval_queue", "front_desk_queue", "mine"]
