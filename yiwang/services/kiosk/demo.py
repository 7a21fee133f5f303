"""The demo card's licences: the simulated reader's card holder (``session.DEMO_CARD``) holds a valid
electronic licence of every type in the library, so that the demo kiosk shows materials exempted (免交).

``seed_card_licences(actor)`` issues them through the licence library's action (idempotent: a type the
holder already holds a usable licence of is skipped). Part of the demo's "ratings" step.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yiwang.core.actor import Actor


def seed_card_licences(actor: Actor, card=None) -> int:
    from yiwang.services.catalogue.models import LicenceType
    from yiwang.services.licences.actions import issue_licence
    from yiwang.services.licences.exemption import usable_licences
    from yiwang.services.licences.identity import VerifiedIdentity

    from .session import DEMO_CARD

    card = card or DEMO_CARD
    held = set(usable_licences(VerifiedIdentity.from_card(card)))
    today = timezone.localdate()
    issued = 0
    types = LicenceType.objects.filter(electronic=True, issuing_department__isnull=False).select_related(
        "issuing_department"
    )
    for licence_type in types.order_by("code"):
        if licence_type.code in held:
            continue
        issue_licence(
            actor,
            licence_type=licence_type,
            holder_id_number=card.id_number,
            holder_name=card.name,
            valid_from=today - timedelta(days=365),
            valid_until=today + timedelta(days=4 * 365),
            issuer=licence_type.issuing_department,
        )
        issued += 1
    return issued
