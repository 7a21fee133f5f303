"""Deadline warnings and overdue applications: a supervision record and a notification (督办)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SUBJECT_TYPE = "applications.application"
# the clock kinds (``clocks.KINDS``) as people read them in "the %(clock)s deadline"
CLOCK_LABELS = {
    "promised": pgettext_lazy("kind of application deadline", "promised"),
    "statutory": pgettext_lazy("kind of application deadline", "statutory"),
}


def clock_label(kind: str) -> str:
    return str(CLOCK_LABELS.get(kind, kind))


def _raise(clock, kind) -> None:
    from yiwang.core.actions import record_event
    from yiwang.core.actor import Actor
    from yiwang.core.notify.services import notify

    from .consult import specialists_of
    from .models import Application, Supervision

    application = Application.objects.filter(pk=clock.subject_id).select_related("department").first()
    if application is None:
        return
    actor = Actor.system()
    row = Supervision.objects.create(application=application, clock_kind=clock.kind, kind=kind, due_at=clock.due_at)
    record_event(actor, f"applications.supervision.{kind}", application, after={"clock": clock.kind})
    recipients = specialists_of(application.department)  # the department's acting approvers
    if kind == Supervision.Kind.WARNING:
        subject = _("Application %(code)s: the %(clock)s deadline is near") % {
            "code": application.code,
            "clock": clock_label(clock.kind),
        }
    else:
        subject = _("Application %(code)s is overdue (%(clock)s deadline)") % {
            "code": application.code,
            "clock": clock_label(clock.kind),
        }
    for user in recipients:
        notify(actor, channel="inapp", recipient=user, subject=str(subject), body=str(subject), about=application)
    return row


def on_warning(clock) -> None:
    _raise(clock, "warning")


def on_overdue(clock) -> None:
    _raise(clock, "overdue")


def register() -> None:
    from yiwang.core.workcal.sweep import register_clock_handler

    register_clock_handler(SUBJECT_TYPE, on_warning=on_warning, on_overdue=on_overdue)
