"""The catalogue statistics on a known small catalogue, the derived no-material flag, the command."""

import json

import pytest
from django.core.management import call_command

from yiwang.services.catalogue import stats as stats_registry
from yiwang.services.catalogue.models import Situation
from yiwang.services.catalogue.queries import catalogue_stats, situations_needing_no_material, with_material_counts

pytestmark = pytest.mark.django_db


def test_no_material_is_derived_from_the_materials(small_catalogue):
    chain = Situation.objects.get(code="chain")
    own = Situation.objects.get(code="own")
    assert chain.no_material_needed and not own.no_material_needed
    assert {s.code for s in situations_needing_no_material()} == {"chain", "01"}
    own.materials.all().delete()  # (tests only) the flag follows the data: nothing stored
    assert Situation.objects.get(code="own").no_material_needed
    assert with_material_counts().get(code="own").no_material_needed


def test_stats_of_the_small_catalogue(small_catalogue):
    s = catalogue_stats()
    assert (s["items"], s["situations"], s["materials"]) == (2, 4, 4)
    # the residence certificate needs nothing at all; the food licence's chain store neither
    assert s["no_material"] == {"items": 1, "situations": 2}
    # reductions 15/20, 10/20, 0/10, 5/5 -> mean 0.5625; totals 55 statutory, 25 promised
    assert s["time_limits"] == {"statutory_days": 55, "promised_days": 25, "average_reduction": 0.5625,
                                "total_reduction": round(30 / 55, 4)}  # fmt: skip
    assert s["on_the_spot"] == {"situations": 2, "share": 0.5}
    assert s["at_most_one_visit"] == {"situations": 3, "share": 0.75, "items": 1, "items_share": 0.5}
    issued = s["government_issued_materials"]
    assert issued["count"] == 3 and issued["exemptible"] == 2  # the lease is not an electronic licence
    assert issued["by_licence_type"] == {"BIZ_LICENCE": 2, "LEASE": 1}


def test_stats_command_prints_json_with_registered_sections(small_catalogue, capsys, monkeypatch):
    monkeypatch.setattr(stats_registry, "_SECTIONS", {})
    stats_registry.register_stats_section("applications", lambda: {"open": 7})
    call_command("services", "stats")
    out = json.loads(capsys.readouterr().out)
    assert out["catalogue"]["situations"] == 4 and out["applications"] == {"open": 7}
    call_command("services", "stats", "applications")
    assert json.loads(capsys.readouterr().out) == {"applications": {"open": 7}}


def test_export_and_import_commands_round_trip(small_catalogue, tmp_path, capsys):
    from yiwang.services.catalogue.models import Item

    for fmt in ("csv", "json"):
        path = tmp_path / f"catalogue.{fmt}"
        call_command("services", "export", "--format", fmt, "-o", str(path))
        first = path.read_text(encoding="utf-8")
        Item.objects.all().delete()
        call_command("services", "import", str(path))
        call_command("services", "export", "--format", fmt, "-o", str(path))
        assert path.read_text(encoding="utf-8") == first


def test_import_command_prints_the_report_and_fails(departments, tmp_path, capsys):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.csv"
    path.write_text("record,item_code,item_name\nitem,123,x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("services", "import", str(path))
    out = capsys.readouterr().out
    assert "row\tfield\tproblem" in out and "2\tcode\tmust look like 310106-000201-01-00X" in out
