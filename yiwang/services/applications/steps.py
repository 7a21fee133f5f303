"""Common steps of the application actions: the masked summary, history rows, the write turn."""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.core.masking import mask_id_number, mask_name
from yiwang.core.writeturn import writer_turn

from .models import Application, StatusChange


def summary(application: Application, status: str | None = None) -> dict:
    return {
        "code": application.code,
        "item": application.item.code,
        "situation": application.situation.code,
        "status": status or application.status,
        "channel": application.channel,
        "applicant": mask_name(application.applicant_name),
        "id_number": mask_id_number(application.applicant_id_number),
    }


def history_row(actor: Actor, application, action_name: str, source: str, note: str = "") -> StatusChange:
    return StatusChange(
        application=application,
        action=action_name,
        from_status=source,
        to_status=application.status,
        actor=actor.user,
        channel=actor.channel,
        note=note,
    )


def require_materials(missing) -> None:
    if missing:
        raise ActionError(
            _("Still to be provided: %(names)s.") % {"names": ", ".join(m.material.name for m in missing)},
            field="materials",
        )


def in_turn(func):
    """Run the action in SQLite's writers' turn (:mod:`yiwang.core.writeturn`): concurrent writers of this
    database queue on a file lock and are woken the moment the previous commits, instead of sleeping in
    SQLite's busy handler (1, 2, 5, 10 … ms per collision). A no-op on PostgreSQL and inside a caller's
    transaction. Put it outside ``@action``: the turn is taken before the transaction begins."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with writer_turn():
            return func(*args, **kwargs)

    return wrapper
