import pytest

from yiwang.core.actions import ActionError
from yiwang.core.notify.models import Notification
from yiwang.core.notify.services import notify


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"channel": "pigeon", "address": "13900001111"}, "channel"),
        ({"channel": "sms"}, "address"),
        ({"channel": "inapp", "address": "13900001111"}, "recipient"),
        ({"channel": "email", "address": "not-an-email"}, "address"),
        ({"channel": "sms", "address": "call me maybe"}, "address"),
    ],
)
def test_message_without_a_valid_destination_is_refused(sent, system, kwargs, field):
    with pytest.raises(ActionError) as err:
        notify(system, subject="s", body="b", **kwargs)
    assert err.value.field == field
    assert not Notification.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["sms", "email"])
def test_recipient_without_contact_details_needs_an_address(sent, system, channel):
    from tests.factories import make_user

    nobody = make_user(phone="", email="")
    with pytest.raises(ActionError) as err:
        notify(system, channel=channel, recipient=nobody, subject="s", body="b")
    assert err.value.field == "address"
    assert notify(system, channel="inapp", recipient=nobody, subject="s", body="b").pk
