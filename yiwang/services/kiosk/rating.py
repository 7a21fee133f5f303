"""Each kiosk session is rated once (好差评): an opportunity opened on submission, rated with one tap."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.reviews import actions as reviews
from yiwang.reviews.models import Level, RatingOpportunity

SUBJECT_TYPE = "kiosk.session"
LEVELS = [(level.value, level.label) for level in sorted(Level, reverse=True)]


def _subject(application) -> tuple[str, str]:
    return SUBJECT_TYPE, application.code


def offer(actor: Actor, application) -> RatingOpportunity:
    """Open the rating of this kiosk session (idempotent), to the applicant who used the kiosk."""
    return reviews.open_opportunity(
        actor,
        subject=_subject(application),
        org_unit=application.department,
        network="services",
        channel="kiosk",
        rater=actor.user,
        item_code=application.item.code,
    )


def opportunity_for(application) -> RatingOpportunity | None:
    kind, ident = _subject(application)
    return RatingOpportunity.objects.filter(subject_type=kind, subject_id=ident).first()


def is_rated(opportunity) -> bool:
    return opportunity is not None and opportunity.is_rated


def rate(actor: Actor, application, level) -> None:
    opportunity = opportunity_for(application)
    if opportunity is None:
        raise ActionError(_("This session cannot be rated."))
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise ActionError(_("Choose one of the five answers."), field="level") from None
    reviews.rate(actor, opportunity, level, channel="kiosk")
