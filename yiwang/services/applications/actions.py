"""The only write path of applications (办件). Online portal, window and kiosk call the same actions.

Each action takes an ``Actor``, locks the application, checks the transition table
(:mod:`.workflow`) and the actor's scope, applies the change, appends a status history row and an
audit row, all in one transaction. Optimistic concurrency: an action is applied to the version the
caller loaded; if someone else changed the application first, :class:`Conflict` is raised.

Public API::

    create_application(actor, *, situation, channel, card=None, applicant_name="", applicant_id_number="",
                       window_code="", submit_at_once=False) -> Application   # submitted in the same transaction
    attach_material(actor, application, material, uploaded_file) -> ApplicationMaterial   (materials.py)
    submit(actor, application)
    accept(actor, application)                        # starts the "promised" and "statutory" clocks
    not_accept(actor, application, reason=...)
    request_correction(actor, application, reason=...) # pauses the clocks (补正)
    correct(actor, application)                       # resumes them; back to submitted
    start_review(actor, application)
    approve(actor, application, note="")              # issues the item's licence, if any
    deny(actor, application, reason=...)
    deliver(actor, application)                       # 办结; opens the rating (好差评)
    withdraw(actor, application, reason="")
    call_specialist(actor, application, message) / post_consult_message(actor, application, body)
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core import writeturn
from yiwang.core.actions import ActionError, Conflict, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.bulkinsert import insert_objects

from . import access, clocks, lookups, materials, statements
from . import workflow as wf
from .consult import call_specialist, post_consult_message  # noqa: F401  (re-exported)
from .create import create_application  # noqa: F401  (re-exported)
from .materials import attach_material  # noqa: F401  (re-exported)
from .models import Application
from .states import ApplyChannel
from .steps import history_row as _history_row
from .steps import in_turn as _in_turn
from .steps import require_materials as _require_materials
from .steps import summary  # noqa: F401  (re-exported: the API's answer)

RATING_CHANNELS = {ApplyChannel.WINDOW: "on_spot", ApplyChannel.ONLINE: "online", ApplyChannel.KIOSK: "kiosk"}


# --- moving through the lifecycle -----------------------------------------------------------------


def _locked(application: Application) -> Application:
    """The application's row, locked, as it is now; by pk, or by code for a caller that only knows the code.

    ``version`` None (a caller that did not say which version it saw) skips the optimistic check.
    Raises ``Application.DoesNotExist`` when there is no such application.
    """
    # lock the application's row only: FOR UPDATE with joins would lock the department, item and
    # situation rows too — serialising every transition of a department and deadlocking with the
    # foreign-key checks of concurrent inserts (measured on PostgreSQL under load); NO KEY: the key stays
    # (no joins at all: the situation, item and department come from the per-process catalogue cache)
    by_pk = application.pk is not None
    fresh = statements.select_locked("id" if by_pk else "code", application.pk if by_pk else application.code)
    _attach_catalogue(fresh)
    if application.version is not None and fresh.version != application.version:
        raise Conflict(
            _("Application %(code)s was changed by someone else in the meantime (it is now %(state)s); reload it.")
            % {"code": fresh.code, "state": wf.state_label(fresh.status)}
        )
    return fresh


def _attach_catalogue(application: Application) -> None:
    """Give a loaded application its situation, item and department from the catalogue cache (no query)."""
    situation = lookups.situation(application.situation_id)
    if situation is None or situation.item_id != application.item_id:
        return  # moved in the catalogue since: the attributes load lazily, as usual
    application.situation, application.item = situation, situation.item
    if situation.item.department_id == application.department_id:
        application.department = situation.item.department


def _move(
    actor: Actor, application: Application, action_name: str, *, note: str = "", then=None, **fields
) -> Application:
    """Check the table, then write the new state with a conditional UPDATE on the loaded version.

    ``then``: a further step of the action, ``then(fresh) -> dict``, run before the audit row, which
    records what it returns beside the status (an acceptance's clocks): one action, one audit row.
    """
    fresh = _locked(application)
    source = fresh.status
    target = wf.check(source, action_name, access.roles_for(actor, fresh))
    changes = {"status": target, **fields}
    updated = statements.update_versioned(fresh, changes)
    if not updated:
        raise Conflict(_("Application %(code)s was changed by someone else; reload it.") % {"code": fresh.code})
    fresh.previous = {name: getattr(fresh, name) for name in changes}  # what the action replaced
    for name, value in changes.items():
        setattr(fresh, name, value)
    fresh.version += 1
    expressions = [name for name, value in changes.items() if hasattr(value, "resolve_expression")]
    if expressions:
        fresh.refresh_from_db(fields=expressions)
    for name in ("status", "version", *fields):
        setattr(application, name, getattr(fresh, name))
    insert_objects([_history_row(actor, fresh, action_name, source, note)])
    done = (then(fresh) or {}) if then is not None else {}
    record_event(
        actor,
        f"applications.application.{action_name}",
        fresh,
        before={"status": source},
        after={"status": target, **done},
        note=note[:200],
    )
    return fresh


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Give the reason: the applicant reads it."), field="reason")
    return reason


def _front_desk(actor: Actor) -> None:
    require(actor.user is None or access.is_front_desk(actor.user), _("Only a window clerk may do this."))


def _back_office(actor: Actor, application) -> None:
    require(
        actor.user is None or access.is_back_office_for(actor.user, application),
        _("Only an approver of %(department)s may decide this application.") % {"department": application.department},
    )


@_in_turn
@action
def submit(actor: Actor, application: Application) -> Application:
    _require_materials(materials.missing_required(application))
    return _move(actor, application, wf.A.SUBMIT, submitted_at=timezone.now())


def accept(actor: Actor, application: Application) -> Application:
    """Accept (受理) at any window; starts the promised and statutory deadline clocks."""
    _front_desk(actor)  # the clerk's roles are read (and kept on the user) before the write turn
    now = timezone.now()
    planned = None
    if writeturn.lock_path() is not None and not connection.in_atomic_block:
        # SQLite: the clocks' calendar arithmetic before the write turn, from an unlocked read (SQLite has
        # no row locks: a plain SELECT); used only if the locked row still asks for the same days
        ahead = statements.select_locked(
            "id" if application.pk is not None else "code", application.pk or application.code
        )
        planned = clocks.plan_first_start(ahead, now) if ahead.accepted_at is None else None
    return _accept(actor, application, now, planned)


@_in_turn
@action
def _accept(actor: Actor, application: Application, now, planned) -> Application:
    def start_clocks(fresh) -> dict:
        # clocks start only at acceptance: an application never accepted before has none to resume;
        # the clocks started are part of the acceptance and named in its audit row
        first = fresh.previous["accepted_at"] is None
        return clocks.start_or_resume(actor, fresh, first_acceptance=first, planned=planned)

    return _move(actor, application, wf.A.ACCEPT, then=start_clocks, clerk=actor.user, accepted_at=now)


@_in_turn
@action
def not_accept(actor: Actor, application: Application, *, reason: str) -> Application:
    _front_desk(actor)
    reason = _reason(reason)
    fresh = _move(actor, application, wf.A.NOT_ACCEPT, note=reason, reason=reason, decided_at=timezone.now())
    _offer_rating(actor, fresh)
    return fresh


@_in_turn
@action
def request_correction(actor: Actor, application: Application, *, reason: str) -> Application:
    """Tell the applicant once what to correct (一次性告知); the deadline clocks stop meanwhile."""
    if actor.user is not None and not access.is_front_desk(actor.user):
        _back_office(actor, application)
    reason = _reason(reason)
    fresh = _move(actor, application, wf.A.REQUEST_CORRECTION, note=reason, reason=reason)
    clocks.pause_all(actor, fresh, reason)
    return fresh


@_in_turn
@action
def correct(actor: Actor, application: Application) -> Application:
    """The applicant corrected (at a window: one more visit); the clocks run again."""
    at_window = actor.user is not None and access.is_front_desk(actor.user)
    extra = {"visits": F("visits") + 1} if at_window else {}
    fresh = _move(actor, application, wf.A.CORRECT, submitted_at=timezone.now(), **extra)
    clocks.resume_all(actor, fresh)
    return fresh


@_in_turn
@action
def start_review(actor: Actor, application: Application) -> Application:
    _back_office(actor, application)
    return _move(actor, application, wf.A.START_REVIEW)


@_in_turn
@action
def approve(actor: Actor, application: Application, *, note: str = "") -> Application:
    _back_office(actor, application)
    fresh = _move(actor, application, wf.A.APPROVE, note=note, decided_at=timezone.now())
    clocks.stop_all(actor, fresh)
    materials.issue_item_licence(actor, fresh)
    return fresh


@_in_turn
@action
def deny(actor: Actor, application: Application, *, reason: str) -> Application:
    _back_office(actor, application)
    reason = _reason(reason)
    fresh = _move(actor, application, wf.A.DENY, note=reason, reason=reason, decided_at=timezone.now())
    clocks.stop_all(actor, fresh)
    return fresh


@_in_turn
@action
def deliver(actor: Actor, application: Application) -> Application:
    """办结: the result reaches the applicant; done on the spot when delivered the day it was submitted."""
    if actor.user is not None and not access.is_front_desk(actor.user):
        _back_office(actor, application)
    now = timezone.now()
    submitted = application.submitted_at or application.created_at
    same_day = timezone.localdate(submitted) == timezone.localdate(now) and application.channel != ApplyChannel.ONLINE
    fresh = _move(actor, application, wf.A.DELIVER, delivered_at=now, on_the_spot=same_day)
    _offer_rating(actor, fresh)
    return fresh


@_in_turn
@action
def withdraw(actor: Actor, application: Application, *, reason: str = "") -> Application:
    fresh = _move(actor, application, wf.A.WITHDRAW, note=(reason or "").strip())
    clocks.stop_all(actor, fresh)
    return fresh


def _offer_rating(actor: Actor, application: Application) -> None:
    """Every service act can be rated once (好差评)."""
    from yiwang.reviews.actions import open_opportunity

    open_opportunity(
        Actor.system(actor.channel) if actor.user is None else actor,
        subject=application,
        network="services",
        channel=RATING_CHANNELS.get(application.channel, "online"),
        org_unit=application.department,
        rater=application.applicant,
        window_code=application.window_code,
        clerk=application.clerk,
        item_code=application.item.code,
        policy="rectify",
    )
