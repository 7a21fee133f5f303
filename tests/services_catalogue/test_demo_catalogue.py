"""The demo catalogue: the paper's figures, the same document for the same seed, and it imports."""

import pytest

from yiwang.services.catalogue import demo
from yiwang.services.catalogue.validation import validate


@pytest.fixture(scope="module")
def document():
    return demo.build_catalogue(1)


def situations(doc):
    return [s for item in doc["items"] for s in item["situations"]]


def test_same_seed_same_catalogue_other_seed_other(document):
    assert demo.build_catalogue(1) == document
    assert demo.build_catalogue(2) != document


def test_counts_match_the_paper(document):
    sits = situations(document)
    materials = [m for s in sits for m in s["materials"]]
    issued = [m for m in materials if m["source"] == "licence"]
    electronic = {lt["code"] for lt in document["licence_types"] if lt["electronic"]}
    assert (len(document["items"]), len(sits)) == (demo.ITEMS, demo.SITUATIONS) == (802, 1352)
    assert len(issued) == 4161
    assert 0.935 <= sum(m["licence_type"] in electronic for m in issued) / len(issued) <= 0.936
    assert sum(not s["materials"] for s in sits) == 134
    assert sum(all(not s["materials"] for s in item["situations"]) for item in document["items"]) == 82
    reduction = sum(1 - s["promised_days"] / s["statutory_days"] for s in sits) / len(sits)
    assert 0.65 <= reduction <= 0.75
    assert 0.675 <= sum(s["on_the_spot"] for s in sits) / len(sits) <= 0.685
    assert sum(s["max_visits"] <= 1 for s in sits) / len(sits) > 0.95


def test_every_department_of_the_demo_owns_items(document):
    from yiwang.demo.orgs import DEPARTMENTS, department_code

    assert {item["department"] for item in document["items"]} == {department_code(k) for k, *_ in DEPARTMENTS}


def test_the_demo_catalogue_is_valid(document):
    from yiwang.demo.orgs import DEPARTMENTS, department_code

    departments = [department_code(k) for k, *_ in DEPARTMENTS]
    _clean, problems = validate(document, departments=departments, licence_types=[])
    assert problems == []
