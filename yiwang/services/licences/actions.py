"""Actions of the licence library: issue and revoke. Each is audited in its own transaction."""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions
from yiwang.core.actions import ActionError, Conflict, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.masking import contains_raw_personal_data, mask_id_number, mask_name
from yiwang.core.models import OrgUnit
from yiwang.services.catalogue.models import LicenceType

from . import verify_cache
from .crypto import holder_hash
from .idnumber import InvalidIdNumber, validate_id_number
from .keys import current_key
from .models import Licence
from .tokens import build_claims, seal_token, sign


def _type_code(licence_type) -> str:
    """A catalogue LicenceType (anything with ``.code``) or its code."""
    code = getattr(licence_type, "code", licence_type)
    if not isinstance(code, str) or not code.strip():
        raise ActionError(_("A licence needs a licence type."), field="licence_type")
    return code.strip()


def _issuer(issuer) -> tuple[str, str]:
    """An issuing department (OrgUnit or anything with ``.code``/``.name``) or a ``(code, name)`` pair."""
    if isinstance(issuer, tuple):
        code, name = issuer
    else:
        code, name = getattr(issuer, "code", ""), getattr(issuer, "name", "")
    if not code or not name:
        raise ActionError(_("A licence needs an issuing department (code and name)."), field="issuer")
    return str(code), str(name)


def _audit_safe(value: str) -> str:
    """A licence number as the audit trail may hold it (masked if it looks like an ID or phone number)."""
    return mask_id_number(value) if contains_raw_personal_data(value) else value


def _may_issue(actor: Actor, issuer) -> bool:
    if actor.user is None:  # the platform: the applications context on approval, a worker, the CLI
        return True
    return isinstance(issuer, OrgUnit) and permissions.may_approve_for(actor.user, issuer)


@action
def issue_licence(
    actor: Actor,
    *,
    licence_type,
    holder_id_number: str,
    holder_name: str,
    number: str | None = None,
    valid_from: date,
    valid_until: date,
    issuer,
    about=None,
) -> tuple[Licence, str]:
    """Sign and record a licence; returns it with its token (JWS compact)."""
    require(_may_issue(actor, issuer), _("You may not issue licences for this department."))
    code = _type_code(licence_type)
    if not LicenceType.objects.filter(code=code).exists():
        raise ActionError(_("Unknown licence type %(code)s.") % {"code": code}, field="licence_type")
    issuer_code, issuer_name = _issuer(issuer)
    try:
        id_number = validate_id_number(holder_id_number)
    except InvalidIdNumber:
        raise ActionError(_("This is not a valid resident ID number."), field="holder_id_number") from None
    holder_name = (holder_name or "").strip()
    if not holder_name:
        raise ActionError(_("A licence needs the holder's name."), field="holder_name")
    if valid_until < valid_from:
        raise ActionError(_("The licence cannot end before it starts."), field="valid_until")
    issued_at = timezone.now()
    number = (number or "").strip() or f"{code}-{timezone.localtime(issued_at):%Y%m%d}-{secrets.token_hex(4).upper()}"
    if Licence.objects.filter(number=number).exists():
        raise Conflict(_("A licence with number %(number)s already exists.") % {"number": number})
    key = current_key(actor)
    jti = uuid.uuid4()
    claims = build_claims(
        jti=str(jti),
        licence_type=code,
        number=number,
        holder_id_number=id_number,
        holder_name=holder_name,
        issuer_code=issuer_code,
        issuer_name=issuer_name,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_at=issued_at,
    )
    token = sign(claims, key)
    about_type, about_id = "", ""
    if about is not None:
        about_type, about_id = f"{about._meta.app_label}.{about._meta.model_name}", str(about.pk)
    licence = Licence.objects.create(
        jti=jti,
        licence_type_id=code,
        number=number,
        holder_id_hash=holder_hash(id_number),
        holder_id_masked=mask_id_number(id_number),
        holder_name_masked=mask_name(holder_name),
        issuer_code=issuer_code,
        issuer_name=issuer_name,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_at=issued_at,
        algorithm=key.algorithm,
        signing_key=key,
        token_sealed=seal_token(token, str(jti)),
        about_type=about_type,
        about_id=about_id,
    )
    record_event(
        actor,
        "licences.licence.issue",
        licence,
        after={
            "licence_type": code,
            "number": _audit_safe(number),
            "holder": licence.holder_id_masked,
            "holder_name": licence.holder_name_masked,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "issuer": issuer_code,
            "kid": key.kid,
            "about": f"{about_type}:{about_id}" if about_type else "",
        },
    )
    return licence, token


def _may_revoke(actor: Actor, licence: Licence) -> bool:
    if actor.user is None:
        return True
    issuer = OrgUnit.objects.filter(code=licence.issuer_code, kind="department").first()
    return issuer is not None and permissions.may_approve_for(actor.user, issuer)


@action
def revoke_licence(actor: Actor, licence: Licence, *, reason: str) -> Licence:
    """Revoke a licence: it verifies as invalid (reason ``revoked``) and exempts nothing from now on."""
    require(_may_revoke(actor, licence), _("You may not revoke licences of this department."))
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Say why the licence is revoked."), field="reason")
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status == Licence.Status.REVOKED:
        raise Conflict(_("This licence is already revoked."))
    licence.status = Licence.Status.REVOKED
    licence.revoked_at = timezone.now()
    licence.revocation_reason = reason[:500]
    licence.save(update_fields=["status", "revoked_at", "revocation_reason"])
    verify_cache.forget(str(licence.jti))  # here at commit; other processes through the database's NOTIFY
    record_event(
        actor,
        "licences.licence.revoke",
        licence,
        before={"status": "valid"},
        after={"status": "revoked", "number": _audit_safe(licence.number)},
        note=reason[:200] if not contains_raw_personal_data(reason) else "reason holds personal data (withheld)",
    )
    return licence
