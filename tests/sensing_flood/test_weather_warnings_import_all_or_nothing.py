"""Weather warnings: entered by hand or imported from CSV/JSON; every bad row named, nothing saved half-way;
the warning in force shows on the scene page."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import login_as
from yiwang.core.actions import PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.sensing.flood.actions import WarningsRefused, cancel_warning, enter_warning, import_warnings
from yiwang.sensing.flood.models import WeatherWarning
from yiwang.sensing.flood.queries import active_warnings

pytestmark = pytest.mark.django_db

HEADER = "kind,level,issued_at,valid_from,valid_to,area,text,source,reference\n"
GOOD = (
    HEADER
    + "rainstorm,blue,2026-07-01T08:00+08:00,,2026-07-01T20:00+08:00,全区,暴雨蓝色预警,上海中心气象台,SH-0701-1\n"
    + "暴雨,橙色,2026-07-01 14:00,2026-07-01 14:00,,东部,,上海中心气象台,SH-0701-2\n"
)


def test_a_good_csv_imports_every_row_with_one_audit_row(world):
    result = import_warnings(Actor(user=world.ops), GOOD.encode("utf-8-sig"), "csv")
    assert result.summary() == {"created": 2, "unchanged": 0}
    rows = list(WeatherWarning.objects.order_by("reference"))
    assert [(w.kind, w.level, w.reference) for w in rows] == [
        ("rainstorm", "blue", "SH-0701-1"),
        ("rainstorm", "orange", "SH-0701-2"),
    ]
    assert rows[1].valid_to is None and rows[1].valid_from.hour == 6  # 14:00 Shanghai time = 06:00 UTC
    audit = AuditEvent.objects.filter(action="flood.warning.import").get()
    assert audit.batch_count == 2
    again = import_warnings(Actor(user=world.ops), GOOD, "csv")  # re-importing the same feed changes nothing
    assert again.summary() == {"created": 0, "unchanged": 2}
    assert WeatherWarning.objects.count() == 2


def test_bad_rows_are_all_named_and_nothing_is_saved(world):
    bad = (
        GOOD
        + "hail,purple,yesterday,,,,,上海中心气象台,X1\n"
        + "typhoon,red,2026-07-02T08:00+08:00,2026-07-02T08:00+08:00,2026-07-02T07:00+08:00,,,,\n"
        + "typhoon,red,2026-07-02T08:00+08:00,,,,,上海中心气象台,SH-0701-1\n"
    )
    with pytest.raises(WarningsRefused) as refused:
        import_warnings(Actor(user=world.ops), bad, "csv")
    assert refused.value.problems == [
        "row 3: kind “hail” is not one of rainstorm, typhoon, thunderstorm, gale, high_tide",
        "row 3: level “purple” is not one of blue, yellow, orange, red",
        "row 3: issued_at “yesterday” is not a date and time (2026-07-01T08:00+08:00)",
        "row 4: valid_to must be after valid_from",
        "row 4: source is missing",
        "row 5: reference SH-0701-1 appears twice (also row 1)",
    ]
    assert WeatherWarning.objects.count() == 0
    assert not AuditEvent.objects.filter(action="flood.warning.import").exists()


@pytest.mark.parametrize(
    ("data", "fmt", "problem"),
    [
        ("kind,level\nrainstorm,blue\n", "csv", "The CSV header lacks the column(s): issued_at, source"),
        (HEADER.strip() + ",colour\n", "csv", "Unknown CSV column(s): colour"),
        (HEADER, "csv", "The file holds no warning."),
        ("{not json", "json", "The file is not valid JSON"),
        ('{"alerts": []}', "json", 'JSON must be a list of warnings or {"warnings": [...]}.'),
        ("[]", "xml", "Unknown format xml (csv or json)."),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(world, data, fmt, problem):
    with pytest.raises(WarningsRefused) as refused:
        import_warnings(Actor(user=world.ops), data, fmt)
    assert refused.value.problems[0].startswith(problem)
    assert WeatherWarning.objects.count() == 0


def test_json_imports_the_same_fields(world):
    doc = {"warnings": [{"kind": "typhoon", "level": "yellow", "issued_at": "2026-07-03T08:00:00Z", "source": "CMA"}]}
    import_warnings(Actor(user=world.ops), json.dumps(doc), "json")
    w = WeatherWarning.objects.get()
    assert (w.kind, w.level, w.source, w.valid_from) == ("typhoon", "yellow", "CMA", w.issued_at)


def test_only_the_operations_centre_enters_or_imports(world):
    for user in (world.dispatcher, world.grid_worker, world.leader):
        with pytest.raises(PermissionDenied):
            import_warnings(Actor(user=user), GOOD, "csv")
        with pytest.raises(PermissionDenied):
            enter_warning(Actor(user=user), kind="rainstorm", level="red", issued_at="2026-07-01T08:00Z", source="x")
    assert WeatherWarning.objects.count() == 0


def test_the_warning_in_force_shows_on_the_scene_and_cancelling_removes_it(world, client):
    now = timezone.now()
    old = enter_warning(Actor(user=world.ops), kind="rainstorm", level="blue", source="office",
                        issued_at=(now - timedelta(days=2)).isoformat(),
                        valid_to=(now - timedelta(days=1)).isoformat())  # fmt: skip
    red = enter_warning(Actor(user=world.ops), kind="typhoon", level="red", source="office",
                        issued_at=now.isoformat(), area="全区")  # fmt: skip
    yellow = enter_warning(Actor(user=world.ops), kind="rainstorm", level="yellow", source="office",
                           issued_at=now.isoformat())  # fmt: skip
    assert active_warnings() == [red, yellow]  # the most severe first; the expired one is gone
    assert AuditEvent.objects.filter(action="flood.warning.enter").count() == 3
    login_as(client, world.leader)
    page = client.get("/flood/").content.decode()
    assert 'data-level="red" data-kind="typhoon"' in page and 'data-level="yellow"' in page
    assert 'data-level="blue"' not in page
    cancel_warning(Actor(user=world.ops), red)
    assert active_warnings() == [yellow]
    assert old.pk and AuditEvent.objects.filter(action="flood.warning.cancel").count() == 1


def test_the_staff_page_imports_a_file_or_lists_its_problems(world, client):
    login_as(client, world.ops)
    bad = SimpleUploadedFile("w.csv", (HEADER + "rainstorm,pink,2026-07-01T08:00Z,,,,,office,\n").encode())
    response = client.post("/flood/warnings/import/", {"file": bad})
    assert response.status_code == 400
    assert "row 1: level “pink” is not one of blue, yellow, orange, red" in response.content.decode()
    assert WeatherWarning.objects.count() == 0
    good = SimpleUploadedFile("w.csv", GOOD.encode())
    response = client.post("/flood/warnings/import/", {"file": good})
    assert response.status_code == 302 and WeatherWarning.objects.count() == 2
    form = {"kind": "gale", "level": "yellow", "issued_at": "2026-07-05T10:00", "source": "office"}
    assert client.post("/flood/warnings/", form).status_code == 302
    assert WeatherWarning.objects.filter(kind="gale").exists()
    login_as(client, world.dispatcher)
    assert client.post("/flood/warnings/", form).status_code == 403
