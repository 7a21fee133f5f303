import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command

from tests.factories import login_as, make_user
from tests.open311.conftest import error_descriptions, form, post
from yiwang.core.actions import PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.operations.open311.keys import issue_key, revoke_key
from yiwang.operations.open311.models import ApiKey

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("open311", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_a_new_key_once_and_stores_only_its_hash(client, world):
    out, err = run("key", "Street app", "--contact", "apps@example.org")
    key = out.strip()
    assert key.startswith("yw311_") and len(key) >= 38
    assert "not shown again" in err
    row = ApiKey.objects.get(name="Street app")
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiKey.objects.values().get())
    assert key not in stored
    assert key.startswith(row.prefix)
    assert AuditEvent.objects.filter(action="open311.key.issue", object_id=str(row.pk), channel="cli").exists()
    listing, _ = run("keys")
    assert "Street app" in listing and "active" in listing and key not in listing
    assert post(client, "json", form(key)).status_code == 200


def test_the_command_revokes_a_key_and_the_key_then_gets_403(client, world):
    key = run("key", "Street app")[0].strip()
    out, _ = run("revoke", "Street app")
    assert "revoked" in out
    assert ApiKey.objects.get(name="Street app").revoked_at is not None
    response = post(client, "xml", form(key))
    assert response.status_code == 403
    assert error_descriptions(response) == ["api_key is not valid (unknown or revoked)."]
    assert "revoked" in run("keys")[0]
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", "Street app")
    with pytest.raises(CommandError, match="no Open311 API key"):
        run("revoke", "Nobody")


def test_names_are_unique_and_required(world):
    run("key", "Street app")
    with pytest.raises(CommandError, match="exists already"):
        run("key", "Street app")
    with pytest.raises(CommandError, match="Name the client"):
        run("key", "  ")


def test_only_administrators_and_the_operations_centre_manage_keys(world):
    with pytest.raises(PermissionDenied):
        issue_key(Actor(user=world.dispatcher), name="Sneaky")
    row, _ = issue_key(Actor(user=world.ops), name="Ops app")
    with pytest.raises(PermissionDenied):
        revoke_key(Actor(user=world.handler), row)
    revoke_key(Actor(user=world.admin), row)
    assert ApiKey.objects.get(pk=row.pk).revoked_at is not None


def test_the_admin_issues_a_key_shows_it_once_and_revokes_keys(client, world):
    admin_user = make_user(Role.SYSTEM_ADMIN, username="keyadmin", is_staff=True)
    login_as(client, admin_user)
    response = client.post(
        "/admin/open311/apikey/add/",
        {"name": "Kiosk app", "contact": "kiosk@example.org", "note": "", "reply_with_token": "on"},
        follow=True,
    )
    assert response.status_code == 200
    row = ApiKey.objects.get(name="Kiosk app")
    assert row.reply_with_token
    shown = [str(m) for m in response.context["messages"]]
    [key] = [k for m in shown for k in re.findall(r"yw311_[a-z2-7]{32}", m)]
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    page = client.get(f"/admin/open311/apikey/{row.pk}/change/").content.decode()
    assert key not in page and row.prefix in page
    client.post(
        "/admin/open311/apikey/",
        {"action": "revoke", "_selected_action": [row.pk]},
        follow=True,
    )
    assert ApiKey.objects.get(pk=row.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="open311.key.revoke", object_id=str(row.pk), channel="admin").exists()


def test_staff_without_the_right_role_do_not_see_keys_in_the_admin(client, world):
    clerk = make_user(Role.DISPATCHER, username="staffer", is_staff=True)
    login_as(client, clerk)
    assert client.get("/admin/open311/apikey/").status_code == 403
