"""issue_licence and revoke_licence: validation, permissions, masked audit rows."""

from datetime import date, timedelta

import pytest

from tests.factories import make_department, make_user
from yiwang.core.actions import ActionError, Conflict, PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.masking import contains_raw_personal_data
from yiwang.core.roles import Role
from yiwang.services.licences.actions import issue_licence, revoke_licence
from yiwang.services.licences.crypto import holder_hash

from .conftest import id_number

pytestmark = pytest.mark.django_db


def test_issue_stores_hash_and_masks_and_audits_masked_values(issue):
    number = id_number()
    licence, token = issue(holder_id_number=number.lower(), holder_name="欧阳娜娜")
    assert licence.holder_id_hash == holder_hash(number) and number not in licence.holder_id_hash
    assert licence.holder_id_masked == number[:3] + "*" * 11 + number[-4:]
    assert licence.holder_name_masked == "欧***"
    event = AuditEvent.objects.get(action="licences.licence.issue", object_id=str(licence.pk))
    assert event.summary["after"]["holder"] == licence.holder_id_masked
    assert not contains_raw_personal_data(event.summary)


def test_licence_numbers_that_look_like_personal_data_are_masked_in_the_audit(issue):
    licence, _ = issue(number="13812345678")
    revoke_licence(Actor.system(), licence, reason="holder 11010519491231002X asked")
    events = AuditEvent.objects.filter(object_id=str(licence.pk), object_type="licences.licence")
    assert events.count() == 2
    assert all(not contains_raw_personal_data(e.summary) for e in events)
    assert licence.number == "13812345678"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"holder_id_number": "wrong-check"}, "holder_id_number"),
        ({"holder_name": "  "}, "holder_name"),
        ({"licence_type": "NO_SUCH_TYPE"}, "licence_type"),
        ({"issuer": ("", "")}, "issuer"),
    ],
)
def test_bad_input_is_refused_with_its_field(issue, override, field):
    if override.get("holder_id_number") == "wrong-check":
        valid = id_number(seq=1)
        override = {"holder_id_number": valid[:-1] + ("1" if valid[-1] == "0" else "0")}
    with pytest.raises(ActionError) as raised:
        issue(**override)
    assert raised.value.field == field


def test_licence_cannot_end_before_it_starts_and_numbers_are_unique(issue):
    today = date.today()
    with pytest.raises(ActionError) as raised:
        issue(valid_from=today, valid_until=today - timedelta(days=1))
    assert raised.value.field == "valid_until"
    issue(number="SH-001")
    with pytest.raises(Conflict):
        issue(number="SH-001")


def test_only_approvers_of_the_issuing_department_issue_and_revoke(licence_type, department, issue):
    from tests.factories import assign_role

    kwargs = dict(
        licence_type=licence_type, holder_id_number=id_number(), holder_name="张三",
        valid_from=date.today(), valid_until=date.today() + timedelta(days=30), issuer=department,
    )  # fmt: skip
    outsider = make_user(Role.APPROVER, org=make_department())
    with pytest.raises(PermissionDenied):
        issue_licence(Actor(user=outsider), **kwargs)
    approver = make_user()
    assign_role(approver, Role.APPROVER, org=department)
    licence, _ = issue_licence(Actor(user=approver), **kwargs)
    with pytest.raises(PermissionDenied):
        revoke_licence(Actor(user=outsider), licence, reason="no")
    revoke_licence(Actor(user=approver), licence, reason="issued in error")
    with pytest.raises(Conflict):
        revoke_licence(Actor(user=approver), licence, reason="again")
    with pytest.raises(ActionError):
        revoke_licence(Actor.system(), issue()[0], reason=" ")
