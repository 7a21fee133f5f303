"""Statistics computed from the records on a known data set: materials per application, exempted share of
government-issued materials, on-the-spot share, at-most-one-visit share, promised vs statutory time."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from tests.services_applications.test_materials_and_licences import _hold
from tests.services_licences.conftest import id_number
from yiwang.core.identity.cardreader import CardData
from yiwang.services.applications import actions
from yiwang.services.applications.queries import application_stats
from yiwang.services.catalogue.stats import collect_stats

pytestmark = pytest.mark.django_db


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile("licence.png", buffer.getvalue(), content_type="image/png")


def _decide_and_deliver(desk, decider, application):
    actions.accept(desk, application)
    actions.start_review(decider, application)
    actions.approve(decider, application)
    actions.deliver(desk, application)


@pytest.fixture
def known_records():
    department = make_department()
    with_licence = make_situation(department, promised=5, statutory=20, materials=(), licences=("BIZ",))
    no_material = make_situation(department, promised=1, statutory=10, materials=())
    desk, decider = as_actor(clerk()), as_actor(approver(department))
    # A: online, verified, the licence exempted, zero visits
    person = id_number()
    _hold(person, "BIZ")
    resident = make_user(verified_id_number=person)
    online = actions.create_application(
        as_actor(resident, assurance="id_card"), situation=with_licence, channel="online"
    )
    actions.submit(as_actor(resident, assurance="id_card"), online)
    _decide_and_deliver(desk, decider, online)
    # B: window, typed ID (no exemption, the copy uploaded), a correction brings the resident back: 2 visits
    typed = actions.create_application(
        desk, situation=with_licence, channel="window", applicant_name="王五", applicant_id_number=id_number()
    )
    actions.attach_material(desk, typed, with_licence.materials.get(), _png())
    actions.submit(desk, typed)
    actions.accept(desk, typed)
    actions.request_correction(desk, typed, reason="Stamp missing")
    actions.correct(desk, typed)
    _decide_and_deliver(desk, decider, typed)
    # C: window with the card reader, no material, done on the spot in one visit
    spot = actions.create_application(desk, situation=no_material, channel="window", card=CardData(id_number(), "赵六"))
    actions.submit(desk, spot)
    _decide_and_deliver(desk, decider, spot)
    # D: a draft never counts
    actions.create_application(desk, situation=no_material, channel="window", card=CardData(id_number(), "孙七"))
    return [online, typed, spot]


def test_statistics_from_the_records(known_records):
    stats = application_stats()
    assert stats["applications"] == 3
    assert stats["materials_per_application"] == round(2 / 3, 2)
    assert stats["submitted_per_application"] == round(1 / 3, 2)
    assert (stats["government_materials"], stats["government_materials_exempted_share"]) == (2, 0.5)
    assert stats["delivered"] == 3
    assert stats["on_the_spot_share"] == round(2 / 3, 4)  # B and C at the window the same day; A online
    assert stats["at_most_one_visit_share"] == round(2 / 3, 4)  # B came twice
    assert stats["average_promised_days"] == round((5 + 5 + 1) / 3, 2)
    assert stats["average_statutory_days"] == round((20 + 20 + 10) / 3, 2)
    assert stats["promised_shorter_share"] == round(1 - (11 / 3) / (50 / 3), 4)


def test_the_statistics_are_a_section_of_the_services_stats_command(known_records):
    assert collect_stats(["applications"])["applications"]["applications"] == 3


def test_no_records_give_no_shares():
    stats = application_stats()
    assert stats["applications"] == 0 and stats["on_the_spot_share"] is None
