import pytest

from tests.factories import make_user
from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.ack import unread_count
from yiwang.core.notify.models import Notification
from yiwang.core.notify.services import notify


@pytest.fixture
def inbox_owner(sent, system, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            notify(system, channel="inapp", recipient=resident, subject=f"Update {i}", body=f"Body {i}")
        notify(system, channel="sms", recipient=resident, subject="an SMS, not in the inbox", body="x")
    return resident


@pytest.mark.django_db
def test_inbox_needs_login(client):
    response = client.get("/notify/inbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_inbox_lists_own_inapp_messages_with_unread_count(client, inbox_owner, system):
    stranger = make_user()
    notify(system, channel="inapp", recipient=stranger, subject="Not yours", body="x")
    client.force_login(inbox_owner)
    response = client.get("/notify/inbox/")
    text = response.content.decode()
    assert response.status_code == 200
    assert all(f"Update {i}" in text for i in range(3))
    assert "Not yours" not in text and "an SMS, not in the inbox" not in text
    assert response.context["unread"] == 3
    assert '<a class="brand"' in text  # extends the site's base template


@pytest.mark.django_db
def test_mark_one_then_all_read(client, inbox_owner):
    client.force_login(inbox_owner)
    first = Notification.objects.filter(recipient=inbox_owner, channel="inapp").order_by("id").first()
    response = client.post("/notify/inbox/", {"id": [str(first.pk)]})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread_count(inbox_owner) == 2
    client.post("/notify/inbox/", {"all": "1"})
    assert unread_count(inbox_owner) == 0
    assert AuditEvent.objects.filter(action="notify.inbox.read").count() == 2


@pytest.mark.django_db
def test_cannot_mark_someone_elses_message_read(client, inbox_owner):
    other = make_user()
    client.force_login(other)
    target = Notification.objects.filter(recipient=inbox_owner, channel="inapp").first()
    client.post("/notify/inbox/", {"id": [str(target.pk)]})
    target.refresh_from_db()
    assert target.read_at is None
