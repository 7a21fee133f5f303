"""Materials are exempt only for a verified identity holding a usable licence of the material's type."""

from datetime import date, timedelta

import pytest

from tests.factories import make_user
from yiwang.core.actor import Actor
from yiwang.core.identity.cardreader import CardData, SimulatedCardReader
from yiwang.core.roles import Assurance
from yiwang.services.licences.actions import revoke_licence
from yiwang.services.licences.exemption import exempt_materials
from yiwang.services.licences.identity import IdentityNotVerified, VerifiedIdentity

from .conftest import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(licence_type, department):
    from yiwang.services.catalogue.models import Item, LicenceType, Material, Situation

    item = Item.objects.create(
        code="310106-000201-01-00X", name="食品经营许可", type="licensing", department=department
    )
    situation = Situation.objects.create(item=item, code="new", name="新办", statutory_days=20, promised_days=5)
    other = LicenceType.objects.create(code="FOOD_PERMIT", name="食品经营许可证", issuing_department=department)
    Material.objects.create(situation=situation, position=1, name="申请书")
    Material.objects.create(
        situation=situation, position=2, name="营业执照", source="licence", licence_type=licence_type
    )
    Material.objects.create(situation=situation, position=3, name="旧许可证", source="licence", licence_type=other)
    return situation


def verified_actor(number, assurance=Assurance.ID_CARD):
    user = make_user(verified_id_number=number)
    return Actor(user=user, assurance=assurance)


def test_verified_holder_gets_the_licence_material_exempt(issue, situation):
    number = id_number()
    licence, _ = issue(holder_id_number=number)
    exemptions = exempt_materials(VerifiedIdentity.from_actor(verified_actor(number)), situation)
    assert [(e.material.name, e.licence.pk) for e in exemptions] == [("营业执照", licence.pk)]
    assert licence.number in str(exemptions[0].reason)


def test_card_read_at_a_window_is_a_verified_identity(issue, situation):
    number = id_number()
    issue(holder_id_number=number)
    reader = SimulatedCardReader([CardData(id_number=number, name="张三")])
    exemptions = exempt_materials(VerifiedIdentity.from_card_reader(reader), situation)
    assert [e.material.name for e in exemptions] == ["营业执照"]


def test_someone_elses_licence_exempts_nothing(issue, situation):
    issue(holder_id_number=id_number())
    assert exempt_materials(VerifiedIdentity.from_actor(verified_actor(id_number())), situation) == []


def test_a_typed_number_is_never_an_identity(issue, situation):
    number = id_number()
    issue(holder_id_number=number)
    with pytest.raises(TypeError):
        exempt_materials(number, situation)
    with pytest.raises(TypeError):
        VerifiedIdentity(number)
    with pytest.raises(TypeError):
        VerifiedIdentity.from_card_reader(CardData(id_number=number))


def test_password_login_or_unverified_account_is_refused(issue, situation):
    number = id_number()
    issue(holder_id_number=number)
    with pytest.raises(IdentityNotVerified):
        VerifiedIdentity.from_actor(verified_actor(number, assurance=Assurance.PASSWORD))
    with pytest.raises(IdentityNotVerified):
        VerifiedIdentity.from_actor(Actor(user=make_user(), assurance=Assurance.ID_CARD))
    with pytest.raises(IdentityNotVerified):
        VerifiedIdentity.from_actor(Actor.system())


def test_revoked_expired_or_future_licences_exempt_nothing(issue, situation):
    today = date.today()
    number = id_number()
    identity = VerifiedIdentity.from_actor(verified_actor(number, assurance=Assurance.GOV_SSO))
    licence, _ = issue(holder_id_number=number)
    revoke_licence(Actor.system(), licence, reason="revoked by court order")
    issue(holder_id_number=number, valid_from=today - timedelta(days=100), valid_until=today - timedelta(days=1))
    issue(holder_id_number=number, valid_from=today + timedelta(days=1), valid_until=today + timedelta(days=100))
    assert exempt_materials(identity, situation) == []
    issue(holder_id_number=number)
    assert [e.material.name for e in exempt_materials(identity, situation)] == ["营业执照"]


def test_licence_of_a_retired_key_exempts_nothing(issue, situation):
    from yiwang.services.licences.keys import retire_key

    number = id_number()
    licence, _ = issue(holder_id_number=number)
    retire_key(Actor.system(), licence.signing_key)
    assert exempt_materials(VerifiedIdentity.from_actor(verified_actor(number)), situation) == []


def test_catalogue_changes_are_seen_without_restart(issue, situation, department):
    from yiwang.services.catalogue.models import LicenceType, Material

    number = id_number()
    identity = VerifiedIdentity.from_actor(verified_actor(number))
    issue(holder_id_number=number, licence_type=LicenceType.objects.get(code="FOOD_PERMIT"))
    assert [e.material.name for e in exempt_materials(identity, situation)] == ["旧许可证"]
    Material.objects.filter(name="旧许可证").delete()
    assert exempt_materials(identity, situation) == []


def test_exemptions_across_the_catalogue_agree_with_each_situation(issue, situation, licence_type):
    from yiwang.services.catalogue.models import LicenceType, Material, Situation
    from yiwang.services.licences.exemption import exemptions_across_catalogue

    second = Situation.objects.create(
        item=situation.item, code="change", name="变更", statutory_days=20, promised_days=5
    )
    Material.objects.create(
        situation=second, position=1, name="营业执照副本", source="licence", licence_type=licence_type
    )
    unused = LicenceType.objects.create(code="UNUSED", name="未持有")
    Material.objects.create(situation=second, position=2, name="未持有证照", source="licence", licence_type=unused)
    number = id_number()
    issue(holder_id_number=number)
    identity = VerifiedIdentity.from_actor(verified_actor(number))
    across = exemptions_across_catalogue(identity)
    assert set(across) == {situation.pk, second.pk}
    for situation_id, exemptions in across.items():
        assert exemptions == exempt_materials(identity, situation_id)
    with pytest.raises(TypeError):
        exemptions_across_catalogue(number)


def test_card_data_from_a_window_read_is_accepted_and_nothing_else(issue, situation):
    number = id_number()
    issue(holder_id_number=number)
    card = SimulatedCardReader([CardData(id_number=number)]).read()
    assert [e.material.name for e in exempt_materials(VerifiedIdentity.from_card(card), situation)] == ["营业执照"]
    with pytest.raises(TypeError):
        VerifiedIdentity.from_card(number)
    with pytest.raises(IdentityNotVerified):
        VerifiedIdentity.from_card(CardData(id_number="123"))
