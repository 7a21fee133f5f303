"""The materials of an application: the situation's list, uploads, and exemptions (免交).

Government-issued materials held by a *verified* applicant in the e-licence library need not be
submitted: the licence library's ``exempt_materials(VerifiedIdentity, situation)`` says which. A typed
ID number (a window without the card reader) never exempts anything.
"""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.bulkinsert import insert_objects

from . import access, lookups
from .models import ApplicationMaterial, ItemLicence, MaterialState
from .states import Status

logger = logging.getLogger("yiwang.services.applications")

EDITABLE = (Status.DRAFT, Status.CORRECTION_REQUESTED)


def verified_identity(actor: Actor, card=None):
    """The licence library's VerifiedIdentity from a card read by a reader, or the actor's verified login."""
    try:
        from yiwang.services.licences.identity import IdentityNotVerified, VerifiedIdentity
    except ImportError:  # the licence library is not installed
        return None
    try:
        if card is not None:
            return VerifiedIdentity._from_card(card)
        return VerifiedIdentity.from_actor(actor)
    except IdentityNotVerified:
        return None


def _exemptions(identity, situation) -> dict:
    if identity is None:
        return {}
    try:
        from yiwang.services.licences.exemption import exempt_materials
    except (ImportError, RuntimeError):  # absent or not installed: everything is uploaded
        return {}
    return {e.material.pk: e for e in exempt_materials(identity, situation)}


def exemption_reason(material, licence) -> str:
    return str(
        _("licence NO. %(number)s of type %(type)s held by the verified applicant")
        % {"number": licence.number, "type": material.licence_type.name if material.licence_type else ""}
    )


def plan_materials(situation, identity=None) -> list[ApplicationMaterial]:
    """One unsaved row per material of the situation: exempted when the library holds it, else to be provided.

    The situation's materials come from the per-process catalogue cache (:mod:`.lookups`); the exemptions
    from the licence library, only for a verified identity.
    """
    exemptions = _exemptions(identity, situation)
    rows = []
    for material in lookups.materials(situation.pk):
        exemption = exemptions.get(material.pk)
        row = ApplicationMaterial(
            material=material,
            state=MaterialState.EXEMPTED if exemption else MaterialState.MISSING,
            exemption_reason=exemption_reason(material, exemption.licence) if exemption else "",
            licence_number=exemption.licence.number if exemption else "",
        )
        rows.append(row)
    return rows


def write_materials(application, rows: list[ApplicationMaterial]) -> list[ApplicationMaterial]:
    """Insert the planned rows of a new application (one prepared statement)."""
    for row in rows:
        row.application = application
    insert_objects(rows)
    return rows


def list_materials(actor: Actor, application, identity=None) -> list[ApplicationMaterial]:
    """The situation's rows for ``application``, planned and inserted."""
    return write_materials(application, plan_materials(application.situation, identity))


def missing_required(application) -> list[ApplicationMaterial]:
    rows = application.materials.select_related("material").filter(state=MaterialState.MISSING)
    return [row for row in rows if row.material.required]


def _may_edit(actor: Actor, application) -> bool:
    user = actor.user
    if user is None:
        return False
    if application.applicant_id == user.pk:
        return True
    return access.is_front_desk(user)


@action
def attach_material(actor: Actor, application, material, uploaded_file) -> ApplicationMaterial:
    """Upload a material (checked by content, stored privately) for a draft or a correction."""
    from yiwang.core.uploads.actions import store_upload

    require(_may_edit(actor, application), _("Only the applicant or a window clerk may add materials."))
    if application.status not in EDITABLE:
        raise ActionError(_("Materials can be added only to a draft or when a correction is requested."))
    row = application.materials.filter(material=material).first()
    if row is None:
        raise ActionError(_("This material is not asked for by this application."), field="material")
    if row.state == MaterialState.EXEMPTED:
        raise ActionError(_("This material is exempted: the licence library holds it."), field="material")
    stored = store_upload(actor, uploaded_file, purpose="services.application")
    row.file, row.state = stored, MaterialState.UPLOADED
    row.save(update_fields=["file", "state"])
    record_event(actor, "applications.material.upload", application, after={"material": material.pk})
    return row


def issue_item_licence(actor: Actor, application):
    """On approval: the licence the item issues (kept in :class:`ItemLicence`), to the applicant."""
    mapping = ItemLicence.objects.filter(item_id=application.item_id).select_related("licence_type").first()
    if mapping is None:
        return None
    try:
        from yiwang.services.licences.actions import issue_licence
    except ImportError:
        logger.warning("application %s approved but the licence library is not installed", application.code)
        return None
    today = timezone.localdate()
    try:
        until = today.replace(year=today.year + mapping.valid_years)
    except ValueError:  # 29 February
        until = date(today.year + mapping.valid_years, 2, 28)
    licence, _token = issue_licence(
        Actor.system(actor.channel),
        licence_type=mapping.licence_type,
        holder_id_number=application.applicant_id_number,
        holder_name=application.applicant_name,
        valid_from=today,
        valid_until=until,
        issuer=application.department,
        about=application,
    )
    return licence
