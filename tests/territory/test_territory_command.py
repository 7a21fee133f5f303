"""`yiwang territory import|export|locate` from the console."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.territory.builders import find, small_territory
from yiwang.territory.models import Unit

pytestmark = pytest.mark.django_db


def write(tmp_path, data, name="units.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_import_then_export_round_trips_without_changes(tmp_path, capsys):
    call_command("territory", "import", write(tmp_path, small_territory()))
    assert json.loads(capsys.readouterr().out)["created"] == 13
    call_command("territory", "export")
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["features"]) == 13
    assert find(exported, "S2")["properties"]["parent"] == "D1"
    call_command("territory", "import", write(tmp_path, exported, "again.geojson"))
    summary = json.loads(capsys.readouterr().out)
    assert (summary["created"], summary["changed"], summary["unchanged"]) == (0, 0, 13)
    assert Unit.objects.count() == 13


def test_export_of_one_level(tmp_path, capsys):
    call_command("territory", "import", write(tmp_path, small_territory()))
    capsys.readouterr()
    call_command("territory", "export", "--level", "3")
    codes = [f["properties"]["code"] for f in json.loads(capsys.readouterr().out)["features"]]
    assert codes == ["G1a", "G1b", "G2a", "G2b", "G3a", "G3b"]


def test_dry_run_writes_nothing(tmp_path, capsys):
    call_command("territory", "import", write(tmp_path, small_territory()), "--dry-run")
    assert json.loads(capsys.readouterr().out)["dry_run"] is True
    assert not Unit.objects.exists()


def test_refused_import_prints_every_problem_and_fails(tmp_path, capsys):
    data = small_territory()
    find(data, "G1a")["properties"]["parent"] = "NOPE"
    find(data, "M1")["properties"]["kind"] = "volcano"
    with pytest.raises(CommandError):
        call_command("territory", "import", write(tmp_path, data))
    err = capsys.readouterr().err
    assert "G1a: unknown parent NOPE" in err
    assert "M1: unknown kind volcano" in err
    assert not Unit.objects.exists()


def test_locate_prints_the_chain_as_json(tmp_path, capsys):
    call_command("territory", "import", write(tmp_path, small_territory()))
    capsys.readouterr()
    call_command("territory", "locate", "121.43", "31.23")
    answer = json.loads(capsys.readouterr().out)
    assert answer["codes"] == {"district": "D1", "subdistrict": "S2", "grid": "G2b", "level4": []}
    call_command("territory", "locate", "0", "0")
    assert json.loads(capsys.readouterr().out) == {"outside": True, "lon": 0.0, "lat": 0.0}


def test_unreadable_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("territory", "import", str(bad))
