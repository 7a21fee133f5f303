"""Every service act can be rated once through the channel it came from: a window visit (on the pad,
by the QR code on the clerk's screen, or by the SMS link), an online matter (the applicant's page); the
opportunity carries the department, item, window and clerk; a bad rating opens the 5-working-day
rectification."""

import re

import pytest

from tests.factories import login_as, make_user
from tests.reviews.helpers import delivered_application
from tests.services_applications.helpers import as_actor
from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.notify.models import Notification
from yiwang.reviews import actions as reviews
from yiwang.reviews.models import Rating, Rectification

pytestmark = pytest.mark.django_db


def test_a_window_visit_opens_its_rating_with_department_item_window_and_clerk():
    application, opportunity, desk = delivered_application("window")
    assert (opportunity.network, opportunity.channel) == ("services", "on_spot")
    assert opportunity.org_unit_id == application.department_id and opportunity.item_code == application.item.code
    assert (opportunity.window_code, opportunity.clerk_id) == ("W07", desk.pk)


def test_the_clerks_screen_offers_the_pad_the_qr_code_and_sms_and_the_qr_rating_records_its_channel(client):
    application, opportunity, desk = delivered_application("window")
    login_as(client, desk)
    page = client.get(f"/services/window/{application.code}/").content.decode()
    assert f"/reviews/rate/{opportunity.token}/?via=on_spot" in page
    assert f"/reviews/qr/{opportunity.token}.svg" in page and 'value="rating_sms"' in page
    client.logout()
    assert "?via=qr_code" in opportunity.qr_link
    response = client.post(f"/reviews/rate/{opportunity.token}/?via=qr_code", {"level": "5", "via": "qr_code"})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.level, rating.channel) == (5, "qr_code")
    again = client.post(f"/reviews/rate/{opportunity.token}/", {"level": "1", "via": "on_spot"})
    assert Rating.objects.count() == 1 and "already" in again.content.decode()


def test_the_sms_link_goes_out_and_a_bad_rating_through_it_opens_a_rectification(client, settings):
    settings.NOTIFY = {**settings.NOTIFY, "PUBLIC_BASE_URL": "https://yiwang.example.gov.cn"}
    application, opportunity, desk = delivered_application("window")
    login_as(client, desk)
    response = client.post(
        f"/services/window/{application.code}/",
        {"action": "rating_sms", "phone": "139 1234 5678", "version": application.version},
    )
    assert response.status_code == 302
    sms = Notification.objects.get(channel="sms")
    assert sms.address == "13912345678" and sms.recipient is None
    link = re.search(r"https://yiwang\.example\.gov\.cn(\S+)", sms.body).group(1)
    assert link == f"/reviews/rate/{opportunity.token}/?via=sms"
    client.logout()
    form = client.get(link).content.decode()
    assert 'name="via" value="sms"' in form
    client.post(link.split("?")[0], {"level": "2", "via": "sms"})
    rating = Rating.objects.get()
    assert (rating.channel, rating.is_bad) == ("sms", True)
    rectification = Rectification.objects.get(rating=rating)
    assert rectification.org_unit_id == application.department_id and rectification.due_at > rating.rated_at
    with pytest.raises(reviews.AlreadyRated):
        reviews.send_rating_link(as_actor(desk), opportunity, phone="13912345678")


def test_sms_links_need_staff_a_number_and_stop_after_three():
    application, opportunity, desk = delivered_application("window")
    with pytest.raises(PermissionDenied):
        reviews.send_rating_link(as_actor(make_user()), opportunity, phone="13912345678")
    with pytest.raises(ActionError) as no_number:
        reviews.send_rating_link(as_actor(desk), opportunity)
    assert no_number.value.field == "phone"
    with pytest.raises(ActionError):
        reviews.send_rating_link(as_actor(desk), opportunity, phone="12345")
    for _ in range(3):
        reviews.send_rating_link(as_actor(desk), opportunity, phone="13912345678")
    with pytest.raises(ActionError) as too_many:
        reviews.send_rating_link(as_actor(desk), opportunity, phone="13912345678")
    assert too_many.value.code == "too_many"


def test_an_online_matter_is_rated_from_the_applicants_page(client):
    application, opportunity, _desk = delivered_application("online")
    assert (opportunity.channel, opportunity.rater_id) == ("online", application.applicant_id)
    login_as(client, application.applicant)
    page = client.get(f"/services/apply/{application.code}/").content.decode()
    assert f'href="/reviews/rate/{opportunity.token}/"' in page
    client.post(f"/reviews/rate/{opportunity.token}/", {"level": "4"})
    rating = Rating.objects.get()
    assert (rating.channel, rating.rater_id) == ("online", application.applicant_id)
    assert "Rated" in client.get(f"/services/apply/{application.code}/").content.decode()
    # the applicant's own number is used when none is typed
    other, opportunity2, desk = delivered_application("online")
    reviews.send_rating_link(as_actor(desk), opportunity2)
    assert Notification.objects.get(channel="sms").recipient_id == other.applicant_id


def test_the_rating_page_names_the_item_and_window_but_nobody(client):
    application, opportunity, _desk = delivered_application("window")
    page = client.get(f"/reviews/rate/{opportunity.token}/?via=qr_code").content.decode()
    assert application.item.name in page and "W07" in page and application.department.name in page
    assert "王芳" not in page and "11010519850312001X" not in page
