"""A bad file is refused whole, with (row, field, problem) for every problem."""

import pytest

from tests.factories import make_user
from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.models import AuditEvent
from yiwang.services.catalogue import interchange
from yiwang.services.catalogue.importing import ImportRejected, import_catalogue
from yiwang.services.catalogue.models import Item, LicenceType

pytestmark = pytest.mark.django_db
CLI = Actor.system(Channel.CLI)


def rejected(document, **kw) -> list[tuple]:
    with pytest.raises(ImportRejected) as info:
        import_catalogue(CLI, document, **kw)
    return [tuple(p) for p in info.value.problems]


def test_json_problems_name_the_path_and_field(departments, small_document):
    food = small_document["items"][0]
    food["code"] = "31-0106"
    food["situations"][1]["promised_days"] = 30
    food["situations"][2]["max_visits"] = "two"
    food["situations"][0]["materials"][1]["licence_type"] = "NO_SUCH"
    problems = rejected(small_document)
    assert ("items[0]", "code", "must look like 310106-000201-01-00X") in problems
    assert ("items[0].situations[1]", "promised_days", "longer than the statutory time limit") in problems
    assert ("items[0].situations[2]", "max_visits", "must be a whole number") in problems
    assert ("items[0].situations[0].materials[1]", "licence_type", "no licence type with code NO_SUCH") in problems
    assert len(problems) == 4


def test_csv_problems_name_the_line_and_column(departments, small_document):
    lines = interchange.write_csv(small_document).splitlines()
    header = lines[0].split(",")
    # line 5 (1-based, header is line 1) is the first material row: break its source
    cells = lines[4].split(",")
    assert cells[0] == "material"
    cells[header.index("material_source")] = "the applicant"
    lines[4] = ",".join(cells)
    # a later row of the same item contradicts its name
    cells = lines[5].split(",")
    cells[header.index("item_name")] = "别的名字"
    lines[5] = ",".join(cells)
    problems = rejected("\n".join(lines) + "\n", fmt="csv")
    assert (5, "source", "must be one of applicant, licence") in problems
    assert (6, "item_name", "differs from line 5 of the same item") in problems


def test_unknown_department_and_duplicate_codes(departments, small_document):
    small_document["items"][1]["department"] = "D-NONE"
    small_document["items"][1]["code"] = small_document["items"][0]["code"]
    small_document["licence_types"].append(dict(small_document["licence_types"][0]))
    problems = rejected(small_document)
    assert ("items[1]", "department", "no department with code D-NONE") in problems
    assert ("items[1]", "code", "appears twice") in problems
    assert ("licence_types[3]", "code", "appears twice") in problems


def test_guidance_that_leaves_two_situations_is_refused(departments, small_document):
    small_document["items"][0]["questions"].pop()  # "premises" no longer separates own from rented
    problems = rejected(small_document)
    assert [(r, f) for r, f, _ in problems] == [("items[0]", "questions")]
    assert "own rented" in problems[0][2]


def test_a_refused_file_writes_nothing(departments, small_document):
    small_document["items"][1]["situations"][0]["fee_fen"] = -5  # the last record is bad
    before = AuditEvent.objects.count()
    rejected(small_document)
    assert Item.objects.count() == 0
    assert LicenceType.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_unreadable_files_are_reported(departments):
    assert rejected("{not json", fmt="json")[0][1:] == (
        "",
        "not valid JSON: Expecting property name enclosed in double quotes",
    )
    assert rejected("record,item_code,colour\n", fmt="csv") == [(1, "colour", "unknown column")]


def test_only_catalogue_managers_may_import(departments, small_document):
    from yiwang.core.actions import PermissionDenied

    clerk = make_user()
    with pytest.raises(PermissionDenied):
        import_catalogue(Actor(user=clerk, channel=Channel.WEB), small_document)
    with pytest.raises(PermissionDenied):
        import_catalogue(Actor.system(Channel.WEB), small_document)
    admin = make_user(is_superuser=True)
    import_catalogue(Actor(user=admin, channel=Channel.ADMIN), small_document)
    assert Item.objects.count() == 2
