import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.open311.conftest import IN_G2A, body, error_descriptions, get, report, xml
from tests.operations.conftest import actor, advance
from yiwang.operations.models import Case

pytestmark = pytest.mark.django_db


def aged(case, days: float) -> Case:
    """Pretend ``case`` was reported ``days`` ago (test set-up only)."""
    when = timezone.now() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(created_at=when)
    case.refresh_from_db()
    return case


def ids(response) -> list[str]:
    if response["Content-Type"].startswith("text/xml"):
        return [r.findtext("service_request_id") for r in xml(response).findall("request")]
    return [r["service_request_id"] for r in body(response)]


def test_requests_of_the_last_90_days_newest_first_by_default(client, world):
    old = aged(report(world), 120)
    middle = aged(report(world), 30)
    new = report(world)
    response = get(client, "requests.xml")
    assert response.status_code == 200
    assert ids(response) == [new.code, middle.code]
    assert old.code not in ids(get(client, "requests.json"))


def test_service_request_id_takes_a_comma_list_and_overrides_other_filters(client, world):
    old = aged(report(world), 400)
    new = report(world, category=world.unlicensed)
    got = ids(get(client, "requests.json", service_request_id=f"{old.code}, {new.code}", service_code="SAFE-FLOOD"))
    assert got == [new.code, old.code]


def test_service_code_filter_takes_a_comma_list(client, world):
    garbage = report(world)
    shop = report(world, category=world.unlicensed)
    flood = report(world, category=world.flood, at=IN_G2A)
    assert ids(get(client, "requests.json", service_code="MKT-UNLICENSED")) == [shop.code]
    assert ids(get(client, "requests.json", service_code="SAFE-FLOOD,ENV-GARBAGE")) == [flood.code, garbage.code]


def test_status_filter_maps_the_lifecycle_to_open_and_closed(client, world):
    from yiwang.operations.actions import reject

    open_case = advance(world, report(world), "handling")
    closed_case = advance(world, report(world), "closed")
    rejected = reject(actor(world.dispatcher), report(world), reason="Private land: the owner must clear it")
    assert ids(get(client, "requests.json", status="open")) == [open_case.code]
    assert ids(get(client, "requests.json", status="closed")) == [rejected.code, closed_case.code]
    assert len(ids(get(client, "requests.json", status="open,closed"))) == 3
    [item] = body(get(client, f"requests/{rejected.code}.json"))
    assert item["status"] == "closed"
    assert item["status_notes"] == "Private land: the owner must clear it"


def test_start_and_end_date_take_iso_8601_with_a_zone(client, world):
    a = aged(report(world), 10)
    b = aged(report(world), 5)
    c = report(world)
    start = (timezone.now() - timedelta(days=7)).astimezone(timezone.get_default_timezone())
    end = (timezone.now() - timedelta(days=1)).astimezone(timezone.get_default_timezone())
    got = ids(get(client, "requests.json", start_date=start.isoformat(), end_date=end.isoformat()))
    assert got == [b.code]
    # the same instants in UTC with Z, and with an unencoded "+" that arrived as a space
    utc = start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(get(client, "requests.json", start_date=utc)) == [c.code, b.code]
    spaced = start.isoformat().replace("+", " ")
    assert ids(get(client, "requests.json", start_date=spaced)) == [c.code, b.code]
    assert a.code in ids(get(client, "requests.json", end_date=end.isoformat()))


def test_date_problems_are_400(client, world):
    response = get(client, "requests.xml", start_date="last tuesday")
    assert response.status_code == 400
    assert error_descriptions(response) == [
        "start_date “last tuesday” is not a date and time in ISO 8601 (e.g. 2026-11-28T09:30:00+08:00)."
    ]
    response = get(client, "requests.json", start_date="2026-01-01T00:00:00+08:00", end_date="2026-06-01T00:00:00Z")
    assert error_descriptions(response) == ["start_date and end_date may be at most 90 days apart."]
    response = get(client, "requests.json", start_date="2026-02-01T00:00:00Z", end_date="2026-01-01T00:00:00Z")
    assert error_descriptions(response) == ["start_date is later than end_date."]
    response = get(client, "requests.json", status="pending")
    assert error_descriptions(response) == ["status “pending” is unknown: use open or closed."]
    response = get(client, "requests.json", page="0")
    assert error_descriptions(response) == ["page must be a whole number of at least 1."]


def test_page_and_page_size_walk_the_list(client, world):
    cases = [report(world) for _ in range(5)]
    newest_first = [c.code for c in reversed(cases)]
    pages = [ids(get(client, "requests.json", page=str(n), page_size="2")) for n in (1, 2, 3, 4)]
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:], []]


def test_one_request_by_id_and_404_for_an_unknown_one(client, world):
    case = report(world)
    assert ids(get(client, f"requests/{case.code}.xml")) == [case.code]
    assert ids(get(client, f"requests/{case.code.lower()}.json")) == [case.code]
    response = get(client, "requests/YW-19990101-000001.xml")
    assert response.status_code == 404
    assert error_descriptions(response) == ["service_request_id “YW-19990101-000001” was not found."]
