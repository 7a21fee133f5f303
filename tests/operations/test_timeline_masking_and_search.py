"""The case page's reads: the merged timeline, masked reporter contact, category type-ahead, answers."""

import pytest

from tests.operations.conftest import actor, advance, report
from yiwang.core.actions import ActionError
from yiwang.operations import actions as ops
from yiwang.operations.queries import allowed_actions_for, reporter_contact, search_categories, timeline

pytestmark = pytest.mark.django_db


def test_timeline_merges_every_history_in_order(world):
    case = advance(world, report(world), "handling")
    ops.add_note(actor(world.handler), case, text="On my way")
    ops.supervise(actor(world.leader), case, note="Please hurry")
    entries = timeline(case)
    kinds = [e.kind for e in entries]
    assert {"status", "assignment", "place", "note", "supervision", "audit"} <= set(kinds)
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    statuses = [e.summary["to"] for e in entries if e.kind == "status"]
    assert statuses == ["reported", "accepted", "registered", "dispatched", "handling"]
    public = timeline(case, include_internal=False, include_audit=False)
    assert "supervision" not in {e.kind for e in public} and "audit" not in {e.kind for e in public}


def test_reporter_contact_is_full_for_the_hotline_and_the_case_handlers_masked_for_others(world):
    case = report(world)
    assert reporter_contact(case, world.hotline)["phone"] == "13912345678"
    assert reporter_contact(case, world.dispatcher)["phone"] == "13912345678"
    masked = reporter_contact(case, world.dispatcher_s2)
    assert masked == {"name": "李*", "phone": "139****5678", "masked": True, "anonymous": False}
    assert reporter_contact(case, world.admin)["masked"] is True
    anonymous = report(world, reporter={"anonymous": True, "phone": "13900000000"})
    assert reporter_contact(anonymous, world.hotline)["phone"] == ""


def test_categories_are_found_by_chinese_pinyin_initials_and_english(world):
    assert search_categories("垃圾") == [world.garbage]
    assert search_categories("bllj") == [world.garbage]  # 暴露垃圾
    assert search_categories("rubbish") == [world.garbage]
    assert search_categories("Exposed") == [world.garbage]
    assert search_categories("wzjy") == [world.unlicensed]  # 无证经营
    assert set(search_categories("scjx")) == set()
    assert search_categories("市容") == [world.garbage]  # by the parent's name, leaves only


def test_answers_are_checked_against_the_category_questions(world):
    case = report(world, answers={"volume": "large"})
    assert case.answers == {"volume": "large"}
    with pytest.raises(ActionError) as err:
        report(world, answers={"volume": "enormous"})
    assert err.value.field == "answers.volume"
    with pytest.raises(ActionError) as err:
        report(world, answers={"colour": "green"})
    assert err.value.field == "answers.colour"
    world.garbage.questions = [{"code": "count", "datatype": "number", "required": True}]
    world.garbage.save()
    with pytest.raises(ActionError) as err:
        report(world)
    assert err.value.field == "answers.count"
    assert report(world, answers={"count": "3"}).answers == {"count": 3}


def test_reporting_checks_the_channel_against_the_person(world):
    from yiwang.core.actions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report(world, world.resident, channel="hotline")
    with pytest.raises(PermissionDenied):
        report(world, world.resident, channel="iot", reporter=None)
    assert report(world, world.grid_worker, channel="grid_patrol", reporter=None, discovery="active").reporter is None


def test_the_case_page_buttons_follow_role_and_scope(world):
    case = advance(world, report(world), "registered")
    assert set(allowed_actions_for(actor(world.dispatcher), case)) == {
        "dispatch",
        "suspend",
        "supervise",
        "split",
        "merge",
    }
    assert allowed_actions_for(actor(world.dispatcher_s2), case) == []
    assert allowed_actions_for(actor(world.leader), case) == ["supervise"]
