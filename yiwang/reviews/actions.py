"""The only write path of the reviews context: open an opportunity to rate, rate it.

Rectification steps (contact the resident, close, escalate) live in ``rectification.py`` and are
re-exported here, so other contexts import everything from ``yiwang.reviews.actions``.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, PermissionDenied, action, record_event, require
from yiwang.core.actor import Actor, Channel

from . import access, hooks
from .models import Level, Network, Policy, Rating, RatingChannel, RatingOpportunity, is_bad
from .rectification import (  # noqa: F401  (re-exported)
    close_rectification,
    contact_resident,
    escalate_overdue,
    open_rectification,
    remind_department,
    reveal_rater_contact,
)

logger = logging.getLogger("yiwang.reviews")

DEFAULT_EXPIRES_IN_DAYS = 30
MAX_COMMENT = 2000


class AlreadyRated(ActionError):
    def __init__(self):
        super().__init__(_("This has already been rated. Each service can be rated only once."), code="already_rated")


class Expired(ActionError):
    def __init__(self):
        super().__init__(_("This rating link has expired."), code="expired")


def subject_ref(subject) -> tuple[str, str]:
    """A model instance or a ``(type, id)`` pair → ``("app.model", "id")``."""
    if isinstance(subject, models.Model):
        return f"{subject._meta.app_label}.{subject._meta.model_name}", str(subject.pk)
    if isinstance(subject, tuple | list) and len(subject) == 2:
        return str(subject[0]), str(subject[1])
    raise TypeError("subject must be a model instance or a (type, id) pair")


@action
def open_opportunity(
    actor: Actor,
    *,
    subject,
    round: int = 1,  # noqa: A002  (the domain's word: rating round of a reopened case)
    org_unit,
    network: str,
    channel: str,
    rater=None,
    window_code: str = "",
    clerk=None,
    item_code: str = "",
    policy: str = Policy.RECTIFY,
    expires_in_days: int | None = DEFAULT_EXPIRES_IN_DAYS,
) -> RatingOpportunity:
    """Offer the rating of ``subject`` (round ``round``) to ``rater``, or to whoever holds the token.

    Idempotent per subject and round: calling again returns the opportunity already opened (unchanged).
    ``policy`` says what a bad rating sets off: "rectify" (a 5-working-day rectification by ``org_unit``),
    "reopen" (the hook registered for the subject type), or the name of a registered hook.
    """
    require(access.may_open_opportunity(actor, rater), _("You may not offer a rating."))
    subject_type, subject_id = subject_ref(subject)
    if network not in Network.values:
        raise ActionError(_("Unknown network “%(value)s”.") % {"value": network}, field="network")
    if channel not in RatingChannel.values:
        raise ActionError(_("Unknown rating channel “%(value)s”.") % {"value": channel}, field="channel")
    if not hooks.is_known_policy(policy):
        raise ActionError(_("Unknown bad-rating policy “%(value)s”.") % {"value": policy}, field="policy")
    if int(round) < 1:
        raise ActionError(_("The rating round starts at 1."), field="round")
    if org_unit is None:
        raise ActionError(_("A rating needs a responsible department."), field="org_unit")
    existing = RatingOpportunity.objects.filter(subject_type=subject_type, subject_id=subject_id, round=round).first()
    if existing is not None:
        return existing
    now = timezone.now()
    opportunity = RatingOpportunity(
        subject_type=subject_type,
        subject_id=subject_id,
        round=int(round),
        org_unit=org_unit,
        network=network,
        channel=channel,
        rater=rater,
        window_code=window_code or "",
        clerk=clerk,
        item_code=item_code or "",
        policy=policy,
        opened_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    try:
        with transaction.atomic():
            opportunity.save(force_insert=True)
    except IntegrityError:  # opened concurrently by someone else
        return RatingOpportunity.objects.get(subject_type=subject_type, subject_id=subject_id, round=round)
    record_event(
        actor,
        "reviews.opportunity.open",
        opportunity,
        after={
            "subject": f"{subject_type}:{subject_id}",
            "round": opportunity.round,
            "org_unit": org_unit.pk,
            "network": network,
            "channel": channel,
            "rater": rater.pk if rater is not None else None,
            "policy": policy,
        },
    )
    return opportunity


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise ActionError(_("Please choose one of the five ratings."), field="level")
    return level


@action
def rate(
    actor_or_token,
    opportunity: RatingOpportunity,
    level,
    comment: str = "",
    *,
    actor: Actor | None = None,
    channel: str | None = None,
) -> Rating:
    """Rate ``opportunity`` once. The first argument is the rater's ``Actor`` or the opportunity's token.

    With a token, ``actor`` (e.g. ``Actor.from_request(request)``) is who the audit trail names; without
    one, an anonymous web actor. A second rating raises :class:`AlreadyRated`, even when two arrive at
    the same instant (the database's unique constraint decides). A bad rating (不满意, 非常不满意)
    follows the opportunity's policy.
    """
    if isinstance(actor_or_token, Actor):
        actor, token = actor_or_token, None
    else:
        token = str(actor_or_token or "")
        actor = actor or Actor(user=None, channel=Channel.WEB)
    locked = RatingOpportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
    if locked is None:
        raise ActionError(_("This rating does not exist."), code="not_found")
    if not access.may_rate(actor, locked, token):
        raise PermissionDenied(_("You may not rate this service."))
    level = _level(level)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ActionError(
            _("The comment is too long (at most %(n)d characters).") % {"n": MAX_COMMENT}, field="comment"
        )
    if Rating.objects.filter(opportunity=locked).exists():
        raise AlreadyRated()
    if locked.is_expired():
        raise Expired()
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    rating = Rating(
        opportunity=locked,
        level=level,
        is_bad=is_bad(level),
        comment=comment,
        rater=user or locked.rater,
        channel=channel if channel in RatingChannel.values else locked.channel,
        rated_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
    except IntegrityError:  # a concurrent submit won the race
        raise AlreadyRated()
    record_event(
        actor,
        "reviews.rating.create",
        rating,
        after={
            "opportunity": locked.pk,
            "subject": f"{locked.subject_type}:{locked.subject_id}",
            "round": locked.round,
            "level": level,
            "bad": rating.is_bad,
            "channel": rating.channel,
            "by_token": token is not None,
        },
    )
    if rating.is_bad:
        _follow_up(actor, rating)
    return rating


COMMENT_WINDOW = timedelta(days=1)


@action
def add_comment(actor_or_token, opportunity: RatingOpportunity, comment: str, *, actor: Actor | None = None) -> Rating:
    """Add the optional comment after the one-tap rating (once, within a day; the same people as ``rate``)."""
    if isinstance(actor_or_token, Actor):
        actor, token = actor_or_token, None
    else:
        token = str(actor_or_token or "")
        actor = actor or Actor(user=None, channel=Channel.WEB)
    rating = Rating.objects.select_for_update().select_related("opportunity").filter(opportunity=opportunity).first()
    if rating is None:
        raise ActionError(_("Please choose a rating first."), code="not_rated")
    if not access.may_rate(actor, rating.opportunity, token):
        raise PermissionDenied(_("You may not comment on this rating."))
    comment = (comment or "").strip()
    if not comment:
        raise ActionError(_("Please write your comment."), field="comment")
    if len(comment) > MAX_COMMENT:
        raise ActionError(
            _("The comment is too long (at most %(n)d characters).") % {"n": MAX_COMMENT}, field="comment"
        )
    if rating.comment:
        raise ActionError(_("This rating already has a comment."), code="already_commented")
    if timezone.now() - rating.rated_at > COMMENT_WINDOW:
        raise ActionError(_("A comment can be added only on the day of the rating."), code="too_late")
    rating.comment = comment
    rating.save(update_fields=["comment"])
    record_event(actor, "reviews.rating.comment", rating, after={"chars": len(comment)})
    return rating


def _follow_up(actor: Actor, rating: Rating) -> None:
    """A bad rating: hand it to its context's hook, or open a rectification (also when the hook fails)."""
    opportunity = rating.opportunity
    hook = hooks.hook_for(opportunity.policy, opportunity.subject_type)
    outcome = Rating.FollowUp.RECTIFICATION
    note = ""
    if hook is not None:
        try:
            with transaction.atomic():
                hook(rating)
            outcome = Rating.FollowUp.HOOK
        except Exception as exc:  # the rating must never be lost: fall back to a rectification
            logger.exception("bad-rating hook for %s failed", opportunity)
            outcome = Rating.FollowUp.HOOK_FAILED
            note = f"hook failed: {type(exc).__name__}"
    elif opportunity.policy != Policy.RECTIFY:
        outcome = Rating.FollowUp.HOOK_FAILED
        note = f"no hook registered for policy {opportunity.policy} of {opportunity.subject_type}"
    if outcome != Rating.FollowUp.HOOK:
        open_rectification(actor, rating)
    Rating.objects.filter(pk=rating.pk).update(follow_up=outcome)
    rating.follow_up = outcome
    record_event(actor, "reviews.rating.follow_up", rating, after={"follow_up": outcome}, note=note)


MOBILE_RE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
SMS_LINK_LIMIT = 3  # rating links sent by SMS per opportunity (a clerk cannot flood a phone)


@action
def send_rating_link(actor: Actor, opportunity: RatingOpportunity, *, phone: str = ""):
    """Send the rating link by SMS (短信评价): to ``phone`` (typed at the window, for a resident without an
    account), or else to the rater's own number. The link records that the rating came through SMS.

    Staff who may offer ratings, or the system. Refused once rated, expired, or after three sends.
    """
    from yiwang.core.notify.services import notify

    require(access.may_open_opportunity(actor), _("You may not send rating links."))
    if Rating.objects.filter(opportunity=opportunity).exists():
        raise AlreadyRated()
    if opportunity.is_expired():
        raise Expired()
    from yiwang.core.notify.models import Notification

    subject_type, subject_id = subject_ref(opportunity)
    if (
        Notification.objects.filter(subject_type=subject_type, subject_id=subject_id, channel="sms").count()
        >= SMS_LINK_LIMIT
    ):
        raise ActionError(_("The rating link was already sent three times."), code="too_many")
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not MOBILE_RE.match(phone):
        raise ActionError(_("“%(value)s” is not a mobile number.") % {"value": phone}, field="phone")
    recipient = opportunity.rater if not phone else None
    if not phone and (recipient is None or not getattr(recipient, "phone", "")):
        raise ActionError(_("Type the resident's mobile number."), field="phone")
    body = str(_("Please rate our service (好差评): %(link)s")) % {"link": opportunity.sms_link}
    return notify(
        actor,
        channel="sms",
        recipient=recipient,
        address=phone,
        subject=str(_("Rate our service 请您评价")),
        body=body,
        about=opportunity,
    )
