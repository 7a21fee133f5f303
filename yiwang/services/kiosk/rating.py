"""Each kiosk session is rated once (好差评): an opportunity opened on submission, rated with one tap.

The session's subject is ``("kiosk.session", <application code>)`` for one item, or
``("kiosk.session", "bundle-<id>")`` for a one-thing bundle. The kiosk terminal stands in the
statistics where a window would (``window_code``, ``settings.KIOSK["TERMINAL"]``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor
from yiwang.reviews import actions as reviews
from yiwang.reviews.models import Level, RatingOpportunity

SUBJECT_TYPE = "kiosk.session"
LEVELS = [(level.value, level.label) for level in sorted(Level, reverse=True)]


def terminal() -> str:
    """This kiosk's name in the statistics (by window)."""
    return str(getattr(settings, "KIOSK", {}).get("TERMINAL", "KIOSK-01"))


def _subject(application) -> tuple[str, str]:
    return SUBJECT_TYPE, application.code


def _bundle_subject(bundled) -> tuple[str, str]:
    return SUBJECT_TYPE, f"bundle-{bundled.pk}"


def offer(actor: Actor, application) -> RatingOpportunity:
    """Open the rating of this kiosk session (idempotent), to the applicant who used the kiosk."""
    return reviews.open_opportunity(
        actor,
        subject=_subject(application),
        org_unit=application.department,
        network="services",
        channel="kiosk",
        rater=actor.user,
        window_code=terminal(),
        item_code=application.item.code,
    )


def offer_bundle(actor: Actor, bundled) -> RatingOpportunity:
    """Open the rating of a kiosk session that submitted a one-thing bundle (its first part's department)."""
    first = bundled.parts.select_related("department").order_by("id").first()
    return reviews.open_opportunity(
        actor,
        subject=_bundle_subject(bundled),
        org_unit=first.department,
        network="services",
        channel="kiosk",
        rater=actor.user,
        window_code=terminal(),
        item_code=f"bundle:{bundled.bundle.code}",
    )


def opportunity_for(application) -> RatingOpportunity | None:
    kind, ident = _subject(application)
    return RatingOpportunity.objects.filter(subject_type=kind, subject_id=ident).first()


def opportunity_for_bundle(bundled) -> RatingOpportunity | None:
    kind, ident = _bundle_subject(bundled)
    return RatingOpportunity.objects.filter(subject_type=kind, subject_id=ident).first()


def is_rated(opportunity) -> bool:
    return opportunity is not None and opportunity.is_rated


def _rate(actor: Actor, opportunity, level) -> None:
    if opportunity is None:
        raise ActionError(_("This session cannot be rated."))
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise ActionError(_("Choose one of the five answers."), field="level") from None
    reviews.rate(actor, opportunity, level, channel="kiosk")


def rate(actor: Actor, application, level) -> None:
    _rate(actor, opportunity_for(application), level)


def rate_bundle(actor: Actor, bundled, level) -> None:
    _rate(actor, opportunity_for_bundle(bundled), level)
