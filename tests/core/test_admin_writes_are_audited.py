"""Every write through the back office is an action: the change and its one audit row commit together,
or neither does. Audit rows name the model, the object and the changed fields, never their values."""

import copy

import pytest
from django.db import DatabaseError

from tests.core.admin_form_data import form_data
from tests.factories import make_department, make_user
from tests.services_catalogue.conftest import SMALL
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import AuditError
from yiwang.operations.models import Category, Pillar, RoutingRule
from yiwang.services.catalogue.models import Material, Situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def category(db):
    return Category.objects.create(code="T-ADMIN", name="测试类别", pillar=Pillar.MARKET, handle_within_days=5)


@pytest.fixture
def situation(db):
    from yiwang.core.actor import Actor, Channel
    from yiwang.services.catalogue.importing import import_catalogue

    for code in ("D-GA", "D-SC"):
        make_department(code=code, name=f"部门{code}")
    import_catalogue(Actor.system(Channel.CLI), copy.deepcopy(SMALL))
    return Situation.objects.get(code="own")  # two materials: the application form and the business licence


def rows(model_label: str, pk=None):
    found = AuditEvent.objects.filter(object_type=model_label)
    return found.filter(object_id=str(pk)) if pk is not None else found


def test_changing_a_category_writes_one_audit_row(root, category):
    url = f"/admin/operations/category/{category.pk}/change/"
    data = form_data(root.get(url))
    data["handle_within_days"] = 9
    response = root.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    assert category.handle_within_days == 9
    (row,) = rows("operations.category", category.pk)
    assert row.action == "operations.category.update"
    assert row.summary["after"] == {"fields": ["handle_within_days"]}
    assert row.channel == "admin"


def test_deleting_a_routing_rule_writes_one_audit_row(root):
    rule = RoutingRule.objects.create(name="Night shift", position=3)
    response = root.post(f"/admin/operations/routingrule/{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    (row,) = rows("operations.routingrule", rule.pk)
    assert row.action == "operations.routingrule.delete"
    assert row.summary["after"]["deleted"] == {"operations.RoutingRule": 1}


def test_the_bulk_delete_action_writes_a_row_per_object(root):
    kept = RoutingRule.objects.create(name="Kept", position=1)
    gone = [RoutingRule.objects.create(name=f"Gone {i}", position=2 + i) for i in range(2)]
    response = root.post(
        "/admin/operations/routingrule/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in gone], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(RoutingRule.objects.values_list("pk", flat=True)) == [kept.pk]
    deleted = rows("operations.routingrule").filter(action="operations.routingrule.delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in gone)


def test_the_lists_editable_columns_are_audited(root):
    rule = RoutingRule.objects.create(name="Day shift", position=4, active=True)
    response = root.post(
        "/admin/operations/routingrule/",
        {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": rule.pk, "form-0-position": 7, "_save": "Save"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert (rule.position, rule.active) == (7, False)
    (row,) = rows("operations.routingrule", rule.pk)
    assert row.summary["after"] == {"fields": ["active", "position"]}


def test_an_inline_edit_writes_its_rows(root, situation):
    url = f"/admin/catalogue/situation/{situation.pk}/change/"
    data = form_data(root.get(url))
    first, second = situation.materials.order_by("position", "id")
    assert (data["materials-0-id"], data["materials-1-id"]) == (first.pk, second.pk)
    data["materials-0-name_en"] = "Application form (signed)"
    data["materials-1-DELETE"] = "on"
    data.update({"materials-TOTAL_FORMS": 3, "materials-2-position": 3, "materials-2-name": "场地照片",
                 "materials-2-name_en": "Photos of the premises", "materials-2-source": "applicant",
                 "materials-2-required": "on"})  # fmt: skip
    response = root.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Material.objects.get(situation=situation, name="场地照片")
    assert not Material.objects.filter(pk=second.pk).exists()
    parent = f"catalogue.situation:{situation.pk}"
    (changed,) = rows("catalogue.material", first.pk)
    assert changed.action == "catalogue.material.update"
    assert changed.summary["after"] == {"fields": ["name_en"], "in": parent}
    (deleted,) = rows("catalogue.material", second.pk)
    assert deleted.action == "catalogue.material.delete"
    assert deleted.summary["after"] == {"deleted": {"catalogue.Material": 1}, "in": parent}
    (created,) = rows("catalogue.material", added.pk)
    assert created.action == "catalogue.material.create"
    assert created.summary["after"]["in"] == parent
    assert "Photos of the premises" not in str(created.summary)  # field names, never values


def test_a_failing_audit_row_leaves_the_change_unsaved(root, category, monkeypatch):
    def refuse(*args, **kwargs):
        raise AuditError("the audit trail refused the row")

    monkeypatch.setattr("yiwang.core.adminkit.record_event", refuse)
    url = f"/admin/operations/category/{category.pk}/change/"
    data = form_data(root.get(url))
    data["handle_within_days"] = 9
    with pytest.raises(AuditError):
        root.post(url, data)
    category.refresh_from_db()
    assert category.handle_within_days == 5
    assert not rows("operations.category").exists()


def test_a_failing_inline_save_leaves_neither_the_change_nor_its_audit_rows(root, situation, monkeypatch):
    url = f"/admin/catalogue/situation/{situation.pk}/change/"
    data = form_data(root.get(url))
    data["promised_days"] = 3  # saved and audited first, then the inline row fails
    data["materials-0-name_en"] = "Application form (signed)"

    def fail(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Material, "save", fail)
    with pytest.raises(DatabaseError):
        root.post(url, data)
    situation.refresh_from_db()
    assert situation.promised_days == 5
    assert not rows("catalogue.situation").exists()
    assert not rows("catalogue.material").exists()


def test_a_bulk_delete_failing_half_way_deletes_nothing(root, monkeypatch):
    from yiwang.core import adminkit

    rules = [RoutingRule.objects.create(name=f"Rule {i}", position=i) for i in range(2)]
    written, original = [], adminkit.record_event

    def second_fails(*args, **kwargs):
        if written:
            raise AuditError("the audit trail refused the row")
        written.append(original(*args, **kwargs))

    monkeypatch.setattr(adminkit, "record_event", second_fails)
    with pytest.raises(AuditError):
        root.post(
            "/admin/operations/routingrule/",
            {"action": "delete_selected", "_selected_action": [r.pk for r in rules], "post": "yes"},
        )
    assert written  # the first delete and its row happened, then were rolled back with the second
    assert RoutingRule.objects.count() == 2
    assert not rows("operations.routingrule").exists()


def test_inline_rows_follow_the_parent_admins_permission(client):
    """An audited inline asks its parent's named check, not Django's per-model permissions nobody is granted."""
    from yiwang.core.roles import Role

    client.force_login(make_user(Role.SYSTEM_ADMIN, is_staff=True))
    page = client.get("/admin/bundles/bundle/add/")
    assert page.status_code == 200
    assert [f.formset.prefix for f in page.context["inline_admin_formsets"]] == ["parts"]
    client.force_login(make_user(Role.WINDOW_CLERK, is_staff=True))
    assert client.get("/admin/bundles/bundle/add/").status_code == 403
