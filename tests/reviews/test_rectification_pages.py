"""Staff pages: a department sees its own rectifications, logs a contact and closes one."""

import pytest

from tests.factories import login_as, make_user
from tests.reviews.helpers import handler_of, make_dept, open_for, rate_by_token
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.reviews.models import Level, Rectification

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _rectification(dept, **kw):
    rating = rate_by_token(open_for(dept, **kw), Level.DISSATISFIED, "the queue took two hours")
    return Rectification.objects.get(rating=rating)


@pytest.mark.django_db
def test_the_list_shows_only_the_departments_own_rectifications(client):
    mine, theirs = make_dept(), make_dept()
    own, foreign = _rectification(mine), _rectification(theirs)
    login_as(client, handler_of(mine))
    html = client.get("/reviews/rectifications/", **EN).content.decode()
    assert f"/reviews/rectifications/{own.pk}/" in html
    assert f"/reviews/rectifications/{foreign.pk}/" not in html
    assert client.get(f"/reviews/rectifications/{foreign.pk}/").status_code == 403


@pytest.mark.django_db
def test_residents_and_anonymous_visitors_do_not_see_the_staff_pages(client):
    rect = _rectification(make_dept())
    assert client.get("/reviews/rectifications/").status_code == 302  # to the login page
    login_as(client, make_user(Role.RESIDENT))
    assert client.get("/reviews/rectifications/").status_code == 403
    assert client.get(f"/reviews/rectifications/{rect.pk}/").status_code == 403


@pytest.mark.django_db
def test_contact_then_close_through_the_page(client):
    dept = make_dept()
    rect = _rectification(dept)
    login_as(client, handler_of(dept))
    url = f"/reviews/rectifications/{rect.pk}/"
    page = client.get(url, **EN).content.decode()
    assert "the queue took two hours" in page and 'name="step" value="close"' not in page
    response = client.post(
        url, {"step": "contact", "version": rect.version, "method": "phone", "outcome": "reached", "note": "ok"}
    )
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.state == "contacted" and rect.contacts.count() == 1
    missing = client.post(url, {"step": "close", "version": rect.version, "action_taken": "", "resident_response": "x"})
    assert missing.status_code == 400
    client.post(
        url,
        {
            "step": "close",
            "version": rect.version,
            "action_taken": "Opened a second counter at peak hours",
            "resident_response": "Thanked us",
            "resident_satisfied": "yes",
        },
    )
    rect.refresh_from_db()
    assert rect.state == "closed" and rect.resident_satisfied is True
    assert "Opened a second counter" in client.get(url, **EN).content.decode()


@pytest.mark.django_db
def test_revealing_the_residents_phone_is_audited(client):
    dept = make_dept()
    resident = make_user(Role.RESIDENT, phone="13812345678")
    rect = _rectification(dept, rater=resident)
    login_as(client, handler_of(dept))
    url = f"/reviews/rectifications/{rect.pk}/"
    assert "13812345678" not in client.get(url).content.decode()
    assert "13812345678" in client.post(url, {"step": "reveal"}).content.decode()
    event = AuditEvent.objects.get(action="reviews.rectification.reveal_contact", object_id=str(rect.pk))
    assert "13812345678" not in str(event.summary)
