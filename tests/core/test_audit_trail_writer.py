"""The audit writer: same transaction as the change, no raw personal data, one chain per object."""

import pytest
from django.db import transaction

from tests.factories import make_org, make_user
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditChainHead, AuditEvent
from yiwang.core.audit.trail import AuditError, chain_count, chain_for, record_event, verify
from yiwang.core.masking import mask_id_number, mask_phone
from yiwang.core.models import OrgUnit


@pytest.mark.django_db
def test_a_rolled_back_action_leaves_neither_its_change_nor_its_audit_row():
    org = make_org(name="Before")
    with pytest.raises(RuntimeError), transaction.atomic():
        OrgUnit.objects.filter(pk=org.pk).update(name="After")
        record_event(Actor.system(), "core.orgunit.rename", org, after={"name": "After"})
        raise RuntimeError("the action failed after writing")
    assert OrgUnit.objects.get(pk=org.pk).name == "Before"
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.filter(seq__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_record_event_outside_a_transaction_is_refused():
    org = make_org()
    with pytest.raises(AuditError, match="inside the action's transaction"):
        record_event(Actor.system(), "core.orgunit.touch", org)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "summary",
    [
        {"id_number": "11010519491231002X"},
        {"note": "caller 13812345678 says"},
        {"list": ["ok", {"deep": "310101199001011234"}]},
        {"13912345678": "as a key"},
    ],
)
def test_raw_id_numbers_and_phones_are_refused_in_a_summary(summary):
    with pytest.raises(AuditError, match="unmasked personal data"), transaction.atomic():
        record_event(Actor.system(), "test.leak", ("test.thing", "1"), after=summary)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_masked_values_are_accepted_in_a_summary():
    with transaction.atomic():
        event = record_event(
            Actor.system(),
            "test.masked",
            ("test.thing", "1"),
            after={"phone": mask_phone("13812345678"), "id": mask_id_number("11010519491231002X")},
        )
    assert event.summary == {"after": {"phone": "138****5678", "id": "110***********002X"}}


@pytest.mark.django_db
def test_writers_of_different_objects_use_different_chains_and_each_chain_counts_from_one():
    objects = [("test.thing", str(n)) for n in range(40)]
    chains = {chain_for(*o) for o in objects}
    assert len(chains) > chain_count() // 2  # spread, not one hot chain
    for o in objects:
        with transaction.atomic():  # one transaction per object: a transaction appends on one chain
            record_event(Actor.system(), "test.touch", o)
            record_event(Actor.system(), "test.touch", o)
    for chain in chains:
        seqs = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    for o in objects:
        assert set(AuditEvent.objects.filter(object_type=o[0], object_id=o[1]).values_list("chain", flat=True)) == {
            chain_for(*o)
        }
    assert verify().ok


@pytest.mark.django_db
def test_the_actor_and_channel_are_recorded():
    user = make_user(username="clerk1")
    with transaction.atomic():
        event = record_event(Actor(user=user, channel="web", client_ip="10.0.0.9"), "test.touch", user)
    assert (event.actor_id, event.actor_label, event.channel, event.client_ip) == (user.pk, "clerk1", "web", "10.0.0.9")
    assert (event.object_type, event.object_id) == ("core.user", str(user.pk))


@pytest.mark.django_db
def test_every_row_of_one_transaction_goes_on_the_chain_of_its_first_row():
    objects = [("test.thing", str(n)) for n in range(40)]
    assert len({chain_for(*o) for o in objects}) > 1
    with transaction.atomic():
        for o in objects:
            record_event(Actor.system(), "test.touch", o)
    chains = set(AuditEvent.objects.filter(action="test.touch").values_list("chain", flat=True))
    assert chains == {chain_for(*objects[0])}
    with transaction.atomic():  # the next transaction starts from its own first object again
        record_event(Actor.system(), "test.again", objects[1])
    assert AuditEvent.objects.get(action="test.again").chain == chain_for(*objects[1])
    assert verify().ok
