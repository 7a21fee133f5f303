"""The back office: masked personal data, audited full reads, audited writes, a read-only audit trail."""

import pytest
from django.test import override_settings

from tests.factories import make_department, make_user
from yiwang.core import scope
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import record_event
from yiwang.core.models import OrgUnit, User
from yiwang.core.roles import Role

PHONE, ID_NUMBER = "13812345678", "11010519491231002X"


@pytest.fixture
def admin_client(client, db):
    admin = make_user(Role.SYSTEM_ADMIN, username="sysadmin", is_staff=True)
    client.force_login(admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def resident(db):
    return make_user(Role.RESIDENT, username="res1", phone=PHONE, verified_id_number=ID_NUMBER)


def test_user_list_masks_phone_and_id_number(admin_client, resident):
    page = admin_client.get("/admin/core/user/").content.decode()
    assert "res1" in page
    assert "138****5678" in page and "110***********002X" in page
    assert PHONE not in page and ID_NUMBER not in page


def test_an_administrator_sees_a_user_masked_and_no_read_is_audited(admin_client, resident):
    page = admin_client.get(f"/admin/core/user/{resident.pk}/change/").content.decode()
    assert PHONE not in page and ID_NUMBER not in page and "138****5678" in page
    assert not AuditEvent.objects.filter(action="core.user.read_personal_data").exists()


@override_settings(PRIVACY={"ADMINS_SEE_PERSONAL_DATA": True})
def test_a_full_read_of_personal_data_by_staff_is_audited(admin_client, resident):
    page = admin_client.get(f"/admin/core/user/{resident.pk}/change/").content.decode()
    assert PHONE in page and ID_NUMBER in page
    event = AuditEvent.objects.get(action="core.user.read_personal_data")
    assert event.object_id == str(resident.pk) and event.actor_label == "sysadmin" and event.channel == "admin"
    assert 'name="verified_id_number"' not in page  # shown, never typed in


def test_an_org_unit_saved_in_the_back_office_is_audited_by_field_name(admin_client):
    response = admin_client.post(
        "/admin/core/orgunit/add/",
        {"code": "D-HOUSING", "name": "Housing bureau", "kind": "department", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = OrgUnit.objects.get(code="D-HOUSING")
    event = AuditEvent.objects.get(action="core.orgunit.create")
    assert event.object_id == str(unit.pk) and "name" in event.summary["after"]["fields"]


def test_a_role_assignment_added_in_the_back_office_is_audited(admin_client, resident):
    dept = make_department("Market")
    response = admin_client.post(
        "/admin/core/roleassignment/add/",
        {"user": resident.pk, "role": Role.DEPARTMENT_HANDLER, "org_unit": dept.pk, "active": "on"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="core.roleassignment.create").count() == 1
    assert scope.has_role(User.objects.get(pk=resident.pk), Role.DEPARTMENT_HANDLER)


def test_people_pages_are_closed_to_staff_without_the_administrator_role(client, resident):
    clerk = make_user(Role.WINDOW_CLERK, is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/core/user/").status_code == 403
    assert client.get(f"/admin/core/user/{resident.pk}/change/").status_code == 403


def test_users_org_units_and_assignments_cannot_be_deleted(admin_client, resident):
    assert admin_client.get(f"/admin/core/user/{resident.pk}/delete/").status_code == 403
    assert "delete_selected" not in admin_client.get("/admin/core/user/").content.decode()


@pytest.fixture
def audit_row(db):
    from django.db import transaction

    from yiwang.core.actor import Actor

    with transaction.atomic():
        return record_event(Actor.system(), "test.touch", ("test.thing", "1"), after={"n": 1})


@pytest.mark.parametrize("who", ["superuser", "system_admin", "operations_centre"])
def test_the_audit_trail_is_read_only_for_everyone(client, audit_row, who):
    if who == "superuser":
        user = User.objects.create_superuser("root", password="pw-yiwang-test")
    else:
        user = make_user(who, is_staff=True)
    client.force_login(user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{audit_row.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{audit_row.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{audit_row.pk}/change/", {"action": "forged"})
    assert response.status_code == 403
    audit_row.refresh_from_db()
    assert audit_row.action == "test.touch"


def test_the_audit_trail_is_hidden_from_staff_who_may_not_view_it(client, audit_row):
    client.force_login(make_user(Role.WINDOW_CLERK, is_staff=True))
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_a_user_changed_in_the_back_office_is_audited_without_values(admin_client, resident):
    response = admin_client.post(
        f"/admin/core/user/{resident.pk}/change/",
        {
            "username": "res1",
            "display_name": "王五",
            "email": "",
            "preferred_language": "zh-hans",
            "oidc_subject": "",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resident.refresh_from_db()
    assert resident.display_name == "王五"
    assert resident.phone == PHONE and resident.verified_id_number == ID_NUMBER  # masked fields untouched
    event = AuditEvent.objects.get(action="core.user.update")
    assert event.summary["after"]["fields"] == ["display_name", "preferred_language"]
    assert "王五" not in str(event.summary)


def test_a_password_set_in_the_back_office_is_audited(admin_client, resident):
    url = f"/admin/core/user/{resident.pk}/password/"
    response = admin_client.post(
        url, {"password1": "Another-pass-2026", "password2": "Another-pass-2026", "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resident.refresh_from_db()
    assert resident.check_password("Another-pass-2026")
    event = AuditEvent.objects.get(action="core.user.set_password")
    assert event.object_id == str(resident.pk) and "Another" not in str(event.summary)
