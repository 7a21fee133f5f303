"""Read paths for deadline clocks (other contexts read clocks here, never through the table)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import OPEN_STATES, Clock


def _ref(subject) -> tuple[str, str]:
    if isinstance(subject, tuple | list):
        return str(subject[0]), str(subject[1])
    return f"{subject._meta.app_label}.{subject._meta.model_name}", str(subject.pk)


def clocks_for(subject) -> QuerySet[Clock]:
    """Every clock (open or not) on ``subject`` (a model instance or a ``(type, id)`` pair), oldest first."""
    subject_type, subject_id = _ref(subject)
    return Clock.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("started_at", "id")


def open_clock(subject, kind: str) -> Clock | None:
    """The open (running, paused or overdue) clock of ``kind`` on ``subject``, if any."""
    return clocks_for(subject).filter(kind=kind, state__in=OPEN_STATES).last()


def provisional_clocks() -> QuerySet[Clock]:
    """Clocks whose deadline was computed with guessed (weekday-only) days."""
    return Clock.objects.filter(provisional=True)
