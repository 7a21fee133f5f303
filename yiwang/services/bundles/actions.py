"""The write path of bundles: one submission fans out into the parts' applications, in one transaction.

Public API::

    submit_bundle(actor, bundle, *, channel="online", uploads=None, card=None, situations=None)

``uploads`` maps a merged material's key (:func:`.plan.material_key`) to an uploaded file; the same
file is attached to every part that asks for that material. Exempted materials (免交) need none.
If any part cannot be created or submitted, nothing is kept.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event
from yiwang.core.actor import Actor
from yiwang.services.applications import actions as applications
from yiwang.services.applications.models import MaterialState

from .models import Bundle, BundleApplication
from .plan import material_key


def _situations(bundle: Bundle):
    """The parts' situations, their items with everything guidance and the materials list need."""
    return [
        part.situation
        for part in bundle.parts.select_related("situation__item__department")
        .prefetch_related(
            "situation__materials",
            "situation__item__situations__materials",
            "situation__item__questions__options__situations",
        )
        .order_by("position", "id")
    ]


@action
def submit_bundle(
    actor: Actor, bundle: Bundle, *, channel: str = "online", uploads=None, card=None, situations=None
) -> BundleApplication:
    """Create, fill and submit one application per part of ``bundle``; all or nothing.

    ``situations``: one per part, as the bundle's questionnaire picked them (each of its part's item);
    by default the parts' own situations.
    """
    if not bundle.active:
        raise ActionError(_("This bundle is no longer offered."))
    defaults = _situations(bundle)
    if not defaults:
        raise ActionError(_("This bundle lists no item."))
    if situations is None:
        situations = defaults
    elif len(situations) != len(defaults) or any(
        chosen is None or chosen.item_id != default.item_id
        for chosen, default in zip(situations, defaults, strict=False)
    ):
        raise ActionError(_("Please answer the questions first: each item needs its situation."), field="situations")
    uploads = uploads or {}
    made = []
    for situation in situations:
        application = applications.create_application(actor, situation=situation, channel=channel, card=card)
        for row in application.materials.select_related("material").filter(state=MaterialState.MISSING):
            upload = uploads.get(material_key(row.material))
            if upload is None:
                continue
            upload.seek(0)
            applications.attach_material(actor, application, row.material, upload)
        applications.submit(actor, application)
        made.append(application)
    bundled = BundleApplication.objects.create(bundle=bundle, applicant=actor.user)
    bundled.parts.set(made)
    record_event(
        actor,
        "bundles.application.submit",
        bundled,
        after={"bundle": bundle.code, "applications": [a.code for a in made]},
    )
    return bundled
