import pytest

from tests.factories import make_user
from yiwang.core.notify.services import notify


@pytest.mark.django_db
def test_admin_list_and_detail_show_masked_addresses_only(client, sent, system):
    phone = notify(system, channel="sms", address="13912345678", subject="s1", body="b", ack=True)
    mail = notify(system, channel="email", address="zhangsan@example.com", subject="s2", body="b")
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/notify/notification/").content.decode()
    assert "13912345678" not in listing and "139****5678" in listing
    assert "zhangsan@example.com" not in listing and "z***@example.com" in listing

    detail = client.get(f"/admin/notify/notification/{phone.pk}/change/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "13912345678" not in text and "139****5678" in text
    assert phone.ack_token not in text  # a bearer credential is never displayed
    assert "zhangsan@example.com" not in client.get(f"/admin/notify/notification/{mail.pk}/change/").content.decode()
