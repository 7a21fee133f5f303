"""Export then import gives back exactly the same catalogue, in JSON and in CSV."""

import pytest

from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.models import AuditEvent
from yiwang.services.catalogue import interchange
from yiwang.services.catalogue.exporting import export_document
from yiwang.services.catalogue.importing import import_catalogue
from yiwang.services.catalogue.models import Item, Material, Situation

pytestmark = pytest.mark.django_db
CLI = Actor.system(Channel.CLI)


def test_export_gives_back_the_imported_document(small_catalogue):
    assert export_document() == small_catalogue


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_is_identical(small_catalogue, fmt):
    write = interchange.write_json if fmt == "json" else interchange.write_csv
    first = write(export_document())
    Item.objects.all().delete()
    import_catalogue(CLI, first, fmt=fmt)
    assert write(export_document()) == first


def test_csv_and_json_describe_the_same_catalogue(small_catalogue):
    text = interchange.write_csv(export_document())
    Item.objects.all().delete()
    import_catalogue(CLI, text)  # format guessed from the content
    assert export_document() == small_catalogue


def test_reimporting_the_same_file_changes_nothing(small_catalogue):
    ids = sorted(Situation.objects.values_list("id", flat=True))
    result = import_catalogue(CLI, interchange.write_json(export_document()))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert sorted(Situation.objects.values_list("id", flat=True)) == ids


def test_a_changed_item_is_updated_in_place(small_catalogue, small_document):
    food = small_document["items"][0]
    kept_material = Material.objects.get(situation__code="own", position=1).pk
    food["situations"][0]["materials"].pop(0)  # the application form is no longer needed
    food["situations"][1]["promised_days"] = 3
    result = import_catalogue(CLI, small_document)
    assert (result.updated, result.unchanged) == (1, 1)
    assert export_document() == small_document
    assert (
        Material.objects.filter(pk=kept_material).exists()
        or Material.objects.filter(situation__code="own").count() == 1
    )


def test_an_import_writes_one_audit_row(departments, small_document):
    before = AuditEvent.objects.filter(action="catalogue.import").count()
    import_catalogue(CLI, small_document)
    rows = AuditEvent.objects.filter(action="catalogue.import")
    assert rows.count() == before + 1
    row = rows.latest("id")
    assert row.batch_count == len(small_document["items"]) + len(small_document["licence_types"])
    assert row.digest
