"""The back office: catalogue managers see items with situations inline; others are kept out; edits audited."""

import pytest

from tests.factories import make_user
from yiwang.core.audit.models import AuditEvent
from yiwang.services.catalogue.models import Item, Situation

pytestmark = pytest.mark.django_db


def test_admin_pages_for_a_catalogue_manager(client, small_catalogue):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    item = Item.objects.get(code="310106-000201-01-001")
    html = client.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert "Rented premises" in html and "A chain store?" in html  # situations and questions inline
    sit = Situation.objects.get(code="rented")
    html = client.get(f"/admin/catalogue/situation/{sit.pk}/change/").content.decode()
    assert "Lease registration" in html  # materials inline
    for page in ("item", "situation", "question", "licencetype"):
        assert client.get(f"/admin/catalogue/{page}/").status_code == 200


def test_admin_edit_is_audited(client, small_catalogue):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    sit = Situation.objects.get(code="chain")
    data = {f: getattr(sit, f) for f in ("code", "name", "name_en", "statutory_days", "position", "fee_fen",
                                         "max_visits")}  # fmt: skip
    data.update(item=sit.item_id, promised_days=2, online="on", kiosk="on", on_the_spot="on",
                **{"materials-TOTAL_FORMS": 0, "materials-INITIAL_FORMS": 0})  # fmt: skip
    response = client.post(f"/admin/catalogue/situation/{sit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Situation.objects.get(pk=sit.pk).promised_days == 2
    row = AuditEvent.objects.filter(action="catalogue.situation.update").latest("id")
    assert row.summary["after"] == {"fields": ["promised_days"]}


def test_staff_without_the_catalogue_role_are_kept_out(client, small_catalogue):
    client.force_login(make_user(is_staff=True))
    assert client.get("/admin/catalogue/item/").status_code == 403
