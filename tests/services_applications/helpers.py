"""Catalogue rows and people for application tests (plain functions)."""

import itertools

from tests.factories import make_department, make_org, make_user
from yiwang.core.actor import Actor
from yiwang.core.roles import OrgKind, Role
from yiwang.services.catalogue.models import Item, LicenceType, Material, MaterialSource, Situation

_seq = itertools.count(1)


def make_situation(
    department=None,
    *,
    promised=5,
    statutory=20,
    materials=("Application form",),
    licences=(),
    on_the_spot=False,
    kiosk=True,
):
    """An item of ``department`` with one situation listing ``materials`` and government-issued ``licences``."""
    n = next(_seq)
    department = department or make_department()
    item = Item.objects.create(code=f"310106-{n:06d}-01-00X", name=f"Item {n}", type="licence", department=department)
    situation = Situation.objects.create(
        item=item,
        code=f"s{n}",
        name=f"Situation {n}",
        statutory_days=statutory,
        promised_days=promised,
        on_the_spot=on_the_spot,
        kiosk=kiosk,
    )
    for position, name in enumerate(materials):
        Material.objects.create(situation=situation, position=position, name=name)
    for position, type_code in enumerate(licences, start=len(materials)):
        licence_type, _ = LicenceType.objects.get_or_create(code=type_code, defaults={"name": f"Licence {type_code}"})
        Material.objects.create(
            situation=situation,
            position=position,
            name=f"Copy of {type_code}",
            source=MaterialSource.LICENCE,
            licence_type=licence_type,
        )
    return situation


def clerk(window=None):
    window = window or make_org(OrgKind.SERVICE_WINDOW)
    return make_user(Role.WINDOW_CLERK, org=window)


def approver(department):
    return make_user(Role.APPROVER, org=department)


def as_actor(user, channel="web", assurance="password"):
    return Actor(user=user, channel=channel, assurance=assurance)
