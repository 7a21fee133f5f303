"""Making an application (办件): online, at a window, at a kiosk — ``create_application``, re-exported by
:mod:`.actions`, the only write path."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.bulkinsert import insert_objects

from . import access, materials, statements
from . import workflow as wf
from .models import Application, MaterialState
from .states import ApplyChannel, Status
from .steps import history_row as _history_row
from .steps import in_turn as _in_turn
from .steps import require_materials as _require_materials
from .steps import summary


def _channel_allowed(situation, channel: str) -> bool:
    return channel in situation.channels


def create_application(
    actor: Actor,
    *,
    situation,
    channel: str,
    card=None,
    applicant_name: str = "",
    applicant_id_number: str = "",
    window_code: str = "",
    submit_at_once: bool = False,
) -> Application:
    """A draft application for ``situation`` through ``channel`` (online, window, kiosk).

    Online and kiosk: the logged-in user applies for themself (verified when they logged in with an
    ID card or the government sign-on). Window: a clerk applies on the resident's behalf, the resident
    identified by the card reader (``card``, verified) or typed (not verified: no licence exemption).

    ``submit_at_once``: submitted in the same transaction (both steps in the history and the audit
    trail), or refused whole — nothing saved — while a required material is still to be provided.

    Everything that needs no lock — the checks, the identity, the exemptions (the licence library's one
    read) and the material plan, the new row — is decided before the write turn and the transaction;
    only the inserts and the audit row are written in them (:func:`_insert_application`).
    """
    user = actor.user
    require(user is not None, _("Log in to apply."))
    if channel not in ApplyChannel.values:
        raise ActionError(_("Unknown channel “%(value)s”.") % {"value": channel}, field="channel")
    if not situation.item.active:
        raise ActionError(_("This item is no longer offered."), field="situation")
    if not _channel_allowed(situation, channel):
        raise ActionError(
            _("“%(situation)s” cannot be applied for through the %(channel)s.")
            % {"situation": situation.name, "channel": ApplyChannel(channel).label},
            field="channel",
        )
    applicant = None
    verified = False
    if channel == ApplyChannel.WINDOW:
        require(access.is_front_desk(user), _("Only a window clerk may apply on someone's behalf at a window."))
        if card is not None:
            applicant_name, applicant_id_number, verified = card.name, card.id_number, True
        if not applicant_name.strip() or not applicant_id_number.strip():
            raise ActionError(_("Read the applicant's ID card or type their name and ID number."), field="applicant")
    elif card is not None:  # kiosk: the card on the reader
        applicant, applicant_name, applicant_id_number, verified = user, card.name, card.id_number, True
    else:
        applicant = user
        applicant_name = user.display_name or user.get_full_name() or user.get_username()
        applicant_id_number = user.verified_id_number
        verified = bool(user.verified_id_number) and actor.has_assurance("id_card")
    # what the situation asks for, decided before the insert (the catalogue from the per-process cache,
    # the exemptions from the licence library: one query), so a submitted application is inserted as such
    identity = materials.verified_identity(actor, card) if verified else None
    planned = materials.plan_materials(situation, identity)
    if submit_at_once:
        _require_materials([row for row in planned if row.state == MaterialState.MISSING and row.material.required])
        # the applicant submitting their own new application: the table's check needs no role query
        own = applicant is not None and applicant.pk == user.pk and user.is_active
        if own:
            wf.check(Status.DRAFT, wf.A.SUBMIT, {wf.APPLICANT})
    now = timezone.now()
    application = Application(
        item=situation.item,
        situation=situation,
        department=situation.item.department,
        applicant=applicant,
        applicant_name=applicant_name.strip()[:100],
        applicant_id_number=applicant_id_number.strip().upper()[:18],
        identity_verified=verified,
        channel=channel,
        created_by=user,
        window_code=window_code[:32],
        visits=0 if channel == ApplyChannel.ONLINE else 1,
        promised_days=situation.promised_days,
        statutory_days=situation.statutory_days,
        created_at=now,
    )
    if submit_at_once and not own:  # someone else's (a clerk at a window): the table asks their roles
        wf.check(Status.DRAFT, wf.A.SUBMIT, access.roles_for(actor, application))
    if submit_at_once:
        application.status, application.submitted_at, application.version = Status.SUBMITTED, now, 1
    return _insert_application(actor, application, planned, submit_at_once=submit_at_once)


@_in_turn
@action
def _insert_application(actor: Actor, application: Application, planned, *, submit_at_once: bool) -> Application:
    """The writing half of :func:`create_application`: the rows planned there, in one transaction."""
    now = application.created_at
    insert_objects([application])  # one prepared INSERT; the row is ours alone until commit (no lock)
    application.code = f"SQ{timezone.localdate():%Y%m%d}{application.pk:06d}"
    statements.set_code(application)
    materials.write_materials(application, planned)
    draft = _history_row(actor, application, "create", "")
    draft.to_status, draft.at = Status.DRAFT, now
    history = [draft]
    if submit_at_once:
        history.append(_history_row(actor, application, wf.A.SUBMIT, Status.DRAFT))
    insert_objects(history)
    # one action, one audit row: created, and submitted too when at once (its status says so; both steps
    # are in the status history)
    after = summary(application)
    if submit_at_once:
        after["submitted_at_once"] = True
    record_event(actor, "applications.application.create", application, after=after)
    return application
