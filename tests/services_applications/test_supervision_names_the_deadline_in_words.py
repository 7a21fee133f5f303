"""A supervision notification names the deadline in the reader's words, never by its internal code."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import trans_real

from tests.factories import make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from yiwang.core.notify.models import Notification
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.services.applications import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def zh_label():
    """The Chinese word for the promised deadline in the catalogue (the lead adds it in the translation pass)."""
    catalog = trans_real.translation("zh-hans")._catalog
    key = "kind of application deadline\x04promised"
    catalog[key] = "承诺"
    yield
    for part in catalog._catalogs:
        part.pop(key, None)


def test_the_overdue_notice_names_the_promised_deadline_in_the_readers_language(zh_label):
    department = make_department()
    specialist = approver(department)
    resident = make_user()
    application = actions.create_application(
        as_actor(resident),
        situation=make_situation(department, promised=2, statutory=10, materials=()),
        channel="online",
    )
    actions.submit(as_actor(resident), application)
    actions.accept(as_actor(clerk()), application)
    with translation.override("zh-hans"):
        sweep_clocks(timezone.now() + timedelta(days=6))
    subjects = list(Notification.objects.filter(recipient=specialist).values_list("subject", flat=True))
    overdue = [s for s in subjects if "超期" in s]
    assert overdue and all("承诺" in s and "promised" not in s for s in overdue)
