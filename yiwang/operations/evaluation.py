"""The hand-over to the reviews context (好差评): a closed case is offered for rating; ratings come back.

* On closure, :func:`offer_rating` opens a rating opportunity for the reporter (round = 1 + reopenings),
  with the category's bad-rating policy ("reopen" or "rectify").
* A rating (post_save of ``reviews.Rating`` on an ``operations.case``) records the evaluation on the case
  (:func:`~yiwang.operations.actions.evaluate`); a bad one under the "reopen" policy reopens the case
  through the hook registered with ``reviews.hooks``.

Nothing here is required: without the reviews app, closure simply offers no rating.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel

from .models import Case, CaseStatusChange

log = logging.getLogger("yiwang.operations")
SUBJECT_TYPE = "operations.case"


def reviews_installed() -> bool:
    return apps.is_installed("yiwang.reviews")


def rating_round(case: Case) -> int:
    return 1 + CaseStatusChange.objects.filter(case=case, action="reopen").count()


def offer_rating(actor, case: Case):
    """Open the rating opportunity of a just-closed case (idempotent per round); None without reviews."""
    if not reviews_installed() or case.reporter_anonymous:
        return None
    if case.reporter_id is None and not case.reporter_phone:
        return None
    org = case.department or case.team
    if org is None:
        return None
    from yiwang.reviews.actions import open_opportunity

    return open_opportunity(
        Actor.system(Channel.SYSTEM),
        subject=case,
        round=rating_round(case),
        org_unit=org,
        network="operations",
        channel="online" if case.reporter_id else "sms",
        rater=case.reporter,
        policy=case.category.bad_rating_policy,
    )


def _case_of(rating) -> Case | None:
    opportunity = rating.opportunity
    if opportunity.subject_type != SUBJECT_TYPE:
        return None
    return Case.objects.filter(pk=opportunity.subject_id).first()


def reopen_after_bad_rating(rating) -> None:
    """The "reopen" policy: a bad rating sends the case back to its handlers (raises if it cannot)."""
    from .actions import reopen

    case = _case_of(rating)
    if case is None:
        raise ActionError("not a case")
    reopen(Actor.system(Channel.SYSTEM), case, reason=rating.comment or "bad rating 差评")


def record_rating(sender, instance, created, **kwargs) -> None:
    """Mirror a new rating of a case into its evaluation (best effort: a refused evaluation is logged)."""
    if not created:
        return
    case = _case_of(instance)
    if case is None or case.status != "closed":
        return
    from .actions import evaluate

    try:
        with transaction.atomic():
            evaluate(Actor.system(Channel.SYSTEM), case, level=int(instance.level), comment=instance.comment or "")
    except ActionError as exc:
        log.info("rating of case %s not recorded as evaluation: %s", case.pk, exc.message)


def register() -> None:
    if not reviews_installed():
        return
    from django.db.models.signals import post_save

    from yiwang.reviews.hooks import register_bad_rating_hook

    register_bad_rating_hook(SUBJECT_TYPE, reopen_after_bad_rating)
    post_save.connect(record_rating, sender="reviews.Rating", dispatch_uid="operations-record-rating")
