import pytest

from tests.factories import make_user
from tests.notify import recording
from yiwang.core.actor import Actor


@pytest.fixture
def sent(settings):
    """Route every channel through the recording adapter; yields the list of sent messages."""
    settings.NOTIFY = {
        **settings.NOTIFY,
        "ADAPTERS": {
            "sms": "tests.notify.recording.RecordingAdapter",
            "email": "tests.notify.recording.RecordingAdapter",
            "inapp": "yiwang.core.notify.adapters.InAppAdapter",
        },
        "PUBLIC_BASE_URL": "https://yiwang.example.gov.cn",
    }
    recording.SENT.clear()
    recording.FAIL["on"] = False
    yield recording.SENT
    recording.SENT.clear()
    recording.FAIL["on"] = False


@pytest.fixture
def gateway_down():
    recording.FAIL["on"] = True
    yield recording.FAIL


@pytest.fixture
def system():
    return Actor.system()


@pytest.fixture
def resident(db):
    return make_user("resident", phone="13812345678", email="li@example.com", display_name="李四")
