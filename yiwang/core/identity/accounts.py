"""Finding or creating the account behind a verified identity (OIDC subject, ID card).

A verified ID number is written to ``User.verified_id_number`` only here, and only from a verified
source (a signed OIDC claim at assurance id_card or stronger, or an ID-card reader) — never from typed
input. Accounts created here get a random username: usernames appear in the audit trail, so they must
not be derived from a phone or ID number.
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, Conflict, action, record_event
from yiwang.core.actor import Actor
from yiwang.core.masking import mask_id_number
from yiwang.core.models import RoleAssignment, User
from yiwang.core.roles import ASSURANCE_RANK, Assurance, Role

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_id_number(number: str) -> str:
    """A resident ID number (GB 11643, 18 characters) with its check digit verified, upper-case X."""
    value = (number or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise ActionError(_("Not a valid ID number."), field="id_number")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ActionError(_("The ID number's check digit is wrong."), field="id_number")
    return value


def _new_username(prefix: str) -> str:
    while True:
        name = f"{prefix}-{secrets.token_hex(5)}"
        if not User.objects.filter(username=name).exists():
            return name


def _create_resident(actor: Actor, prefix: str, **fields) -> User:
    user = User(username=_new_username(prefix), **fields)
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT)
    record_event(actor, "core.user.create", user, after={"source": prefix, "roles": [Role.RESIDENT.value]})
    return user


def _set_verified_id(actor: Actor, user: User, number: str, source: str) -> None:
    if user.verified_id_number and user.verified_id_number != number:
        raise Conflict(_("This account is bound to another ID number; ask the service desk for help."))
    first_time = not user.verified_id_number
    user.verified_id_number = number
    user.id_verified_at = timezone.now()
    user.save(update_fields=["verified_id_number", "id_verified_at"])
    record_event(
        actor,
        "core.user.verify_id",
        user,
        after={"id_number": mask_id_number(number), "source": source, "first_time": first_time},
    )


@action
def account_for_card(actor: Actor, id_number: str, name: str = "") -> User:
    """The account of the person whose ID card was read (created as a resident the first time)."""
    number = normalise_id_number(id_number)
    user = User.objects.select_for_update().filter(verified_id_number=number).first()
    if user is None:
        user = _create_resident(actor, "idcard", display_name=name or "")
    if not user.is_active:
        raise ActionError(_("This account is disabled."))
    _set_verified_id(actor, user, number, "id_card")
    return user


@action
def account_for_oidc(
    actor: Actor, claims: dict, assurance: str, *, id_claim: str, name_claim: str, phone_claim: str, create: bool = True
) -> User:
    """The account of a verified OIDC subject; binds a verified ID number when the login is strong enough."""
    subject = str(claims["sub"])
    number = ""
    if claims.get(id_claim) and ASSURANCE_RANK[assurance] >= ASSURANCE_RANK[Assurance.ID_CARD]:
        number = normalise_id_number(str(claims[id_claim]))
    user = User.objects.select_for_update().filter(oidc_subject=subject).first()
    if user is None and number:
        # the same person, already known from an ID-card login: link the subject to that account
        user = User.objects.select_for_update().filter(verified_id_number=number, oidc_subject="").first()
        if user is not None:
            user.oidc_subject = subject
            user.save(update_fields=["oidc_subject"])
            record_event(actor, "core.user.link_oidc", user, after={"linked": True})
    if user is None:
        if not create:
            raise ActionError(_("No account is registered for this sign-in; ask your administrator."))
        user = _create_resident(
            actor,
            "oidc",
            oidc_subject=subject,
            display_name=str(claims.get(name_claim) or "")[:100],
            phone=str(claims.get(phone_claim) or "")[:32],
        )
    if not user.is_active:
        raise ActionError(_("This account is disabled."))
    if number:
        _set_verified_id(actor, user, number, "oidc")
    return user
