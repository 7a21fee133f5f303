"""Turning a valid form into a case: photos stored and the case reported in ONE transaction.

If ``report_case`` (or a photo) is refused, the transaction rolls back: no case, no history, no file
row, no audit event — nothing half-saved. (Bytes already written to storage are swept as orphans by
the uploads context.)
"""

from __future__ import annotations

from django.db import transaction

from yiwang.core.actor import Actor
from yiwang.core.uploads.actions import store_upload

from ..actions import Reporter, report_case
from ..models import Case

PHOTO_PURPOSE = "case-photo"


def submit(
    actor: Actor,
    form,
    *,
    channel: str,
    discovery: str,
    reporter: Reporter,
    photos=(),
    priority: int | None = None,
) -> Case:
    """Report the case described by ``form.cleaned_data`` (raises ``ActionError`` with nothing stored)."""
    data = form.cleaned_data
    category = data["category"]
    with transaction.atomic():
        files = [store_upload(actor, photo, purpose=PHOTO_PURPOSE, public=category.public) for photo in photos]
        return report_case(
            actor,
            channel=channel,
            discovery=discovery,
            category=category,
            lon=data["lon"],
            lat=data["lat"],
            coord_system="wgs84",
            address=data.get("address") or (form.matched_place.name if form.matched_place else ""),
            description=data["description"],
            reporter=reporter,
            attachments=files,
            answers=form.answers,
            priority=priority,
        )
