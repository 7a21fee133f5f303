"""The kiosk is the same backend (the card on the reader verifies the applicant); the back office
lists applications with masked names and keeps them read-only; a warning raises a supervision record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import login_as, make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core.identity.cardreader import CardData
from yiwang.core.roles import Role
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.services.applications import actions
from yiwang.services.applications.models import Supervision

pytestmark = pytest.mark.django_db


def test_a_kiosk_application_is_verified_by_the_card_and_counts_one_visit():
    resident = make_user()
    application = actions.create_application(
        as_actor(resident, channel="kiosk"),
        situation=make_situation(materials=(), kiosk=True),
        channel="kiosk",
        card=CardData("110105198503120012", "欧阳娜娜"),
    )
    assert (application.channel, application.identity_verified, application.visits) == ("kiosk", True, 1)
    assert application.applicant_id == resident.pk


def test_the_back_office_masks_the_applicant_and_allows_no_change(client):
    resident = make_user()
    application = actions.create_application(
        as_actor(resident),
        situation=make_situation(materials=()),
        channel="online",
    )
    application.applicant_name = "欧阳娜娜"
    application.save(update_fields=["applicant_name"])
    admin = make_user(Role.SYSTEM_ADMIN, is_staff=True)
    login_as(client, admin)
    listing = client.get("/admin/applications/application/").content.decode()
    assert application.code in listing and "欧阳娜娜" not in listing
    change = client.post(f"/admin/applications/application/{application.pk}/change/", {"status": "delivered"})
    application.refresh_from_db()
    assert application.status == "draft" and change.status_code in (302, 403)


def test_a_warning_of_the_promise_raises_one_supervision_record():
    resident = make_user()
    application = actions.create_application(
        as_actor(resident), situation=make_situation(promised=8, statutory=20, materials=()), channel="online"
    )
    actions.submit(as_actor(resident), application)
    actions.accept(as_actor(clerk()), application)
    sweep_clocks(timezone.now() + timedelta(days=9))  # past 75% of 8 working days, before the due date
    sweep_clocks(timezone.now() + timedelta(days=9))  # a second sweep fires nothing again
    rows = list(Supervision.objects.filter(application=application).values_list("clock_kind", "kind"))
    assert rows == [("promised", "warning")]
