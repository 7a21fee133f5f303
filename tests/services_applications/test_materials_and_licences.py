"""Materials: the licence library exempts what a verified applicant holds (免交, with the licence named);
a typed ID number exempts nothing; uploads are stored; approval issues the item's licence."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from tests.services_licences.conftest import id_number
from yiwang.core.actor import Actor
from yiwang.core.identity.cardreader import CardData
from yiwang.services.applications import actions
from yiwang.services.applications.models import ItemLicence, MaterialState
from yiwang.services.catalogue.models import LicenceType
from yiwang.services.licences.actions import issue_licence
from yiwang.services.licences.models import Licence

pytestmark = pytest.mark.django_db


def _hold(number_of_person, type_code="BIZ_LICENCE"):
    today = date.today()
    licence, _token = issue_licence(
        Actor.system(),
        licence_type=type_code,
        holder_id_number=number_of_person,
        holder_name="张三",
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=300),
        issuer=make_department(name="Market Regulation", code="SCJG"),
    )
    return licence


def _states(application):
    return {row.material.name: row for row in application.materials.select_related("material")}


def test_a_verified_applicant_need_not_submit_a_licence_the_library_holds():
    situation = make_situation(materials=(), licences=("BIZ_LICENCE",))
    person = id_number()
    licence = _hold(person)
    resident = make_user(verified_id_number=person)
    actor = as_actor(resident, assurance="id_card")
    application = actions.create_application(actor, situation=situation, channel="online")
    row = _states(application)["Copy of BIZ_LICENCE"]
    assert row.state == MaterialState.EXEMPTED and row.licence_number == licence.number
    assert licence.number in row.exemption_reason and "Licence BIZ_LICENCE" in row.exemption_reason
    actions.submit(actor, application)  # nothing left to provide


def test_a_typed_id_number_at_the_window_exempts_nothing_but_the_card_reader_does():
    situation = make_situation(materials=(), licences=("BIZ_LICENCE",))
    person = id_number()
    _hold(person)
    desk = as_actor(clerk())
    typed = actions.create_application(
        desk, situation=situation, channel="window", applicant_name="张三", applicant_id_number=person
    )
    read = actions.create_application(desk, situation=situation, channel="window", card=CardData(person, "张三"))
    assert _states(typed)["Copy of BIZ_LICENCE"].state == MaterialState.MISSING
    assert _states(read)["Copy of BIZ_LICENCE"].state == MaterialState.EXEMPTED


def test_a_password_login_exempts_nothing():
    situation = make_situation(materials=(), licences=("BIZ_LICENCE",))
    person = id_number()
    _hold(person)
    resident = make_user(verified_id_number=person)
    application = actions.create_application(as_actor(resident), situation=situation, channel="online")
    assert _states(application)["Copy of BIZ_LICENCE"].state == MaterialState.MISSING


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile("form.png", buffer.getvalue(), content_type="image/png")


def test_an_uploaded_material_is_stored_and_counts_as_provided():
    resident = make_user()
    situation = make_situation(materials=("Application form",))
    application = actions.create_application(as_actor(resident), situation=situation, channel="online")
    material = situation.materials.get()
    row = actions.attach_material(as_actor(resident), application, material, _png())
    assert row.state == MaterialState.UPLOADED and row.file.purpose == "services.application"
    actions.submit(as_actor(resident), application)
    with pytest.raises(Exception) as late:
        actions.attach_material(as_actor(resident), application, material, _png())
    assert "correction" in str(late.value)


def test_approval_issues_the_licence_the_item_issues_to_the_applicant():
    department = make_department(code="WSJ", name="Health Bureau")
    situation = make_situation(department, materials=())
    ItemLicence.objects.create(
        item=situation.item, licence_type=LicenceType.objects.create(code="FOOD", name="Food licence")
    )
    person = id_number()
    desk = as_actor(clerk())
    application = actions.create_application(desk, situation=situation, channel="window", card=CardData(person, "李四"))
    actions.submit(desk, application)
    actions.accept(desk, application)
    decider = as_actor(approver(department))
    actions.start_review(decider, application)
    actions.approve(decider, application)
    licence = Licence.objects.get(about_id=str(application.pk))
    assert licence.licence_type_id == "FOOD" and licence.issuer_code == "WSJ"
